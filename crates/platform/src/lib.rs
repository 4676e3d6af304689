//! The only code that differs between native and the browser, one module per concept:
//! wait and wake on an address ([`futex`]), read a clock ([`clock`]), start one more worker
//! ([`worker`]) or a child process ([`process`]) of a named module ([`module`]), the run's
//! shared segment ([`segment`]), the stop check ([`stop`]), where an unread line goes
//! ([`stdio`]), what a run is asked to run ([`request`]), and, in the browser, the typed
//! messages between the host and its workers (`messages`) and a per-thread allocation cache
//! ([`alloc`]).
//!
//! Every crate above this one is plain Rust that `cargo test` runs on std threads.

// wasm's memory.atomic.wait32/notify intrinsics are still unstable (rust-lang/rust#77839).
#![cfg_attr(all(target_arch = "wasm32", target_feature = "atomics"), feature(stdarch_wasm_atomic_wait))]

// The allocator serves the browser build; natively its tests drive it.
pub mod alloc;
pub mod clock;
pub mod futex;
#[cfg(target_arch = "wasm32")]
pub mod messages;
pub mod module;
pub mod process;
pub mod request;
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
