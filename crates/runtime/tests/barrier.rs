//! `threading.Barrier`: CPython's `Lib/test/lock_tests.py` (`BarrierTests`).
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::threading::{Barrier, BarrierError};
use pp_runtime::PyErr;
use pp_testing::cpython::*;
use pp_testing::death::assert_dies;
use std::sync::Arc;

const N: usize = 5;

fn barrier(timeout: f64) -> Arc<Barrier> {
    Arc::new(Barrier::with(N, None, Some(timeout)).unwrap())
}

/// `run_threads`: N-1 threads plus the calling one.
fn run_threads(f: impl Fn() + Send + Sync + 'static) {
    let f = Arc::new(f);
    let g = f.clone();
    let b = Bunch::new(N - 1, move || g(), false);
    f();
    b.wait_for_finished();
}

fn multipass(b: &Barrier, results: &(List<()>, List<()>), passes: usize) {
    assert_eq!(b.parties(), N);
    for i in 0..passes {
        results.0.push(());
        assert_eq!(results.1.len(), i * N);
        b.wait(None).unwrap();
        results.1.push(());
        assert_eq!(results.0.len(), (i + 1) * N);
        b.wait(None).unwrap();
    }
    assert_eq!(b.n_waiting(), 0);
    assert!(!b.broken());
}

#[test]
fn barrier_one_pass_and_ten() {
    for passes in [1, 10] {
        let b = barrier(2.0);
        let results = Arc::new((List::new(), List::new()));
        let (bb, r) = (b.clone(), results.clone());
        run_threads(move || multipass(&bb, &r, passes));
        b.abort();
    }
}

#[test]
fn wait_returns_distinct_indexes() {
    let b = barrier(2.0);
    let results = List::new();
    let (bb, r) = (b.clone(), results.clone());
    run_threads(move || r.push(bb.wait(None).unwrap()));
    let mut got = results.get();
    got.sort();
    assert_eq!(got, (0..N).collect::<Vec<_>>());
}

#[test]
fn action_runs_once() {
    let results = List::new();
    let r = results.clone();
    let b = Arc::new(
        Barrier::with(
            N,
            Some(Box::new(move || {
                r.push(());
                Ok(())
            })),
            None,
        )
        .unwrap(),
    );
    let (bb, rr) = (b.clone(), results.clone());
    run_threads(move || {
        bb.wait(None).unwrap();
        assert_eq!(rr.len(), 1);
    });
}

#[test]
fn a_failing_action_breaks_the_barrier() {
    let b = Arc::new(Barrier::with(2, Some(Box::new(|| Err(PyErr::runtime_error("boom")))), None).unwrap());
    let other = {
        let b = b.clone();
        pp_runtime::threading::Thread::new(move || {
            let _ = b.wait(None);
        })
    };
    other.start().unwrap();
    let r = b.wait(None);
    other.join(None).unwrap();
    // Whichever thread arrived last ran the action; the other sees a broken barrier.
    assert!(matches!(r, Err(BarrierError::Action(_)) | Err(BarrierError::Broken)));
    assert!(b.broken());
}

/// The mutation, kept as a test: a failed assert in the other thread, while the main
/// thread waits on the barrier with no deadline (it will never be released), ends the test
/// within seconds instead of hanging it.
#[test]
fn a_failed_assert_in_a_thread_ends_a_test_waiting_on_the_barrier() {
    assert_dies(
        "a_failed_assert_in_a_thread_ends_a_test_waiting_on_the_barrier",
        "deliberately failing assert before the barrier",
        || {
            let b = Arc::new(Barrier::new(2).unwrap());
            let other = {
                let b = b.clone();
                pp_runtime::threading::Thread::new(move || {
                    assert_eq!(1 + 1, 3, "deliberately failing assert before the barrier");
                    let _ = b.wait(None);
                })
            };
            other.start().unwrap();
            let _ = b.wait(None);
        },
    );
}

#[test]
fn abort() {
    let b = barrier(2.0);
    let (results1, results2) = (List::new(), List::new());
    let (bb, r1, r2) = (b.clone(), results1.clone(), results2.clone());
    run_threads(move || match bb.wait(None) {
        Ok(i) if i == N / 2 => bb.abort(), // "raise RuntimeError", caught: abort
        Ok(_) => match bb.wait(None) {
            Ok(_) => r1.push(()),
            Err(_) => r2.push(()),
        },
        Err(_) => r2.push(()),
    });
    assert_eq!(results1.len(), 0);
    assert_eq!(results2.len(), N - 1);
    assert!(b.broken());
}

#[test]
fn reset() {
    let b = barrier(2.0);
    let (results1, results2, results3) = (List::new(), List::new(), List::new());
    let (bb, r1, r2, r3) = (b.clone(), results1.clone(), results2.clone(), results3.clone());
    run_threads(move || {
        let i = bb.wait(None).unwrap();
        if i == N / 2 {
            // Wait until the other threads are all in the barrier.
            wait_until("the other threads in the barrier", || bb.n_waiting() >= N - 1);
            bb.reset();
        } else {
            match bb.wait(None) {
                Ok(_) => r1.push(()),
                Err(_) => r2.push(()),
            }
        }
        // Now pass the barrier again.
        bb.wait(None).unwrap();
        r3.push(());
    });
    assert_eq!(results1.len(), 0);
    assert_eq!(results2.len(), N - 1);
    assert_eq!(results3.len(), N);
}

#[test]
fn abort_and_reset() {
    let b = barrier(2.0);
    let barrier2 = Arc::new(Barrier::new(N).unwrap());
    let (results1, results2, results3) = (List::new(), List::new(), List::new());
    let (bb, b2, r1, r2, r3) = (b.clone(), barrier2.clone(), results1.clone(), results2.clone(), results3.clone());
    run_threads(move || {
        match bb.wait(None) {
            Ok(i) if i == N / 2 => bb.abort(), // "raise RuntimeError", caught: abort
            Ok(_) => match bb.wait(None) {
                Ok(_) => r1.push(()),
                Err(_) => r2.push(()),
            },
            Err(_) => r2.push(()),
        }
        // Synchronize and reset the barrier; it must work for everyone now.
        if b2.wait(None).unwrap() == N / 2 {
            bb.reset();
        }
        b2.wait(None).unwrap();
        bb.wait(None).unwrap();
        r3.push(());
    });
    assert_eq!(results1.len(), 0);
    assert_eq!(results2.len(), N - 1);
    assert_eq!(results3.len(), N);
}

#[test]
fn timeout_breaks_the_barrier() {
    let b = barrier(2.0);
    let bb = b.clone();
    run_threads(move || {
        let i = bb.wait(None).unwrap();
        if i == N / 2 {
            // One thread is late (the default timeout, 2 s, is longer).
            std::thread::sleep(ms(1000));
        }
        assert_eq!(bb.wait(Some(0.5)), Err(BarrierError::Broken));
    });
}

#[test]
fn default_timeout() {
    let b = barrier(0.3);
    let bb = b.clone();
    run_threads(move || {
        let i = bb.wait(None).unwrap();
        if i == N / 2 {
            // Later than the default timeout of 0.3 s.
            std::thread::sleep(ms(1000));
        }
        assert_eq!(bb.wait(None), Err(BarrierError::Broken));
    });
}

#[test]
fn single_thread() {
    let b = Barrier::new(1).unwrap();
    b.wait(None).unwrap();
    b.wait(None).unwrap();
}

#[test]
fn zero_parties_is_a_value_error() {
    assert_eq!(Barrier::new(0).err().unwrap().to_string(), "ValueError: parties must be > 0");
}

#[test]
fn broken_barrier_error_prints_like_python() {
    let e: PyErr = BarrierError::Broken.into();
    assert_eq!(e.to_string(), "threading.BrokenBarrierError");
}
