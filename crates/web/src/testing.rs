//! Helpers for the browser tests (`tests/web.rs`, run by `wasm-pack test` in a dedicated
//! worker). The test's worker plays the host: it never blocks while a run is under way, it
//! only awaits, so it can answer the run's requests for workers.

use super::host::{Host, Module, ProcessEvent, Run};
use super::js;
use pp_platform::messages::{FromWorker, RunRequest};
use pp_platform::WorkerEntry;
use pp_runtime::runtime::ProcessConfig;
use pp_runtime::threading::workers;
use pp_runtime::watch::console::{self, ProcessLog, ProcessRecords};
use pp_runtime::watch::{Record, RecordKind};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Resolves after `ms` milliseconds (on the event loop: the host keeps serving meanwhile).
pub async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let set_timeout = js_sys::Reflect::get(&js_sys::global(), &"setTimeout".into()).unwrap();
        let set_timeout: js_sys::Function = set_timeout.unchecked_into();
        let _ = set_timeout.call2(&JsValue::NULL, &resolve, &ms.into());
    });
    let _ = JsFuture::from(promise).await;
}

thread_local! {
    /// The test memory's workers and their listeners, kept for the whole test binary.
    static LOCAL: RefCell<Vec<LocalWorker>> = const { RefCell::new(Vec::new()) };
    /// What a local worker's `onerror` heard: a trap (a panic: a failed assert in a thread)
    /// fails the test waiting in [`on_workers`] at once, instead of at its deadline.
    static TRAPPED: RefCell<Option<String>> = const { RefCell::new(None) };
}

struct LocalWorker {
    _worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

fn trapped(message: String) {
    TRAPPED.with(|t| {
        t.borrow_mut().get_or_insert(format!("a worker of the test trapped: {message}"));
    });
}

/// Starts one worker on the test's own memory that joins the pool, and answers its requests
/// for more workers (`pp:spawn`) as the page's host does, whenever the test's worker awaits.
fn start_local_worker(host: &Host) -> Result<(), String> {
    let worker = host.start_local_worker(WorkerEntry::ThreadPool)?;
    let host_for_requests = host.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        match FromWorker::from_js(&e.data()) {
            Ok(FromWorker::Spawn { .. }) => {
                if let Err(e) = start_local_worker(&host_for_requests) {
                    web_sys::console::error_1(&e.into());
                }
            }
            // The bootstrap reports a trap (a panic) as `pp:error`: the worker's `onerror`
            // does not hear of it, because it is thrown inside a promise.
            Ok(FromWorker::Error { message }) => trapped(message),
            _ => {}
        }
    });
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| trapped(e.message()));
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    LOCAL.with(|l| l.borrow_mut().push(LocalWorker { _worker: worker, _on_message: on_message, _on_error: on_error }));
    Ok(())
}

/// At least `n` workers on the test's own memory, arrived in the pool. The pool is a static
/// of the memory, so they serve every later test too; more come on request.
pub async fn ensure_local_workers(n: usize) -> Result<(), String> {
    let have = LOCAL.with(|l| l.borrow().len());
    if have < n {
        workers().expect_prestarted(n - have);
        let host = Host::new();
        for _ in have..n {
            start_local_worker(&host)?;
        }
    }
    for _ in 0..500 {
        if workers().counts().2 >= n {
            return Ok(());
        }
        sleep_ms(10).await;
    }
    Err(format!("only {} of {n} workers started within 5 s", workers().counts().2))
}

/// Runs `body` as the main thread of a fresh runtime on one of the test memory's workers,
/// and awaits its result. `body` may block: it is not on the test's own thread; the test's
/// worker, awaiting, starts the workers its threads ask for.
pub async fn on_workers<R: Send + 'static>(body: impl FnOnce() -> R + Send + 'static) -> R {
    let slot: Arc<Mutex<Option<R>>> = Arc::new(Mutex::new(None));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let (slot, done) = (slot.clone(), done.clone());
        workers().submit(Box::new(move || {
            let config = ProcessConfig { consumer: false, ring_capacity: 4096, ..ProcessConfig::default() };
            let mut out = None;
            pp_program::run_main(&config, false, || {
                out = Some(body());
                Ok(())
            });
            *slot.lock().unwrap() = out;
            done.store(true, std::sync::atomic::Ordering::Release);
        }));
    }
    let start = js::now_ms();
    while !done.load(std::sync::atomic::Ordering::Acquire) {
        if let Some(trap) = TRAPPED.with(|t| t.borrow_mut().take()) {
            panic!("{trap}");
        }
        assert!(js::now_ms() - start < 120_000.0, "the body did not finish within 120 s (a deadlock?)");
        sleep_ms(2).await;
    }
    let result = slot.lock().unwrap().take().expect("the body ran");
    result
}

/// What a run gave: its exit code (or error), and every record its processes wrote.
pub struct ProcessRun {
    pub outcome: Result<i32, String>,
    /// The first process's records.
    pub records: Vec<Record>,
    /// Every process's records: (pid, child name or `None` for the first, records).
    pub processes: Vec<(u32, Option<String>, Vec<Record>)>,
    pub workers: usize,
}

impl ProcessRun {
    /// Every printed line of every process, in time order, as (who, text).
    pub fn lines(&self) -> Vec<(String, String)> {
        let logs: Vec<ProcessLog<'_>> = self
            .processes
            .iter()
            .map(|(_, name, records)| ProcessLog { child_name: name.as_deref(), records })
            .collect();
        console::lines(&logs)
    }

    pub fn texts(&self) -> Vec<String> {
        self.lines().into_iter().map(|(_, t)| t).collect()
    }

    /// What every thread that panicked said, in every process of the run.
    pub fn panics(&self) -> Vec<String> {
        self.processes
            .iter()
            .flat_map(|(_, _, records)| records.iter().filter(|r| r.kind == RecordKind::Panic).map(Record::text))
            .collect()
    }

    fn take(&mut self, batch: Vec<ProcessRecords>) {
        for p in batch {
            if p.root {
                self.records.extend(p.records.iter().cloned());
            }
            match self.processes.iter_mut().find(|(pid, _, _)| *pid == p.pid) {
                Some((_, _, records)) => records.extend(p.records),
                None => self.processes.push((p.pid, (!p.root).then_some(p.name), p.records)),
            }
        }
    }
}

/// Whether a run's Rust panics fail it (a test's) or are what it tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panics {
    /// A thread of any process of the run that panics (a failed assert, a bug) ends the run
    /// at once with an `Err` that says what it said: the test fails within a poll, whatever
    /// the rest of the run waits for.
    FailTheRun,
    /// The run is about a crash (a trapping pool task, a panicking child): it goes on.
    Expected,
}

/// The test module's name for a run's host.
pub const TEST_MODULE: &str = "test";

/// The test module's code under a second name, which its runs' children may name: a test
/// binary is one module, so this is how a browser test sees a child started in another
/// module than its parent's (and its own children in its module, not the run's).
pub const OTHER_MODULE: &str = "test-other";

/// Runs a program of this module (`request`) in a fresh process worker, as the page does, and
/// collects its records until it exits, fails, or `timeout_ms` passes (then it is terminated
/// and the outcome says so).
pub async fn run_request(request: RunRequest, timeout_ms: f64) -> ProcessRun {
    run_request_with(request, timeout_ms, Panics::FailTheRun).await
}

/// [`run_request`], saying what a panic in the run means.
pub async fn run_request_with(request: RunRequest, timeout_ms: f64, panics: Panics) -> ProcessRun {
    let mut request = Some(request);
    let events: Rc<RefCell<Vec<ProcessEvent>>> = Rc::default();
    let process: Run = {
        let events = events.clone();
        let host = Host::new();
        host.add_module(&Module::this(OTHER_MODULE));
        match host.start_process("test", &Module::this(TEST_MODULE), move |e| events.borrow_mut().push(e)) {
            Ok(p) => p,
            Err(e) => return ProcessRun { outcome: Err(e), records: Vec::new(), processes: Vec::new(), workers: 0 },
        }
    };
    let start = js::now_ms();
    let mut run = ProcessRun { outcome: Ok(0), records: Vec::new(), processes: Vec::new(), workers: 0 };
    let outcome = 'watch: loop {
        let happened: Vec<ProcessEvent> = events.borrow_mut().drain(..).collect();
        for e in happened {
            match e {
                ProcessEvent::Ready => {
                    if let Some(Err(e)) = request.take().map(|r| process.run(r)) {
                        break 'watch Err(e);
                    }
                }
                ProcessEvent::Exit(code) => {
                    run.take(process.drain_all().unwrap_or_default());
                    break 'watch Ok(code);
                }
                ProcessEvent::Error(message) => {
                    run.take(process.drain_all().unwrap_or_default());
                    break 'watch Err(message);
                }
            }
        }
        match process.drain() {
            Ok(batch) => run.take(batch),
            Err(e) => break Err(e),
        }
        if panics == Panics::FailTheRun {
            if let Some(panic) = run.panics().into_iter().next() {
                break Err(format!("a thread of the run panicked: {panic}"));
            }
        }
        if js::now_ms() - start > timeout_ms {
            break Err(format!("timed out after {timeout_ms} ms"));
        }
        sleep_ms(5).await;
    };
    run.outcome = outcome;
    run.workers = process.worker_count();
    process.terminate();
    run
}
