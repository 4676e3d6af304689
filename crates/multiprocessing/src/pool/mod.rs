//! `multiprocessing.Pool` and `multiprocessing.pool.ThreadPool`.
//!
//! As CPython's: tasks (chunks of arguments) go into one task queue that the workers block
//! on, results come back through one result queue to a result-handler thread in the
//! submitting process, which fills the `AsyncResult`s and runs the callbacks. For a Pool
//! both queues are rings in the run's shared segment, so a task costs no message to the
//! host; for a ThreadPool they are in-process queues.
//!
//! A worker process that dies (a Rust panic traps it) is noticed by a worker-handler
//! thread: the chunk it was running fails with a clear error, a new worker takes its place,
//! and the pool keeps working.

mod backend;
mod progress;
mod result;
mod task;

pub use result::{AsyncResult, Callback, ErrorCallback, IMapIterator};
pub use task::{TaskFn, TaskOutput};

/// What a task's arguments must be: serializable (they cross to the worker), clonable.
pub trait Arg: Serialize + serde::de::DeserializeOwned + Clone + Send + 'static {}
impl<T: Serialize + serde::de::DeserializeOwned + Clone + Send + 'static> Arg for T {}

use super::process::{encode, Process};
use super::queues::Queue as ProcessQueue;
use super::shared::segment;
use backend::{Backend, ThreadInit};
use pp_runtime::errors::{PyErr, PyResult};
use pp_runtime::queue::Queue as ThreadQueue;
use pp_runtime::sync::RawMutex;
use pp_runtime::threading::Thread;
use progress::{Job, Progress};
use result::{imap_pair, ApplySink, MapSink, Sink};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::*};
use std::sync::Arc;
use task::{Done, Task};

/// Ring bytes of a pool's task and result queues: a chunk must fit.
const POOL_RING_BYTES: u32 = 256 << 10;
/// The job id that tells the result handler to stop.
const STOP: u64 = u64::MAX;

const RUN: u32 = 0;
const CLOSE: u32 = 1;
const TERMINATE: u32 = 2;

struct Shared {
    backend: Backend,
    jobs: RawMutex<HashMap<u64, Job>>,
    state: AtomicU32,
    progress: Progress,
}

impl Shared {
    /// The result handler's loop: chunks back to their jobs, until told to stop.
    fn handle_results(&self) {
        loop {
            let batch = match self.backend.get_done() {
                Ok(d) => d,
                Err(e) => {
                    pp_runtime::eprintln!("the pool's result handler stopped: {e}");
                    return;
                }
            };
            // A job's sink is out of the table while it takes its chunks (its callbacks may
            // submit more jobs); the chunks of one map come back together, so a run of them
            // costs one look-up, not one per chunk.
            let mut batch = batch.into_iter().peekable();
            while let Some(done) = batch.next() {
                if done.job == STOP {
                    return;
                }
                let job = done.job;
                let Some(mut entry) = self.jobs.lock().remove(&job) else { continue };
                self.progress.done(entry.items_in(done.chunk));
                let mut over = entry.sink.chunk(done.chunk, done.outcome);
                while !over {
                    let Some(next) = batch.next_if(|d| d.job == job) else { break };
                    self.progress.done(entry.items_in(next.chunk));
                    over = entry.sink.chunk(next.chunk, next.outcome);
                }
                if !over {
                    self.jobs.lock().insert(job, entry);
                }
            }
            self.progress.tell();
        }
    }

    /// The worker handler's loop (processes): replace workers that ended, and fail the chunk
    /// of one that died while running it.
    fn handle_workers(&self) {
        let Backend::Processes { workers, slots, .. } = &self.backend else { return };
        let seg = segment();
        while self.state.load(Acquire) == RUN {
            pp_runtime::threading::sleep(0.02);
            let ended: Vec<(u32, Process)> = workers
                .lock()
                .iter()
                .enumerate()
                .filter(|(_, w)| w.exitcode().is_some())
                .map(|(i, w)| (i as u32, w.clone()))
                .collect();
            for (i, worker) in ended {
                if self.state.load(Acquire) != RUN {
                    return;
                }
                let slot = slots + 16 * i;
                if seg.swap(slot, 0) == 1 {
                    let job = u64::from(seg.load(slot + 4)) | u64::from(seg.load(slot + 8)) << 32;
                    let why = format!(
                        "the pool's worker {} died (exit code {}) while running this task: a Rust panic traps its process",
                        worker.name(),
                        worker.exitcode().unwrap_or(0)
                    );
                    let _ = self.backend.put_done(Done {
                        job,
                        chunk: seg.load(slot + 12),
                        outcome: Err(PyErr::runtime_error(why)),
                    });
                }
                if let Err(e) = self.backend.start_worker(i) {
                    pp_runtime::eprintln!("the pool could not replace a worker: {e}");
                }
            }
        }
    }
}

/// `multiprocessing.Pool` (processes) or `multiprocessing.pool.ThreadPool` (threads).
pub struct Pool {
    shared: Arc<Shared>,
    processes: usize,
    next_job: AtomicU64,
    handlers: Vec<Thread>,
}

/// `multiprocessing.pool.ThreadPool`: the same API, over threads of this process.
pub type ThreadPool = Pool;

impl Pool {
    /// `Pool(processes)`.
    pub fn new(processes: usize) -> PyResult<Pool> {
        Self::with(processes, None, 0)
    }

    /// `Pool(processes, initializer, initargs, maxtasksperchild)`: `initializer(initargs)`
    /// runs in each worker first; a worker ends after `maxtasksperchild` tasks (0: never)
    /// and is replaced.
    pub fn with_initializer<A: Serialize + serde::de::DeserializeOwned + 'static>(
        processes: usize,
        initializer: fn(A),
        initargs: A,
        maxtasksperchild: u32,
    ) -> PyResult<Pool> {
        let call = super::process::plain_call(initializer);
        Self::with(processes, Some((call, encode(&initargs)?)), maxtasksperchild)
    }

    fn with(processes: usize, initializer: Option<((usize, usize), Vec<u8>)>, maxtasks: u32) -> PyResult<Pool> {
        if processes == 0 {
            return Err(PyErr::value_error("Number of processes must be at least 1"));
        }
        let seg = segment();
        let backend = Backend::Processes {
            submitted: Arc::new(ThreadQueue::new(0)),
            tasks: ProcessQueue::with_ring(0, POOL_RING_BYTES, false)?,
            results: ProcessQueue::with_ring(0, POOL_RING_BYTES, false)?,
            workers: RawMutex::new(Vec::new()),
            slots: seg.alloc(16 * processes as u32)?,
            initializer,
            maxtasks,
        };
        Self::start(backend, processes)
    }

    /// `ThreadPool(processes)`.
    pub fn threads(processes: usize) -> PyResult<ThreadPool> {
        Self::threads_with(processes, None)
    }

    /// `ThreadPool(processes, initializer, initargs)`: `initializer(initargs)` runs in each
    /// worker thread first (a `fn`, as for processes: the same API).
    pub fn threads_with_initializer<A: Clone + Send + Sync + 'static>(
        processes: usize,
        initializer: fn(A),
        initargs: A,
    ) -> PyResult<ThreadPool> {
        Self::threads_with(processes, Some(Arc::new(move || initializer(initargs.clone()))))
    }

    fn threads_with(processes: usize, initializer: Option<ThreadInit>) -> PyResult<ThreadPool> {
        if processes == 0 {
            return Err(PyErr::value_error("Number of processes must be at least 1"));
        }
        let backend = Backend::Threads {
            tasks: Arc::new(ThreadQueue::new(0)),
            results: Arc::new(ThreadQueue::new(0)),
            workers: RawMutex::new(Vec::new()),
            initializer,
        };
        Self::start(backend, processes)
    }

    fn start(backend: Backend, processes: usize) -> PyResult<Pool> {
        let kind = if matches!(backend, Backend::Processes { .. }) { "Pool" } else { "ThreadPool" };
        let shared = Arc::new(Shared {
            backend,
            jobs: RawMutex::new(HashMap::new()),
            state: AtomicU32::new(RUN),
            progress: Progress::new(kind),
        });
        for i in 0..processes {
            shared.backend.start_worker(i as u32)?;
        }
        let mut handlers = Vec::new();
        let s = shared.clone();
        handlers.push(Thread::new(move || s.handle_results()).with_daemon(true));
        if matches!(shared.backend, Backend::Processes { .. }) {
            let s = shared.clone();
            handlers.push(Thread::new(move || s.handle_workers()).with_daemon(true));
            let s = shared.clone();
            handlers.push(Thread::new(move || s.backend.handle_tasks()).with_daemon(true));
        }
        handlers.iter().try_for_each(Thread::start)?;
        Ok(Pool { shared, processes, next_job: AtomicU64::new(0), handlers })
    }

    /// `with Pool(n) as p: ...`: the pool is terminated when the block ends, as
    /// `Pool.__exit__` does.
    pub fn scope<R>(processes: usize, body: impl FnOnce(&Pool) -> PyResult<R>) -> PyResult<R> {
        let pool = Pool::new(processes)?;
        let out = body(&pool);
        pool.terminate();
        out
    }

    fn check_running(&self) -> PyResult<()> {
        if self.shared.state.load(Acquire) == RUN {
            Ok(())
        } else {
            Err(PyErr::value_error("Pool not running"))
        }
    }

    /// Registers a job's sink, then queues its chunks.
    fn submit<F: TaskFn>(&self, f: F, items: &[F::Args], chunksize: usize, sink: Box<dyn Sink>) -> PyResult<()>
    where
        F::Args: Clone,
    {
        self.check_running()?;
        let job = self.next_job.fetch_add(1, Relaxed);
        let chunks: Vec<Task> = items
            .chunks(chunksize.max(1))
            .enumerate()
            .map(|(i, c)| Task::new(job, i as u32, f, c))
            .collect::<PyResult<_>>()?;
        self.shared.jobs.lock().insert(job, Job::new(sink, chunksize, items.len()));
        self.shared.progress.submitted(items.len());
        self.shared.backend.put_tasks(chunks.into_iter().map(Some).collect())
    }

    /// CPython's default chunk size: the items spread over four chunks per worker.
    fn default_chunksize(&self, n: usize) -> usize {
        n.div_ceil(self.processes * 4).max(1)
    }

    /// `apply_async(f, args, callback=None, error_callback=None)`: the callbacks run in this
    /// process, in the pool's result handler.
    pub fn apply_async_with<A: Arg, O: TaskOutput>(
        &self,
        f: fn(A) -> O,
        args: A,
        callback: Option<Callback<O::Value>>,
        error_callback: Option<ErrorCallback>,
    ) -> PyResult<AsyncResult<O::Value>>
    where
        O::Value: Clone,
    {
        let sink = ApplySink::new(callback, error_callback);
        let result = sink.result.clone();
        self.submit(f, &[args], 1, Box::new(sink))?;
        Ok(result)
    }

    /// `apply_async(f, args)`.
    pub fn apply_async<A: Arg, O: TaskOutput>(&self, f: fn(A) -> O, args: A) -> PyResult<AsyncResult<O::Value>>
    where
        O::Value: Clone,
    {
        self.apply_async_with(f, args, None, None)
    }

    /// `apply(f, args)`: runs it in one worker and waits.
    pub fn apply<A: Arg, O: TaskOutput>(&self, f: fn(A) -> O, args: A) -> PyResult<O::Value>
    where
        O::Value: Clone,
    {
        self.apply_async(f, args)?.get(None)
    }

    fn map_job<F: TaskFn>(
        &self,
        f: F,
        items: Vec<F::Args>,
        chunksize: Option<usize>,
        callback: Option<Callback<Vec<<F::Out as TaskOutput>::Value>>>,
        error_callback: Option<ErrorCallback>,
    ) -> PyResult<AsyncResult<Vec<<F::Out as TaskOutput>::Value>>>
    where
        F::Args: Clone,
        <F::Out as TaskOutput>::Value: Clone,
    {
        let chunksize = chunksize.unwrap_or_else(|| self.default_chunksize(items.len())).max(1);
        let sink = MapSink::new(items.len().div_ceil(chunksize), callback, error_callback);
        let result = sink.result.clone();
        self.submit(f, &items, chunksize, Box::new(sink))?;
        Ok(result)
    }

    /// `map_async(f, iterable, chunksize=None, callback=None, error_callback=None)`: the
    /// callback gets the whole list, once.
    pub fn map_async_with<A: Arg, O: TaskOutput>(
        &self,
        f: fn(A) -> O,
        iterable: impl IntoIterator<Item = A>,
        chunksize: Option<usize>,
        callback: Option<Callback<Vec<O::Value>>>,
        error_callback: Option<ErrorCallback>,
    ) -> PyResult<AsyncResult<Vec<O::Value>>>
    where
        O::Value: Clone,
    {
        self.map_job(f, iterable.into_iter().collect(), chunksize, callback, error_callback)
    }

    /// `map_async(f, iterable, chunksize=None)`.
    pub fn map_async<A: Arg, O: TaskOutput>(
        &self,
        f: fn(A) -> O,
        iterable: impl IntoIterator<Item = A>,
        chunksize: Option<usize>,
    ) -> PyResult<AsyncResult<Vec<O::Value>>>
    where
        O::Value: Clone,
    {
        self.map_async_with(f, iterable, chunksize, None, None)
    }

    /// `map(f, iterable, chunksize=None)`: results in order; any failing item fails it all.
    pub fn map<A: Arg, O: TaskOutput>(
        &self,
        f: fn(A) -> O,
        iterable: impl IntoIterator<Item = A>,
        chunksize: Option<usize>,
    ) -> PyResult<Vec<O::Value>>
    where
        O::Value: Clone,
    {
        self.map_async(f, iterable, chunksize)?.get(None)
    }

    /// `starmap_async(f, iterable_of_pairs, chunksize=None, callback=None,
    /// error_callback=None)`: `f(a, b)` for each pair; the callback gets the whole list.
    pub fn starmap_async_with<A: Arg, B: Arg, O: TaskOutput>(
        &self,
        f: fn(A, B) -> O,
        iterable: impl IntoIterator<Item = (A, B)>,
        chunksize: Option<usize>,
        callback: Option<Callback<Vec<O::Value>>>,
        error_callback: Option<ErrorCallback>,
    ) -> PyResult<AsyncResult<Vec<O::Value>>>
    where
        O::Value: Clone,
    {
        self.map_job(f, iterable.into_iter().collect(), chunksize, callback, error_callback)
    }

    /// `starmap_async(f, iterable_of_pairs, chunksize=None)`.
    pub fn starmap_async<A: Arg, B: Arg, O: TaskOutput>(
        &self,
        f: fn(A, B) -> O,
        iterable: impl IntoIterator<Item = (A, B)>,
        chunksize: Option<usize>,
    ) -> PyResult<AsyncResult<Vec<O::Value>>>
    where
        O::Value: Clone,
    {
        self.starmap_async_with(f, iterable, chunksize, None, None)
    }

    /// `starmap(f, iterable_of_pairs, chunksize=None)`.
    pub fn starmap<A: Arg, B: Arg, O: TaskOutput>(
        &self,
        f: fn(A, B) -> O,
        iterable: impl IntoIterator<Item = (A, B)>,
        chunksize: Option<usize>,
    ) -> PyResult<Vec<O::Value>>
    where
        O::Value: Clone,
    {
        self.starmap_async(f, iterable, chunksize)?.get(None)
    }

    fn imap_job<A: Arg, O: TaskOutput>(
        &self,
        f: fn(A) -> O,
        iterable: impl IntoIterator<Item = A>,
        chunksize: usize,
        ordered: bool,
    ) -> PyResult<IMapIterator<O::Value>> {
        let items: Vec<A> = iterable.into_iter().collect();
        let chunksize = chunksize.max(1);
        let (iterator, sink) = imap_pair(items.len(), chunksize, items.len().div_ceil(chunksize), ordered);
        if !items.is_empty() {
            self.submit(f, &items, chunksize, Box::new(sink))?;
        }
        Ok(iterator)
    }

    /// `imap(f, iterable, chunksize=1)`: results in order, as they become available.
    pub fn imap<A: Arg, O: TaskOutput>(
        &self,
        f: fn(A) -> O,
        iterable: impl IntoIterator<Item = A>,
        chunksize: usize,
    ) -> PyResult<IMapIterator<O::Value>> {
        self.imap_job(f, iterable, chunksize, true)
    }

    /// `imap_unordered(f, iterable, chunksize=1)`: results as they finish.
    pub fn imap_unordered<A: Arg, O: TaskOutput>(
        &self,
        f: fn(A) -> O,
        iterable: impl IntoIterator<Item = A>,
        chunksize: usize,
    ) -> PyResult<IMapIterator<O::Value>> {
        self.imap_job(f, iterable, chunksize, false)
    }

    /// `close()`: no more tasks; the workers end once the queued ones are done.
    pub fn close(&self) {
        if self.shared.state.compare_exchange(RUN, CLOSE, AcqRel, Relaxed).is_ok() {
            for _ in 0..self.processes {
                let _ = self.shared.backend.put_task(None);
            }
        }
    }

    /// `join()`: waits for the workers to end (after `close()` or `terminate()`).
    pub fn join(&self) -> PyResult<()> {
        if self.shared.state.load(Acquire) == RUN {
            return Err(PyErr::value_error("Pool is still running"));
        }
        match &self.shared.backend {
            Backend::Processes { workers, .. } => {
                let ws: Vec<Process> = workers.lock().clone();
                ws.iter().try_for_each(|w| w.join(None))?;
            }
            Backend::Threads { workers, .. } => {
                let ws: Vec<Thread> = workers.lock().clone();
                ws.iter().try_for_each(|w| w.join(None))?;
            }
        }
        self.stop_handlers();
        self.shared.state.store(TERMINATE, Release);
        Ok(())
    }

    fn stop_handlers(&self) {
        self.shared.backend.stop_task_handler();
        let _ = self.shared.backend.put_done(Done { job: STOP, chunk: 0, outcome: Ok(Vec::new()) });
        self.handlers.iter().for_each(|h| drop(h.join(None)));
    }

    /// `terminate()`: stops the workers now. Jobs not finished fail (rather than leaving a
    /// `get()` waiting forever, as CPython does).
    pub fn terminate(&self) {
        if self.shared.state.swap(TERMINATE, AcqRel) == TERMINATE {
            return;
        }
        match &self.shared.backend {
            Backend::Processes { workers, tasks, .. } => {
                // The task handler may wait for room no worker will make: a closed ring
                // wakes it, and it stops.
                tasks.close();
                let ws: Vec<Process> = workers.lock().clone();
                ws.iter().for_each(Process::terminate);
                ws.iter().for_each(|w| drop(w.join(None)));
            }
            // Threads cannot be killed: they stop after their current task.
            Backend::Threads { tasks, workers, .. } => {
                while tasks.get_nowait().is_ok() {}
                (0..workers.lock().len()).for_each(|_| tasks.put(None));
            }
        }
        self.stop_handlers();
        let pending: Vec<(u64, Job)> = self.shared.jobs.lock().drain().collect();
        for (_, mut job) in pending {
            job.sink.chunk(0, Err(PyErr::runtime_error("the pool was terminated before this task finished")));
        }
    }

    /// The worker processes' names (for the examples that show who ran what).
    pub fn worker_names(&self) -> Vec<String> {
        match &self.shared.backend {
            Backend::Processes { workers, .. } => workers.lock().iter().map(Process::name).collect(),
            Backend::Threads { workers, .. } => workers.lock().iter().map(Thread::name).collect(),
        }
    }
}

impl Drop for Pool {
    /// A pool dropped while running is terminated, as CPython's `__del__` does.
    fn drop(&mut self) {
        match self.shared.state.load(Acquire) {
            RUN => self.terminate(),
            CLOSE => drop(self.join()),
            _ => {}
        }
    }
}
