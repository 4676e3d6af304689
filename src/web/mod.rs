//! The browser half of the runtime (wasm only): the entry points `www/worker.js` calls in a
//! worker, the host that creates and watches workers from a thread that never blocks, and
//! the view of another instance's memory the host reads through.
//!
//! See `src/web/README.md` for the life of a run.

pub mod host;
pub mod js;
pub mod memory;
pub mod messages;
pub mod testing;

use crate::multiprocessing::process::ChildRequest;
use crate::runtime::{self, ProcessConfig, Runtime};
use std::sync::OnceLock;
use wasm_bindgen::prelude::*;

/// This process's runtime, booted once per memory by [`pp_process_boot`].
static BOOTED: OnceLock<&'static Runtime> = OnceLock::new();
/// What a child process runs, when this process is one.
static CHILD: OnceLock<ChildRequest> = OnceLock::new();

/// Workers the host starts with a run's first process, before any thread asks: enough for
/// most of the tutorial's examples to start every thread without waiting for a worker.
pub const PRESTARTED_WORKERS: u32 = 4;

/// The bytes of a process's console and event ring.
const RING_BYTES: usize = 1 << 20;

/// Gives this worker the run's shared segment (every worker, at start-up).
#[wasm_bindgen]
pub fn pp_attach_segment(buffer: js_sys::SharedArrayBuffer) {
    crate::platform::segment::attach(&buffer);
}

/// Boots a process worker's runtime (its table exists from now on) and tells the host where
/// things are: the memory, the table, and the workers' entry point. `child` is a child
/// process's request; a run's first process has none (and formats the segment).
#[wasm_bindgen]
pub fn pp_process_boot(
    name: String,
    pid: u32,
    serial: f64,
    prestart: u32,
    child: Option<Vec<u8>>,
) -> Result<JsValue, JsValue> {
    crate::platform::alloc::arm_this_thread();
    crate::platform::spawn::set_native_id(serial as u64);
    seed_random();
    install_panic_hook();
    let identity = match child {
        Some(bytes) => {
            let request = ChildRequest::decode(&bytes).map_err(|e| JsValue::from_str(&e))?;
            let identity = request.identity.clone();
            let _ = CHILD.set(request);
            identity
        }
        None => {
            crate::platform::segment::Segment.init_header();
            runtime::ProcessIdentity { name, ..runtime::ProcessIdentity::main(pid) }
        }
    };
    // The GIL is decided when the program starts (`pp_process_run`): a spare boots first.
    let config = ProcessConfig { process: identity, ring_capacity: RING_BYTES, consumer: true, gil: false };
    let rt = *BOOTED.get_or_init(|| runtime::boot(&config));
    crate::threading::workers::workers().expect_prestarted(prestart as usize);
    Ok(js::object(&[
        ("memory", wasm_bindgen::memory()),
        ("table", JsValue::from(rt.table as *const _ as usize as f64)),
        ("entry", JsValue::from(crate::threading::workers::worker_main as fn() as usize as f64)),
    ]))
}

/// A child process's whole program: its target, then its record; returns the exit code.
#[wasm_bindgen]
pub fn pp_process_child() -> i32 {
    let rt = *BOOTED.get().expect("pp_process_boot runs first");
    let request = CHILD.get().expect("a child process has its request");
    crate::multiprocessing::process::run_child(rt, request)
}

/// Runs an example of the catalogue (or a benchmark program) as this process's program;
/// returns the exit code. Bad parameters end the run with a ValueError that says why (the
/// page validates first; an address can still carry anything).
#[wasm_bindgen]
pub fn pp_process_run(example: &str, query: &str) -> i32 {
    let rt = *BOOTED.get().expect("pp_process_boot runs first");
    let program = crate::examples::program(example);
    let options = program.as_ref().map_or(crate::examples::CPYTHON, |p| p.options);
    let split = crate::examples::params::split_run_options(&messages::parse_query(query), options);
    let gil = split.as_ref().is_ok_and(|(o, _)| o.gil);
    let exit = runtime::run_main_on(rt, gil, || {
        let program = program.ok_or_else(|| crate::PyErr::value_error(format!("no example {example:?}")))?;
        let (_, raw) = split.map_err(crate::PyErr::value_error)?;
        let params = crate::examples::params::parse(program.params, &raw).map_err(|errors| {
            crate::PyErr::value_error(errors.into_iter().map(|(_, e)| e).collect::<Vec<_>>().join("; "))
        })?;
        (program.main)(&params)
    });
    exit.code
}

/// Seeds this worker's `fastrand` (Python's `random` in the ports). On wasm it has no
/// entropy of its own and starts every worker from one constant seed: four processes would
/// draw the same "random" numbers. CPython reseeds a child after a fork for the same reason.
fn seed_random() {
    let word = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
    fastrand::seed(word() << 32 | word());
}

/// A thread worker's life: serve the process's workers pool for good.
#[wasm_bindgen]
pub fn pp_thread_main(serial: f64, entry: f64) {
    crate::platform::alloc::arm_this_thread();
    crate::platform::spawn::set_native_id(serial as u64);
    seed_random();
    // SAFETY: `entry` is a `fn()` of this very module, sent by the process that owns this
    // memory (see `pp_process_boot`); function pointers are table indices, equal in every
    // instance of the module.
    let entry: fn() = unsafe { std::mem::transmute::<usize, fn()>(entry as usize) };
    entry();
}

/// A panic aborts (panic=abort): before the worker traps, say what happened where the user
/// looks, the run's console, and in the browser's console.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let who = crate::threading::thread::current_name();
        let text = format!("panic in thread {who}: {info}");
        web_sys::console::error_1(&JsValue::from_str(&text));
        if let Some(rt) = crate::runtime::try_current() {
            rt.table.ring.push_if_free(crate::watch::RecordKind::Line, crate::watch::my_id(), 2, text.as_bytes());
            rt.table.ring.push_if_free(crate::watch::RecordKind::Panic, crate::watch::my_id(), 0, text.as_bytes());
        }
    }));
}
