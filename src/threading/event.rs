//! `threading.Event`: a flag and a Condition, as in CPython.

use super::condition::{CondLock, Condition};
use super::Lock;
use crate::watch::{ObjectKind, Why};
use std::sync::atomic::{AtomicBool, Ordering::*};
use std::sync::Arc;

pub struct Event {
    cond: Condition,
    flag: AtomicBool,
}

impl Default for Event {
    fn default() -> Self {
        Self::new()
    }
}

impl Event {
    pub fn new() -> Event {
        Self::build(None)
    }

    /// An Event with a display name for the UI (else `event N`).
    pub fn named(name: &str) -> Event {
        Self::build(Some(name))
    }

    fn build(name: Option<&str>) -> Event {
        let lock = Arc::new(Lock::with_kind(ObjectKind::Event, name));
        let watch = lock.watch_alias();
        Event { cond: Condition::internal(CondLock::Lock(lock), watch), flag: AtomicBool::new(false) }
    }

    pub fn is_set(&self) -> bool {
        self.flag.load(Acquire)
    }

    pub fn set(&self) {
        let _with = self.cond.enter();
        self.flag.store(true, Release);
        self.cond.notify_unchecked(usize::MAX);
    }

    pub fn clear(&self) {
        let _with = self.cond.enter();
        self.flag.store(false, Release);
    }

    /// `wait(timeout=None)`: the flag on return (`false` only after a timeout).
    pub fn wait(&self, timeout: Option<f64>) -> bool {
        let deadline = crate::timeout::at_most(timeout);
        let _with = self.cond.enter();
        if self.flag.load(Acquire) {
            return true;
        }
        // As CPython: true when notified, even if the flag was cleared again meanwhile.
        self.cond.wait_deadline(deadline, Why::Wait).unwrap_or(false)
    }
}

impl std::fmt::Debug for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Event").finish_non_exhaustive()
    }
}
