//! The one protocol between the host (the page, or a browser test's worker) and its workers:
//! one enum per direction, serialized with serde-wasm-bindgen as `{type: "pp:...", data}`. JS
//! objects that must cross as they are (the module, a memory, the segment's buffer, bytes)
//! are passed through untouched (`serde_wasm_bindgen::preserve`). The enums are adjacently
//! tagged, not internally: serde buffers an internally tagged message through its generic
//! `Content`, which would lose those objects; with the tag first, nothing is buffered. The only JavaScript that reads a message is the bootstrap
//! (`crates/web/js/worker.js`), and it reads just enough to instantiate the module (`glue`, `module`,
//! `memory`) before it hands the message to [`pp_web`].
//!
//! Every message is namespaced `pp:`; the table of what each means is in `crates/web/README.md`.

use super::module::ModuleName;
pub use super::request::RunRequest;
use super::WorkerEntry as Entry;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// From the host to a worker.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum ToWorker {
    /// Instantiate `module` (with `memory`, or a fresh one), attach the run's `segment` (if
    /// any: a browser test's own workers have none), and become what `role` says.
    #[serde(rename = "pp:init")]
    Init {
        glue: String,
        #[serde(with = "serde_wasm_bindgen::preserve")]
        module: JsValue,
        #[serde(with = "serde_wasm_bindgen::preserve")]
        memory: JsValue,
        #[serde(with = "serde_wasm_bindgen::preserve")]
        segment: JsValue,
        role: Role,
    },
    /// To a thread worker started before its process's memory is known: import the glue now
    /// (the bootstrap does; its `pp:init` imports the same module, loaded or on its way).
    #[serde(rename = "pp:load")]
    Load { glue: String },
    /// To a warm process worker: be this child.
    #[serde(rename = "pp:child")]
    Child(ProcessStart),
    /// To a warm process worker, once the run's first process has booted: ready yourself for
    /// a child while you wait (before, it would take the cores that process boots on).
    #[serde(rename = "pp:prepare")]
    Prepare,
    /// To a run's first process, once booted: run this program.
    #[serde(rename = "pp:run")]
    Run(RunRequest),
}

/// What a worker is.
#[derive(Debug, Serialize, Deserialize)]
pub enum Role {
    /// One more worker on a process's memory, running `entry` for good.
    Thread { serial: u32, entry: Entry },
    /// A process: a fresh memory.
    Process(ProcessStart),
    /// A child process booted ahead of time: it waits for [`ToWorker::Child`].
    WarmProcess,
}

/// Who a process is.
#[derive(Debug, Serialize, Deserialize)]
pub struct ProcessStart {
    pub name: String,
    /// The module the process runs, by the name its host knows it by.
    pub module: ModuleName,
    pub pid: u32,
    /// The worker's serial number (`threading.get_native_id()`).
    pub serial: u32,
    /// Thread workers the host starts with it.
    pub prestart: u32,
    /// A child's request (`multiprocessing::process::ChildRequest`, as bytes); `null` for a
    /// run's first process.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    pub child: JsValue,
}

/// From a worker to its host.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum FromWorker {
    /// A process booted: here are its memory and its watch table's address.
    #[serde(rename = "pp:ready")]
    Ready {
        #[serde(with = "serde_wasm_bindgen::preserve")]
        memory: JsValue,
        table: u32,
    },
    /// A thread worker instantiated the module on its process's memory.
    #[serde(rename = "pp:thread-up")]
    ThreadUp,
    /// One more worker on my memory, please, running `entry`.
    #[serde(rename = "pp:spawn")]
    Spawn { entry: Entry },
    /// Start a child process (a serialized `ChildRequest`).
    #[serde(rename = "pp:process")]
    Process {
        #[serde(with = "serde_wasm_bindgen::preserve")]
        request: js_sys::Uint8Array,
    },
    /// End that child now.
    #[serde(rename = "pp:terminate")]
    Terminate { pid: u32, record: u32, signal: u32 },
    /// A warm process worker is instantiated and waits to be told who to be.
    #[serde(rename = "pp:warm")]
    Warm,
    /// The program (or the child's target) ended.
    #[serde(rename = "pp:exit")]
    Exit { code: i32 },
    /// A trap (a Rust panic: panic=abort) or a load failure.
    #[serde(rename = "pp:error")]
    Error { message: String },
}

impl ToWorker {
    pub fn to_js(&self) -> Result<JsValue, String> {
        to_js(self)
    }

    pub fn from_js(value: &JsValue) -> Result<ToWorker, String> {
        from_js(value)
    }
}

impl FromWorker {
    pub fn to_js(&self) -> Result<JsValue, String> {
        to_js(self)
    }

    pub fn from_js(value: &JsValue) -> Result<FromWorker, String> {
        from_js(value)
    }
}

fn to_js(value: &impl Serialize) -> Result<JsValue, String> {
    value.serialize(&serde_wasm_bindgen::Serializer::new()).map_err(|e| format!("unsendable message: {e}"))
}

fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value.clone()).map_err(|e| format!("unreadable message: {e}"))
}

/// Tells this worker's host `message`, without waiting: `postMessage` to `self` reaches the
/// `Worker` object the host holds (every worker of a run was created by the host).
pub fn post(message: &FromWorker) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    // Only a worker has a host, and every message serializes: a failure is a bug here.
    let value = message.to_js().expect("a message to the host serializes");
    scope.post_message(&value).expect("postMessage to the host");
}
