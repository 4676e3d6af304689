//! `multiprocessing.Queue`, `JoinableQueue` and `SimpleQueue`: items are serialized into a
//! byte ring in the run's segment, so any process of the run can put and get.
//!
//! A queue crosses to a child process as its place in the segment (like CPython's queue,
//! which crosses as its pipe and locks). `maxsize` counts items, as in CPython.
//!
//! As CPython's, a `put` on an unbounded queue never waits for a reader: an item that does
//! not fit in the ring now (a large one, or a full ring) goes to this process's feeder thread
//! for that queue (`QueueFeederThread`, as CPython names it), which writes it, in pieces if it
//! must, while the program goes on; later puts of the process follow it in order. The feeder
//! is not a daemon: a process's end waits until its queued items are in the ring (CPython's
//! `_finalize_join`), so none is lost.

use super::pickle::{decode, encode};
use super::ring::{SegRing, READER_CLOSED};
use super::shared::{segment, wait_word};
use pp_platform::clock::Instant;
use pp_platform::segment::Segment;
use pp_runtime::errors::{PyErr, PyResult, RecvError, SendError};
use pp_runtime::queue::{Empty, Full};
use pp_runtime::runtime::Runtime;
use pp_runtime::sync::RawMutex;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::marker::PhantomData;
use std::sync::Arc;

/// Bytes of a queue's ring unless asked otherwise (a larger item crosses in pieces): small, as
/// the segment never frees it (macOS's pipe buffer is as large; Linux's is 64 KiB).
pub const DEFAULT_RING_BYTES: u32 = 16 << 10;

/// `multiprocessing.Queue(maxsize=0)`.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Queue<T> {
    ring: SegRing,
    maxsize: u32,
    /// JoinableQueue's words (unfinished tasks, and the word `join` sleeps on); 0 if none.
    joinable: u32,
    #[serde(skip)]
    _items: PhantomData<fn() -> T>,
}

impl<T> Clone for Queue<T> {
    fn clone(&self) -> Self {
        Queue { ring: self.ring, maxsize: self.maxsize, joinable: self.joinable, _items: PhantomData }
    }
}

/// `multiprocessing.JoinableQueue`: a [`Queue`] (it derefs to one) with `task_done()` and
/// `join()`, which a plain queue does not have.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct JoinableQueue<T> {
    queue: Queue<T>,
}

impl<T> Clone for JoinableQueue<T> {
    fn clone(&self) -> Self {
        JoinableQueue { queue: self.queue.clone() }
    }
}

impl<T> std::ops::Deref for JoinableQueue<T> {
    type Target = Queue<T>;
    fn deref(&self) -> &Queue<T> {
        &self.queue
    }
}

/// This process's feeders, by queue (a [`Runtime`] extension).
#[derive(Default)]
struct Feeders {
    by_ring: RawMutex<Vec<(u32, Arc<RawMutex<Feeding>>)>>,
}

/// What a queue's feeder thread still has to write, and whether it runs.
#[derive(Default)]
struct Feeding {
    pending: VecDeque<Vec<u8>>,
    running: bool,
}

impl Feeders {
    fn of(ring: u32) -> Arc<RawMutex<Feeding>> {
        let feeders = Runtime::current().extension::<Feeders>();
        let mut by_ring = feeders.by_ring.lock();
        if let Some((_, f)) = by_ring.iter().find(|(r, _)| *r == ring) {
            return f.clone();
        }
        let f = Arc::new(RawMutex::new(Feeding::default()));
        by_ring.push((ring, f.clone()));
        f
    }
}

impl<T: Serialize + DeserializeOwned> Queue<T> {
    /// `Queue(maxsize)`; 0 means unbounded.
    pub fn new(maxsize: u32) -> PyResult<Queue<T>> {
        Self::with_ring(maxsize, DEFAULT_RING_BYTES, false)
    }

    /// A queue whose buffer holds `bytes` (the pool's task and result queues are larger).
    pub(crate) fn with_ring(maxsize: u32, bytes: u32, joinable: bool) -> PyResult<Queue<T>> {
        let seg = segment();
        let ring = SegRing::create(&seg, bytes)?;
        let joinable = if joinable { seg.alloc(8)? } else { 0 };
        Ok(Queue { ring, maxsize, joinable, _items: PhantomData })
    }

    /// `put(obj)`: waits for room as long as it takes.
    pub fn put(&self, item: &T) -> PyResult<()> {
        self.put_deadline(item, true, None)
    }

    /// `put(obj, timeout=t)`: `queue.Full` after the timeout.
    pub fn put_timeout(&self, item: &T, timeout: f64) -> PyResult<()> {
        self.put_deadline(item, true, pp_runtime::timeout::at_most(Some(timeout)))
    }

    /// `put_nowait(obj)`.
    pub fn put_nowait(&self, item: &T) -> PyResult<()> {
        self.put_deadline(item, false, None)
    }

    /// The core of every put.
    pub fn put_deadline(&self, item: &T, block: bool, deadline: Option<Instant>) -> PyResult<()> {
        let seg = segment();
        let bytes = encode(item)?;
        if self.joinable != 0 {
            seg.fetch_add(self.joinable + UNFINISHED, 1);
        }
        if self.maxsize == 0 && block {
            return self.feed(&seg, bytes);
        }
        let sent = self.ring.send(&seg, bytes, block, deadline, self.maxsize);
        if sent.is_err() && self.joinable != 0 {
            seg.fetch_sub(self.joinable + UNFINISHED, 1);
        }
        match sent {
            Ok(()) => Ok(()),
            Err(SendError::Full(_)) => Err(Full(()).into()),
            Err(SendError::Segment(e)) => Err(e.into()),
            Err(SendError::Closed(_)) => Err(PyErr::value_error("Queue is closed")),
        }
    }

    /// An unbounded queue's put: into the ring now if the item fits and no earlier item of
    /// this process waits in the feeder, else to the feeder.
    fn feed(&self, seg: &Segment, bytes: Vec<u8>) -> PyResult<()> {
        let feeding = Feeders::of(self.ring.at);
        let mut f = feeding.lock();
        if f.running {
            f.pending.push_back(bytes);
            return Ok(());
        }
        match self.ring.send(seg, bytes, false, None, 0) {
            Ok(()) => Ok(()),
            Err(SendError::Full(bytes)) => {
                f.pending.push_back(bytes);
                f.running = true;
                drop(f);
                self.start_feeder(feeding)
            }
            Err(SendError::Segment(e)) => Err(e.into()),
            Err(SendError::Closed(_)) => Err(PyErr::value_error("Queue is closed")),
        }
    }

    fn start_feeder(&self, feeding: Arc<RawMutex<Feeding>>) -> PyResult<()> {
        let ring = self.ring;
        let feeder = pp_runtime::threading::Thread::new(move || loop {
            let next = {
                let mut f = feeding.lock();
                match f.pending.pop_front() {
                    Some(bytes) => bytes,
                    None => {
                        f.running = false;
                        return;
                    }
                }
            };
            // A closed queue drops what is left, as CPython's feeder does.
            let _ = ring.send(&segment(), next, true, None, 0);
        });
        feeder.with_name("QueueFeederThread").with_daemon(false).start()
    }

    /// Puts every item, batching them into the ring (no `maxsize` check: for the pool's own
    /// unbounded queues).
    pub fn put_all(&self, items: &[T]) -> PyResult<()> {
        let encoded: Vec<Vec<u8>> = items.iter().map(encode).collect::<PyResult<_>>()?;
        match self.ring.send_all(&segment(), encoded) {
            Ok(()) => Ok(()),
            Err(SendError::Segment(e)) => Err(e.into()),
            Err(_) => Err(PyErr::value_error("Queue is closed")),
        }
    }

    /// Waits for at least one item, then takes up to `max` at once.
    pub fn get_many(&self, max: usize) -> PyResult<Vec<T>> {
        match self.ring.recv_many(&segment(), max, None) {
            Ok(items) => items.iter().map(|b| decode(b)).collect(),
            Err(_) => Err(Empty.into()),
        }
    }

    /// `get()`: waits for an item as long as it takes.
    pub fn get(&self) -> PyResult<T> {
        self.get_deadline(true, None)
    }

    /// `get(timeout=t)`: `queue.Empty` after the timeout.
    pub fn get_timeout(&self, timeout: f64) -> PyResult<T> {
        self.get_deadline(true, pp_runtime::timeout::at_most(Some(timeout)))
    }

    /// `get_nowait()`.
    pub fn get_nowait(&self) -> PyResult<T> {
        self.get_deadline(false, None)
    }

    /// The core of every get.
    pub fn get_deadline(&self, block: bool, deadline: Option<Instant>) -> PyResult<T> {
        match self.ring.recv(&segment(), block, deadline) {
            Ok(bytes) => decode(&bytes),
            Err(RecvError::Empty) | Err(RecvError::Closed) => Err(Empty.into()),
            Err(RecvError::Segment(e)) => Err(e.into()),
        }
    }

    /// Where its ring is: a name for the queue within the run.
    pub fn ring_offset(&self) -> u32 {
        self.ring.at
    }

    pub fn qsize(&self) -> usize {
        self.ring.len(&segment()) as usize
    }

    pub fn empty(&self) -> bool {
        self.qsize() == 0
    }

    pub fn full(&self) -> bool {
        self.maxsize > 0 && self.qsize() >= self.maxsize as usize
    }

    /// `close()`: no more puts from anyone (CPython closes this process's end; here the
    /// queue is one shared object, so do it when the program is done putting).
    pub fn close(&self) {
        self.ring.close(&segment(), READER_CLOSED);
    }
}

/// Byte offsets in a JoinableQueue's 8 bytes of the segment: the count of unfinished tasks, and
/// a generation bumped each time that count reaches zero, which `join` sleeps on (read before
/// the count, so a `task_done` between the two is never missed).
const UNFINISHED: u32 = 0;
const ALL_DONE: u32 = 4;

impl<T: Serialize + DeserializeOwned> JoinableQueue<T> {
    /// `JoinableQueue(maxsize)`; 0 means unbounded.
    pub fn new(maxsize: u32) -> PyResult<JoinableQueue<T>> {
        Ok(JoinableQueue { queue: Queue::with_ring(maxsize, DEFAULT_RING_BYTES, true)? })
    }

    /// `task_done()`.
    pub fn task_done(&self) -> PyResult<()> {
        let seg = segment();
        let words = self.queue.joinable;
        loop {
            let n = seg.load(words + UNFINISHED);
            if n == 0 {
                return Err(PyErr::value_error("task_done() called too many times"));
            }
            if seg.cas(words + UNFINISHED, n, n - 1).is_ok() {
                if n == 1 {
                    seg.fetch_add(words + ALL_DONE, 1);
                    seg.notify(words + ALL_DONE, u32::MAX);
                }
                return Ok(());
            }
        }
    }

    /// `join()`: until every item put was marked done.
    pub fn join(&self) -> PyResult<()> {
        let seg = segment();
        let words = self.queue.joinable;
        let _blocked = pp_runtime::watch::blocked_on_id(0, pp_runtime::watch::Why::Join, false);
        loop {
            let seen = seg.load(words + ALL_DONE);
            if seg.load(words + UNFINISHED) == 0 {
                return Ok(());
            }
            wait_word(&seg, words + ALL_DONE, seen, None);
        }
    }
}

/// `multiprocessing.SimpleQueue`: unbounded, without timeouts or task tracking.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct SimpleQueue<T> {
    queue: Queue<T>,
}

impl<T> Clone for SimpleQueue<T> {
    fn clone(&self) -> Self {
        SimpleQueue { queue: self.queue.clone() }
    }
}

impl<T: Serialize + DeserializeOwned> SimpleQueue<T> {
    pub fn new() -> PyResult<SimpleQueue<T>> {
        Ok(SimpleQueue { queue: Queue::new(0)? })
    }
    pub fn put(&self, item: &T) -> PyResult<()> {
        self.queue.put(item)
    }
    pub fn get(&self) -> PyResult<T> {
        self.queue.get()
    }
    pub fn empty(&self) -> bool {
        self.queue.empty()
    }
    pub fn close(&self) {
        self.queue.close()
    }
}
