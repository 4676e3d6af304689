//! Starting one more worker: an OS thread natively, a web worker in the browser.
//!
//! In the browser a worker that is blocked in Rust cannot start a child worker (the child
//! only starts once its creator's event loop turns, see Emscripten's pthread notes), so a
//! run never creates workers itself: it *asks* its host (the UI's main thread, or the test
//! harness's worker), which never blocks, to create one and point it at `entry`. The request
//! is a `postMessage`, which does not wait. The caller must therefore not assume the worker
//! exists when this returns: the worker pool (`threading::workers`) hands work over through
//! shared memory, so it does not matter when the worker arrives.

/// Asks for a new worker that runs `entry` on this process's memory and then ends.
pub fn request_worker(entry: fn()) {
    imp::request_worker(entry)
}

/// The OS-level thread we run on: `gettid()` natively, the host's serial number of the
/// worker in the browser (Python's `threading.get_native_id()`).
pub fn native_id() -> u64 {
    imp::native_id()
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    pub fn request_worker(entry: fn()) {
        std::thread::Builder::new().name("pp-worker".into()).spawn(entry).expect("the OS refused to start a thread");
    }

    pub fn native_id() -> u64 {
        // SAFETY: gettid has no preconditions.
        unsafe { libc::gettid() as u64 }
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use std::cell::Cell;

    thread_local! {
        static WORKER_SERIAL: Cell<u64> = const { Cell::new(0) };
    }

    pub fn request_worker(entry: fn()) {
        // A function pointer is an index into the module's table, the same in every
        // instance of the module, so it means the same function in the new worker.
        crate::web::messages::post_to_host_spawn(entry as usize);
    }

    pub fn native_id() -> u64 {
        WORKER_SERIAL.with(Cell::get)
    }

    /// Called once by the worker bootstrap with the serial number the host gave the worker.
    pub fn set_native_id(serial: u64) {
        WORKER_SERIAL.with(|s| s.set(serial));
    }
}

#[cfg(target_arch = "wasm32")]
pub use imp::set_native_id;
