//! `threading.Semaphore` and `threading.BoundedSemaphore`, as CPython writes them: a counter
//! under a Condition on a plain Lock.

use super::condition::{CondLock, Condition};
use super::Lock;
use crate::errors::{PyErr, PyResult};
use crate::platform::clock;
use crate::watch::{ObjectKind, Why};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

pub struct Semaphore {
    cond: Condition,
    /// Guarded by the condition's lock; atomic only so that `value()` may peek.
    value: AtomicUsize,
    /// `Some(initial)` for a BoundedSemaphore.
    bound: Option<usize>,
}

/// `threading.BoundedSemaphore`: a [`Semaphore`] (it derefs to one) whose releases above
/// the initial value are a `ValueError`.
pub struct BoundedSemaphore {
    sem: Semaphore,
}

impl BoundedSemaphore {
    /// `BoundedSemaphore(value=1)`.
    pub fn new(value: i64) -> PyResult<BoundedSemaphore> {
        Ok(BoundedSemaphore { sem: Semaphore::build(value, true, None)? })
    }

    /// A BoundedSemaphore with a display name for the UI (else `semaphore N`).
    pub fn named(value: i64, name: &str) -> PyResult<BoundedSemaphore> {
        Ok(BoundedSemaphore { sem: Semaphore::build(value, true, Some(name))? })
    }
}

impl std::ops::Deref for BoundedSemaphore {
    type Target = Semaphore;
    fn deref(&self) -> &Semaphore {
        &self.sem
    }
}

impl std::fmt::Display for BoundedSemaphore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.sem.fmt(f)
    }
}

impl Semaphore {
    /// `Semaphore(value=1)`.
    pub fn new(value: i64) -> PyResult<Semaphore> {
        Self::build(value, false, None)
    }

    /// A Semaphore with a display name for the UI (else `semaphore N`).
    pub fn named(value: i64, name: &str) -> PyResult<Semaphore> {
        Self::build(value, false, Some(name))
    }

    fn build(value: i64, bounded: bool, name: Option<&str>) -> PyResult<Semaphore> {
        if value < 0 {
            return Err(PyErr::value_error("semaphore initial value must be >= 0"));
        }
        let lock = Arc::new(Lock::with_kind(ObjectKind::Semaphore, name));
        let watch = lock.watch_alias();
        Ok(Semaphore {
            cond: Condition::internal(CondLock::Lock(lock), watch),
            value: AtomicUsize::new(value as usize),
            bound: bounded.then_some(value as usize),
        })
    }

    /// `acquire(blocking=True, timeout=None)`: `true` once a unit was taken.
    pub fn acquire(&self, blocking: bool, timeout: Option<f64>) -> PyResult<bool> {
        if !blocking && timeout.is_some() {
            return Err(PyErr::value_error("can't specify timeout for non-blocking acquire"));
        }
        let deadline = crate::timeout::at_most(timeout);
        let _with = self.cond.enter();
        while self.value.load(Relaxed) == 0 {
            if !blocking || clock::remaining(deadline) == Some(Duration::ZERO) {
                return Ok(false);
            }
            self.cond.wait_deadline(deadline, Why::Acquire)?;
        }
        self.value.fetch_sub(1, Relaxed);
        Ok(true)
    }

    pub fn acquire_blocking(&self) {
        let _ = self.acquire(true, None);
    }

    /// `release(n=1)`.
    pub fn release(&self, n: usize) -> PyResult<()> {
        if n < 1 {
            return Err(PyErr::value_error("n must be one or more"));
        }
        let _with = self.cond.enter();
        let value = self.value.load(Relaxed);
        if self.bound.is_some_and(|b| value + n > b) {
            return Err(PyErr::value_error("Semaphore released too many times"));
        }
        self.value.store(value + n, Relaxed);
        self.cond.notify_unchecked(n);
        Ok(())
    }

    /// `with sem:`
    pub fn enter(&self) -> SemaphoreGuard<'_> {
        self.acquire_blocking();
        SemaphoreGuard { sem: self }
    }

    /// The current value (`_value`, shown in the repr).
    pub fn value(&self) -> usize {
        self.value.load(Relaxed)
    }
}

impl std::fmt::Display for Semaphore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = self as *const _ as usize;
        match self.bound {
            Some(b) => write!(f, "<threading.BoundedSemaphore at {at:#x}: value={}/{b}>", self.value()),
            None => write!(f, "<threading.Semaphore at {at:#x}: value={}>", self.value()),
        }
    }
}

#[must_use = "the semaphore is released when the guard drops"]
pub struct SemaphoreGuard<'a> {
    sem: &'a Semaphore,
}

impl Drop for SemaphoreGuard<'_> {
    fn drop(&mut self) {
        let _ = self.sem.release(1);
    }
}

impl std::fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Semaphore").finish_non_exhaustive()
    }
}

impl std::fmt::Debug for BoundedSemaphore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoundedSemaphore").finish_non_exhaustive()
    }
}
