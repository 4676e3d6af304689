//! One process of a run as the host keeps it: its workers (its own first, then its thread
//! workers), what it said when it booted (its memory, where its watch table is), and its
//! messages.

use super::{describe, Listener, Module, ProcessEvent};
use crate::js::start_worker;
use crate::memory::JsMemory;
use pp_platform::messages::{FromWorker, ToWorker};
use pp_platform::worker::Entry;
use pp_runtime::watch::graph::Snapshot;
use pp_runtime::watch::reader::TableReader;
use pp_runtime::watch::Record;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// What a process asks of the run it belongs to (the run's `Group` answers): the process
/// does not know the run's type, so the two modules do not depend on each other.
pub(super) trait Owner {
    /// Tells the run's owner (the run's first process reports its events there).
    fn event(&self, event: ProcessEvent);
    /// Starts a child process for the serialized request of a process of `parent`.
    fn start_child(&self, request: Vec<u8>, parent: &Module) -> Result<(), String>;
    /// Ends the child `pid` with exit code `code`.
    fn end_child(&self, pid: u32, code: i32);
    /// The `pp:init` of one more thread worker of `module` on `memory`, with its serial number.
    fn thread_init(&self, module: &Module, memory: JsValue, entry: Entry) -> (u32, ToWorker);
}

struct Booted {
    memory: JsValue,
    reader: TableReader,
}

pub(super) struct ProcState {
    owner: Weak<dyn Owner>,
    /// What its workers instantiate: the run's module, or the one its request named.
    module: Module,
    pub(super) name: String,
    pub(super) pid: u32,
    /// A child's record in the segment; `None` for the run's first process.
    pub(super) record: Option<u32>,
    prestart: u32,
    /// Thread workers that have instantiated the module (they say `pp:thread-up`).
    threads_up: Cell<u32>,
    /// The run's first process reports `Ready` once, when its prestarted workers are up.
    ready_reported: Cell<bool>,
    /// The process's own worker first, then its thread workers.
    workers: RefCell<Vec<Worker>>,
    /// Thread workers started beside the process's own (its module's `early_threads`), told
    /// the glue and waiting for their `pp:init`, which needs the process's memory (known at
    /// `Ready`): their own start (a thread, a script, the glue's import: 100-150 ms on a fresh
    /// page's two busy cores) no longer follows the boot.
    waiting: RefCell<Vec<Worker>>,
    booted: RefCell<Option<Booted>>,
    /// Kept alive as long as the workers may call them.
    listeners: RefCell<Vec<Listener>>,
    ended: Cell<bool>,
}

impl ProcState {
    pub(super) fn new(
        owner: Weak<dyn Owner>,
        module: &Module,
        name: &str,
        pid: u32,
        record: Option<u32>,
        prestart: u32,
    ) -> Rc<ProcState> {
        Rc::new(ProcState {
            owner,
            module: module.clone(),
            name: name.to_string(),
            pid,
            record,
            prestart,
            threads_up: Cell::new(0),
            ready_reported: Cell::new(false),
            workers: RefCell::new(Vec::new()),
            waiting: RefCell::new(Vec::new()),
            booted: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
            ended: Cell::new(false),
        })
    }

    pub(super) fn is_root(&self) -> bool {
        self.record.is_none()
    }

    pub(super) fn ended(&self) -> bool {
        self.ended.get()
    }

    pub(super) fn is_booted(&self) -> bool {
        self.booted.borrow().is_some()
    }

    pub(super) fn worker_count(&self) -> usize {
        self.workers.borrow().len()
    }

    /// Tells the process's own worker `message`.
    pub(super) fn post(&self, message: &ToWorker) -> Result<(), String> {
        let workers = self.workers.borrow();
        let worker = workers.first().ok_or("the process has no worker")?;
        worker.post_message(&message.to_js()?).map_err(describe)
    }

    /// Starts the process's prestarted thread workers now, to be given the module at `Ready`.
    pub(super) fn start_waiting_workers(self: &Rc<Self>) {
        for _ in 0..self.prestart {
            match start_worker(&format!("{} (pid {}) thread worker", self.name, self.pid)) {
                Ok(worker) => {
                    self.adopt(worker.clone());
                    let load = ToWorker::Load { glue: self.module.glue.clone() };
                    if let Err(e) = load.to_js().and_then(|m| worker.post_message(&m).map_err(describe)) {
                        // Its pp:init imports the glue then.
                        web_sys::console::warn_1(&format!("a thread worker was not told the glue early: {e}").into());
                    }
                    self.waiting.borrow_mut().push(worker);
                }
                // Made when asked for instead (spawn_thread_worker).
                Err(e) => web_sys::console::warn_1(&format!("a thread worker could not start early: {e:?}").into()),
            }
        }
    }

    /// Listens to a worker of this process.
    pub(super) fn adopt(self: &Rc<Self>, worker: Worker) {
        let weak: Weak<ProcState> = Rc::downgrade(self);
        let on_message = Listener::new({
            let weak = weak.clone();
            move |event: JsValue| {
                if let Some(state) = weak.upgrade() {
                    match FromWorker::from_js(&event.unchecked_into::<MessageEvent>().data()) {
                        Ok(message) => state.on_message(message),
                        Err(e) => state.fail(e),
                    }
                }
            }
        });
        let on_error = Listener::new(move |event: JsValue| {
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

    fn on_message(self: &Rc<Self>, message: FromWorker) {
        if self.ended.get() {
            return;
        }
        let Some(owner) = self.owner.upgrade() else { return };
        match message {
            FromWorker::Ready { memory, table } => {
                let booted = Booted { memory, reader: TableReader::new(table as usize) };
                if let Err(e) = booted.reader.check(&JsMemory::from_value(&booted.memory)) {
                    return self.fail(e);
                }
                *self.booted.borrow_mut() = Some(booted);
                for _ in 0..self.prestart {
                    self.spawn_thread_worker(Entry::ThreadPool);
                }
                self.report_ready_when_up(&*owner);
            }
            FromWorker::ThreadUp => {
                self.threads_up.set(self.threads_up.get() + 1);
                self.report_ready_when_up(&*owner);
            }
            FromWorker::Spawn { entry } => self.spawn_thread_worker(entry),
            FromWorker::Process { request } => {
                if let Err(e) = owner.start_child(request.to_vec(), &self.module) {
                    self.fail(format!("could not start a process: {e}"));
                }
            }
            FromWorker::Terminate { pid, signal, .. } => owner.end_child(pid, -(signal as i32)),
            FromWorker::Exit { code } => {
                if self.is_root() {
                    owner.event(ProcessEvent::Exit(code));
                } else {
                    owner.end_child(self.pid, code);
                }
            }
            FromWorker::Error { message } => self.fail(message),
            FromWorker::Warm => {}
        }
    }

    /// The run's program starts only once its process's idle thread workers are up: a
    /// program that starts threads at once would otherwise wait for each one to instantiate
    /// the module (20-30 ms on two busy cores), and its first threads would run one after
    /// another instead of together (the race example lost no update on a fresh page).
    fn report_ready_when_up(&self, owner: &dyn Owner) {
        let booted = self.booted.borrow().is_some();
        if self.is_root() && booted && self.threads_up.get() >= self.prestart && !self.ready_reported.replace(true) {
            owner.event(ProcessEvent::Ready);
        }
    }

    fn spawn_thread_worker(self: &Rc<Self>, entry: Entry) {
        let (Some(owner), Some(memory)) =
            (self.owner.upgrade(), self.booted.borrow().as_ref().map(|b| b.memory.clone()))
        else {
            return self.fail("a worker was asked for before the process booted".into());
        };
        let (serial, init) = owner.thread_init(&self.module, memory, entry);
        let waiting = self.waiting.borrow_mut().pop();
        let started = init.to_js().and_then(|init| {
            let worker = match waiting {
                Some(worker) => worker,
                None => {
                    let worker =
                        start_worker(&format!("{} (pid {}) worker {serial}", self.name, self.pid)).map_err(describe)?;
                    self.adopt(worker.clone());
                    worker
                }
            };
            worker.post_message(&init).map_err(describe)
        });
        if let Err(e) = started {
            self.fail(format!("could not start a worker: {e}"));
        }
    }

    /// A trap or a load failure: the run's first process fails the run; a child ends with
    /// exit code 1, as a process whose code raised, and its parent goes on.
    fn fail(&self, message: String) {
        if self.ended.get() {
            return;
        }
        let Some(owner) = self.owner.upgrade() else { return };
        if self.is_root() {
            owner.event(ProcessEvent::Error(message));
        } else {
            web_sys::console::warn_1(&format!("process {} (pid {}) failed: {message}", self.name, self.pid).into());
            owner.end_child(self.pid, 1);
        }
    }

    pub(super) fn drain(&self) -> Result<Vec<Record>, String> {
        match self.booted.borrow().as_ref() {
            Some(b) => b.reader.drain(&JsMemory::from_value(&b.memory)),
            None => Ok(Vec::new()),
        }
    }

    pub(super) fn snapshot(&self) -> Option<Snapshot> {
        self.booted.borrow().as_ref().map(|b| b.reader.snapshot(&JsMemory::from_value(&b.memory)))
    }

    /// Step mode: lets `thread` go on (`None`: lets every thread go, stepping off).
    pub(super) fn step(&self, thread: Option<u32>) {
        if let Some(b) = self.booted.borrow().as_ref() {
            let mem = JsMemory::from_value(&b.memory);
            match thread {
                Some(id) => b.reader.grant_turn(&mem, id),
                None => b.reader.stop_stepping(&mem),
            }
        }
    }

    pub(super) fn terminate(&self) {
        if self.ended.replace(true) {
            return;
        }
        if let Some(b) = self.booted.borrow().as_ref() {
            // Producers waiting for room in the ring stop waiting (they are about to die).
            b.reader.attach(&JsMemory::from_value(&b.memory), false);
        }
        self.waiting.borrow_mut().clear();
        for w in self.workers.borrow_mut().drain(..) {
            w.set_onmessage(None);
            w.set_onerror(None);
            w.terminate();
        }
        // The listeners go with the state, not here: this may run inside one of them.
        self.booted.borrow_mut().take();
    }
}
