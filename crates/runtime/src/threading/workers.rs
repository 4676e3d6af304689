//! The workers of this memory: OS threads natively, web workers in the browser, kept alive
//! between Python threads so that `Thread.start()` costs a hand-over through shared memory
//! instead of a worker start-up (as Emscripten's `PTHREAD_POOL_SIZE` does).
//!
//! A task waits in `tasks` until a parked worker takes it. When more tasks wait than there
//! are idle and already-requested workers, one more worker is requested from the platform.
//! In the browser that request is answered by the host some milliseconds later; nothing here
//! waits for it, so a thread that starts a thread never waits on an event loop.

use crate::sync::RawMutex;
use pp_platform::futex;
use pp_platform::worker as platform_worker;
use pp_platform::worker::Entry;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering::*};

pub type Task = Box<dyn FnOnce() + Send>;

struct State {
    tasks: VecDeque<Task>,
    /// Workers parked waiting for a task (or just woken and about to look).
    idle: usize,
    /// Workers asked for and not yet arrived.
    requested: usize,
    /// Workers that arrived, in total.
    total: usize,
}

pub struct Workers {
    state: RawMutex<State>,
    /// Bumped on every submit; idle workers wait on it.
    wake: AtomicU32,
}

static WORKERS: Workers = Workers {
    state: RawMutex::new(State { tasks: VecDeque::new(), idle: 0, requested: 0, total: 0 }),
    wake: AtomicU32::new(0),
};

/// This memory's workers.
pub fn workers() -> &'static Workers {
    &WORKERS
}

impl Workers {
    /// Runs `task` on some worker, now or as soon as one is free or has arrived.
    pub fn submit(&self, task: Task) {
        let (wake, request) = {
            let mut s = self.state.lock();
            s.tasks.push_back(task);
            let request = s.tasks.len() > s.idle + s.requested;
            if request {
                s.requested += 1;
            }
            (s.idle > 0, request)
        };
        if wake {
            self.wake.fetch_add(1, Release);
            futex::wake(&self.wake, 1);
        }
        if request {
            platform_worker::set_entry(Entry::ThreadPool, worker_main);
            platform_worker::request_worker(Entry::ThreadPool);
        }
    }

    /// Readies the pool for `n` workers that a host starts with the process, ahead of any
    /// task (so `submit` does not ask for more): they run [`Entry::ThreadPool`].
    pub fn expect_prestarted(&self, n: usize) {
        platform_worker::set_entry(Entry::ThreadPool, worker_main);
        self.state.lock().requested += n;
    }

    /// (idle, requested, arrived): for the benchmark and the tests.
    pub fn counts(&self) -> (usize, usize, usize) {
        let s = self.state.lock();
        (s.idle, s.requested, s.total)
    }

    fn take(&self) -> Task {
        let mut s = self.state.lock();
        loop {
            if let Some(task) = s.tasks.pop_front() {
                return task;
            }
            s.idle += 1;
            let seen = self.wake.load(Acquire);
            drop(s);
            if !futex::spin(&self.wake, seen) {
                futex::wait(&self.wake, seen, None);
            }
            s = self.state.lock();
            s.idle -= 1;
        }
    }
}

/// A worker's whole life: take tasks forever. The entry point of every worker.
pub fn worker_main() {
    {
        let mut s = WORKERS.state.lock();
        s.requested = s.requested.saturating_sub(1);
        s.total += 1;
    }
    loop {
        (WORKERS.take())();
    }
}
