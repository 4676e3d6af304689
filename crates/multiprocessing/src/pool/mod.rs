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

/// The pool's own targets: its worker process.
pub(crate) fn targets() -> Vec<crate::target::Target> {
    vec![backend::worker_target()]
}

/// What `f` returns for a pool's caller.
pub type Value<F, Args> = <<F as Callable<Args>>::Out as TaskOutput>::Value;
/// What a map of `f` gives: its values in order, once all are there.
pub type MapResult<F, Args> = AsyncResult<Vec<Value<F, Args>>>;
/// What a map's callback gets.
pub type MapCallback<F, Args> = Callback<Vec<Value<F, Args>>>;

/// What a task's arguments must be: serializable (they cross to the worker), clonable.
pub trait Arg: Serialize + serde::de::DeserializeOwned + Clone + Send + 'static {}
impl<T: Serialize + serde::de::DeserializeOwned + Clone + Send + 'static> Arg for T {}

use super::pickle::encode;
use super::process::Process;
use super::queues::Queue as ProcessQueue;
use super::shared::segment;
use crate::target::{self, Callable, CrossArgs, TargetId, TaskOutput};
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
    pub fn with_initializer<F: Callable<(A,)>, A: CrossArgs>(
        processes: usize,
        initializer: F,
        initargs: A,
        maxtasksperchild: u32,
    ) -> PyResult<Pool> {
        let id = target::crossing(initializer)?;
        Self::with(processes, Some((id, encode(&initargs)?)), maxtasksperchild)
    }

    fn with(processes: usize, initializer: Option<(TargetId, Vec<u8>)>, maxtasks: u32) -> PyResult<Pool> {
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
        initializer: impl Fn(A) + Send + Sync + 'static,
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

    /// The target of `f` for this pool's workers: named, for a process pool (its workers
    /// are other instances); this instance's own, for a thread pool.
    fn target<F: Callable<Args>, Args: CrossArgs>(&self, f: F) -> PyResult<TargetId> {
        match self.shared.backend {
            Backend::Processes { .. } => target::crossing(f),
            Backend::Threads { .. } => Ok(target::local(f)),
        }
    }

    /// Registers a job's sink, then queues its chunks (each a serialized slice of `items`:
    /// a slice serializes as the `Vec` the worker decodes, without copying it into one).
    fn submit<I: serde::Serialize>(
        &self,
        target: TargetId,
        items: &[I],
        chunksize: usize,
        sink: Box<dyn Sink>,
    ) -> PyResult<()> {
        self.check_running()?;
        let job = self.next_job.fetch_add(1, Relaxed);
        let chunks: Vec<Task> = items
            .chunks(chunksize.max(1))
            .enumerate()
            .map(|(i, c)| Ok(Task::new(job, i as u32, target, encode(&c)?)))
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
    pub fn apply_async_with<F, A>(
        &self,
        f: F,
        args: A,
        callback: Option<Callback<Value<F, (A,)>>>,
        error_callback: Option<ErrorCallback>,
    ) -> PyResult<AsyncResult<Value<F, (A,)>>>
    where
        F: Callable<(A,)>,
        A: Arg,
        Value<F, (A,)>: Clone,
    {
        let sink = ApplySink::new(callback, error_callback);
        let result = sink.result.clone();
        self.submit(self.target(f)?, &[args], 1, Box::new(sink))?;
        Ok(result)
    }

    /// `apply_async(f, args)`.
    pub fn apply_async<F, A>(&self, f: F, args: A) -> PyResult<AsyncResult<Value<F, (A,)>>>
    where
        F: Callable<(A,)>,
        A: Arg,
        Value<F, (A,)>: Clone,
    {
        self.apply_async_with(f, args, None, None)
    }

    /// `apply(f, args)`: runs it in one worker and waits.
    pub fn apply<F, A>(&self, f: F, args: A) -> PyResult<Value<F, (A,)>>
    where
        F: Callable<(A,)>,
        A: Arg,
        Value<F, (A,)>: Clone,
    {
        self.apply_async(f, args)?.get(None)
    }

    fn map_job<F, Args, I>(
        &self,
        f: F,
        items: Vec<I>,
        chunksize: Option<usize>,
        callback: Option<MapCallback<F, Args>>,
        error_callback: Option<ErrorCallback>,
    ) -> PyResult<MapResult<F, Args>>
    where
        F: Callable<Args>,
        Args: CrossArgs,
        I: serde::Serialize,
        Value<F, Args>: Clone,
    {
        let chunksize = chunksize.unwrap_or_else(|| self.default_chunksize(items.len())).max(1);
        let sink = MapSink::new(items.len().div_ceil(chunksize), callback, error_callback);
        let result = sink.result.clone();
        self.submit(self.target(f)?, &items, chunksize, Box::new(sink))?;
        Ok(result)
    }

    /// `map_async(f, iterable, chunksize=None, callback=None, error_callback=None)`: the
    /// callback gets the whole list, once.
    pub fn map_async_with<F, A>(
        &self,
        f: F,
        iterable: impl IntoIterator<Item = A>,
        chunksize: Option<usize>,
        callback: Option<MapCallback<F, (A,)>>,
        error_callback: Option<ErrorCallback>,
    ) -> PyResult<MapResult<F, (A,)>>
    where
        F: Callable<(A,)>,
        A: Arg,
        Value<F, (A,)>: Clone,
    {
        self.map_job(f, iterable.into_iter().collect(), chunksize, callback, error_callback)
    }

    /// `map_async(f, iterable, chunksize=None)`.
    pub fn map_async<F, A>(
        &self,
        f: F,
        iterable: impl IntoIterator<Item = A>,
        chunksize: Option<usize>,
    ) -> PyResult<MapResult<F, (A,)>>
    where
        F: Callable<(A,)>,
        A: Arg,
        Value<F, (A,)>: Clone,
    {
        self.map_async_with(f, iterable, chunksize, None, None)
    }

    /// `map(f, iterable, chunksize=None)`: results in order; any failing item fails it all.
    pub fn map<F, A>(
        &self,
        f: F,
        iterable: impl IntoIterator<Item = A>,
        chunksize: Option<usize>,
    ) -> PyResult<Vec<Value<F, (A,)>>>
    where
        F: Callable<(A,)>,
        A: Arg,
        Value<F, (A,)>: Clone,
    {
        self.map_async(f, iterable, chunksize)?.get(None)
    }

    /// `starmap_async(f, iterable_of_pairs, chunksize=None, callback=None,
    /// error_callback=None)`: `f(a, b)` for each pair; the callback gets the whole list.
    pub fn starmap_async_with<F, A, B>(
        &self,
        f: F,
        iterable: impl IntoIterator<Item = (A, B)>,
        chunksize: Option<usize>,
        callback: Option<MapCallback<F, (A, B)>>,
        error_callback: Option<ErrorCallback>,
    ) -> PyResult<MapResult<F, (A, B)>>
    where
        F: Callable<(A, B)>,
        A: Arg,
        B: Arg,
        Value<F, (A, B)>: Clone,
    {
        self.map_job(f, iterable.into_iter().collect(), chunksize, callback, error_callback)
    }

    /// `starmap_async(f, iterable_of_pairs, chunksize=None)`.
    pub fn starmap_async<F, A, B>(
        &self,
        f: F,
        iterable: impl IntoIterator<Item = (A, B)>,
        chunksize: Option<usize>,
    ) -> PyResult<MapResult<F, (A, B)>>
    where
        F: Callable<(A, B)>,
        A: Arg,
        B: Arg,
        Value<F, (A, B)>: Clone,
    {
        self.starmap_async_with(f, iterable, chunksize, None, None)
    }

    /// `starmap(f, iterable_of_pairs, chunksize=None)`.
    pub fn starmap<F, A, B>(
        &self,
        f: F,
        iterable: impl IntoIterator<Item = (A, B)>,
        chunksize: Option<usize>,
    ) -> PyResult<Vec<Value<F, (A, B)>>>
    where
        F: Callable<(A, B)>,
        A: Arg,
        B: Arg,
        Value<F, (A, B)>: Clone,
    {
        self.starmap_async(f, iterable, chunksize)?.get(None)
    }

    fn imap_job<F, A>(
        &self,
        f: F,
        iterable: impl IntoIterator<Item = A>,
        chunksize: usize,
        ordered: bool,
    ) -> PyResult<IMapIterator<Value<F, (A,)>>>
    where
        F: Callable<(A,)>,
        A: Arg,
    {
        let items: Vec<A> = iterable.into_iter().collect();
        let chunksize = chunksize.max(1);
        let (iterator, sink) = imap_pair(items.len(), chunksize, items.len().div_ceil(chunksize), ordered);
        if !items.is_empty() {
            self.submit(self.target(f)?, &items, chunksize, Box::new(sink))?;
        }
        Ok(iterator)
    }

    /// `imap(f, iterable, chunksize=1)`: results in order, as they become available.
    pub fn imap<F, A>(
        &self,
        f: F,
        iterable: impl IntoIterator<Item = A>,
        chunksize: usize,
    ) -> PyResult<IMapIterator<Value<F, (A,)>>>
    where
        F: Callable<(A,)>,
        A: Arg,
    {
        self.imap_job(f, iterable, chunksize, true)
    }

    /// `imap_unordered(f, iterable, chunksize=1)`: results as they finish.
    pub fn imap_unordered<F, A>(
        &self,
        f: F,
        iterable: impl IntoIterator<Item = A>,
        chunksize: usize,
    ) -> PyResult<IMapIterator<Value<F, (A,)>>>
    where
        F: Callable<(A,)>,
        A: Arg,
    {
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
