//! `threading.Event`: CPython's `Lib/test/lock_tests.py` (`EventTests`).
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::threading::Event;
use pp_testing::cpython::*;
use std::sync::Arc;

#[test]
fn is_set() {
    let evt = Event::new();
    assert!(!evt.is_set());
    evt.set();
    assert!(evt.is_set());
    evt.set();
    assert!(evt.is_set());
    evt.clear();
    assert!(!evt.is_set());
    evt.clear();
    assert!(!evt.is_set());
}

fn check_notify(evt: &Arc<Event>) {
    let (results1, results2) = (List::new(), List::new());
    let (e, r1, r2) = (evt.clone(), results1.clone(), results2.clone());
    let b = Bunch::new(
        5,
        move || {
            r1.push(e.wait(None));
            r2.push(e.wait(None));
        },
        false,
    );
    b.wait_for_started();
    wait();
    assert_eq!(results1.len(), 0);
    evt.set();
    b.wait_for_finished();
    assert_eq!(results1.get(), vec![true; 5]);
    assert_eq!(results2.get(), vec![true; 5]);
}

#[test]
fn notify_wakes_every_waiter() {
    let evt = Arc::new(Event::new());
    check_notify(&evt);
    // Again, after an explicit clear().
    evt.set();
    evt.clear();
    check_notify(&evt);
}

#[test]
fn timeout() {
    let evt = Arc::new(Event::new());
    let run = |evt: &Arc<Event>| {
        let (results1, results2) = (List::new(), List::new());
        let (e, r1, r2) = (evt.clone(), results1.clone(), results2.clone());
        Bunch::new(
            5,
            move || {
                r1.push(e.wait(Some(0.0)));
                let (r, dt) = time(|| e.wait(Some(0.5)));
                r2.push((r, dt));
            },
            false,
        )
        .wait_for_finished();
        (results1.get(), results2.get())
    };
    let (r1, r2) = run(&evt);
    assert_eq!(r1, vec![false; 5]);
    for (r, dt) in r2 {
        assert!(!r);
        assert_timeout(dt, 0.5);
    }
    evt.set();
    let (r1, r2) = run(&evt);
    assert_eq!(r1, vec![true; 5]);
    assert!(r2.iter().all(|(r, _)| *r));
}

#[test]
fn set_and_clear_still_wakes_waiters() {
    // Issue #13502: wait() returns true even when the event is cleared before the waiting
    // thread is woken up.
    let evt = Arc::new(Event::new());
    let results = List::new();
    let (e, r) = (evt.clone(), results.clone());
    let b = Bunch::new(5, move || r.push(e.wait(Some(1.0))), false);
    b.wait_for_started();
    std::thread::sleep(ms(250));
    evt.set();
    evt.clear();
    b.wait_for_finished();
    assert_eq!(results.get(), vec![true; 5]);
}
