//! The building blocks every cross-process object is made of, all living in the run's
//! shared segment (`platform::segment`) and addressed by offset:
//!
//! - [`SegLock`]: std's futex mutex (0 free, 1 held, 2 held with sleepers) on a segment word,
//!   with a deadline, releasable by any process (a `multiprocessing.Lock` is a semaphore);
//! - [`WaitList`]: a FIFO of sleeping waiters, each on a parker word of its own, so that
//!   `notify(n)` wakes exactly the `n` longest waiters (the threading Condition's design);
//! - [`SegRing`]: a byte ring of length-prefixed messages, the body of queues and pipes.
//!
//! Objects in the segment are never freed (see `platform::segment`).

use crate::platform::clock::Instant;
use crate::platform::segment::{Segment, SegmentFull};
use crate::sync::{mutex, SegWord};

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
    crate::runtime::Runtime::current().process.pid << 10 | crate::watch::my_id()
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
fn my_parker(seg: &Segment) -> Result<u32, SegmentFull> {
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

/// A ring of length-prefixed messages: the header, then `capacity` bytes.
///
/// Header words: lock, head (bytes written, wrapping), tail (bytes read), message count,
/// flags (writer closed, reader closed), sleeping receivers, sleeping senders, then the two
/// sequence words they sleep on. The state words (head to flags) are read and written with
/// one copy each while the lock is held: in the browser every segment access is a call into
/// JS, and a message costs a handful of them, not a score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SegRing {
    pub at: u32,
    /// Fixed at creation; kept here so that no access is spent on it.
    capacity: u32,
}

const R_LOCK: u32 = 0;
/// head, tail, count, flags: four words, read and written together.
const R_STATE: u32 = 4;
const R_SLEEPING_RECEIVERS: u32 = 20;
const R_SLEEPING_SENDERS: u32 = 24;
const R_NOT_EMPTY: u32 = 28;
const R_NOT_FULL: u32 = 32;
const R_HEADER: u32 = 40;

pub const WRITER_CLOSED: u32 = 1;
pub const READER_CLOSED: u32 = 2;

/// Why a [`SegRing::send`] did not send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// No room before the deadline (or at once, when not blocking).
    Full(Vec<u8>),
    /// The receiving end was closed.
    Closed(Vec<u8>),
    /// Larger than the ring could ever hold.
    TooLarge(usize),
}

/// Why a [`SegRing::recv`] did not receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecvError {
    Empty,
    /// Nothing left, and the sending end was closed: end of file.
    Closed,
}

/// The ring's state words, as one copy.
#[derive(Clone, Copy)]
struct State {
    head: u32,
    tail: u32,
    count: u32,
    flags: u32,
}

impl State {
    fn from_bytes(b: [u8; 16]) -> State {
        let w = |i: usize| u32::from_le_bytes(b[i * 4..i * 4 + 4].try_into().unwrap());
        State { head: w(0), tail: w(1), count: w(2), flags: w(3) }
    }
    fn to_bytes(self) -> [u8; 16] {
        let mut b = [0u8; 16];
        for (i, w) in [self.head, self.tail, self.count, self.flags].into_iter().enumerate() {
            b[i * 4..i * 4 + 4].copy_from_slice(&w.to_le_bytes());
        }
        b
    }
}

impl SegRing {
    pub fn create(seg: &Segment, capacity: u32) -> Result<SegRing, SegmentFull> {
        let capacity = capacity.next_power_of_two();
        let at = seg.alloc(R_HEADER + capacity)?;
        Ok(SegRing { at, capacity })
    }

    fn lock(&self) -> SegLock {
        SegLock::at(self.at + R_LOCK)
    }

    /// Reads the state; call with the lock held (the lock orders these plain copies).
    fn state(&self, seg: &Segment) -> State {
        let mut b = [0u8; 16];
        seg.read(self.at + R_STATE, &mut b);
        State::from_bytes(b)
    }

    fn set_state(&self, seg: &Segment, state: State) {
        seg.write(self.at + R_STATE, &state.to_bytes());
    }

    /// Messages in the ring now (a snapshot: it may change at once).
    pub fn len(&self, seg: &Segment) -> u32 {
        let _locked = self.lock().lock(seg);
        self.state(seg).count
    }

    /// Marks an end closed and wakes everyone waiting on the other end.
    pub fn close(&self, seg: &Segment, flag: u32) {
        {
            let _locked = self.lock().lock(seg);
            let mut state = self.state(seg);
            state.flags |= flag;
            self.set_state(seg, state);
        }
        for word in [R_NOT_EMPTY, R_NOT_FULL] {
            seg.fetch_add(self.at + word, 1);
            seg.notify(self.at + word, u32::MAX);
        }
    }

    fn copy_in(&self, seg: &Segment, pos: u32, bytes: &[u8]) {
        let start = pos & (self.capacity - 1);
        let first = (bytes.len() as u32).min(self.capacity - start) as usize;
        seg.write(self.at + R_HEADER + start, &bytes[..first]);
        if first < bytes.len() {
            seg.write(self.at + R_HEADER, &bytes[first..]);
        }
    }

    fn copy_out(&self, seg: &Segment, pos: u32, out: &mut [u8]) {
        let start = pos & (self.capacity - 1);
        let first = (out.len() as u32).min(self.capacity - start) as usize;
        seg.read(self.at + R_HEADER + start, &mut out[..first]);
        if first < out.len() {
            seg.read(self.at + R_HEADER, &mut out[first..]);
        }
    }

    /// Takes the message at the tail (there is one; call with the lock held). A small one
    /// comes out with its length in a single copy: each copy is a call into JS in the browser.
    fn take_one(&self, seg: &Segment, state: &mut State) -> Vec<u8> {
        const GUESS: u32 = 64;
        let start = state.tail & (self.capacity - 1);
        let guess = GUESS.min(state.head.wrapping_sub(state.tail)).min(self.capacity - start);
        let mut prefix = [0u8; GUESS as usize];
        let prefix = &mut prefix[..guess as usize];
        seg.read(self.at + R_HEADER + start, prefix);
        let len = if guess >= 4 {
            u32::from_le_bytes(prefix[..4].try_into().expect("four bytes"))
        } else {
            let mut len = [0u8; 4];
            self.copy_out(seg, state.tail, &mut len);
            u32::from_le_bytes(len)
        };
        let message = if guess >= 4 + len {
            prefix[4..4 + len as usize].to_vec()
        } else {
            let mut message = vec![0u8; len as usize];
            self.copy_out(seg, state.tail.wrapping_add(4), &mut message);
            message
        };
        state.tail = state.tail.wrapping_add(4 + len);
        state.count -= 1;
        message
    }

    /// Wakes one sleeper on `seq` if any sleeps: the sequence moves either way, so a thread
    /// about to sleep sees the change.
    fn signal(&self, seg: &Segment, sleeping: u32, seq: u32) {
        seg.fetch_add(self.at + seq, 1);
        if seg.load(self.at + sleeping) > 0 {
            seg.notify(self.at + seq, 1);
        }
    }

    /// Sleeps on `seq` unless it moved since `seen`, counted in `sleeping`.
    fn sleep(
        &self,
        seg: &Segment,
        sleeping: u32,
        seq: u32,
        seen: u32,
        deadline: Option<Instant>,
        why: crate::watch::Why,
    ) {
        let _blocked = crate::watch::blocked_on_id(0, why, deadline.is_some());
        seg.fetch_add(self.at + sleeping, 1);
        wait_word(seg, self.at + seq, seen, deadline);
        seg.fetch_sub(self.at + sleeping, 1);
    }

    /// Sends one message; waits for room until `deadline` when `block`. `max_count` bounds
    /// the messages in the ring (a queue's `maxsize`; 0 for none).
    pub fn send(
        &self,
        seg: &Segment,
        message: Vec<u8>,
        block: bool,
        deadline: Option<Instant>,
        max_count: u32,
    ) -> Result<(), SendError> {
        let need = 4 + message.len() as u32;
        if message.len() as u64 + 4 > u64::from(self.capacity) {
            return Err(SendError::TooLarge(message.len()));
        }
        let mut framed = Vec::with_capacity(need as usize);
        framed.extend_from_slice(&(message.len() as u32).to_le_bytes());
        framed.extend_from_slice(&message);
        loop {
            let seen = {
                let _locked = self.lock().lock(seg);
                let mut state = self.state(seg);
                if state.flags & READER_CLOSED != 0 {
                    return Err(SendError::Closed(message));
                }
                let room = self.capacity - state.head.wrapping_sub(state.tail) >= need;
                if room && (max_count == 0 || state.count < max_count) {
                    self.copy_in(seg, state.head, &framed);
                    state.head = state.head.wrapping_add(need);
                    state.count += 1;
                    self.set_state(seg, state);
                    drop(_locked);
                    self.signal(seg, R_SLEEPING_RECEIVERS, R_NOT_EMPTY);
                    return Ok(());
                }
                seg.load(self.at + R_NOT_FULL)
            };
            if !block || expired(deadline) {
                return Err(SendError::Full(message));
            }
            self.sleep(seg, R_SLEEPING_SENDERS, R_NOT_FULL, seen, deadline, crate::watch::Why::Put);
        }
    }

    /// Sends every message, as many as fit per critical section (a pool submitting a job's
    /// chunks pays for the lock and the wake-up once per batch, not once per chunk); waits for
    /// room as long as it takes.
    pub fn send_all(&self, seg: &Segment, messages: Vec<Vec<u8>>) -> Result<(), SendError> {
        let mut pending = messages.into_iter().peekable();
        while pending.peek().is_some() {
            let locked = self.lock().lock(seg);
            let mut state = self.state(seg);
            if state.flags & READER_CLOSED != 0 {
                return Err(SendError::Closed(pending.next().unwrap_or_default()));
            }
            let mut sent = 0;
            while let Some(m) = pending.peek() {
                let need = 4 + m.len() as u32;
                if u64::from(need) > u64::from(self.capacity) {
                    return Err(SendError::TooLarge(m.len()));
                }
                if self.capacity - state.head.wrapping_sub(state.tail) < need {
                    break;
                }
                let m = pending.next().expect("peeked");
                let mut framed = Vec::with_capacity(need as usize);
                framed.extend_from_slice(&(m.len() as u32).to_le_bytes());
                framed.extend_from_slice(&m);
                self.copy_in(seg, state.head, &framed);
                state.head = state.head.wrapping_add(need);
                state.count += 1;
                sent += 1;
            }
            self.set_state(seg, state);
            let seen = seg.load(self.at + R_NOT_FULL);
            drop(locked);
            if sent > 0 {
                seg.fetch_add(self.at + R_NOT_EMPTY, 1);
                if seg.load(self.at + R_SLEEPING_RECEIVERS) > 0 {
                    seg.notify(self.at + R_NOT_EMPTY, sent);
                }
            } else {
                self.sleep(seg, R_SLEEPING_SENDERS, R_NOT_FULL, seen, None, crate::watch::Why::Put);
            }
        }
        Ok(())
    }

    /// Takes up to `max` messages at once (at least one; waits for it until `deadline`).
    pub fn recv_many(&self, seg: &Segment, max: usize, deadline: Option<Instant>) -> Result<Vec<Vec<u8>>, RecvError> {
        loop {
            let locked = self.lock().lock(seg);
            let mut state = self.state(seg);
            if state.count > 0 {
                let mut out = Vec::new();
                while state.count > 0 && out.len() < max {
                    out.push(self.take_one(seg, &mut state));
                }
                self.set_state(seg, state);
                drop(locked);
                self.signal(seg, R_SLEEPING_SENDERS, R_NOT_FULL);
                return Ok(out);
            }
            let closed = state.flags & WRITER_CLOSED != 0;
            let seen = seg.load(self.at + R_NOT_EMPTY);
            drop(locked);
            if closed {
                return Err(RecvError::Closed);
            }
            if expired(deadline) {
                return Err(RecvError::Empty);
            }
            self.sleep(seg, R_SLEEPING_RECEIVERS, R_NOT_EMPTY, seen, deadline, crate::watch::Why::Recv);
        }
    }

    /// Takes the oldest message; waits until `deadline` when `block`.
    pub fn recv(&self, seg: &Segment, block: bool, deadline: Option<Instant>) -> Result<Vec<u8>, RecvError> {
        loop {
            let locked = self.lock().lock(seg);
            let mut state = self.state(seg);
            if state.count > 0 {
                let message = self.take_one(seg, &mut state);
                self.set_state(seg, state);
                drop(locked);
                self.signal(seg, R_SLEEPING_SENDERS, R_NOT_FULL);
                return Ok(message);
            }
            let closed = state.flags & WRITER_CLOSED != 0;
            let seen = seg.load(self.at + R_NOT_EMPTY);
            drop(locked);
            if closed {
                return Err(RecvError::Closed);
            }
            if !block || expired(deadline) {
                return Err(RecvError::Empty);
            }
            self.sleep(seg, R_SLEEPING_RECEIVERS, R_NOT_EMPTY, seen, deadline, crate::watch::Why::Recv);
        }
    }

    /// Waits until a message is there (or the writer closed), at most until `deadline`.
    pub fn poll(&self, seg: &Segment, deadline: Option<Instant>) -> bool {
        loop {
            let seen = seg.load(self.at + R_NOT_EMPTY);
            let state = {
                let _locked = self.lock().lock(seg);
                self.state(seg)
            };
            if state.count > 0 || state.flags & WRITER_CLOSED != 0 {
                return true;
            }
            if expired(deadline) {
                return false;
            }
            self.sleep(seg, R_SLEEPING_RECEIVERS, R_NOT_EMPTY, seen, deadline, crate::watch::Why::Recv);
        }
    }
}
