//! One-shot flags a thread waits for: a thread's "started" and "finished" ([`OneShot`]), and a
//! parked waiter's wake-up ([`Parker`]), which a condition variable hands out one per wait.

use pp_platform::clock::{self, Instant};
use pp_platform::futex;
use std::sync::atomic::{AtomicU32, Ordering::*};
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

    /// Sets it, waking up to `count` sleeping waiters.
    pub fn set(&self, count: u32) {
        if self.word.swap(SET, Release) == CLEAR_SLEEPING {
            futex::wake(&self.word, count);
        }
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
    Unparked,
    Timeout,
}

/// One waiting thread's wake-up: a [`OneShot`] that wakes one. Used once.
#[derive(Default)]
pub struct Parker {
    flag: OneShot,
}

thread_local! {
    /// The calling thread's spare parker: a waiting thread waits on one parker at a time, so
    /// each wait need not allocate one (allocation takes the wasm allocator's global lock).
    static SPARE: std::cell::Cell<Option<std::sync::Arc<Parker>>> = const { std::cell::Cell::new(None) };
}

impl Parker {
    pub const fn new() -> Self {
        Parker { flag: OneShot::new() }
    }

    /// A fresh parker for the calling thread: its spare one if it has it back, else a new.
    pub fn for_this_thread() -> std::sync::Arc<Parker> {
        SPARE.with(|s| s.take()).unwrap_or_else(|| std::sync::Arc::new(Parker::new()))
    }

    /// Gives a used parker back for the next wait, if no one else still holds it (a notifier
    /// may, for an instant, after unparking).
    pub fn recycle(mut parker: std::sync::Arc<Parker>) {
        if let Some(p) = std::sync::Arc::get_mut(&mut parker) {
            p.flag = OneShot::new();
            SPARE.with(|s| s.set(Some(parker)));
        }
    }

    /// Waits until [`unpark`](Self::unpark) or until `deadline` (see [`OneShot::wait`]).
    pub fn park(&self, deadline: Option<Instant>, on_sleep: impl FnOnce()) -> Unpark {
        if self.flag.wait(deadline, on_sleep) {
            Unpark::Unparked
        } else {
            Unpark::Timeout
        }
    }

    pub fn unpark(&self) {
        self.flag.set(1);
    }
}
