//! `threading.Condition`: CPython's `Lib/test/lock_tests.py` (`ConditionTests`).
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::threading::{Condition, Lock};
use pp_testing::cpython::*;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;

#[test]
fn acquire() {
    // By default there is an RLock: the condition can be acquired several times.
    let cond = Condition::new();
    cond.acquire(true, None).unwrap();
    cond.acquire(true, None).unwrap();
    cond.release().unwrap();
    cond.release().unwrap();
    let lock = Arc::new(Lock::new());
    let cond = Condition::with_lock(lock.clone());
    cond.acquire(true, None).unwrap();
    assert!(!lock.acquire(false, None).unwrap());
    cond.release().unwrap();
    assert!(lock.acquire(false, None).unwrap());
    assert!(!cond.acquire(false, None).unwrap());
    lock.release().unwrap();
    let _with = cond.enter();
    assert!(!lock.acquire(false, None).unwrap());
}

#[test]
fn unacquired_wait_and_notify_are_errors() {
    let cond = Condition::new();
    assert_eq!(cond.wait(None).unwrap_err().to_string(), "RuntimeError: cannot wait on un-acquired lock");
    assert_eq!(cond.notify(1).unwrap_err().to_string(), "RuntimeError: cannot notify on un-acquired lock");
}

fn check_notify(cond: Arc<Condition>) {
    let phase = Arc::new(AtomicUsize::new(0));
    let (ready, results1, results2) = (List::new(), List::new(), List::new());
    let b = {
        let (cond, phase, ready, r1, r2) =
            (cond.clone(), phase.clone(), ready.clone(), results1.clone(), results2.clone());
        Bunch::new(
            5,
            move || {
                for results in [&r1, &r2] {
                    cond.acquire(true, None).unwrap();
                    ready.push(());
                    let result = cond.wait(None).unwrap();
                    cond.release().unwrap();
                    results.push((result, phase.load(SeqCst)));
                }
            },
            false,
        )
    };
    b.wait_for_started();
    // Let every thread settle into its first wait (CPython issues #8799, #30727).
    ready.wait_len(5);
    ready.clear();
    assert!(results1.get().is_empty());
    // Notify 3 threads first.
    cond.acquire(true, None).unwrap();
    cond.notify(3).unwrap();
    wait();
    phase.store(1, SeqCst);
    cond.release().unwrap();
    results1.wait_len(3);
    assert_eq!(results1.get(), vec![(true, 1); 3]);
    assert!(results2.get().is_empty());
    ready.wait_len(3);
    // Notify 5: they may be in their first or their second wait.
    cond.acquire(true, None).unwrap();
    cond.notify(5).unwrap();
    wait();
    phase.store(2, SeqCst);
    cond.release().unwrap();
    wait_until("8 results", || results1.len() + results2.len() >= 8);
    let mut expected1 = vec![(true, 1); 3];
    expected1.extend([(true, 2); 2]);
    assert_eq!(results1.get(), expected1);
    assert_eq!(results2.get(), vec![(true, 2); 3]);
    ready.wait_len(5);
    // Notify all: every thread is in its second wait.
    cond.acquire(true, None).unwrap();
    cond.notify_all().unwrap();
    wait();
    phase.store(3, SeqCst);
    cond.release().unwrap();
    results2.wait_len(5);
    let mut expected2 = vec![(true, 2); 3];
    expected2.extend([(true, 3); 2]);
    assert_eq!(results2.get(), expected2);
    b.wait_for_finished();
}

#[test]
fn notify_wakes_exactly_n_in_order() {
    let cond = Arc::new(Condition::new());
    check_notify(cond.clone());
    // A second time, to check the internal state is still right.
    check_notify(cond);
}

#[test]
fn timeout() {
    let cond = Arc::new(Condition::new());
    let results = List::new();
    let (c, r) = (cond.clone(), results.clone());
    Bunch::new(
        5,
        move || {
            c.acquire(true, None).unwrap();
            let (result, dt) = time(|| c.wait(Some(0.5)).unwrap());
            c.release().unwrap();
            r.push((dt, result));
        },
        false,
    )
    .wait_for_finished();
    assert_eq!(results.len(), 5);
    for (dt, result) in results.get() {
        assert_timeout(dt, 0.5);
        assert!(!result, "no spurious wake-ups here");
    }
}

#[test]
fn wait_for() {
    let cond = Arc::new(Condition::new());
    let state = Arc::new(AtomicUsize::new(0));
    let (c, s) = (cond.clone(), state.clone());
    let b = Bunch::new(
        1,
        move || {
            let _with = c.enter();
            assert!(c.wait_for(|| s.load(SeqCst) == 4, None).unwrap());
            assert_eq!(s.load(SeqCst), 4);
        },
        false,
    );
    b.wait_for_started();
    for _ in 0..4 {
        std::thread::sleep(ms(10));
        let _with = cond.enter();
        state.fetch_add(1, SeqCst);
        cond.notify(1).unwrap();
    }
    b.wait_for_finished();
}

#[test]
fn wait_for_timeout() {
    let cond = Arc::new(Condition::new());
    let state = Arc::new(AtomicUsize::new(0));
    let success = List::new();
    let (c, s, ok) = (cond.clone(), state.clone(), success.clone());
    let b = Bunch::new(
        1,
        move || {
            let _with = c.enter();
            let (result, dt) = time(|| c.wait_for(|| s.load(SeqCst) == 4, Some(0.1)).unwrap());
            assert!(!result);
            assert_timeout(dt, 0.1);
            ok.push(());
        },
        false,
    );
    b.wait_for_started();
    // Only 3 increments: state == 4 is never reached.
    for _ in 0..3 {
        std::thread::sleep(ms(10));
        let _with = cond.enter();
        state.fetch_add(1, SeqCst);
        cond.notify(1).unwrap();
    }
    b.wait_for_finished();
    assert_eq!(success.len(), 1);
}

#[test]
fn zero_and_negative_timeouts_do_not_wait() {
    let cond = Condition::new();
    let _with = cond.enter();
    assert!(!cond.wait(Some(0.0)).unwrap());
    assert!(!cond.wait(Some(-1.0)).unwrap());
}
