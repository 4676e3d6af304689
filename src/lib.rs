//! # Parallel Playground
//!
//! Python's `threading`, `queue` and `multiprocessing`, in Rust, running for real on
//! shared-memory web workers in the browser (and on OS threads natively, where the tests
//! run). The tutorial's examples are ported against these modules and run in a yew UI that
//! shows what every thread did.
//!
//! Layers, each using only those above it (see `README.md` for the why):
//!
//! | module | what |
//! |---|---|
//! | [`platform`] | futex wait/wake, a clock that works on wasm, starting a worker |
//! | [`raw`] | unwatched mutex and parker for the runtime's own bookkeeping |
//! | [`watch`] | the per-process state table and event ring the UI reads |
//! | [`threading`], [`queue`] | Python's modules, built on the above |
//! | [`runtime`], [`output`] | a process's interpreter state, program end, `print` |
//! | [`examples`] | the tutorial's examples, ported |
//! | `web`, `ui` | (wasm only) the worker runtime, the host, and the yew app |

// wasm's memory.atomic.wait32/notify intrinsics are still unstable (rust-lang/rust#77839).
#![cfg_attr(all(target_arch = "wasm32", target_feature = "atomics"), feature(stdarch_wasm_atomic_wait))]

pub mod bench;
pub mod bench_mp;
pub mod errors;
pub mod examples;
pub mod gil;
#[cfg(not(target_arch = "wasm32"))]
pub mod harness;
pub mod multiprocessing;
pub mod output;
pub mod platform;
pub mod py;
pub mod queue;
pub mod raw;
pub mod runtime;
pub mod threading;
pub mod watch;

#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use errors::{PyErr, PyErrKind, PyResult};

// Natively, the system allocator already caches per thread (glibc's tcache).
#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
#[global_allocator]
static ALLOCATOR: platform::alloc::ThreadCachedAlloc = platform::alloc::ThreadCachedAlloc;
