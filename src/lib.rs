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

// The Python-visible API, and what an interpreter builds on.
pub mod errors;
pub mod gil;
pub mod multiprocessing;
#[doc(hidden)] // `println!` expands to it
pub mod output;
pub mod program;
pub mod py;
pub mod queue;
pub mod runtime;
pub mod threading;
pub mod timeout;

/// The runtime's insides: private, but to the crate's own tests (the `testing` feature), which
/// read them through `testing`.
macro_rules! internal {
    ($($module:ident),*) => {$(
        #[cfg(feature = "testing")]
        pub mod $module;
        #[cfg(not(feature = "testing"))]
        mod $module;
    )*};
}
internal!(platform, sync, watch);

// The playground: the tutorial's examples, the benchmark, and the page.
#[cfg(feature = "playground")]
pub mod bench;
#[cfg(feature = "playground")]
pub mod examples;
#[cfg(feature = "playground")]
pub mod i18n;
#[cfg(feature = "playground")]
pub mod params;
#[cfg(feature = "playground")]
pub mod programs;
#[cfg(feature = "playground")]
mod ui;
#[cfg(all(target_arch = "wasm32", feature = "playground"))]
pub use ui::pp_module_init;
#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(feature = "testing")]
pub mod testing;

pub use errors::{PyErr, PyErrKind, PyResult};
