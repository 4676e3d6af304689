//! The browser half of the runtime (wasm only): the worker side that `www/worker.js` hands
//! each worker to ([`worker`]), the host that creates and watches workers from a thread that
//! never blocks ([`host`]), and the view of another instance's memory the host reads through
//! ([`memory`]). The messages between them are typed: `platform::messages`.
//!
//! See `src/web/README.md` for the life of a run.

pub mod host;
pub mod js;
pub mod memory;
#[cfg(feature = "playground")]
pub mod python;
#[cfg(feature = "testing")]
pub mod testing;
pub mod worker;

pub use crate::platform::messages::RunRequest;
