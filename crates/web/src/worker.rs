//! The worker side (wasm only): what `crates/web/js/worker.js` hands a worker's `pp:init` to, once the
//! module is instantiated. A thread worker serves its process's pool for good; a process
//! worker boots its state, tells the host where its memory and watch table are, and then
//! runs its program (a run's first process, on `pp:run`) or its target (a child).
//!
//! Which program a run's first process runs is the module's business: a module built on this
//! runtime exports `pp_module_init`, which the bootstrap calls in every worker before
//! `pp_worker_start`, and which registers its [`ProgramRunner`] (the playground's catalogue
//! of Rust ports, or the Python interpreter).

use pp_multiprocessing::ChildRequest;
use pp_platform::messages::{post, FromWorker, ProcessStart, Role, RunRequest, ToWorker};
use pp_runtime::runtime::{ProcessConfig, ProcessIdentity, Runtime};
use std::sync::OnceLock;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Runs a run's first program on the booted process; returns its exit code.
pub type ProgramRunner = fn(&'static Runtime, &RunRequest) -> i32;

/// Readies a run's first process for its program, once booted and before it says it is
/// ready (an interpreter builds itself here, on the worker that will run the program, while
/// the page is idle).
pub type BootHook = fn(&'static Runtime);

static RUNNER: OnceLock<ProgramRunner> = OnceLock::new();
static BOOT_HOOK: OnceLock<BootHook> = OnceLock::new();
static WARM_HOOK: OnceLock<WarmHook> = OnceLock::new();

/// Readies a warm process, made ahead of time, for whatever child it will be, while it waits
/// for one (no runtime yet: which process it is comes with the child), once the host says
/// `pp:prepare`. The Python module builds its interpreter here, a child's start otherwise.
pub type WarmHook = fn();
/// This process's state, booted once per memory.
static BOOTED: OnceLock<&'static Runtime> = OnceLock::new();

/// The bytes of a process's console and event ring.
const RING_BYTES: usize = 1 << 20;

/// Registers what a run's first process of this module runs (from the module's
/// `pp_module_init`; the first registration in a memory stays).
pub fn set_program_runner(runner: ProgramRunner) {
    let _ = RUNNER.set(runner);
}

/// Registers what a run's first process of this module does once booted (see [`BootHook`]).
pub fn set_boot_hook(hook: BootHook) {
    let _ = BOOT_HOOK.set(hook);
}

/// Registers what a warm process of this module does while it waits (see [`WarmHook`]).
pub fn set_warm_hook(hook: WarmHook) {
    let _ = WARM_HOOK.set(hook);
}

/// A worker's start, given its `pp:init` (see the module's docs). A thread worker never
/// returns from here.
#[wasm_bindgen]
pub fn pp_worker_start(message: JsValue) -> Result<(), JsValue> {
    let ToWorker::Init { segment, role, .. } = ToWorker::from_js(&message)? else {
        return Err("a worker's first message must be pp:init".into());
    };
    if let Some(buffer) = segment.dyn_ref::<js_sys::SharedArrayBuffer>() {
        pp_platform::segment::attach(buffer);
    }
    match role {
        Role::Thread { serial, entry } => {
            start_this_worker(serial);
            // Delivered even though this worker never returns to its event loop after this.
            post(&FromWorker::ThreadUp);
            pp_platform::worker::run_entry(entry);
            Ok(())
        }
        Role::Process(start) => boot_process(start),
        Role::WarmProcess => {
            // Instantiated ahead of time: wait for the child this worker will be.
            wait_for_child();
            post(&FromWorker::Warm);
            Ok(())
        }
    }
}

/// A warm process's wait: for its child, readying itself for one first if the host says so.
fn wait_for_child() {
    on_next_message(|message| match message {
        ToWorker::Child(start) => boot_process(start),
        ToWorker::Prepare => {
            if let Some(hook) = WARM_HOOK.get().filter(|_| !javascriptcore()) {
                // A child's message that comes meanwhile waits for this turn to end: no longer
                // than a child that readied itself after it came.
                pp_platform::alloc::arm_this_thread();
                seed_random();
                hook();
            }
            wait_for_child();
            Ok(())
        }
        other => Err(format!("a warm process expected pp:child, not {other:?}").into()),
    });
}

/// Whether this is Safari's engine (WebKit's user agent, without Chrome's): there a warm
/// process does not ready itself. Two interpreters built at once took about three times as
/// long each as one alone (2026-12-05), and WebKitGTK's JavaScriptCore crashed the page once
/// in the WebKit walk with warm processes building theirs (a null read in a worker thread;
/// warm processes are ended with their run, often mid-build when runs are short), 2026-12-06.
fn javascriptcore() -> bool {
    let agent = js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|navigator| js_sys::Reflect::get(&navigator, &"userAgent".into()))
        .ok()
        .and_then(|agent| agent.as_string())
        .unwrap_or_default();
    agent.contains("AppleWebKit") && !agent.contains("Chrome") && !agent.contains("Chromium")
}

/// What every worker does first, in Rust code of its own.
fn start_this_worker(serial: u32) {
    pp_platform::alloc::arm_this_thread();
    pp_platform::worker::set_native_id(u64::from(serial));
    seed_random();
}

fn boot_process(start: ProcessStart) -> Result<(), JsValue> {
    start_this_worker(start.serial);
    pp_platform::module::set_this_module(start.module);
    install_panic_hook();
    let child =
        start.child.dyn_ref::<js_sys::Uint8Array>().map(|bytes| ChildRequest::decode(&bytes.to_vec())).transpose()?;
    let config = match &child {
        Some(request) => pp_multiprocessing::child_config(request, None, true),
        None => {
            pp_platform::segment::Segment::for_new_run().init_header();
            let process = ProcessIdentity { name: start.name, ..ProcessIdentity::main(start.pid) };
            ProcessConfig { process, ring_capacity: RING_BYTES, consumer: true, ..ProcessConfig::default() }
        }
    };
    let rt = *BOOTED.get_or_init(|| Runtime::boot(&config));
    pp_runtime::threading::workers().expect_prestarted(start.prestart as usize);
    match child {
        Some(request) => {
            post(&FromWorker::Ready { memory: wasm_bindgen::memory(), table: table_address(rt) });
            // Let the host hear of `ready` first: it starts the threads the child will ask for.
            after_this_turn(move || {
                let code = pp_program::run_child(rt, &request);
                post(&FromWorker::Exit { code });
            });
        }
        None => {
            if let Some(hook) = BOOT_HOOK.get() {
                let _entered = Runtime::enter(rt);
                hook(rt);
            }
            on_next_message(move |message| match message {
                ToWorker::Run(request) => {
                    let runner = RUNNER.get().ok_or("this module registered no program runner")?;
                    let code = runner(rt, &request);
                    post(&FromWorker::Exit { code });
                    Ok(())
                }
                other => Err(format!("a process expected pp:run, not {other:?}").into()),
            });
            post(&FromWorker::Ready { memory: wasm_bindgen::memory(), table: table_address(rt) });
        }
    }
    Ok(())
}

fn table_address(rt: &'static Runtime) -> u32 {
    rt.table as *const pp_runtime::watch::Table as usize as u32
}

/// Calls `f` with this worker's next message. An error, or a trap inside (a panic), is thrown
/// to the worker's event loop, where the host's `onerror` hears of it.
fn on_next_message(f: impl FnOnce(ToWorker) -> Result<(), JsValue> + 'static) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let listener = Closure::once_into_js(move |event: web_sys::MessageEvent| {
        let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        scope.set_onmessage(None);
        if let Err(e) = ToWorker::from_js(&event.data()).map_err(JsValue::from).and_then(f) {
            wasm_bindgen::throw_val(e);
        }
    });
    scope.set_onmessage(Some(listener.unchecked_ref()));
}

/// Runs `f` once this worker's event loop has turned (its posted messages have gone).
fn after_this_turn(f: impl FnOnce() + 'static) {
    let callback = Closure::once_into_js(f);
    let set_timeout: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &"setTimeout".into()).expect("setTimeout").unchecked_into();
    let _ = set_timeout.call2(&JsValue::NULL, &callback, &0.into());
}

/// Seeds this worker's `fastrand` (Python's `random` in the ports). On wasm it has no
/// entropy of its own and starts every worker from one constant seed: four processes would
/// draw the same "random" numbers. CPython reseeds a child after a fork for the same reason.
fn seed_random() {
    let word = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
    fastrand::seed(word() << 32 | word());
}

/// A panic aborts (panic=abort): before the worker traps, say what happened where the user
/// looks, the run's console, and in the browser's console.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let who = pp_runtime::threading::current_name();
        let text = format!("panic in thread {who}: {info}");
        web_sys::console::error_1(&JsValue::from_str(&text));
        if let Some(rt) = pp_runtime::runtime::try_current() {
            let me = pp_runtime::watch::my_id();
            rt.table.ring.push_if_free(pp_runtime::watch::RecordKind::Line, me, 2, text.as_bytes());
            rt.table.ring.push_if_free(pp_runtime::watch::RecordKind::Panic, me, 0, text.as_bytes());
        }
    }));
}
