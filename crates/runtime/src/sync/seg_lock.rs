//! A lock on one word of the run's segment, for the segment's own bookkeeping (a ring's
//! reader and writer, a wait list): the one futex mutex (`super::mutex`), unwatched, as
//! [`super::RawMutex`] is for this process's memory. Held for a few loads and stores only.

use super::mutex;
use super::word::SegWord;
use pp_platform::segment::Segment;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SegLock {
    pub at: u32,
}

impl SegLock {
    pub const BYTES: u32 = 4;

    pub fn at(at: u32) -> SegLock {
        SegLock { at }
    }

    fn word<'a>(&self, seg: &'a Segment) -> SegWord<'a> {
        SegWord { segment: seg, at: self.at }
    }

    /// Holds the lock until the guard drops. (Natively a terminated process stops while it
    /// waits here: see `pp_platform::stop`.)
    pub fn lock<'a>(&self, seg: &'a Segment) -> SegGuard<'a> {
        mutex::lock(&self.word(seg), 0, None, |_| pp_platform::stop::check());
        SegGuard { seg, lock: *self }
    }
}

#[must_use = "the lock is released when the guard drops"]
pub struct SegGuard<'a> {
    seg: &'a Segment,
    lock: SegLock,
}

impl Drop for SegGuard<'_> {
    fn drop(&mut self) {
        // Cannot fail: the guard proves the lock is held.
        let _ = mutex::unlock(&self.lock.word(self.seg));
    }
}
