//! `threading.Lock`: a non-reentrant lock that any thread may release.
//!
//! The algorithm is std's futex mutex (0 unlocked, 1 locked, 2 locked with waiters) with a
//! deadline, and two additions that make it watchable: every acquire records the holder in
//! the watch table (one relaxed store), and the slow path marks the thread blocked on the
//! lock before it sleeps. Like CPython's lock it is not fair: a releasing thread may take it
//! again before a woken waiter runs (the starvation pitfall shows this).

use crate::errors::{PyErr, PyResult};
use crate::platform::{clock, clock::Instant, futex};
use crate::watch::{ObjectKind, Watched, Why};
use std::sync::atomic::{AtomicU32, Ordering::*};

const UNLOCKED: u32 = 0;
const LOCKED: u32 = 1;
const CONTENDED: u32 = 2;

pub struct Lock {
    state: AtomicU32,
    watch: Watched,
}

impl Default for Lock {
    fn default() -> Self {
        Self::new()
    }
}

impl Lock {
    pub fn new() -> Self {
        Self::with_kind(ObjectKind::Lock, None)
    }

    /// A lock with a display name for the UI (`record 1` in the deadlock pitfall).
    pub fn named(name: &str) -> Self {
        Self::with_kind(ObjectKind::Lock, Some(name))
    }

    pub(crate) fn with_kind(kind: ObjectKind, name: Option<&str>) -> Self {
        Lock { state: AtomicU32::new(UNLOCKED), watch: Watched::new(kind, name) }
    }

    /// Python's `acquire(blocking=True, timeout=-1)`: `timeout` `None` or `-1` waits forever.
    pub fn acquire(&self, blocking: bool, timeout: Option<f64>) -> PyResult<bool> {
        let deadline = lock_deadline(blocking, timeout)?;
        Ok(self.acquire_deadline(blocking, deadline))
    }

    /// Waits as long as it takes.
    pub fn acquire_blocking(&self) {
        self.acquire_deadline(true, None);
    }

    /// The one core every `acquire` goes through.
    #[inline]
    pub fn acquire_deadline(&self, blocking: bool, deadline: Option<Instant>) -> bool {
        if self.state.compare_exchange(UNLOCKED, LOCKED, Acquire, Relaxed).is_ok() {
            self.watch.held_by_me();
            return true;
        }
        blocking && self.acquire_contended(deadline)
    }

    #[cold]
    fn acquire_contended(&self, deadline: Option<Instant>) -> bool {
        // A short spin first: a holder on the other core often releases within it.
        for _ in 0..100 {
            if self.state.load(Relaxed) == UNLOCKED
                && self.state.compare_exchange(UNLOCKED, LOCKED, Acquire, Relaxed).is_ok()
            {
                self.watch.held_by_me();
                return true;
            }
            std::hint::spin_loop();
        }
        let _blocked = self.watch.block(Why::Acquire, deadline.is_some());
        let _gil = crate::gil::unlocked();
        loop {
            if self.state.swap(CONTENDED, Acquire) == UNLOCKED {
                self.watch.held_by_me();
                return true;
            }
            let left = clock::remaining(deadline);
            if left == Some(std::time::Duration::ZERO) {
                return false;
            }
            crate::runtime::check_daemon_stop();
            futex::wait(&self.state, CONTENDED, left);
        }
    }

    /// Python's `release()`: any thread may release; releasing an unlocked lock is an error.
    #[inline]
    pub fn release(&self) -> PyResult<()> {
        // Clear the holder first: after the swap another thread may already hold it.
        self.watch.released();
        match self.state.swap(UNLOCKED, Release) {
            UNLOCKED => Err(PyErr::runtime_error("release unlocked lock")),
            CONTENDED => {
                futex::wake(&self.state, 1);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    pub fn locked(&self) -> bool {
        self.state.load(Relaxed) != UNLOCKED
    }

    /// `with lock:` — holds the lock until the guard drops, on every path out.
    pub fn enter(&self) -> LockGuard<'_> {
        self.acquire_blocking();
        LockGuard { lock: self }
    }

    /// A handle that reports waits as waits on this lock (the queues' conditions).
    pub(crate) fn watch_alias(&self) -> Watched {
        self.watch.alias()
    }

    /// The watch table's id of this lock (0 when not watched).
    pub fn watch_id(&self) -> u32 {
        self.watch.id()
    }
}

impl std::fmt::Debug for Lock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.locked() { "locked" } else { "unlocked" };
        write!(f, "<{state} _thread.lock object at {:#x}>", self as *const _ as usize)
    }
}

#[must_use = "the lock is released when the guard drops"]
pub struct LockGuard<'a> {
    lock: &'a Lock,
}

impl Drop for LockGuard<'_> {
    fn drop(&mut self) {
        // Cannot fail: the guard proves the lock was acquired and not released since.
        let _ = self.lock.release();
    }
}

/// Python's argument checks for `Lock.acquire` / `RLock.acquire`.
pub(crate) fn lock_deadline(blocking: bool, timeout: Option<f64>) -> PyResult<Option<Instant>> {
    match timeout {
        None => Ok(None),
        Some(t) if t == -1.0 => Ok(None),
        Some(_) if !blocking => Err(PyErr::value_error("can't specify a timeout for a non-blocking call")),
        Some(t) if t < 0.0 || t.is_nan() => Err(PyErr::value_error("timeout value must be positive")),
        Some(t) => std::time::Duration::try_from_secs_f64(t)
            .ok()
            .and_then(clock::deadline_after)
            .map(Some)
            .ok_or_else(|| PyErr::new(crate::errors::PyErrKind::OsError, "timeout value is too large")),
    }
}
