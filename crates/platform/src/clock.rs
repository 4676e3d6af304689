//! Time. [`Instant`] is std's API on both platforms (web-time: `performance.timeOrigin +
//! performance.now()` on wasm, where std's `Instant::now()` panics), so deadlines are written
//! once. Because web-time adds `timeOrigin`, instants taken in different workers compare.
//!
//! [`stamp_us`] is the timestamp of the timeline and the console: microseconds on a clock all
//! workers of a page share, so the UI can put lanes of different workers side by side.

use std::time::Duration;
pub use web_time::Instant;

/// Microseconds on a clock shared by every worker of the page (native: of the test process).
pub fn stamp_us() -> u64 {
    imp::stamp_us()
}

/// `now + timeout`, or `None` (no deadline) when the sum overflows, as Python's
/// `threading.TIMEOUT_MAX`-sized timeouts would.
pub fn deadline_after(timeout: Duration) -> Option<Instant> {
    Instant::now().checked_add(timeout)
}

/// Time left until `deadline`; `None` when there is no deadline, zero once it has passed.
pub fn remaining(deadline: Option<Instant>) -> Option<Duration> {
    deadline.map(|d| d.saturating_duration_since(Instant::now()))
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        type Performance;
        #[wasm_bindgen(thread_local_v2, js_namespace = globalThis, js_name = performance)]
        static PERFORMANCE: Performance;
        #[wasm_bindgen(method)]
        fn now(this: &Performance) -> f64;
        #[wasm_bindgen(method, getter, js_name = timeOrigin)]
        fn time_origin(this: &Performance) -> f64;
    }

    thread_local! {
        /// A worker's `timeOrigin` never changes: read once, a stamp is one call into JS
        /// (every record of the timeline takes one, and a wake-up that names its waker).
        static TIME_ORIGIN: f64 = PERFORMANCE.with(Performance::time_origin);
    }

    pub fn stamp_us() -> u64 {
        let origin = TIME_ORIGIN.with(|o| *o);
        PERFORMANCE.with(|p| ((origin + p.now()) * 1000.0) as u64)
    }

    pub fn utc_offset_minutes() -> i64 {
        js_sys::Date::new_0().get_timezone_offset() as i64
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use std::sync::OnceLock;
    use std::time::{SystemTime, UNIX_EPOCH};
    use web_time::Instant;

    /// A wall-clock anchor read once, plus a monotonic offset: comparable like the browser's
    /// `timeOrigin + now()`, and never running backwards within the test process.
    pub fn stamp_us() -> u64 {
        static ANCHOR: OnceLock<(Instant, u64)> = OnceLock::new();
        let (at, wall_us) = *ANCHOR.get_or_init(|| {
            let wall = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
            (Instant::now(), wall.as_micros() as u64)
        });
        wall_us + at.elapsed().as_micros() as u64
    }

    pub fn utc_offset_minutes() -> i64 {
        0
    }
}

/// Minutes to add to local time to get UTC (JS `getTimezoneOffset`; natively UTC).
pub fn utc_offset_minutes() -> i64 {
    imp::utc_offset_minutes()
}

/// Sleeps the calling thread (never the browser's main thread).
pub fn sleep(duration: Duration) {
    // std's sleep works in workers: it is a memory.atomic.wait32 with a timeout on wasm.
    std::thread::sleep(duration)
}
