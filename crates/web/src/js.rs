//! Small JS helpers shared by the host and the tests.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub fn get_f64(obj: &JsValue, key: &str) -> Option<f64> {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).ok()?.as_f64()
}

/// `performance.now()` of the calling context, in milliseconds.
pub fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .map_or(0.0, |p| p.now())
}

/// Whether this context may share memory with workers (`self.crossOriginIsolated`).
pub fn cross_origin_isolated() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("crossOriginIsolated"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// What the browser lets this page do with shared memory, as `www/loader.js` found out before
/// the module loaded (`<html data-shared-memory>`): cross-origin isolation is not enough, since
/// a browser may be isolated and still have no `SharedArrayBuffer` (WebKitGTK without
/// `JSC_useSharedArrayBuffer`), and then every worker would fail to start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SharedMemory {
    /// A shared `WebAssembly.Memory` can be made and sent to another context: runs can start.
    Works,
    /// The page is not cross-origin isolated: the headers (or the service worker) are missing.
    NotIsolated,
    /// Isolated, yet the browser offers no shared memory: this browser cannot run threads.
    Unavailable,
}

/// See [`SharedMemory`]. Without the loader's answer (a page or test that loads the module
/// directly), isolation decides, as it did before the probe existed.
pub fn shared_memory() -> SharedMemory {
    let probed = ["document", "documentElement", "dataset", "sharedMemory"]
        .iter()
        .try_fold(js_sys::global().into(), |obj: JsValue, key| {
            js_sys::Reflect::get(&obj, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined())
        })
        .and_then(|v| v.as_string());
    match probed.as_deref() {
        Some("works") => SharedMemory::Works,
        Some("unavailable") => SharedMemory::Unavailable,
        Some(_) => SharedMemory::NotIsolated,
        None if cross_origin_isolated() => SharedMemory::Works,
        None => SharedMemory::NotIsolated,
    }
}

/// Whether runs can start here: [`shared_memory`] works.
pub fn can_run() -> bool {
    shared_memory() == SharedMemory::Works
}

#[wasm_bindgen]
extern "C" {
    /// The URL of the wasm-bindgen glue module: `import.meta.url` evaluated inside the glue
    /// (wasm-bindgen resolves `js_namespace` imports there). Workers import it to instantiate.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    pub static GLUE_URL: String;
}

#[wasm_bindgen(module = "/js/worker.js")]
extern "C" {
    /// A new module worker running `crates/web/js/worker.js`.
    #[wasm_bindgen(js_name = startWorker, catch)]
    pub fn start_worker(name: &str) -> Result<web_sys::Worker, JsValue>;
}
