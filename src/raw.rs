//! Unwatched building blocks over the futex: a mutex for the runtime's own bookkeeping (the
//! watch table's ring, the worker pool) and a one-shot parker for a waiting thread. The
//! Python-visible primitives in `threading` are built on these and report to the watch
//! table; these do not, so that the table never watches itself.
//!
//! The mutex is std's futex mutex (`sys/sync/mutex/futex.rs`): 0 unlocked, 1 locked, 2 locked
//! with waiters.

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

/// Why a [`Parker::park`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unpark {
    Unparked,
    Timeout,
}

/// One waiting thread's wake-up word: 0 while waiting, 1 once unparked. Used once.
#[derive(Default)]
pub struct Parker {
    word: AtomicU32,
}

impl Parker {
    pub const fn new() -> Self {
        Parker { word: AtomicU32::new(0) }
    }

    /// Waits until [`unpark`](Self::unpark) or until `deadline`, tolerating spurious wake-ups.
    pub fn park(&self, deadline: Option<crate::platform::clock::Instant>) -> Unpark {
        loop {
            if self.word.load(Acquire) == 1 {
                return Unpark::Unparked;
            }
            let left = crate::platform::clock::remaining(deadline);
            if left == Some(Duration::ZERO) {
                return Unpark::Timeout;
            }
            futex::wait(&self.word, 0, left);
        }
    }

    pub fn is_unparked(&self) -> bool {
        self.word.load(Acquire) == 1
    }

    pub fn unpark(&self) {
        self.word.store(1, Release);
        futex::wake(&self.word, 1);
    }
}
