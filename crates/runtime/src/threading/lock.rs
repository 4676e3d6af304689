//! `threading.Lock`: a non-reentrant lock that any thread may release; the primitive
//! (`primitives::Lock`) on a word of this process's memory, watched.

use crate::errors::{PyErr, PyResult};
use crate::primitives::{self, Local};
use crate::timeout::Deadline;
use crate::watch::{ObjectKind, Watched};

pub struct Lock {
    lock: primitives::Lock<Local<2>>,
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
        Lock { lock: primitives::Lock::new(Local::default()), watch: Watched::new(kind, name) }
    }

    /// Python's `acquire(blocking=True, timeout=-1)`: `timeout` `None` or `-1` waits forever.
    pub fn acquire(&self, blocking: bool, timeout: Option<f64>) -> PyResult<bool> {
        let deadline = crate::timeout::lock(blocking, timeout)?;
        Ok(self.acquire_deadline(blocking, deadline))
    }

    /// Waits as long as it takes.
    pub fn acquire_blocking(&self) {
        self.acquire_deadline(true, None);
    }

    /// The one core every `acquire` goes through.
    #[inline]
    pub fn acquire_deadline(&self, blocking: bool, deadline: Deadline) -> bool {
        self.lock.acquire(blocking, deadline, &self.watch)
    }

    /// Python's `release()`: any thread may release; releasing an unlocked lock is an error.
    #[inline]
    pub fn release(&self) -> PyResult<()> {
        self.lock.release().map_err(|e| PyErr::runtime_error(e.to_string()))
    }

    pub fn locked(&self) -> bool {
        self.lock.locked()
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
