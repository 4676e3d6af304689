//! A 32-bit word that threads wait on: one in this process's memory ([`AtomicU32`]), or one in
//! the run's shared segment ([`SegWord`]), which every process reaches. The lock algorithm
//! (`super::mutex`) is written once over this trait, so `threading.Lock`, the runtime's own
//! [`super::RawMutex`] and the cross-process lock of `multiprocessing` are one algorithm.
//!
//! The contract is the futex's (std's `sys/sync/futex`): [`FutexWord::wait`] returns at once
//! if the word no longer holds `expected`, and may return spuriously, so callers loop on
//! their own condition. Orderings are fixed per operation (an acquiring compare-exchange, an
//! acquire-release swap): the segment's JS `Atomics` are sequentially consistent anyway.

use pp_platform::futex;
use pp_platform::segment::Segment;
use std::sync::atomic::{AtomicU32, Ordering::*};
use std::time::Duration;

pub trait FutexWord {
    fn load(&self) -> u32;
    /// Release: what the writer did before is visible to whoever loads it.
    fn store(&self, value: u32);
    fn fetch_add(&self, value: u32) -> u32;
    /// Acquire on success: what the previous holder wrote is visible.
    fn compare_exchange(&self, current: u32, new: u32) -> Result<u32, u32>;
    /// Acquire and release: a lock taken or let go with one swap.
    fn swap(&self, new: u32) -> u32;
    /// Watches the word a few microseconds; `true` as soon as it no longer holds `expected`.
    fn spin(&self, expected: u32) -> bool;
    /// Sleeps while the word holds `expected`, at most `timeout`; `false` only on timeout.
    fn wait(&self, expected: u32, timeout: Option<Duration>) -> bool;
    fn wake(&self, count: u32);
}

impl FutexWord for AtomicU32 {
    #[inline]
    fn load(&self) -> u32 {
        AtomicU32::load(self, Acquire)
    }
    #[inline]
    fn store(&self, value: u32) {
        AtomicU32::store(self, value, Release)
    }
    #[inline]
    fn fetch_add(&self, value: u32) -> u32 {
        AtomicU32::fetch_add(self, value, AcqRel)
    }
    #[inline]
    fn compare_exchange(&self, current: u32, new: u32) -> Result<u32, u32> {
        AtomicU32::compare_exchange(self, current, new, Acquire, Relaxed)
    }
    #[inline]
    fn swap(&self, new: u32) -> u32 {
        AtomicU32::swap(self, new, AcqRel)
    }
    fn spin(&self, expected: u32) -> bool {
        futex::spin(self, expected)
    }
    fn wait(&self, expected: u32, timeout: Option<Duration>) -> bool {
        futex::wait(self, expected, timeout)
    }
    fn wake(&self, count: u32) {
        futex::wake(self, count)
    }
}

/// A word of the run's segment, by offset.
#[derive(Clone)]
pub struct SegWord<'a> {
    pub segment: &'a Segment,
    pub at: u32,
}

impl FutexWord for SegWord<'_> {
    fn load(&self) -> u32 {
        self.segment.load(self.at)
    }
    fn store(&self, value: u32) {
        self.segment.store(self.at, value)
    }
    fn fetch_add(&self, value: u32) -> u32 {
        self.segment.fetch_add(self.at, value)
    }
    fn compare_exchange(&self, current: u32, new: u32) -> Result<u32, u32> {
        self.segment.cas(self.at, current, new)
    }
    fn swap(&self, new: u32) -> u32 {
        self.segment.swap(self.at, new)
    }
    fn spin(&self, expected: u32) -> bool {
        self.segment.spin(self.at, expected)
    }
    fn wait(&self, expected: u32, timeout: Option<Duration>) -> bool {
        self.segment.wait(self.at, expected, timeout)
    }
    fn wake(&self, count: u32) {
        self.segment.notify(self.at, count)
    }
}

/// A word reached through a reference is the word.
impl<W: FutexWord + ?Sized> FutexWord for &W {
    fn load(&self) -> u32 {
        (**self).load()
    }
    fn store(&self, value: u32) {
        (**self).store(value)
    }
    fn fetch_add(&self, value: u32) -> u32 {
        (**self).fetch_add(value)
    }
    fn compare_exchange(&self, current: u32, new: u32) -> Result<u32, u32> {
        (**self).compare_exchange(current, new)
    }
    fn swap(&self, new: u32) -> u32 {
        (**self).swap(new)
    }
    fn spin(&self, expected: u32) -> bool {
        (**self).spin(expected)
    }
    fn wait(&self, expected: u32, timeout: Option<Duration>) -> bool {
        (**self).wait(expected, timeout)
    }
    fn wake(&self, count: u32) {
        (**self).wake(count)
    }
}
