//! Browser tests: `wasm-pack test --headless --chrome` (scripts/test.sh). They run in a
//! dedicated worker, which plays the host: it starts real web workers on real shared memory
//! and never blocks while they run.
#![cfg(target_arch = "wasm32")]

mod common;

use common::run_example;
use pp_platform::request::{Number, ParamValue, RunOptions, RunRequest};
use pp_runtime::queue::LifoQueue;
use pp_runtime::threading::{Lock, Thread};
use pp_runtime::watch::RecordKind;
use pp_web::testing::{ensure_local_workers, on_workers, run_request};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// The processes these tests start run the playground's programs: link their registration,
/// which the worker bootstrap calls in every worker (nothing here calls it, so the linker
/// would leave it out of the test's module).
#[used]
static LINK_PROGRAMS: fn() = parallel_playground::pp_module_init;

#[wasm_bindgen_test]
async fn threads_run_on_distinct_web_workers() {
    ensure_local_workers(4).await.unwrap();
    let ids = on_workers(|| {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let threads: Vec<Thread> = (0..3)
            .map(|_| {
                let seen = seen.clone();
                Thread::new(move || {
                    seen.lock().unwrap().push(pp_runtime::threading::get_native_id());
                    // Hold the worker a moment so no two threads share one.
                    std::thread::sleep(std::time::Duration::from_millis(50));
                })
            })
            .collect();
        threads.iter().for_each(|t| t.start().unwrap());
        threads.iter().for_each(|t| t.join(None).unwrap());
        let mut ids = seen.lock().unwrap().clone();
        ids.sort();
        ids.dedup();
        ids
    })
    .await;
    assert_eq!(ids.len(), 3, "three threads ran on three workers: {ids:?}");
}

#[wasm_bindgen_test]
async fn lock_makes_increments_exact_across_workers() {
    ensure_local_workers(4).await.unwrap();
    let total = on_workers(|| {
        let lock = Arc::new(Lock::new());
        let count = Arc::new(AtomicU64::new(0));
        let threads: Vec<Thread> = (0..8)
            .map(|_| {
                let (lock, count) = (lock.clone(), count.clone());
                Thread::new(move || {
                    for _ in 0..100_000 {
                        let _with = lock.enter();
                        // A load and a store, not an atomic add: only the lock makes it exact.
                        count.store(count.load(Relaxed) + 1, Relaxed);
                    }
                })
            })
            .collect();
        threads.iter().for_each(|t| t.start().unwrap());
        threads.iter().for_each(|t| t.join(None).unwrap());
        count.load(Relaxed)
    })
    .await;
    assert_eq!(total, 800_000);
}

#[wasm_bindgen_test]
async fn blocking_get_is_released_by_another_worker() {
    ensure_local_workers(4).await.unwrap();
    let got = on_workers(|| {
        let q = Arc::new(LifoQueue::new(0));
        let producer = {
            let q = q.clone();
            Thread::new(move || {
                std::thread::sleep(std::time::Duration::from_millis(30));
                q.put(7);
            })
        };
        producer.start().unwrap();
        let item = q.get(); // blocks this worker until the producer's worker puts
        producer.join(None).unwrap();
        item
    })
    .await;
    assert_eq!(got, 7);
}

#[wasm_bindgen_test]
async fn an_example_runs_in_a_process_of_its_own() {
    let run = run_example("lock-counter", "threads=4&increments=2500", 30_000.0).await;
    assert_eq!(run.outcome, Ok(0), "records: {:?}", run.texts());
    assert_eq!(run.texts(), vec!["10001"]);
    let names: Vec<String> =
        run.records.iter().filter(|r| r.kind == RecordKind::ThreadStart).map(|r| r.text()).collect();
    assert_eq!(names, vec!["MainThread", "Thread-1", "Thread-2", "Thread-3", "Thread-4"]);
    assert!(run.workers >= 5, "a process worker plus its thread workers, got {}", run.workers);
}

#[wasm_bindgen_test]
async fn bad_parameters_end_the_run_with_a_message() {
    // What the page would refuse, sent as it is: the process checks again.
    let zero = ParamValue { name: "threads".into(), value: Number::Int(0) };
    let request =
        RunRequest::registered("lock-counter", vec![zero], RunOptions { gil: true, shake: None, step: false });
    let run = run_request(request, 30_000.0).await;
    assert_eq!(run.outcome, Ok(1));
    let text = run.texts().join("\n");
    assert!(text.contains("ValueError: threads must be between 1 and 64"), "{text}");
}
