//! One process's Python semantics, on the platform (`pp-platform`): Python's `threading` and
//! `queue`, and what they and `multiprocessing` (the crate above) are made of.
//!
//! Modules, each using only those above it in this list (`scripts/check-structure.mjs` checks
//! that no two depend on each other; the crates around this one are checked by the compiler):
//!
//! | module | what |
//! |---|---|
//! | [`errors`], [`timeout`] | every error type (Python's exceptions as values); CPython's timeout rules |
//! | [`sync`] | the one futex lock algorithm, one-shot flags and parkers, over any waitable word |
//! | [`watch`] | the per-process state table and event ring the page reads, the wait-for graph |
//! | [`runtime`] | one process's state: its table, identity, segment, stop flags, extensions, atexit |
//! | [`gil`], [`output`] | a simulated GIL (CPython's switch interval); `print` |
//! | [`primitives`] | Lock, RLock, Condition, Semaphore, Event, Barrier, each written once over its memory (this process's or the segment) |
//! | [`threading`], [`queue`] | Python's modules |
//! | [`py`] | Python values as the ports print them |

pub mod errors;
pub mod gil;
#[doc(hidden)] // `println!` expands to it
pub mod output;
pub mod primitives;
pub mod py;
pub mod queue;
pub mod runtime;
pub mod sync;
pub mod threading;
pub mod timeout;
pub mod watch;

pub use errors::{PyErr, PyErrKind, PyResult};
