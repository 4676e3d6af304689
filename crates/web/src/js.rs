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
