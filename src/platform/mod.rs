//! The only code that differs between native and the browser, one module per concept:
//! wait and wake on an address ([`futex`]), read a clock ([`clock`]), start one more worker
//! ([`spawn`]) and name the OS-level thread we run on ([`spawn::native_id`]); in the
//! browser, small allocations also go through a per-thread cache ([`alloc`]).
//!
//! Everything above this module is plain Rust that `cargo test` runs on std threads.

// The allocator serves the browser build; natively only its tests use it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub mod alloc;
pub mod clock;
pub mod futex;
#[cfg(target_arch = "wasm32")]
pub mod messages;
pub mod process;
pub mod segment;
pub mod stdio;
pub mod stop;
pub mod worker;

/// What a new worker of a process's memory runs (see [`worker`]): named, never a function
/// pointer, because the request crosses to the host (another instance) and back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum WorkerEntry {
    /// Serve this memory's thread pool for good (`threading::workers`).
    ThreadPool,
}
