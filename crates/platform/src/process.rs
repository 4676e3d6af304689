//! Starting and ending a child process: a web worker with a fresh memory in the browser, a
//! thread with a runtime of its own natively.
//!
//! In the browser a child is started by the host, which boots a worker that reads the request
//! and runs it (`web`'s `pp_process_child`); the caller only posts the request. Natively the
//! child is a thread running `native`, which the caller builds from the same request (plus
//! what only a thread can be handed: the parent's segment). Natively a thread cannot be
//! killed, so `terminate` sets the child's stop word and the child stops at its next
//! blocking point or print ([`super::stop`]).

use super::segment::Segment;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// A compiled module's name, as the browser's host knows the modules a run may start a
/// process in (the playground's ports, the Python interpreter): a child request names one
/// (`None`: its parent's), never a URL or a module object, which mean nothing in another
/// instance. Natively a child is a thread of the one binary and the name is only carried.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ModuleName(String);

impl ModuleName {
    pub fn new(name: &str) -> ModuleName {
        ModuleName(name.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ModuleName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

static THIS_MODULE: OnceLock<ModuleName> = OnceLock::new();

/// Says which module this process's memory runs (the browser's worker side, when a process
/// boots; the first call in a memory stays).
pub fn set_this_module(name: ModuleName) {
    let _ = THIS_MODULE.set(name);
}

/// The module this process runs, as its host named it; `None` natively and in a browser
/// test's own memory, where no host started the process.
pub fn this_module() -> Option<&'static ModuleName> {
    THIS_MODULE.get()
}

/// Whether terminating a process is cooperative here: natively a thread cannot be killed, so
/// a child watches a stop word; in the browser the host terminates its workers.
pub const COOPERATIVE_TERMINATE: bool = cfg!(not(target_arch = "wasm32"));

/// Starts a child process for `request` (the serialized `multiprocessing` child request).
pub fn launch(name: &str, request: &[u8], native: impl FnOnce() + Send + 'static) {
    imp::launch(name, request, native)
}

/// Ends a child process now with `signal` (15 terminate, 9 kill). `record` is its record in
/// the segment (the host writes its exit code there); `stop_word` the word natively set.
pub fn terminate(segment: &Segment, pid: u32, record: u32, stop_word: u32, signal: u32) {
    imp::terminate(segment, pid, record, stop_word, signal)
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::Segment;

    pub fn launch(name: &str, _request: &[u8], native: impl FnOnce() + Send + 'static) {
        std::thread::Builder::new()
            .name(name.to_string())
            .spawn(native)
            .expect("the OS refused to start a thread for a process");
    }

    pub fn terminate(segment: &Segment, _pid: u32, _record: u32, stop_word: u32, signal: u32) {
        segment.store(stop_word, signal);
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::Segment;
    use crate::messages::{post, FromWorker};

    pub fn launch(_name: &str, request: &[u8], _native: impl FnOnce() + Send + 'static) {
        post(&FromWorker::Process { request: js_sys::Uint8Array::from(request) });
    }

    pub fn terminate(_segment: &Segment, pid: u32, record: u32, _stop_word: u32, signal: u32) {
        post(&FromWorker::Terminate { pid, record, signal });
    }
}
