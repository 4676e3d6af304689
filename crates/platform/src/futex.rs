//! Wait on a 32-bit word until another thread wakes it: Linux's `futex`, or wasm's
//! `memory.atomic.wait32` / `memory.atomic.notify` (which trap on the browser's main thread:
//! nothing in a run ever waits there, the UI only reads).
//!
//! Same contract as std's `sys/sync/futex`: [`wait`] returns at once if the word no longer
//! holds `expected`; it may return spuriously, so callers loop on their own condition.
//!
//! Waits come in two steps, [`spin`] then [`wait`]: a hand-over between two busy threads (a
//! queue ping-pong) then never pays for a sleep and a wake-up in the kernel or the browser's
//! futex emulation, which cost 10-20 us on these machines (plain-JS `Atomics.wait` round
//! trips measure about 5 us here, so the browser's own wait spins too). Between the two
//! steps the callers record, in the watch table, that the thread really sleeps: a wait that
//! ended while spinning is not drawn as one.

use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::time::Duration;

/// Blocks while `word == expected`, for at most `timeout` (`None` waits forever).
/// Returns `false` only when the timeout expired.
pub fn wait(word: &AtomicU32, expected: u32, timeout: Option<Duration>) -> bool {
    imp::wait(word, expected, timeout)
}

/// Watches the word for a few microseconds; `true` as soon as it no longer holds `expected`
/// (then the caller need not sleep), `false` if it still does.
pub fn spin(word: &AtomicU32, expected: u32) -> bool {
    for _ in 0..SPIN.load(Relaxed) {
        if word.load(Relaxed) != expected {
            return true;
        }
        std::hint::spin_loop();
    }
    false
}

/// Longer than a hand-over between two running threads, far shorter than the waits a
/// program means (a sleep, a join, an empty queue): 10-20 us on these machines. The count
/// differs because a look costs a nanosecond in wasm (no pause instruction) and about 25 ns
/// natively (x86 `pause`). The benchmark's `spin_window` row measures the window, and its
/// `spin` parameter shows the trade-off (BENCHMARKS.md).
#[cfg(target_arch = "wasm32")]
pub const DEFAULT_SPIN: u32 = 16000;
#[cfg(not(target_arch = "wasm32"))]
pub const DEFAULT_SPIN: u32 = 500;
static SPIN: AtomicU32 = AtomicU32::new(DEFAULT_SPIN);

/// Sets how many times [`spin`] looks (0: never spin). The benchmark's `spin` parameter.
pub fn set_spin_iterations(n: u32) {
    SPIN.store(n, Relaxed);
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
