//! `threading.Timer`: a thread that calls a function after an interval, unless cancelled.

use super::{Event, Thread};
use crate::errors::{PyResult, TargetResult};
use std::sync::Arc;

#[derive(Clone)]
pub struct Timer {
    thread: Thread,
    finished: Arc<Event>,
}

impl Timer {
    /// `Timer(interval, function)`: `function` runs after `interval` seconds.
    pub fn new<F, R>(interval: f64, function: F) -> Timer
    where
        F: FnOnce() -> R + Send + 'static,
        R: TargetResult,
    {
        let finished = Arc::new(Event::new());
        let thread = {
            let finished = finished.clone();
            Thread::new(move || -> PyResult<()> {
                finished.wait(Some(interval));
                let outcome = if finished.is_set() { Ok(()) } else { function().into_result() };
                finished.set();
                outcome
            })
        };
        Timer { thread: thread.with_class("Timer"), finished }
    }

    pub fn start(&self) -> PyResult<()> {
        self.thread.start()
    }

    /// Stops the timer if it is still waiting.
    pub fn cancel(&self) {
        self.finished.set();
    }

    pub fn join(&self, timeout: Option<f64>) -> PyResult<()> {
        self.thread.join(timeout)
    }

    pub fn is_alive(&self) -> bool {
        self.thread.is_alive()
    }

    /// The thread underneath (name, daemon, ident...).
    pub fn thread(&self) -> &Thread {
        &self.thread
    }
}

impl std::fmt::Display for Timer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.thread.fmt(f)
    }
}
