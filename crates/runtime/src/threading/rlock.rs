//! `threading.RLock`: a reentrant lock (`primitives::RLock`, an owner and a count over the
//! lock word) in this process's memory, watched. Only the owner may release.

use super::registry::get_ident;
use crate::errors::{PyErr, PyResult};
use crate::primitives::{self, Local};
use crate::timeout::Deadline;
use crate::watch::{ObjectKind, Watched};

pub struct RLock {
    lock: primitives::RLock<Local<6>>,
    watch: Watched,
}

impl Default for RLock {
    fn default() -> Self {
        Self::new()
    }
}

impl RLock {
    pub fn new() -> Self {
        Self::build(None)
    }

    pub fn named(name: &str) -> Self {
        Self::build(Some(name))
    }

    fn build(name: Option<&str>) -> Self {
        RLock { lock: primitives::RLock::new(Local::default()), watch: Watched::new(ObjectKind::RLock, name) }
    }

    pub fn acquire(&self, blocking: bool, timeout: Option<f64>) -> PyResult<bool> {
        let deadline = crate::timeout::lock(blocking, timeout)?;
        Ok(self.acquire_deadline(blocking, deadline))
    }

    pub fn acquire_blocking(&self) {
        self.acquire_deadline(true, None);
    }

    pub fn acquire_deadline(&self, blocking: bool, deadline: Deadline) -> bool {
        self.lock.acquire(get_ident(), blocking, deadline, &self.watch)
    }

    pub fn release(&self) -> PyResult<()> {
        self.lock.release(get_ident()).map_err(|_| PyErr::runtime_error("cannot release un-acquired lock"))
    }

    /// Whether the calling thread owns it (`RLock._is_owned`).
    pub fn is_owned(&self) -> bool {
        self.lock.is_owned(get_ident())
    }

    /// How many times the owner holds it (CPython's repr shows this as `count`).
    pub fn count(&self) -> u32 {
        self.lock.count()
    }

    pub fn enter(&self) -> RLockGuard<'_> {
        self.acquire_blocking();
        RLockGuard { lock: self }
    }

    /// Lets go of it however many times it is held; returns the count to restore (a
    /// Condition's wait; Python's `RLock._release_save`).
    pub fn release_save(&self) -> u32 {
        self.lock.release_save()
    }

    /// Takes it back as many times as [`release_save`](Self::release_save) let it go.
    pub fn acquire_restore(&self, count: u32) {
        self.lock.acquire_restore(get_ident(), count, &self.watch);
    }

    /// The watch table's id of this lock (0 when not watched).
    pub fn watch_id(&self) -> u32 {
        self.watch.id()
    }
}

impl std::fmt::Debug for RLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.lock.locked() { "locked" } else { "unlocked" };
        let owner = self.lock.owner();
        write!(
            f,
            "<{state} _thread.RLock object owner={owner} count={} at {:#x}>",
            self.count(),
            self as *const _ as usize
        )
    }
}

#[must_use = "the lock is released when the guard drops"]
pub struct RLockGuard<'a> {
    lock: &'a RLock,
}

impl Drop for RLockGuard<'_> {
    fn drop(&mut self) {
        let _ = self.lock.release();
    }
}
