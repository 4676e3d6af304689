//! `multiprocessing`'s Lock, RLock, Semaphore, BoundedSemaphore, Event, Condition and
//! Barrier: the same behaviour as `threading`'s, for threads of any process of the run,
//! built on segment words (`shared`). They cross to a child as their place in the segment.

use super::shared::{segment, wait_word, SegLock, SharedLocks, WaitList, Woken};
use crate::errors::{PyErr, PyErrKind, PyResult};
use crate::platform::clock::Instant;
use crate::watch::ObjectKind;
use serde::{Deserialize, Serialize};

/// A SemLock's acquire (CPython's `_multiprocessing`): a negative timeout is no wait.
fn deadline(block: bool, timeout: Option<f64>) -> Option<Instant> {
    if !block {
        return Some(Instant::now());
    }
    crate::timeout::at_most(timeout)
}

fn released_too_many() -> PyErr {
    PyErr::value_error("semaphore or lock released too many times")
}

/// `multiprocessing.Lock()`: any process may release it.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Lock {
    lock: SegLock,
    /// Its number in the run: `mp lock N` in every process's view.
    number: u32,
    /// A display name given at creation, in the segment (offset, length; 0 for none), so
    /// that every process shows it.
    name: (u32, u32),
}

impl Lock {
    pub fn new() -> PyResult<Lock> {
        let seg = segment();
        Ok(Lock { lock: SegLock::at(seg.alloc(SegLock::BYTES)?), number: seg.next_shared_number(), name: (0, 0) })
    }

    /// A Lock with a display name for the UI, the same in every process (`record 1` in the
    /// deadlock pitfall).
    pub fn named(name: &str) -> PyResult<Lock> {
        let seg = segment();
        let at = seg.alloc(name.len() as u32)?;
        seg.write(at, name.as_bytes());
        Ok(Lock { name: (at, name.len() as u32), ..Lock::new()? })
    }

    fn label(&self) -> String {
        match self.name {
            (_, 0) => format!("mp lock {}", self.number),
            (at, len) => {
                let mut bytes = vec![0u8; len as usize];
                segment().read(at, &mut bytes);
                String::from_utf8_lossy(&bytes).into_owned()
            }
        }
    }

    /// `acquire(block=True, timeout=None)`.
    pub fn acquire(&self, block: bool, timeout: Option<f64>) -> bool {
        let watch = SharedLocks::watch(self.lock.at, ObjectKind::Lock, || self.label());
        self.lock.acquire_watched(&segment(), deadline(block, timeout), &watch)
    }

    pub fn release(&self) -> PyResult<()> {
        if self.lock.release(&segment()) {
            Ok(())
        } else {
            Err(released_too_many())
        }
    }

    /// `with lock:`
    pub fn enter(&self) -> Guard<'_> {
        self.acquire(true, None);
        Guard { release: Box::new(move || drop(self.release())) }
    }
}

/// Releases on every path out of a `with` block.
#[must_use = "released when the guard drops"]
pub struct Guard<'a> {
    release: Box<dyn Fn() + 'a>,
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        (self.release)()
    }
}

/// Who a thread is across processes: (pid, thread ident).
fn me() -> (u32, u32) {
    (super::process::getpid(), crate::threading::get_ident() as u32)
}

/// `multiprocessing.RLock()`: the owner (a thread of some process) may take it again.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct RLock {
    lock: SegLock,
    /// Words: owner pid, owner thread, count.
    owner: u32,
    /// Its number in the run: `mp rlock N` in every process's view.
    number: u32,
}

impl RLock {
    pub fn new() -> PyResult<RLock> {
        let seg = segment();
        Ok(RLock {
            lock: SegLock::at(seg.alloc(SegLock::BYTES)?),
            owner: seg.alloc(12)?,
            number: seg.next_shared_number(),
        })
    }

    fn owned_by_me(&self) -> bool {
        let seg = segment();
        let (pid, tid) = me();
        seg.load(self.owner + 8) > 0 && seg.load(self.owner) == pid && seg.load(self.owner + 4) == tid
    }

    pub fn acquire(&self, block: bool, timeout: Option<f64>) -> bool {
        let seg = segment();
        if self.owned_by_me() {
            seg.fetch_add(self.owner + 8, 1);
            return true;
        }
        let number = self.number;
        let watch = SharedLocks::watch(self.lock.at, ObjectKind::RLock, || format!("mp rlock {number}"));
        if !self.lock.acquire_watched(&seg, deadline(block, timeout), &watch) {
            return false;
        }
        let (pid, tid) = me();
        seg.store(self.owner, pid);
        seg.store(self.owner + 4, tid);
        seg.store(self.owner + 8, 1);
        true
    }

    pub fn release(&self) -> PyResult<()> {
        if !self.owned_by_me() {
            return Err(PyErr::new(PyErrKind::AssertionError, "attempt to release recursive lock not owned by thread"));
        }
        let seg = segment();
        if seg.fetch_sub(self.owner + 8, 1) == 1 {
            seg.store(self.owner, 0);
            self.lock.release(&seg);
        }
        Ok(())
    }

    pub fn enter(&self) -> Guard<'_> {
        self.acquire(true, None);
        Guard { release: Box::new(move || drop(self.release())) }
    }

    /// Fully releases for a Condition wait; returns the count to restore.
    fn release_save(&self) -> u32 {
        let seg = segment();
        let count = seg.swap(self.owner + 8, 0);
        seg.store(self.owner, 0);
        self.lock.release(&seg);
        count
    }

    fn acquire_restore(&self, count: u32) {
        let seg = segment();
        self.lock.acquire(&seg, None);
        let (pid, tid) = me();
        seg.store(self.owner, pid);
        seg.store(self.owner + 4, tid);
        seg.store(self.owner + 8, count);
    }
}

/// `multiprocessing.Semaphore(value)` and `BoundedSemaphore(value)`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Semaphore {
    lock: SegLock,
    /// Words: value, bound (0 for none).
    value: u32,
    waiters: WaitList,
}

/// `multiprocessing.BoundedSemaphore`: a [`Semaphore`] (it derefs to one) whose releases
/// above the initial value are a `ValueError`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct BoundedSemaphore {
    sem: Semaphore,
}

impl BoundedSemaphore {
    pub fn new(value: u32) -> PyResult<BoundedSemaphore> {
        Ok(BoundedSemaphore { sem: Semaphore::build(value, value.max(1))? })
    }
}

impl std::ops::Deref for BoundedSemaphore {
    type Target = Semaphore;
    fn deref(&self) -> &Semaphore {
        &self.sem
    }
}

impl Semaphore {
    pub fn new(value: u32) -> PyResult<Semaphore> {
        Self::build(value, 0)
    }

    fn build(value: u32, bound: u32) -> PyResult<Semaphore> {
        let seg = segment();
        let s = Semaphore {
            lock: SegLock::at(seg.alloc(SegLock::BYTES)?),
            value: seg.alloc(8)?,
            waiters: WaitList::at(seg.alloc(WaitList::BYTES)?),
        };
        seg.store(s.value, value);
        seg.store(s.value + 4, bound);
        Ok(s)
    }

    pub fn acquire(&self, block: bool, timeout: Option<f64>) -> PyResult<bool> {
        let seg = segment();
        let deadline = deadline(block, timeout);
        loop {
            let parker = {
                let _locked = self.lock.lock(&seg);
                let v = seg.load(self.value);
                if v > 0 {
                    seg.store(self.value, v - 1);
                    return Ok(true);
                }
                if crate::timeout::expired(deadline) {
                    return Ok(false);
                }
                self.waiters.enqueue(&seg)?
            };
            let _blocked = crate::watch::blocked_on_id(0, crate::watch::Why::Acquire, deadline.is_some());
            self.waiters.sleep(&seg, parker, deadline);
        }
    }

    pub fn release(&self) -> PyResult<()> {
        let seg = segment();
        {
            let _locked = self.lock.lock(&seg);
            let v = seg.load(self.value);
            let bound = seg.load(self.value + 4);
            if bound > 0 && v >= bound {
                return Err(released_too_many());
            }
            seg.store(self.value, v + 1);
        }
        self.waiters.notify(&seg, 1);
        Ok(())
    }

    pub fn get_value(&self) -> u32 {
        segment().load(self.value)
    }
}

/// `multiprocessing.Event()`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Event {
    /// Words: the flag, and a generation bumped by every `set()`: a waiter woken by a set
    /// returns true even if a clear() came before it ran (as CPython's).
    at: u32,
}

impl Event {
    pub fn new() -> PyResult<Event> {
        Ok(Event { at: segment().alloc(8)? })
    }

    pub fn is_set(&self) -> bool {
        segment().load(self.at) == 1
    }

    pub fn set(&self) {
        let seg = segment();
        seg.store(self.at, 1);
        seg.fetch_add(self.at + 4, 1);
        seg.notify(self.at + 4, u32::MAX);
    }

    pub fn clear(&self) {
        segment().store(self.at, 0);
    }

    pub fn wait(&self, timeout: Option<f64>) -> bool {
        let seg = segment();
        let deadline = deadline(true, timeout);
        let generation = seg.load(self.at + 4);
        let _blocked = crate::watch::blocked_on_id(0, crate::watch::Why::Wait, deadline.is_some());
        loop {
            if seg.load(self.at) == 1 || seg.load(self.at + 4) != generation {
                return true;
            }
            if crate::timeout::expired(deadline) {
                return false;
            }
            wait_word(&seg, self.at + 4, generation, deadline);
        }
    }
}

/// `multiprocessing.Condition(lock=None)`: over an RLock, as CPython's.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Condition {
    lock: RLock,
    waiters: WaitList,
}

impl Condition {
    pub fn new() -> PyResult<Condition> {
        Ok(Condition { lock: RLock::new()?, waiters: WaitList::at(segment().alloc(WaitList::BYTES)?) })
    }

    pub fn acquire(&self, block: bool, timeout: Option<f64>) -> bool {
        self.lock.acquire(block, timeout)
    }

    pub fn release(&self) -> PyResult<()> {
        self.lock.release()
    }

    pub fn enter(&self) -> Guard<'_> {
        self.lock.enter()
    }

    fn check_owned(&self, what: &str) -> PyResult<()> {
        if self.lock.owned_by_me() {
            Ok(())
        } else {
            Err(PyErr::new(PyErrKind::AssertionError, format!("must acquire() condition before using {what}()")))
        }
    }

    /// `wait(timeout=None)`: `true` unless the timeout expired.
    pub fn wait(&self, timeout: Option<f64>) -> PyResult<bool> {
        self.check_owned("wait")?;
        let seg = segment();
        let deadline = deadline(true, timeout);
        let parker = self.waiters.enqueue(&seg)?;
        let count = self.lock.release_save();
        let woken = {
            let _blocked = crate::watch::blocked_on_id(0, crate::watch::Why::Wait, deadline.is_some());
            self.waiters.sleep(&seg, parker, deadline)
        };
        self.lock.acquire_restore(count);
        Ok(woken == Woken::Notified)
    }

    pub fn wait_for(&self, mut predicate: impl FnMut() -> bool, timeout: Option<f64>) -> PyResult<bool> {
        let deadline = deadline(true, timeout);
        loop {
            if predicate() {
                return Ok(true);
            }
            let left = crate::timeout::remaining(deadline);
            if left == Some(std::time::Duration::ZERO) {
                return Ok(false);
            }
            self.wait(left.map(|d| d.as_secs_f64()))?;
        }
    }

    pub fn notify(&self, n: u32) -> PyResult<()> {
        self.check_owned("notify")?;
        self.waiters.notify(&segment(), n);
        Ok(())
    }

    pub fn notify_all(&self) -> PyResult<()> {
        self.notify(u32::MAX)
    }
}

/// `multiprocessing.Barrier(parties, timeout=None)`: CPython's state machine (filling,
/// draining, resetting, broken) on segment words. (The `action` of a process-shared barrier
/// would have to be a plain function; the ports have no use for one.)
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Barrier {
    lock: SegLock,
    /// Words: state, count, parties, and a generation that waiters sleep on.
    words: u32,
    timeout: Option<f64>,
}

const FILLING: u32 = 0;
const DRAINING: u32 = 1;
const RESETTING: u32 = 2;
const BROKEN: u32 = 3;

impl Barrier {
    pub fn new(parties: u32, timeout: Option<f64>) -> PyResult<Barrier> {
        if parties == 0 {
            return Err(PyErr::value_error("parties must be > 0"));
        }
        let seg = segment();
        let b = Barrier { lock: SegLock::at(seg.alloc(SegLock::BYTES)?), words: seg.alloc(16)?, timeout };
        seg.store(b.words + 8, parties);
        Ok(b)
    }

    fn get(&self, i: u32) -> u32 {
        segment().load(self.words + 4 * i)
    }
    fn set(&self, i: u32, v: u32) {
        segment().store(self.words + 4 * i, v)
    }

    /// Changes the state and wakes every waiter to look again.
    fn wake_all(&self) {
        let seg = segment();
        seg.fetch_add(self.words + 12, 1);
        seg.notify(self.words + 12, u32::MAX);
    }

    /// Waits (lock released, and held again on return: the caller's guard still owns it)
    /// until the generation moves or `deadline`.
    fn sleep(&self, deadline: Option<Instant>) {
        let seg = segment();
        let generation = seg.load(self.words + 12);
        self.lock.release(&seg);
        wait_word(&seg, self.words + 12, generation, deadline);
        self.lock.acquire(&seg, None);
    }

    /// `wait(timeout=None)`: this party's index once all have arrived.
    pub fn wait(&self, timeout: Option<f64>) -> PyResult<u32> {
        let seg = segment();
        let deadline = deadline(true, timeout.or(self.timeout));
        let broken = || PyErr::new(PyErrKind::BrokenBarrier, "");
        let _locked = self.lock.lock(&seg);
        let _blocked = crate::watch::blocked_on_id(0, crate::watch::Why::Wait, deadline.is_some());
        while matches!(self.get(0), DRAINING | RESETTING) {
            self.sleep(None);
        }
        if self.get(0) == BROKEN {
            return Err(broken());
        }
        let index = self.get(1);
        self.set(1, index + 1);
        let mut outcome = Ok(index);
        if index + 1 == self.get(2) {
            self.set(0, DRAINING);
            self.wake_all();
        } else {
            loop {
                match self.get(0) {
                    FILLING if crate::timeout::expired(deadline) => {
                        self.set(0, BROKEN);
                        self.wake_all();
                        outcome = Err(broken());
                        break;
                    }
                    FILLING => self.sleep(deadline),
                    DRAINING => break,
                    _ => {
                        outcome = Err(broken());
                        break;
                    }
                }
            }
        }
        let count = self.get(1) - 1;
        self.set(1, count);
        if count == 0 && matches!(self.get(0), DRAINING | RESETTING) {
            self.set(0, FILLING);
            self.wake_all();
        }
        outcome
    }

    pub fn abort(&self) {
        let seg = segment();
        let _locked = self.lock.lock(&seg);
        self.set(0, BROKEN);
        self.wake_all();
    }

    pub fn reset(&self) {
        let seg = segment();
        let _locked = self.lock.lock(&seg);
        if self.get(1) > 0 {
            if matches!(self.get(0), FILLING | BROKEN) {
                self.set(0, RESETTING);
            }
        } else {
            self.set(0, FILLING);
        }
        self.wake_all();
    }

    pub fn parties(&self) -> u32 {
        self.get(2)
    }

    pub fn n_waiting(&self) -> u32 {
        if self.get(0) == FILLING {
            self.get(1)
        } else {
            0
        }
    }

    pub fn broken(&self) -> bool {
        self.get(0) == BROKEN
    }
}
