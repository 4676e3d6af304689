//! Who the threads of a process are: each thread's record ([`ThreadInner`]: its name, ident,
//! state, and the one-shot flags `start()` and `join()` wait on), the process's list of them
//! ([`Threads`], a runtime extension: `enumerate()`), and which one the calling OS thread is.
//! The `Thread` handle and Python's functions over these are in `super::thread`.

use crate::errors::PyResult;
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

pub(super) const INITIAL: u32 = 0;
pub(super) const STARTED: u32 = 1;
pub(super) const STOPPED: u32 = 2;

pub(super) type Target = Box<dyn FnOnce() -> PyResult<()> + Send>;

pub(crate) struct ThreadInner {
    pub(crate) runtime: &'static Runtime,
    pub(crate) kind: ThreadKind,
    /// Never reused, unlike idents: the key of `threading.local` data.
    pub(crate) serial: u64,
    /// The Python class shown in the repr (`Thread`, `Timer`, ...).
    pub(super) class: RawMutex<&'static str>,
    /// Run when the thread ends (`local` data of this thread is dropped).
    pub(crate) at_exit: RawMutex<Vec<Box<dyn FnOnce() + Send>>>,
    pub(super) name: RawMutex<String>,
    pub(super) daemon: AtomicBool,
    pub(super) state: AtomicU32,
    pub(super) ident: AtomicU64,
    pub(super) native_id: AtomicU64,
    /// The thread's slot in the watch table, once started.
    pub(super) watch_id: AtomicU32,
    pub(super) target: RawMutex<Option<Target>>,
    /// Set once the thread runs on a worker: `start()` waits for it, as CPython's does.
    pub(super) started: OneShot,
    /// Set once the thread finished: joiners wait for it.
    pub(super) done: OneShot,
    /// The thread as an object others wait on (`join`): "held" by the thread while it runs.
    pub(super) watch: Watched,
    /// What the thread's Rust code panicked with: `join` panics with it in the joiner, as
    /// std's scoped threads do, so a failed assert in a thread fails the test that joins it.
    pub(super) panicked: RawMutex<Option<String>>,
}

/// `threading`'s per-process data (a [`Runtime`] extension).
#[derive(Default)]
pub(crate) struct Threads {
    /// Started, not yet finished threads, the main thread and dummy threads: `enumerate()`.
    pub(super) live: RawMutex<Vec<Arc<ThreadInner>>>,
    pub(super) main: OnceLock<Arc<ThreadInner>>,
    /// For `Thread-N` and `Dummy-N` names: one counter per interpreter, as in CPython.
    pub(super) counter: AtomicU32,
    pub(super) dummies: AtomicU32,
}

impl Threads {
    pub(crate) fn of(rt: &Runtime) -> &'static Threads {
        rt.extension::<Threads>()
    }
}

thread_local! {
    pub(super) static CURRENT: RefCell<Option<Arc<ThreadInner>>> = const { RefCell::new(None) };
    pub(super) static IDENT: Cell<u64> = const { Cell::new(0) };
}

impl ThreadInner {
    pub(super) fn new(
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
        let me = self.watch_id.load(Relaxed);
        self.runtime.table.thread_finished(me);
        self.watch.released();
        self.watch.woke_by(me);
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

pub(super) fn os_thread_ident() -> u64 {
    IDENT.with(|i| i as *const Cell<u64> as u64)
}

/// The calling thread's record: its own, or (a thread this runtime did not start) a record
/// made for it now (see `super::thread::current_thread`).
pub(super) fn current_or_adopt() -> Arc<ThreadInner> {
    if let Some(t) = CURRENT.with(|c| c.borrow().clone()) {
        return t;
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
    inner
}
