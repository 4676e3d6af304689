//! The host: creates every worker of every process of a run and answers their requests,
//! from a thread that never blocks (the page's main thread; in browser tests, the test's
//! worker).
//!
//! A run ([`Run`], in `run.rs`) is a group of processes sharing one segment (a
//! SharedArrayBuffer the host makes): its first process, and every child that any of them
//! starts. A process ([`process`]) is a worker with a fresh instance and memory; its Python
//! threads run on more workers that the host creates on the process's memory, when it boots
//! and then on request (a worker blocked in Rust cannot start workers itself). The host reads
//! each process's watch table through [`JsMemory`](super::memory::JsMemory) and never waits.
//! Every message is typed ([`pp_platform::messages`]).

mod process;
mod run;

pub use run::Run;

use super::js::{self, start_worker};
use pp_platform::messages::{ProcessStart, Role, ToWorker};
use pp_platform::module::ModuleName;
use pp_platform::worker::Entry;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::Worker;

/// What a run's first process tells its owner.
#[derive(Clone, Debug, PartialEq)]
pub enum ProcessEvent {
    /// Booted, its prestarted workers up: `run` may be called.
    Ready,
    /// The program ended with this exit code (daemon threads may still be running).
    Exit(i32),
    /// A worker of the process failed: a trap (a panic), or a script that did not load.
    Error(String),
}

/// A compiled module a run's workers instantiate: this very module (the Rust ports), or
/// another one built on the same runtime (the Python interpreter), with the URL of its
/// wasm-bindgen glue, and the name a child request knows it by.
#[derive(Clone)]
pub struct Module {
    pub name: ModuleName,
    pub glue: String,
    pub module: JsValue,
    /// Child processes kept instantiated ahead of time for a run of this module (a fresh
    /// memory and the module, ready in a worker), so that `Process.start()` costs a message,
    /// not a worker's start-up. They boot with the run's first process, while the page is
    /// idle.
    pub warm_children: usize,
    /// Whether a process's prestarted thread workers start beside its own worker (told the
    /// glue, given the memory at its boot's end) rather than after its boot. Side by side over
    /// a 20 Mbit/s link: the ports' first line on a fresh page 1,122 -> 1,070 ms (twelve pages
    /// each); the Python tab's 3,927 -> 3,961 ms (sixteen), its boot taking both cores
    /// already, so only the ports do.
    pub early_threads: bool,
}

/// Four for the Rust ports: most of the tutorial's examples start at most four processes at
/// once (a cold start takes 50-150 ms here while the others run).
pub const WARM_CHILDREN: usize = 4;

impl Module {
    /// The module the calling code is part of, named `name`.
    pub fn this(name: &str) -> Module {
        Module {
            name: ModuleName::new(name),
            glue: js::GLUE_URL.with(Clone::clone),
            module: wasm_bindgen::module(),
            warm_children: WARM_CHILDREN,
            early_threads: true,
        }
    }

    /// Another module built on the runtime (instantiated from `glue`), named `name`, with
    /// `warm_children` kept ready for its runs; its threads' workers start after a process's
    /// boot (`early_threads`).
    pub fn other(name: &str, glue: String, module: JsValue, warm_children: usize) -> Module {
        Module { name: ModuleName::new(name), glue, module, warm_children, early_threads: false }
    }
}

/// Creates runs. One per page (or per test).
#[derive(Clone)]
pub struct Host {
    shared: Rc<HostShared>,
}

struct HostShared {
    /// Serial numbers of workers: `native_id` in the runs.
    next_serial: Cell<u32>,
    next_pid: Cell<u32>,
    /// The modules a child request may name: every module a run was started in, and those
    /// added.
    modules: RefCell<Vec<Module>>,
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
                next_serial: Cell::new(1),
                next_pid: Cell::new(1000),
                modules: RefCell::new(Vec::new()),
            }),
        }
    }

    fn serial(&self) -> u32 {
        let s = self.shared.next_serial.get();
        self.shared.next_serial.set(s + 1);
        s
    }

    fn pid(&self) -> u32 {
        let pid = self.shared.next_pid.get();
        self.shared.next_pid.set(pid + 1);
        pid
    }

    /// Lets a child request name `module` (a module of the same name is replaced).
    pub fn add_module(&self, module: &Module) {
        let mut modules = self.shared.modules.borrow_mut();
        modules.retain(|m| m.name != module.name);
        modules.push(module.clone());
    }

    /// The module a child request names.
    fn module(&self, name: &ModuleName) -> Option<Module> {
        self.shared.modules.borrow().iter().find(|m| &m.name == name).cloned()
    }

    /// Starts a run's first process (with a fresh segment) of `module`, which child requests
    /// may name from then on; `on_event` hears of it from the host's event loop.
    pub fn start_process(
        &self,
        name: &str,
        module: &Module,
        on_event: impl Fn(ProcessEvent) + 'static,
    ) -> Result<Run, String> {
        self.add_module(module);
        Run::start(self, name, module, Box::new(on_event))
    }

    /// Starts one worker on *this* instance's memory, with no segment (browser tests: the
    /// test's own memory is the process).
    pub fn start_local_worker(&self, entry: Entry) -> Result<Worker, String> {
        let serial = self.serial();
        let worker = start_worker(&format!("local worker {serial}")).map_err(describe)?;
        let this = Module::this("local");
        let init = ToWorker::Init {
            glue: this.glue,
            module: this.module,
            memory: wasm_bindgen::memory(),
            segment: JsValue::UNDEFINED,
            role: Role::Thread { serial, entry },
        };
        worker.post_message(&init.to_js()?).map_err(describe)?;
        Ok(worker)
    }
}

/// What a process worker is told to be: a run's first process, or a child.
fn process_start(
    host: &Host,
    module: &Module,
    name: &str,
    pid: u32,
    prestart: u32,
    child: Option<&[u8]>,
) -> ProcessStart {
    ProcessStart {
        name: name.to_string(),
        module: module.name.clone(),
        pid,
        serial: host.serial(),
        prestart,
        child: child.map_or(JsValue::NULL, |bytes| js_sys::Uint8Array::from(bytes).into()),
    }
}

/// A JS event listener kept alive as long as a worker may call it.
type Listener = Closure<dyn FnMut(JsValue)>;

/// A JS error as text.
pub fn describe(e: JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string()))
        .unwrap_or_else(|| format!("{e:?}"))
}
