//! `threading.Condition`: the primitive (`primitives::Condition`, a FIFO of parked waiters)
//! in this process's memory, over the lock Python gives it (a Lock or an RLock), watched.

use super::{Lock, RLock};
use crate::errors::{PyErr, PyResult};
use crate::primitives::{self, Local, ReleaseSave, Woken};
use crate::timeout::Deadline;
use crate::watch::{ObjectKind, Watched, Why};
use std::sync::Arc;

/// The lock under a condition: Python accepts any lock; the ports use these two.
#[derive(Clone)]
pub enum CondLock {
    Lock(Arc<Lock>),
    RLock(Arc<RLock>),
}

impl CondLock {
    fn acquire_deadline(&self, blocking: bool, deadline: Deadline) -> bool {
        match self {
            CondLock::Lock(l) => l.acquire_deadline(blocking, deadline),
            CondLock::RLock(l) => l.acquire_deadline(blocking, deadline),
        }
    }

    fn release(&self) -> PyResult<()> {
        match self {
            CondLock::Lock(l) => l.release(),
            CondLock::RLock(l) => l.release(),
        }
    }

    /// CPython's `_is_owned`: for a plain Lock, "locked by anyone" is the best it can tell.
    fn is_owned(&self) -> bool {
        match self {
            CondLock::Lock(l) => l.locked(),
            CondLock::RLock(l) => l.is_owned(),
        }
    }
}

/// What a wait remembers: the RLock's recursion count (0 for a plain Lock).
impl ReleaseSave for CondLock {
    type Saved = u32;

    fn release_save(&self) -> u32 {
        match self {
            CondLock::Lock(l) => {
                let _ = l.release();
                0
            }
            CondLock::RLock(l) => l.release_save(),
        }
    }

    fn acquire_restore(&self, saved: u32) {
        match self {
            CondLock::Lock(l) => l.acquire_blocking(),
            CondLock::RLock(l) => l.acquire_restore(saved),
        }
    }
}

pub struct Condition {
    lock: CondLock,
    cond: primitives::Condition<Local<0>>,
    watch: Watched,
}

impl Default for Condition {
    fn default() -> Self {
        Self::new()
    }
}

impl Condition {
    /// `Condition()`: over a fresh RLock, as in Python.
    pub fn new() -> Self {
        Self::with(CondLock::RLock(Arc::new(RLock::new())))
    }

    pub fn with_lock(lock: Arc<Lock>) -> Self {
        Self::with(CondLock::Lock(lock))
    }

    pub fn with_rlock(lock: Arc<RLock>) -> Self {
        Self::with(CondLock::RLock(lock))
    }

    /// `Condition()` with a display name for the UI (else `condition N`).
    pub fn named(name: &str) -> Self {
        Self::internal(CondLock::RLock(Arc::new(RLock::new())), Watched::new(ObjectKind::Condition, Some(name)))
    }

    fn with(lock: CondLock) -> Self {
        Self::internal(lock, Watched::new(ObjectKind::Condition, None))
    }

    /// `Condition(lock)` over a lock an interpreter holds (a Python `Lock` or `RLock`), with a
    /// display name for the UI (else `condition N`).
    pub fn over(lock: CondLock, name: Option<&str>) -> Self {
        Self::internal(lock, Watched::new(ObjectKind::Condition, name))
    }

    /// A condition that reports its waits as those of another object (a queue's conditions
    /// show as the queue).
    pub(crate) fn internal(lock: CondLock, watch: Watched) -> Self {
        Condition { lock, cond: primitives::Condition::new(Local::default()), watch }
    }

    pub fn acquire(&self, blocking: bool, timeout: Option<f64>) -> PyResult<bool> {
        let deadline = crate::timeout::lock(blocking, timeout)?;
        Ok(self.lock.acquire_deadline(blocking, deadline))
    }

    pub fn release(&self) -> PyResult<()> {
        self.lock.release()
    }

    /// `with cond:`
    pub fn enter(&self) -> ConditionGuard<'_> {
        self.lock.acquire_deadline(true, None);
        ConditionGuard { cond: self }
    }

    /// Python's `wait(timeout=None)`: `true` unless the timeout expired. A timeout of zero or
    /// less does not wait (but still releases and re-takes the lock, as CPython does).
    pub fn wait(&self, timeout: Option<f64>) -> PyResult<bool> {
        self.wait_deadline(crate::timeout::at_most(timeout), Why::Wait)
    }

    /// `wait_for(predicate, timeout=None)`: waits until `predicate()` holds; returns its last
    /// value. As CPython's, it waits at least once before a timeout ends it.
    pub fn wait_for(&self, mut predicate: impl FnMut() -> bool, timeout: Option<f64>) -> PyResult<bool> {
        self.try_wait_for(|| Ok::<_, PyErr>(predicate()), timeout)
    }

    /// [`wait_for`](Self::wait_for) with a predicate that may fail (a Python exception): its
    /// error ends the wait.
    pub fn try_wait_for<E: From<PyErr>>(
        &self,
        predicate: impl FnMut() -> Result<bool, E>,
        timeout: Option<f64>,
    ) -> Result<bool, E> {
        let wait = |deadline| self.wait_deadline(deadline, Why::Wait).map(drop).map_err(E::from);
        primitives::wait_for(crate::timeout::at_most(timeout), predicate, wait)
    }

    /// `wait()` until `deadline` (an interpreter's `wait_for` loop waits this way).
    pub fn wait_until(&self, deadline: Deadline) -> PyResult<bool> {
        self.wait_deadline(deadline, Why::Wait)
    }

    pub(crate) fn wait_deadline(&self, deadline: Deadline, why: Why) -> PyResult<bool> {
        if !self.lock.is_owned() {
            return Err(PyErr::runtime_error("cannot wait on un-acquired lock"));
        }
        Ok(self.cond.wait(&self.lock, deadline, &self.watch, why)? == Woken::Notified)
    }

    /// Wakes up to `n` waiters, longest-waiting first.
    pub fn notify(&self, n: usize) -> PyResult<()> {
        if !self.lock.is_owned() {
            return Err(PyErr::runtime_error("cannot notify on un-acquired lock"));
        }
        self.notify_unchecked(n);
        Ok(())
    }

    pub fn notify_all(&self) -> PyResult<()> {
        self.notify(usize::MAX)
    }

    /// For callers that hold the lock by construction (the queues).
    pub(crate) fn notify_unchecked(&self, n: usize) {
        self.cond.notify(n, &self.watch);
    }
}

#[must_use = "the lock is released when the guard drops"]
pub struct ConditionGuard<'a> {
    cond: &'a Condition,
}

impl std::ops::Deref for ConditionGuard<'_> {
    type Target = Condition;
    fn deref(&self) -> &Condition {
        self.cond
    }
}

impl Drop for ConditionGuard<'_> {
    fn drop(&mut self) {
        let _ = self.cond.release();
    }
}

impl std::fmt::Debug for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Condition").finish_non_exhaustive()
    }
}
