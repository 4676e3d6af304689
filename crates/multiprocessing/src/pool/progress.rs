//! How far a pool is, for the page: tasks (items) given to it and tasks done, told as a
//! `Progress` record when results come back, at most every `EVERY_US` and always when the
//! last one is done, so a long `map` shows "37 / 100" while it runs.

use super::result::Sink;
use pp_runtime::runtime::Runtime;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::*};

const EVERY_US: u64 = 50_000;

/// Pools made by this process: the page names them "Pool 1", "ThreadPool 2"…
static POOLS: AtomicU32 = AtomicU32::new(0);

/// A job's sink and how its items were cut into chunks.
pub(super) struct Job {
    pub sink: Box<dyn Sink>,
    chunksize: usize,
    items: usize,
}

impl Job {
    pub fn new(sink: Box<dyn Sink>, chunksize: usize, items: usize) -> Job {
        Job { sink, chunksize: chunksize.max(1), items }
    }

    /// The items of chunk `chunk` (the last may be short; an apply is one chunk of one).
    pub fn items_in(&self, chunk: u32) -> usize {
        let from = chunk as usize * self.chunksize;
        self.items.saturating_sub(from).min(self.chunksize).max(1)
    }
}

pub(super) struct Progress {
    name: String,
    submitted: AtomicU32,
    done: AtomicU32,
    told_us: AtomicU64,
    told_done: AtomicU32,
}

impl Progress {
    pub fn new(kind: &str) -> Progress {
        let name = format!("{kind} {}", POOLS.fetch_add(1, Relaxed) + 1);
        Progress {
            name,
            submitted: AtomicU32::new(0),
            done: AtomicU32::new(0),
            told_us: AtomicU64::new(0),
            told_done: AtomicU32::new(0),
        }
    }

    pub fn submitted(&self, items: usize) {
        self.submitted.fetch_add(items as u32, Relaxed);
    }

    pub fn done(&self, items: usize) {
        self.done.fetch_add(items as u32, Relaxed);
    }

    /// Tells the page (only the result handler calls this).
    pub fn tell(&self) {
        let (done, total) = (self.done.load(Relaxed), self.submitted.load(Relaxed));
        let now = pp_platform::clock::stamp_us();
        let due = now.saturating_sub(self.told_us.load(Relaxed)) >= EVERY_US;
        if done != self.told_done.load(Relaxed) && (due || done >= total) {
            self.told_us.store(now, Relaxed);
            self.told_done.store(done, Relaxed);
            Runtime::current().progress(&self.name, done, total);
        }
    }
}
