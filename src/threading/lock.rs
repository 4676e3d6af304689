//! `threading.Lock`: a non-reentrant lock that any thread may release.
//!
//! The algorithm is std's futex mutex (`sys/sync/mutex/futex.rs`) with a deadline, and one
//! addition that makes it watchable for free: the state word also holds the holder's watch
//! id, so the acquire that takes the lock (one compare-exchange) records who holds it. The
//! watch table learns where that word is when someone first has to wait for it (the only
//! time the wait-for graph needs a holder), and the slow path marks the thread blocked
//! before it sleeps. Like CPython's lock it is not fair: a releasing thread may take it
//! again before a woken waiter runs (the starvation pitfall shows this).

use crate::errors::{PyErr, PyResult};
use crate::platform::{clock, clock::Instant, futex};
use crate::watch::{ObjectKind, Watched, Why};
use std::sync::atomic::{AtomicU32, Ordering::*};

/// State word: 0 when free; otherwise `holder << 2 | LOCKED`, plus `CONTENDED` when a thread
/// may be asleep waiting for it (release must wake one).
const UNLOCKED: u32 = 0;
const LOCKED: u32 = 1;
const CONTENDED: u32 = 2;
const HOLDER_SHIFT: u32 = 2;

pub struct Lock {
    state: AtomicU32,
    watch: Watched,
}

impl Default for Lock {
    fn default() -> Self {
        Self::new()
    }
}

/// The state word meaning "held by the calling thread".
#[inline]
fn held_by_me() -> u32 {
    crate::watch::my_id() << HOLDER_SHIFT | LOCKED
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
        if self.state.compare_exchange(UNLOCKED, held_by_me(), Acquire, Relaxed).is_ok() {
            return true;
        }
        blocking && self.acquire_contended(deadline)
    }

    #[cold]
    fn acquire_contended(&self, deadline: Option<Instant>) -> bool {
        let me = held_by_me();
        // Some once this thread has slept: from then on it takes the lock marked CONTENDED,
        // since others may still sleep (std's rule). A thread that only spun does not, so a
        // release after a hand-over between two busy threads wakes nobody.
        let mut blocked = None;
        let _gil = crate::gil::unlocked();
        loop {
            let state = self.state.load(Relaxed);
            if state == UNLOCKED {
                let flags = if blocked.is_some() { CONTENDED } else { 0 };
                if self.state.compare_exchange(UNLOCKED, me | flags, Acquire, Relaxed).is_ok() {
                    return true;
                }
                continue;
            }
            let left = clock::remaining(deadline);
            if left == Some(std::time::Duration::ZERO) {
                return false;
            }
            if blocked.is_none() && futex::spin(&self.state, state) {
                continue;
            }
            // About to sleep: make sure the release will wake us.
            if state & CONTENDED == 0
                && self.state.compare_exchange(state, state | CONTENDED, Relaxed, Relaxed).is_err()
            {
                continue;
            }
            if blocked.is_none() {
                self.watch.set_state_word(&self.state);
                blocked = Some(self.watch.block(Why::Acquire, deadline.is_some()));
            }
            crate::runtime::check_daemon_stop();
            futex::wait(&self.state, state | CONTENDED, left);
        }
    }

    /// Python's `release()`: any thread may release; releasing an unlocked lock is an error.
    #[inline]
    pub fn release(&self) -> PyResult<()> {
        let state = self.state.swap(UNLOCKED, Release);
        if state == UNLOCKED {
            return Err(PyErr::runtime_error("release unlocked lock"));
        }
        if state & CONTENDED != 0 {
            futex::wake(&self.state, 1);
        }
        Ok(())
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
