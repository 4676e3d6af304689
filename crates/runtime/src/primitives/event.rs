//! `Event`: a flag, and a generation that every `set()` moves and waiters sleep on. A waiter
//! woken by a `set()` returns true even if a `clear()` came before it ran, as CPython's does
//! (its wait on the Condition was notified).

use super::Space;
use crate::sync::FutexWord;
use crate::timeout::Deadline;
use crate::watch::step::Point;
use crate::watch::{Watched, Why};

pub struct Event<S> {
    space: S,
}

const FLAG: u32 = 0;
const GENERATION: u32 = 1;
/// The token of the last `set()`'s thread: a waiter of another process says who woke it.
const SET_BY: u32 = 2;

impl<S: Space> Event<S> {
    pub const WORDS: u32 = 3;

    pub fn new(space: S) -> Self {
        Event { space }
    }

    pub fn is_set(&self) -> bool {
        self.space.word(FLAG).load() == 1
    }

    /// Sets the flag and wakes every waiter (`watch` records who did).
    pub fn set(&self, watch: &Watched) {
        crate::gil::scheduling_point(Point::Set);
        // Before the flag: a waiter that sees the flag names this setter, not an earlier one.
        self.space.word(SET_BY).store(self.space.token());
        self.space.word(FLAG).store(1);
        watch.woke();
        let generation = self.space.word(GENERATION);
        generation.fetch_add(1);
        generation.wake(u32::MAX);
    }

    pub fn clear(&self) {
        self.space.word(FLAG).store(0);
    }

    /// Waits until set or `deadline`: `true` unless the deadline passed with the flag clear.
    pub fn wait(&self, deadline: Deadline, watch: &Watched) -> bool {
        crate::gil::scheduling_point(Point::Wait);
        let generation = self.space.word(GENERATION);
        let seen = generation.load();
        if self.is_set() {
            return true;
        }
        let _gil = crate::gil::unlocked();
        let mut blocked = None;
        loop {
            if self.is_set() || generation.load() != seen {
                super::woken_across(&self.space, blocked.as_mut(), self.space.word(SET_BY).load());
                return true;
            }
            if crate::timeout::expired(deadline) {
                return false;
            }
            pp_platform::stop::check();
            if generation.spin(seen) {
                continue;
            }
            if blocked.is_none() {
                blocked = Some(watch.block(Why::Wait, deadline.is_some()));
            }
            generation.wait(seen, crate::timeout::remaining(deadline));
        }
    }
}
