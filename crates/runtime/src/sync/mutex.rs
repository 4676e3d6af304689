//! The futex mutex, written once: std's (`sys/sync/mutex/futex.rs`) with a deadline and a
//! holder. It serves the runtime's own [`RawMutex`], `threading.Lock` (on a word of the
//! process's memory) and `multiprocessing.Lock` (on a word of the run's segment).
//!
//! The state word is 0 when free; otherwise `holder << 2 | LOCKED`, plus `CONTENDED` when a
//! thread may be asleep waiting for it (so a release must wake one). Keeping the holder in the
//! word makes a lock watchable for free: the acquire that takes it (one compare-exchange)
//! records who holds it, and the page reads it from there when it looks for a deadlock. Like
//! CPython's lock it is not fair: a releasing thread may take it again before a woken waiter
//! runs (the starvation pitfall shows this).

use super::word::FutexWord;
pub use crate::errors::NotLocked;
use pp_platform::clock::{self, Instant};
use std::cell::UnsafeCell;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::AtomicU32;
use std::time::Duration;

pub const UNLOCKED: u32 = 0;
pub const LOCKED: u32 = 1;
pub const CONTENDED: u32 = 2;
const HOLDER_SHIFT: u32 = 2;

/// The state word of a lock held by `holder` (an id the lock's user chooses; 0 for none).
#[inline]
pub const fn held_by(holder: u32) -> u32 {
    holder << HOLDER_SHIFT | LOCKED
}

/// Who holds a lock whose state word is `state` (0: free, or held by holder 0).
pub const fn holder_of(state: u32) -> u32 {
    state >> HOLDER_SHIFT
}

/// Sleeps while the lock is held (at most `timeout`), marked contended first so that its
/// release wakes this thread; `before_sleep` runs just before the sleep. Returns at once if
/// the lock is free or changed meanwhile: for a taker that makes its own tries (the caller
/// loops, as [`lock`] does).
pub fn sleep_while_held(word: &impl FutexWord, timeout: Option<Duration>, before_sleep: impl FnOnce()) {
    let state = word.load();
    if state != UNLOCKED && (state & CONTENDED != 0 || word.compare_exchange(state, state | CONTENDED).is_ok()) {
        before_sleep();
        word.wait(state | CONTENDED, timeout);
    }
}

/// Takes the lock if it is free now, marked contended (a release then wakes a sleeper):
/// for a taker that slept, as others may still sleep.
#[inline]
pub fn try_lock_marked(word: &impl FutexWord, holder: u32) -> bool {
    word.compare_exchange(UNLOCKED, held_by(holder) | CONTENDED).is_ok()
}

/// Takes the lock if it is free now.
#[inline]
pub fn try_lock(word: &impl FutexWord, holder: u32) -> bool {
    word.compare_exchange(UNLOCKED, held_by(holder)).is_ok()
}

/// Takes the lock, waiting until `deadline` (`None`: as long as it takes); `false` if the
/// deadline passed first. `before_sleep(first)` runs before every sleep (`first` the first
/// time): where a caller marks itself blocked and checks whether it must stop.
#[inline]
pub fn lock(word: &impl FutexWord, holder: u32, deadline: Option<Instant>, before_sleep: impl FnMut(bool)) -> bool {
    try_lock(word, holder) || lock_contended(word, holder, deadline, before_sleep)
}

#[cold]
fn lock_contended(
    word: &impl FutexWord,
    holder: u32,
    deadline: Option<Instant>,
    mut before_sleep: impl FnMut(bool),
) -> bool {
    // Once this thread has slept it takes the lock marked CONTENDED, since others may still
    // sleep (std's rule). A thread that only spun does not, so a release after a hand-over
    // between two busy threads wakes nobody.
    let mut slept = false;
    loop {
        let state = word.load();
        if state == UNLOCKED {
            let flags = if slept { CONTENDED } else { 0 };
            if word.compare_exchange(UNLOCKED, held_by(holder) | flags).is_ok() {
                return true;
            }
            continue;
        }
        let left = clock::remaining(deadline);
        if left == Some(Duration::ZERO) {
            return false;
        }
        if !slept && word.spin(state) {
            continue;
        }
        // About to sleep: make sure the release will wake us.
        if state & CONTENDED == 0 && word.compare_exchange(state, state | CONTENDED).is_err() {
            continue;
        }
        before_sleep(!slept);
        slept = true;
        word.wait(state | CONTENDED, left);
    }
}

/// Lets the lock go, waking one sleeper if any may sleep.
#[inline]
pub fn unlock(word: &impl FutexWord) -> Result<(), NotLocked> {
    let state = word.swap(UNLOCKED);
    if state == UNLOCKED {
        return Err(NotLocked);
    }
    if state & CONTENDED != 0 {
        word.wake(1);
    }
    Ok(())
}

/// A mutex around a value for the runtime's own bookkeeping (the watch ring, the worker
/// pool): unwatched, so the watch table never watches itself. Never used on the browser's
/// main thread.
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
// SAFETY: moving the mutex moves the value; `T: Send` makes that sound.
unsafe impl<T: Send> Send for RawMutex<T> {}

#[must_use = "the mutex is unlocked when the guard drops"]
pub struct RawGuard<'a, T> {
    mutex: &'a RawMutex<T>,
}

impl<T> RawMutex<T> {
    pub const fn new(value: T) -> Self {
        RawMutex { state: AtomicU32::new(UNLOCKED), value: UnsafeCell::new(value) }
    }

    #[inline]
    pub fn lock(&self) -> RawGuard<'_, T> {
        lock(&self.state, 0, None, |_| {});
        RawGuard { mutex: self }
    }

    /// The lock if it is free now (a panic hook must not wait on a lock its thread may hold).
    pub fn try_lock(&self) -> Option<RawGuard<'_, T>> {
        try_lock(&self.state, 0).then_some(RawGuard { mutex: self })
    }
}

impl<T> Drop for RawGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // Cannot fail: the guard proves the lock is held.
        let _ = unlock(&self.mutex.state);
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
