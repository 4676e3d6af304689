//! The Python tab of Parallel Playground: a learner's Python, run by RustPython on the
//! playground's own runtime, so that every Python thread is a web worker of the process and
//! the timeline, the wait-for graph, deadlock detection, the GIL switch and Stop work for it
//! as they do for the Rust ports.
//!
//! What RustPython keeps: the compiler, the eval loop, the objects, the standard library
//! (`threading.py` included: Thread, current_thread, enumerate, excepthook, ...), frozen in or,
//! beyond what every run imports, fetched at first import ([`stdlib`]).
//! What this crate puts under it, over the runtime's primitives:
//!
//! | module | here | over |
//! |---|---|---|
//! | `_thread` (start, handles, locks, shutdown) | [`threads`], [`locks`] | `threading::Thread`, `Lock`, `RLock` |
//! | `threading`'s Condition, Semaphore, BoundedSemaphore, Event, Barrier | [`sync`] | the runtime's, watched |
//! | `queue` | [`queues`] | `queue::QueueCore` |
//! | `time.sleep`, `time.monotonic` & co | [`clock`] | `threading::sleep`, a clock that works on wasm |
//! | `sys.stdout`, `sys.stderr` | [`stdio`] | `output::print_line`, tagged by thread |
//! | the GIL's hand-over | [`gil`] | `gil::Gil`, through a hook at the bytecode safepoint |
//! | `multiprocessing`'s processes, pipes, queues, locks, `Value`/`Array` | [`mp`] (`_pp_mp`), under python/lib/multiprocessing/ | `pp_multiprocessing` |
//! | the pickling of what those pipes and queues carry, in its common shapes | `pickle` (`_pp_pickle`) | — |
//!
//! Everything that blocks blocks in the runtime's primitives, with RustPython's thread state
//! detached (`vm.allow_threads`) and the simulated GIL released: that is what makes the
//! watch table, the GIL and Stop work for free.
//!
//! One process runs one program: the interpreter is built when the process boots (while the
//! page is idle), on the worker that then runs `__main__` ([`interp`]). A child process is
//! another instance of this module with an interpreter of its own, which rebuilds what its
//! parent's `__main__` held and runs the `Process` (python/lib/multiprocessing/_pp_fork.py).

pub mod clock;
mod errors;
pub mod gil;
pub mod interp;
pub mod locks;
mod modules;
pub mod mp;
mod names;
mod pickle;
pub mod queues;
mod seconds;
pub mod stdio;
mod stdlib;
pub mod sync;
pub mod threads;

// Where the standard library's modules that are not frozen are read from ([`stdlib`]).
#[cfg(target_arch = "wasm32")]
use browser::read_stdlib_file;
#[cfg(not(target_arch = "wasm32"))]
use native::read_stdlib_file;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    /// A file of the lazy tree, from the disk, as scripts/python-deps.sh left it.
    pub fn read_stdlib_file(file: &str, _version: &str) -> Result<String, String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor/pylib-lazy").join(file);
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
    }
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen::prelude::*;

    /// A file of the lazy tree, fetched from the site (`version` keeps an old copy out of
    /// every cache), or why not. Synchronously: an import returns its module, and only a
    /// worker runs Python, where a synchronous request is allowed. Not through a JS snippet of
    /// this crate: the glue would import it, and a worker WebKit lets past the service worker
    /// could not import it offline. Every worker runs the runtime's script,
    /// `<site>/snippets/<crate>/js/worker.js`: the site is what precedes `/snippets/`.
    pub fn read_stdlib_file(file: &str, version: &str) -> Result<String, String> {
        let here = js_sys::global().unchecked_into::<web_sys::WorkerGlobalScope>().location().href();
        let site = here.rfind("/snippets/").map(|at| &here[..=at]).ok_or_else(|| format!("a worker at {here}"))?;
        let request = web_sys::XmlHttpRequest::new().map_err(describe)?;
        request.open_with_async("GET", &format!("{site}python/lib/{file}?v={version}"), false).map_err(describe)?;
        request.send().map_err(|e| format!("the network failed ({})", describe(e)))?;
        let status = request.status().map_err(describe)?;
        if status != 200 {
            // A short plain-text body says why (the service worker's "Offline, and this file
            // was never loaded while online.").
            let plain =
                request.get_response_header("Content-Type").ok().flatten().is_some_and(|t| t.starts_with("text/plain"));
            let text = request.response_text().ok().flatten().unwrap_or_default();
            let why = if plain && text.len() < 200 { format!(": {text}") } else { String::new() };
            let status_text = request.status_text().unwrap_or_default();
            return Err(format!("HTTP {}{why}", format!("{status} {status_text}").trim()));
        }
        request.response_text().map_err(describe)?.ok_or_else(|| "an empty response".to_owned())
    }

    fn describe(e: JsValue) -> String {
        e.dyn_ref::<js_sys::Error>()
            .and_then(|e| e.message().as_string())
            .or_else(|| e.as_string())
            .unwrap_or_else(|| format!("{e:?}"))
    }

    /// Called by the worker bootstrap in every worker of this module: a run's first process
    /// builds its interpreter when it boots and runs the page's source as `__main__`; a child
    /// process finds the target its parent named (`python-child`).
    #[wasm_bindgen]
    pub fn pp_module_init() {
        pp_multiprocessing::register_targets(crate::interp::targets());
        pp_web::worker::set_boot_hook(|_rt| {
            crate::interp::boot();
        });
        pp_web::worker::set_warm_hook(crate::interp::warm_child);
        pp_web::worker::set_program_runner(crate::interp::run_program);
    }

    /// The worker side of the runtime, which this module's workers run: linked in (nothing in
    /// this crate calls it, and the linker would leave it out).
    #[used]
    static LINK_WORKER_START: fn(JsValue) -> Result<(), JsValue> = pp_web::worker::pp_worker_start;
}
