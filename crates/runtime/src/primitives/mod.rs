//! Python's blocking primitives, each algorithm written once over where its state lives
//! ([`Space`]: this process's memory, or the run's segment that every process reaches):
//! [`Lock`], [`RLock`], [`Condition`], [`Semaphore`], [`Event`] and [`Barrier`].
//! `threading`'s objects are these over [`Local`] memory, `multiprocessing`'s the same over
//! [`Shared`] memory; each adds only what its module's API needs (names, reprs, serde).
//!
//! A primitive is a few 32-bit words (named by constants, never bare indices) and, where
//! threads queue, a FIFO of parked waiters. Waits report to the watch table through the
//! [`Watched`](crate::watch::Watched) their caller gives, let the simulated GIL go, and stop
//! where a stopped thread must ([`pp_platform::stop`]).

mod barrier;
mod condition;
mod event;
mod lock;
mod rlock;
mod semaphore;
mod space;
mod waiters;

pub use barrier::Barrier;
pub use condition::{wait_for, Condition, ReleaseSave};
pub use event::Event;
pub use lock::Lock;
pub use rlock::{NotOwned, RLock};
pub use semaphore::{ReleasedTooMany, Semaphore, UNBOUNDED};
pub use space::{run_thread_id, Local, Shared, SharedAt, Space};
pub use waiters::{my_parker, Notifier, WaitList, WaitQueue, Woken, MAX_WAITERS};

use crate::sync::{mutex, FutexWord};
use crate::watch::record::Waker;
use crate::watch::Blocked;

/// Tells a wait that ends who woke it when that was a thread of another process (`by`, a
/// token of `space`; 0: not known): only the waiter's own process can record it, as the
/// waker's watch table is another memory. A waker of this process is known to the table.
fn woken_across<S: Space>(space: &S, blocked: Option<&mut Blocked>, by: u32) {
    if by != 0 && space.thread_of(by).0 != 0 {
        notified_by(space, blocked, Notifier { token: by, at_us: 0 });
    }
}

/// Tells a wait that ends who notified it (`by`, a token of `space`, and when; not known,
/// the wait's end stands for it): the arrow of a condition's or a semaphore's wait,
/// whichever process the notifier is of.
fn notified_by<S: Space>(space: &S, blocked: Option<&mut Blocked>, by: Notifier) {
    let Some(blocked) = blocked.filter(|_| by.token != 0) else { return };
    let (pid, (thread, generation)) = space.thread_of(by.token);
    blocked.woken_by(Waker { thread, generation, at_us: by.at_us, pid });
}

/// Holds a primitive's state lock (its word `index`, the one futex mutex) until dropped:
/// around a few loads and stores, never around a wait. A thread that must wait for it lets
/// the GIL go (the holder may need the GIL to finish: a barrier's action runs under it).
struct StateLock<W: FutexWord> {
    word: W,
}

impl<W: FutexWord> StateLock<W> {
    fn lock(word: W) -> StateLock<W> {
        if !mutex::try_lock(&word, 0) {
            let _gil = crate::gil::unlocked();
            mutex::lock(&word, 0, None, |_| pp_platform::stop::check());
        }
        StateLock { word }
    }
}

impl<W: FutexWord> Drop for StateLock<W> {
    fn drop(&mut self) {
        // Cannot fail: the guard proves the lock is held.
        let _ = mutex::unlock(&self.word);
    }
}
