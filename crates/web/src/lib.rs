//! The browser half of the runtime (wasm only; natively this crate is empty): the worker
//! side that `crates/web/js/worker.js` hands each worker to (`worker`), the host that creates and
//! watches workers from a thread that never blocks (`host`), and the view of another
//! instance's memory the host reads through (`memory`). The messages between them are
//! typed: `pp_platform::messages`.
//!
//! See `crates/web/README.md` for the life of a run.
#![cfg(target_arch = "wasm32")]

pub mod host;
pub mod js;
pub mod memory;
#[cfg(feature = "testing")]
pub mod testing;
pub mod worker;

pub use pp_platform::messages::RunRequest;
