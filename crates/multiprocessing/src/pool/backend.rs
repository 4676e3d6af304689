//! The two kinds of workers a pool can have, behind one face: worker processes fed through
//! rings in the run's shared segment, or worker threads fed through in-process queues.

use super::task::{Done, Order};
use crate::process::Process;
use crate::queues::Queue as ProcessQueue;
use crate::shared::segment;
use crate::target::TargetId;
use pp_runtime::errors::PyResult;
use pp_runtime::queue::Queue as ThreadQueue;
use pp_runtime::sync::RawMutex;
use pp_runtime::threading::Thread;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What a worker process is given (it crosses serialized).
#[derive(Serialize, Deserialize)]
struct WorkerArgs {
    tasks: ProcessQueue<Order>,
    results: ProcessQueue<Done>,
    /// Segment words: busy (0/1), job (two words), chunk.
    slot: u32,
    initializer: Option<(TargetId, Vec<u8>)>,
    maxtasks: u32,
}

/// A process pool's worker, as a target every instance registers (`crate::target`).
pub(super) fn worker_target() -> crate::target::Target {
    crate::target::Target::of(process_worker)
}

/// A worker's life: take tasks until told to stop (or until `maxtasksperchild`).
fn process_worker(args: WorkerArgs) -> PyResult<()> {
    let seg = segment();
    if let Some((initializer, initargs)) = &args.initializer {
        crate::target::run_process(*initializer, initargs)?;
    }
    let mut done = 0;
    while args.maxtasks == 0 || done < args.maxtasks {
        let Some(task) = args.tasks.get()? else { break };
        // One copy for the three words, then the store that publishes them (a call into JS
        // each, per task, in the browser).
        let mut which = [0u8; 12];
        which[..8].copy_from_slice(&task.job.to_le_bytes());
        which[8..].copy_from_slice(&task.chunk.to_le_bytes());
        seg.write(args.slot + 4, &which);
        seg.store(args.slot, 1);
        let outcome = task.run();
        seg.store(args.slot, 0);
        args.results.put(&Done { job: task.job, chunk: task.chunk, outcome })?;
        done += 1;
    }
    Ok(())
}

/// A thread pool's initializer, run by each of its worker threads first.
pub(super) type ThreadInit = Arc<dyn Fn() + Send + Sync>;

fn thread_worker(tasks: Arc<ThreadQueue<Order>>, results: Arc<ThreadQueue<Done>>, init: Option<ThreadInit>) {
    if let Some(init) = init {
        init();
    }
    while let Some(task) = tasks.get() {
        let outcome = task.run();
        results.put(Done { job: task.job, chunk: task.chunk, outcome });
    }
}

pub(super) enum Backend {
    Processes {
        /// What the submitters handed over and the task handler has not yet put in `tasks`
        /// (`None` stops the handler).
        submitted: Arc<ThreadQueue<Option<Vec<Order>>>>,
        tasks: ProcessQueue<Order>,
        results: ProcessQueue<Done>,
        workers: RawMutex<Vec<Process>>,
        slots: u32,
        initializer: Option<(TargetId, Vec<u8>)>,
        maxtasks: u32,
    },
    Threads {
        tasks: Arc<ThreadQueue<Order>>,
        results: Arc<ThreadQueue<Done>>,
        workers: RawMutex<Vec<Thread>>,
        initializer: Option<ThreadInit>,
    },
}

impl Backend {
    pub(super) fn put_task(&self, order: Order) -> PyResult<()> {
        self.put_tasks(vec![order])
    }

    /// Hands tasks over without waiting: a process pool's go to its task handler, which
    /// waits for room in the ring (CPython's `_taskqueue` and `_handle_tasks`), so that
    /// `map_async` over ten thousand tasks returns at once.
    pub(super) fn put_tasks(&self, tasks: Vec<Order>) -> PyResult<()> {
        match self {
            Backend::Processes { submitted, .. } => submitted.put(Some(tasks)),
            Backend::Threads { tasks: queue, .. } => queue.put_all(tasks),
        }
        Ok(())
    }

    /// The task handler's loop (processes): submitted tasks into the ring, in order, waiting
    /// for room as long as it takes, until told to stop.
    pub(super) fn handle_tasks(&self) {
        let Backend::Processes { submitted, tasks, .. } = self else { return };
        while let Some(batch) = submitted.get() {
            // Fails only once `terminate()` closed the ring: the tasks left are failed there.
            if tasks.put_all(&batch).is_err() {
                return;
            }
        }
    }

    /// Stops the task handler once it has handed over what was submitted before.
    pub(super) fn stop_task_handler(&self) {
        if let Backend::Processes { submitted, .. } = self {
            submitted.put(None);
        }
    }

    /// What came back: at least one, as many as are there.
    pub(super) fn get_done(&self) -> PyResult<Vec<Done>> {
        match self {
            Backend::Processes { results, .. } => results.get_many(256),
            Backend::Threads { results, .. } => Ok(results.get_many(256)),
        }
    }

    pub(super) fn put_done(&self, done: Done) -> PyResult<()> {
        match self {
            Backend::Processes { results, .. } => results.put(&done),
            Backend::Threads { results, .. } => {
                results.put(done);
                Ok(())
            }
        }
    }

    pub(super) fn start_worker(&self, slot_index: u32) -> PyResult<()> {
        match self {
            Backend::Processes { tasks, results, workers, slots, initializer, maxtasks, .. } => {
                let args = WorkerArgs {
                    tasks: tasks.clone(),
                    results: results.clone(),
                    slot: slots + 16 * slot_index,
                    initializer: initializer.clone(),
                    maxtasks: *maxtasks,
                };
                let w = Process::new(process_worker, args).into_pool_worker();
                w.start()?;
                let mut ws = workers.lock();
                if (slot_index as usize) < ws.len() {
                    ws[slot_index as usize] = w;
                } else {
                    ws.push(w);
                }
            }
            Backend::Threads { tasks, results, workers, initializer } => {
                let (t, r, init) = (tasks.clone(), results.clone(), initializer.clone());
                let w = Thread::new(move || thread_worker(t, r, init)).with_daemon(true);
                w.start()?;
                workers.lock().push(w);
            }
        }
        Ok(())
    }
}
