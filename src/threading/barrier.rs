//! `threading.Barrier`, CPython's state machine: filling, draining, resetting, broken.

use super::condition::{CondLock, Condition};
use super::Lock;
use crate::errors::{BarrierError, PyErr, PyResult};
use crate::platform::clock::Instant;
use crate::watch::{ObjectKind, Why};
use std::cell::UnsafeCell;
use std::sync::Arc;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Filling,
    Draining,
    Resetting,
    Broken,
}

struct Inner {
    state: State,
    count: usize,
}

/// What a barrier runs in one thread once all parties have arrived.
pub type Action = Box<dyn Fn() -> PyResult<()> + Send + Sync>;

pub struct Barrier {
    cond: Condition,
    parties: usize,
    timeout: Option<f64>,
    action: Option<Action>,
    /// Guarded by the condition's lock.
    inner: UnsafeCell<Inner>,
}

// SAFETY: `inner` is only touched while the condition's lock is held, which serializes it.
unsafe impl Sync for Barrier {}
// SAFETY: `Inner` holds plain values and a boxed `Send` action.
unsafe impl Send for Barrier {}

impl Barrier {
    /// `Barrier(parties)`.
    pub fn new(parties: usize) -> PyResult<Barrier> {
        Self::with(parties, None, None)
    }

    /// `Barrier(parties, action=..., timeout=...)`: `action` runs in one thread once all
    /// have arrived; `timeout` is the default of `wait`.
    pub fn with(parties: usize, action: Option<Action>, timeout: Option<f64>) -> PyResult<Barrier> {
        Self::build(parties, action, timeout, None)
    }

    /// A Barrier with a display name for the UI (else `barrier N`).
    pub fn named(parties: usize, name: &str) -> PyResult<Barrier> {
        Self::build(parties, None, None, Some(name))
    }

    /// [`with`](Self::with), with a display name for the UI (else `barrier N`).
    pub fn with_name(
        parties: usize,
        action: Option<Action>,
        timeout: Option<f64>,
        name: Option<&str>,
    ) -> PyResult<Barrier> {
        Self::build(parties, action, timeout, name)
    }

    fn build(parties: usize, action: Option<Action>, timeout: Option<f64>, name: Option<&str>) -> PyResult<Barrier> {
        // CPython 3.13's check (3.11 accepted 0 and then misbehaved).
        if parties < 1 {
            return Err(PyErr::value_error("parties must be > 0"));
        }
        let lock = Arc::new(Lock::with_kind(ObjectKind::Barrier, name));
        let watch = lock.watch_alias();
        Ok(Barrier {
            cond: Condition::internal(CondLock::Lock(lock), watch),
            parties,
            timeout,
            action,
            inner: UnsafeCell::new(Inner { state: State::Filling, count: 0 }),
        })
    }

    #[allow(clippy::mut_from_ref)]
    fn inner(&self) -> &mut Inner {
        // SAFETY: callers hold the condition's lock (every caller is inside `cond.enter()`).
        unsafe { &mut *self.inner.get() }
    }

    /// `wait(timeout=None)`: the thread's arrival index, 0..parties, once all have arrived.
    pub fn wait(&self, timeout: Option<f64>) -> Result<usize, BarrierError> {
        let deadline = crate::timeout::at_most(timeout.or(self.timeout));
        let _with = self.cond.enter();
        self.enter()?;
        let index = self.inner().count;
        self.inner().count += 1;
        let outcome = if index + 1 == self.parties { self.release() } else { self.wait_for_release(deadline) };
        self.inner().count -= 1;
        self.exit();
        outcome.map(|()| index)
    }

    /// Waits while the barrier drains or resets.
    fn enter(&self) -> Result<(), BarrierError> {
        while matches!(self.inner().state, State::Draining | State::Resetting) {
            let _ = self.cond.wait_deadline(None, Why::Wait);
        }
        match self.inner().state {
            State::Broken => Err(BarrierError::Broken),
            _ => Ok(()),
        }
    }

    fn release(&self) -> Result<(), BarrierError> {
        if let Some(action) = &self.action {
            if let Err(e) = action() {
                self.break_();
                return Err(BarrierError::Action(e));
            }
        }
        self.inner().state = State::Draining;
        self.cond.notify_unchecked(usize::MAX);
        Ok(())
    }

    fn wait_for_release(&self, deadline: Option<Instant>) -> Result<(), BarrierError> {
        while self.inner().state == State::Filling {
            let notified = self.cond.wait_deadline(deadline, Why::Wait).unwrap_or(false);
            if !notified && self.inner().state == State::Filling {
                self.break_();
                return Err(BarrierError::Broken);
            }
        }
        match self.inner().state {
            State::Draining => Ok(()),
            _ => Err(BarrierError::Broken),
        }
    }

    fn exit(&self) {
        let inner = self.inner();
        if inner.count == 0 && matches!(inner.state, State::Draining | State::Resetting) {
            inner.state = State::Filling;
            self.cond.notify_unchecked(usize::MAX);
        }
    }

    fn break_(&self) {
        self.inner().state = State::Broken;
        self.cond.notify_unchecked(usize::MAX);
    }

    /// `reset()`: back to empty; threads waiting now get `BrokenBarrierError`.
    pub fn reset(&self) {
        let _with = self.cond.enter();
        let inner = self.inner();
        if inner.count > 0 {
            if matches!(inner.state, State::Filling | State::Broken) {
                inner.state = State::Resetting;
            }
        } else {
            inner.state = State::Filling;
        }
        self.cond.notify_unchecked(usize::MAX);
    }

    /// `abort()`: breaks the barrier for everyone, now and later (until `reset`).
    pub fn abort(&self) {
        let _with = self.cond.enter();
        self.break_();
    }

    pub fn parties(&self) -> usize {
        self.parties
    }

    pub fn n_waiting(&self) -> usize {
        let _with = self.cond.enter();
        let inner = self.inner();
        if inner.state == State::Filling {
            inner.count
        } else {
            0
        }
    }

    pub fn broken(&self) -> bool {
        let _with = self.cond.enter();
        self.inner().state == State::Broken
    }
}

impl std::fmt::Display for Barrier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = self as *const _ as usize;
        if self.broken() {
            return write!(f, "<threading.Barrier at {at:#x}: broken>");
        }
        write!(f, "<threading.Barrier at {at:#x}: waiters={}/{}>", self.n_waiting(), self.parties)
    }
}

impl std::fmt::Debug for Barrier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Barrier").finish_non_exhaustive()
    }
}
