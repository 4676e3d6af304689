//! `threading.Thread`: a Python thread is a task on one of this memory's workers
//! ([`super::workers`]), with CPython's names, idents, daemon rules and reprs; and Python's
//! functions over the process's threads (`current_thread()`, `enumerate()`, ...). Who the
//! threads are is `super::registry`'s.

use super::registry::{
    current_or_adopt, enter_thread, Target, ThreadInner, ThreadKind, Threads, CURRENT, INITIAL, STARTED,
};
use super::workers::workers;
use crate::errors::{PyErr, PyResult, TargetResult};
use crate::gil::Gil;
use crate::runtime::Runtime;
use crate::watch::Why;
use pp_platform::{stop, worker as platform_worker};
use std::sync::atomic::Ordering::*;
use std::sync::Arc;

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
        // Only the new thread ends this wait. Said outright: its wake may come between this
        // thread's check of the flag and its wait being drawn, and the object's wake count
        // would then say nobody woke it (the timeline lost that arrow now and then).
        let object = t.runtime.table.object(t.watch.id());
        if let (Some(waiting), Some(object)) = (blocked.as_mut(), object.filter(|o| o.woken_by.load(Relaxed) != 0)) {
            waiting.woken_by(crate::watch::record::Waker {
                thread: object.woken_by.load(Relaxed),
                at_us: object.woken_at_us.load(Relaxed),
                pid: 0,
                generation: 0,
            });
        }
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
    // The new thread lets `start()` return: an arrow from it to its starter.
    t.watch.woke();
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
    Thread { inner: current_or_adopt(), number: None }
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
