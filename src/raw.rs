//! Unwatched building blocks over the futex: a mutex for the runtime's own bookkeeping (the
//! watch table's ring, the worker pool) and a one-shot parker for a waiting thread. The
//! Python-visible primitives in `threading` are built on these and report to the watch
//! table; these do not, so that the table never watches itself.
//!
//! The mutex is std's futex mutex (`sys/sync/mutex/futex.rs`): 0 unlocked, 1 locked, 2 locked
//! with waiters.

use crate::platform::clock::{self, Instant};
use crate::platform::futex;
use std::cell::UnsafeCell;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU32, Ordering::*};
use std::time::Duration;

const UNLOCKED: u32 = 0;
const LOCKED: u32 = 1;
const CONTENDED: u32 = 2;

/// A futex mutex around a value. Never used on the browser's main thread.
pub struct RawMutex<T> {
    state: AtomicU32,
    value: UnsafeCell<T>,
}

impl<T: Default> Default for RawMutex<T> {
    fn default() -> Self {
        RawMutex::new(T::default())
    }
}

// SAFETY: access to `value` is serialized by `state`, as in std's Mutex.
unsafe impl<T: Send> Sync for RawMutex<T> {}
unsafe impl<T: Send> Send for RawMutex<T> {}

pub struct RawGuard<'a, T> {
    mutex: &'a RawMutex<T>,
}

impl<T> RawMutex<T> {
    pub const fn new(value: T) -> Self {
        RawMutex { state: AtomicU32::new(UNLOCKED), value: UnsafeCell::new(value) }
    }

    #[inline]
    pub fn lock(&self) -> RawGuard<'_, T> {
        if self.state.compare_exchange(UNLOCKED, LOCKED, Acquire, Relaxed).is_err() {
            self.lock_contended();
        }
        RawGuard { mutex: self }
    }

    /// The lock if it is free now (a panic hook must not wait on a lock its thread may hold).
    pub fn try_lock(&self) -> Option<RawGuard<'_, T>> {
        self.state.compare_exchange(UNLOCKED, LOCKED, Acquire, Relaxed).ok().map(|_| RawGuard { mutex: self })
    }

    #[cold]
    fn lock_contended(&self) {
        let mut spins = 100;
        while spins > 0 && self.state.load(Relaxed) == LOCKED {
            std::hint::spin_loop();
            spins -= 1;
        }
        if self.state.compare_exchange(UNLOCKED, LOCKED, Acquire, Relaxed).is_ok() {
            return;
        }
        while self.state.swap(CONTENDED, Acquire) != UNLOCKED {
            futex::wait(&self.state, CONTENDED, None);
        }
    }
}

impl<T> Drop for RawGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        if self.mutex.state.swap(UNLOCKED, Release) == CONTENDED {
            futex::wake(&self.mutex.state, 1);
        }
    }
}

impl<T> Deref for RawGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard proves we hold the lock.
        unsafe { &*self.mutex.value.get() }
    }
}

impl<T> DerefMut for RawGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard proves we hold the lock, exclusively.
        unsafe { &mut *self.mutex.value.get() }
    }
}

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

    pub fn is_unparked(&self) -> bool {
        self.flag.is_set()
    }

    pub fn unpark(&self) {
        self.flag.set(1);
    }
}
