//! A run's printed lines from the records of its processes, in time order, each tagged with
//! who printed it (see [`who`]). The native harness and the browser tests read runs
//! this way; the page builds the same from its own state.

use super::{Record, RecordKind};
use std::collections::{HashMap, VecDeque};

/// Records of one process of a run, as a host read them.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessRecords {
    pub pid: u32,
    pub name: String,
    /// The run's first process (its threads are named alone in the console).
    pub root: bool,
    pub records: Vec<Record>,
}

/// The records of one process: its name if it is a child (`None` for the run's first).
pub struct ProcessLog<'a> {
    pub child_name: Option<&'a str>,
    pub records: &'a [Record],
}

/// Every printed line as (who, text), in time order.
pub fn lines(processes: &[ProcessLog<'_>]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in processes {
        let mut names: HashMap<u32, String> = HashMap::new();
        for r in p.records {
            match r.kind {
                RecordKind::ThreadStart | RecordKind::ThreadRename => {
                    names.insert(r.thread, r.text());
                }
                RecordKind::Line => {
                    let thread = names.get(&r.thread).map_or("", String::as_str);
                    out.push((r.t_us, who(p.child_name, thread), r.text()));
                }
                _ => {}
            }
        }
    }
    out.sort_by_key(|(t, _, _)| *t);
    out.into_iter().map(|(_, who, text)| (who, text)).collect()
}

/// A process's name, from the record its ring starts with.
pub fn process_name(records: &[Record]) -> Option<String> {
    records.iter().find(|r| r.kind == RecordKind::ProcessStart).map(Record::text)
}

/// Records of one process (by key), in ring order.
pub type Batch<K> = (K, Vec<Record>);

/// The records of several processes as one stream: in time order across processes, in ring
/// order within each (threads of one process stamp on their own workers' clocks, so their
/// stamps may cross by a few µs; the ring order is the truth there).
///
/// `batches` are (process, records) in the order read, a process possibly more than once
/// (what was held last time, then what was read now). Records stamped at or after `horizon`
/// (and those after them in their process) are returned as held: the reader takes `horizon`
/// before it reads any ring, so every record stamped earlier is in this read, and holding the
/// later ones back until the next read keeps a line printed after a child's line from being
/// shown first because its ring happened to be read first. `u64::MAX` holds nothing.
///
/// Returns the stream as runs of consecutive records of one process, and what is held.
pub fn interleave<K: Clone + PartialEq>(batches: Vec<Batch<K>>, horizon: u64) -> (Vec<Batch<K>>, Vec<Batch<K>>) {
    let mut queues: Vec<(K, VecDeque<Record>)> = Vec::new();
    for (key, records) in batches {
        match queues.iter_mut().find(|(k, _)| *k == key) {
            Some((_, q)) => q.extend(records),
            None => queues.push((key, records.into())),
        }
    }
    let mut held = Vec::new();
    for (key, q) in &mut queues {
        if let Some(cut) = q.iter().position(|r| r.t_us >= horizon) {
            held.push((key.clone(), q.split_off(cut).into()));
        }
    }
    let mut runs: Vec<(K, Vec<Record>)> = Vec::new();
    // Few processes, so a linear look for the earliest head is enough.
    while let Some(i) = (0..queues.len()).filter(|&i| !queues[i].1.is_empty()).min_by_key(|&i| (queues[i].1[0].t_us, i))
    {
        let record = queues[i].1.pop_front().expect("not empty");
        match runs.last_mut() {
            Some((key, run)) if *key == queues[i].0 => run.push(record),
            _ => runs.push((queues[i].0.clone(), vec![record])),
        }
    }
    (runs, held)
}

/// Names a line's author as the console does: a thread of the run's first process by its
/// name; a child process by its name (its main thread) or `process/thread`.
pub fn who(process: Option<&str>, thread: &str) -> String {
    match process {
        None => thread.to_string(),
        Some(p) if thread == "MainThread" => p.to_string(),
        Some(p) => format!("{p}/{thread}"),
    }
}
