//! The simulated GIL (`src/gil.rs`): with it on, one thread runs Python at a time, blocking
//! lets others in, and a CPU-bound holder hands over after a switch interval; with it off,
//! threads run at once.
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::gil;
use pp_runtime::threading::{self, Thread};
use pp_testing::cpython::*;
use pp_testing::harness::capture_with;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Two threads spin for `for_ms` each, calling the checkpoint as Python's eval loop would;
/// returns the most threads ever seen inside at once, and how often the inside changed hands.
fn spin_two(gil_on: bool, for_ms: u64) -> (usize, usize) {
    let inside = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let turns = Arc::new(AtomicUsize::new(0));
    let last = Arc::new(AtomicUsize::new(usize::MAX));
    let c = capture_with(gil_on, || {
        let threads: Vec<Thread> = (0..2)
            .map(|me| {
                let (inside, most, turns, last) = (inside.clone(), most.clone(), turns.clone(), last.clone());
                Thread::new(move || {
                    let until = Instant::now() + Duration::from_millis(for_ms);
                    while Instant::now() < until {
                        let n = inside.fetch_add(1, SeqCst) + 1;
                        most.fetch_max(n, SeqCst);
                        if last.swap(me, SeqCst) != me {
                            turns.fetch_add(1, SeqCst);
                        }
                        std::hint::black_box((0..200).sum::<u64>());
                        inside.fetch_sub(1, SeqCst);
                        gil::checkpoint();
                    }
                })
            })
            .collect();
        threads.iter().try_for_each(|t| t.start())?;
        threads.iter().try_for_each(|t| t.join(None))
    });
    assert_eq!(c.exit.code, 0);
    (most.load(SeqCst), turns.load(SeqCst))
}

#[test]
fn with_the_gil_one_thread_runs_at_a_time_and_they_take_turns() {
    let (most, turns) = spin_two(true, 200);
    assert_eq!(most, 1, "two threads ran Python at once under the GIL");
    // Two threads of 200 ms each, switching every 5 ms or so: many turns, not one each.
    assert!(turns >= 8, "the holder did not hand over after a switch interval ({turns} turns)");
}

#[test]
fn without_the_gil_threads_run_at_once() {
    if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        return; // one core: nothing can run at once
    }
    let (most, _) = spin_two(false, 200);
    assert_eq!(most, 2, "two threads never overlapped without the GIL");
}

#[test]
fn blocking_releases_the_gil() {
    let c = capture_with(true, || {
        let t = Thread::new(|| {
            threading::sleep(0.2); // holds no GIL while asleep
            pp_runtime::println!("slept");
        });
        t.start()?;
        // While the thread sleeps, main runs (it would wait 200 ms if sleep kept the GIL).
        let (_, dt) = time(|| pp_runtime::println!("main ran"));
        assert!(dt < ms(100), "main waited {dt:?} for the GIL");
        t.join(None)
    });
    assert_eq!(c.texts(), vec!["main ran", "slept"]);
}

#[test]
fn a_started_thread_runs_first_under_the_gil_as_in_cpython() {
    // The tutorial's In [7]: the thread's lines come before main's next line.
    for _ in 0..20 {
        let c = capture_with(true, || {
            Thread::new(|| pp_runtime::println!("thread")).start()?;
            pp_runtime::println!("main");
            Ok(())
        });
        assert_eq!(c.texts(), vec!["thread", "main"]);
    }
}
