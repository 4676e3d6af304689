//! A ring of messages in the run's segment: the body of `multiprocessing`'s queues and pipes.
//!
//! Layout: a header of words (the lock, the state, sleeper counts, the sequences sleepers
//! wait on), then `capacity` bytes of frames. A frame is a length word and that many bytes.
//! The state words are read and written with one copy each while the lock is held: in the
//! browser every segment access is a call into JS, and a message costs a handful of them.
//!
//! A message of any size crosses, as CPython's pipes carry any pickle: one that does not fit
//! in half the ring goes in pieces, each a frame whose length word has [`MORE`] set but the
//! last. While a sender writes pieces it owns the sending side (`send_owner`): other senders
//! wait, so pieces are never interleaved. A receiver that took a first piece owns the
//! receiving side (`recv_owner`) until it took the last one. `count` counts messages whose
//! first piece is in the ring (what `qsize()` and a queue's `maxsize` count). Once a sender
//! wrote a first piece it writes the rest whatever its deadline: a message is never cut.

use super::shared::wait_word;
use pp_platform::clock::Instant;
use pp_platform::segment::Segment;
use pp_runtime::errors::{RecvError, SegmentFull, SendError};
use pp_runtime::primitives::my_parker;
use pp_runtime::timeout;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SegRing {
    pub at: u32,
    /// Fixed at creation; kept here so that no access is spent on it.
    capacity: u32,
}

const R_LOCK: u32 = 0;
/// The state: six words, read and written together (see [`State`]).
const R_STATE: u32 = 4;
const R_SLEEPING_RECEIVERS: u32 = 28;
const R_SLEEPING_SENDERS: u32 = 32;
const R_NOT_EMPTY: u32 = 36;
const R_NOT_FULL: u32 = 40;
/// Who last woke a sleeper of the ring, across processes (the timeline's who-woke-whom): the
/// waker's run thread id (`pid << 10 | thread`), its time (µs, two words) and a count of
/// wakes, which a sleeper compares before and after it slept.
const R_WAKES: u32 = 44;
const R_WOKEN_BY: u32 = 48;
const R_WOKEN_AT: u32 = 52;
const R_HEADER: u32 = 64;

pub const WRITER_CLOSED: u32 = 1;
pub const READER_CLOSED: u32 = 2;

/// In a frame's length word: more pieces of this message follow.
const MORE: u32 = 1 << 31;

#[derive(Clone, Copy)]
struct State {
    head: u32,
    tail: u32,
    count: u32,
    flags: u32,
    /// The thread writing a message in pieces (its parker word: unique in the run), or 0.
    send_owner: u32,
    /// The thread reading a message in pieces, or 0.
    recv_owner: u32,
}

impl State {
    const BYTES: usize = 24;

    fn from_bytes(b: [u8; Self::BYTES]) -> State {
        let w = |i: usize| u32::from_le_bytes(b[i * 4..i * 4 + 4].try_into().expect("four bytes"));
        State { head: w(0), tail: w(1), count: w(2), flags: w(3), send_owner: w(4), recv_owner: w(5) }
    }

    fn to_bytes(self) -> [u8; Self::BYTES] {
        let mut b = [0u8; Self::BYTES];
        let words = [self.head, self.tail, self.count, self.flags, self.send_owner, self.recv_owner];
        for (i, w) in words.into_iter().enumerate() {
            b[i * 4..i * 4 + 4].copy_from_slice(&w.to_le_bytes());
        }
        b
    }

    fn used(&self) -> u32 {
        self.head.wrapping_sub(self.tail)
    }
}

/// What a send waits for, when it waits.
enum Blocked {
    /// No room (or the queue's `maxsize` reached), or another sender's message in pieces.
    Room,
}

impl SegRing {
    pub fn create(seg: &Segment, capacity: u32) -> Result<SegRing, SegmentFull> {
        let capacity = capacity.next_power_of_two().max(64);
        let at = seg.alloc(R_HEADER + capacity)?;
        Ok(SegRing { at, capacity })
    }

    fn lock(&self) -> pp_runtime::sync::SegLock {
        pp_runtime::sync::SegLock::at(self.at + R_LOCK)
    }

    /// Reads the state; call with the lock held (the lock orders these plain copies).
    fn state(&self, seg: &Segment) -> State {
        let mut b = [0u8; State::BYTES];
        seg.read(self.at + R_STATE, &mut b);
        State::from_bytes(b)
    }

    fn set_state(&self, seg: &Segment, state: State) {
        seg.write(self.at + R_STATE, &state.to_bytes());
    }

    /// The largest piece: half the ring, so a piece always fits once the ring has drained.
    fn max_piece(&self) -> u32 {
        self.capacity / 2 - 4
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

    /// Writes one frame at the head (there is room; call with the lock held).
    fn put_frame(&self, seg: &Segment, state: &mut State, piece: &[u8], more: bool) {
        let word = piece.len() as u32 | if more { MORE } else { 0 };
        let mut framed = Vec::with_capacity(4 + piece.len());
        framed.extend_from_slice(&word.to_le_bytes());
        framed.extend_from_slice(piece);
        self.copy_in(seg, state.head, &framed);
        state.head = state.head.wrapping_add(framed.len() as u32);
    }

    /// Takes the frame at the tail (there is one; call with the lock held): its bytes, and
    /// whether more pieces follow. A small one comes out with its length in a single copy:
    /// each copy is a call into JS in the browser.
    fn take_frame(&self, seg: &Segment, state: &mut State) -> (Vec<u8>, bool) {
        const GUESS: u32 = 64;
        let start = state.tail & (self.capacity - 1);
        let guess = GUESS.min(state.used()).min(self.capacity - start);
        let mut prefix = [0u8; GUESS as usize];
        let prefix = &mut prefix[..guess as usize];
        seg.read(self.at + R_HEADER + start, prefix);
        let word = if guess >= 4 {
            u32::from_le_bytes(prefix[..4].try_into().expect("four bytes"))
        } else {
            let mut word = [0u8; 4];
            self.copy_out(seg, state.tail, &mut word);
            u32::from_le_bytes(word)
        };
        let len = word & !MORE;
        let bytes = if guess >= 4 + len {
            prefix[4..4 + len as usize].to_vec()
        } else {
            let mut bytes = vec![0u8; len as usize];
            self.copy_out(seg, state.tail.wrapping_add(4), &mut bytes);
            bytes
        };
        state.tail = state.tail.wrapping_add(4 + len);
        (bytes, word & MORE != 0)
    }

    /// Moves the sequence `seq` and wakes one sleeper on it, if any sleeps (saying who woke
    /// it, for the sleeper's timeline).
    fn signal(&self, seg: &Segment, sleeping: u32, seq: u32) {
        seg.fetch_add(self.at + seq, 1);
        if seg.load(self.at + sleeping) > 0 {
            let at_us = pp_platform::clock::stamp_us();
            seg.store(self.at + R_WOKEN_BY, pp_runtime::primitives::run_thread_id());
            seg.store(self.at + R_WOKEN_AT, at_us as u32);
            seg.store(self.at + R_WOKEN_AT + 4, (at_us >> 32) as u32);
            seg.fetch_add(self.at + R_WAKES, 1);
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
        why: pp_runtime::watch::Why,
    ) {
        let mut blocked = pp_runtime::watch::blocked_on_id(0, why, deadline.is_some());
        let wakes = seg.load(self.at + R_WAKES);
        seg.fetch_add(self.at + sleeping, 1);
        wait_word(seg, self.at + seq, seen, deadline);
        seg.fetch_sub(self.at + sleeping, 1);
        if seg.load(self.at + R_WAKES) != wakes {
            let (pid, thread) = pp_runtime::watch::graph::run_thread(seg.load(self.at + R_WOKEN_BY));
            let at_us = u64::from(seg.load(self.at + R_WOKEN_AT)) | u64::from(seg.load(self.at + R_WOKEN_AT + 4)) << 32;
            blocked.woken_by(pp_runtime::watch::record::Waker { thread, at_us, pid, generation: 0 });
        }
    }

    /// Sends one message, in pieces if it must; waits for room until `deadline` when
    /// `block` (a message begun is finished whatever the deadline). `max_count` bounds the
    /// messages in the ring (a queue's `maxsize`; 0 for none).
    pub fn send(
        &self,
        seg: &Segment,
        message: Vec<u8>,
        block: bool,
        deadline: Option<Instant>,
        max_count: u32,
    ) -> Result<(), SendError> {
        let me = my_parker(seg).map_err(SendError::Segment)?;
        let pieces: Vec<&[u8]> =
            if message.is_empty() { vec![&[]] } else { message.chunks(self.max_piece() as usize).collect() };
        let last = pieces.len() - 1;
        if last > 0 && !block {
            // A message in pieces waits for its reader once begun: it cannot go without waiting.
            return Err(SendError::Full(message));
        }
        let mut begun = false;
        for (i, piece) in pieces.iter().enumerate() {
            loop {
                let seen = {
                    let _locked = self.lock().lock(seg);
                    let mut state = self.state(seg);
                    if state.flags & READER_CLOSED != 0 {
                        return Err(SendError::Closed(message));
                    }
                    match self.try_put(&mut state, piece, begun, me, max_count) {
                        Ok(()) => {
                            self.put_frame(seg, &mut state, piece, i < last);
                            if !begun {
                                state.count += 1;
                            }
                            state.send_owner = if i < last { me } else { 0 };
                            self.set_state(seg, state);
                            None
                        }
                        Err(Blocked::Room) => Some(seg.load(self.at + R_NOT_FULL)),
                    }
                };
                let Some(seen) = seen else {
                    self.signal(seg, R_SLEEPING_RECEIVERS, R_NOT_EMPTY);
                    if i == last && begun {
                        // Senders that waited for this message's end may go now.
                        seg.fetch_add(self.at + R_NOT_FULL, 1);
                        seg.notify(self.at + R_NOT_FULL, u32::MAX);
                    }
                    begun = true;
                    break;
                };
                if !begun && (!block || timeout::expired(deadline)) {
                    return Err(SendError::Full(message));
                }
                let deadline = if begun { None } else { deadline };
                self.sleep(seg, R_SLEEPING_SENDERS, R_NOT_FULL, seen, deadline, pp_runtime::watch::Why::Put);
            }
        }
        Ok(())
    }

    /// Whether `piece` may go in now: room for it, no other sender's message in pieces, and
    /// (for a message's first piece) below `max_count`.
    fn try_put(&self, state: &mut State, piece: &[u8], begun: bool, me: u32, max_count: u32) -> Result<(), Blocked> {
        if state.send_owner != 0 && state.send_owner != me {
            return Err(Blocked::Room);
        }
        if !begun && max_count != 0 && state.count >= max_count {
            return Err(Blocked::Room);
        }
        if self.capacity - state.used() < 4 + piece.len() as u32 {
            return Err(Blocked::Room);
        }
        Ok(())
    }

    /// Sends every message, as many as fit per critical section (a pool submitting a job's
    /// chunks pays for the lock and the wake-up once per batch, not once per chunk); waits for
    /// room as long as it takes. A message too large for one frame goes alone, in pieces.
    pub fn send_all(&self, seg: &Segment, messages: Vec<Vec<u8>>) -> Result<(), SendError> {
        let mut pending = messages.into_iter().peekable();
        while pending.peek().is_some() {
            if pending.peek().is_some_and(|m| m.len() as u32 > self.max_piece()) {
                let big = pending.next().expect("peeked");
                self.send(seg, big, true, None, 0)?;
                continue;
            }
            let locked = self.lock().lock(seg);
            let mut state = self.state(seg);
            if state.flags & READER_CLOSED != 0 {
                return Err(SendError::Closed(pending.next().unwrap_or_default()));
            }
            let mut sent = 0;
            if state.send_owner == 0 {
                while let Some(m) = pending.peek() {
                    if m.len() as u32 > self.max_piece() || self.capacity - state.used() < 4 + m.len() as u32 {
                        break;
                    }
                    let m = pending.next().expect("peeked");
                    self.put_frame(seg, &mut state, &m, false);
                    state.count += 1;
                    sent += 1;
                }
            }
            self.set_state(seg, state);
            let seen = seg.load(self.at + R_NOT_FULL);
            drop(locked);
            if sent > 0 {
                seg.fetch_add(self.at + R_NOT_EMPTY, 1);
                if seg.load(self.at + R_SLEEPING_RECEIVERS) > 0 {
                    seg.notify(self.at + R_NOT_EMPTY, sent);
                }
            } else if pending.peek().is_some_and(|m| m.len() as u32 <= self.max_piece()) {
                self.sleep(seg, R_SLEEPING_SENDERS, R_NOT_FULL, seen, None, pp_runtime::watch::Why::Put);
            }
        }
        Ok(())
    }

    /// Takes the oldest message, waiting until `deadline` when `block` (a message begun is
    /// finished whatever the deadline).
    pub fn recv(&self, seg: &Segment, block: bool, deadline: Option<Instant>) -> Result<Vec<u8>, RecvError> {
        Ok(self.recv_up_to(seg, 1, block, deadline)?.pop().expect("one message"))
    }

    /// Takes up to `max` messages at once (at least one; waits for it until `deadline`).
    pub fn recv_many(&self, seg: &Segment, max: usize, deadline: Option<Instant>) -> Result<Vec<Vec<u8>>, RecvError> {
        self.recv_up_to(seg, max.max(1), true, deadline)
    }

    fn recv_up_to(
        &self,
        seg: &Segment,
        max: usize,
        block: bool,
        deadline: Option<Instant>,
    ) -> Result<Vec<Vec<u8>>, RecvError> {
        let me = my_parker(seg).map_err(RecvError::Segment)?;
        let mut out: Vec<Vec<u8>> = Vec::new();
        // The message being read in pieces, once its first piece is taken.
        let mut partial: Option<Vec<u8>> = None;
        loop {
            let locked = self.lock().lock(seg);
            let mut state = self.state(seg);
            let mut took = false;
            loop {
                let mine = state.recv_owner == me;
                let ready =
                    if partial.is_some() { mine && state.used() > 0 } else { state.recv_owner == 0 && state.count > 0 };
                if !ready || (partial.is_none() && out.len() >= max) {
                    break;
                }
                let (bytes, more) = self.take_frame(seg, &mut state);
                took = true;
                let message = match partial.take() {
                    Some(mut begun) => {
                        begun.extend_from_slice(&bytes);
                        begun
                    }
                    None => {
                        state.count -= 1;
                        bytes
                    }
                };
                if more {
                    state.recv_owner = me;
                    partial = Some(message);
                } else {
                    state.recv_owner = 0;
                    out.push(message);
                }
            }
            if took {
                self.set_state(seg, state);
            }
            let closed = state.flags & WRITER_CLOSED != 0;
            let seen = seg.load(self.at + R_NOT_EMPTY);
            drop(locked);
            if took {
                self.signal(seg, R_SLEEPING_SENDERS, R_NOT_FULL);
            }
            if partial.is_none() && !out.is_empty() {
                if state.recv_owner == 0 && took {
                    // Another receiver may have waited for this one's message to end.
                    seg.fetch_add(self.at + R_NOT_EMPTY, 1);
                    if seg.load(self.at + R_SLEEPING_RECEIVERS) > 0 {
                        seg.notify(self.at + R_NOT_EMPTY, 1);
                    }
                }
                return Ok(out);
            }
            // The writer closed: nothing more comes (a message cut in pieces is lost with it).
            if closed && (if partial.is_some() { state.used() == 0 } else { state.count == 0 }) {
                return Err(RecvError::Closed);
            }
            if partial.is_none() && (!block || timeout::expired(deadline)) {
                return Err(RecvError::Empty);
            }
            let deadline = if partial.is_some() { None } else { deadline };
            self.sleep(seg, R_SLEEPING_RECEIVERS, R_NOT_EMPTY, seen, deadline, pp_runtime::watch::Why::Recv);
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
            if timeout::expired(deadline) {
                return false;
            }
            self.sleep(seg, R_SLEEPING_RECEIVERS, R_NOT_EMPTY, seen, deadline, pp_runtime::watch::Why::Recv);
        }
    }
}
