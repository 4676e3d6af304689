//! Synchronization across processes: Lock, RLock, Semaphore, BoundedSemaphore, Event,
//! Condition, Barrier. CPython's `Lib/test/_test_multiprocessing.py` (`_TestLock`,
//! `_TestSemaphore`, `_TestCondition`, `_TestEvent`, `_TestBarrier`).
#![cfg(not(target_arch = "wasm32"))]

use pp_multiprocessing::{Array, Barrier, BoundedSemaphore, Condition, Event, Lock, Process, RLock, Semaphore};
use pp_runtime::PyResult;
use pp_testing::harness::capture;

#[test]
fn lock_and_rlock() {
    let c = capture(|| {
        let lock = Lock::new()?;
        assert!(lock.acquire(true, None));
        assert!(!lock.acquire(false, None));
        assert!(!lock.acquire(true, Some(0.05)));
        lock.release()?;
        assert_eq!(lock.release().unwrap_err().to_string(), "ValueError: semaphore or lock released too many times");
        let rlock = RLock::new()?;
        assert!(rlock.acquire(true, None));
        assert!(rlock.acquire(true, None));
        rlock.release()?;
        rlock.release()?;
        assert_eq!(
            rlock.release().unwrap_err().to_string(),
            "AssertionError: attempt to release recursive lock not owned by thread"
        );
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

/// Each child adds 1 to a shared counter 200 times under a shared lock (a load and a store).
fn add((lock, counter): (Lock, Array<i64>)) -> PyResult<()> {
    for _ in 0..200 {
        let _with = lock.enter();
        let v = counter.get(0)?;
        counter.set(0, v + 1)?;
    }
    Ok(())
}

#[test]
fn a_lock_makes_increments_from_four_processes_exact() {
    let c = capture(|| {
        let lock = Lock::new()?;
        let counter = Array::<i64>::raw('l', &[0])?;
        let ps: Vec<Process> = (0..4).map(|_| Process::new(add, (lock, counter.clone()))).collect();
        ps.iter().try_for_each(Process::start)?;
        ps.iter().try_for_each(|p| p.join(None))?;
        assert_eq!(counter.get(0)?, 800);
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn semaphores() {
    let c = capture(|| {
        let s = Semaphore::new(2)?;
        assert!(s.acquire(true, None)?);
        assert!(s.acquire(true, None)?);
        assert!(!s.acquire(false, None)?);
        assert!(!s.acquire(true, Some(0.05))?);
        assert_eq!(s.get_value(), 0);
        s.release()?;
        s.release()?;
        s.release()?; // unbounded: fine
        assert_eq!(s.get_value(), 3);
        let b = BoundedSemaphore::new(1)?;
        assert_eq!(b.release().unwrap_err().to_string(), "ValueError: semaphore or lock released too many times");
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

fn wait_then_report((ready, go, done): (Event, Event, Semaphore)) -> PyResult<()> {
    ready.set();
    if go.wait(Some(10.0)) {
        done.release()?;
    }
    Ok(())
}

#[test]
fn event_across_processes() {
    let c = capture(|| {
        let (ready, go, done) = (Event::new()?, Event::new()?, Semaphore::new(0)?);
        assert!(!go.wait(Some(0.05)));
        let p = Process::new(wait_then_report, (ready, go, done));
        p.start()?;
        assert!(ready.wait(Some(10.0)));
        go.set();
        assert!(done.acquire(true, Some(10.0))?);
        p.join(None)
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

fn sleeper((cond, woken): (Condition, Semaphore)) -> PyResult<()> {
    let _with = cond.enter();
    if cond.wait(Some(10.0))? {
        woken.release()?;
    }
    Ok(())
}

#[test]
fn condition_notify_n_across_processes() {
    let c = capture(|| {
        let cond = Condition::new()?;
        let woken = Semaphore::new(0)?;
        assert!(cond.wait(None).unwrap_err().to_string().contains("must acquire() condition"));
        let ps: Vec<Process> = (0..3).map(|_| Process::new(sleeper, (cond, woken))).collect();
        ps.iter().try_for_each(Process::start)?;
        std::thread::sleep(std::time::Duration::from_millis(300));
        {
            let _with = cond.enter();
            cond.notify(2)?;
        }
        assert!(woken.acquire(true, Some(5.0))?);
        assert!(woken.acquire(true, Some(5.0))?);
        assert!(!woken.acquire(true, Some(0.2))?, "notify(2) woke only two");
        {
            let _with = cond.enter();
            cond.notify_all()?;
        }
        assert!(woken.acquire(true, Some(5.0))?);
        ps.iter().try_for_each(|p| p.join(None))
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

fn arrive((barrier, out): (Barrier, Array<i32>)) -> PyResult<()> {
    let i = barrier.wait(None)?;
    out.set(i as i64, 1)
}

#[test]
fn barrier_across_processes_and_its_timeout() {
    let c = capture(|| {
        let barrier = Barrier::new(3, None)?;
        let out = Array::<i32>::zeroed('i', 3)?;
        let ps: Vec<Process> = (0..3).map(|_| Process::new(arrive, (barrier, out.clone()))).collect();
        ps.iter().try_for_each(Process::start)?;
        ps.iter().try_for_each(|p| p.join(None))?;
        assert_eq!(out.to_vec(), vec![1, 1, 1], "each index 0..3 given once");
        let lonely = Barrier::new(2, Some(0.1))?;
        assert_eq!(lonely.wait(None).unwrap_err().to_string(), "threading.BrokenBarrierError");
        assert!(lonely.broken());
        lonely.reset();
        assert!(!lonely.broken());
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

fn takes_then_waits((first, second, both_hold): (Lock, Lock, Barrier)) -> PyResult<()> {
    first.acquire(true, None);
    both_hold.wait(Some(30.0))?;
    second.acquire(true, None); // never returns: the other process holds it and waits for ours
    Ok(())
}

/// A deadlock across processes is found like one inside a process: each process holds an
/// `mp.Lock` the other waits for, and the wait-for graph, read from both processes' tables and
/// the locks' words in the run's segment, has the cycle through both.
#[test]
fn a_deadlock_across_two_processes_is_found() {
    let c = capture(|| {
        let (l1, l2) = (Lock::new()?, Lock::new()?);
        let both_hold = Barrier::new(2, None)?;
        let a = Process::new(takes_then_waits, (l1, l2, both_hold)).with_name("A");
        let b = Process::new(takes_then_waits, (l2, l1, both_hold)).with_name("B");
        a.start()?;
        b.start()?;
        let start = std::time::Instant::now();
        let cycle = loop {
            if let Some(cycle) = pp_testing::harness::deadlock_now() {
                break cycle;
            }
            assert!(start.elapsed().as_secs() < 30, "no deadlock found in 30 s");
            pp_runtime::threading::sleep(0.05);
        };
        let (pa, pb) = (a.pid().unwrap(), b.pid().unwrap());
        let mut pids: Vec<u32> = cycle.iter().map(|e| e.thread.0).collect();
        pids.sort();
        assert_eq!(pids, vec![pa.min(pb), pa.max(pb)], "the cycle passes through both processes: {cycle:?}");
        for e in &cycle {
            assert_ne!(e.thread.0, e.holder.0, "each waits for a lock the other process holds: {cycle:?}");
        }
        a.terminate();
        b.terminate();
        a.join(Some(30.0))?;
        b.join(Some(30.0))?;
        assert_eq!((a.exitcode(), b.exitcode()), (Some(-15), Some(-15)));
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

/// Each wait of the parent ends by an act of the child, a moment after the parent began it.
fn wake_each((event, sem, cond, barrier): (Event, Semaphore, Condition, Barrier)) -> PyResult<()> {
    let pause = || pp_runtime::threading::sleep(0.2);
    pause();
    event.set();
    pause();
    sem.release()?;
    pause();
    {
        let _with = cond.enter();
        cond.notify(1)?;
    }
    pause();
    barrier.wait(Some(10.0))?;
    pause();
    Ok(())
}

/// Who woke whom across processes: a wait on an Event, a Semaphore, a Condition or a Barrier
/// that a thread of another process ended says which (the waiter records it: the waker's
/// table is in another memory), as a Queue's get and a Lock's hand-over do.
#[test]
fn waits_ended_from_another_process_say_who_ended_them() {
    let mut child_pid = 0;
    let c = capture(|| {
        let (event, sem, cond, barrier) =
            (Event::new()?, Semaphore::new(0)?, Condition::new()?, Barrier::new(2, None)?);
        let p = Process::new(wake_each, (event, sem, cond, barrier));
        p.start()?;
        child_pid = p.pid().unwrap_or(0);
        assert!(event.wait(Some(10.0)));
        assert!(sem.acquire(true, Some(10.0))?);
        {
            let _with = cond.enter();
            assert!(cond.wait(Some(10.0))?);
        }
        barrier.wait(Some(10.0))?;
        p.join(None)
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
    let wakers: Vec<_> = c.records.iter().filter_map(|r| r.woken_by()).filter(|w| w.pid == child_pid).collect();
    assert_eq!(wakers.len(), 5, "the event, the semaphore, the condition, the barrier, the join: {wakers:?}");
    assert!(wakers.iter().all(|w| w.thread == 1), "the child's main thread: {wakers:?}");
    assert!(wakers.windows(2).all(|w| w[0].at_us < w[1].at_us), "in that order: {wakers:?}");
}
