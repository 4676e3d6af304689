//! The wait-for graph of one process and the deadlock check.
//!
//! A thread blocked on a lock waits for the lock's holder: an edge thread -> thread. A cycle
//! of such edges whose waits have no timeout can never resolve by itself: that is a
//! deadlock. The host reads snapshots through [`super::reader`] and calls [`deadlock`] on
//! every poll; it declares a deadlock only when the same cycle, with the same wait counters
//! (so the very same waits), is seen for a while: a snapshot is not atomic across slots.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub threads: Vec<ThreadView>,
    pub objects: Vec<ObjectView>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThreadView {
    pub id: u32,
    pub state: u32,
    pub waits_on: u32,
    pub timed: bool,
    pub blocks: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObjectView {
    pub id: u32,
    pub kind: u32,
    pub holder: u32,
}

/// One edge of a cycle: `thread` waits on `object`, held by `holder`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitEdge {
    pub thread: u32,
    pub object: u32,
    pub holder: u32,
}

/// The first cycle of untimed waits on held objects, in wait order, or `None`.
pub fn deadlock(s: &Snapshot) -> Option<Vec<WaitEdge>> {
    let blocked = |id: u32| {
        s.threads
            .iter()
            .find(|t| t.id == id && t.state == super::ThreadState::Blocked as u32 && !t.timed && t.waits_on != 0)
    };
    let holder_of = |obj: u32| {
        s.objects
            .iter()
            .find(|o| o.id == obj && o.holder != 0)
            .filter(|o| super::ObjectKind::from_u32(o.kind).is_some_and(|k| k.has_holder()))
            .map(|o| o.holder)
    };
    for start in &s.threads {
        let mut path: Vec<WaitEdge> = Vec::new();
        let mut at = start.id;
        while let Some(t) = blocked(at) {
            let Some(holder) = holder_of(t.waits_on) else {
                break;
            };
            path.push(WaitEdge { thread: at, object: t.waits_on, holder });
            if let Some(i) = path.iter().position(|e| e.thread == holder) {
                return Some(path.split_off(i));
            }
            if path.len() > s.threads.len() {
                break;
            }
            at = holder;
        }
    }
    None
}

/// The wait counters of the threads of a cycle: equal in two snapshots means the same waits.
pub fn signature(s: &Snapshot, cycle: &[WaitEdge]) -> Vec<(u32, u32)> {
    cycle.iter().map(|e| (e.thread, s.threads.iter().find(|t| t.id == e.thread).map_or(0, |t| t.blocks))).collect()
}
