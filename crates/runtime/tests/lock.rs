//! `threading.Lock`: the cases of CPython's `Lib/test/lock_tests.py` (`BaseLockTests`,
//! `LockTests`), ported one by one.
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::threading::Lock;
use pp_runtime::PyErrKind;
use pp_testing::cpython::*;
use std::sync::Arc;

#[test]
fn repr() {
    let lock = Lock::new();
    assert!(format!("{lock:?}").starts_with("<unlocked _thread.lock object at 0x"));
    lock.acquire_blocking();
    assert!(format!("{lock:?}").starts_with("<locked _thread.lock object at 0x"));
}

#[test]
fn acquire_release() {
    let lock = Lock::new();
    lock.acquire_blocking();
    lock.release().unwrap();
}

#[test]
fn try_acquire() {
    let lock = Lock::new();
    assert!(lock.acquire(false, None).unwrap());
    lock.release().unwrap();
}

#[test]
fn try_acquire_contended() {
    let lock = Arc::new(Lock::new());
    lock.acquire_blocking();
    let result = List::new();
    let (l, r) = (lock.clone(), result.clone());
    Bunch::new(1, move || r.push(l.acquire(false, None).unwrap()), false).wait_for_finished();
    assert_eq!(result.get(), vec![false]);
    lock.release().unwrap();
}

#[test]
fn acquire_contended() {
    let lock = Arc::new(Lock::new());
    lock.acquire_blocking();
    let l = lock.clone();
    let b = Bunch::new(
        5,
        move || {
            l.acquire_blocking();
            l.release().unwrap();
        },
        false,
    );
    b.wait_for_started();
    wait();
    assert_eq!(b.finished(), 0);
    lock.release().unwrap();
    b.wait_for_finished();
    assert_eq!(b.finished(), 5);
}

#[test]
fn with_releases_on_every_path() {
    let lock = Lock::new();
    let raise = |err: bool| -> Result<(), &'static str> {
        let _with = lock.enter();
        if err {
            return Err("TypeError");
        }
        Ok(())
    };
    raise(false).unwrap();
    assert!(!lock.locked());
    assert_eq!(raise(true), Err("TypeError"));
    assert!(!lock.locked(), "the guard released the lock on the error path");
}

#[test]
fn timeout_arguments() {
    let lock = Lock::new();
    // Can't set timeout if not blocking.
    assert_eq!(lock.acquire(false, Some(1.0)).unwrap_err().kind, PyErrKind::ValueError);
    // Invalid timeout values.
    let e = lock.acquire(true, Some(-100.0)).unwrap_err();
    assert_eq!(e.to_string(), "ValueError: timeout value must be a non-negative number");
    assert_eq!(lock.acquire(true, Some(1e100)).unwrap_err().kind, PyErrKind::OverflowError);
    // -1 means forever, as in Python.
    assert!(lock.acquire(true, Some(-1.0)).unwrap());
    lock.release().unwrap();
    let (ok, dt) = time(|| lock.acquire(true, Some(5.0)).unwrap());
    assert!(ok && dt.as_secs_f64() < 5.0);
    let results = List::new();
    let lock = Arc::new(lock);
    let (l, r) = (lock.clone(), results.clone());
    Bunch::new(
        1,
        move || {
            let (got, dt) = time(|| l.acquire(true, Some(0.5)).unwrap());
            r.push((got, dt));
        },
        false,
    )
    .wait_for_finished();
    let (got, dt) = results.get()[0];
    assert!(!got);
    assert_timeout(dt, 0.5);
}

#[test]
fn reacquire_needs_a_release_first() {
    let lock = Arc::new(Lock::new());
    let phase = List::new();
    let (l, p) = (lock.clone(), phase.clone());
    let _b = Bunch::new(
        1,
        move || {
            l.acquire_blocking();
            p.push(());
            l.acquire_blocking();
            p.push(());
        },
        false,
    );
    phase.wait_len(1);
    wait();
    assert_eq!(phase.len(), 1);
    lock.release().unwrap();
    phase.wait_len(2);
}

#[test]
fn released_by_a_different_thread() {
    let lock = Arc::new(Lock::new());
    lock.acquire_blocking();
    let l = lock.clone();
    Bunch::new(1, move || l.release().unwrap(), false).wait_for_finished();
    lock.acquire_blocking();
    lock.release().unwrap();
}

#[test]
fn state_after_timeout() {
    // Issue #11618: the lock is in a proper state after a (non-zero) timeout.
    let lock = Lock::new();
    lock.acquire_blocking();
    assert!(!lock.acquire(true, Some(0.01)).unwrap());
    lock.release().unwrap();
    assert!(!lock.locked());
    assert!(lock.acquire(false, None).unwrap());
}

#[test]
fn release_unlocked_is_a_runtime_error() {
    let lock = Lock::new();
    assert_eq!(lock.release().unwrap_err().to_string(), "RuntimeError: release unlocked lock");
}
