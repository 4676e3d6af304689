//! `threading.Event`: the primitive (`primitives::Event`, a flag and a generation waiters
//! sleep on) in this process's memory, watched.

use crate::primitives::{self, Local};
use crate::watch::{ObjectKind, Watched};

pub struct Event {
    event: primitives::Event<Local<3>>,
    watch: Watched,
}

impl Default for Event {
    fn default() -> Self {
        Self::new()
    }
}

impl Event {
    pub fn new() -> Event {
        Self::build(None)
    }

    /// An Event with a display name for the UI (else `event N`).
    pub fn named(name: &str) -> Event {
        Self::build(Some(name))
    }

    fn build(name: Option<&str>) -> Event {
        Event { event: primitives::Event::new(Local::default()), watch: Watched::new(ObjectKind::Event, name) }
    }

    pub fn is_set(&self) -> bool {
        self.event.is_set()
    }

    pub fn set(&self) {
        self.event.set(&self.watch)
    }

    pub fn clear(&self) {
        self.event.clear()
    }

    /// `wait(timeout=None)`: `true` unless the timeout passed first. As CPython: true when a
    /// `set()` woke it, even if the flag was cleared again meanwhile.
    pub fn wait(&self, timeout: Option<f64>) -> bool {
        self.event.wait(crate::timeout::at_most(timeout), &self.watch)
    }
}

impl std::fmt::Debug for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Event").finish_non_exhaustive()
    }
}
