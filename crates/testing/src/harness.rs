//! Running a program natively the way the browser host runs it: a consumer drains the rings
//! of every process of the run while it runs, and the records come back decoded. The tests
//! of the examples and of program end use it; it exercises the same reader as the web host.

use pp_program::{run_main, Exit};
use pp_runtime::runtime::{ProcessConfig, Runtime};
use pp_runtime::watch::console::{self, ProcessLog};
use pp_runtime::watch::reader::{LocalMemory, TableReader};
use pp_runtime::watch::{Record, RecordKind, Table};
use pp_runtime::PyResult;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering::*};
use std::sync::{Arc, Mutex};

pub struct Captured {
    pub exit: Exit,
    /// The first process's records.
    pub records: Vec<Record>,
    /// Every process's records, by pid, the first process included.
    pub processes: Vec<(u32, Vec<Record>)>,
    root_pid: u32,
}

impl Captured {
    /// Every printed line of every process, in time order, as (who, text).
    pub fn lines(&self) -> Vec<(String, String)> {
        let names: Vec<Option<String>> = self
            .processes
            .iter()
            .map(|(pid, records)| if *pid == self.root_pid { None } else { console::process_name(records) })
            .collect();
        let logs: Vec<ProcessLog<'_>> = self
            .processes
            .iter()
            .zip(&names)
            .map(|((_, records), name)| ProcessLog { child_name: name.as_deref(), records })
            .collect();
        console::lines(&logs)
    }

    /// Just the texts of the printed lines.
    pub fn texts(&self) -> Vec<String> {
        self.lines().into_iter().map(|(_, t)| t).collect()
    }

    /// What the threads that panicked said, in every process of the run.
    pub fn panics(&self) -> Vec<String> {
        self.processes
            .iter()
            .flat_map(|(_, rs)| rs.iter().filter(|r| r.kind == RecordKind::Panic).map(Record::text))
            .collect()
    }

    pub fn notes(&self) -> Vec<String> {
        self.processes.iter().flat_map(|(_, rs)| rs.iter().filter_map(Record::note).map(|n| n.to_string())).collect()
    }
}

/// Runs `main` as a process's main thread (GIL off) and returns what it printed and how it
/// ended; with `PP_LIVE` set in the environment, every printed line also goes to stderr as it
/// comes (for a test that hangs). A thread of any process of the run that panics (a failed assert in a thread or a
/// child process) ends the test at once (`pp_runtime::runtime::unexpected_panic`); one the
/// harness still finds in a ring fails it too.
pub fn capture(main: impl FnOnce() -> PyResult<()>) -> Captured {
    capture_with(false, main)
}

/// [`capture`] with the simulated GIL on or off.
pub fn capture_with(gil: bool, main: impl FnOnce() -> PyResult<()>) -> Captured {
    let captured = run(gil, main);
    let panics = captured.panics();
    assert!(panics.is_empty(), "a thread of the run panicked: {}", panics.join("; "));
    captured
}

/// [`capture_with`] for a test that panics on purpose: the panics are in [`Captured::panics`].
pub fn capture_expecting_panics(gil: bool, main: impl FnOnce() -> PyResult<()>) -> Captured {
    let _expected = pp_runtime::runtime::expect_panics();
    run(gil, main)
}

fn run(gil: bool, main: impl FnOnce() -> PyResult<()>) -> Captured {
    let config = ProcessConfig { consumer: true, ring_capacity: 64 << 10, ..ProcessConfig::default() };
    type Family = Arc<Mutex<Option<pp_runtime::runtime::Family>>>;
    let family: Family = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let consumer = {
        let (family, stop) = (family.clone(), stop.clone());
        std::thread::spawn(move || {
            let live = std::env::var_os("PP_LIVE").is_some();
            let mut records: HashMap<u32, Vec<Record>> = HashMap::new();
            // SAFETY: the reader only reads tables of the run's family, which are leaked.
            let memory = unsafe { LocalMemory::new() };
            loop {
                let finished = stop.load(Acquire);
                let tables: Vec<(u32, &'static Table)> =
                    family.lock().unwrap().as_ref().map_or_else(Vec::new, |f| f.lock().clone());
                for (pid, table) in &tables {
                    let reader = TableReader::new(*table as *const Table as usize);
                    let drained = reader.drain(&memory).expect("ring records decode");
                    if live {
                        // A hung test's lines, as they come (its captured ones are lost when
                        // nextest kills it).
                        for r in drained.iter().filter(|r| matches!(r.kind, RecordKind::Line | RecordKind::Panic)) {
                            eprintln!("[pid {pid}] {}", r.text());
                        }
                    }
                    records.entry(*pid).or_default().extend(drained);
                    if finished {
                        reader.attach(&memory, false);
                    }
                }
                if finished {
                    return records;
                }
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        })
    };
    let (exit, rt) = run_main(&config, gil, || {
        *family.lock().unwrap() = Some(Runtime::current().family.clone());
        main()
    });
    stop.store(true, Release);
    let mut by_pid = consumer.join().expect("consumer thread");
    let root_pid = rt.process.pid;
    let records = by_pid.remove(&root_pid).unwrap_or_default();
    let mut processes: Vec<(u32, Vec<Record>)> = by_pid.into_iter().collect();
    processes.sort_by_key(|(pid, _)| *pid);
    processes.insert(0, (root_pid, records.clone()));
    Captured { exit, records, processes, root_pid }
}

/// The run's wait-for cycle now, read as the page reads it: every process's table and the
/// run's segment (for the deadlock tests, from inside a run).
pub fn deadlock_now() -> Option<Vec<pp_runtime::watch::graph::WaitEdge>> {
    let rt = Runtime::current();
    // SAFETY: the reader reads only the tables of the run's family, which are leaked.
    let memory = unsafe { LocalMemory::new() };
    let tables: Vec<(u32, &'static Table)> = rt.family.lock().clone();
    let snapshots: Vec<(u32, pp_runtime::watch::graph::Snapshot)> = tables
        .iter()
        .map(|(pid, table)| (*pid, TableReader::new(*table as *const Table as usize).snapshot(&memory)))
        .collect();
    let segment = rt.segment();
    pp_runtime::watch::graph::deadlock(&snapshots, |at| segment.load(at))
}
