//! A FIFO of sleeping threads, each on a parker of its own, so that `notify(n)` wakes exactly
//! the `n` longest waiters (CPython's Condition design): in this process's memory
//! ([`LocalWaiters`]) or in the run's segment ([`WaitList`], waiters of any process).

use crate::errors::{PyErr, PyResult};
use crate::sync::{Parker, RawMutex, Unpark};
use crate::timeout::Deadline;
use pp_platform::segment::{Segment, SegmentFull};
use std::collections::VecDeque;
use std::sync::Arc;

/// Why a wait ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Woken {
    Notified,
    TimedOut,
}

/// Who ended a wait: the notifier's token in the wait's space (0: not known, or the run
/// records no wakers) and when (0: not known; the waiter stamps its wake-up instead).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Notifier {
    pub token: u32,
    pub at_us: u64,
}

/// A queue of waiting threads. The caller holds the guarded state's lock to
/// [`enqueue`](Self::enqueue), releases it, then [`sleep`](Self::sleep)s: a notify between the
/// two is not lost, since the waiter is already queued.
pub trait WaitQueue {
    type Ticket;
    fn enqueue(&self) -> PyResult<Self::Ticket>;
    /// Sleeps until notified or `deadline`. A waiter that times out takes itself off the
    /// queue; if a notify took it off first, the notification counts (none is lost).
    /// `on_sleep` runs once, just before the thread first really sleeps. With the outcome,
    /// who notified it (the timeline's arrow).
    fn sleep(&self, ticket: Self::Ticket, deadline: Deadline, on_sleep: impl FnOnce()) -> (Woken, Notifier);
    /// Wakes up to `n` waiters, longest first, as the thread `token` names (the space's
    /// token of the caller), telling them so if `recorded` (`Watched::records_wakers`);
    /// returns how many.
    fn notify(&self, n: usize, token: u32, recorded: bool) -> usize;
}

/// Waiters of this process.
#[derive(Default)]
pub struct LocalWaiters {
    queue: RawMutex<VecDeque<Arc<Parker>>>,
}

impl WaitQueue for &LocalWaiters {
    type Ticket = Arc<Parker>;

    fn enqueue(&self) -> PyResult<Arc<Parker>> {
        let parker = Parker::for_this_thread();
        self.queue.lock().push_back(parker.clone());
        Ok(parker)
    }

    fn sleep(&self, parker: Arc<Parker>, deadline: Deadline, on_sleep: impl FnOnce()) -> (Woken, Notifier) {
        let mut by = Notifier::default();
        let woken = match parker.park(deadline, on_sleep) {
            Unpark::Unparked { by: token, at_us } => {
                by = Notifier { token, at_us };
                Woken::Notified
            }
            Unpark::Timeout => {
                let mut queue = self.queue.lock();
                match queue.iter().position(|w| Arc::ptr_eq(w, &parker)) {
                    Some(i) => {
                        queue.remove(i);
                        Woken::TimedOut
                    }
                    // A notify picked us between the timeout and now: it counts. (CPython
                    // returns False here and loses the notification.) It unparked us under
                    // the queue's lock, which we now hold: who it was is written.
                    None => {
                        let (token, at_us) = parker.unparked_by();
                        by = Notifier { token, at_us };
                        Woken::Notified
                    }
                }
            }
        };
        Parker::recycle(parker);
        (woken, by)
    }

    fn notify(&self, n: usize, token: u32, recorded: bool) -> usize {
        let mut queue = self.queue.lock();
        let woken = n.min(queue.len());
        let by = if recorded { token } else { 0 };
        for waiter in queue.drain(..woken) {
            waiter.unpark(by);
        }
        woken
    }
}

/// A wait list in the segment: `[lock][count][slots...]`, each slot the offset of a waiter's
/// parker word (0 while waiting; once woken, the notifier's token, never 0: a thread of
/// another process is named by the waiter itself, since only its own table hears of it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WaitList {
    at: u32,
}

/// Waiters one list holds at once; more is an error, said plainly.
pub const MAX_WAITERS: u32 = 256;

impl WaitList {
    const LOCK: u32 = 0;
    const COUNT: u32 = 4;
    const SLOTS: u32 = 8;
    const BYTES: u32 = Self::SLOTS + 4 * MAX_WAITERS;

    pub fn alloc(seg: &Segment) -> Result<WaitList, SegmentFull> {
        Ok(WaitList { at: seg.alloc(Self::BYTES)? })
    }

    fn lock<'a>(&self, seg: &'a Segment) -> crate::sync::SegGuard<'a> {
        crate::sync::SegLock::at(self.at + Self::LOCK).lock(seg)
    }

    fn slot(&self, i: u32) -> u32 {
        self.at + Self::SLOTS + 4 * i
    }
}

/// A [`WaitList`] with the calling process's view of the segment.
pub struct SegWaiters<'a> {
    pub seg: &'a Segment,
    pub list: WaitList,
}

impl WaitQueue for SegWaiters<'_> {
    type Ticket = u32;

    fn enqueue(&self) -> PyResult<u32> {
        let (seg, list) = (self.seg, self.list);
        let parker = my_parker(seg)?;
        seg.store(parker, 0);
        let _locked = list.lock(seg);
        let n = seg.load(list.at + WaitList::COUNT);
        if n >= MAX_WAITERS {
            return Err(PyErr::runtime_error(format!(
                "more than {MAX_WAITERS} processes or threads wait on one object"
            )));
        }
        seg.store(list.slot(n), parker);
        seg.store(list.at + WaitList::COUNT, n + 1);
        Ok(parker)
    }

    fn sleep(&self, parker: u32, deadline: Deadline, on_sleep: impl FnOnce()) -> (Woken, Notifier) {
        let (seg, list) = (self.seg, self.list);
        let mut on_sleep = Some(on_sleep);
        loop {
            let by = seg.load(parker);
            if by != 0 {
                return (Woken::Notified, Notifier { token: by, at_us: 0 });
            }
            if crate::timeout::expired(deadline) {
                break;
            }
            pp_platform::stop::check();
            if seg.spin(parker, 0) {
                continue;
            }
            if let Some(f) = on_sleep.take() {
                f();
            }
            seg.wait(parker, 0, crate::timeout::remaining(deadline));
        }
        let _locked = list.lock(seg);
        let n = seg.load(list.at + WaitList::COUNT);
        let Some(i) = (0..n).find(|&i| seg.load(list.slot(i)) == parker) else {
            return (Woken::Notified, Notifier { token: seg.load(parker), at_us: 0 });
        };
        for j in i..n - 1 {
            seg.store(list.slot(j), seg.load(list.slot(j + 1)));
        }
        seg.store(list.at + WaitList::COUNT, n - 1);
        (Woken::TimedOut, Notifier::default())
    }

    /// The parker word has room for the token only (never 0: 0 is "waiting"): the woken
    /// thread stamps the time, and its own process's table, which alone hears of its wait,
    /// decides whether to record it.
    fn notify(&self, n: usize, token: u32, _recorded: bool) -> usize {
        let (seg, list) = (self.seg, self.list);
        let _locked = list.lock(seg);
        let waiting = seg.load(list.at + WaitList::COUNT);
        let woken = waiting.min(u32::try_from(n).unwrap_or(u32::MAX));
        for i in 0..woken {
            let parker = seg.load(list.slot(i));
            seg.store(parker, token.max(1));
            seg.notify(parker, 1);
        }
        for j in woken..waiting {
            seg.store(list.slot(j - woken), seg.load(list.slot(j)));
        }
        seg.store(list.at + WaitList::COUNT, waiting - woken);
        woken as usize
    }
}

thread_local! {
    /// This thread's parker word in each segment it has waited in (by the segment's identity:
    /// natively several runs' segments coexist; a parker is never freed).
    static PARKERS: std::cell::RefCell<Vec<(usize, u32)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The calling thread's parker word in `seg` (allocated on first use).
pub fn my_parker(seg: &Segment) -> Result<u32, SegmentFull> {
    let key = seg.identity();
    if let Some(at) = PARKERS.with(|p| p.borrow().iter().find(|(k, _)| *k == key).map(|(_, at)| *at)) {
        return Ok(at);
    }
    let at = seg.alloc(4)?;
    PARKERS.with(|p| p.borrow_mut().push((key, at)));
    Ok(at)
}
