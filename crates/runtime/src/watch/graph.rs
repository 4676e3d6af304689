//! The wait-for graph of a run and the deadlock check.
//!
//! A thread blocked on a lock waits for the lock's holder: an edge thread -> thread. A cycle
//! of such edges whose waits have no timeout can never resolve by itself: that is a
//! deadlock. The threads are those of every process of the run: a lock of the run's segment
//! (a `multiprocessing.Lock`) is held by a thread of any process, which its lock word names
//! (`pid << 10 | thread id`, see `multiprocessing::shared::run_thread_id`), so a cycle may
//! pass through several processes.
//!
//! The host reads one snapshot per process through [`super::reader`] and calls [`deadlock`]
//! on every poll; it declares a deadlock only when the same cycle, with the same wait
//! counters (so the very same waits), is seen for a while: a snapshot is not atomic across
//! slots.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub threads: Vec<ThreadView>,
    pub objects: Vec<ObjectView>,
    /// Step mode (see `super::step`): whether the run is stepped, and the turn not yet taken.
    pub stepping: bool,
    pub turn: u32,
}

/// A thread slot's fields (see `ThreadSlot`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThreadView {
    pub id: u32,
    pub state: u32,
    pub waits_on: u32,
    pub timed: bool,
    pub blocks: u32,
    pub parked: u32,
    pub parked_line: u32,
    /// The current wait's `Why` as u32 (meaningful while blocked).
    pub why: u32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ObjectView {
    pub id: u32,
    pub kind: u32,
    /// The holder's thread id in this process (for an object of this process).
    pub holder: u32,
    /// For an object of the run's segment, the offset of its lock word there (0 if none).
    pub shared_at: u32,
}

/// A thread of the run: (pid, thread id).
pub type ThreadKey = (u32, u32);

/// One edge of a cycle: `thread` waits on `object` (an id of the waiting thread's process),
/// held by `holder`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitEdge {
    pub thread: ThreadKey,
    pub object: u32,
    pub holder: ThreadKey,
}

/// How a segment lock word names its holder: `pid << 10 | thread id` (0: free).
pub const fn shared_holder(word: u32) -> Option<ThreadKey> {
    let holder = crate::sync::mutex::holder_of(word);
    if holder == 0 {
        None
    } else {
        Some(run_thread(holder))
    }
}

/// The (pid, thread id) of a thread's id across the run (`pid << 10 | thread id`).
pub const fn run_thread(id: u32) -> ThreadKey {
    (id >> 10, id & 0x3ff)
}

/// The first cycle of untimed waits on held objects, in wait order, across the processes
/// of a run (`(pid, snapshot)`), or `None`. `segment_word(at)` reads a word of the run's
/// segment (where the cross-process locks keep their holder).
pub fn deadlock(processes: &[(u32, Snapshot)], segment_word: impl Fn(u32) -> u32) -> Option<Vec<WaitEdge>> {
    let snapshot = |pid: u32| processes.iter().find(|(p, _)| *p == pid).map(|(_, s)| s);
    let blocked = |(pid, id): ThreadKey| {
        snapshot(pid)?
            .threads
            .iter()
            .find(|t| t.id == id && t.state == super::ThreadState::Blocked as u32 && !t.timed && t.waits_on != 0)
    };
    let holder_of = |pid: u32, object: u32| -> Option<ThreadKey> {
        let o = snapshot(pid)?.objects.iter().find(|o| o.id == object)?;
        if !super::ObjectKind::from_u32(o.kind).is_some_and(|k| k.has_holder()) {
            return None;
        }
        if o.shared_at != 0 {
            return shared_holder(segment_word(o.shared_at));
        }
        (o.holder != 0).then_some((pid, o.holder))
    };
    let all: usize = processes.iter().map(|(_, s)| s.threads.len()).sum();
    for (pid, s) in processes {
        for start in &s.threads {
            let mut path: Vec<WaitEdge> = Vec::new();
            let mut at = (*pid, start.id);
            while let Some(t) = blocked(at) {
                let Some(holder) = holder_of(at.0, t.waits_on) else {
                    break;
                };
                path.push(WaitEdge { thread: at, object: t.waits_on, holder });
                if let Some(i) = path.iter().position(|e| e.thread == holder) {
                    return Some(path.split_off(i));
                }
                if path.len() > all {
                    break;
                }
                at = holder;
            }
        }
    }
    None
}

/// The wait counters of the threads of a cycle: equal in two reads means the same waits.
pub fn signature(processes: &[(u32, Snapshot)], cycle: &[WaitEdge]) -> Vec<(ThreadKey, u32)> {
    cycle
        .iter()
        .map(|e| {
            let blocks = processes
                .iter()
                .find(|(p, _)| *p == e.thread.0)
                .and_then(|(_, s)| s.threads.iter().find(|t| t.id == e.thread.1))
                .map_or(0, |t| t.blocks);
            (e.thread, blocks)
        })
        .collect()
}
