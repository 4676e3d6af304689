//! `multiprocessing.Pool` and `ThreadPool`: CPython's `Lib/test/_test_multiprocessing.py`
//! (`_TestPool`, `_TestPoolWorkerLifetime`): results in order, imap, callbacks and
//! error_callback exactly once, get(timeout), errors failing one task or the whole map,
//! closed and terminated pools; plus a worker that dies (here: a Rust panic).
#![cfg(not(target_arch = "wasm32"))]

use pp_multiprocessing::{self as mp, Pool, ThreadPool};
use pp_runtime::{PyErr, PyErrKind, PyResult};
use pp_testing::harness::{capture, capture_expecting_panics};
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::sync::{Arc, Mutex};

fn sqr(x: i64) -> i64 {
    x * x
}

fn slow_sqr(x: i64) -> i64 {
    pp_runtime::threading::sleep(0.01 * (x % 3) as f64);
    x * x
}

fn fails_on_3(x: i64) -> PyResult<i64> {
    if x == 3 {
        Err(PyErr::value_error("three"))
    } else {
        Ok(x)
    }
}

fn add(a: i64, b: i64) -> i64 {
    a + b
}

fn sleeper(s: f64) -> f64 {
    pp_runtime::threading::sleep(s);
    s
}

fn run(body: impl FnOnce() -> PyResult<()>) {
    let c = capture(body);
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn map_apply_starmap_give_results_in_order() {
    run(|| {
        let pool = Pool::new(4)?;
        assert_eq!(pool.map(sqr, 0..10, None)?, (0..10).map(|x| x * x).collect::<Vec<_>>());
        assert_eq!(pool.map(slow_sqr, 0..20, Some(1))?, (0..20).map(|x| x * x).collect::<Vec<_>>());
        assert_eq!(pool.apply(sqr, 7)?, 49);
        assert_eq!(pool.starmap(add, vec![(1, 2), (3, 4)], None)?, vec![3, 7]);
        assert_eq!(pool.map(sqr, Vec::<i64>::new(), None)?, Vec::<i64>::new());
        pool.close();
        pool.join()
    });
}

#[test]
fn imap_in_order_and_unordered() {
    run(|| {
        let pool = Pool::new(3)?;
        let ordered: Vec<i64> = pool.imap(slow_sqr, 0..12, 1)?.collect::<PyResult<_>>()?;
        assert_eq!(ordered, (0..12).map(|x| x * x).collect::<Vec<_>>());
        let mut unordered: Vec<i64> = pool.imap_unordered(slow_sqr, 0..12, 2)?.collect::<PyResult<_>>()?;
        unordered.sort();
        assert_eq!(unordered, (0..12).map(|x| x * x).collect::<Vec<_>>());
        Ok(())
    });
}

#[test]
fn callbacks_run_once_each_in_this_process() {
    run(|| {
        let pool = Pool::new(2)?;
        let seen = Arc::new(Mutex::new(Vec::new()));
        let errors = Arc::new(AtomicU32::new(0));
        let me = mp::getpid();
        let mut results = Vec::new();
        for i in 0..6 {
            let (s, e) = (seen.clone(), errors.clone());
            results.push(pool.apply_async_with(
                fails_on_3,
                i,
                Some(Box::new(move |v: &i64| s.lock().unwrap().push((*v, mp::getpid())))),
                Some(Box::new(move |_: &PyErr| {
                    e.fetch_add(1, SeqCst);
                })),
            )?);
        }
        // A failing apply_async fails only its own result.
        for (i, r) in results.iter().enumerate() {
            match r.get(None) {
                Ok(v) => assert_eq!(v, i as i64),
                Err(e) => assert_eq!((i, e.to_string()), (3, "ValueError: three".to_string())),
            }
        }
        let mut got = seen.lock().unwrap().clone();
        got.sort();
        assert_eq!(got, vec![(0, me), (1, me), (2, me), (4, me), (5, me)]);
        assert_eq!(errors.load(SeqCst), 1);
        // A failing item fails the whole map, and its error_callback runs once.
        let (s, e) = (seen.clone(), errors.clone());
        let r = pool.map_async_with(
            fails_on_3,
            0..6,
            Some(1),
            Some(Box::new(move |_: &Vec<i64>| s.lock().unwrap().push((-1, 0)))),
            Some(Box::new(move |_: &PyErr| {
                e.fetch_add(1, SeqCst);
            })),
        )?;
        assert_eq!(r.get(None).unwrap_err().to_string(), "ValueError: three");
        assert!(!r.successful()?);
        assert_eq!(errors.load(SeqCst), 2);
        let all = pool.map_async_with(
            sqr,
            vec![3, 4, 5, 1],
            None,
            Some(Box::new(move |v: &Vec<i64>| assert_eq!(v, &vec![9, 16, 25, 1]))),
            None,
        )?;
        assert_eq!(all.get(None)?, vec![9, 16, 25, 1]);
        assert!(all.to_string().starts_with("<multiprocessing.pool.MapResult object at 0x"));
        // starmap_async: the same callbacks over pairs.
        let sums = Arc::new(Mutex::new(Vec::new()));
        let s = sums.clone();
        let pairs = pool.starmap_async_with(
            add,
            vec![(1, 2), (3, 4)],
            None,
            Some(Box::new(move |v: &Vec<i64>| s.lock().unwrap().extend(v.iter().copied()))),
            Some(Box::new(|e: &PyErr| panic!("no error expected: {e}"))),
        )?;
        assert_eq!(pairs.get(None)?, vec![3, 7]);
        assert_eq!(*sums.lock().unwrap(), vec![3, 7]);
        Ok(())
    });
}

#[test]
fn get_with_timeout_and_not_ready() {
    run(|| {
        let pool = Pool::new(1)?;
        let r = pool.apply_async(sleeper, 0.5)?;
        assert!(!r.ready());
        assert_eq!(r.successful().unwrap_err().kind, PyErrKind::ValueError);
        assert_eq!(r.get(Some(0.05)).unwrap_err().to_string(), "multiprocessing.context.TimeoutError");
        assert_eq!(r.get(Some(10.0))?, 0.5);
        assert!(r.successful()?);
        Ok(())
    });
}

#[test]
fn pool_errors() {
    run(|| {
        assert_eq!(Pool::new(0).err().unwrap().to_string(), "ValueError: Number of processes must be at least 1");
        let pool = Pool::new(1)?;
        assert_eq!(pool.join().unwrap_err().to_string(), "ValueError: Pool is still running");
        pool.close();
        assert_eq!(pool.map(sqr, 0..3, None).unwrap_err().to_string(), "ValueError: Pool not running");
        pool.join()
    });
}

#[test]
fn terminate_with_a_long_queue_returns_promptly() {
    run(|| {
        let pool = Pool::new(2)?;
        let r = pool.map_async(sleeper, vec![0.05; 200], Some(1))?;
        let t = std::time::Instant::now();
        pool.terminate();
        assert!(t.elapsed().as_secs_f64() < 5.0, "terminate took {:?}", t.elapsed());
        assert!(r.get(Some(1.0)).is_err(), "an unfinished job fails");
        Ok(())
    });
}

fn note_pid(_: i64) -> u32 {
    mp::getpid()
}

#[test]
fn maxtasksperchild_replaces_workers() {
    fn init(_: ()) {}
    run(|| {
        let pool = Pool::with_initializer(2, init, (), 3)?;
        let mut pids = pool.map(note_pid, 0..30, Some(1))?;
        pids.sort();
        pids.dedup();
        assert!(pids.len() >= 10, "30 tasks at most 3 per worker need at least 10 workers, saw {}", pids.len());
        Ok(())
    });
}

fn panics(x: i64) -> i64 {
    if x == 2 {
        panic!("a bug in a task");
    }
    x
}

#[test]
fn a_worker_that_dies_fails_its_task_and_the_pool_goes_on() {
    let c = capture_expecting_panics(false, || {
        let pool = Pool::new(2)?;
        let results: Vec<_> = (0..5).map(|i| pool.apply_async(panics, i)).collect::<PyResult<_>>()?;
        let outcomes: Vec<PyResult<i64>> = results.iter().map(|r| r.get(Some(30.0))).collect();
        assert!(outcomes[2].as_ref().unwrap_err().to_string().contains("died"), "{:?}", outcomes[2]);
        for i in [0, 1, 3, 4] {
            assert_eq!(outcomes[i].as_ref().unwrap(), &(i as i64));
        }
        assert_eq!(pool.map(sqr, 0..4, None)?, vec![0, 1, 4, 9], "the pool still works");
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
    assert_eq!(c.panics().len(), 1, "{:?}", c.panics());
}

#[test]
fn thread_pool_has_the_same_api() {
    run(|| {
        let pool = ThreadPool::threads(3)?;
        assert_eq!(pool.map(sqr, 0..10, Some(1))?, (0..10).map(|x| x * x).collect::<Vec<_>>());
        assert_eq!(pool.apply(sqr, 5)?, 25);
        let mut unordered: Vec<i64> = pool.imap_unordered(sqr, 0..5, 1)?.collect::<PyResult<_>>()?;
        unordered.sort();
        assert_eq!(unordered, vec![0, 1, 4, 9, 16]);
        assert!(pool.map(fails_on_3, 0..5, None).is_err());
        pool.close();
        pool.join()
    });
}

static INITIALIZED: AtomicU32 = AtomicU32::new(0);

fn count_init(step: u32) {
    INITIALIZED.fetch_add(step, SeqCst);
}

#[test]
fn thread_pool_runs_its_initializer_in_each_worker() {
    run(|| {
        let pool = ThreadPool::threads_with_initializer(3, count_init, 10)?;
        assert_eq!(pool.map(sqr, 0..6, Some(1))?, vec![0, 1, 4, 9, 16, 25]);
        pool.close();
        pool.join()?;
        assert_eq!(INITIALIZED.load(SeqCst), 30, "three workers, once each");
        Ok(())
    });
}

#[test]
fn scoped_pool_is_terminated_at_the_end() {
    run(|| {
        let out = Pool::scope(5, |p| p.map(sqr, vec![1, 2, 3], None))?;
        assert_eq!(out, vec![1, 4, 9]);
        Ok(())
    });
}

fn waits_for(go: mp::Event) -> bool {
    go.wait(Some(60.0))
}

/// Submitting never waits for the workers: CPython's `map_async` puts the tasks on a local
/// queue (`Pool._taskqueue`) that a handler thread feeds into the pipe (`_handle_tasks`), so
/// it returns at once however many tasks there are. Here every task waits for an event set
/// only after `map_async` returned: had `map_async` waited for the workers to make room (it
/// once did, 45 s for 10,000 tasks), it would never return.
#[test]
fn map_async_over_ten_thousand_tasks_returns_before_any_task_finishes() {
    run(|| {
        let pool = Arc::new(Pool::new(4)?);
        let go = mp::Event::new()?;
        let submitted = Arc::new(Mutex::new(None));
        let submitter = {
            let (pool, go, submitted) = (pool.clone(), go, submitted.clone());
            pp_runtime::threading::Thread::new(move || {
                *submitted.lock().unwrap() = Some(pool.map_async(waits_for, vec![go; 10_000], Some(1)));
            })
            // A daemon: if map_async never returns, the program still ends, and fails.
            .with_daemon(true)
        };
        submitter.start()?;
        submitter.join(Some(60.0))?;
        assert!(!submitter.is_alive(), "map_async waited for the workers to take its tasks");
        go.set();
        let result = submitted.lock().unwrap().take().expect("map_async returned")?;
        let all = result.get(Some(120.0))?;
        assert_eq!(all.len(), 10_000);
        assert!(all.iter().all(|&ok| ok));
        pool.terminate();
        Ok(())
    });
}

/// The page shows a pool's tasks done of total: the result handler tells it as results come
/// back, and always once all are done.
#[test]
fn a_pool_tells_how_many_of_its_tasks_are_done() {
    let c = capture(|| {
        let pool = Pool::new(2)?;
        pool.map(sqr, 0..40, Some(3))?;
        pool.apply(sqr, 7)?;
        pool.close();
        pool.join()
    });
    let told: Vec<_> = c.records.iter().filter_map(|r| r.progress()).collect();
    let last = told.last().expect("a progress record");
    assert_eq!((last.done, last.total), (41, 41), "{told:?}");
    assert!(last.pool.starts_with("Pool "), "{last:?}");
    assert!(told.windows(2).all(|w| w[0].done < w[1].done), "done only grows: {told:?}");
}
