//! The runtime's synchronization building blocks, over the platform's futex: the one lock
//! algorithm ([`mutex`]) over any word threads can wait on (`word`: one of this memory or
//! one of the run's segment), a mutex for the runtime's own bookkeeping ([`RawMutex`]), and
//! one-shot flags ([`OneShot`], [`Parker`]). The Python-visible primitives in `threading`
//! and `multiprocessing` are built on these and report to the watch table; these do not.

pub mod mutex;
mod oneshot;
mod seg_lock;
mod word;

pub use mutex::RawMutex;
pub use oneshot::{OneShot, Parker, Unpark};
pub use seg_lock::{SegGuard, SegLock};
pub use word::{FutexWord, SegWord};
