//! `multiprocessing.Queue`, `JoinableQueue` and `SimpleQueue`: items are serialized into a
//! byte ring in the run's segment, so any process of the run can put and get.
//!
//! A queue crosses to a child process as its place in the segment (like CPython's queue,
//! which crosses as its pipe and locks). `maxsize` counts items, as in CPython.

use super::process::{decode, encode};
use super::shared::{segment, wait_word, RecvError, SegRing, SendError};
use crate::errors::{PyErr, PyResult};
use crate::platform::clock::Instant;
use crate::queue::{Empty, Full};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::marker::PhantomData;

/// Bytes of a queue's ring unless asked otherwise: an item must fit in it.
pub const DEFAULT_RING_BYTES: u32 = 64 << 10;

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

/// `multiprocessing.JoinableQueue`: a Queue with `task_done()` and `join()`.
pub type JoinableQueue<T> = Queue<T>;

fn deadline(timeout: f64) -> Option<Instant> {
    crate::timeout::at_most(Some(timeout))
}

fn too_large(n: usize) -> PyErr {
    PyErr::value_error(format!("an item of {n} bytes does not fit in the queue's buffer"))
}

impl<T: Serialize + DeserializeOwned> Queue<T> {
    /// `Queue(maxsize)`; 0 means unbounded.
    pub fn new(maxsize: u32) -> PyResult<Queue<T>> {
        Self::with_ring(maxsize, DEFAULT_RING_BYTES, false)
    }

    /// `JoinableQueue(maxsize)`.
    pub fn joinable(maxsize: u32) -> PyResult<Queue<T>> {
        Self::with_ring(maxsize, DEFAULT_RING_BYTES, true)
    }

    /// A queue whose buffer holds `bytes` (the pool's task and result queues are larger).
    pub fn with_ring(maxsize: u32, bytes: u32, joinable: bool) -> PyResult<Queue<T>> {
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
        self.put_deadline(item, true, deadline(timeout))
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
            seg.fetch_add(self.joinable, 1);
        }
        let sent = self.ring.send(&seg, bytes, block, deadline, self.maxsize);
        if sent.is_err() && self.joinable != 0 {
            seg.fetch_sub(self.joinable, 1);
        }
        match sent {
            Ok(()) => Ok(()),
            Err(SendError::Full(_)) => Err(Full(()).into()),
            Err(SendError::TooLarge(n)) => Err(too_large(n)),
            Err(SendError::Closed(_)) => Err(PyErr::value_error("Queue is closed")),
        }
    }

    /// Puts every item, batching them into the ring (no `maxsize` check: for the pool's own
    /// unbounded queues).
    pub fn put_all(&self, items: &[T]) -> PyResult<()> {
        let encoded: Vec<Vec<u8>> = items.iter().map(encode).collect::<PyResult<_>>()?;
        match self.ring.send_all(&segment(), encoded) {
            Ok(()) => Ok(()),
            Err(SendError::TooLarge(n)) => Err(too_large(n)),
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
        self.get_deadline(true, deadline(timeout))
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
        self.ring.close(&segment(), super::shared::READER_CLOSED);
    }

    /// `task_done()` (JoinableQueue).
    pub fn task_done(&self) -> PyResult<()> {
        let seg = segment();
        if self.joinable == 0 {
            return Err(PyErr::new(crate::PyErrKind::AttributeError, "'Queue' object has no attribute 'task_done'"));
        }
        loop {
            let n = seg.load(self.joinable);
            if n == 0 {
                return Err(PyErr::value_error("task_done() called too many times"));
            }
            if seg.cas(self.joinable, n, n - 1).is_ok() {
                if n == 1 {
                    seg.fetch_add(self.joinable + 4, 1);
                    seg.notify(self.joinable + 4, u32::MAX);
                }
                return Ok(());
            }
        }
    }

    /// `join()` (JoinableQueue): until every item put was marked done.
    pub fn join(&self) -> PyResult<()> {
        let seg = segment();
        if self.joinable == 0 {
            return Err(PyErr::new(crate::PyErrKind::AttributeError, "'Queue' object has no attribute 'join'"));
        }
        let _blocked = crate::watch::blocked_on_id(0, crate::watch::Why::Join, false);
        loop {
            let seen = seg.load(self.joinable + 4);
            if seg.load(self.joinable) == 0 {
                return Ok(());
            }
            wait_word(&seg, self.joinable + 4, seen, None);
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
