//! Running a program natively the way the browser host runs it: a consumer drains the
//! process's ring while the program runs, and the records come back decoded. The tests of
//! the examples and of program end use it; it exercises the same reader as the web host.

use crate::runtime::{run_main, Exit, ProcessConfig};
use crate::watch::reader::{LocalMemory, TableReader};
use crate::watch::{Record, RecordKind};
use crate::PyResult;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::*};
use std::sync::Arc;

pub struct Captured {
    pub exit: Exit,
    pub records: Vec<Record>,
}

impl Captured {
    /// The printed lines, as (thread name, text).
    pub fn lines(&self) -> Vec<(String, String)> {
        let mut names = std::collections::HashMap::new();
        let mut out = Vec::new();
        for r in &self.records {
            match r.kind {
                RecordKind::ThreadStart | RecordKind::ThreadRename => {
                    names.insert(r.thread, r.text());
                }
                RecordKind::Line => out.push((names.get(&r.thread).cloned().unwrap_or_default(), r.text())),
                _ => {}
            }
        }
        out
    }

    /// Just the texts of the printed lines.
    pub fn texts(&self) -> Vec<String> {
        self.lines().into_iter().map(|(_, t)| t).collect()
    }

    pub fn notes(&self) -> Vec<String> {
        self.records.iter().filter(|r| r.kind == RecordKind::Note).map(Record::text).collect()
    }
}

/// Runs `main` as a process's main thread (GIL off) and returns what it printed and how it
/// ended.
pub fn capture(main: impl FnOnce() -> PyResult<()>) -> Captured {
    capture_with(false, main)
}

/// [`capture`] with the simulated GIL on or off.
pub fn capture_with(gil: bool, main: impl FnOnce() -> PyResult<()>) -> Captured {
    let config = ProcessConfig { consumer: true, ring_capacity: 64 << 10, gil, ..ProcessConfig::default() };
    let table = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    // The consumer learns the table's address once the runtime exists.
    let consumer = {
        let (table, stop) = (table.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut records = Vec::new();
            loop {
                let finished = stop.load(Acquire);
                let at = table.load(Acquire);
                if at != 0 {
                    let reader = TableReader::new(at);
                    records.extend(reader.drain(&LocalMemory).expect("ring records decode"));
                    if finished {
                        reader.attach(&LocalMemory, false);
                        return records;
                    }
                }
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        })
    };
    let (exit, _rt) = run_main(&config, || {
        table.store(crate::runtime::Runtime::current().table as *const _ as usize, Release);
        main()
    });
    stop.store(true, Release);
    let records = consumer.join().expect("consumer thread");
    Captured { exit, records }
}
