//! One-shot flags a thread waits for: a thread's "started" and "finished" ([`OneShot`]), and a
//! parked waiter's wake-up ([`Parker`]), which a condition variable hands out one per wait.

use pp_platform::clock::{self, Instant};
use pp_platform::futex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::*};
use std::time::Duration;

/// A one-shot flag threads wait for: a parked condition waiter, a thread's "started" and
/// "finished". Waiters spin first, then sleep; the word says whether anyone sleeps, so that
/// setting it pays for a wake-up (a syscall, or a call into the browser's futex emulation)
/// only when a waiter really sleeps.
#[derive(Default)]
pub struct OneShot {
    /// `CLEAR`, `SET`, or `CLEAR_SLEEPING` (clear, and a waiter may be asleep).
    word: AtomicU32,
}

const CLEAR: u32 = 0;
const SET: u32 = 1;
const CLEAR_SLEEPING: u32 = 2;

impl OneShot {
    pub const fn new() -> Self {
        OneShot { word: AtomicU32::new(CLEAR) }
    }

    pub fn is_set(&self) -> bool {
        self.word.load(Acquire) == SET
    }

    /// Sets it, waking up to `count` sleeping waiters; whether any was asleep.
    pub fn set(&self, count: u32) -> bool {
        let sleeping = self.word.swap(SET, Release) == CLEAR_SLEEPING;
        if sleeping {
            futex::wake(&self.word, count);
        }
        sleeping
    }

    /// Waits until set (`true`) or until `deadline` (`false`), tolerating spurious wake-ups.
    /// `on_sleep` runs once, just before the thread first really sleeps: the place to tell
    /// the watch table, so that a wait that ended while spinning is not drawn as one.
    pub fn wait(&self, deadline: Option<Instant>, on_sleep: impl FnOnce()) -> bool {
        let mut on_sleep = Some(on_sleep);
        loop {
            let state = self.word.load(Acquire);
            if state == SET {
                return true;
            }
            let left = clock::remaining(deadline);
            if left == Some(Duration::ZERO) {
                return false;
            }
            if on_sleep.is_some() {
                if futex::spin(&self.word, state) {
                    continue;
                }
                if state == CLEAR && self.word.compare_exchange(CLEAR, CLEAR_SLEEPING, Relaxed, Relaxed).is_err() {
                    continue;
                }
                if let Some(f) = on_sleep.take() {
                    f();
                }
            }
            futex::wait(&self.word, CLEAR_SLEEPING, left);
        }
    }
}

/// Why a [`Parker::park`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unpark {
    /// Unparked by the thread with this token (0: not said) at this time (0: not stamped).
    Unparked {
        by: u32,
        at_us: u64,
    },
    Timeout,
}

/// One waiting thread's wake-up: a [`OneShot`] that wakes one, and who set it (the
/// timeline's who-woke-whom arrow), written beside the flag: the woken thread learns it
/// exactly, from the cache line the wake-up brings it anyway.
#[derive(Default)]
pub struct Parker {
    flag: OneShot,
    by: AtomicU32,
    at_us: AtomicU64,
}

thread_local! {
    /// The calling thread's spare parker: a waiting thread waits on one parker at a time, so
    /// each wait need not allocate one (allocation takes the wasm allocator's global lock).
    static SPARE: std::cell::Cell<Option<std::sync::Arc<Parker>>> = const { std::cell::Cell::new(None) };
}

impl Parker {
    pub const fn new() -> Self {
        Parker { flag: OneShot::new(), by: AtomicU32::new(0), at_us: AtomicU64::new(0) }
    }

    /// A fresh parker for the calling thread: its spare one if it has it back, else a new.
    pub fn for_this_thread() -> std::sync::Arc<Parker> {
        SPARE.with(|s| s.take()).unwrap_or_else(|| std::sync::Arc::new(Parker::new()))
    }

    /// Gives a used parker back for the next wait, if no one else still holds it (a notifier
    /// may, for an instant, after unparking).
    pub fn recycle(mut parker: std::sync::Arc<Parker>) {
        if let Some(p) = std::sync::Arc::get_mut(&mut parker) {
            *p = Parker::new();
            SPARE.with(|s| s.set(Some(parker)));
        }
    }

    /// Waits until [`unpark`](Self::unpark) or until `deadline` (see [`OneShot::wait`]).
    pub fn park(&self, deadline: Option<Instant>, on_sleep: impl FnOnce()) -> Unpark {
        if self.flag.wait(deadline, on_sleep) {
            // `by` came with the flag's Release; `at_us` comes after the wake-up, and may not
            // be there yet (0: the waiter's own wake-up time stands for it).
            Unpark::Unparked { by: self.by.load(Relaxed), at_us: self.at_us.load(Relaxed) }
        } else {
            Unpark::Timeout
        }
    }

    /// Who unparked it and when, as [`park`](Self::park) would have said (a waiter that timed
    /// out and finds itself notified anyway).
    pub fn unparked_by(&self) -> (u32, u64) {
        (self.by.load(Relaxed), self.at_us.load(Relaxed))
    }

    /// Wakes the parked thread, telling it that the thread `by` did (a token; 0: nobody is
    /// named) and, if it slept, when. The clock is read only for a sleeper, and after the
    /// wake-up: a clock read before it delayed every wake-up enough that a queue's round trip
    /// cost a tenth to a third more natively (the waiter missed, spinning, more often).
    pub fn unpark(&self, by: u32) {
        self.by.store(by, Relaxed);
        if self.flag.set(1) && by != 0 {
            self.at_us.store(clock::stamp_us().max(1), Relaxed);
        }
    }
}
