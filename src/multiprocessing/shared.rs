//! The building blocks every cross-process object is made of, all living in the run's
//! shared segment (`platform::segment`) and addressed by offset:
//!
//! - [`SegLock`]: the runtime's one futex mutex on a segment word, with a deadline and a
//!   guard, releasable by any process (a `multiprocessing.Lock` is a semaphore);
//! - [`WaitList`]: a FIFO of sleeping waiters, each on a parker word of its own, so that
//!   `notify(n)` wakes exactly the `n` longest waiters (the threading Condition's design);
//! - the message ring of queues and pipes is in `ring`.
//!
//! Objects in the segment are never freed (see `platform::segment`).

use crate::errors::SegmentFull;
use crate::platform::clock::Instant;
use crate::platform::segment::Segment;
use crate::runtime::Runtime;
use crate::sync::{mutex, RawMutex, SegWord};
use crate::watch::{ObjectKind, Watched, Why};
use std::sync::Arc;

/// The run's segment, as seen by the calling thread.
pub fn segment() -> Segment {
    crate::runtime::Runtime::current().segment()
}

fn expired(deadline: Option<Instant>) -> bool {
    crate::timeout::expired(deadline)
}

/// Sleeps on a segment word while it holds `expected` (or until `deadline`), with the GIL
/// released; `false` on timeout. It may return early (natively a segment wait returns every
/// 50 ms so that a terminated process stops: see `platform::stop`); callers loop.
pub fn wait_word(seg: &Segment, at: u32, expected: u32, deadline: Option<Instant>) -> bool {
    let _gil = crate::gil::unlocked();
    crate::platform::stop::check();
    seg.spin(at, expected) || seg.wait(at, expected, crate::timeout::remaining(deadline))
}

/// The calling thread's id across the run: its process and its watch id. A segment lock
/// holds it while held, so the page can tell who holds a lock another process waits for.
pub fn run_thread_id() -> u32 {
    Runtime::current().process.pid << 10 | crate::watch::my_id()
}

/// A lock on one segment word: the runtime's one futex mutex (`sync::mutex`), releasable by
/// any process (a `multiprocessing.Lock` is a semaphore), holding the holder's
/// [`run_thread_id`].
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

    /// `true` once held; `false` if `deadline` passed first.
    pub fn acquire(&self, seg: &Segment, deadline: Option<Instant>) -> bool {
        let me = run_thread_id();
        if mutex::try_lock(&self.word(seg), me) {
            return true;
        }
        let _gil = crate::gil::unlocked();
        mutex::lock(&self.word(seg), me, deadline, |_| crate::platform::stop::check())
    }

    /// [`acquire`](Self::acquire) for a lock a program sees (a `multiprocessing.Lock`): a
    /// thread that has to sleep for it shows in its process's watch table as blocked on
    /// `watch`, this process's view of the lock (see [`SharedLocks`]), so the page can draw a
    /// deadlock that passes through several processes.
    pub fn acquire_watched(&self, seg: &Segment, deadline: Option<Instant>, watch: &Watched) -> bool {
        let me = run_thread_id();
        if mutex::try_lock(&self.word(seg), me) {
            return true;
        }
        let _gil = crate::gil::unlocked();
        let mut blocked = None;
        mutex::lock(&self.word(seg), me, deadline, |first| {
            if first {
                blocked = Some(watch.block(Why::Acquire, deadline.is_some()));
            }
            crate::platform::stop::check();
        })
    }

    /// `false` if it was not held (the caller raises the right error).
    pub fn release(&self, seg: &Segment) -> bool {
        mutex::unlock(&self.word(seg)).is_ok()
    }

    /// Holds the lock until the guard drops (the segment's own bookkeeping: rings, lists).
    pub fn lock<'a>(&self, seg: &'a Segment) -> SegGuard<'a> {
        self.acquire(seg, None);
        SegGuard { seg, lock: *self }
    }
}

/// This process's view of the segment's locks in its watch table (a [`Runtime`] extension):
/// one watched object per lock, made when a thread of the process first waits for it, named
/// by the lock's run-wide number and pointing at its lock word (`Watched::set_shared`).
#[derive(Default)]
pub struct SharedLocks {
    by_at: RawMutex<Vec<(u32, Arc<Watched>)>>,
}

impl SharedLocks {
    /// The watched object of the lock whose word is at `at`.
    pub fn watch(at: u32, kind: ObjectKind, label: impl FnOnce() -> String) -> Arc<Watched> {
        let locks = Runtime::current().extension::<SharedLocks>();
        let mut by_at = locks.by_at.lock();
        if let Some((_, w)) = by_at.iter().find(|(a, _)| *a == at) {
            return w.clone();
        }
        let watched = Arc::new(Watched::new(kind, Some(&label())));
        watched.set_shared(at);
        by_at.push((at, watched.clone()));
        watched
    }
}

#[must_use = "the lock is released when the guard drops"]
pub struct SegGuard<'a> {
    seg: &'a Segment,
    lock: SegLock,
}

impl Drop for SegGuard<'_> {
    fn drop(&mut self) {
        self.lock.release(self.seg);
    }
}

thread_local! {
    /// This thread's parker word in each segment it has waited in (by segment length and
    /// the offset itself: natively several runs' segments coexist; a parker is never freed).
    static PARKERS: std::cell::RefCell<Vec<(usize, u32)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The calling thread's parker word in `seg` (allocated on first use).
pub(super) fn my_parker(seg: &Segment) -> Result<u32, SegmentFull> {
    let key = seg.identity();
    if let Some(at) = PARKERS.with(|p| p.borrow().iter().find(|(k, _)| *k == key).map(|(_, at)| *at)) {
        return Ok(at);
    }
    let at = seg.alloc(4)?;
    PARKERS.with(|p| p.borrow_mut().push((key, at)));
    Ok(at)
}

/// A FIFO of waiting threads (of any process): `[lock][count][slots...]`, each slot the
/// offset of a waiter's parker word (0 while waiting, 1 once woken).
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct WaitList {
    at: u32,
}

/// Waiters one list holds at once; more is an error, said plainly.
pub const MAX_WAITERS: u32 = 256;

/// Why a [`WaitList::wait`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Woken {
    Notified,
    TimedOut,
}

impl WaitList {
    pub const BYTES: u32 = 8 + 4 * MAX_WAITERS;

    pub fn at(at: u32) -> WaitList {
        WaitList { at }
    }

    fn lock(&self) -> SegLock {
        SegLock::at(self.at)
    }
    fn count_at(&self) -> u32 {
        self.at + 4
    }
    fn slot(&self, i: u32) -> u32 {
        self.at + 8 + 4 * i
    }

    /// Queues the calling thread; call with the guarded state's lock held, then release
    /// that lock, then [`sleep`](Self::sleep). Returns the thread's parker.
    pub fn enqueue(&self, seg: &Segment) -> Result<u32, crate::PyErr> {
        let parker = my_parker(seg)?;
        seg.store(parker, 0);
        let _locked = self.lock().lock(seg);
        let n = seg.load(self.count_at());
        if n >= MAX_WAITERS {
            return Err(crate::PyErr::runtime_error(format!(
                "more than {MAX_WAITERS} processes or threads wait on one object"
            )));
        }
        seg.store(self.slot(n), parker);
        seg.store(self.count_at(), n + 1);
        Ok(parker)
    }

    /// Sleeps until woken or `deadline`. A timed-out waiter takes itself off the list; if a
    /// notify took it off first, the notification counts (none is lost).
    pub fn sleep(&self, seg: &Segment, parker: u32, deadline: Option<Instant>) -> Woken {
        loop {
            if seg.load(parker) == 1 {
                return Woken::Notified;
            }
            if expired(deadline) {
                break;
            }
            wait_word(seg, parker, 0, deadline);
        }
        let mine = {
            let _locked = self.lock().lock(seg);
            let n = seg.load(self.count_at());
            let mine = (0..n).find(|&i| seg.load(self.slot(i)) == parker);
            if let Some(i) = mine {
                for j in i..n - 1 {
                    seg.store(self.slot(j), seg.load(self.slot(j + 1)));
                }
                seg.store(self.count_at(), n - 1);
            }
            mine
        };
        if mine.is_some() {
            Woken::TimedOut
        } else {
            Woken::Notified
        }
    }

    /// Wakes up to `n` waiters, longest first; returns how many.
    pub fn notify(&self, seg: &Segment, n: u32) -> u32 {
        let _locked = self.lock().lock(seg);
        let waiting = seg.load(self.count_at());
        let woken = n.min(waiting);
        for i in 0..woken {
            let parker = seg.load(self.slot(i));
            seg.store(parker, 1);
            seg.notify(parker, 1);
        }
        for j in woken..waiting {
            seg.store(self.slot(j - woken), seg.load(self.slot(j)));
        }
        seg.store(self.count_at(), waiting - woken);
        woken
    }
}
