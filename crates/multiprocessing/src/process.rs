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
//! The parent and the child share one record in the run's segment: state and exit code.
//! The child writes it when its program ends; the host writes it when the child traps or is
//! terminated (browser).

use crate::target::{Callable, CrossArgs, Run, TargetId};
use pp_platform::clock::Instant;
use pp_platform::segment::Segment;
use pp_runtime::errors::{PyErr, PyErrKind, PyResult};
use pp_runtime::runtime::{ProcessConfig, ProcessIdentity, Runtime};
use pp_runtime::sync::RawMutex;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Record words: state, exit code (an i32), pid, and a "please stop" word (native terminate,
/// see `platform::stop`).
pub const R_STATE: u32 = 0;
pub const R_EXIT: u32 = 4;
const R_PID: u32 = 8;
const R_STOP: u32 = 12;
const RECORD_BYTES: u32 = 16;

pub const STARTED: u32 = 1;
pub const EXITED: u32 = 2;
/// Between the two, while the exit code is written (joiners wait for `EXITED`).
pub const EXITING: u32 = 3;

/// What a child needs to start: who it is, where its record is, what to run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChildRequest {
    pub identity: ProcessIdentity,
    pub record: u32,
    pub gil: bool,
    /// Thread workers the host starts with it. None by default: a worker booting beside a
    /// CPU-bound child takes a slice of a core from it (and from its sibling) just when the
    /// tutorial times it; a child that starts a thread gets one on demand.
    pub prestart: u32,
    /// What it runs, by name, and its serialized arguments.
    pub target: TargetId,
    pub args: Vec<u8>,
}

impl ChildRequest {
    /// Runs the child's target (in the child).
    pub fn call(&self) -> PyResult<()> {
        crate::target::run_process(self.target, &self.args)
    }

    pub fn encode(&self) -> Vec<u8> {
        postcard::to_stdvec(self).expect("a child request serializes")
    }

    /// (The browser's host and worker side, `pp-web`, read it.)
    pub fn decode(bytes: &[u8]) -> Result<ChildRequest, String> {
        postcard::from_bytes(bytes).map_err(|e| format!("unreadable child request: {e}"))
    }
}

pub(crate) fn encode<T: Serialize>(value: &T) -> PyResult<Vec<u8>> {
    postcard::to_stdvec(value).map_err(|e| PyErr::new(PyErrKind::TypeError, format!("cannot pickle the value: {e}")))
}

pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> PyResult<T> {
    postcard::from_bytes(bytes).map_err(|e| PyErr::new(PyErrKind::TypeError, format!("cannot unpickle the value: {e}")))
}

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
            prestart: 0,
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
        let _blocked = pp_runtime::watch::blocked_on_id(0, pp_runtime::watch::Why::Join, deadline.is_some());
        loop {
            if seg.load(record + R_STATE) == EXITED {
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

/// `os.getppid()`: the parent's pid (the host's for the first process: 1, as for a process
/// started by init).
pub fn getppid() -> u32 {
    Runtime::current().process.parent.as_ref().map_or(1, |(_, pid)| *pid)
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

/// Runs a child process's program in the child: how a program runs and ends is the layer
/// above's (`pp-program`), which registers this once, before any program can start a child
/// (natively, where the child is a thread this crate starts; in the browser the worker side
/// calls it itself).
pub type ChildMain = fn(&'static Runtime, &ChildRequest) -> i32;

static CHILD_MAIN: std::sync::OnceLock<ChildMain> = std::sync::OnceLock::new();

/// Registers what a child process runs (the first registration stays).
pub fn set_child_main(main: ChildMain) {
    let _ = CHILD_MAIN.set(main);
}

fn child_main() -> ChildMain {
    *CHILD_MAIN.get().expect("no child main registered: a program runs through pp-program, which registers it")
}

/// Records a process's end: its exit code, then the state its joiners wait for. The first
/// writer wins (the program's own end, or the host's terminate).
pub fn finish_record(seg: &Segment, record: u32, code: i32) {
    if seg.cas(record + R_STATE, STARTED, EXITING).is_ok() {
        seg.store(record + R_EXIT, code as u32);
        seg.store(record + R_STATE, EXITED);
        seg.notify(record + R_STATE, u32::MAX);
    }
}

/// How a child boots: its state, in a memory of its own in the browser (the segment and the
/// ring's consumer come with the worker), natively beside its parent's (sharing its segment,
/// its family of rings, and a terminate word, since a thread cannot be killed).
pub fn child_config(
    request: &ChildRequest,
    inherited: Option<(Segment, pp_runtime::runtime::Family)>,
    consumer: bool,
) -> ProcessConfig {
    ProcessConfig {
        process: request.identity.clone(),
        ring_capacity: if inherited.is_some() { 64 << 10 } else { 1 << 20 },
        consumer,
        inherited,
        terminate_word: pp_platform::process::COOPERATIVE_TERMINATE.then_some(request.record + R_STOP),
    }
}

/// Starts the child: in the browser the host creates its worker (which runs the child main);
/// natively a thread with a state of its own stands in for it.
fn launch(parent: &'static Runtime, request: ChildRequest) {
    let consumer = parent.table.ring.attached.load(std::sync::atomic::Ordering::Relaxed) != 0;
    let config = child_config(&request, Some((parent.segment(), parent.family.clone())), consumer);
    let bytes = request.encode();
    pp_platform::process::launch(&request.identity.name.clone(), &bytes, move || {
        let rt = Runtime::boot(&config);
        let seg = rt.segment();
        let record = request.record;
        // A terminated child unwinds from its next blocking point or print (`platform::stop`).
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| child_main()(rt, &request))).is_err() {
            let signal = rt.stop.terminated().unwrap_or(0);
            finish_record(&seg, record, if signal != 0 { -(signal as i32) } else { 1 });
        }
    });
}
