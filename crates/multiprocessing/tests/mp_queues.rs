//! `multiprocessing.Queue`, `JoinableQueue`, `SimpleQueue` between processes: the behaviours
//! of CPython's `Lib/test/_test_multiprocessing.py` (`_TestQueue`, `_TestSimpleQueue`).
#![cfg(not(target_arch = "wasm32"))]

use pp_multiprocessing::{JoinableQueue, Process, Queue, SimpleQueue};
use pp_runtime::py::Value;
use pp_runtime::PyResult;
use pp_testing::harness::capture;
use std::time::Instant;

fn producer((q, n): (Queue<i64>, i64)) -> PyResult<()> {
    for i in 0..n {
        q.put(&i)?;
    }
    Ok(())
}

#[test]
fn items_cross_from_a_child_in_order() {
    let c = capture(|| {
        let q = Queue::new(0)?;
        let p = Process::new(producer, (q.clone(), 100));
        p.start()?;
        let got: Vec<i64> = (0..100).map(|_| q.get()).collect::<PyResult<_>>()?;
        p.join(None)?;
        assert_eq!(got, (0..100).collect::<Vec<_>>());
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn get_and_put_with_timeouts_and_nowait() {
    let c = capture(|| {
        let q: Queue<String> = Queue::new(2)?;
        assert!(q.empty());
        assert_eq!(q.get_nowait().unwrap_err().to_string(), "queue.Empty");
        let t = Instant::now();
        assert_eq!(q.get_timeout(0.2).unwrap_err().to_string(), "queue.Empty");
        let waited = t.elapsed().as_secs_f64();
        assert!((0.12..2.0).contains(&waited), "waited {waited}");
        q.put(&"a".into())?;
        q.put(&"b".into())?;
        assert!(q.full());
        assert_eq!(q.qsize(), 2);
        assert_eq!(q.put_nowait(&"c".into()).unwrap_err().to_string(), "queue.Full");
        assert_eq!(q.put_timeout(&"c".into(), 0.1).unwrap_err().to_string(), "queue.Full");
        assert_eq!(q.get()?, "a");
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn python_values_cross_with_their_types() {
    fn send(q: Queue<Value>) -> PyResult<()> {
        q.put(&Value::list([Value::from(42), Value::None, Value::from("hello")]))
    }
    let c = capture(|| {
        let q = Queue::new(0)?;
        let p = Process::new(send, q.clone());
        p.start()?;
        let got = q.get()?;
        p.join(None)?;
        assert_eq!(pp_runtime::py::Repr::repr(&got), "[42, None, 'hello']");
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn joinable_queue_join_waits_for_task_done() {
    fn worker(q: JoinableQueue<i64>) -> PyResult<()> {
        loop {
            let x = q.get()?;
            q.task_done()?;
            if x < 0 {
                return Ok(());
            }
        }
    }
    let c = capture(|| {
        let q = JoinableQueue::new(0)?;
        assert_eq!(q.task_done().unwrap_err().to_string(), "ValueError: task_done() called too many times");
        let ps: Vec<Process> = (0..2).map(|_| Process::new(worker, q.clone())).collect();
        ps.iter().try_for_each(Process::start)?;
        for i in 0..50 {
            q.put(&i)?;
        }
        q.join()?;
        q.put(&-1)?;
        q.put(&-1)?;
        q.join()?;
        ps.iter().try_for_each(|p| p.join(None))
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn simple_queue_between_processes() {
    fn echo((into, back): (SimpleQueue<i64>, SimpleQueue<i64>)) -> PyResult<()> {
        let x = into.get()?;
        back.put(&(x * 2))
    }
    let c = capture(|| {
        let (into, back) = (SimpleQueue::new()?, SimpleQueue::new()?);
        let p = Process::new(echo, (into.clone(), back.clone()));
        p.start()?;
        into.put(&21)?;
        assert_eq!(back.get()?, 42);
        assert!(back.empty());
        p.join(None)
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

/// CPython pickles an item of any size into its queue's pipe; here a large one crosses the
/// ring in pieces (`Lib/test/_test_multiprocessing.py`'s `test_queue_feeder_on_queue_feeder_error`
/// and `test_large_fd_transfer` move megabytes the same way). A put never waits for a reader
/// (the feeder thread writes it), so a process may put a large item and then get it back.
#[test]
fn a_large_item_crosses_a_queue_and_a_put_never_waits_for_a_reader() {
    fn echo((jobs, results): (Queue<Vec<u8>>, Queue<Vec<u8>>)) -> PyResult<()> {
        results.put(&jobs.get()?)
    }
    let c = capture(|| {
        let big: Vec<u8> = (0..(3 << 20)).map(|i: u32| (i % 251) as u8).collect();
        // The same process: CPython's put returns at once, then get reads it back.
        let q: Queue<Vec<u8>> = Queue::new(0)?;
        q.put(&big)?;
        assert_eq!(q.get()?, big);
        // Across processes, both ways.
        let (jobs, results) = (Queue::new(0)?, Queue::new(0)?);
        let p = Process::new(echo, (jobs.clone(), results.clone()));
        p.start()?;
        jobs.put(&big)?;
        assert_eq!(results.get_timeout(60.0)?, big);
        p.join(None)?;
        assert_eq!(p.exitcode(), Some(0));
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

/// Several readers of one queue, its items larger than its ring: while one reader takes an
/// item's pieces the others wait for it to end, and every item reaches one reader, whole.
#[test]
fn readers_of_one_queue_share_items_that_cross_in_pieces() {
    fn reader((jobs, sizes): (Queue<Vec<u8>>, Queue<i64>)) -> PyResult<()> {
        loop {
            let item = jobs.get()?;
            sizes.put(&(item.len() as i64))?;
            if item.is_empty() {
                return Ok(());
            }
        }
    }
    let c = capture(|| {
        let (jobs, sizes) = (Queue::new(0)?, Queue::new(0)?);
        let readers: Vec<Process> = (0..3).map(|_| Process::new(reader, (jobs.clone(), sizes.clone()))).collect();
        readers.iter().try_for_each(Process::start)?;
        let items: Vec<usize> = (0..12).map(|i| if i % 3 == 0 { 10 } else { (300 << 10) + i }).collect();
        for &len in &items {
            jobs.put(&vec![7u8; len])?;
        }
        for _ in &readers {
            jobs.put(&Vec::new())?;
        }
        let mut got: Vec<i64> =
            (0..items.len() + readers.len()).map(|_| sizes.get_timeout(60.0)).collect::<PyResult<_>>()?;
        got.sort();
        let mut expected: Vec<i64> = items.iter().map(|&l| l as i64).chain([0, 0, 0]).collect();
        expected.sort();
        assert_eq!(got, expected);
        readers.iter().try_for_each(|p| p.join(None))?;
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

/// Who woke whom across processes: the parent's get, waiting in the ring, ends woken by the
/// child's put, and its join by the child's end; the records say which process and thread,
/// and when.
#[test]
fn a_get_woken_by_a_childs_put_says_who_put() {
    fn late(q: Queue<i64>) -> PyResult<()> {
        pp_runtime::threading::sleep(0.3);
        q.put(&7)?;
        // Ends after the parent's join began: the join waits for it.
        pp_runtime::threading::sleep(0.3);
        Ok(())
    }
    let mut child_pid = 0;
    let c = capture(|| {
        let q = Queue::new(0)?;
        let p = Process::new(late, q.clone());
        p.start()?;
        child_pid = p.pid().unwrap_or(0);
        assert_eq!(q.get()?, 7);
        p.join(None)
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
    let wakers: Vec<_> = c.records.iter().filter_map(|r| r.woken_by()).filter(|w| w.pid != 0).collect();
    assert_eq!(wakers.len(), 2, "the get, then the join: {wakers:?}");
    assert!(wakers.iter().all(|w| (w.pid, w.thread) == (child_pid, 1)), "the child's main thread put, then ended");
    assert!(wakers[0].at_us < wakers[1].at_us);
}
