//! Where each thread's time went, and which objects were fought over, from a run's lanes:
//! per thread, its wall time split into running (runnable), waiting for the GIL, blocked (on
//! which objects) and sleeping; per object, how many waits it caused, their total and the
//! longest, who waited, and how many times it changed threads (a lock's hand-overs).
//!
//! Waits can nest (a thread waiting between processes takes the GIL again before its wait
//! ends): a moment counts once, for the innermost wait open then.

use crate::ui::state::{Lane, RunState, Wait};
use pp_runtime::watch::{ObjectKind, Why};

/// One thread's wall time, in µs, split four ways (they add up to its life).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThreadSplit {
    pub lane: usize,
    pub running_us: u64,
    pub gil_us: u64,
    pub blocked_us: u64,
    pub sleeping_us: u64,
    /// The blocked time by object (pid, id), most first.
    pub blocked_on: Vec<((u32, u32), u64)>,
}

impl ThreadSplit {
    pub fn total_us(&self) -> u64 {
        self.running_us + self.gil_us + self.blocked_us + self.sleeping_us
    }
}

/// What one object cost the threads that waited for it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contention {
    /// (pid, id) of the object.
    pub object: (u32, u32),
    pub waits: usize,
    pub total_us: u64,
    pub longest_us: u64,
    /// Lanes that waited for it, in the order they first did.
    pub waiters: Vec<usize>,
    /// Times it changed threads (the who-woke-whom arrows on it).
    pub hand_overs: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Gil,
    Sleep,
    Blocked,
}

fn kind(run: &RunState, pid: u32, w: &Wait) -> Kind {
    if w.object == 0 && matches!(w.why, Some(Why::Sleep) | None) {
        return Kind::Sleep;
    }
    match run.objects.get(&(pid, w.object)).and_then(|o| o.kind) {
        Some(ObjectKind::Gil) => Kind::Gil,
        _ => Kind::Blocked,
    }
}

/// Each wait's own time: its span less the waits nested directly inside it (the waits are
/// in the order they began; one nested in another ends before it).
fn own_times(lane: &Lane, end_us: u64) -> Vec<u64> {
    let span = |w: &Wait| (w.from_us, w.to_us.unwrap_or(end_us).max(w.from_us));
    let mut own: Vec<u64> = lane.waits.iter().map(|w| span(w).1 - span(w).0).collect();
    // The waits still open at the current one's start, innermost last: (index, end).
    let mut open: Vec<(usize, u64)> = Vec::new();
    for (i, w) in lane.waits.iter().enumerate() {
        let (from, to) = span(w);
        while open.last().is_some_and(|&(_, end)| end <= from) {
            open.pop();
        }
        if let Some(&(parent, parent_end)) = open.last() {
            own[parent] = own[parent].saturating_sub(to.min(parent_end) - from);
        }
        open.push((i, to));
    }
    own
}

/// Every lane's split, in lane order.
pub fn thread_splits(run: &RunState) -> Vec<ThreadSplit> {
    let end = run.elapsed_us.unwrap_or(run.last_us);
    run.lanes
        .iter()
        .enumerate()
        .map(|(i, lane)| {
            let life = lane.to_us.unwrap_or(end).saturating_sub(lane.from_us);
            let mut s = ThreadSplit { lane: i, ..ThreadSplit::default() };
            for (w, own) in lane.waits.iter().zip(own_times(lane, lane.to_us.unwrap_or(end))) {
                match kind(run, lane.pid, w) {
                    Kind::Gil => s.gil_us += own,
                    Kind::Sleep => s.sleeping_us += own,
                    Kind::Blocked => {
                        s.blocked_us += own;
                        let key = (lane.pid, w.object);
                        match s.blocked_on.iter_mut().find(|(k, _)| *k == key) {
                            Some((_, us)) => *us += own,
                            None => s.blocked_on.push((key, own)),
                        }
                    }
                }
            }
            s.blocked_on.sort_by_key(|&(_, us)| std::cmp::Reverse(us));
            s.running_us = life.saturating_sub(s.gil_us + s.sleeping_us + s.blocked_us);
            s
        })
        .collect()
}

/// Every object a thread waited for (the GIL included) or that changed threads, most total
/// waiting first.
pub fn contention(run: &RunState) -> Vec<Contention> {
    let end = run.elapsed_us.unwrap_or(run.last_us);
    let mut out: Vec<Contention> = Vec::new();
    let entry = |out: &mut Vec<Contention>, object| -> usize {
        out.iter().position(|c| c.object == object).unwrap_or_else(|| {
            out.push(Contention { object, ..Contention::default() });
            out.len() - 1
        })
    };
    for (i, lane) in run.lanes.iter().enumerate() {
        for w in lane.waits.iter().filter(|w| w.object != 0) {
            let at = entry(&mut out, (lane.pid, w.object));
            let c = &mut out[at];
            let us = w.to_us.unwrap_or(end).saturating_sub(w.from_us);
            c.waits += 1;
            c.total_us += us;
            c.longest_us = c.longest_us.max(us);
            if !c.waiters.contains(&i) {
                c.waiters.push(i);
            }
        }
    }
    for wake in &run.wakes {
        let object = (run.lanes[wake.to].pid, wake.object);
        let at = entry(&mut out, object);
        out[at].hand_overs += 1;
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.total_us));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::state::tests::{batch, begun, run_records};
    use crate::ui::state::RunAction;
    use pp_runtime::watch::record::{encode_block, encode_object_new};
    use pp_runtime::watch::{Record, RecordKind};

    fn record(kind: RecordKind, thread: u32, arg: u32, t_us: u64, payload: &[u8]) -> Record {
        Record { kind, thread, arg, t_us, payload: payload.to_vec() }
    }

    #[test]
    fn a_threads_time_adds_up_to_its_life() {
        let mut s = begun(1);
        s.act(RunAction::Records { run: 1, processes: vec![batch(1000, "MainProcess", true, run_records())] });
        s.act(RunAction::Exit { run: 1, code: 0 });
        let splits = thread_splits(&s);
        let worker = &splits[1];
        assert_eq!((worker.blocked_us, worker.running_us, worker.total_us()), (1000, 300, 1300));
        assert_eq!(worker.blocked_on, [((1000, 7), 1000)]);
        let lock = &contention(&s)[0];
        assert_eq!((lock.object, lock.waits, lock.total_us, lock.longest_us), ((1000, 7), 1, 1000, 1000));
        assert_eq!((lock.waiters.clone(), lock.hand_overs), (vec![1], 1));
    }

    /// A wait between processes (on no object) with the GIL's wait nested in it: the GIL's
    /// 100 µs are the GIL's, the other 300 the wait's.
    #[test]
    fn a_nested_wait_counts_once() {
        let mut s = begun(1);
        let mut records = run_records()[..3].to_vec();
        records.extend([
            record(RecordKind::ObjectNew, 0, 9, 0, &encode_object_new(ObjectKind::Gil, "the GIL")),
            record(RecordKind::Block, 1, 0, 4_000_100, &encode_block(Why::Recv, false)),
            record(RecordKind::Block, 1, 9, 4_000_300, &encode_block(Why::Acquire, false)),
            record(RecordKind::Unblock, 1, 0, 4_000_400, b""),
            record(RecordKind::Unblock, 1, 0, 4_000_500, b""),
            record(RecordKind::Exit, 0, 0, 4_001_000, b""),
        ]);
        s.act(RunAction::Records { run: 1, processes: vec![batch(1000, "MainProcess", true, records)] });
        let main = &thread_splits(&s)[0];
        assert_eq!((main.gil_us, main.blocked_us, main.sleeping_us), (100, 300, 0));
        assert_eq!(main.total_us(), 1000, "its life: the run's 1 ms");
    }
}
