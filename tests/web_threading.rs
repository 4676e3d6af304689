//! `threading` and `queue` on real web workers (`wasm-pack test`, in a dedicated worker that
//! plays the host): blocking across workers, timeouts, Condition, Barrier, the stress runs,
//! and program end with daemon threads, in a process of its own.
#![cfg(target_arch = "wasm32")]

mod common;

use common::run_example;
use pp_platform::clock::Instant;
use pp_runtime::queue::{LifoQueue, PriorityQueue, Queue, SimpleQueue};
use pp_runtime::threading::{Barrier, Condition, Event, Lock, Semaphore, Thread};
use pp_testing::stress::{locked_increments, move_items, StressQueue};
use pp_web::testing::{ensure_local_workers, on_workers};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// The processes these tests start run the playground's programs: link their registration,
/// which the worker bootstrap calls in every worker (nothing here calls it, so the linker
/// would leave it out of the test's module).
#[used]
static LINK_PROGRAMS: fn() = parallel_playground::pp_module_init;

/// Seconds `f` took, on the workers' clock.
fn timed<R>(f: impl FnOnce() -> R) -> (R, f64) {
    let t = Instant::now();
    let r = f();
    (r, t.elapsed().as_secs_f64())
}

#[wasm_bindgen_test]
async fn timeouts_expire_on_workers() {
    ensure_local_workers(4).await.unwrap();
    let (lock_wait, get_wait, cond_wait) = on_workers(|| {
        let lock = Lock::new();
        lock.acquire_blocking();
        let (got, lock_wait) = timed(|| lock.acquire(true, Some(0.2)).unwrap());
        assert!(!got);
        let q: Queue<i32> = Queue::new(0);
        let (r, get_wait) = timed(|| q.get_timeout(0.2));
        assert!(r.is_err());
        let cond = Condition::new();
        let _with = cond.enter();
        let (notified, cond_wait) = timed(|| cond.wait(Some(0.2)).unwrap());
        assert!(!notified);
        (lock_wait, get_wait, cond_wait)
    })
    .await;
    for (what, waited) in [("lock", lock_wait), ("get", get_wait), ("condition", cond_wait)] {
        assert!((0.12..2.0).contains(&waited), "{what} waited {waited} s for a 0.2 s timeout");
    }
}

#[wasm_bindgen_test]
async fn more_timeouts_expire_on_workers() {
    ensure_local_workers(4).await.unwrap();
    let waits = on_workers(|| {
        let full: Queue<i32> = Queue::new(1);
        full.put(0);
        let (r, put) = timed(|| full.put_timeout(1, 0.2));
        assert!(r.is_err());
        let sleeper = Thread::new(|| pp_runtime::threading::sleep(5.0)).with_daemon(true);
        sleeper.start().unwrap();
        let (_, join) = timed(|| sleeper.join(Some(0.2)).unwrap());
        assert!(sleeper.is_alive());
        let (set, event) = timed(|| Event::new().wait(Some(0.2)));
        assert!(!set);
        let empty = Semaphore::new(0).unwrap();
        let (got, semaphore) = timed(|| empty.acquire(true, Some(0.2)).unwrap());
        assert!(!got);
        let cond = Condition::new();
        let _with = cond.enter();
        let (met, wait_for) = timed(|| cond.wait_for(|| false, Some(0.2)).unwrap());
        assert!(!met);
        [("put", put), ("join", join), ("event", event), ("semaphore", semaphore), ("wait_for", wait_for)]
    })
    .await;
    for (what, waited) in waits {
        assert!((0.12..2.0).contains(&waited), "{what} waited {waited} s for a 0.2 s timeout");
    }
}

#[wasm_bindgen_test]
async fn a_put_on_a_full_queue_is_released_by_a_get_on_another_worker() {
    ensure_local_workers(4).await.unwrap();
    let (order, waited) = on_workers(|| {
        let q = Arc::new(Queue::new(1));
        q.put("first");
        let putter = {
            let q = q.clone();
            Thread::new(move || q.put("second"))
        };
        let (_, waited) = timed(|| {
            putter.start().unwrap();
            pp_runtime::threading::sleep(0.2);
            assert!(putter.is_alive(), "the put waits for room");
            let first = q.get();
            putter.join(Some(5.0)).unwrap();
            assert!(!putter.is_alive(), "the get made room");
            first
        });
        ((q.get_nowait().ok(), putter.is_alive()), waited)
    })
    .await;
    assert_eq!(order, (Some("second"), false));
    assert!(waited < 5.0);
}

#[wasm_bindgen_test]
async fn condition_notify_n_wakes_n_workers() {
    ensure_local_workers(6).await.unwrap();
    let woken = on_workers(|| {
        let cond = Arc::new(Condition::new());
        let waiting = Arc::new(AtomicUsize::new(0));
        let woken = Arc::new(AtomicUsize::new(0));
        let threads: Vec<Thread> = (0..5)
            .map(|_| {
                let (cond, waiting, woken) = (cond.clone(), waiting.clone(), woken.clone());
                Thread::new(move || {
                    let _with = cond.enter();
                    waiting.fetch_add(1, SeqCst);
                    cond.wait(None).unwrap();
                    woken.fetch_add(1, SeqCst);
                })
            })
            .collect();
        threads.iter().for_each(|t| t.start().unwrap());
        while waiting.load(SeqCst) < 5 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        {
            let _with = cond.enter();
            cond.notify(2).unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        let after_two = woken.load(SeqCst);
        {
            let _with = cond.enter();
            cond.notify_all().unwrap();
        }
        threads.iter().for_each(|t| t.join(None).unwrap());
        (after_two, woken.load(SeqCst))
    })
    .await;
    assert_eq!(woken, (2, 5));
}

#[wasm_bindgen_test]
async fn barrier_lets_five_workers_through_together() {
    ensure_local_workers(6).await.unwrap();
    let (mut indexes, broken) = on_workers(|| {
        let barrier = Arc::new(Barrier::new(5).unwrap());
        let indexes = Arc::new(std::sync::Mutex::new(Vec::new()));
        let threads: Vec<Thread> = (0..5)
            .map(|_| {
                let (barrier, indexes) = (barrier.clone(), indexes.clone());
                Thread::new(move || {
                    let i = barrier.wait(None).unwrap();
                    indexes.lock().unwrap().push(i);
                })
            })
            .collect();
        threads.iter().for_each(|t| t.start().unwrap());
        threads.iter().for_each(|t| t.join(None).unwrap());
        // A barrier of 2 with one party: the wait times out and breaks it.
        let lonely = Barrier::new(2).unwrap();
        let broken = lonely.wait(Some(0.1)).is_err() && lonely.broken();
        let indexes = indexes.lock().unwrap().clone();
        (indexes, broken)
    })
    .await;
    indexes.sort();
    assert_eq!(indexes, vec![0, 1, 2, 3, 4]);
    assert!(broken);
}

const ITEMS: u64 = 100_000;

async fn stress(make: fn() -> Arc<dyn StressQueue>) {
    ensure_local_workers(20).await.unwrap();
    let got = on_workers(move || move_items(make(), 8, 8, ITEMS)).await;
    assert_eq!(got.len() as u64, ITEMS, "items lost or duplicated");
    assert!(got.iter().copied().eq(0..ITEMS), "items lost or duplicated");
}

#[wasm_bindgen_test]
async fn stress_fifo_queue() {
    stress(|| Arc::new(Queue::new(64))).await;
}

#[wasm_bindgen_test]
async fn stress_lifo_queue() {
    stress(|| Arc::new(LifoQueue::new(64))).await;
}

#[wasm_bindgen_test]
async fn stress_priority_queue() {
    stress(|| Arc::new(PriorityQueue::new(64))).await;
}

#[wasm_bindgen_test]
async fn stress_simple_queue() {
    stress(|| Arc::new(SimpleQueue::new())).await;
}

#[wasm_bindgen_test]
async fn stress_lock_increments() {
    ensure_local_workers(10).await.unwrap();
    assert_eq!(on_workers(|| locked_increments(8, 100_000)).await, 800_000);
}

#[wasm_bindgen_test]
async fn daemon_threads_are_stopped_when_the_program_ends() {
    let run = run_example("daemon-true", "sleep=0.3", 30_000.0).await;
    assert_eq!(run.outcome, Ok(0));
    assert_eq!(run.texts(), vec!["i=0,foo1 thread daemon is True", "Main thread daemon is False", "Main thread Exit"]);
    let notes: Vec<String> = run.records.iter().filter_map(|r| r.note()).map(|n| n.to_string()).collect();
    assert!(notes.iter().any(|n| n.contains("stopping 1 daemon thread still running (Thread-1)")), "{notes:?}");
}

#[wasm_bindgen_test]
async fn with_the_gil_a_started_thread_prints_first() {
    let run = run_example("thread-args", "", 30_000.0).await;
    assert_eq!(run.outcome, Ok(0));
    let texts = run.texts();
    assert_eq!(texts[0], "cgatcgat");
    assert!(texts[2].starts_with("<_MainThread(MainThread"), "{texts:?}");
}

#[wasm_bindgen_test]
async fn a_thread_can_start_more_threads_than_there_are_idle_workers() {
    // Every start() waits for its thread to run: the workers this needs are created by the
    // test's worker on request while it awaits, never by the blocked thread itself.
    ensure_local_workers(2).await.unwrap();
    let n = on_workers(|| {
        let release = Arc::new(pp_runtime::threading::Event::new());
        let threads: Vec<Thread> = (0..30)
            .map(|_| {
                let r = release.clone();
                Thread::new(move || {
                    r.wait(None);
                })
            })
            .collect();
        threads.iter().for_each(|t| t.start().unwrap());
        let alive = threads.iter().filter(|t| t.is_alive()).count();
        release.set();
        threads.iter().for_each(|t| t.join(None).unwrap());
        alive
    })
    .await;
    assert_eq!(n, 30);
}

/// Proves the harness: a failed assert in a thread on a real worker traps that worker, and the
/// test waiting for the body fails at once (not at its deadline, and not by passing).
#[wasm_bindgen_test]
#[should_panic(expected = "a worker of the test trapped")]
async fn a_failed_assert_in_a_worker_thread_fails_its_test() {
    ensure_local_workers(2).await.unwrap();
    on_workers(|| {
        let t = Thread::new(|| assert_eq!(1 + 1, 3, "deliberately failing assert in a worker thread"));
        t.start().unwrap();
        t.join(None).unwrap();
    })
    .await;
}
