//! `Condition`, as CPython builds it: each waiter parks on a parker of its own, queued in
//! FIFO order, so `notify(n)` wakes exactly the `n` longest waiters. The lock is the
//! caller's (Python's `Condition(lock)` takes any lock): all a wait needs of it is to let it
//! go entirely and take it back ([`ReleaseSave`]).

use super::waiters::{WaitQueue, Woken};
use super::Space;
use crate::errors::PyResult;
use crate::timeout::Deadline;
use crate::watch::step::Point;
use crate::watch::{Watched, Why};

/// What a condition's wait does with its lock: CPython's `_release_save` and
/// `_acquire_restore` (an RLock remembers how many times it was held).
pub trait ReleaseSave {
    type Saved;
    fn release_save(&self) -> Self::Saved;
    fn acquire_restore(&self, saved: Self::Saved);
}

pub struct Condition<S> {
    space: S,
}

impl<S: Space> Condition<S> {
    pub fn new(space: S) -> Self {
        Condition { space }
    }

    /// Waits (the lock let go meanwhile, and held again on return) until notified or
    /// `deadline`. The caller checks that it owns the lock first (each module raises its own
    /// error). `why` is what the timeline says the thread does on `watch`.
    pub fn wait<L: ReleaseSave>(&self, lock: &L, deadline: Deadline, watch: &Watched, why: Why) -> PyResult<Woken> {
        crate::gil::scheduling_point(Point::Wait);
        let waiters = self.space.waiters();
        let ticket = waiters.enqueue()?;
        let saved = lock.release_save();
        let woken = {
            let _gil = crate::gil::unlocked();
            pp_platform::stop::check();
            let mut blocked = None;
            let (woken, by) = waiters.sleep(ticket, deadline, || blocked = Some(watch.block(why, deadline.is_some())));
            super::notified_by(&self.space, blocked.as_mut(), by);
            drop(blocked);
            woken
        };
        lock.acquire_restore(saved);
        Ok(woken)
    }

    /// Wakes up to `n` waiters, longest-waiting first, telling `watch` who woke them;
    /// returns how many.
    pub fn notify(&self, n: usize, watch: &Watched) -> usize {
        crate::gil::scheduling_point(Point::Notify);
        self.space.waiters().notify(n, self.space.token(), watch.records_wakers())
    }
}

/// CPython's `Condition.wait_for`, for both modules' conditions: waits (with `wait`) until
/// `predicate()` holds or `deadline` passes, at least once before a timeout ends it, and
/// returns the predicate's last value. A predicate that fails (a Python exception) ends it.
pub fn wait_for<E>(
    deadline: Deadline,
    mut predicate: impl FnMut() -> Result<bool, E>,
    mut wait: impl FnMut(Deadline) -> Result<(), E>,
) -> Result<bool, E> {
    let mut result = predicate()?;
    let mut waited = false;
    while !result {
        if waited && crate::timeout::expired(deadline) {
            break;
        }
        wait(deadline)?;
        waited = true;
        result = predicate()?;
    }
    Ok(result)
}
