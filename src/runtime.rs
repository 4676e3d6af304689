//! One Python process's interpreter state: its watch table, its threads, its main thread,
//! and how the program ends (CPython's `threading._shutdown`).
//!
//! In the browser a process is a memory, so there is exactly one `Runtime` in it. Natively
//! (tests) several runtimes live in one address space, each reached through the thread-local
//! that the thread machinery sets; a thread outside any (a bare std thread) sees the default
//! runtime, whose ring prints to stdout.
//!
//! Runtimes are leaked: watched objects point at their table, and an object may outlive the
//! run that made it (a native test keeps a lock in a static). In the browser the whole
//! memory goes when the process ends.

use crate::errors::PyResult;
use crate::platform::segment::Segment;
use crate::raw::RawMutex;
use crate::threading::thread::{ThreadInner, ThreadKind};
use crate::watch::{RecordKind, Table};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::*};
use std::sync::{Arc, OnceLock};

pub struct Runtime {
    pub table: &'static Table,
    /// The simulated GIL (off unless the process runs with it: see `gil`).
    pub gil: crate::gil::Gil,
    /// Who this process is: `multiprocessing.current_process()`.
    pub process: ProcessIdentity,
    /// Child processes started here, for `active_children()` and for program end.
    pub(crate) children: RawMutex<Vec<crate::multiprocessing::process::Child>>,
    /// For `Process-N` names, one counter per process as in CPython.
    pub(crate) child_counter: AtomicU32,
    /// Natively the segment is made on first use and handed down to child processes; in
    /// the browser every worker is given the run's segment when it starts.
    #[cfg(not(target_arch = "wasm32"))]
    segment: OnceLock<Segment>,
    /// Natively, every process of the run, so the harness can read all their rings.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) family: Family,
    /// Natively, a child's record, where its parent asks it to stop.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) record: Option<u32>,
    /// Started, not yet finished threads, the main thread and dummy threads: `enumerate()`.
    pub(crate) threads: RawMutex<Vec<Arc<ThreadInner>>>,
    pub(crate) main: OnceLock<Arc<ThreadInner>>,
    /// For `Thread-N` and `Dummy-N` names: one counter per interpreter, as in CPython.
    pub(crate) thread_counter: AtomicU32,
    pub(crate) dummy_counter: AtomicU32,
    /// Set once the main thread and every non-daemon thread have finished.
    finalizing: AtomicBool,
    /// A thread's Rust code panicked (a bug in a port, not a Python exception).
    crashed: RawMutex<Option<String>>,
}

/// Who a process is (what crosses to a child: its own identity, its parent's name).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProcessIdentity {
    pub name: String,
    pub pid: u32,
    /// The parent's (name, pid); `None` for the run's first process.
    pub parent: Option<(String, u32)>,
    /// CPython's `_identity`: (1,) for Process-1, (1, 2) for its second child "Process-1:2".
    pub identity: Vec<u32>,
    /// The Python class of its `current_process()`: `_MainProcess`, `Process`, or
    /// `SpawnProcess` for a pool's workers.
    pub class: String,
    pub daemon: bool,
    /// `authkey`, inherited from the parent (CPython: 32 random bytes).
    pub authkey: Vec<u8>,
}

impl ProcessIdentity {
    pub fn main(pid: u32) -> ProcessIdentity {
        ProcessIdentity {
            name: "MainProcess".into(),
            pid,
            parent: None,
            identity: Vec::new(),
            class: "_MainProcess".into(),
            daemon: false,
            authkey: random_authkey(pid),
        }
    }
}

/// 32 bytes, different in every run (not for security: nothing here authenticates).
fn random_authkey(seed: u32) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(crate::platform::clock::stamp_us() ^ u64::from(seed) << 32);
    (0..32).map(|_| rng.u8(..)).collect()
}

/// Natively: the tables of every process of a run, by pid.
#[cfg(not(target_arch = "wasm32"))]
pub type Family = Arc<RawMutex<Vec<(u32, &'static Table)>>>;

/// How a process is set up.
#[derive(Clone)]
pub struct ProcessConfig {
    pub process: ProcessIdentity,
    /// Bytes of the console and event ring.
    pub ring_capacity: usize,
    /// A host will read the ring: producers wait for room instead of printing to stdout.
    pub consumer: bool,
    /// Run with a simulated GIL, as CPython (see `gil`).
    pub gil: bool,
    /// Natively, a child process shares its parent's segment and family.
    #[cfg(not(target_arch = "wasm32"))]
    pub inherited: Option<(Segment, Family)>,
    /// A child process's record in the segment (see `multiprocessing::process`).
    #[cfg(not(target_arch = "wasm32"))]
    pub record: Option<u32>,
}

impl Default for ProcessConfig {
    fn default() -> Self {
        ProcessConfig {
            process: ProcessIdentity::main(1),
            ring_capacity: 1 << 20,
            consumer: false,
            gil: false,
            #[cfg(not(target_arch = "wasm32"))]
            inherited: None,
            #[cfg(not(target_arch = "wasm32"))]
            record: None,
        }
    }
}

/// How a program ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exit {
    /// 0, or 1 after an uncaught exception in the main thread or a crash.
    pub code: i32,
    /// Daemon threads still running when the program ended, by name: Python stops them.
    pub daemons_stopped: Vec<String>,
}

thread_local! {
    static CURRENT: Cell<Option<&'static Runtime>> = const { Cell::new(None) };
}

static DEFAULT: OnceLock<&'static Runtime> = OnceLock::new();

impl Runtime {
    fn new(config: &ProcessConfig) -> &'static Runtime {
        let table: &'static Table = Box::leak(Table::new_boxed(config.ring_capacity));
        table.ring.set_attached(config.consumer);
        let rt: &'static Runtime = Box::leak(Box::new(Runtime {
            table,
            gil: crate::gil::Gil::new(),
            process: config.process.clone(),
            children: RawMutex::new(Vec::new()),
            child_counter: AtomicU32::new(0),
            #[cfg(not(target_arch = "wasm32"))]
            segment: {
                let segment = OnceLock::new();
                if let Some((s, _)) = &config.inherited {
                    let _ = segment.set(s.clone());
                }
                segment
            },
            #[cfg(not(target_arch = "wasm32"))]
            family: config.inherited.as_ref().map_or_else(|| Arc::new(RawMutex::new(Vec::new())), |(_, f)| f.clone()),
            #[cfg(not(target_arch = "wasm32"))]
            record: config.record,
            threads: RawMutex::new(Vec::new()),
            main: OnceLock::new(),
            thread_counter: AtomicU32::new(0),
            dummy_counter: AtomicU32::new(0),
            finalizing: AtomicBool::new(false),
            crashed: RawMutex::new(None),
        }));
        table.ring.push(RecordKind::ProcessStart, 0, rt.process.pid, rt.process.name.as_bytes());
        #[cfg(not(target_arch = "wasm32"))]
        rt.family.lock().push((rt.process.pid, table));
        rt
    }

    /// The calling thread's runtime.
    pub fn current() -> &'static Runtime {
        if let Some(rt) = CURRENT.with(Cell::get) {
            return rt;
        }
        DEFAULT.get_or_init(|| {
            let rt = Runtime::new(&ProcessConfig::default());
            // Whoever touches threading first is the main thread, as in CPython.
            let main = ThreadInner::new_running(rt, "MainThread".into(), ThreadKind::Main, false);
            let _ = rt.main.set(main.clone());
            rt.threads.lock().push(main.clone());
            crate::threading::thread::adopt_current(main);
            rt
        })
    }

    /// The calling thread's runtime if it has one (never creates the default one).
    pub fn try_current() -> Option<&'static Runtime> {
        CURRENT.with(Cell::get).or_else(|| DEFAULT.get().copied())
    }

    pub(crate) fn enter(rt: &'static Runtime) -> EnteredRuntime {
        EnteredRuntime { previous: CURRENT.with(|c| c.replace(Some(rt))) }
    }

    /// The run's shared segment (what cross-process objects live in).
    pub fn segment(&self) -> Segment {
        #[cfg(not(target_arch = "wasm32"))]
        return self.segment.get_or_init(|| Segment::new(crate::platform::segment::SEGMENT_BYTES)).clone();
        #[cfg(target_arch = "wasm32")]
        Segment
    }

    /// A printed line's stamp. In the browser, on the run's clock, which orders the lines of
    /// all its processes as they happened (`Segment::line_stamp`); natively every thread,
    /// those that stand for processes included, reads one clock already.
    pub fn line_stamp(&self) -> u64 {
        let local = crate::platform::clock::stamp_us();
        #[cfg(target_arch = "wasm32")]
        if crate::platform::segment::attached() {
            return self.segment().line_stamp(local);
        }
        local
    }

    pub fn is_finalizing(&self) -> bool {
        self.finalizing.load(Acquire)
    }

    pub(crate) fn report_crash(&self, what: String) {
        self.crashed.lock().get_or_insert(what);
    }

    /// A message from the runtime itself, shown in the console as such.
    pub fn note(&self, text: &str) {
        self.table.ring.push(RecordKind::Note, crate::watch::my_id(), 0, text.as_bytes());
    }
}

pub(crate) struct EnteredRuntime {
    previous: Option<&'static Runtime>,
}

impl Drop for EnteredRuntime {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.previous));
    }
}

/// Runs a program: `main` as its main thread on the calling thread, then waits for every
/// non-daemon thread, then stops the daemon threads and reports them. The calling thread is
/// the process's first thread: a web worker of its own in the browser.
pub fn run_main(config: &ProcessConfig, main: impl FnOnce() -> PyResult<()>) -> (Exit, &'static Runtime) {
    let rt = Runtime::new(config);
    (run_main_on(rt, config.gil, main), rt)
}

/// A runtime made ahead of the program, so that a host can find its table before it runs
/// (the browser's warm spare processes).
pub fn boot(config: &ProcessConfig) -> &'static Runtime {
    Runtime::new(config)
}

/// [`run_main`] on a runtime from [`boot`], with the GIL on or off. Call once per runtime.
pub fn run_main_on(rt: &'static Runtime, gil: bool, main: impl FnOnce() -> PyResult<()>) -> Exit {
    if gil {
        rt.gil.enable(rt.table);
    }
    let _entered = Runtime::enter(rt);
    let main_thread = ThreadInner::new_running(rt, "MainThread".into(), ThreadKind::Main, false);
    let _ = rt.main.set(main_thread.clone());
    rt.threads.lock().push(main_thread.clone());
    let _current = crate::threading::thread::enter_thread(main_thread.clone());
    rt.gil.take();

    let mut code = 0;
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(main)) {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            crate::output::print_line(
                2,
                format_args!("Traceback (most recent call last):\n  (raised by the Rust port)\n{e}"),
            );
            code = 1;
        }
        // A native stop (a terminated child process) unwinds on to whoever started it.
        Err(payload) if payload.is::<crate::threading::thread::DaemonStopped>() => std::panic::resume_unwind(payload),
        // Natively the main thread's panic is caught like any thread's, so that the program
        // still ends in order and a harness sees it in the ring (in the browser it traps).
        Err(payload) => {
            let message = format!("MainThread panicked: {}", crate::errors::panic_message(&*payload));
            crate::output::print_line(2, format_args!("thread {message}"));
            rt.table.ring.push(RecordKind::Panic, crate::watch::my_id(), 0, message.as_bytes());
            rt.report_crash(format!("thread {message}"));
            code = 1;
        }
    }
    crate::gil::release_for_good();
    main_thread.finish();
    shutdown_join(rt);
    crate::multiprocessing::process::shutdown(rt);

    let daemons_stopped: Vec<String> =
        rt.threads.lock().iter().filter(|t| t.kind == ThreadKind::Worker).map(|t| t.name()).collect();
    rt.finalizing.store(true, Release);
    if !daemons_stopped.is_empty() {
        rt.note(&format!(
            "the main thread and all non-daemon threads have finished: stopping {} daemon thread{} still running ({})",
            daemons_stopped.len(),
            if daemons_stopped.len() == 1 { "" } else { "s" },
            daemons_stopped.join(", ")
        ));
    }
    if let Some(crash) = rt.crashed.lock().take() {
        code = code.max(1);
        rt.note(&format!("the run failed: {crash}"));
    }
    rt.table.ring.push(RecordKind::Exit, 0, code as u32, &[]);
    Exit { code, daemons_stopped }
}

/// CPython's `_shutdown`: join every non-daemon thread, again until none is left (a joined
/// thread may have started more).
fn shutdown_join(rt: &'static Runtime) {
    loop {
        let pending: Vec<Arc<ThreadInner>> =
            rt.threads.lock().iter().filter(|t| t.kind == ThreadKind::Worker && !t.is_daemon()).cloned().collect();
        if pending.is_empty() {
            return;
        }
        for t in pending {
            t.wait_done(None);
        }
    }
}

pub fn try_current() -> Option<&'static Runtime> {
    Runtime::try_current()
}

/// Called at every blocking point and every print: a daemon thread of a finished program
/// stops here, as CPython stops daemon threads when they next need the interpreter. In the
/// browser the host terminates the process's workers anyway; this matters natively.
pub fn check_daemon_stop() {
    let Some(rt) = CURRENT.with(Cell::get) else {
        return;
    };
    #[cfg(not(target_arch = "wasm32"))]
    if crate::multiprocessing::process::stop_requested(rt) {
        stop_this_thread();
    }
    if !rt.is_finalizing() || !crate::threading::thread::current_is_daemon() {
        return;
    }
    stop_this_thread();
}

#[cfg(not(target_arch = "wasm32"))]
fn stop_this_thread() -> ! {
    // Unwinds to the thread wrapper, which ends the thread quietly.
    std::panic::resume_unwind(Box::new(crate::threading::thread::DaemonStopped))
}

#[cfg(target_arch = "wasm32")]
fn stop_this_thread() -> ! {
    crate::gil::release_for_good();
    // panic=abort: no unwinding. Park for good; the host terminates the worker.
    let never = std::sync::atomic::AtomicU32::new(0);
    loop {
        crate::platform::futex::wait(&never, 0, None);
    }
}
