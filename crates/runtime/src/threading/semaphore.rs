//! `threading.Semaphore` and `threading.BoundedSemaphore`: the primitive
//! (`primitives::Semaphore`, a counter and a FIFO of waiters) in this process's memory,
//! watched.

use crate::errors::{PyErr, PyResult};
use crate::primitives::{self, Local};
use crate::watch::{ObjectKind, Watched};

pub struct Semaphore {
    sem: primitives::Semaphore<Local<3>>,
    watch: Watched,
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
        let value = initial_value(value)?;
        let words = primitives::Semaphore::<Local<3>>::initial(value, bounded.then_some(value));
        Ok(Semaphore {
            sem: primitives::Semaphore::new(Local::with(&words)),
            watch: Watched::new(ObjectKind::Semaphore, name),
        })
    }

    /// `acquire(blocking=True, timeout=None)`: `true` once a unit was taken.
    pub fn acquire(&self, blocking: bool, timeout: Option<f64>) -> PyResult<bool> {
        if !blocking && timeout.is_some() {
            return Err(PyErr::value_error("can't specify timeout for non-blocking acquire"));
        }
        self.sem.acquire(blocking, crate::timeout::at_most(timeout), &self.watch)
    }

    pub fn acquire_blocking(&self) {
        let _ = self.acquire(true, None);
    }

    /// `release(n=1)`.
    pub fn release(&self, n: usize) -> PyResult<()> {
        if n < 1 {
            return Err(PyErr::value_error("n must be one or more"));
        }
        let n = u32::try_from(n).map_err(|_| PyErr::new(crate::PyErrKind::OverflowError, "n is too large"))?;
        self.sem.release(n, &self.watch).map_err(|_| PyErr::value_error("Semaphore released too many times"))
    }

    /// `with sem:`
    pub fn enter(&self) -> SemaphoreGuard<'_> {
        self.acquire_blocking();
        SemaphoreGuard { sem: self }
    }

    /// The current value (`_value`, shown in the repr).
    pub fn value(&self) -> usize {
        self.sem.value() as usize
    }
}

/// A semaphore's initial value, as Python's constructors check it (`threading` and
/// `multiprocessing` alike).
pub fn initial_value(value: i64) -> PyResult<u32> {
    if value < 0 {
        return Err(PyErr::value_error("semaphore initial value must be >= 0"));
    }
    u32::try_from(value)
        .ok()
        .filter(|&v| v != primitives::UNBOUNDED)
        .ok_or_else(|| PyErr::new(crate::PyErrKind::OverflowError, "semaphore initial value is too large"))
}

impl std::fmt::Display for Semaphore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = self as *const _ as usize;
        match self.sem.bound() {
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
