//! A run: its processes, their shared segment, and the warm child processes kept ready for
//! it. [`Run`] is the owner's handle (the page, a test); dropping it ends every process.

use super::process::{Owner, ProcState};
use super::{describe, process_start, Host, Listener, Module, ProcessEvent};
use pp_multiprocessing::ChildRequest;
use pp_platform::messages::{FromWorker, Role, RunRequest, ToWorker};
use pp_platform::segment::SEGMENT_BYTES;
use pp_platform::WorkerEntry as Entry;
use pp_runtime::watch::console::ProcessRecords;
use pp_runtime::watch::graph::Snapshot;
use pp_runtime::watch::{Record, RecordKind};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};

/// How long after taking a warm child the host makes another: never during the burst of
/// starts that used it, where it would take a core from the run.
const RESTOCK_AFTER_MS: i32 = 1000;

/// Workers the host starts with a run's first process, before any thread asks: enough for
/// most of the tutorial's examples to start every thread without waiting for a worker.
pub const PRESTARTED_WORKERS: u32 = 4;

/// What the processes of a run share, as the host keeps it.
struct Group {
    /// Itself, for the processes (they hold it weakly: the owner's [`Run`] keeps it).
    me: Weak<Group>,
    host: Host,
    module: Module,
    segment: js_sys::SharedArrayBuffer,
    processes: RefCell<Vec<Rc<ProcState>>>,
    /// Warm child workers that said `pp:warm`, and every warm worker started, with its
    /// listener (kept until the run ends).
    warm: RefCell<VecDeque<Worker>>,
    warming: RefCell<Vec<(Worker, Listener)>>,
    /// Whether the run's first process has booted. Warm workers are told to ready themselves
    /// (`pp:prepare`) only then, and only while no child process runs: readying takes a core,
    /// which the first process's boot (the Python tab's first load was 8% slower) or a child's
    /// work would lose. (Started only then too, they took a core from the first run instead: a
    /// fresh page's Run to its first line went from 21 to 63 ms in a `bench.sh` run, the ports'
    /// four warm children starting as it ran.)
    prepared: std::cell::Cell<bool>,
    /// Warm workers not told yet.
    unprepared: RefCell<Vec<Worker>>,
    /// Warm workers owed to the run: taken while children ran, made once none does.
    owed: std::cell::Cell<usize>,
    /// Records of processes that have ended, read before their workers went.
    stash: RefCell<Vec<ProcessRecords>>,
    on_event: Box<dyn Fn(ProcessEvent)>,
}

impl Owner for Group {
    fn event(&self, event: ProcessEvent) {
        if matches!(event, ProcessEvent::Ready) {
            self.prepared.set(true);
            self.prepare_while_idle();
        }
        (self.on_event)(event)
    }

    fn start_child(&self, request: Vec<u8>, parent: &Module) -> Result<(), String> {
        let group = self.me.upgrade().ok_or("the run has ended")?;
        group.start_child_worker(request, parent)
    }

    fn end_child(&self, pid: u32, code: i32) {
        if let Some(child) = self.find(pid) {
            self.end(&child, code);
        }
    }

    fn thread_init(&self, module: &Module, memory: JsValue, entry: Entry) -> (u32, ToWorker) {
        let serial = self.host.serial();
        let init = ToWorker::Init {
            glue: module.glue.clone(),
            module: module.module.clone(),
            memory,
            segment: self.segment.clone().into(),
            role: Role::Thread { serial, entry },
        };
        (serial, init)
    }
}

impl Group {
    /// A new process of this run, listened to.
    fn new_process(
        self: &Rc<Self>,
        module: &Module,
        name: &str,
        pid: u32,
        record: Option<u32>,
        prestart: u32,
    ) -> Rc<ProcState> {
        let owner: Weak<dyn Owner> = self.me.clone();
        let state = ProcState::new(owner, module, name, pid, record, prestart);
        self.processes.borrow_mut().push(state.clone());
        state
    }

    /// Starts a process worker of `module` from nothing.
    fn start(
        self: &Rc<Self>,
        module: &Module,
        name: &str,
        pid: u32,
        child: Option<(&[u8], u32)>,
        prestart: u32,
    ) -> Result<Rc<ProcState>, String> {
        let worker = super::js::start_worker(&format!("{name} (pid {pid})")).map_err(describe)?;
        let state = self.new_process(module, name, pid, child.map(|(_, record)| record), prestart);
        state.adopt(worker.clone());
        if module.early_threads {
            state.start_waiting_workers();
        }
        let start = process_start(&self.host, module, name, pid, prestart, child.map(|(bytes, _)| bytes));
        let init = ToWorker::Init {
            glue: module.glue.clone(),
            module: module.module.clone(),
            memory: JsValue::UNDEFINED,
            segment: self.segment.clone().into(),
            role: Role::Process(start),
        };
        worker.post_message(&init.to_js()?).map_err(describe)?;
        Ok(state)
    }

    /// A child process that a process of `parent` asked for: in the module its request
    /// names, or `parent`; warm if it is the run's module and a warm worker is ready.
    fn start_child_worker(self: &Rc<Self>, bytes: Vec<u8>, parent: &Module) -> Result<(), String> {
        let request = ChildRequest::decode(&bytes)?;
        let (name, pid, record) = (request.identity.name.clone(), request.identity.pid, request.record);
        let module = match &request.module {
            None => parent.clone(),
            Some(wanted) => match self.host.module(wanted) {
                Some(module) => module,
                None => {
                    self.refuse(&name, pid, record, &format!("no module named '{wanted}' is known here"));
                    return Ok(());
                }
            },
        };
        let warm = if module.name == self.module.name { self.warm.borrow_mut().pop_front() } else { None };
        let Some(worker) = warm else {
            return self.start(&module, &name, pid, Some((&bytes, record)), request.prestart).map(drop);
        };
        self.unprepared.borrow_mut().retain(|w| w != &worker);
        let state = self.new_process(&module, &name, pid, Some(record), request.prestart);
        state.adopt(worker.clone());
        let message = ToWorker::Child(process_start(&self.host, &module, &name, pid, request.prestart, Some(&bytes)));
        worker.post_message(&message.to_js()?).map_err(describe)?;
        self.restock_later();
        Ok(())
    }

    /// A child that cannot start: it ends at once with exit code 1, as a child whose code
    /// raised, its reason printed on its main thread's stderr (the run's console; the records
    /// its own process would have written around it say who printed it), its parent going on.
    fn refuse(&self, name: &str, pid: u32, record: u32, reason: &str) {
        const MAIN_THREAD: u32 = 1;
        let at = pp_platform::clock::stamp_us();
        let record_of =
            |kind, thread, arg, payload: &[u8]| Record { kind, thread, arg, t_us: at, payload: payload.to_vec() };
        let records = vec![
            record_of(RecordKind::ProcessStart, 0, pid, name.as_bytes()),
            record_of(RecordKind::ThreadStart, MAIN_THREAD, 0, b"MainThread"),
            record_of(RecordKind::Line, MAIN_THREAD, 2, format!("{name} could not start: {reason}").as_bytes()),
            record_of(RecordKind::ThreadEnd, MAIN_THREAD, 0, b""),
        ];
        web_sys::console::warn_1(&format!("process {name} (pid {pid}) could not start: {reason}").into());
        self.stash.borrow_mut().push(ProcessRecords { pid, name: name.to_string(), root: false, records });
        write_exit(&self.segment, record, 1);
    }

    /// Starts a warm child worker: instantiated, attached to the segment, waiting.
    fn warm_one(self: &Rc<Self>) {
        let Ok(worker) = super::js::start_worker("warm child process") else { return };
        let weak = Rc::downgrade(self);
        let w = worker.clone();
        let on_message = Listener::new(move |event: JsValue| {
            let data = event.unchecked_into::<MessageEvent>().data();
            if matches!(FromWorker::from_js(&data), Ok(FromWorker::Warm)) {
                if let Some(group) = weak.upgrade() {
                    group.warm.borrow_mut().push_back(w.clone());
                    // Told only once it listens (`pp:warm`): its bootstrap drops a message
                    // that comes while it instantiates.
                    group.unprepared.borrow_mut().push(w.clone());
                    group.prepare_while_idle();
                }
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let init = ToWorker::Init {
            glue: self.module.glue.clone(),
            module: self.module.module.clone(),
            memory: JsValue::UNDEFINED,
            segment: self.segment.clone().into(),
            role: Role::WarmProcess,
        };
        if init.to_js().is_ok_and(|init| worker.post_message(&init).is_ok()) {
            self.warming.borrow_mut().push((worker, on_message));
        }
    }

    /// Makes another warm child later, if the run still goes on, and only while no child
    /// process runs: a worker's instantiation takes a core for a tenth of a second, which the
    /// children would lose (the benchmark cell's two, a second into their work).
    fn restock_later(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        let restock = Closure::once_into_js(move || {
            if let Some(group) = weak.upgrade() {
                if group.warm.borrow().len() < group.module.warm_children {
                    group.owed.set(group.owed.get() + 1);
                    group.pay_owed();
                }
            }
        });
        let set_timeout: Option<js_sys::Function> =
            js_sys::Reflect::get(&js_sys::global(), &"setTimeout".into()).ok().and_then(|f| f.dyn_into().ok());
        if let Some(set_timeout) = set_timeout {
            let _ = set_timeout.call2(&JsValue::NULL, &restock, &RESTOCK_AFTER_MS.into());
        }
    }

    /// Tells the warm workers not told yet to ready themselves, if the run's first process has
    /// booted and no child runs (see `prepared`).
    fn prepare_while_idle(&self) {
        if self.prepared.get() && !self.children_run() {
            for worker in self.unprepared.borrow_mut().drain(..) {
                prepare(&worker);
            }
        }
    }

    fn find(&self, pid: u32) -> Option<Rc<ProcState>> {
        self.processes.borrow().iter().find(|p| p.pid == pid).cloned()
    }

    /// Ends a child: keeps what it wrote, terminates its workers, writes its exit code.
    fn end(&self, child: &ProcState, code: i32) {
        if child.ended() {
            return;
        }
        if let Ok(records) = child.drain() {
            self.stash.borrow_mut().push(ProcessRecords {
                pid: child.pid,
                name: child.name.clone(),
                root: false,
                records,
            });
        }
        child.terminate();
        if let Some(record) = child.record {
            write_exit(&self.segment, record, code);
        }
        self.prepare_while_idle();
        self.pay_owed();
    }

    /// Whether a child process of the run is running.
    fn children_run(&self) -> bool {
        self.processes.borrow().iter().any(|p| !p.is_root() && !p.ended())
    }

    /// The warm workers owed ([`Group::restock_later`]), made if the run goes on and no child
    /// runs (else kept owed: a child's end pays them).
    fn pay_owed(&self) {
        let live = self.processes.borrow().iter().any(|p| !p.ended());
        if self.children_run() || !live {
            return;
        }
        if let Some(group) = self.me.upgrade() {
            for _ in 0..self.owed.take() {
                group.warm_one();
            }
        }
    }

    fn terminate_all(&self) {
        for p in self.processes.borrow().iter() {
            p.terminate();
        }
        self.warm.borrow_mut().clear();
        for (w, _) in self.warming.borrow_mut().iter() {
            w.set_onmessage(None);
            w.terminate();
        }
    }
}

/// Tells a warm worker, waiting, to ready itself for a child.
fn prepare(worker: &Worker) {
    if let Ok(message) = ToWorker::Prepare.to_js() {
        let _ = worker.post_message(&message);
    }
}

/// The record protocol of `multiprocessing::process::finish_record`, from the host, once it
/// has terminated the child's workers: the first writer of an exit code wins, except over a
/// child caught between its writes. A child whose own end began (`EXITING`) as its worker was
/// terminated (`Worker.terminate()` does not wait for the worker to stop) never writes
/// `EXITED`, and its joiners would wait forever: the likeliest cause of a hang seen once in
/// WebKit, a pool dropped at a program's end (`pool-errors`: its workers, woken by the closed
/// task ring, ending while being terminated). Such a child had not ended when it was killed,
/// so the host's code stands, as a signal's would for a process killed in its exit path.
fn write_exit(segment: &js_sys::SharedArrayBuffer, record: u32, code: i32) {
    use pp_multiprocessing::process_record::{EXITED, EXITING, R_EXIT, R_STATE, STARTED};
    let words = js_sys::Int32Array::new(segment);
    let state = (record + R_STATE) / 4;
    let before = js_sys::Atomics::compare_exchange(&words, state, STARTED as i32, EXITING as i32).ok();
    if before == Some(STARTED as i32) || before == Some(EXITING as i32) {
        let _ = js_sys::Atomics::store(&words, (record + R_EXIT) / 4, code);
        let _ = js_sys::Atomics::store(&words, state, EXITED as i32);
        let _ = js_sys::Atomics::notify(&words, state);
    }
}

/// The owner's handle to a run. Dropping it terminates every process of the run.
pub struct Run {
    group: Rc<Group>,
    root: Rc<ProcState>,
    /// Records read but stamped too late to show yet (see `drain`).
    held: RefCell<Vec<ProcessRecords>>,
}

impl Run {
    pub(super) fn start(
        host: &Host,
        name: &str,
        module: &Module,
        on_event: Box<dyn Fn(ProcessEvent)>,
    ) -> Result<Run, String> {
        let group = Rc::new_cyclic(|me| Group {
            me: me.clone(),
            host: host.clone(),
            module: module.clone(),
            segment: js_sys::SharedArrayBuffer::new(SEGMENT_BYTES),
            processes: RefCell::new(Vec::new()),
            warm: RefCell::new(VecDeque::new()),
            warming: RefCell::new(Vec::new()),
            prepared: std::cell::Cell::new(false),
            unprepared: RefCell::new(Vec::new()),
            owed: std::cell::Cell::new(0),
            stash: RefCell::new(Vec::new()),
            on_event,
        });
        let root = group.start(module, name, host.pid(), None, PRESTARTED_WORKERS)?;
        for _ in 0..module.warm_children {
            group.warm_one();
        }
        Ok(Run { group, root, held: RefCell::new(Vec::new()) })
    }

    pub fn pid(&self) -> u32 {
        self.root.pid
    }

    pub fn is_ready(&self) -> bool {
        self.root.is_booted()
    }

    /// Runs a program as the run's first process's program (once).
    pub fn run(&self, request: RunRequest) -> Result<(), String> {
        self.root.post(&ToWorker::Run(request))
    }

    /// The records written since the last call, in time order across processes: runs of
    /// consecutive records of one process. Those stamped after this call began wait for the
    /// next (`console::interleave` says why); `drain_all` at the end of a run holds nothing.
    ///
    /// While a child has started but its ring cannot be read yet (its `Ready` has not reached
    /// the host), everything waits: the child may already have printed, and its parent may
    /// have joined it and printed after it (seen once: a parent's `False` after `join()` shown
    /// above its child's lines). A child's boot takes milliseconds.
    pub fn drain(&self) -> Result<Vec<ProcessRecords>, String> {
        let unreadable = self.group.processes.borrow().iter().any(|p| !p.is_root() && !p.ended() && !p.is_booted());
        self.drain_until(if unreadable { 0 } else { pp_platform::clock::stamp_us() })
    }

    /// Everything written, held back or not: for when the run has ended.
    pub fn drain_all(&self) -> Result<Vec<ProcessRecords>, String> {
        self.drain_until(u64::MAX)
    }

    fn drain_until(&self, horizon: u64) -> Result<Vec<ProcessRecords>, String> {
        let fresh = self.read_rings()?; // first: on an error, what was held stays held
        let read = self.held.take().into_iter().chain(fresh);
        let keyed = read.map(|p| ((p.pid, p.name, p.root), p.records)).collect();
        let (runs, held) = pp_runtime::watch::console::interleave(keyed, horizon);
        let unkey = |((pid, name, root), records): ((u32, String, bool), Vec<Record>)| ProcessRecords {
            pid,
            name,
            root,
            records,
        };
        *self.held.borrow_mut() = held.into_iter().map(unkey).collect();
        Ok(runs.into_iter().map(unkey).collect())
    }

    /// Every record written since the last read, by process (the first process first).
    fn read_rings(&self) -> Result<Vec<ProcessRecords>, String> {
        let mut out = vec![ProcessRecords {
            pid: self.root.pid,
            name: self.root.name.clone(),
            root: true,
            records: self.root.drain()?,
        }];
        out.extend(self.group.stash.borrow_mut().drain(..));
        for p in self.group.processes.borrow().iter().filter(|p| !p.is_root() && !p.ended()) {
            out.push(ProcessRecords { pid: p.pid, name: p.name.clone(), root: false, records: p.drain()? });
        }
        out.retain(|p| !p.records.is_empty());
        Ok(out)
    }

    /// The watch tables of the live processes.
    pub fn snapshots(&self) -> Vec<(u32, Snapshot)> {
        self.group.processes.borrow().iter().filter_map(|p| p.snapshot().map(|s| (p.pid, s))).collect()
    }

    /// The first process's watch table: the stepped one, in step mode.
    pub fn root_snapshot(&self) -> Option<Snapshot> {
        self.root.snapshot()
    }

    /// Step mode: lets the first process's `thread` go from its point; `None` lets the whole
    /// run go on freely.
    pub fn step(&self, thread: Option<u32>) {
        self.root.step(thread);
    }

    /// A word of the run's segment (where the cross-process locks keep their holder).
    pub fn segment_word(&self, at: u32) -> u32 {
        let words = js_sys::Int32Array::new(&self.group.segment);
        js_sys::Atomics::load(&words, at / 4).unwrap_or(0) as u32
    }

    /// How many workers the run has now (each process's own included).
    pub fn worker_count(&self) -> usize {
        self.group.processes.borrow().iter().map(|p| p.worker_count()).sum()
    }

    /// Ends the run at once: every worker of every process, wherever it is.
    pub fn terminate(&self) {
        self.group.terminate_all();
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        self.terminate();
    }
}
