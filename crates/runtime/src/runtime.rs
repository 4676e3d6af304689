//! One Python process's state: its watch table, who it is, its segment, how it is asked to
//! stop, and the per-process data of the layers above it. Not how a program runs and ends:
//! that is `pp_program`'s, on top of `threading` and `multiprocessing`. This module holds
//! none of their types (a thread, the GIL, a child process): each keeps its per-process data
//! here as an [extension](Runtime::extension), so the state depends on nothing above it.
//!
//! In the browser a process is a memory, so there is exactly one `Runtime` in it. Natively
//! (tests) several runtimes live in one address space, each reached through the thread-local
//! that the thread machinery sets; a thread outside any (a bare std thread) sees the default
//! runtime, whose ring prints to stdout.
//!
//! Runtimes are leaked: watched objects point at their table, and an object may outlive the
//! run that made it (a native test keeps a lock in a static). In the browser the whole
//! memory goes when the process ends.

use crate::sync::RawMutex;
use crate::watch::{RecordKind, Table};
use pp_platform::segment::Segment;
use pp_platform::stop::StopFlags;
use std::any::{Any, TypeId};
use std::cell::Cell;
use std::sync::{Arc, OnceLock};

pub struct Runtime {
    pub table: &'static Table,
    /// Who this process is: `multiprocessing.current_process()`.
    pub process: ProcessIdentity,
    /// What ends its threads from outside (program end for daemons, a native terminate).
    pub stop: StopFlags,
    /// The run's segment: made on first use by a run's first process natively, handed down
    /// to a child; in the browser the handle of the buffer every worker was given.
    segment: OnceLock<Segment>,
    /// Every process of the run, so a native harness can read all their rings.
    pub family: Family,
    /// A thread's Rust code panicked (a bug in a port, not a Python exception).
    crashed: RawMutex<Option<String>>,
    /// The per-process data of the layers above, by type (see [`Runtime::extension`]).
    extensions: RawMutex<Vec<(TypeId, &'static (dyn Any + Send + Sync))>>,
    /// CPython's `atexit`: run at program end, last registered first.
    at_exit: RawMutex<Vec<Box<dyn FnOnce() + Send>>>,
}

/// The tables of every process of a run, by pid (natively the harness reads them all; in the
/// browser each process has its own memory and the list holds only itself).
pub type Family = Arc<RawMutex<Vec<(u32, &'static Table)>>>;

/// How a process is set up.
#[derive(Clone)]
pub struct ProcessConfig {
    pub process: ProcessIdentity,
    /// Bytes of the console and event ring.
    pub ring_capacity: usize,
    /// A host will read the ring: producers wait for room instead of printing to stdout.
    pub consumer: bool,
    /// A child process shares its parent's segment and family (natively; in the browser the
    /// segment comes with the worker).
    pub inherited: Option<(Segment, Family)>,
    /// The segment word a parent sets to terminate this process, where terminating is
    /// cooperative (natively: see `platform::stop`).
    pub terminate_word: Option<u32>,
}

impl Default for ProcessConfig {
    fn default() -> Self {
        ProcessConfig {
            process: ProcessIdentity::main(1),
            ring_capacity: 1 << 20,
            consumer: false,
            inherited: None,
            terminate_word: None,
        }
    }
}

thread_local! {
    static CURRENT: Cell<Option<&'static Runtime>> = const { Cell::new(None) };
}

static DEFAULT: OnceLock<&'static Runtime> = OnceLock::new();

impl Runtime {
    /// A process's state, at a stable address (a host is told where its table is).
    pub fn boot(config: &ProcessConfig) -> &'static Runtime {
        let table: &'static Table = Box::leak(Table::new_boxed(config.ring_capacity));
        table.ring.set_attached(config.consumer);
        let segment = OnceLock::new();
        let family = match &config.inherited {
            Some((s, f)) => {
                let _ = segment.set(s.clone());
                f.clone()
            }
            None => Family::default(),
        };
        let terminate = config.terminate_word.map(|word| (segment.get_or_init(Segment::for_new_run).clone(), word));
        let rt: &'static Runtime = Box::leak(Box::new(Runtime {
            table,
            process: config.process.clone(),
            stop: StopFlags::new(terminate),
            segment,
            family,
            crashed: RawMutex::new(None),
            extensions: RawMutex::new(Vec::new()),
            at_exit: RawMutex::new(Vec::new()),
        }));
        table.ring.push(RecordKind::ProcessStart, 0, rt.process.pid, rt.process.name.as_bytes());
        rt.family.lock().push((rt.process.pid, table));
        rt
    }

    /// The calling thread's runtime (natively, a thread outside any run gets the default one).
    pub fn current() -> &'static Runtime {
        if let Some(rt) = CURRENT.with(Cell::get) {
            return rt;
        }
        DEFAULT.get_or_init(|| Runtime::boot(&ProcessConfig::default()))
    }

    /// The calling thread's runtime if it has one (never creates the default one).
    pub fn try_current() -> Option<&'static Runtime> {
        CURRENT.with(Cell::get).or_else(|| DEFAULT.get().copied())
    }

    /// Whether this is the default runtime of threads outside any run (natively).
    pub fn is_default(&'static self) -> bool {
        DEFAULT.get().is_some_and(|d| std::ptr::eq(*d, self))
    }

    /// Makes `rt` the calling thread's runtime until the guard drops.
    pub fn enter(rt: &'static Runtime) -> EnteredRuntime {
        EnteredRuntime { previous: CURRENT.with(|c| c.replace(Some(rt))) }
    }

    /// Per-process data of type `T`, made (by `Default`) on first use: how a layer above keeps
    /// what it needs per process (the threads of `threading`, the GIL, the children of
    /// `multiprocessing`) without this state knowing its type. Lives as long as the process.
    pub fn extension<T: Default + Send + Sync + 'static>(&self) -> &'static T {
        let id = TypeId::of::<T>();
        let mut extensions = self.extensions.lock();
        if let Some((_, e)) = extensions.iter().find(|(t, _)| *t == id) {
            return e.downcast_ref::<T>().expect("an extension is stored under its own type");
        }
        let e: &'static T = Box::leak(Box::new(T::default()));
        extensions.push((id, e));
        e
    }

    /// CPython's `atexit.register`: `f` runs when the program ends, after the non-daemon
    /// threads were joined; the last registered runs first.
    pub fn at_exit(&self, f: impl FnOnce() + Send + 'static) {
        self.at_exit.lock().push(Box::new(f));
    }

    /// Runs the `at_exit` functions (the program's end).
    pub fn run_at_exit(&self) {
        loop {
            let Some(f) = self.at_exit.lock().pop() else { return };
            f();
        }
    }

    /// The run's shared segment (what cross-process objects live in).
    pub fn segment(&self) -> Segment {
        self.segment.get_or_init(Segment::for_new_run).clone()
    }

    /// A printed line's stamp, on the run's clock (see `platform::segment::line_stamp`).
    pub fn line_stamp(&self) -> u64 {
        pp_platform::segment::line_stamp()
    }

    pub fn is_finalizing(&self) -> bool {
        self.stop.is_finalizing()
    }

    /// Records that a thread's Rust code panicked: the program fails. Unless panics are
    /// expected ([`expect_panics`]), the process ends at once (see [`unexpected_panic`]).
    pub fn report_crash(&self, what: String) {
        unexpected_panic(&what);
        self.crashed.lock().get_or_insert(what);
    }

    pub fn take_crash(&self) -> Option<String> {
        self.crashed.lock().take()
    }

    /// How far a pool is: `done` of `total` tasks (the page shows it while the run lasts).
    pub fn progress(&self, pool: &str, done: u32, total: u32) {
        let payload = crate::watch::record::encode_progress(total, pool);
        self.table.ring.push(RecordKind::Progress, crate::watch::my_id(), done, &payload);
    }

    /// A message from the runtime itself, shown in the console as such.
    pub fn note(&self, note: &crate::watch::record::RuntimeNote) {
        let payload = crate::watch::record::encode_note(note);
        self.table.ring.push(RecordKind::Note, crate::watch::my_id(), 0, &payload);
    }
}

#[must_use]
pub struct EnteredRuntime {
    previous: Option<&'static Runtime>,
}

impl Drop for EnteredRuntime {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.previous));
    }
}

pub fn try_current() -> Option<&'static Runtime> {
    Runtime::try_current()
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
    let mut rng = fastrand::Rng::with_seed(pp_platform::clock::stamp_us() ^ u64::from(seed) << 32);
    (0..32).map(|_| rng.u8(..)).collect()
}

/// Guards alive that expect panics (see [`expect_panics`]).
static PANICS_EXPECTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Says that a Rust panic in a thread of a run is expected until the guard drops (a test of
/// how a crash is handled: a trapping pool task, a panicking child).
pub fn expect_panics() -> PanicsExpected {
    PANICS_EXPECTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    PanicsExpected(())
}

#[must_use = "panics are expected until the guard drops"]
pub struct PanicsExpected(());

impl Drop for PanicsExpected {
    fn drop(&mut self) {
        PANICS_EXPECTED.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A thread's Rust code panicked (a bug in a port, a failed assert in a test) and nobody said
/// to expect it: the process ends now, with the message on stderr. Only a native build gets
/// here (in the browser a panic traps its worker, and the host fails the run): there a test's
/// thread or child process that fails an assert must fail its test at once, even when the
/// test's own thread waits for it with no deadline (a barrier it will never reach); each test
/// runs in a process of its own (cargo-nextest), so this ends exactly that test.
pub fn unexpected_panic(message: &str) {
    if PANICS_EXPECTED.load(std::sync::atomic::Ordering::SeqCst) == 0 {
        eprintln!("a thread of the run panicked, nobody expected it, the process ends: {message}");
        std::process::abort();
    }
}
