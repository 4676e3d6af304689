//! `multiprocessing.Process`: a process with memory of its own.
//!
//! In the browser a process is a web worker with a fresh instance of the module and a fresh
//! memory; its threads are more workers on that memory. Natively (tests) it is a thread with
//! a runtime of its own, linked to its parent only by what is serialized.
//!
//! A target is a named function, not a closure: as Python pickles a function by its name, the
//! child finds it by a name the same in every instance of the module (`target`), while a
//! closure's captures would be memory of the parent. Its arguments are serialized, so the
//! child gets a copy, never the parent's value.
//!
//! The parent and the child share one record in the run's segment: state and exit code
//! (`child`). The child writes it when its program ends; the host writes it when the child
//! traps or is terminated (browser).

use crate::child::{launch, ChildRequest, EXITED, RECORD_BYTES, R_EXIT, R_EXIT_AT, R_PID, R_STATE, R_STOP, STARTED};
use crate::pickle::encode;
use crate::target::{Callable, CrossArgs, Run, TargetId};
use pp_platform::clock::Instant;
use pp_platform::module::ModuleName;
use pp_platform::segment::Segment;
use pp_runtime::errors::{PyErr, PyErrKind, PyResult};
use pp_runtime::runtime::{ProcessIdentity, Runtime};
use pp_runtime::sync::RawMutex;
use std::sync::Arc;

/// `multiprocessing`'s per-process data (a [`Runtime`] extension): the children started
/// here, for `active_children()` and for the end of the program.
#[derive(Default)]
struct Children {
    started: RawMutex<Vec<Process>>,
    /// For `Process-N` names, one counter per process as in CPython.
    counter: std::sync::atomic::AtomicU32,
}

impl Children {
    fn of(rt: &Runtime) -> &'static Children {
        rt.extension::<Children>()
    }
}

struct Inner {
    name: RawMutex<String>,
    daemon: RawMutex<bool>,
    identity: Vec<u32>,
    /// What `start()` sends, or why it cannot be sent (taken by `start()`).
    request: RawMutex<Option<PyResult<ChildRequest>>>,
    /// Offset of the record once started.
    record: RawMutex<Option<(u32, u32)>>,
    segment: Segment,
}

/// A handle to a process; clones refer to the same one.
#[derive(Clone)]
pub struct Process {
    inner: Arc<Inner>,
}

impl Process {
    /// `Process(target=f, args=...)`: `f` a named function of one argument. The arguments are
    /// serialized here, as CPython pickles them: pass a value or a reference (`&list`), the
    /// child gets its own copy either way.
    pub fn new<F, A>(target: F, args: impl std::borrow::Borrow<A>) -> Process
    where
        F: Callable<(A,)>,
        A: CrossArgs,
    {
        let call = crate::target::crossing(target).and_then(|id| Ok((id, encode(args.borrow())?)));
        Self::build(call)
    }

    /// A process whose `run()` is `object.run()` (a subclass overriding `run`).
    pub fn with_run<P: Run>(object: P) -> Process {
        let call = crate::target::crossing_run::<P>().and_then(|id| Ok((id, encode(&object)?)));
        Self::build(call)
    }

    /// A process of a target its module named itself (`Target::named`), with its arguments.
    pub fn with_target(target: TargetId, args: Vec<u8>) -> Process {
        Self::build(Ok((target, args)))
    }

    fn build(call: PyResult<(TargetId, Vec<u8>)>) -> Process {
        let rt = Runtime::current();
        let n = Children::of(rt).counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let mut identity = rt.process.identity.clone();
        identity.push(n);
        let name = format!("Process-{}", identity.iter().map(u32::to_string).collect::<Vec<_>>().join(":"));
        // An argument that cannot be serialized, or a target that cannot cross, fails at
        // start(), as a pickling error would.
        let request = call.map(|(target, args)| ChildRequest {
            identity: ProcessIdentity {
                name: String::new(),
                pid: 0,
                parent: Some((rt.process.name.clone(), rt.process.pid)),
                identity: identity.clone(),
                class: "Process".into(),
                daemon: rt.process.daemon,
                authkey: rt.process.authkey.clone(),
            },
            record: 0,
            gil: pp_runtime::gil::Gil::of(rt).enabled(),
            shake: Some(rt.table.shake_seed()).filter(|&s| s != 0),
            prestart: 0,
            module: None,
            target,
            args,
        });
        Process {
            inner: Arc::new(Inner {
                name: RawMutex::new(name),
                daemon: RawMutex::new(rt.process.daemon),
                identity,
                request: RawMutex::new(Some(request)),
                record: RawMutex::new(None),
                segment: rt.segment(),
            }),
        }
    }

    /// `name=...`
    pub fn with_name(self, name: impl Into<String>) -> Process {
        *self.inner.name.lock() = name.into();
        self
    }

    /// A child in another module than this process's (by the name the host knows it by),
    /// running a target that module names itself (`Target::named`: a type's hash means
    /// nothing in another build).
    pub fn in_module(self, module: ModuleName) -> Process {
        if let Some(Ok(r)) = self.inner.request.lock().as_mut() {
            r.module = Some(module);
        }
        self
    }

    /// A pool's worker: `SpawnPoolWorker-N`, a daemonic `SpawnProcess` (a fresh memory is
    /// CPython's "spawn" start method; the tutorial's Linux CPython forked, hence its
    /// `ForkPoolWorker-N`).
    pub(crate) fn into_pool_worker(self) -> Process {
        let name = self.name().replace("Process", "SpawnPoolWorker");
        if let Some(Ok(r)) = self.inner.request.lock().as_mut() {
            r.identity.class = "SpawnProcess".into();
        }
        self.with_name(name).with_daemon(true)
    }

    /// A child that will start threads at once (a manager's server) has `n` workers
    /// booted with it.
    pub(crate) fn with_prestarted_threads(self, n: u32) -> Process {
        if let Some(Ok(r)) = self.inner.request.lock().as_mut() {
            r.prestart = n;
        }
        self
    }

    /// `daemon=...`: a daemonic process is terminated when its parent's program ends.
    pub fn with_daemon(self, daemon: bool) -> Process {
        *self.inner.daemon.lock() = daemon;
        self
    }

    pub fn start(&self) -> PyResult<()> {
        let rt = Runtime::current();
        if self.inner.record.lock().is_some() {
            return Err(PyErr::new(PyErrKind::AssertionError, "cannot start a process twice"));
        }
        if rt.process.daemon {
            return Err(PyErr::new(PyErrKind::AssertionError, "daemonic processes are not allowed to have children"));
        }
        let mut request = self
            .inner
            .request
            .lock()
            .take()
            .unwrap_or_else(|| Err(PyErr::new(PyErrKind::AssertionError, "cannot start a process twice")))?;
        let seg = &self.inner.segment;
        let record = seg.alloc(RECORD_BYTES)?;
        let pid = seg.next_pid();
        seg.store(record + R_PID, pid);
        seg.store(record + R_STATE, STARTED);
        request.record = record;
        request.identity.name = self.name();
        request.identity.pid = pid;
        request.identity.daemon = self.daemon();
        *self.inner.record.lock() = Some((record, pid));
        let children = Children::of(rt);
        let first = {
            let mut started = children.started.lock();
            started.push(self.clone());
            started.len() == 1
        };
        if first {
            // CPython's `multiprocessing.util._exit_function`, registered with `atexit`.
            rt.at_exit(move || exit_function(rt));
        }
        launch(rt, request);
        Ok(())
    }

    fn record(&self) -> Option<u32> {
        self.inner.record.lock().map(|(r, _)| r)
    }

    /// `join(timeout=None)`.
    pub fn join(&self, timeout: Option<f64>) -> PyResult<()> {
        let record =
            self.record().ok_or_else(|| PyErr::new(PyErrKind::AssertionError, "can only join a started process"))?;
        self.wait_exit(record, pp_runtime::timeout::at_most(timeout));
        Ok(())
    }

    fn wait_exit(&self, record: u32, deadline: Option<Instant>) -> bool {
        let seg = &self.inner.segment;
        // A child that has ended already is no wait (nor drawn as one).
        if seg.load(record + R_STATE) == EXITED {
            return true;
        }
        let mut blocked = pp_runtime::watch::blocked_on_id(0, pp_runtime::watch::Why::Join, deadline.is_some());
        loop {
            if seg.load(record + R_STATE) == EXITED {
                // The child's end let the join go on: from its main thread (id 1).
                let at_us = u64::from(seg.load(record + R_EXIT_AT)) | u64::from(seg.load(record + R_EXIT_AT + 4)) << 32;
                if at_us != 0 {
                    let pid = seg.load(record + R_PID);
                    // The child's first thread: generation 1 of its slot.
                    blocked.woken_by(pp_runtime::watch::record::Waker { thread: 1, at_us, pid, generation: 1 });
                }
                return true;
            }
            if pp_runtime::timeout::expired(deadline) {
                return false;
            }
            super::shared::wait_word(seg, record + R_STATE, STARTED, deadline);
        }
    }

    pub fn is_alive(&self) -> bool {
        self.record().is_some_and(|r| self.inner.segment.load(r + R_STATE) == STARTED)
    }

    /// `exitcode`: `None` while running; negative for a signal (-15 after `terminate()`).
    pub fn exitcode(&self) -> Option<i32> {
        let r = self.record()?;
        let seg = &self.inner.segment;
        (seg.load(r + R_STATE) == EXITED).then(|| seg.load(r + R_EXIT) as i32)
    }

    /// `pid`: `None` before start.
    pub fn pid(&self) -> Option<u32> {
        self.inner.record.lock().map(|(_, pid)| pid)
    }

    pub fn name(&self) -> String {
        self.inner.name.lock().clone()
    }

    pub fn daemon(&self) -> bool {
        *self.inner.daemon.lock()
    }

    pub fn authkey(&self) -> Vec<u8> {
        Runtime::current().process.authkey.clone()
    }

    /// CPython's `_identity`, the numbers in the name.
    pub fn identity(&self) -> &[u32] {
        &self.inner.identity
    }

    /// `terminate()`: SIGTERM; the exit code becomes -15.
    pub fn terminate(&self) {
        self.signal(15)
    }

    /// `kill()`: SIGKILL; the exit code becomes -9.
    pub fn kill(&self) {
        self.signal(9)
    }

    /// Ends it now with `signal` (15 is `terminate()`, 9 `kill()`; the exit code becomes its
    /// negative).
    pub fn send_signal(&self, signal: u32) {
        self.signal(signal)
    }

    fn signal(&self, signal: u32) {
        if let Some((record, pid)) = *self.inner.record.lock() {
            if self.inner.segment.load(record + R_STATE) == STARTED {
                pp_platform::process::terminate(&self.inner.segment, pid, record, record + R_STOP, signal);
            }
        }
    }
}

impl std::fmt::Display for Process {
    /// CPython's repr: `<Process name='Process-1' pid=2001 parent=2000 started>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = match (self.pid(), self.exitcode()) {
            (None, _) => "initial".to_string(),
            (Some(_), None) => "started".to_string(),
            (Some(_), Some(0)) => "stopped".to_string(),
            (Some(_), Some(c)) if c < 0 => format!("stopped[{}]", signal_name(-c)),
            (Some(_), Some(c)) => format!("stopped[{c}]"),
        };
        write!(f, "<Process name='{}'", self.name())?;
        if let Some(pid) = self.pid() {
            write!(f, " pid={pid} parent={}", Runtime::current().process.pid)?;
        }
        write!(f, " {status}{}>", if self.daemon() { " daemon" } else { "" })
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        9 => "SIGKILL",
        15 => "SIGTERM",
        _ => "signal",
    }
}

/// What `current_process()` returns: this process's identity.
#[derive(Clone, Debug)]
pub struct CurrentProcess {
    pub identity: ProcessIdentity,
}

impl CurrentProcess {
    pub fn name(&self) -> &str {
        &self.identity.name
    }
    pub fn pid(&self) -> u32 {
        self.identity.pid
    }
    pub fn daemon(&self) -> bool {
        self.identity.daemon
    }
    pub fn authkey(&self) -> &[u8] {
        &self.identity.authkey
    }
    /// Always true: the current process is running.
    pub fn is_alive(&self) -> bool {
        true
    }
}

impl std::fmt::Display for CurrentProcess {
    /// `<_MainProcess name='MainProcess' parent=None started>` or, in a child,
    /// `<Process name='Process-1' parent=2000 started>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.identity.parent {
            None => write!(f, "<_MainProcess name='{}' parent=None started>", self.identity.name),
            Some((_, ppid)) => write!(
                f,
                "<{} name='{}' parent={ppid} started{}>",
                self.identity.class,
                self.identity.name,
                if self.identity.daemon { " daemon" } else { "" }
            ),
        }
    }
}

/// `multiprocessing.current_process()`.
pub fn current_process() -> CurrentProcess {
    CurrentProcess { identity: Runtime::current().process.clone() }
}

/// `multiprocessing.parent_process()`: name and pid of the parent, `None` in the first one.
pub fn parent_process() -> Option<(String, u32)> {
    Runtime::current().process.parent.clone()
}

/// `multiprocessing.active_children()`: the children still running (and it forgets the
/// ones that ended, as CPython's does).
pub fn active_children() -> Vec<Process> {
    let mut children = Children::of(Runtime::current()).started.lock();
    children.retain(Process::is_alive);
    children.clone()
}

/// `os.getpid()`.
pub fn getpid() -> u32 {
    Runtime::current().process.pid
}

/// `os.getppid()`: the parent's pid; 0 for a run's first process (the page started it, as the
/// kernel starts init: its pid differs from any process's of the run).
pub fn getppid() -> u32 {
    Runtime::current().process.parent.as_ref().map_or(0, |(_, pid)| *pid)
}

/// At the end of a process's program, as CPython's `_exit_function`: terminate the daemonic
/// children, join the others.
fn exit_function(rt: &'static Runtime) {
    let children: Vec<Process> = Children::of(rt).started.lock().clone();
    for child in &children {
        if child.daemon() {
            child.terminate();
        }
    }
    for child in &children {
        let _ = child.join(None);
    }
}
