//! The only code that differs between native and the browser, one module per concept:
//! wait and wake on an address ([`futex`]), read a clock ([`clock`]), start one more worker
//! ([`spawn`]) and name the OS-level thread we run on ([`spawn::native_id`]); in the
//! browser, small allocations also go through a per-thread cache ([`alloc`]).
//!
//! Everything above this module is plain Rust that `cargo test` runs on std threads.

pub mod alloc;
pub mod clock;
pub mod futex;
pub mod segment;
pub mod spawn;
