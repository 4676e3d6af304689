//! `Barrier`: CPython's state machine (filling, draining, resetting, broken) under the state
//! lock; waiters sleep on a generation word that every change of phase moves.

use super::{Space, StateLock};
use crate::errors::{BarrierError, PyResult};
use crate::sync::FutexWord;
use crate::timeout::Deadline;
use crate::watch::step::Point;
use crate::watch::{Watched, Why};

pub struct Barrier<S> {
    space: S,
}

/// The state lock, the phase, how many are in the barrier, the parties, the generation
/// waiters sleep on, and who moved it last.
const STATE: u32 = 0;
const PHASE: u32 = 1;
const COUNT: u32 = 2;
const PARTIES: u32 = 3;
const GENERATION: u32 = 4;
/// The token of the thread that last moved the generation: a waiter of another process says
/// who woke it.
const MOVED_BY: u32 = 5;

const FILLING: u32 = 0;
const DRAINING: u32 = 1;
const RESETTING: u32 = 2;
const BROKEN: u32 = 3;

/// What the last party to arrive runs before the others go on (`Barrier(action=...)`).
pub type ActionRef<'a> = Option<&'a (dyn Fn() -> PyResult<()> + Send + Sync)>;

impl<S: Space> Barrier<S> {
    pub const WORDS: u32 = 6;

    /// The words of a barrier for `parties` threads.
    pub fn initial(parties: u32) -> [(u32, u32); 1] {
        [(PARTIES, parties)]
    }

    /// Over `space`, whose words hold [`initial`](Self::initial).
    pub fn new(space: S) -> Self {
        Barrier { space }
    }

    fn get(&self, index: u32) -> u32 {
        self.space.word(index).load()
    }

    fn set(&self, index: u32, value: u32) {
        self.space.word(index).store(value)
    }

    /// Moves the generation: every waiter looks at the phase again.
    fn wake_all(&self) {
        self.space.word(MOVED_BY).store(self.space.token());
        let generation = self.space.word(GENERATION);
        generation.fetch_add(1);
        generation.wake(u32::MAX);
    }

    /// Lets `state` go, sleeps until the generation moves or `deadline`, and takes it again.
    fn sleep(&self, state: StateLock<S::Word<'_>>, deadline: Deadline, watch: &Watched) -> StateLock<S::Word<'_>> {
        let generation = self.space.word(GENERATION);
        let seen = generation.load();
        drop(state);
        {
            let _gil = crate::gil::unlocked();
            pp_platform::stop::check();
            if !generation.spin(seen) {
                let mut blocked = watch.block(Why::Wait, deadline.is_some());
                generation.wait(seen, crate::timeout::remaining(deadline));
                if generation.load() != seen {
                    super::woken_across(&self.space, Some(&mut blocked), self.space.word(MOVED_BY).load());
                }
            }
        }
        StateLock::lock(self.space.word(STATE))
    }

    /// `wait()`: this party's index, 0..parties, once all have arrived; the last to arrive
    /// runs `action` first.
    pub fn wait(&self, deadline: Deadline, action: ActionRef<'_>, watch: &Watched) -> Result<u32, BarrierError> {
        crate::gil::scheduling_point(Point::Wait);
        let mut state = StateLock::lock(self.space.word(STATE));
        while matches!(self.get(PHASE), DRAINING | RESETTING) {
            state = self.sleep(state, None, watch);
        }
        if self.get(PHASE) == BROKEN {
            return Err(BarrierError::Broken);
        }
        let index = self.get(COUNT);
        self.set(COUNT, index + 1);
        let outcome = if index + 1 == self.get(PARTIES) {
            self.release(action, watch)
        } else {
            loop {
                match self.get(PHASE) {
                    FILLING if crate::timeout::expired(deadline) => {
                        self.break_();
                        break Err(BarrierError::Broken);
                    }
                    FILLING => state = self.sleep(state, deadline, watch),
                    DRAINING => break Ok(()),
                    _ => break Err(BarrierError::Broken),
                }
            }
        };
        let count = self.get(COUNT) - 1;
        self.set(COUNT, count);
        if count == 0 && matches!(self.get(PHASE), DRAINING | RESETTING) {
            self.set(PHASE, FILLING);
            self.wake_all();
        }
        drop(state);
        outcome.map(|()| index)
    }

    /// The last arrival lets the others go (and `watch` records that it did).
    fn release(&self, action: ActionRef<'_>, watch: &Watched) -> Result<(), BarrierError> {
        if let Some(action) = action {
            if let Err(e) = action() {
                self.break_();
                return Err(BarrierError::Action(e));
            }
        }
        self.set(PHASE, DRAINING);
        watch.woke();
        self.wake_all();
        Ok(())
    }

    fn break_(&self) {
        self.set(PHASE, BROKEN);
        self.wake_all();
    }

    /// `reset()`: back to empty; threads waiting now get `BrokenBarrierError`.
    pub fn reset(&self) {
        let _state = StateLock::lock(self.space.word(STATE));
        if self.get(COUNT) > 0 {
            if matches!(self.get(PHASE), FILLING | BROKEN) {
                self.set(PHASE, RESETTING);
            }
        } else {
            self.set(PHASE, FILLING);
        }
        self.wake_all();
    }

    /// `abort()`: breaks the barrier for everyone, now and later (until `reset`).
    pub fn abort(&self) {
        let _state = StateLock::lock(self.space.word(STATE));
        self.break_();
    }

    pub fn parties(&self) -> u32 {
        self.get(PARTIES)
    }

    pub fn n_waiting(&self) -> u32 {
        let _state = StateLock::lock(self.space.word(STATE));
        if self.get(PHASE) == FILLING {
            self.get(COUNT)
        } else {
            0
        }
    }

    pub fn broken(&self) -> bool {
        self.get(PHASE) == BROKEN
    }
}
