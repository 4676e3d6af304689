//! Starting one more worker: an OS thread natively, a web worker in the browser.
//!
//! In the browser a worker that is blocked in Rust cannot start a child worker (the child
//! only starts once its creator's event loop turns, see Emscripten's pthread notes), so a
//! run never creates workers itself: it *asks* its host (the UI's main thread, or the test
//! harness's worker), which never blocks, to create one and point it at an [`Entry`]. The
//! request is a `postMessage`, which does not wait. The caller must therefore not assume the
//! worker exists when this returns: the worker pool (`threading::workers`) hands work over
//! through shared memory, so it does not matter when the worker arrives.
//!
//! What a new worker runs is named by an [`Entry`], never by a function pointer: the request
//! crosses to the host (another instance) and back. The layer that owns an entry registers
//! its function ([`set_entry`]) in the memory the worker will share, before it asks.

pub use super::WorkerEntry as Entry;
use std::sync::OnceLock;

const ENTRIES: usize = 1;
static FUNCTIONS: [OnceLock<fn()>; ENTRIES] = [const { OnceLock::new() }];

fn index(entry: Entry) -> usize {
    match entry {
        Entry::ThreadPool => 0,
    }
}

/// Registers what `entry` runs in this memory (the first registration stays).
pub fn set_entry(entry: Entry, f: fn()) {
    let _ = FUNCTIONS[index(entry)].get_or_init(|| f);
}

/// Runs `entry` on the calling worker; panics if nothing registered it in this memory.
pub fn run_entry(entry: Entry) {
    let f =
        FUNCTIONS[index(entry)].get().unwrap_or_else(|| panic!("no function registered for worker entry {entry:?}"));
    f()
}

/// Asks for a new worker that runs `entry` on this process's memory and then ends.
pub fn request_worker(entry: Entry) {
    imp::request_worker(entry)
}

/// The OS-level thread we run on: `gettid()` natively, the host's serial number of the
/// worker in the browser (Python's `threading.get_native_id()`).
pub fn native_id() -> u64 {
    imp::native_id()
}

/// `multiprocessing.cpu_count()`: the browser's `navigator.hardwareConcurrency`, or the
/// machine's logical cores natively.
pub fn cpu_count() -> usize {
    imp::cpu_count()
}

/// What this process's own memory holds now, in bytes: its wasm memory in the browser (what
/// a process costs); `None` natively, where a process is a thread of the test's OS process.
pub fn memory_bytes() -> Option<usize> {
    imp::memory_bytes()
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::Entry;

    pub fn request_worker(entry: Entry) {
        std::thread::Builder::new()
            .name("pp-worker".into())
            .spawn(move || super::run_entry(entry))
            .expect("the OS refused to start a thread");
    }

    pub fn native_id() -> u64 {
        // SAFETY: gettid has no preconditions.
        unsafe { libc::gettid() as u64 }
    }

    pub fn cpu_count() -> usize {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }

    pub fn memory_bytes() -> Option<usize> {
        None
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::Entry;
    use std::cell::Cell;
    use wasm_bindgen::prelude::*;

    thread_local! {
        static WORKER_SERIAL: Cell<u64> = const { Cell::new(0) };
    }

    pub fn request_worker(entry: Entry) {
        crate::messages::post(&crate::messages::FromWorker::Spawn { entry });
    }

    pub fn native_id() -> u64 {
        WORKER_SERIAL.with(Cell::get)
    }

    /// Called once by a worker's start-up with the serial number the host gave the worker.
    pub fn set_native_id(serial: u64) {
        WORKER_SERIAL.with(|s| s.set(serial));
    }

    pub fn cpu_count() -> usize {
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator"))
            .and_then(|n| js_sys::Reflect::get(&n, &JsValue::from_str("hardwareConcurrency")))
            .ok()
            .and_then(|v| v.as_f64())
            .map_or(1, |n| n as usize)
    }

    pub fn memory_bytes() -> Option<usize> {
        Some(core::arch::wasm32::memory_size(0) * 65536)
    }
}

#[cfg(target_arch = "wasm32")]
pub use imp::set_native_id;
