//! `threading.RLock`: a reentrant lock, lock_api's `ReentrantMutex` idea as a layer on top of
//! [`Lock`]: an owner and a count. Only the owner may release.

use super::lock::Lock;
use super::thread::get_ident;
use crate::errors::{PyErr, PyResult};
use crate::platform::clock::Instant;
use crate::watch::ObjectKind;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::*};

pub struct RLock {
    lock: Lock,
    /// Ident of the owning thread, 0 when free.
    owner: AtomicU64,
    /// Only touched by the owner.
    count: AtomicU32,
}

impl Default for RLock {
    fn default() -> Self {
        Self::new()
    }
}

impl RLock {
    pub fn new() -> Self {
        RLock { lock: Lock::with_kind(ObjectKind::RLock, None), owner: AtomicU64::new(0), count: AtomicU32::new(0) }
    }

    pub fn named(name: &str) -> Self {
        RLock {
            lock: Lock::with_kind(ObjectKind::RLock, Some(name)),
            owner: AtomicU64::new(0),
            count: AtomicU32::new(0),
        }
    }

    pub fn acquire(&self, blocking: bool, timeout: Option<f64>) -> PyResult<bool> {
        let deadline = crate::timeout::lock(blocking, timeout)?;
        Ok(self.acquire_deadline(blocking, deadline))
    }

    pub fn acquire_blocking(&self) {
        self.acquire_deadline(true, None);
    }

    pub fn acquire_deadline(&self, blocking: bool, deadline: Option<Instant>) -> bool {
        let me = get_ident();
        if self.owner.load(Relaxed) == me {
            self.count.fetch_add(1, Relaxed);
            return true;
        }
        if !self.lock.acquire_deadline(blocking, deadline) {
            return false;
        }
        self.owner.store(me, Relaxed);
        self.count.store(1, Relaxed);
        true
    }

    pub fn release(&self) -> PyResult<()> {
        if self.owner.load(Relaxed) != get_ident() {
            return Err(PyErr::runtime_error("cannot release un-acquired lock"));
        }
        if self.count.fetch_sub(1, Relaxed) == 1 {
            self.owner.store(0, Relaxed);
            self.lock.release()?;
        }
        Ok(())
    }

    /// Whether the calling thread owns it (`RLock._is_owned`).
    pub fn is_owned(&self) -> bool {
        self.owner.load(Relaxed) == get_ident()
    }

    /// How many times the owner holds it (CPython's repr shows this as `count`).
    pub fn count(&self) -> u32 {
        self.count.load(Relaxed)
    }

    pub fn enter(&self) -> RLockGuard<'_> {
        self.acquire_blocking();
        RLockGuard { lock: self }
    }

    /// `Condition.wait` support: fully release, remembering the count.
    /// Lets go of it however many times it is held; returns the count to restore (a
    /// Condition's wait; Python's `RLock._release_save`).
    pub fn release_save(&self) -> u32 {
        let count = self.count.swap(0, Relaxed);
        self.owner.store(0, Relaxed);
        let _ = self.lock.release();
        count
    }

    /// Takes it back as many times as [`release_save`](Self::release_save) let it go.
    pub fn acquire_restore(&self, count: u32) {
        self.lock.acquire_blocking();
        self.owner.store(get_ident(), Relaxed);
        self.count.store(count, Relaxed);
    }
}

impl std::fmt::Debug for RLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.lock.locked() { "locked" } else { "unlocked" };
        write!(
            f,
            "<{state} _thread.RLock object owner={} count={} at {:#x}>",
            self.owner.load(Relaxed),
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
