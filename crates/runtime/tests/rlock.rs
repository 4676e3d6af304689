//! `threading.RLock`: CPython's `Lib/test/lock_tests.py` (`BaseLockTests`, `RLockTests`).
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::threading::RLock;
use pp_testing::cpython::*;
use std::sync::Arc;

#[test]
fn repr() {
    let lock = RLock::new();
    assert!(format!("{lock:?}").starts_with("<unlocked _thread.RLock object owner=0 count=0 at 0x"));
    lock.acquire_blocking();
    lock.acquire_blocking();
    assert!(format!("{lock:?}").contains("locked _thread.RLock object owner="));
    assert!(format!("{lock:?}").contains("count=2"));
}

#[test]
fn reacquire() {
    let lock = RLock::new();
    lock.acquire_blocking();
    lock.acquire_blocking();
    lock.release().unwrap();
    lock.acquire_blocking();
    lock.release().unwrap();
    lock.release().unwrap();
}

#[test]
fn release_unacquired() {
    let lock = RLock::new();
    assert_eq!(lock.release().unwrap_err().to_string(), "RuntimeError: cannot release un-acquired lock");
    lock.acquire_blocking();
    lock.acquire_blocking();
    lock.release().unwrap();
    lock.acquire_blocking();
    lock.release().unwrap();
    lock.release().unwrap();
    assert!(lock.release().is_err());
}

#[test]
fn cannot_be_released_by_a_different_thread() {
    let lock = Arc::new(RLock::new());
    let l = lock.clone();
    let b = Bunch::new(1, move || l.acquire_blocking(), true);
    wait_until("the thread to acquire", || b.finished() >= 1);
    assert!(lock.release().is_err());
    b.do_finish();
}

#[test]
fn is_owned() {
    let lock = Arc::new(RLock::new());
    assert!(!lock.is_owned());
    lock.acquire_blocking();
    assert!(lock.is_owned());
    lock.acquire_blocking();
    assert!(lock.is_owned());
    let result = List::new();
    let (l, r) = (lock.clone(), result.clone());
    Bunch::new(1, move || r.push(l.is_owned()), false).wait_for_finished();
    assert_eq!(result.get(), vec![false]);
    lock.release().unwrap();
    assert!(lock.is_owned());
    lock.release().unwrap();
    assert!(!lock.is_owned());
}

#[test]
fn try_acquire_contended_and_timeout() {
    let lock = Arc::new(RLock::new());
    lock.acquire_blocking();
    let results = List::new();
    let (l, r) = (lock.clone(), results.clone());
    Bunch::new(
        1,
        move || {
            r.push(l.acquire(false, None).unwrap());
            let (got, dt) = time(|| l.acquire(true, Some(0.2)).unwrap());
            r.push(got);
            assert_timeout(dt, 0.2);
        },
        false,
    )
    .wait_for_finished();
    assert_eq!(results.get(), vec![false, false]);
}

#[test]
fn with_releases_fully() {
    let lock = RLock::new();
    {
        let _a = lock.enter();
        let _b = lock.enter();
        assert_eq!(lock.count(), 2);
    }
    assert!(!lock.is_owned());
    assert_eq!(lock.count(), 0);
}
