//! Who woke whom: a thread's wait ends with a record naming the thread that let it go on (a
//! put, a set, a notify, a release of a semaphore, a barrier's last arrival, a thread's end)
//! and when, which the timeline draws as an arrow. A wait nobody ended (a timeout) names
//! nobody. A lock says more: every time it changes threads, waited for or not, the taker
//! records whom it came from (a hand-over).
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::queue::Queue;
use pp_runtime::threading::{current_thread, Barrier, Condition, Event, Lock, RLock, Semaphore, Thread};
use pp_runtime::watch::{Record, RecordKind, INTERNAL};
use pp_testing::harness::capture;
use std::sync::Arc;
use std::time::Duration;

/// A finished wait: the waiting thread, the object, when it began and ended, and who woke it.
#[derive(Debug)]
struct Wait {
    thread: u32,
    object: u32,
    from_us: u64,
    to_us: u64,
    woken_by: Option<(u32, u64)>,
}

/// Each time a lock changed threads, in the ring's order: (the lock, from thread, to
/// thread, whether the taker slept). A taker that slept says so as its wait ends (the
/// wait's waker); one that did not, in a hand-over record.
fn hand_overs(records: &[Record], locks: &[u32]) -> Vec<(u32, u32, u32, bool)> {
    let mut waiting_on = std::collections::HashMap::new();
    let mut out = Vec::new();
    for r in records {
        match r.kind {
            RecordKind::Block => drop(waiting_on.insert(r.thread, r.arg)),
            RecordKind::Unblock => {
                let object = waiting_on.remove(&r.thread).unwrap_or(0);
                if let (true, Some(by)) = (locks.contains(&object), r.woken_by()) {
                    out.push((object, by.thread, r.thread, true));
                }
            }
            RecordKind::HandOver if locks.contains(&r.arg) => {
                let h = r.hand_over().unwrap();
                assert_eq!(h.pid, 0, "all in one process");
                out.push((r.arg, h.thread, r.thread, h.slept));
            }
            _ => {}
        }
    }
    out
}

fn waits(records: &[Record]) -> Vec<Wait> {
    let mut open: Vec<(u32, u32, u64)> = Vec::new();
    let mut done = Vec::new();
    for r in records {
        match r.kind {
            RecordKind::Block => open.push((r.thread, r.arg, r.t_us)),
            RecordKind::Unblock => {
                let i = open.iter().position(|w| w.0 == r.thread).expect("an unblock ends a block");
                let (thread, object, from_us) = open.remove(i);
                let woken_by = r.woken_by().map(|w| (w.thread, w.at_us));
                done.push(Wait { thread, object, from_us, to_us: r.t_us, woken_by });
            }
            _ => {}
        }
    }
    done
}

/// Starts `f` on a thread and gives it time to block.
fn waiter(f: impl FnOnce() + Send + 'static) -> Thread {
    let t = Thread::new(move || {
        f();
        Ok(())
    });
    t.start().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    t
}

#[test]
fn each_kind_of_wake_names_the_thread_that_woke() {
    let (mut wakers, mut taken) = (Vec::new(), Vec::new());
    let c = capture(|| {
        let me = pp_runtime::watch::my_id();
        assert_eq!(me, current_thread().watch_id(), "the main thread's id, both ways");
        let lock = Arc::new(Lock::new());
        let rlock = Arc::new(RLock::new());
        let q = Arc::new(Queue::<i32>::new(0));
        let event = Arc::new(Event::new());
        let cond = Arc::new(Condition::new());
        let sem = Arc::new(Semaphore::new(0)?);
        let barrier = Arc::new(Barrier::new(2)?);
        lock.acquire_blocking();
        rlock.acquire(true, None)?;
        let mut threads = Vec::new();
        // Each of these threads waits once, on its object.
        let mut expect = |t: Thread, waker: u32| {
            wakers.push((t.watch_id(), waker));
            threads.push(t);
        };
        let l = lock.clone();
        let lock_taker = waiter(move || l.acquire_blocking());
        lock.release()?;
        let r = rlock.clone();
        let rlock_taker = waiter(move || drop(r.acquire(true, None)));
        rlock.release()?;
        lock_taker.join(None)?;
        rlock_taker.join(None)?;
        taken = vec![
            (lock.watch_id(), me, lock_taker.watch_id(), true),
            (rlock.watch_id(), me, rlock_taker.watch_id(), true),
        ];
        let q2 = q.clone();
        expect(
            waiter(move || {
                let _ = q2.get();
            }),
            me,
        );
        q.put(1);
        let e = event.clone();
        expect(
            waiter(move || {
                let _ = e.wait(None);
            }),
            me,
        );
        event.set();
        let c2 = cond.clone();
        expect(
            waiter(move || {
                let _with = c2.enter();
                drop(c2.wait(None));
            }),
            me,
        );
        {
            let _with = cond.enter();
            cond.notify(1)?;
        }
        let s = sem.clone();
        expect(waiter(move || drop(s.acquire(true, None))), me);
        sem.release(1)?;
        let b = barrier.clone();
        expect(waiter(move || drop(b.wait(None))), me);
        barrier.wait(None).expect("the second party");
        let sleeper = Thread::new(|| {
            pp_runtime::threading::sleep(0.2);
            Ok(())
        });
        sleeper.start()?;
        let s2 = sleeper.clone();
        expect(waiter(move || drop(s2.join(None))), sleeper.watch_id());
        threads.iter().try_for_each(|t| t.join(Some(5.0)))?;
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
    let waits = waits(&c.records);
    let locks = [taken[0].0, taken[1].0];
    let handed = hand_overs(&c.records, &locks);
    assert_eq!(handed, taken, "the locks were handed over to the threads that slept for them");
    assert_eq!(wakers.len(), 6);
    // Thread ids are reused once a thread ends: take the waits in order.
    let mut waits = waits.iter().filter(|w| !locks.contains(&w.object));
    for (thread, waker) in wakers {
        let w = waits
            .find(|w| w.thread == thread && w.object != 0)
            .unwrap_or_else(|| panic!("no finished wait of thread {thread} on an object"));
        let (by, at) = w.woken_by.unwrap_or_else(|| panic!("nobody woke {w:?}"));
        assert_eq!(by, waker, "who woke {w:?}");
        assert!(w.from_us <= at && at <= w.to_us, "woken while it waited: {w:?}");
    }
}

#[test]
fn a_wait_that_timed_out_names_nobody() {
    let mut lock_id = 0;
    let c = capture(|| {
        let lock = Arc::new(Lock::new());
        lock_id = lock.watch_id();
        lock.acquire_blocking();
        let l = lock.clone();
        let t = Thread::new(move || l.acquire(true, Some(0.1)).map(drop));
        t.start()?;
        t.join(None)?;
        lock.release()
    });
    assert_eq!(c.exit.code, 0);
    let waits: Vec<Wait> = waits(&c.records).into_iter().filter(|w| w.object == lock_id).collect();
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert_eq!(waits[0].woken_by, None);
    assert_eq!(hand_overs(&c.records, &[lock_id]), [], "the lock never changed threads");
}

/// A lock made where no run watches (an interpreter's boot, before Run: `threading.py`'s own
/// locks) is not the program's: a wait for it in the run is drawn as the interpreter's own,
/// not as a wait between processes (object 0), as CI's WebKit once drew lock-counter's.
#[test]
fn a_lock_made_before_the_run_is_the_interpreters_own() {
    let made_before = Arc::new(Lock::new());
    let lock = made_before.clone();
    let c = capture(move || {
        lock.acquire_blocking();
        let l = lock.clone();
        let t = Thread::new(move || l.acquire(true, None).map(drop).and_then(|()| l.release()));
        t.start()?;
        pp_runtime::threading::sleep(0.1);
        lock.release()?;
        t.join(None)
    });
    assert_eq!(c.exit.code, 0);
    let waits: Vec<Wait> = waits(&c.records).into_iter().filter(|w| w.object != 0 || w.woken_by.is_some()).collect();
    assert!(waits.iter().any(|w| w.object == INTERNAL), "{waits:?}");
    assert!(waits.iter().all(|w| w.object != 0), "no wait between processes: {waits:?}");
}

/// The lock-counter example's shape: the hand-overs chain (the lock goes from A to B, then
/// from B on), none is from a thread to itself, and each wait for the lock ends in one.
#[test]
fn the_hand_overs_of_a_lock_chain_from_thread_to_thread() {
    let mut lock_id = 0;
    let c = capture(|| {
        let lock = Arc::new(Lock::new());
        lock_id = lock.watch_id();
        let threads: Vec<Thread> = (0..4)
            .map(|_| {
                let lock = lock.clone();
                Thread::new(move || {
                    for _ in 0..50 {
                        let _held = lock.enter();
                        // Lets the GIL go while holding the lock: the others queue for it.
                        pp_runtime::threading::sleep(0.0005);
                    }
                    Ok(())
                })
            })
            .collect();
        threads.iter().try_for_each(|t| t.start())?;
        threads.iter().try_for_each(|t| t.join(None))
    });
    assert_eq!(c.exit.code, 0);
    let handed = hand_overs(&c.records, &[lock_id]);
    assert!(handed.len() >= 3, "four threads took the lock in turn: {handed:?}");
    for pair in handed.windows(2) {
        assert_eq!(pair[0].2, pair[1].1, "the lock goes on from whom it went to: {pair:?}");
    }
    assert!(handed.iter().all(|h| h.1 != h.2), "no hand-over to oneself: {handed:?}");
    let waited = waits(&c.records).into_iter().filter(|w| w.object == lock_id).count();
    let slept = handed.iter().filter(|h| h.3).count();
    assert_eq!(slept, waited, "every wait for the lock ends in a hand-over");
}

/// The lock-counter example under the GIL: each thread ends before the next starts, so they
/// all get the same id; the lock still changes threads, and the hand-over says which one.
#[test]
fn a_hand_over_tells_apart_threads_that_had_the_same_id() {
    let mut lock_id = 0;
    let c = capture(|| {
        let lock = Arc::new(Lock::new());
        lock_id = lock.watch_id();
        for _ in 0..3 {
            let lock = lock.clone();
            let t = Thread::new(move || {
                let _held = lock.enter();
                Ok(())
            });
            t.start()?;
            t.join(None)?;
        }
        Ok(())
    });
    assert_eq!(c.exit.code, 0);
    let starts: Vec<u32> = c.records.iter().filter(|r| r.kind == RecordKind::ThreadStart).map(|r| r.thread).collect();
    assert_eq!(starts[1..], [2, 2, 2], "one id for the three threads");
    let handed: Vec<(u32, u32, u32)> = c
        .records
        .iter()
        .filter(|r| r.arg == lock_id)
        .filter_map(|r| r.hand_over().map(|h| (h.thread, h.generation, r.thread)))
        .collect();
    assert_eq!(handed, [(2, 1, 2), (2, 2, 2)], "from the first thread of id 2 to the second, then on to the third");
}

/// The lock-counter example itself, with the GIL on and off: the hand-overs chain, whatever
/// the interleaving.
#[test]
fn the_hand_overs_of_lock_counter_chain_with_the_gil_on_and_off() {
    for gil in [true, false] {
        let mut lock_id = 0;
        let c = pp_testing::harness::capture_with(gil, || {
            let lock = Arc::new(Lock::new());
            lock_id = lock.watch_id();
            let counter = Arc::new(std::sync::atomic::AtomicU32::new(0));
            let threads: Vec<Thread> = (0..10)
                .map(|_| {
                    let (lock, counter) = (lock.clone(), counter.clone());
                    Thread::new(move || {
                        for _ in 0..1000 {
                            let _held = lock.enter();
                            let n = counter.load(std::sync::atomic::Ordering::Relaxed);
                            counter.store(n + 1, std::sync::atomic::Ordering::Relaxed);
                        }
                        Ok(())
                    })
                })
                .collect();
            threads.iter().try_for_each(|t| t.start())?;
            threads.iter().try_for_each(|t| t.join(None))?;
            assert_eq!(counter.load(std::sync::atomic::Ordering::Relaxed), 10_000);
            Ok(())
        });
        assert_eq!(c.exit.code, 0);
        let handed = hand_overs(&c.records, &[lock_id]);
        assert!(handed.len() >= 9, "gil {gil}: {handed:?}");
        // With the GIL off the lock changes threads thousands of times: the first ones are
        // recorded, and chain.
        assert!(handed.len() as u32 <= pp_runtime::watch::HAND_OVERS_RECORDED, "gil {gil}: {}", handed.len());
        for pair in handed.windows(2) {
            assert_eq!(pair[0].2, pair[1].1, "gil {gil}: the lock goes on from whom it went to: {pair:?}");
        }
    }
}

/// The benchmark measures recording's cost by turning it off (`watch::set_recording`): off,
/// a put that wakes a sleeping getter names nobody; on again, it names the putter (as does
/// the queue's lock, if the getter also waited for it). A waiter woken while it still spins
/// has no wait to end: each getter is given time to fall asleep.
#[test]
fn with_recording_off_a_wake_names_nobody() {
    let (mut me, mut queue) = (0, 0);
    let c = capture(|| {
        me = pp_runtime::watch::my_id();
        let q = Arc::new(Queue::<i32>::new(0));
        queue = q.watch_id();
        for recording in [false, true] {
            pp_runtime::watch::set_recording(recording);
            let q2 = q.clone();
            let t = waiter(move || {
                let _ = q2.get();
            });
            q.put(1);
            t.join(None)?;
        }
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
    let named: Vec<Option<u32>> =
        waits(&c.records).iter().filter(|w| w.object == queue).map(|w| w.woken_by.map(|(by, _)| by)).collect();
    let off = named.iter().take_while(|by| by.is_none()).count();
    assert!(off >= 1 && off < named.len(), "waits unrecorded, then recorded: {named:?}");
    assert!(named[off..].iter().all(|by| *by == Some(me)), "{named:?}");
}
