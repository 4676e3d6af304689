//! `threading.Thread`: a Python thread is a task on one of this memory's workers
//! ([`super::workers`]), with CPython's names, idents, daemon rules and reprs.

use super::workers::workers;
use crate::errors::{PyErr, PyResult, TargetResult};
use crate::gil::Gil;
use crate::runtime::Runtime;
use crate::sync::{OneShot, RawMutex};
use crate::watch::{self, ObjectKind, Watched, Why};
use pp_platform::{clock::Instant, stop, worker as platform_worker};
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering::*};
use std::sync::{Arc, OnceLock};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ThreadKind {
    Main,
    Worker,
    /// A thread the runtime did not start (CPython's `_DummyThread`).
    Dummy,
}

const INITIAL: u32 = 0;
const STARTED: u32 = 1;
const STOPPED: u32 = 2;

type Target = Box<dyn FnOnce() -> PyResult<()> + Send>;

pub(crate) struct ThreadInner {
    pub(crate) runtime: &'static Runtime,
    pub(crate) kind: ThreadKind,
    /// Never reused, unlike idents: the key of `threading.local` data.
    pub(crate) serial: u64,
    /// The Python class shown in the repr (`Thread`, `Timer`, ...).
    class: RawMutex<&'static str>,
    /// Run when the thread ends (`local` data of this thread is dropped).
    pub(crate) at_exit: RawMutex<Vec<Box<dyn FnOnce() + Send>>>,
    name: RawMutex<String>,
    daemon: AtomicBool,
    state: AtomicU32,
    ident: AtomicU64,
    native_id: AtomicU64,
    /// The thread's slot in the watch table, once started.
    watch_id: AtomicU32,
    target: RawMutex<Option<Target>>,
    /// Set once the thread runs on a worker: `start()` waits for it, as CPython's does.
    started: OneShot,
    /// Set once the thread finished: joiners wait for it.
    done: OneShot,
    /// The thread as an object others wait on (`join`): "held" by the thread while it runs.
    watch: Watched,
    /// What the thread's Rust code panicked with: `join` panics with it in the joiner, as
    /// std's scoped threads do, so a failed assert in a thread fails the test that joins it.
    panicked: RawMutex<Option<String>>,
}

/// `threading`'s per-process data (a [`Runtime`] extension).
#[derive(Default)]
pub(crate) struct Threads {
    /// Started, not yet finished threads, the main thread and dummy threads: `enumerate()`.
    live: RawMutex<Vec<Arc<ThreadInner>>>,
    main: OnceLock<Arc<ThreadInner>>,
    /// For `Thread-N` and `Dummy-N` names: one counter per interpreter, as in CPython.
    counter: AtomicU32,
    dummies: AtomicU32,
}

impl Threads {
    pub(crate) fn of(rt: &Runtime) -> &'static Threads {
        rt.extension::<Threads>()
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<ThreadInner>>> = const { RefCell::new(None) };
    static IDENT: Cell<u64> = const { Cell::new(0) };
}

impl ThreadInner {
    fn new(
        runtime: &'static Runtime,
        name: String,
        kind: ThreadKind,
        daemon: bool,
        target: Option<Target>,
    ) -> Arc<Self> {
        static SERIAL: AtomicU64 = AtomicU64::new(1);
        let class = match kind {
            ThreadKind::Main => "_MainThread",
            ThreadKind::Worker => "Thread",
            ThreadKind::Dummy => "_DummyThread",
        };
        Arc::new(ThreadInner {
            runtime,
            kind,
            serial: SERIAL.fetch_add(1, Relaxed),
            class: RawMutex::new(class),
            at_exit: RawMutex::new(Vec::new()),
            name: RawMutex::new(name),
            daemon: AtomicBool::new(daemon),
            state: AtomicU32::new(INITIAL),
            ident: AtomicU64::new(0),
            native_id: AtomicU64::new(0),
            watch_id: AtomicU32::new(0),
            target: RawMutex::new(target),
            started: OneShot::new(),
            done: OneShot::new(),
            watch: Watched::new(ObjectKind::Thread, None),
            panicked: RawMutex::new(None),
        })
    }

    /// A thread that is already running on the calling OS thread (main or dummy). Its ident
    /// is the one `get_ident()` gives this OS thread anyway.
    pub(crate) fn new_running(runtime: &'static Runtime, name: String, kind: ThreadKind, daemon: bool) -> Arc<Self> {
        let t = Self::new(runtime, name, kind, daemon, None);
        t.state.store(STARTED, Relaxed);
        t.ident.store(os_thread_ident(), Relaxed);
        t.native_id.store(platform_worker::native_id(), Relaxed);
        let id = runtime.table.thread_started(&t.name());
        t.watch_id.store(id, Relaxed);
        runtime.table.set_holder(t.watch.id(), id);
        t
    }

    pub(crate) fn name(&self) -> String {
        self.name.lock().clone()
    }

    pub(crate) fn is_daemon(&self) -> bool {
        self.daemon.load(Relaxed)
    }

    /// Marks the thread finished: joiners wake, it leaves `enumerate()`.
    pub(crate) fn finish(self: &Arc<Self>) {
        let at_exit = std::mem::take(&mut *self.at_exit.lock());
        at_exit.into_iter().for_each(|f| f());
        self.runtime.table.thread_finished(self.watch_id.load(Relaxed));
        self.watch.released();
        Threads::of(self.runtime).live.lock().retain(|t| !Arc::ptr_eq(t, self));
        self.state.store(STOPPED, Release);
        self.done.set(u32::MAX);
    }

    /// Waits until finished or `deadline`; `true` if finished.
    pub(crate) fn wait_done(&self, deadline: Option<Instant>) -> bool {
        if self.done.is_set() {
            return true;
        }
        let _gil = crate::gil::unlocked();
        stop::check();
        let mut blocked = None;
        self.done.wait(deadline, || blocked = Some(self.watch.block(Why::Join, deadline.is_some())))
    }
}

/// Makes the calling OS thread the main thread of `rt`'s program (`program::run_main_on`).
pub fn enter_main_thread(rt: &'static Runtime) -> MainThread {
    let inner = ThreadInner::new_running(rt, "MainThread".into(), ThreadKind::Main, false);
    let threads = Threads::of(rt);
    let _ = threads.main.set(inner.clone());
    threads.live.lock().push(inner.clone());
    MainThread { _entered: enter_thread(inner.clone()), inner }
}

/// A program's main thread, current on its OS thread until dropped.
pub struct MainThread {
    inner: Arc<ThreadInner>,
    /// Held for its `Drop`: the OS thread stops being this Python thread.
    _entered: EnteredThread,
}

impl MainThread {
    /// The main thread's code is done: it leaves `enumerate()` (CPython's `_shutdown` marks
    /// it stopped before it joins the others).
    pub fn finish(&self) {
        self.inner.finish();
    }
}

/// CPython's `threading._shutdown`: joins every non-daemon thread, again until none is left
/// (a joined thread may have started more).
pub fn join_non_daemon_threads(rt: &'static Runtime) {
    loop {
        let pending: Vec<Arc<ThreadInner>> = Threads::of(rt)
            .live
            .lock()
            .iter()
            .filter(|t| t.kind == ThreadKind::Worker && !t.is_daemon())
            .cloned()
            .collect();
        if pending.is_empty() {
            return;
        }
        for t in pending {
            t.wait_done(None);
        }
    }
}

/// The daemon threads still running, by name (the program ended: they are about to stop).
pub fn running_daemon_names(rt: &'static Runtime) -> Vec<String> {
    Threads::of(rt).live.lock().iter().filter(|t| t.kind == ThreadKind::Worker).map(|t| t.name()).collect()
}

/// Makes `t` the calling OS thread's current Python thread until the guard drops.
pub(crate) fn enter_thread(t: Arc<ThreadInner>) -> EnteredThread {
    // SAFETY: runtimes are leaked, so the table outlives the guard.
    let watch = unsafe { watch::enter(t.runtime.table, t.watch_id.load(Relaxed)) };
    let runtime = Runtime::enter(t.runtime);
    let stop = stop::enter(&t.runtime.stop, t.is_daemon());
    IDENT.with(|i| i.set(t.ident.load(Relaxed)));
    let previous = CURRENT.with(|c| c.replace(Some(t)));
    EnteredThread { previous, _watch: watch, _runtime: runtime, _stop: stop }
}

/// A thread that was not started here (a bare OS thread) stays current on its OS thread for
/// good once it touched `threading`.
pub(crate) fn adopt_current(t: Arc<ThreadInner>) {
    std::mem::forget(enter_thread(t));
}

pub(crate) struct EnteredThread {
    previous: Option<Arc<ThreadInner>>,
    _watch: watch::Entered,
    _runtime: crate::runtime::EnteredRuntime,
    _stop: stop::Entered,
}

impl Drop for EnteredThread {
    fn drop(&mut self) {
        let previous = self.previous.take();
        IDENT.with(|i| i.set(previous.as_ref().map_or(0, |t| t.ident.load(Relaxed))));
        CURRENT.with(|c| *c.borrow_mut() = previous);
    }
}

/// The current Python thread's name, without creating a dummy thread (for the browser's
/// panic reports).
pub fn current_name() -> String {
    CURRENT.with(|c| c.borrow().as_ref().map_or_else(|| "(outside Python threads)".to_string(), |t| t.name()))
}

/// The calling thread's record, if it runs as a Python thread.
pub(crate) fn current_inner() -> Option<Arc<ThreadInner>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// `threading.get_ident()`: unique among live threads (the address of the thread's record,
/// as CPython's is the address of its pthread). A thread this crate did not start gets the
/// address of one of its thread-locals.
pub fn get_ident() -> u64 {
    match IDENT.with(Cell::get) {
        0 => os_thread_ident(),
        ident => ident,
    }
}

fn os_thread_ident() -> u64 {
    IDENT.with(|i| i as *const Cell<u64> as u64)
}

/// A handle to a Python thread; clones refer to the same thread.
#[derive(Clone)]
pub struct Thread {
    inner: Arc<ThreadInner>,
    /// The `Thread-N` number `new` took, until `with_name` hands it back.
    number: Option<u32>,
}

impl Thread {
    /// `Thread(target=f)`. Python's `args` and `kwargs` are the closure's captures. The
    /// target may return `()` or a `PyResult<()>`; an `Err` is printed the way Python prints
    /// an uncaught exception in a thread, and the thread ends.
    pub fn new<F, R>(target: F) -> Thread
    where
        F: FnOnce() -> R + Send + 'static,
        R: TargetResult,
    {
        let rt = Runtime::current();
        let n = Threads::of(rt).counter.fetch_add(1, Relaxed) + 1;
        // daemon=None: inherit from the creating thread (CPython resolves it here, in __init__).
        let daemon = current_thread().is_daemon();
        let target: Target = Box::new(move || target().into_result());
        let inner = ThreadInner::new(rt, format!("Thread-{n}"), ThreadKind::Worker, daemon, Some(target));
        Thread { inner, number: Some(n) }
    }

    /// `name=...`. CPython numbers only the threads it names itself (`Thread(name="x")`
    /// between two unnamed threads leaves no gap), so the number `new` took is handed back
    /// if no thread has taken one since (the builder chain is one statement: it has not).
    pub fn with_name(mut self, name: impl Into<String>) -> Thread {
        if let Some(n) = self.number.take() {
            let _ = Threads::of(self.inner.runtime).counter.compare_exchange(n, n - 1, Relaxed, Relaxed);
        }
        *self.inner.name.lock() = name.into();
        self
    }

    /// `daemon=...` (leave it out for Python's `daemon=None`: inherit).
    pub fn with_daemon(self, daemon: bool) -> Thread {
        self.inner.daemon.store(daemon, Relaxed);
        self
    }

    pub fn start(&self) -> PyResult<()> {
        let t = &self.inner;
        if t.kind != ThreadKind::Worker || t.state.compare_exchange(INITIAL, STARTED, AcqRel, Relaxed).is_err() {
            return Err(PyErr::runtime_error("threads can only be started once"));
        }
        if t.runtime.is_finalizing() {
            return Err(PyErr::runtime_error("can't create new thread at interpreter shutdown"));
        }
        t.ident.store(Arc::as_ptr(t) as u64, Relaxed);
        let id = t.runtime.table.thread_started(&t.name());
        t.watch_id.store(id, Relaxed);
        t.runtime.table.set_holder(t.watch.id(), id);
        Threads::of(t.runtime).live.lock().push(t.clone());
        let t = t.clone();
        workers().submit(Box::new(move || run(t)));
        // As CPython's start(): return once the thread runs (so its output usually comes
        // first under the GIL, and `ident`/`native_id` are known).
        let t = &self.inner;
        let _gil = crate::gil::unlocked();
        let mut blocked = None;
        t.started.wait(None, || blocked = Some(t.watch.block(Why::Start, false)));
        Ok(())
    }

    /// `join(timeout=None)`: returns when the thread ends or the timeout passes (then
    /// `is_alive()` tells which). Negative timeouts do not wait, as in CPython.
    pub fn join(&self, timeout: Option<f64>) -> PyResult<()> {
        let t = &self.inner;
        if t.state.load(Acquire) == INITIAL {
            return Err(PyErr::runtime_error("cannot join thread before it is started"));
        }
        if CURRENT.with(|c| c.borrow().as_ref().is_some_and(|me| Arc::ptr_eq(me, t))) {
            return Err(PyErr::runtime_error("cannot join current thread"));
        }
        if t.wait_done(crate::timeout::at_most(timeout)) {
            if let Some(message) = t.panicked.lock().clone() {
                panic!("joined thread {message}");
            }
        }
        Ok(())
    }

    pub fn is_alive(&self) -> bool {
        self.inner.state.load(Acquire) == STARTED
    }

    pub fn name(&self) -> String {
        self.inner.name()
    }

    pub fn set_name(&self, name: impl Into<String>) {
        let name = name.into();
        self.inner.runtime.table.thread_renamed(self.inner.watch_id.load(Relaxed), &name);
        *self.inner.name.lock() = name;
    }

    /// `isDaemon()` / `daemon`.
    pub fn is_daemon(&self) -> bool {
        self.inner.is_daemon()
    }

    pub fn set_daemon(&self, daemon: bool) -> PyResult<()> {
        if self.inner.state.load(Acquire) != INITIAL {
            return Err(PyErr::runtime_error("cannot set daemon status of active thread"));
        }
        self.inner.daemon.store(daemon, Relaxed);
        Ok(())
    }

    /// `ident`: `None` until started.
    pub fn ident(&self) -> Option<u64> {
        Some(self.inner.ident.load(Relaxed)).filter(|&i| i != 0)
    }

    /// `native_id`: `None` until the thread runs on a worker.
    pub fn native_id(&self) -> Option<u64> {
        Some(self.inner.native_id.load(Relaxed)).filter(|&i| i != 0)
    }

    /// A number no other thread of the program ever has (idents are reused, this is not): the
    /// key of thread-local data.
    pub fn serial(&self) -> u64 {
        self.inner.serial
    }

    /// The watch table's id of this thread (0 when not started or not watched).
    pub fn watch_id(&self) -> u32 {
        self.inner.watch_id.load(Relaxed)
    }

    /// Shows as another Python class in the repr (`Timer`).
    pub(crate) fn with_class(self, class: &'static str) -> Thread {
        *self.inner.class.lock() = class;
        self
    }

    pub(crate) fn from_inner(inner: Arc<ThreadInner>) -> Thread {
        Thread { inner, number: None }
    }

    pub fn same_as(&self, other: &Thread) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl std::fmt::Display for Thread {
    /// CPython's repr: `<Thread(worker, started 140353684367104)>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut status = match self.inner.state.load(Acquire) {
            INITIAL => "initial",
            STARTED => "started",
            _ => "stopped",
        }
        .to_string();
        if self.is_daemon() {
            status.push_str(" daemon");
        }
        if let Some(ident) = self.ident() {
            status.push_str(&format!(" {ident}"));
        }
        let class = *self.inner.class.lock();
        write!(f, "<{class}({}, {status})>", self.name())
    }
}

impl std::fmt::Debug for Thread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// A worker runs one Python thread.
fn run(t: Arc<ThreadInner>) {
    t.native_id.store(platform_worker::native_id(), Relaxed);
    let target = t.target.lock().take();
    let entered = enter_thread(t.clone());
    Gil::of(t.runtime).take();
    t.started.set(1);
    let outcome = run_target(target);
    match outcome {
        Ok(Ok(())) => {}
        // `threading.excepthook` ignores SystemExit: the thread just ends.
        Ok(Err(e)) if matches!(e.kind, crate::PyErrKind::SystemExit(_)) => {}
        Ok(Err(e)) => crate::output::print_line(2, format_args!("Exception in thread {}:\n{e}", t.name())),
        Err(crash) => {
            let message = format!("{} panicked: {crash}", t.name());
            crate::output::print_line(2, format_args!("thread {message}"));
            t.runtime.table.ring.push(crate::watch::RecordKind::Panic, crate::watch::my_id(), 0, message.as_bytes());
            t.runtime.report_crash(format!("thread {message}"));
            *t.panicked.lock() = Some(message);
        }
    }
    drop(entered);
    t.finish();
    crate::gil::release_for_good();
}

/// A panic is caught so that its joiners see it instead of hanging (natively; in the browser,
/// panic=abort, it traps the worker and the host fails the run). A stopped daemon's unwinding
/// ends the thread quietly.
fn run_target(target: Option<Target>) -> Result<PyResult<()>, String> {
    let Some(target) = target else {
        return Ok(Ok(()));
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(target)) {
        Ok(r) => Ok(r),
        Err(payload) if payload.is::<stop::Stopped>() => Ok(Ok(())),
        Err(payload) => Err(crate::errors::panic_message(&*payload)),
    }
}

/// `threading.current_thread()`. A thread this runtime did not start becomes the main thread
/// if the process has none yet (natively, whoever touches `threading` first in a thread
/// outside any run, as in CPython), else a dummy thread.
pub fn current_thread() -> Thread {
    if let Some(t) = CURRENT.with(|c| c.borrow().clone()) {
        return Thread { inner: t, number: None };
    }
    let rt = Runtime::current();
    let threads = Threads::of(rt);
    let dummy = || {
        let n = threads.dummies.fetch_add(1, Relaxed) + 1;
        ThreadInner::new_running(rt, format!("Dummy-{n}"), ThreadKind::Dummy, true)
    };
    let inner = if threads.main.get().is_none() {
        let main = ThreadInner::new_running(rt, "MainThread".into(), ThreadKind::Main, false);
        if threads.main.set(main.clone()).is_ok() {
            main
        } else {
            rt.table.thread_finished(main.watch_id.load(Relaxed)); // another thread was first
            dummy()
        }
    } else {
        dummy()
    };
    threads.live.lock().push(inner.clone());
    adopt_current(inner.clone());
    Thread { inner, number: None }
}

/// `threading.main_thread()`.
pub fn main_thread() -> Thread {
    let inner = Threads::of(Runtime::current()).main.get().cloned();
    Thread { inner: inner.unwrap_or_else(|| current_thread().inner), number: None }
}

/// `threading.enumerate()`: the main thread, started threads not yet finished, dummies.
pub fn enumerate() -> Vec<Thread> {
    Threads::of(Runtime::current()).live.lock().iter().cloned().map(Thread::from_inner).collect()
}

/// `threading.active_count()`.
pub fn active_count() -> usize {
    Threads::of(Runtime::current()).live.lock().len()
}

/// `threading.get_native_id()`.
pub fn get_native_id() -> u64 {
    platform_worker::native_id()
}
