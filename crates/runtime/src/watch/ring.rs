//! A multi-producer, single-consumer byte ring in the process's memory. Producers are the
//! process's threads (serialized by a futex mutex); the consumer is the host, which shares
//! the memory but not the instance: it reads `head`, copies `[tail, head)` out and stores
//! `tail` with JS `Atomics`, then `Atomics.notify`s `tail` (allowed on the main thread).
//!
//! Nothing is dropped once a consumer is attached: a producer that finds the ring full waits
//! for the consumer (backpressure), so a run that prints faster than the page can draw slows
//! down instead of losing lines. Before a consumer attaches (native unit tests), lines go to
//! stdout and the rest is dropped.

use super::record::{encode_header, RecordKind, HEADER};
use crate::sync::RawMutex;
use pp_platform::{clock, futex};
use std::sync::atomic::{AtomicU32, Ordering::*};
use std::time::Duration;

/// Positions are byte counts since the start, wrapping at 2^32; capacity is a power of two.
#[repr(C)]
pub struct Ring {
    pub head: AtomicU32,
    pub tail: AtomicU32,
    pub capacity: u32,
    pub attached: AtomicU32,
    pub buf: *mut u8,
    /// Owns the bytes `buf` points at; every access goes through `buf`.
    _storage: Box<[u8]>,
    writer: RawMutex<()>,
}

// SAFETY: `buf` points into `_storage`, which moves with the ring; it is fixed at creation.
unsafe impl Send for Ring {}
// SAFETY: `buf` is written only under `writer` and read by the consumer only in [tail, head),
// which producers do not touch until the consumer moves `tail`.
unsafe impl Sync for Ring {}

/// How long a producer sleeps between looks at a full ring. The consumer's notify normally
/// wakes it first; the timeout only bounds the cost of a missed notify.
const FULL_RECHECK: Duration = Duration::from_millis(50);

impl Ring {
    pub fn new(capacity: usize) -> Ring {
        let capacity = capacity.next_power_of_two().max(1024);
        let mut storage = vec![0u8; capacity].into_boxed_slice();
        Ring {
            head: AtomicU32::new(0),
            tail: AtomicU32::new(0),
            capacity: capacity as u32,
            attached: AtomicU32::new(0),
            buf: storage.as_mut_ptr(),
            _storage: storage,
            writer: RawMutex::new(()),
        }
    }

    /// The largest payload one record carries; longer payloads are cut and say so.
    pub fn max_payload(&self) -> usize {
        self.capacity as usize / 4 - HEADER
    }

    /// Appends a record, waiting for room if the consumer is behind.
    pub fn push(&self, kind: RecordKind, thread: u32, arg: u32, payload: &[u8]) {
        self.push_stamped(kind, thread, arg, clock::stamp_us(), payload)
    }

    /// `push` with a stamp of the caller's (a printed line's comes from the run's clock).
    pub fn push_stamped(&self, kind: RecordKind, thread: u32, arg: u32, t_us: u64, payload: &[u8]) {
        let payload = self.fit(payload);
        let writing = self.writer.lock();
        if self.attached.load(Acquire) == 0 {
            drop(writing);
            return unattached(kind, arg, &payload);
        }
        let len = (HEADER + payload.len()) as u32;
        let head = self.head.load(Relaxed);
        loop {
            let tail = self.tail.load(Acquire);
            if self.capacity - head.wrapping_sub(tail) >= len {
                break;
            }
            if self.attached.load(Acquire) == 0 {
                return; // the consumer left while we waited: the run is over
            }
            futex::wait(&self.tail, tail, Some(FULL_RECHECK));
        }
        self.write_record(head, kind, thread, arg, t_us, &payload);
    }

    /// Appends a record only if that needs no waiting at all: for a panic hook, which may
    /// run while its own thread holds the writer lock.
    pub fn push_if_free(&self, kind: RecordKind, thread: u32, arg: u32, payload: &[u8]) {
        let payload = self.fit(payload);
        let Some(_writing) = self.writer.try_lock() else {
            return;
        };
        let len = (HEADER + payload.len()) as u32;
        let head = self.head.load(Relaxed);
        if self.attached.load(Acquire) != 0 && self.capacity - head.wrapping_sub(self.tail.load(Acquire)) >= len {
            self.write_record(head, kind, thread, arg, clock::stamp_us(), &payload);
        }
    }

    /// The payload, cut (and saying so) if it is too long for one record.
    fn fit<'a>(&self, payload: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
        if payload.len() <= self.max_payload() {
            return payload.into();
        }
        let keep = floor_char_boundary(payload, self.max_payload() - 64);
        let mut cut = payload[..keep].to_vec();
        cut.extend_from_slice(format!(" …[{} more bytes cut]", payload.len() - keep).as_bytes());
        cut.into()
    }

    /// Writes one record at `head`; the caller holds the writer lock and made room.
    fn write_record(&self, head: u32, kind: RecordKind, thread: u32, arg: u32, t_us: u64, payload: &[u8]) {
        self.write_at(head, &encode_header(kind, thread, arg, t_us, payload.len()));
        self.write_at(head.wrapping_add(HEADER as u32), payload);
        self.head.store(head.wrapping_add((HEADER + payload.len()) as u32), Release);
    }

    fn write_at(&self, pos: u32, bytes: &[u8]) {
        let cap = self.capacity as usize;
        let start = pos as usize & (cap - 1);
        let first = bytes.len().min(cap - start);
        // SAFETY: both ranges lie inside `_storage`; see the Sync note.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.buf.add(start), first);
            std::ptr::copy_nonoverlapping(bytes[first..].as_ptr(), self.buf, bytes.len() - first);
        }
    }

    /// Marks a consumer present (or gone: producers then stop waiting for room).
    pub fn set_attached(&self, attached: bool) {
        self.attached.store(attached as u32, Release);
        futex::wake_all(&self.tail);
    }

    /// The consumer side, for a consumer that shares this instance (native tests). The host
    /// in the browser does the same through [`super::reader`]'s foreign-memory view.
    pub fn drain_local(&self) -> Vec<u8> {
        let head = self.head.load(Acquire);
        let tail = self.tail.load(Relaxed);
        let len = head.wrapping_sub(tail) as usize;
        let cap = self.capacity as usize;
        let start = tail as usize & (cap - 1);
        let first = len.min(cap - start);
        let mut out = vec![0u8; len];
        // SAFETY: [tail, head) is ours to read until `tail` moves; producers write elsewhere.
        unsafe {
            std::ptr::copy_nonoverlapping(self.buf.add(start), out.as_mut_ptr(), first);
            std::ptr::copy_nonoverlapping(self.buf, out.as_mut_ptr().add(first), len - first);
        }
        self.tail.store(head, Release);
        futex::wake_all(&self.tail);
        out
    }
}

fn floor_char_boundary(bytes: &[u8], mut i: usize) -> usize {
    while i > 0 && (bytes[i] & 0xC0) == 0x80 {
        i -= 1;
    }
    i
}

/// No host reads the ring: printed lines go to the terminal or the browser's console, the
/// rest is dropped.
fn unattached(kind: RecordKind, arg: u32, payload: &[u8]) {
    if kind == RecordKind::Line {
        pp_platform::stdio::unattached_line(arg, &String::from_utf8_lossy(payload));
    }
}
