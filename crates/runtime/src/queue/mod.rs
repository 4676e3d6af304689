//! Python's `queue` module: `Queue`, `LifoQueue`, `PriorityQueue`, `SimpleQueue`, and the
//! `Empty` / `Full` errors.
//!
//! All four share one core, written as CPython writes `queue.Queue`: one mutex and three
//! conditions on it (`not_empty`, `not_full`, `all_tasks_done`); only the storage differs.
//! Every blocking operation has one deadline-taking core (`put_deadline`, `get_deadline`),
//! as crossbeam-channel's `send_deadline`; the Python-shaped doors (`put`, `put_nowait`,
//! `put_timeout`) are thin wrappers.
//!
//! ```
//! use pp_runtime::queue::LifoQueue;
//! let q = LifoQueue::new(0);
//! for i in 0..3 { q.put(i); }
//! assert_eq!((q.get(), q.get(), q.get()), (2, 1, 0));
//! ```

mod core;
mod store;

pub use self::core::QueueCore;
pub use crate::errors::{Empty, Full, GetError, PutError};
pub use store::{Fifo, Lifo, Priority, Store};

/// `queue.Queue(maxsize=0)`: first in, first out. `maxsize <= 0` means unbounded.
pub type Queue<T> = QueueCore<T, Fifo<T>>;
/// `queue.LifoQueue`: last in, first out.
pub type LifoQueue<T> = QueueCore<T, Lifo<T>>;
/// `queue.PriorityQueue`: smallest first (`heapq` order).
pub type PriorityQueue<T> = QueueCore<T, Priority<T>>;

/// `queue.SimpleQueue`: unbounded FIFO without task tracking.
pub struct SimpleQueue<T> {
    inner: Queue<T>,
}

impl<T: Send> Default for SimpleQueue<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Send> SimpleQueue<T> {
    pub fn new() -> Self {
        SimpleQueue { inner: QueueCore::new(0) }
    }
    /// Never blocks: a SimpleQueue is unbounded (`block` and `timeout` are ignored in Python too).
    pub fn put(&self, item: T) {
        self.inner.put(item)
    }
    pub fn put_nowait(&self, item: T) {
        self.inner.put(item)
    }
    pub fn get(&self) -> T {
        self.inner.get()
    }
    pub fn get_timeout(&self, timeout: f64) -> Result<T, GetError> {
        self.inner.get_timeout(timeout)
    }
    pub fn get_nowait(&self) -> Result<T, Empty> {
        self.inner.get_nowait()
    }
    pub fn qsize(&self) -> usize {
        self.inner.qsize()
    }
    pub fn empty(&self) -> bool {
        self.inner.empty()
    }
}
