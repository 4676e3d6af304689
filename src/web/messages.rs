//! What a worker tells its host without waiting: `postMessage` to `self` reaches the
//! `Worker` object the host holds (every worker of a run was created by the host).

use super::js;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Asks the host for one more worker on this memory, running `entry`.
pub fn post_to_host_spawn(entry: usize) {
    post(&js::object(&[("type", "pp:spawn".into()), ("entry", JsValue::from(entry as f64))]));
}

/// Asks the host to start a child process (the request says who and what).
pub fn post_to_host_process(request: &[u8]) {
    let bytes = js_sys::Uint8Array::from(request);
    post(&js::object(&[("type", "pp:process".into()), ("request", bytes.into())]));
}

/// Asks the host to end a child process with a signal (terminate 15, kill 9).
pub fn post_to_host_terminate(pid: u32, record: u32, signal: u32) {
    post(&js::object(&[
        ("type", "pp:terminate".into()),
        ("pid", pid.into()),
        ("record", record.into()),
        ("signal", signal.into()),
    ]));
}

fn post(message: &JsValue) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    // Only a worker has a host; a page that asked would be a bug in the caller.
    scope.post_message(message).expect("postMessage to the host");
}

/// `a=1&b=x` into pairs, percent-decoded (values come from the page's URL).
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    let query = query.trim_start_matches('?');
    if query.is_empty() {
        return Vec::new();
    }
    query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            let decode = |s: &str| {
                js_sys::decode_uri_component(&s.replace('+', " ")).map(String::from).unwrap_or_else(|_| s.to_string())
            };
            (decode(k), decode(v))
        })
        .collect()
}
