//! The host: creates every worker of every process and answers their requests, from a
//! thread that never blocks (the page's main thread; in browser tests, the test's worker).
//!
//! A process is a worker with a fresh instance and memory. Its Python threads run on more
//! workers that the host creates on the process's memory: a few when it boots, then one
//! per `pp:spawn` request (a worker blocked in Rust cannot start workers itself). The host
//! reads the process's watch table through [`JsMemory`] and never waits on it. Terminating
//! a process terminates all of its workers; its memory goes with the last reference.

use super::js::{self, start_worker, GLUE_URL};
use super::memory::JsMemory;
use crate::watch::graph::Snapshot;
use crate::watch::reader::TableReader;
use crate::watch::Record;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// What a process tells its owner.
#[derive(Clone, Debug, PartialEq)]
pub enum ProcessEvent {
    /// Booted, its prestarted workers requested: `run` may be called.
    Ready,
    /// The program ended with this exit code (daemon threads may still be running).
    Exit(i32),
    /// A worker of the process failed: a trap (a panic), or a script that did not load.
    Error(String),
}

/// Creates processes. One per page (or per test).
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

    /// Starts a process worker; `on_event` hears of it from the host's event loop.
    pub fn start_process(&self, name: &str, on_event: impl Fn(ProcessEvent) + 'static) -> Result<Process, String> {
        let pid = self.shared.next_pid.get();
        self.shared.next_pid.set(pid + 1);
        let serial = self.serial();
        let worker = start_worker(&format!("{name} (pid {pid})")).map_err(describe)?;
        let state = Rc::new(ProcState {
            host: self.clone(),
            name: name.to_string(),
            pid,
            workers: RefCell::new(Vec::new()),
            booted: RefCell::new(None),
            on_event: Box::new(on_event),
            listeners: RefCell::new(Vec::new()),
            ended: Cell::new(false),
        });
        state.adopt(worker.clone());
        let init = js::object(&[
            ("type", "pp:init".into()),
            ("role", "process".into()),
            ("glue", self.shared.glue.as_str().into()),
            ("module", wasm_bindgen::module()),
            ("name", name.into()),
            ("pid", pid.into()),
            ("serial", (serial as f64).into()),
            ("prestart", super::PRESTARTED_WORKERS.into()),
        ]);
        worker.post_message(&init).map_err(describe)?;
        Ok(Process { state })
    }

    /// Starts one worker on *this* instance's memory (browser tests: the test's own
    /// memory is the process).
    pub fn start_local_worker(&self, entry: usize) -> Result<Worker, String> {
        let serial = self.serial();
        let worker = start_worker(&format!("local worker {serial}")).map_err(describe)?;
        worker
            .post_message(&thread_init(&self.shared.glue, &wasm_bindgen::memory(), serial, entry))
            .map_err(describe)?;
        Ok(worker)
    }
}

fn thread_init(glue: &str, memory: &JsValue, serial: u64, entry: usize) -> JsValue {
    js::object(&[
        ("type", "pp:init".into()),
        ("role", "thread".into()),
        ("glue", glue.into()),
        ("module", wasm_bindgen::module()),
        ("memory", memory.clone()),
        ("serial", (serial as f64).into()),
        ("entry", (entry as f64).into()),
    ])
}

pub fn describe(e: JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string()))
        .unwrap_or_else(|| format!("{e:?}"))
}

struct Booted {
    memory: JsValue,
    reader: TableReader,
}

struct ProcState {
    host: Host,
    name: String,
    pid: u32,
    /// The process's own worker first, then its thread workers.
    workers: RefCell<Vec<Worker>>,
    booted: RefCell<Option<Booted>>,
    on_event: Box<dyn Fn(ProcessEvent)>,
    /// Kept alive as long as the workers may call them.
    listeners: RefCell<Vec<Closure<dyn FnMut(JsValue)>>>,
    ended: Cell<bool>,
}

impl ProcState {
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
        match js::get_str(data, "type").as_deref() {
            Some("pp:ready") => {
                let entry = js::get_f64(data, "entry").unwrap_or(0.0) as usize;
                let booted = Booted {
                    memory: js::get(data, "memory"),
                    reader: TableReader::new(js::get_f64(data, "table").unwrap_or(0.0) as usize),
                };
                if let Err(e) = booted.reader.check(&JsMemory::from_value(&booted.memory)) {
                    return self.fail(e);
                }
                *self.booted.borrow_mut() = Some(booted);
                for _ in 0..super::PRESTARTED_WORKERS {
                    self.spawn_thread_worker(entry);
                }
                (self.on_event)(ProcessEvent::Ready);
            }
            Some("pp:spawn") => {
                let entry = js::get_f64(data, "entry").unwrap_or(0.0) as usize;
                self.spawn_thread_worker(entry);
            }
            Some("pp:exit") => (self.on_event)(ProcessEvent::Exit(js::get_f64(data, "code").unwrap_or(1.0) as i32)),
            Some("pp:error") => self.fail(js::get_str(data, "message").unwrap_or_default()),
            _ => {}
        }
    }

    fn spawn_thread_worker(self: &Rc<Self>, entry: usize) {
        let memory = match self.booted.borrow().as_ref() {
            Some(b) => b.memory.clone(),
            None => return self.fail("a worker was asked for before the process booted".into()),
        };
        let serial = self.host.serial();
        let started = start_worker(&format!("{} (pid {}) worker {serial}", self.name, self.pid))
            .and_then(|w| w.post_message(&thread_init(&self.host.shared.glue, &memory, serial, entry)).map(|_| w));
        match started {
            Ok(worker) => self.adopt(worker),
            Err(e) => self.fail(format!("could not start a worker: {}", describe(e))),
        }
    }

    fn fail(&self, message: String) {
        if !self.ended.get() {
            (self.on_event)(ProcessEvent::Error(message));
        }
    }
}

/// The owner's handle to a process. Dropping it terminates the process.
pub struct Process {
    state: Rc<ProcState>,
}

impl Process {
    pub fn pid(&self) -> u32 {
        self.state.pid
    }

    pub fn is_ready(&self) -> bool {
        self.state.booted.borrow().is_some()
    }

    /// Runs an example as the process's program (once per process).
    pub fn run(&self, example: &str, query: &str) -> Result<(), String> {
        let message = js::object(&[("type", "pp:run".into()), ("example", example.into()), ("query", query.into())]);
        self.state.workers.borrow()[0].post_message(&message).map_err(describe)
    }

    /// Every record written since the last call.
    pub fn drain(&self) -> Result<Vec<Record>, String> {
        match self.state.booted.borrow().as_ref() {
            Some(b) => b.reader.drain(&JsMemory::from_value(&b.memory)),
            None => Ok(Vec::new()),
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        match self.state.booted.borrow().as_ref() {
            Some(b) => b.reader.snapshot(&JsMemory::from_value(&b.memory)),
            None => Snapshot::default(),
        }
    }

    /// How many workers the process has (its own included).
    pub fn worker_count(&self) -> usize {
        self.state.workers.borrow().len()
    }

    /// Ends the process and all its threads at once, wherever they are.
    pub fn terminate(&self) {
        if self.state.ended.replace(true) {
            return;
        }
        if let Some(b) = self.state.booted.borrow().as_ref() {
            // Producers waiting for room in the ring stop waiting (they are about to die).
            b.reader.attach(&JsMemory::from_value(&b.memory), false);
        }
        for w in self.state.workers.borrow_mut().drain(..) {
            w.set_onmessage(None);
            w.set_onerror(None);
            w.terminate();
        }
        // The listeners go with the state, not here: this may run inside one of them.
        self.state.booted.borrow_mut().take();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.terminate();
    }
}
