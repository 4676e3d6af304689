//! Small stand-ins for Python values the ports need.

use std::sync::atomic::{AtomicI64, Ordering::Relaxed};

/// A Python global integer shared by threads. `add` is a load then a store, exactly as
/// Python's `num += 1` is a read, an add and a write: correct under a lock, and losing
/// updates without one (the race pitfall) — without undefined behaviour in Rust.
#[derive(Debug, Default)]
pub struct Global(AtomicI64);

impl Global {
    pub const fn new(v: i64) -> Self {
        Global(AtomicI64::new(v))
    }
    pub fn get(&self) -> i64 {
        self.0.load(Relaxed)
    }
    pub fn set(&self, v: i64) {
        self.0.store(v, Relaxed)
    }
    /// `x += n`: not atomic, on purpose.
    pub fn add(&self, n: i64) {
        pp_runtime::gil::checkpoint();
        let v = self.0.load(Relaxed);
        self.0.store(v + n, Relaxed);
    }
}

/// Python's `str(True)`.
pub fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}
