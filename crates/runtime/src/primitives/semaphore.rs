//! `Semaphore` and `BoundedSemaphore`: a counter under the state lock, and a FIFO of waiters
//! that a release wakes one per unit (CPython's, a counter under a Condition).

use super::waiters::WaitQueue;
use super::{Space, StateLock};
use crate::errors::PyResult;
use crate::sync::FutexWord;
use crate::timeout::Deadline;
use crate::watch::step::Point;
use crate::watch::{Watched, Why};

pub struct Semaphore<S> {
    space: S,
}

/// The state lock, the counter, and the bound ([`UNBOUNDED`] for a plain Semaphore).
const STATE: u32 = 0;
const VALUE: u32 = 1;
const BOUND: u32 = 2;

/// The bound of a semaphore that has none.
pub const UNBOUNDED: u32 = u32::MAX;

/// A release above a BoundedSemaphore's initial value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReleasedTooMany;

impl<S: Space> Semaphore<S> {
    pub const WORDS: u32 = 3;

    /// The words of a semaphore holding `value`, bounded by `bound` if any.
    pub fn initial(value: u32, bound: Option<u32>) -> [(u32, u32); 2] {
        [(VALUE, value), (BOUND, bound.unwrap_or(UNBOUNDED))]
    }

    /// Over `space`, whose words hold [`initial`](Self::initial).
    pub fn new(space: S) -> Self {
        Semaphore { space }
    }

    /// Takes a unit, waiting until `deadline` when `blocking`; `false` if none was taken.
    pub fn acquire(&self, blocking: bool, deadline: Deadline, watch: &Watched) -> PyResult<bool> {
        crate::gil::scheduling_point(Point::Acquire);
        let waiters = self.space.waiters();
        let mut woken = false;
        loop {
            // In a run that records or replays its order, a woken waiter's next try is a step
            // of its own (see `lock::acquire_in_turns`).
            if woken && crate::watch::order::run_ordered() {
                crate::gil::scheduling_point(Point::Acquire);
            }
            woken = true;
            let ticket = {
                let _state = StateLock::lock(self.space.word(STATE));
                let value = self.space.word(VALUE).load();
                if value > 0 {
                    self.space.word(VALUE).store(value - 1);
                    return Ok(true);
                }
                if !blocking || crate::timeout::expired(deadline) {
                    return Ok(false);
                }
                waiters.enqueue()?
            };
            let _gil = crate::gil::unlocked();
            pp_platform::stop::check();
            let mut blocked = None;
            let (_, by) =
                waiters.sleep(ticket, deadline, || blocked = Some(watch.block(Why::Acquire, deadline.is_some())));
            super::notified_by(&self.space, blocked.as_mut(), by);
        }
    }

    /// Gives `n` units back, waking up to `n` waiters (and telling `watch` who woke them).
    pub fn release(&self, n: u32, watch: &Watched) -> Result<(), ReleasedTooMany> {
        crate::gil::scheduling_point(Point::Release);
        {
            let _state = StateLock::lock(self.space.word(STATE));
            let value = self.space.word(VALUE).load();
            let bound = self.space.word(BOUND).load();
            match value.checked_add(n) {
                Some(v) if bound == UNBOUNDED || v <= bound => self.space.word(VALUE).store(v),
                _ => return Err(ReleasedTooMany),
            }
        }
        self.space.waiters().notify(n as usize, self.space.token(), watch.records_wakers());
        Ok(())
    }

    /// The current value (`_value`, shown in the repr; `get_value()`).
    pub fn value(&self) -> u32 {
        self.space.word(VALUE).load()
    }

    /// The bound of a BoundedSemaphore.
    pub fn bound(&self) -> Option<u32> {
        Some(self.space.word(BOUND).load()).filter(|&b| b != UNBOUNDED)
    }
}
