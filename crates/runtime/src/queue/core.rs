//! CPython's `queue.Queue`, over any [`Store`].

use super::store::Store;
use crate::errors::{Empty, Full, GetError, PutError};
use crate::errors::{PyErr, PyResult};
use crate::threading::Lock;
use crate::threading::{CondLock, Condition};
use crate::watch::{ObjectKind, Why};
use pp_platform::clock::{self, Instant};
use std::cell::UnsafeCell;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

pub struct QueueCore<T, S> {
    /// Python lets a program change `q.maxsize` at any time; so can a port.
    maxsize: AtomicUsize,
    mutex: Arc<Lock>,
    not_empty: Condition,
    not_full: Condition,
    all_tasks_done: Condition,
    state: UnsafeCell<State<S>>,
    _items: PhantomData<T>,
}

struct State<S> {
    store: S,
    unfinished_tasks: usize,
}

// SAFETY: `state` is only touched while `mutex` is held (see `locked`), so shared access
// from several threads is serialized; the items are `Send`.
unsafe impl<T: Send, S: Send> Sync for QueueCore<T, S> {}
// SAFETY: moving the queue moves its items, which are `Send`.
unsafe impl<T: Send, S: Send> Send for QueueCore<T, S> {}

/// The held mutex, and through it the state.
struct Locked<'a, T, S> {
    q: &'a QueueCore<T, S>,
}

impl<T, S> std::ops::Deref for Locked<'_, T, S> {
    type Target = State<S>;
    fn deref(&self) -> &State<S> {
        // SAFETY: we hold the mutex.
        unsafe { &*self.q.state.get() }
    }
}
impl<T, S> std::ops::DerefMut for Locked<'_, T, S> {
    fn deref_mut(&mut self) -> &mut State<S> {
        // SAFETY: we hold the mutex, and `&mut self` is unique.
        unsafe { &mut *self.q.state.get() }
    }
}
impl<T, S> Drop for Locked<'_, T, S> {
    fn drop(&mut self) {
        let _ = self.q.mutex.release();
    }
}

impl<T: Send, S: Store<T>> QueueCore<T, S> {
    /// `maxsize == 0` means unbounded, as Python's `maxsize <= 0`.
    pub fn new(maxsize: usize) -> Self {
        Self::build(maxsize, None)
    }

    /// A queue with a display name for the UI.
    pub fn named(maxsize: usize, name: &str) -> Self {
        Self::build(maxsize, Some(name))
    }

    fn build(maxsize: usize, name: Option<&str>) -> Self {
        let mutex = Arc::new(Lock::with_kind(ObjectKind::Queue, name));
        // The conditions report their waits as waits on the queue.
        let cond = || Condition::internal(CondLock::Lock(mutex.clone()), mutex.watch_alias());
        QueueCore {
            maxsize: AtomicUsize::new(maxsize),
            not_empty: cond(),
            not_full: cond(),
            all_tasks_done: cond(),
            mutex,
            state: UnsafeCell::new(State { store: S::default(), unfinished_tasks: 0 }),
            _items: PhantomData,
        }
    }

    fn locked(&self) -> Locked<'_, T, S> {
        self.mutex.acquire_blocking();
        Locked { q: self }
    }

    pub fn maxsize(&self) -> usize {
        self.maxsize.load(Relaxed)
    }

    /// `q.maxsize = n` (0: unbounded).
    pub fn set_maxsize(&self, maxsize: usize) {
        self.maxsize.store(maxsize, Relaxed)
    }

    pub fn qsize(&self) -> usize {
        self.locked().store.len()
    }

    pub fn empty(&self) -> bool {
        self.locked().store.is_empty()
    }

    pub fn full(&self) -> bool {
        let max = self.maxsize();
        max > 0 && self.locked().store.len() >= max
    }

    /// `put(item)`: waits for room as long as it takes.
    pub fn put(&self, item: T) {
        if self.put_deadline(item, true, None).is_err() {
            unreachable!("a put without deadline only returns once it has put");
        }
    }

    /// `put(item, block=True, timeout=t)`.
    pub fn put_timeout(&self, item: T, timeout: f64) -> Result<(), PutError<T>> {
        // CPython checks the sign only when the queue is bounded.
        if self.maxsize() > 0 && (timeout < 0.0 || timeout.is_nan()) {
            return Err(PutError::NegativeTimeout(item));
        }
        self.put_deadline(item, true, crate::timeout::after(timeout)).map_err(|Full(item)| PutError::Full(item))
    }

    /// `put_nowait(item)` = `put(item, block=False)`.
    pub fn put_nowait(&self, item: T) -> Result<(), Full<T>> {
        self.put_deadline(item, false, None)
    }

    /// The core of every put.
    pub fn put_deadline(&self, item: T, block: bool, deadline: Option<Instant>) -> Result<(), Full<T>> {
        let mut s = self.locked();
        if self.maxsize() > 0 {
            while s.store.len() >= self.maxsize() {
                if !block || clock::remaining(deadline) == Some(Duration::ZERO) {
                    return Err(Full(item));
                }
                let _ = self.not_full.wait_deadline(deadline, Why::Put);
            }
        }
        s.store.push(item);
        s.unfinished_tasks += 1;
        self.not_empty.notify_unchecked(1);
        Ok(())
    }

    /// Puts every item under one acquisition of the mutex (no Python counterpart: a pool's
    /// task handler uses it so that 10,000 small tasks do not each pay a lock and a wake-up).
    /// Unbounded queues only: a bounded one would have to wait in the middle of the batch.
    pub fn put_all(&self, items: impl IntoIterator<Item = T>) {
        assert_eq!(self.maxsize(), 0, "put_all is for unbounded queues");
        let mut s = self.locked();
        let before = s.store.len();
        items.into_iter().for_each(|item| s.store.push(item));
        let added = s.store.len() - before;
        s.unfinished_tasks += added;
        self.not_empty.notify_unchecked(added);
    }

    /// Waits for at least one item, then takes up to `max` of them under the same acquisition.
    pub fn get_many(&self, max: usize) -> Vec<T> {
        let mut s = self.locked();
        while s.store.is_empty() {
            let _ = self.not_empty.wait_deadline(None, Why::Get);
        }
        let batch: Vec<T> = std::iter::from_fn(|| s.store.pop()).take(max).collect();
        self.not_full.notify_unchecked(batch.len());
        batch
    }

    /// `get()`: waits for an item as long as it takes.
    pub fn get(&self) -> T {
        match self.get_deadline(true, None) {
            Ok(item) => item,
            Err(Empty) => unreachable!("a get without deadline only returns with an item"),
        }
    }

    /// `get(block=True, timeout=t)`.
    pub fn get_timeout(&self, timeout: f64) -> Result<T, GetError> {
        let Ok(deadline) = crate::timeout::non_negative(Some(timeout)) else {
            return Err(GetError::NegativeTimeout);
        };
        self.get_deadline(true, deadline).map_err(|Empty| GetError::Empty)
    }

    /// `get_nowait()` = `get(block=False)`.
    pub fn get_nowait(&self) -> Result<T, Empty> {
        self.get_deadline(false, None)
    }

    /// The core of every get.
    pub fn get_deadline(&self, block: bool, deadline: Option<Instant>) -> Result<T, Empty> {
        let mut s = self.locked();
        loop {
            if let Some(item) = s.store.pop() {
                self.not_full.notify_unchecked(1);
                return Ok(item);
            }
            if !block || clock::remaining(deadline) == Some(Duration::ZERO) {
                return Err(Empty);
            }
            let _ = self.not_empty.wait_deadline(deadline, Why::Get);
        }
    }

    /// `task_done()`: one fewer unfinished task; `join()` returns when none is left.
    pub fn task_done(&self) -> PyResult<()> {
        let mut s = self.locked();
        match s.unfinished_tasks {
            0 => Err(PyErr::value_error("task_done() called too many times")),
            n => {
                s.unfinished_tasks = n - 1;
                if n == 1 {
                    self.all_tasks_done.notify_unchecked(usize::MAX);
                }
                Ok(())
            }
        }
    }

    /// `join()`: waits until every item put has been marked done.
    pub fn join(&self) {
        let s = self.locked();
        // The wait releases the lock, and the threads calling `task_done` change the count.
        #[allow(clippy::while_immutable_condition)]
        while s.unfinished_tasks > 0 {
            let _ = self.all_tasks_done.wait_deadline(None, Why::Join);
        }
    }

    /// The watch table's id of this queue.
    pub fn watch_id(&self) -> u32 {
        self.mutex.watch_id()
    }
}
