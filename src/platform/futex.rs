//! Wait on a 32-bit word until another thread wakes it: Linux's `futex`, or wasm's
//! `memory.atomic.wait32` / `memory.atomic.notify` (which trap on the browser's main thread:
//! nothing in a run ever waits there, the UI only reads).
//!
//! Same contract as std's `sys/sync/futex`: [`wait`] returns at once if the word no longer
//! holds `expected`; it may return spuriously, so callers loop on their own condition.

use std::sync::atomic::AtomicU32;
use std::time::Duration;

/// Blocks while `word == expected`, for at most `timeout` (`None` waits forever).
/// Returns `false` only when the timeout expired.
pub fn wait(word: &AtomicU32, expected: u32, timeout: Option<Duration>) -> bool {
    imp::wait(word, expected, timeout)
}

/// Wakes up to `count` threads waiting on `word`.
pub fn wake(word: &AtomicU32, count: u32) {
    imp::wake(word, count)
}

/// Wakes every thread waiting on `word`.
pub fn wake_all(word: &AtomicU32) {
    imp::wake(word, u32::MAX)
}

#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
mod imp {
    use super::*;
    use core::arch::wasm32;

    pub fn wait(word: &AtomicU32, expected: u32, timeout: Option<Duration>) -> bool {
        let ns = timeout.map_or(-1, |d| d.as_nanos().min(i64::MAX as u128) as i64);
        // SAFETY: the pointer comes from a live AtomicU32, which has the alignment and size
        // memory.atomic.wait32 requires.
        let r = unsafe { wasm32::memory_atomic_wait32(word.as_ptr() as *mut i32, expected as i32, ns) };
        r != 2 // 0 = woken, 1 = value differed, 2 = timed out
    }

    pub fn wake(word: &AtomicU32, count: u32) {
        // SAFETY: as in `wait`.
        unsafe { wasm32::memory_atomic_notify(word.as_ptr() as *mut i32, count) };
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use super::*;

    pub fn wait(word: &AtomicU32, expected: u32, timeout: Option<Duration>) -> bool {
        let ts = timeout.map(|d| libc::timespec {
            tv_sec: d.as_secs().min(libc::time_t::MAX as u64) as libc::time_t,
            tv_nsec: d.subsec_nanos() as _,
        });
        let ts_ptr = ts.as_ref().map_or(std::ptr::null(), |t| t as *const libc::timespec);
        // SAFETY: FUTEX_WAIT reads the word atomically and compares it; the pointers are valid
        // for the duration of the call.
        let r = unsafe {
            libc::syscall(libc::SYS_futex, word.as_ptr(), libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG, expected, ts_ptr)
        };
        !(r < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ETIMEDOUT))
    }

    pub fn wake(word: &AtomicU32, count: u32) {
        let count = count.min(i32::MAX as u32) as i32;
        // SAFETY: FUTEX_WAKE only uses the address as a key.
        unsafe {
            libc::syscall(libc::SYS_futex, word.as_ptr(), libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG, count);
        }
    }
}

/// Other native systems: an emulation keyed by address (parking_lot's idea, at its simplest).
/// Waking everyone in the bucket is allowed: callers tolerate spurious wake-ups.
#[cfg(not(any(target_os = "linux", target_arch = "wasm32")))]
mod imp {
    use super::*;
    use std::sync::atomic::Ordering;
    use std::sync::{Condvar, Mutex};

    const BUCKETS: usize = 64;
    static TABLE: [(Mutex<()>, Condvar); BUCKETS] = [const { (Mutex::new(()), Condvar::new()) }; BUCKETS];

    fn bucket(word: &AtomicU32) -> &'static (Mutex<()>, Condvar) {
        &TABLE[(word.as_ptr() as usize >> 2) % BUCKETS]
    }

    pub fn wait(word: &AtomicU32, expected: u32, timeout: Option<Duration>) -> bool {
        let (lock, cv) = bucket(word);
        let guard = lock.lock().unwrap();
        if word.load(Ordering::SeqCst) != expected {
            return true;
        }
        match timeout {
            None => drop(cv.wait(guard).unwrap()),
            Some(d) => return !cv.wait_timeout(guard, d).unwrap().1.timed_out(),
        }
        true
    }

    pub fn wake(word: &AtomicU32, _count: u32) {
        let (lock, cv) = bucket(word);
        drop(lock.lock().unwrap());
        cv.notify_all();
    }
}
