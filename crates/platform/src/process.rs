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
