//! `threading.Semaphore` and `BoundedSemaphore`: CPython's `Lib/test/lock_tests.py`
//! (`BaseSemaphoreTests`, `SemaphoreTests`, `BoundedSemaphoreTests`).
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::threading::{BoundedSemaphore, Semaphore};
use pp_testing::cpython::*;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;

#[test]
fn constructor() {
    for bounded in [false, true] {
        let make = |v| {
            if bounded {
                BoundedSemaphore::new(v).map(|b| b.to_string())
            } else {
                Semaphore::new(v).map(|s| s.to_string())
            }
        };
        let e = make(-1).err().unwrap();
        assert_eq!(e.to_string(), "ValueError: semaphore initial value must be >= 0");
        assert!(make(-i64::MAX).is_err());
    }
}

#[test]
fn acquire() {
    let sem = Semaphore::new(1).unwrap();
    sem.acquire_blocking();
    sem.release(1).unwrap();
    let sem = Semaphore::new(2).unwrap();
    sem.acquire_blocking();
    sem.acquire_blocking();
    sem.release(1).unwrap();
    sem.release(1).unwrap();
}

fn acquire_contended(release_at_once: bool) {
    let sem = Arc::new(Semaphore::new(7).unwrap());
    sem.acquire_blocking();
    let phase = Arc::new(AtomicUsize::new(0));
    let (sem_results, results1, results2) = (List::new(), List::new(), List::new());
    let b = {
        let (sem, phase, sr, r1, r2) =
            (sem.clone(), phase.clone(), sem_results.clone(), results1.clone(), results2.clone());
        Bunch::new(
            10,
            move || {
                sr.push(sem.acquire(true, None).unwrap());
                r1.push(phase.load(SeqCst));
                sr.push(sem.acquire(true, None).unwrap());
                r2.push(phase.load(SeqCst));
            },
            false,
        )
    };
    b.wait_for_started();
    let total = || results1.len() + results2.len();
    let all = || {
        let mut v = results1.get();
        v.extend(results2.get());
        v.sort();
        v
    };
    wait_until("6 acquisitions", || total() >= 6);
    assert_eq!(all(), vec![0; 6]);
    phase.store(1, SeqCst);
    if release_at_once {
        sem.release(7).unwrap();
    } else {
        (0..7).for_each(|_| sem.release(1).unwrap());
    }
    wait_until("13 acquisitions", || total() >= 13);
    let mut expected = vec![0; 6];
    expected.extend([1; 7]);
    assert_eq!(all(), expected);
    phase.store(2, SeqCst);
    if release_at_once {
        sem.release(6).unwrap();
    } else {
        (0..6).for_each(|_| sem.release(1).unwrap());
    }
    wait_until("19 acquisitions", || total() >= 19);
    expected.extend([2; 6]);
    assert_eq!(all(), expected);
    // The semaphore is still taken.
    assert!(!sem.acquire(false, None).unwrap());
    // A last release lets the last thread finish.
    sem.release(1).unwrap();
    b.wait_for_finished();
    assert_eq!(sem_results.get(), vec![true; 20]);
}

#[test]
fn acquire_contended_one_release_at_a_time() {
    acquire_contended(false);
}

#[test]
fn multirelease() {
    acquire_contended(true);
}

#[test]
fn try_acquire() {
    let sem = Semaphore::new(2).unwrap();
    assert!(sem.acquire(false, None).unwrap());
    assert!(sem.acquire(false, None).unwrap());
    assert!(!sem.acquire(false, None).unwrap());
    sem.release(1).unwrap();
    assert!(sem.acquire(false, None).unwrap());
}

#[test]
fn try_acquire_contended() {
    let sem = Arc::new(Semaphore::new(4).unwrap());
    sem.acquire_blocking();
    let results = List::new();
    let (s, r) = (sem.clone(), results.clone());
    Bunch::new(
        5,
        move || {
            r.push(s.acquire(false, None).unwrap());
            r.push(s.acquire(false, None).unwrap());
        },
        false,
    )
    .wait_for_finished();
    let mut got = results.get();
    got.sort();
    let mut expected = vec![false; 7];
    expected.extend([true; 3]);
    assert_eq!(got, expected);
}

#[test]
fn acquire_timeout() {
    let sem = Semaphore::new(2).unwrap();
    let e = sem.acquire(false, Some(1.0)).unwrap_err();
    assert_eq!(e.to_string(), "ValueError: can't specify timeout for non-blocking acquire");
    assert!(sem.acquire(true, Some(0.005)).unwrap());
    assert!(sem.acquire(true, Some(0.005)).unwrap());
    assert!(!sem.acquire(true, Some(0.005)).unwrap());
    sem.release(1).unwrap();
    assert!(sem.acquire(true, Some(0.005)).unwrap());
    let (got, dt) = time(|| sem.acquire(true, Some(0.5)).unwrap());
    assert!(!got);
    assert_timeout(dt, 0.5);
}

#[test]
fn default_value_blocks_a_second_acquirer() {
    let sem = Arc::new(Semaphore::new(1).unwrap());
    sem.acquire_blocking();
    let s = sem.clone();
    let b = Bunch::new(
        1,
        move || {
            s.acquire_blocking();
            s.release(1).unwrap();
        },
        false,
    );
    b.wait_for_started();
    wait();
    assert_eq!(b.finished(), 0);
    sem.release(1).unwrap();
    b.wait_for_finished();
}

#[test]
fn with_releases() {
    let sem = Semaphore::new(2).unwrap();
    {
        let _with = sem.enter();
        assert_eq!(sem.value(), 1);
    }
    assert_eq!(sem.value(), 2);
}

#[test]
fn unbounded_release_raises_the_value() {
    let sem = Semaphore::new(1).unwrap();
    sem.release(1).unwrap();
    sem.acquire_blocking();
    sem.acquire_blocking();
    sem.release(1).unwrap();
    assert!(sem.release(0).is_err(), "n must be one or more");
}

#[test]
fn bounded_release_past_the_initial_value_is_an_error() {
    let sem = BoundedSemaphore::new(1).unwrap();
    assert_eq!(sem.release(1).unwrap_err().to_string(), "ValueError: Semaphore released too many times");
    sem.acquire_blocking();
    sem.release(1).unwrap();
    assert!(sem.release(1).is_err());
    assert!(sem.to_string().contains("BoundedSemaphore") && sem.to_string().ends_with("value=1/1>"));
}

/// `BoundedSemaphore` is its own type: made by its own constructor, it is bounded (it was
/// once an alias of `Semaphore`, whose `new` made an unbounded one).
#[test]
fn a_bounded_semaphore_made_by_new_is_bounded() {
    let sem = BoundedSemaphore::new(2).unwrap();
    assert!(sem.release(1).is_err(), "released above its initial value");
    let plain = Semaphore::new(2).unwrap();
    assert!(plain.release(1).is_ok(), "a plain Semaphore has no bound");
}
