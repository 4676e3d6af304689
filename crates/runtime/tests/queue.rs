//! `queue.Queue`, `LifoQueue`, `PriorityQueue`, `SimpleQueue`: the cases of CPython's
//! `Lib/test/test_queue.py` (`BaseQueueTestMixin`, `BaseSimpleQueueTest`), ported.
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::queue::{
    Empty, Full, GetError, LifoQueue, PriorityQueue, PutError, Queue, QueueCore, SimpleQueue, Store,
};
use pp_runtime::threading::{Event, Lock, Thread};
use pp_runtime::PyErr;
use pp_testing::cpython::*;
use std::sync::atomic::{AtomicI64, Ordering::SeqCst};
use std::sync::Arc;

const QUEUE_SIZE: usize = 5;

fn qfull<S: Store<i64>>(q: &QueueCore<i64, S>) -> bool {
    q.maxsize() > 0 && q.qsize() == q.maxsize()
}

/// `do_blocking_test`: `block` must block until a thread runs `trigger` 0.1 s later.
fn do_blocking_test<R>(block: impl FnOnce() -> R, trigger: impl FnOnce() + Send + 'static) -> R {
    let started = Arc::new(Event::new());
    let s = started.clone();
    let thread = Thread::new(move || {
        std::thread::sleep(ms(100));
        s.set();
        trigger();
    });
    thread.start().unwrap();
    let result = block();
    assert!(started.is_set(), "the blocking call appeared not to block");
    thread.join(None).unwrap();
    result
}

fn basic_queue_test<S: Store<i64> + 'static>(q: &Arc<QueueCore<i64, S>>, order: [i64; 3]) {
    assert_eq!(q.qsize(), 0, "call with an empty queue");
    assert!(q.empty());
    assert!(!q.full());
    q.put(111);
    q.put(333);
    q.put(222);
    assert_eq!([q.get(), q.get(), q.get()], order, "did not queue the data in the right order");
    for i in 0..QUEUE_SIZE as i64 - 1 {
        q.put(i);
        assert!(q.qsize() > 0);
    }
    assert!(!qfull(q));
    let last = 2 * QUEUE_SIZE as i64;
    let full = 3 * 2 * QUEUE_SIZE as i64;
    q.put(last);
    assert!(qfull(q));
    assert!(!q.empty());
    assert!(q.full());
    assert_eq!(q.put_nowait(full), Err(Full(full)), "did not appear to block with a full queue");
    assert!(matches!(q.put_timeout(full, 0.01), Err(PutError::Full(_))), "did not time out with a full queue");
    // Blocking puts, released by a get in another thread.
    let q2 = q.clone();
    do_blocking_test(
        || q.put(full),
        move || {
            let _ = q2.get();
        },
    );
    let q2 = q.clone();
    do_blocking_test(
        || q.put_timeout(full, 10.0).unwrap(),
        move || {
            let _ = q2.get();
        },
    );
    // Empty it.
    for _ in 0..QUEUE_SIZE {
        q.get();
    }
    assert_eq!(q.qsize(), 0);
    assert_eq!(q.get_nowait(), Err(Empty), "did not appear to block with an empty queue");
    assert_eq!(q.get_timeout(0.01), Err(GetError::Empty), "did not time out with an empty queue");
    // Blocking gets, released by a put in another thread.
    let q2 = q.clone();
    do_blocking_test(|| q.get(), move || q2.put(-7));
    let q2 = q.clone();
    do_blocking_test(|| q.get_timeout(10.0).unwrap(), move || q2.put(-7));
}

#[test]
fn basic_fifo() {
    let q = Arc::new(Queue::new(QUEUE_SIZE));
    basic_queue_test(&q, [111, 333, 222]);
    basic_queue_test(&q, [111, 333, 222]);
}

#[test]
fn basic_lifo() {
    let q = Arc::new(LifoQueue::new(QUEUE_SIZE));
    basic_queue_test(&q, [222, 333, 111]);
    basic_queue_test(&q, [222, 333, 111]);
}

#[test]
fn basic_priority() {
    let q = Arc::new(PriorityQueue::new(QUEUE_SIZE));
    basic_queue_test(&q, [111, 222, 333]);
    basic_queue_test(&q, [111, 222, 333]);
}

fn queue_join_test<S: Store<i64> + 'static>(q: &Arc<QueueCore<i64, S>>) {
    let cum = Arc::new(AtomicI64::new(0));
    let cumlock = Arc::new(Lock::new());
    let threads: Vec<Thread> = (0..2)
        .map(|_| {
            let (q, cum, cumlock) = (q.clone(), cum.clone(), cumlock.clone());
            Thread::new(move || loop {
                let x = q.get();
                if x < 0 {
                    q.task_done().unwrap();
                    return;
                }
                {
                    let _with = cumlock.enter();
                    cum.store(cum.load(SeqCst) + x, SeqCst);
                }
                q.task_done().unwrap();
            })
        })
        .collect();
    threads.iter().for_each(|t| t.start().unwrap());
    for i in 0..100 {
        q.put(i);
    }
    q.join();
    assert_eq!(cum.load(SeqCst), (0..100).sum::<i64>(), "q.join() did not block until all tasks were done");
    for _ in 0..2 {
        q.put(-1); // tell the threads to end
    }
    q.join(); // joining twice works
    threads.iter().for_each(|t| t.join(None).unwrap());
}

#[test]
fn task_done_too_often_is_a_value_error() {
    let q: Queue<i64> = Queue::new(0);
    assert_eq!(q.task_done().unwrap_err().to_string(), "ValueError: task_done() called too many times");
}

#[test]
fn join() {
    let q = Arc::new(Queue::new(0));
    queue_join_test(&q);
    queue_join_test(&q);
    assert!(q.task_done().is_err());
    let q = Arc::new(LifoQueue::new(0));
    queue_join_test(&q);
    let q = Arc::new(PriorityQueue::new(0));
    queue_join_test(&q);
}

#[test]
fn negative_timeout_is_a_value_error() {
    let q: Queue<i64> = Queue::new(QUEUE_SIZE);
    let e: PyErr = q.put_timeout(1, -1.0).unwrap_err().into();
    assert_eq!(e.to_string(), "ValueError: 'timeout' must be a non-negative number");
    let e: PyErr = q.get_timeout(-1.0).unwrap_err().into();
    assert_eq!(e.to_string(), "ValueError: 'timeout' must be a non-negative number");
}

#[test]
fn nowait() {
    let q = Queue::new(QUEUE_SIZE);
    for _ in 0..QUEUE_SIZE {
        q.put_nowait(1).unwrap();
    }
    let e: PyErr = q.put_nowait(1).unwrap_err().into();
    assert_eq!(e.to_string(), "queue.Full");
    for _ in 0..QUEUE_SIZE {
        q.get_nowait().unwrap();
    }
    let e: PyErr = q.get_nowait().unwrap_err().into();
    assert_eq!(e.to_string(), "queue.Empty");
}

#[test]
fn shrinking_queue() {
    // issue 10110
    let q = Queue::new(3);
    q.put(1);
    q.put(2);
    q.put(3);
    assert!(q.put_nowait(4).is_err());
    assert_eq!(q.qsize(), 3);
    q.set_maxsize(2); // shrink the queue
    assert!(q.put_nowait(4).is_err());
}

#[test]
fn full_gives_the_item_back() {
    let q = Queue::new(1);
    q.put(String::from("first"));
    assert_eq!(q.put_nowait(String::from("second")), Err(Full(String::from("second"))));
}

#[test]
fn put_timeout_waits_about_the_timeout() {
    let q = Queue::new(1);
    q.put(1);
    let (r, dt) = time(|| q.put_timeout(2, 0.3));
    assert!(matches!(r, Err(PutError::Full(2))));
    assert_timeout(dt, 0.3);
    let (r, dt) = time(|| Queue::<i32>::new(0).get_timeout(0.3));
    assert_eq!(r, Err(GetError::Empty));
    assert_timeout(dt, 0.3);
}

#[test]
fn simple_queue_basic() {
    let q = SimpleQueue::new();
    assert!(q.empty());
    assert_eq!(q.qsize(), 0);
    q.put(1);
    assert!(!q.empty());
    assert_eq!(q.qsize(), 1);
    q.put(2);
    q.put_nowait(3);
    q.put(4);
    assert_eq!(q.qsize(), 4);
    assert_eq!(q.get(), 1);
    assert_eq!(q.qsize(), 3);
    assert_eq!(q.get_nowait(), Ok(2));
    assert_eq!(q.get_nowait(), Ok(3));
    assert_eq!(q.get_timeout(0.1), Ok(4));
    assert!(q.empty());
    assert_eq!(q.get_nowait(), Err(Empty));
    assert_eq!(q.get_timeout(1e-3), Err(GetError::Empty));
    assert_eq!(q.get_timeout(-1.0), Err(GetError::NegativeTimeout));
}

/// `test_order` and `test_many_threads`: concurrent puts and gets with a sentinel.
fn simple_run_threads(n_threads: usize, inputs: Vec<i64>) -> Vec<i64> {
    let q = Arc::new(SimpleQueue::new());
    let results = List::new();
    let inputs = Arc::new(inputs);
    let mut threads = Vec::new();
    for k in 0..n_threads {
        let (feed, inputs) = (q.clone(), inputs.clone());
        threads.push(Thread::new(move || {
            for x in inputs.iter().skip(k).step_by(n_threads) {
                feed.put(Some(*x));
            }
            feed.put(None);
        }));
        let (consume, results) = (q.clone(), results.clone());
        threads.push(Thread::new(move || {
            while let Some(x) = consume.get() {
                results.push(x);
            }
        }));
    }
    threads.iter().for_each(|t| t.start().unwrap());
    threads.iter().for_each(|t| t.join(None).unwrap());
    results.get()
}

#[test]
fn simple_queue_order() {
    let inputs: Vec<i64> = (0..100).collect();
    assert_eq!(simple_run_threads(1, inputs.clone()), inputs);
}

#[test]
fn simple_queue_many_threads() {
    let inputs: Vec<i64> = (0..10_000).collect();
    let mut results = simple_run_threads(50, inputs.clone());
    results.sort();
    assert_eq!(results, inputs);
}

#[test]
fn priority_queue_orders_tuples_like_heapq() {
    let q = PriorityQueue::new(0);
    q.put((3, "100"));
    q.put((1, "python"));
    q.put((2, "-"));
    assert_eq!([q.get(), q.get(), q.get()], [(1, "python"), (2, "-"), (3, "100")]);
}

// Not CPython: the batch doors a thread pool uses.
#[test]
fn put_all_wakes_every_getter_and_counts_the_tasks() {
    let q = Arc::new(Queue::new(0));
    let getters: Vec<Thread> = (0..3)
        .map(|_| {
            let q = q.clone();
            Thread::new(move || {
                q.get();
                q.task_done().unwrap();
            })
        })
        .collect();
    getters.iter().for_each(|t| t.start().unwrap());
    std::thread::sleep(ms(50));
    q.put_all(0..3);
    getters.iter().for_each(|t| t.join(Some(5.0)).unwrap());
    assert!(getters.iter().all(|t| !t.is_alive()), "a getter was not woken");
    q.join();
}

#[test]
fn get_many_waits_for_one_and_takes_at_most_max_in_order() {
    let q = Arc::new(Queue::new(0));
    let q2 = q.clone();
    assert_eq!(do_blocking_test(|| q.get_many(10), move || q2.put(7)), vec![7]);
    q.put_all(0..5);
    assert_eq!(q.get_many(3), vec![0, 1, 2]);
    assert_eq!(q.get_many(3), vec![3, 4]);
    assert!(q.empty());
}
