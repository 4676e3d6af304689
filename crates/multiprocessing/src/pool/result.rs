//! `AsyncResult` (CPython's ApplyResult and MapResult) and the imap iterators, and how the
//! pool's result handler fills them as chunks come back. Callbacks run there: in the
//! process that submitted the job, as in CPython.

use crate::pickle::decode;
use pp_platform::clock;
use pp_runtime::errors::{PyErr, PyErrKind, PyResult};
use pp_runtime::sync::{OneShot, RawMutex};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering::*};
use std::sync::Arc;
use std::time::Duration;

pub type Callback<V> = Box<dyn FnOnce(&V) + Send>;
pub type ErrorCallback = Box<dyn FnOnce(&PyErr) + Send>;

fn mp_timeout() -> PyErr {
    PyErr::new(PyErrKind::MpTimeout, "")
}

struct Cell<T> {
    value: RawMutex<Option<PyResult<T>>>,
    ready: OneShot,
    class: &'static str,
}

/// The result of an `apply_async` or `map_async`.
pub struct AsyncResult<T> {
    cell: Arc<Cell<T>>,
}

impl<T> Clone for AsyncResult<T> {
    fn clone(&self) -> Self {
        AsyncResult { cell: self.cell.clone() }
    }
}

impl<T: Clone> AsyncResult<T> {
    fn new(class: &'static str) -> AsyncResult<T> {
        AsyncResult { cell: Arc::new(Cell { value: RawMutex::new(None), ready: OneShot::new(), class }) }
    }

    fn set(&self, value: PyResult<T>) {
        *self.cell.value.lock() = Some(value);
        self.cell.ready.set(u32::MAX);
    }

    /// `get(timeout=None)`: the value, or the task's error re-raised, or
    /// `multiprocessing.context.TimeoutError`.
    pub fn get(&self, timeout: Option<f64>) -> PyResult<T> {
        if !self.wait(timeout) {
            return Err(mp_timeout());
        }
        self.cell.value.lock().clone().expect("set before ready")
    }

    /// `wait(timeout=None)`: `true` once ready.
    pub fn wait(&self, timeout: Option<f64>) -> bool {
        if self.cell.ready.is_set() {
            return true;
        }
        let deadline = pp_runtime::timeout::at_most(timeout);
        let _gil = pp_runtime::gil::unlocked();
        let mut blocked = None;
        self.cell.ready.wait(deadline, || {
            blocked = Some(pp_runtime::watch::blocked_on_id(0, pp_runtime::watch::Why::Wait, deadline.is_some()))
        })
    }

    pub fn ready(&self) -> bool {
        self.cell.ready.is_set()
    }

    /// `successful()`: a `ValueError` if not ready yet, as in CPython.
    pub fn successful(&self) -> PyResult<bool> {
        match &*self.cell.value.lock() {
            None => Err(PyErr::value_error(format!("{self} not ready"))),
            Some(v) => Ok(v.is_ok()),
        }
    }
}

impl<T> std::fmt::Display for AsyncResult<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<multiprocessing.pool.{} object at {:#x}>", self.cell.class, Arc::as_ptr(&self.cell) as usize)
    }
}

/// Where a job's chunks go as they come back; `true` once the job is over.
pub(crate) trait Sink: Send {
    fn chunk(&mut self, chunk: u32, outcome: Result<Vec<u8>, PyErr>) -> bool;
}

/// apply / apply_async: one chunk of one item.
pub(crate) struct ApplySink<V> {
    pub result: AsyncResult<V>,
    pub callback: Option<Callback<V>>,
    pub error_callback: Option<ErrorCallback>,
}

impl<V: DeserializeOwned + Clone + Send + 'static> ApplySink<V> {
    pub fn new(callback: Option<Callback<V>>, error_callback: Option<ErrorCallback>) -> Self {
        ApplySink { result: AsyncResult::new("ApplyResult"), callback, error_callback }
    }
}

impl<V: DeserializeOwned + Clone + Send + 'static> Sink for ApplySink<V> {
    fn chunk(&mut self, _: u32, outcome: Result<Vec<u8>, PyErr>) -> bool {
        let value = outcome
            .and_then(|bytes| decode::<Vec<V>>(&bytes))
            .and_then(|mut v| v.pop().ok_or_else(|| PyErr::runtime_error("a task came back without its value")));
        finish(&self.result, value, &mut self.callback, &mut self.error_callback);
        true
    }
}

/// Callbacks first, then the result is ready (CPython's order).
fn finish<T: Clone>(
    result: &AsyncResult<T>,
    value: PyResult<T>,
    callback: &mut Option<Callback<T>>,
    error_callback: &mut Option<ErrorCallback>,
) {
    match &value {
        Ok(v) => {
            if let Some(cb) = callback.take() {
                cb(v)
            }
        }
        Err(e) => {
            if let Some(cb) = error_callback.take() {
                cb(e)
            }
        }
    }
    result.set(value);
}

/// map / map_async / starmap: the chunks, in order; the first error fails the whole map.
pub(crate) struct MapSink<V> {
    pub result: AsyncResult<Vec<V>>,
    chunks: Vec<Option<Vec<V>>>,
    remaining: usize,
    callback: Option<Callback<Vec<V>>>,
    error_callback: Option<ErrorCallback>,
}

impl<V: DeserializeOwned + Clone + Send + 'static> MapSink<V> {
    pub fn new(chunks: usize, callback: Option<Callback<Vec<V>>>, error_callback: Option<ErrorCallback>) -> Self {
        let sink = MapSink {
            result: AsyncResult::new("MapResult"),
            chunks: (0..chunks).map(|_| None).collect(),
            remaining: chunks,
            callback,
            error_callback,
        };
        if chunks == 0 {
            sink.result.set(Ok(Vec::new()));
        }
        sink
    }
}

impl<V: DeserializeOwned + Clone + Send + 'static> Sink for MapSink<V> {
    fn chunk(&mut self, chunk: u32, outcome: Result<Vec<u8>, PyErr>) -> bool {
        match outcome.and_then(|bytes| decode::<Vec<V>>(&bytes)) {
            Err(e) => {
                finish(&self.result, Err(e), &mut self.callback, &mut self.error_callback);
                true
            }
            Ok(values) => {
                self.chunks[chunk as usize] = Some(values);
                self.remaining -= 1;
                if self.remaining == 0 {
                    let all = self.chunks.iter_mut().flat_map(|c| c.take().unwrap_or_default()).collect();
                    finish(&self.result, Ok(all), &mut self.callback, &mut self.error_callback);
                }
                self.remaining == 0
            }
        }
    }
}

struct IMapShared<V> {
    /// Values by index, until handed out; an error stands for its whole chunk.
    items: RawMutex<BTreeMap<usize, PyResult<V>>>,
    /// Bumped when items arrive; `next` waits on it.
    arrived: AtomicU32,
    total: usize,
}

/// `imap()` / `imap_unordered()`: values as they come, in order or not.
pub struct IMapIterator<V> {
    shared: Arc<IMapShared<V>>,
    ordered: bool,
    handed: usize,
}

pub(crate) struct IMapSink<V> {
    shared: Arc<IMapShared<V>>,
    chunksize: usize,
    remaining: usize,
}

pub(crate) fn imap_pair<V>(
    total: usize,
    chunksize: usize,
    chunks: usize,
    ordered: bool,
) -> (IMapIterator<V>, IMapSink<V>) {
    let shared = Arc::new(IMapShared { items: RawMutex::new(BTreeMap::new()), arrived: AtomicU32::new(0), total });
    (IMapIterator { shared: shared.clone(), ordered, handed: 0 }, IMapSink { shared, chunksize, remaining: chunks })
}

impl<V: DeserializeOwned + Send + 'static> Sink for IMapSink<V> {
    fn chunk(&mut self, chunk: u32, outcome: Result<Vec<u8>, PyErr>) -> bool {
        let first = chunk as usize * self.chunksize;
        {
            let mut items = self.shared.items.lock();
            match outcome.and_then(|bytes| decode::<Vec<V>>(&bytes)) {
                Ok(values) => {
                    for (i, v) in values.into_iter().enumerate() {
                        items.insert(first + i, Ok(v));
                    }
                }
                Err(e) => {
                    let last = (first + self.chunksize).min(self.shared.total);
                    for i in first..last {
                        items.insert(i, Err(e.clone()));
                    }
                }
            }
        }
        self.shared.arrived.fetch_add(1, Release);
        pp_platform::futex::wake_all(&self.shared.arrived);
        self.remaining -= 1;
        self.remaining == 0
    }
}

impl<V> IMapIterator<V> {
    /// `next(timeout=None)`; `None` at the end, TimeoutError when the timeout passes.
    pub fn next_timeout(&mut self, timeout: Option<f64>) -> Option<PyResult<V>> {
        if self.handed == self.shared.total {
            return None;
        }
        let deadline = pp_runtime::timeout::at_most(timeout);
        let _gil = pp_runtime::gil::unlocked();
        loop {
            let seen = self.shared.arrived.load(Acquire);
            {
                let mut items = self.shared.items.lock();
                let key = if self.ordered { Some(self.handed) } else { items.keys().next().copied() };
                if let Some(v) = key.and_then(|k| items.remove(&k)) {
                    self.handed += 1;
                    return Some(v);
                }
            }
            if clock::remaining(deadline) == Some(Duration::ZERO) {
                return Some(Err(mp_timeout()));
            }
            let _blocked = pp_runtime::watch::blocked_on_id(0, pp_runtime::watch::Why::Get, deadline.is_some());
            if !pp_platform::futex::spin(&self.shared.arrived, seen) {
                pp_platform::futex::wait(&self.shared.arrived, seen, clock::remaining(deadline));
            }
        }
    }
}

impl<V> Iterator for IMapIterator<V> {
    type Item = PyResult<V>;
    fn next(&mut self) -> Option<PyResult<V>> {
        self.next_timeout(None)
    }
}
