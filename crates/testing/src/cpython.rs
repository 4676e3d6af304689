//! Helpers for the suites ported from CPython's `Lib/test/lock_tests.py` and
//! `Lib/test/test_queue.py`: its `Bunch`, `_wait` and `assertTimeout`.

use pp_runtime::threading::Thread;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// CPython's `_wait()`: give other threads a chance to run.
pub fn wait() {
    std::thread::sleep(ms(10));
}

/// CPython's `assertTimeout`: generous margins (0.6x to 10x) for a loaded machine.
pub fn assert_timeout(actual: Duration, expected: f64) {
    let s = actual.as_secs_f64();
    assert!(s >= expected * 0.6, "waited {s:.3} s, expected about {expected} s");
    assert!(s < expected * 10.0, "waited {s:.3} s, expected about {expected} s");
}

/// Waits (politely) until `done()`, failing the test after [`DEADLINE`].
pub fn wait_until(what: &str, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < DEADLINE, "waited {DEADLINE:?} for {what}");
        std::thread::sleep(ms(1));
    }
}

pub fn time<R>(f: impl FnOnce() -> R) -> (R, Duration) {
    let t = Instant::now();
    let r = f();
    (r, t.elapsed())
}

/// A shared list, as the Python tests append to lists from many threads.
#[derive(Clone, Default)]
pub struct List<T>(pub Arc<Mutex<Vec<T>>>);

impl<T: Clone> List<T> {
    pub fn new() -> Self {
        List(Arc::new(Mutex::new(Vec::new())))
    }
    pub fn push(&self, v: T) {
        self.0.lock().unwrap().push(v)
    }
    pub fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn get(&self) -> Vec<T> {
        self.0.lock().unwrap().clone()
    }
    pub fn clear(&self) {
        self.0.lock().unwrap().clear()
    }
    /// Spins (politely) until the list has `n` items.
    pub fn wait_len(&self, n: usize) {
        let start = Instant::now();
        while self.len() < n {
            assert!(start.elapsed() < DEADLINE, "waited {DEADLINE:?} for {n} items, have {}", self.len());
            wait();
        }
    }
}

/// How long any helper here waits before it fails the test: far beyond what a passing test
/// needs on a loaded machine, short enough that a hang reads as a failure.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// CPython's `Bunch`: `n` threads running `f`, counted as they start and finish.
pub struct Bunch {
    n: usize,
    pub started: Arc<AtomicUsize>,
    pub finished: Arc<AtomicUsize>,
    release: Arc<AtomicBool>,
    threads: Vec<Thread>,
}

impl Bunch {
    pub fn new(n: usize, f: impl Fn() + Send + Sync + 'static, wait_before_exit: bool) -> Bunch {
        let f = Arc::new(f);
        let started = Arc::new(AtomicUsize::new(0));
        let finished = Arc::new(AtomicUsize::new(0));
        let release = Arc::new(AtomicBool::new(!wait_before_exit));
        let threads: Vec<Thread> = (0..n)
            .map(|_| {
                let (f, started, finished, release) = (f.clone(), started.clone(), finished.clone(), release.clone());
                Thread::new(move || {
                    started.fetch_add(1, SeqCst);
                    f();
                    finished.fetch_add(1, SeqCst);
                    while !release.load(SeqCst) {
                        wait();
                    }
                })
            })
            .collect();
        threads.iter().for_each(|t| t.start().unwrap());
        Bunch { n, started, finished, release, threads }
    }

    pub fn wait_for_started(&self) {
        self.wait_until("started", || self.started.load(SeqCst) >= self.n);
    }

    pub fn wait_for_finished(&self) {
        self.wait_until("finished", || self.finished.load(SeqCst) >= self.n);
        self.do_finish();
        self.threads.iter().for_each(|t| t.join(Some(DEADLINE.as_secs_f64())).unwrap());
        assert!(self.threads.iter().all(|t| !t.is_alive()), "a Bunch thread did not end within {DEADLINE:?}");
    }

    /// Waits for `done`, failing the test when a thread ended without finishing (its `f`
    /// panicked: joining it re-raises the panic here) or when the deadline passes.
    fn wait_until(&self, what: &str, done: impl Fn() -> bool) {
        let start = Instant::now();
        while !done() {
            // A thread counts itself finished before it ends: more ended than finished means
            // one ended without finishing. (Ended threads are counted first for that reason.)
            let ended = self.threads.iter().filter(|t| !t.is_alive()).count();
            if ended > self.finished.load(SeqCst) {
                self.do_finish();
                self.threads.iter().for_each(|t| t.join(Some(DEADLINE.as_secs_f64())).unwrap());
                panic!("a Bunch thread ended before it {what}");
            }
            assert!(
                start.elapsed() < DEADLINE,
                "Bunch: {} of {} threads {what} after {DEADLINE:?}",
                if what == "started" { self.started.load(SeqCst) } else { self.finished.load(SeqCst) },
                self.n
            );
            wait();
        }
    }

    pub fn do_finish(&self) {
        self.release.store(true, SeqCst);
    }

    pub fn finished(&self) -> usize {
        self.finished.load(SeqCst)
    }
}

impl Drop for Bunch {
    /// A test that fails before `wait_for_finished` lets its threads go rather than leave
    /// them spinning.
    fn drop(&mut self) {
        self.do_finish();
    }
}
