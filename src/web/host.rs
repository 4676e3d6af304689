//! The host: creates every worker of every process of a run and answers their requests,
//! from a thread that never blocks (the page's main thread; in browser tests, the test's
//! worker).
//!
//! A run is a group of processes sharing one segment (a SharedArrayBuffer the host makes):
//! its first process, and every child that any of them starts (`pp:process`). A process is
//! a worker with a fresh instance and memory; its Python threads run on more workers that
//! the host creates on the process's memory, when it boots and then on `pp:spawn` (a worker
//! blocked in Rust cannot start workers itself). The host reads each process's watch table
//! through [`JsMemory`] and never waits. It ends a child (its exit, a trap, `terminate()`)
//! by terminating its workers and writing its exit code to its record in the segment.

use super::js::{self, start_worker, GLUE_URL};
use super::memory::JsMemory;
use crate::multiprocessing::process::ChildRequest;
use crate::platform::segment::SEGMENT_BYTES;
use crate::watch::graph::Snapshot;
use crate::watch::reader::TableReader;
use crate::watch::Record;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// What a run's first process tells its owner.
#[derive(Clone, Debug, PartialEq)]
pub enum ProcessEvent {
    /// Booted, its prestarted workers requested: `run` may be called.
    Ready,
    /// The program ended with this exit code (daemon threads may still be running).
    Exit(i32),
    /// A worker of the process failed: a trap (a panic), or a script that did not load.
    Error(String),
}

/// Records of one process of a run.
pub struct ProcessRecords {
    pub pid: u32,
    pub name: String,
    /// The run's first process (its threads are named alone in the console).
    pub root: bool,
    pub records: Vec<Record>,
}

/// Creates runs. One per page (or per test).
#[derive(Clone)]
pub struct Host {
    shared: Rc<HostShared>,
}

struct HostShared {
    glue: String,
    /// Serial numbers of workers: `native_id` in the runs.
    next_serial: Cell<u64>,
    next_pid: Cell<u32>,
}

impl Default for Host {
    fn default() -> Self {
        Self::new()
    }
}

impl Host {
    pub fn new() -> Host {
        Host {
            shared: Rc::new(HostShared {
                glue: GLUE_URL.with(Clone::clone),
                next_serial: Cell::new(1),
                next_pid: Cell::new(1000),
            }),
        }
    }

    fn serial(&self) -> u64 {
        let s = self.shared.next_serial.get();
        self.shared.next_serial.set(s + 1);
        s
    }

    /// Starts a run's first process (with a fresh segment); `on_event` hears of it from the
    /// host's event loop.
    pub fn start_process(&self, name: &str, on_event: impl Fn(ProcessEvent) + 'static) -> Result<Process, String> {
        let pid = self.shared.next_pid.get();
        self.shared.next_pid.set(pid + 1);
        let group = Rc::new(Group {
            host: self.clone(),
            segment: js_sys::SharedArrayBuffer::new(SEGMENT_BYTES),
            processes: RefCell::new(Vec::new()),
            warm: RefCell::new(VecDeque::new()),
            warming: RefCell::new(Vec::new()),
            stash: RefCell::new(Vec::new()),
            on_event: Box::new(on_event),
        });
        let root = group.start(name, pid, None, super::PRESTARTED_WORKERS)?;
        for _ in 0..WARM_CHILDREN {
            group.warm_one();
        }
        Ok(Process { group, root, held: RefCell::new(Vec::new()) })
    }

    /// Starts one worker on *this* instance's memory (browser tests: the test's own
    /// memory is the process).
    pub fn start_local_worker(&self, entry: usize) -> Result<Worker, String> {
        let serial = self.serial();
        let worker = start_worker(&format!("local worker {serial}")).map_err(describe)?;
        let init = thread_init(&self.shared.glue, &wasm_bindgen::memory(), &JsValue::UNDEFINED, serial, entry);
        worker.post_message(&init).map_err(describe)?;
        Ok(worker)
    }
}

fn thread_init(glue: &str, memory: &JsValue, segment: &JsValue, serial: u64, entry: usize) -> JsValue {
    js::object(&[
        ("type", "pp:init".into()),
        ("role", "thread".into()),
        ("glue", glue.into()),
        ("module", wasm_bindgen::module()),
        ("memory", memory.clone()),
        ("segment", segment.clone()),
        ("serial", (serial as f64).into()),
        ("entry", (entry as f64).into()),
    ])
}

pub fn describe(e: JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string()))
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Child processes kept instantiated ahead of time (a fresh memory and the module, ready in
/// a worker), so that `Process.start()` costs a message, not a worker's start-up. Four: most
/// of the tutorial's examples start at most four at once (a cold start takes 50-150 ms here
/// while the others run); they boot with the run's spare, while the page is idle.
const WARM_CHILDREN: usize = 4;
/// How long after taking a warm child the host makes another: never during the burst of
/// starts that used it, where it would take a core from the run.
const RESTOCK_AFTER_MS: i32 = 1000;

/// A run: its processes and their shared segment.
struct Group {
    host: Host,
    segment: js_sys::SharedArrayBuffer,
    processes: RefCell<Vec<Rc<ProcState>>>,
    /// Warm child workers that said `pp:warm`, and every warm worker started, with its
    /// listener (kept until the run ends).
    warm: RefCell<VecDeque<Worker>>,
    warming: RefCell<Vec<(Worker, Closure<dyn FnMut(JsValue)>)>>,
    /// Records of processes that have ended, read before their workers went.
    stash: RefCell<Vec<ProcessRecords>>,
    on_event: Box<dyn Fn(ProcessEvent)>,
}

impl Group {
    fn new_state(self: &Rc<Self>, name: &str, pid: u32, record: Option<u32>, prestart: u32) -> Rc<ProcState> {
        let state = Rc::new(ProcState {
            group: Rc::downgrade(self),
            name: name.to_string(),
            pid,
            record,
            prestart,
            threads_up: Cell::new(0),
            ready_reported: Cell::new(false),
            workers: RefCell::new(Vec::new()),
            booted: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
            ended: Cell::new(false),
        });
        self.processes.borrow_mut().push(state.clone());
        state
    }

    /// Starts a process worker from nothing.
    fn start(
        self: &Rc<Self>,
        name: &str,
        pid: u32,
        child: Option<(Vec<u8>, u32)>,
        prestart: u32,
    ) -> Result<Rc<ProcState>, String> {
        let serial = self.host.serial();
        let worker = start_worker(&format!("{name} (pid {pid})")).map_err(describe)?;
        let state = self.new_state(name, pid, child.as_ref().map(|(_, record)| *record), prestart);
        state.adopt(worker.clone());
        let request = child.map_or(JsValue::NULL, |(bytes, _)| js_sys::Uint8Array::from(&bytes[..]).into());
        let init = js::object(&[
            ("type", "pp:init".into()),
            ("role", "process".into()),
            ("glue", self.host.shared.glue.as_str().into()),
            ("module", wasm_bindgen::module()),
            ("segment", self.segment.clone().into()),
            ("name", name.into()),
            ("pid", pid.into()),
            ("serial", (serial as f64).into()),
            ("prestart", prestart.into()),
            ("child", request),
        ]);
        worker.post_message(&init).map_err(describe)?;
        Ok(state)
    }

    /// `pp:process` from any worker of the run: a child process, warm if one is ready.
    fn start_child(self: &Rc<Self>, bytes: Vec<u8>) -> Result<(), String> {
        let request = ChildRequest::decode(&bytes)?;
        let (name, pid, record) = (request.identity.name.clone(), request.identity.pid, request.record);
        let Some(worker) = self.warm.borrow_mut().pop_front() else {
            return self.start(&name, pid, Some((bytes, record)), request.prestart).map(drop);
        };
        let state = self.new_state(&name, pid, Some(record), request.prestart);
        state.adopt(worker.clone());
        let message = js::object(&[
            ("type", "pp:child".into()),
            ("name", name.as_str().into()),
            ("pid", pid.into()),
            ("serial", (self.host.serial() as f64).into()),
            ("prestart", request.prestart.into()),
            ("child", js_sys::Uint8Array::from(&bytes[..]).into()),
        ]);
        worker.post_message(&message).map_err(describe)?;
        self.restock_later();
        Ok(())
    }

    /// Starts a warm child worker: instantiated, attached to the segment, waiting.
    fn warm_one(self: &Rc<Self>) {
        let Ok(worker) = start_worker("warm child process") else { return };
        let weak = Rc::downgrade(self);
        let w = worker.clone();
        let on_message = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let data = event.unchecked_into::<MessageEvent>().data();
            if js::get_str(&data, "type").as_deref() == Some("pp:warm") {
                if let Some(group) = weak.upgrade() {
                    group.warm.borrow_mut().push_back(w.clone());
                }
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let init = js::object(&[
            ("type", "pp:init".into()),
            ("role", "process".into()),
            ("warm", true.into()),
            ("glue", self.host.shared.glue.as_str().into()),
            ("module", wasm_bindgen::module()),
            ("segment", self.segment.clone().into()),
        ]);
        if worker.post_message(&init).is_ok() {
            self.warming.borrow_mut().push((worker, on_message));
        }
    }

    /// Makes another warm child later, if the run still goes on.
    fn restock_later(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        let restock = Closure::once_into_js(move || {
            if let Some(group) = weak.upgrade() {
                let live = group.processes.borrow().iter().any(|p| !p.ended.get());
                if live && group.warm.borrow().len() < WARM_CHILDREN {
                    group.warm_one();
                }
            }
        });
        let set_timeout: Option<js_sys::Function> =
            js_sys::Reflect::get(&js_sys::global(), &"setTimeout".into()).ok().and_then(|f| f.dyn_into().ok());
        if let Some(set_timeout) = set_timeout {
            let _ = set_timeout.call2(&JsValue::NULL, &restock, &RESTOCK_AFTER_MS.into());
        }
    }

    fn find(&self, pid: u32) -> Option<Rc<ProcState>> {
        self.processes.borrow().iter().find(|p| p.pid == pid).cloned()
    }

    /// Ends a child: keeps what it wrote, terminates its workers, writes its exit code.
    fn end_child(&self, child: &ProcState, code: i32) {
        if child.ended.get() {
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

/// The record protocol of `multiprocessing::process::finish_record`, from the host: the
/// first writer of an exit code wins.
fn write_exit(segment: &js_sys::SharedArrayBuffer, record: u32, code: i32) {
    use crate::multiprocessing::process::{EXITED, EXITING, R_EXIT, R_STATE, STARTED};
    let words = js_sys::Int32Array::new(segment);
    let state = (record + R_STATE) / 4;
    if js_sys::Atomics::compare_exchange(&words, state, STARTED as i32, EXITING as i32).ok() == Some(STARTED as i32) {
        let _ = js_sys::Atomics::store(&words, (record + R_EXIT) / 4, code);
        let _ = js_sys::Atomics::store(&words, state, EXITED as i32);
        let _ = js_sys::Atomics::notify(&words, state);
    }
}

struct Booted {
    memory: JsValue,
    reader: TableReader,
}

struct ProcState {
    group: Weak<Group>,
    name: String,
    pid: u32,
    /// A child's record in the segment; `None` for the run's first process.
    record: Option<u32>,
    prestart: u32,
    /// Thread workers that have instantiated the module (they say `pp:thread-up`).
    threads_up: Cell<u32>,
    /// The run's first process reports `Ready` once, when its prestarted workers are up.
    ready_reported: Cell<bool>,
    /// The process's own worker first, then its thread workers.
    workers: RefCell<Vec<Worker>>,
    booted: RefCell<Option<Booted>>,
    /// Kept alive as long as the workers may call them.
    listeners: RefCell<Vec<Closure<dyn FnMut(JsValue)>>>,
    ended: Cell<bool>,
}

impl ProcState {
    fn is_root(&self) -> bool {
        self.record.is_none()
    }

    /// Listens to a worker of this process.
    fn adopt(self: &Rc<Self>, worker: Worker) {
        let weak: Weak<ProcState> = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(JsValue)>::new({
            let weak = weak.clone();
            move |event: JsValue| {
                if let Some(state) = weak.upgrade() {
                    state.on_message(&event.unchecked_into::<MessageEvent>().data());
                }
            }
        });
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            if let Some(state) = weak.upgrade() {
                let e: ErrorEvent = event.unchecked_into();
                e.prevent_default();
                state.fail(format!("worker error: {} ({}:{})", e.message(), e.filename(), e.lineno()));
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.listeners.borrow_mut().extend([on_message, on_error]);
        self.workers.borrow_mut().push(worker);
    }

    fn on_message(self: &Rc<Self>, data: &JsValue) {
        if self.ended.get() {
            return;
        }
        let Some(group) = self.group.upgrade() else { return };
        match js::get_str(data, "type").as_deref() {
            Some("pp:ready") => {
                let booted = Booted {
                    memory: js::get(data, "memory"),
                    reader: TableReader::new(js::get_f64(data, "table").unwrap_or(0.0) as usize),
                };
                if let Err(e) = booted.reader.check(&JsMemory::from_value(&booted.memory)) {
                    return self.fail(e);
                }
                *self.booted.borrow_mut() = Some(booted);
                let entry = js::get_f64(data, "entry").unwrap_or(0.0) as usize;
                for _ in 0..self.prestart {
                    self.spawn_thread_worker(entry);
                }
                self.report_ready_when_up(&group);
            }
            Some("pp:thread-up") => {
                self.threads_up.set(self.threads_up.get() + 1);
                self.report_ready_when_up(&group);
            }
            Some("pp:spawn") => self.spawn_thread_worker(js::get_f64(data, "entry").unwrap_or(0.0) as usize),
            Some("pp:process") => {
                let bytes = js_sys::Uint8Array::new(&js::get(data, "request")).to_vec();
                if let Err(e) = group.start_child(bytes) {
                    self.fail(format!("could not start a process: {e}"));
                }
            }
            Some("pp:terminate") => {
                let pid = js::get_f64(data, "pid").unwrap_or(0.0) as u32;
                let signal = js::get_f64(data, "signal").unwrap_or(15.0) as i32;
                if let Some(child) = group.find(pid) {
                    group.end_child(&child, -signal);
                }
            }
            Some("pp:exit") => {
                let code = js::get_f64(data, "code").unwrap_or(1.0) as i32;
                if self.is_root() {
                    (group.on_event)(ProcessEvent::Exit(code));
                } else {
                    group.end_child(self, code);
                }
            }
            Some("pp:error") => self.fail(js::get_str(data, "message").unwrap_or_default()),
            _ => {}
        }
    }

    /// The run's program starts only once its process's idle thread workers are up: a
    /// program that starts threads at once would otherwise wait for each one to instantiate
    /// the module (20-30 ms on two busy cores), and its first threads would run one after
    /// another instead of together (the race example lost no update on a fresh page).
    fn report_ready_when_up(&self, group: &Group) {
        let booted = self.booted.borrow().is_some();
        if self.is_root() && booted && self.threads_up.get() >= self.prestart && !self.ready_reported.replace(true) {
            (group.on_event)(ProcessEvent::Ready);
        }
    }

    fn spawn_thread_worker(self: &Rc<Self>, entry: usize) {
        let (Some(group), Some(memory)) =
            (self.group.upgrade(), self.booted.borrow().as_ref().map(|b| b.memory.clone()))
        else {
            return self.fail("a worker was asked for before the process booted".into());
        };
        let serial = group.host.serial();
        let init = thread_init(&group.host.shared.glue, &memory, &group.segment.clone().into(), serial, entry);
        let started = start_worker(&format!("{} (pid {}) worker {serial}", self.name, self.pid))
            .and_then(|w| w.post_message(&init).map(|_| w));
        match started {
            Ok(worker) => self.adopt(worker),
            Err(e) => self.fail(format!("could not start a worker: {}", describe(e))),
        }
    }

    /// A trap or a load failure: the run's first process fails the run; a child ends with
    /// exit code 1, as a process whose code raised, and its parent goes on.
    fn fail(&self, message: String) {
        if self.ended.get() {
            return;
        }
        let Some(group) = self.group.upgrade() else { return };
        if self.is_root() {
            (group.on_event)(ProcessEvent::Error(message));
        } else {
            web_sys::console::warn_1(&format!("process {} (pid {}) failed: {message}", self.name, self.pid).into());
            group.end_child(self, 1);
        }
    }

    fn drain(&self) -> Result<Vec<Record>, String> {
        match self.booted.borrow().as_ref() {
            Some(b) => b.reader.drain(&JsMemory::from_value(&b.memory)),
            None => Ok(Vec::new()),
        }
    }

    fn terminate(&self) {
        if self.ended.replace(true) {
            return;
        }
        if let Some(b) = self.booted.borrow().as_ref() {
            // Producers waiting for room in the ring stop waiting (they are about to die).
            b.reader.attach(&JsMemory::from_value(&b.memory), false);
        }
        for w in self.workers.borrow_mut().drain(..) {
            w.set_onmessage(None);
            w.set_onerror(None);
            w.terminate();
        }
        // The listeners go with the state, not here: this may run inside one of them.
        self.booted.borrow_mut().take();
    }
}

/// The owner's handle to a run. Dropping it terminates every process of the run.
pub struct Process {
    group: Rc<Group>,
    root: Rc<ProcState>,
    /// Records read but stamped too late to show yet (see `drain`).
    held: RefCell<Vec<ProcessRecords>>,
}

impl Process {
    pub fn pid(&self) -> u32 {
        self.root.pid
    }

    pub fn is_ready(&self) -> bool {
        self.root.booted.borrow().is_some()
    }

    /// Runs an example as the run's first process's program (once).
    pub fn run(&self, example: &str, query: &str) -> Result<(), String> {
        let message = js::object(&[("type", "pp:run".into()), ("example", example.into()), ("query", query.into())]);
        self.root.workers.borrow()[0].post_message(&message).map_err(describe)
    }

    /// The records written since the last call, in time order across processes: runs of
    /// consecutive records of one process. Those stamped after this call began wait for the
    /// next (`console::interleave` says why); `drain_all` at the end of a run holds nothing.
    pub fn drain(&self) -> Result<Vec<ProcessRecords>, String> {
        self.drain_until(crate::platform::clock::stamp_us())
    }

    /// Everything written, held back or not: for when the run has ended.
    pub fn drain_all(&self) -> Result<Vec<ProcessRecords>, String> {
        self.drain_until(u64::MAX)
    }

    fn drain_until(&self, horizon: u64) -> Result<Vec<ProcessRecords>, String> {
        let fresh = self.read_rings()?; // first: on an error, what was held stays held
        let read = self.held.take().into_iter().chain(fresh);
        let keyed = read.map(|p| ((p.pid, p.name, p.root), p.records)).collect();
        let (runs, held) = crate::watch::console::interleave(keyed, horizon);
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
        for p in self.group.processes.borrow().iter().filter(|p| !p.is_root() && !p.ended.get()) {
            out.push(ProcessRecords { pid: p.pid, name: p.name.clone(), root: false, records: p.drain()? });
        }
        out.retain(|p| !p.records.is_empty());
        Ok(out)
    }

    /// The watch tables of the live processes.
    pub fn snapshots(&self) -> Vec<(u32, Snapshot)> {
        self.group
            .processes
            .borrow()
            .iter()
            .filter_map(|p| {
                p.booted.borrow().as_ref().map(|b| (p.pid, b.reader.snapshot(&JsMemory::from_value(&b.memory))))
            })
            .collect()
    }

    /// How many workers the run has now (each process's own included).
    pub fn worker_count(&self) -> usize {
        self.group.processes.borrow().iter().map(|p| p.workers.borrow().len()).sum()
    }

    /// Ends the run at once: every worker of every process, wherever it is.
    pub fn terminate(&self) {
        self.group.terminate_all();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.terminate();
    }
}
