//! A run's printed lines from the records of its processes, in time order, each tagged with
//! who printed it (see [`super::who`]). The native harness and the browser tests read runs
//! this way; the page builds the same from its own state.

use super::{Record, RecordKind};
use std::collections::HashMap;

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
                    out.push((r.t_us, super::who(p.child_name, thread), r.text()));
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
