//! What every cross-process object is made of, besides the primitives
//! (`pp_runtime::primitives` over the segment) and the message ring of queues and pipes
//! (`ring`): the calling thread's view of the run's segment, a wait on one of its words, and
//! each process's watched view of the segment's objects ([`SharedObjects`]).
//!
//! Objects in the segment are never freed (see `pp_platform::segment`).

use pp_platform::segment::Segment;
use pp_runtime::runtime::Runtime;
use pp_runtime::sync::RawMutex;
use pp_runtime::timeout::Deadline;
use pp_runtime::watch::{ObjectKind, Watched};
use std::sync::Arc;

/// The run's segment, as seen by the calling thread.
pub fn segment() -> Segment {
    Runtime::current().segment()
}

/// Sleeps on a segment word while it holds `expected` (or until `deadline`), with the GIL
/// released; `false` on timeout. It may return early (natively a segment wait returns every
/// 50 ms so that a terminated process stops: see `pp_platform::stop`); callers loop.
pub fn wait_word(seg: &Segment, at: u32, expected: u32, deadline: Deadline) -> bool {
    let _gil = pp_runtime::gil::unlocked();
    pp_platform::stop::check();
    seg.spin(at, expected) || seg.wait(at, expected, pp_runtime::timeout::remaining(deadline))
}

/// This process's view of the segment's objects in its watch table (a [`Runtime`]
/// extension): one watched object per object, made when a thread of the process first
/// needs it, named by the object's run-wide number and pointing at its first word
/// (`Watched::set_shared`: a lock's holder is in its word, for the wait-for graph).
#[derive(Default)]
pub struct SharedObjects {
    by_at: RawMutex<Vec<(u32, Arc<Watched>)>>,
}

impl SharedObjects {
    /// The watched object of the segment's object whose first word is at `at`.
    pub fn watch(at: u32, kind: ObjectKind, label: impl FnOnce() -> String) -> Arc<Watched> {
        let objects = Runtime::current().extension::<SharedObjects>();
        let mut by_at = objects.by_at.lock();
        if let Some((_, w)) = by_at.iter().find(|(a, _)| *a == at) {
            return w.clone();
        }
        let watched = Arc::new(Watched::new(kind, Some(&label())));
        watched.set_shared(at);
        by_at.push((at, watched.clone()));
        watched
    }
}
