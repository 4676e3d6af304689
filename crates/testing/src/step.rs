//! A scheduler for stepped runs (`pp_runtime::watch::step`), as the page is one: a plain
//! thread, not one of the run's, that reads the run's table, waits until the run has
//! settled (`step::Settle`, as the page does), and lets the thread its policy picks go on.
//! A run that does not settle within its deadline is let go (stepping off) and
//! [`Scheduler::finish`] fails the program, so a test fails instead of hanging.

use pp_runtime::runtime::Runtime;
use pp_runtime::watch::reader::{LocalMemory, TableReader};
use pp_runtime::watch::step::{self, Choice};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::*};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A scheduler running beside the calling program's process.
pub struct Scheduler {
    done: Arc<AtomicBool>,
    /// The run did not settle before the deadline: the scheduler let it go.
    gave_up: Arc<AtomicBool>,
    turns: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

impl Scheduler {
    /// Steps the calling thread's run from now on, `pick` choosing among the settled run's
    /// choices (never empty) each time. Call from the program's main thread.
    pub fn start(mut pick: impl FnMut(&[Choice]) -> u32 + Send + 'static) -> Scheduler {
        let rt = Runtime::current();
        let reader = TableReader::new(rt.table as *const _ as usize);
        let (done, turns) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
        let gave_up = Arc::new(AtomicBool::new(false));
        let (finished, counted, giving_up) = (done.clone(), turns.clone(), gave_up.clone());
        let thread = std::thread::spawn(move || {
            // SAFETY: the reader's addresses are a live table's (runtimes are leaked).
            let mem = unsafe { LocalMemory::new() };
            let started = Instant::now();
            let deadline = started + Duration::from_secs(30);
            let mut settle = step::Settle::default();
            while !finished.load(Acquire) {
                if Instant::now() > deadline {
                    giving_up.store(true, Release);
                    reader.stop_stepping(&mem);
                    return;
                }
                let now_ms = started.elapsed().as_secs_f64() * 1000.0;
                if let Some(choices) = settle.offer(&reader.snapshot(&mem), now_ms).filter(|c| !c.is_empty()) {
                    counted.fetch_add(1, Relaxed);
                    reader.grant_turn(&mem, pick(&choices));
                    settle = step::Settle::default();
                }
                std::thread::sleep(Duration::from_micros(200));
            }
        });
        rt.table.set_stepping(true);
        Scheduler { done, gave_up, turns, thread: Some(thread) }
    }

    /// Stops stepping the run; how many turns were given. Panics (failing the program, and so
    /// its test) if the run stopped settling and the scheduler had to let it go.
    pub fn finish(mut self) -> usize {
        self.stop();
        assert!(!self.gave_up.load(Acquire), "the stepped run stopped offering choices: the scheduler let it go");
        self.turns.load(Relaxed)
    }

    fn stop(&mut self) {
        Runtime::current().table.set_stepping(false);
        self.done.store(true, Release);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        self.stop();
    }
}
