//! `time.sleep`, and the clocks `threading.py` and the learner read: std's panic on
//! wasm32-unknown-unknown (RustPython's `time.monotonic` reaches `SystemTime::now`), web-time
//! reads the browser's `performance.now()` and `Date.now()`.
//!
//! `time.sleep` sleeps in the runtime: the thread shows as sleeping in the timeline, lets the
//! GIL go, and a daemon thread of a finished program stops in it.

use rustpython_vm::{PyResult, VirtualMachine};
use std::sync::OnceLock;
use web_time::{Instant, SystemTime, UNIX_EPOCH};

fn since_origin() -> std::time::Duration {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    ORIGIN.get_or_init(Instant::now).elapsed()
}

/// `time.monotonic()` and `time.perf_counter()`: seconds from an arbitrary origin.
pub fn monotonic() -> f64 {
    since_origin().as_secs_f64()
}

pub fn monotonic_ns() -> u128 {
    since_origin().as_nanos()
}

/// `time.time_ns()`.
pub fn time_ns() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos()
}

/// `time.sleep(seconds)`, with CPython's checks.
pub fn sleep(seconds: f64, vm: &VirtualMachine) -> PyResult<()> {
    if seconds.is_nan() {
        return Err(vm.new_value_error("Invalid value NaN (not a number)"));
    }
    if seconds < 0.0 {
        return Err(vm.new_value_error("sleep length must be non-negative"));
    }
    vm.allow_threads(|| pp_runtime::threading::sleep(seconds));
    Ok(())
}
