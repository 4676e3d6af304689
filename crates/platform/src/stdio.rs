//! Where a printed line goes when no host reads the process's ring (the native tests of the
//! primitives, a browser test's bare threads): the terminal natively, the browser's console
//! in a worker.

/// Writes one printed line (`stream` 1 stdout, 2 stderr).
pub fn unattached_line(stream: u32, text: &str) {
    imp::line(stream, text)
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    pub fn line(stream: u32, text: &str) {
        if stream == 2 {
            eprintln!("{text}");
        } else {
            println!("{text}");
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    pub fn line(stream: u32, text: &str) {
        let text = wasm_bindgen::JsValue::from_str(text);
        if stream == 2 {
            web_sys::console::error_1(&text);
        } else {
            web_sys::console::log_1(&text);
        }
    }
}
