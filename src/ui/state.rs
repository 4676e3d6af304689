//! One run as the page sees it, built only from what the process wrote (its ring's records)
//! and what the host observed (exit, failure, stop, deadlock). Actions as in yew's
//! `function_todomvc` reducer, applied in place (see [`RunState::act`] and `hooks::use_run`).

use crate::i18n::{self, Lang};
pub use crate::status::Status;
use crate::ui::step::{StepChoice, Stepping};
use pp_platform::request::Switch;
use pp_runtime::watch::console;
use pp_runtime::watch::console::ProcessRecords;
use pp_runtime::watch::graph::WaitEdge;
use pp_runtime::watch::record::{Progress, RuntimeNote, SourceError};
use pp_runtime::watch::step::Choice;
use pp_runtime::watch::{ObjectKind, Record, RecordKind, Why, INTERNAL};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Out,
    Err,
    /// Said by the runtime or the page, not by the program.
    Note,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConsoleLine {
    pub who: String,
    /// What was printed; for a note, its English.
    pub text: String,
    pub kind: LineKind,
    /// Microseconds since the run started.
    pub at_us: u64,
    /// A note, to be drawn in the page's language.
    pub note: Option<Note>,
}

/// What the page or the runtime says in the console, apart from the program.
#[derive(Clone, Debug, PartialEq)]
pub enum Note {
    Failed(String),
    Stopped,
    TimeLimit {
        seconds: u32,
    },
    /// (thread, the object it waits for, the thread holding it), named.
    Deadlock(Vec<(String, String, String)>),
    /// What the runtime said inside the run.
    Runtime(RuntimeNote),
}

impl Note {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Note::Failed(message) => i18n::run_failed(message, lang),
            Note::Stopped => i18n::STOPPED_NOTE.get(lang).to_string(),
            Note::TimeLimit { seconds } => i18n::time_limit_reached(*seconds, lang),
            Note::Deadlock(edges) => i18n::deadlock(edges, lang),
            Note::Runtime(note) => i18n::runtime_note(note, lang),
        }
    }
}

/// A stretch of a lane during which the thread waited.
#[derive(Clone, Debug, PartialEq)]
pub struct Wait {
    pub from_us: u64,
    pub to_us: Option<u64>,
    pub object: u32,
    pub why: Option<Why>,
}

/// A who-woke-whom arrow: the lane (an index of [`RunState::lanes`]) whose thread released,
/// put, set, notified or ended, and when (µs since the run's start), to the lane it let go
/// on, and when that one went on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Wake {
    pub from: usize,
    pub from_us: u64,
    pub to: usize,
    pub to_us: u64,
    /// The object, in the woken thread's process, and what the woken thread did on it.
    pub object: u32,
    pub why: Option<Why>,
    /// How long the woken thread waited (0: a lock taken from another thread with no wait).
    pub waited_us: u64,
}

/// One thread's row in the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub pid: u32,
    pub thread: u32,
    /// Which of the threads that had the id `thread` in its process this is (from 1), as
    /// the runtime counts them (a hand-over names the giver so).
    pub generation: u32,
    /// As the console tags it: the thread's name, or `process/thread` in a child process.
    pub name: String,
    pub from_us: u64,
    pub to_us: Option<u64>,
    pub waits: Vec<Wait>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ObjectInfo {
    pub kind: Option<ObjectKind>,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunState {
    /// Which run the state is about; actions of older runs are ignored.
    pub run: u64,
    /// Bumped by every change: what the components compare to know they must redraw.
    pub version: u64,
    pub status: Status,
    pub lines: Vec<ConsoleLine>,
    pub lanes: Vec<Lane>,
    /// Watched objects by (pid, id).
    pub objects: HashMap<(u32, u32), ObjectInfo>,
    /// Lane index of each live (pid, thread id) (ids are reused once a thread ends).
    live: HashMap<(u32, u32), usize>,
    /// A child process's name by pid (a run's first process has none: its threads are
    /// named alone).
    processes: HashMap<u32, String>,
    /// The pid whose exit is the run's.
    pub root_pid: Option<u32>,
    /// Absolute microseconds of the program's first instruction (its `RunStart` record).
    pub origin_us: Option<u64>,
    /// Microseconds since origin of the last record seen.
    pub last_us: u64,
    /// The program's own wall time, from its first instruction to its exit record.
    pub elapsed_us: Option<u64>,
    pub exit_code: Option<i32>,
    /// The cycle found (its threads may be of several processes).
    pub deadlock: Option<Vec<WaitEdge>>,
    /// Records the ring could not decode (should never happen; shown, not hidden).
    pub decode_error: Option<String>,
    /// Where the program's source does not compile (the editor marks it).
    pub source_error: Option<SourceError>,
    /// Lines the program printed (notes not counted), kept as they come: a long run has
    /// hundreds of thousands, and the page shows the count on every redraw.
    pub printed: usize,
    /// Each pool's tasks done of total, as its process last told.
    pub pools: Vec<PoolProgress>,
    /// Who woke whom, in the order the woken threads said so.
    pub wakes: Vec<Wake>,
    /// A stepped run's choices and the order chosen (see `step`).
    pub step: Option<Stepping>,
    /// A shaken (or replayed) run's order, as its first process recorded it: the switches
    /// in the order they came (sorted by their pass when a replay is made of them).
    pub switches: Vec<Switch>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PoolProgress {
    pub pid: u32,
    /// "Pool 1", "ThreadPool 2"…
    pub name: String,
    pub done: u32,
    pub total: u32,
}

pub enum RunAction {
    Begin {
        run: u64,
    },
    Records {
        run: u64,
        processes: Vec<ProcessRecords>,
    },
    Exit {
        run: u64,
        code: i32,
    },
    Failed {
        run: u64,
        message: String,
    },
    Stopped {
        run: u64,
    },
    /// The run passed its time limit and was stopped.
    TimeLimit {
        run: u64,
        seconds: u32,
    },
    Deadlock {
        run: u64,
        cycle: Vec<WaitEdge>,
    },
    /// A stepped run's threads the learner may let go (`None`: one is running to its next
    /// point); `free`: the learner let the run go on by itself.
    StepChoices {
        run: u64,
        choices: Option<Vec<Choice>>,
        free: bool,
    },
    /// The learner let `thread` (of the first process) go on, the choice at `place`.
    Stepped {
        run: u64,
        thread: u32,
        place: usize,
    },
    /// The clock moved (microseconds on the runs' clock): the wall time of a live run ticks
    /// even when the program prints nothing (a sleep, a deadlock).
    Tick {
        run: u64,
        now_us: u64,
    },
}

impl RunAction {
    fn run(&self) -> u64 {
        match self {
            RunAction::Begin { run }
            | RunAction::Records { run, .. }
            | RunAction::Exit { run, .. }
            | RunAction::Failed { run, .. }
            | RunAction::Stopped { run }
            | RunAction::TimeLimit { run, .. }
            | RunAction::Deadlock { run, .. }
            | RunAction::StepChoices { run, .. }
            | RunAction::Stepped { run, .. }
            | RunAction::Tick { run, .. } => *run,
        }
    }
}

impl RunState {
    /// Applies what the runner reports, in place: a run can write hundreds of thousands of
    /// records, so the state is never copied (a reducer returning a fresh state per action
    /// made the page quadratic in the length of the run).
    pub fn act(&mut self, action: RunAction) {
        if let RunAction::Begin { run } = action {
            *self = RunState { run, status: Status::Running, version: self.version + 1, ..RunState::default() };
            return;
        }
        if action.run() != self.run {
            return;
        }
        self.version += 1;
        let s = self;
        match action {
            RunAction::Begin { .. } => unreachable!(),
            RunAction::Records { processes, .. } => {
                for p in processes {
                    if p.root {
                        s.root_pid.get_or_insert(p.pid);
                    } else {
                        s.processes.entry(p.pid).or_insert(p.name);
                    }
                    p.records.iter().for_each(|r| s.apply(p.pid, r));
                }
            }
            RunAction::Exit { code, .. } => {
                s.exit_code = Some(code);
                if s.status == Status::Running {
                    s.status = if code == 0 { Status::Done } else { Status::Failed };
                }
                s.close_lanes();
            }
            RunAction::Failed { message, .. } => {
                s.note(Note::Failed(message));
                s.status = Status::Failed;
                s.close_lanes();
            }
            RunAction::Stopped { .. } => {
                if s.status.is_live() {
                    s.note(Note::Stopped);
                    s.status = Status::Stopped;
                }
                s.close_lanes();
            }
            RunAction::TimeLimit { seconds, .. } => {
                if s.status.is_live() {
                    s.note(Note::TimeLimit { seconds });
                    s.status = Status::Stopped;
                }
                s.close_lanes();
            }
            RunAction::Deadlock { cycle, .. } => {
                s.status = Status::Deadlock;
                let note = Note::Deadlock(deadlock_edges(s, &cycle));
                s.note(note);
                s.deadlock = Some(cycle);
            }
            RunAction::StepChoices { choices, free, .. } => {
                let root = s.root_pid.unwrap_or(0);
                let named = choices.map(|cs| {
                    cs.into_iter().map(|c| StepChoice { name: s.thread_name(root, c.thread), choice: c }).collect()
                });
                let step = s.step.get_or_insert_with(Stepping::default);
                step.choices = named;
                step.schedule.free |= free;
            }
            RunAction::Stepped { thread, place, .. } => {
                let name = s.thread_name(s.root_pid.unwrap_or(0), thread);
                let step = s.step.get_or_insert_with(Stepping::default);
                step.order.push(name);
                step.schedule.picks.push(place);
                step.choices = None;
            }
            RunAction::Tick { now_us, .. } => {
                if s.status.is_live() && s.elapsed_us.is_none() {
                    if let Some(origin) = s.origin_us {
                        s.last_us = s.last_us.max(now_us.saturating_sub(origin));
                    }
                }
            }
        }
    }
}

impl RunState {
    /// Microseconds since the program's first instruction (0 for what came before it: the
    /// process may have booted long before Run was pressed, and that is not the run's time).
    fn rel(&mut self, t_us: u64) -> u64 {
        let Some(origin) = self.origin_us else { return 0 };
        let at = t_us.saturating_sub(origin);
        self.last_us = self.last_us.max(at);
        at
    }

    /// A lane's name by (pid, thread id), as the console tags lines.
    pub fn thread_name(&self, pid: u32, thread: u32) -> String {
        self.live.get(&(pid, thread)).map(|&i| self.lanes[i].name.clone()).unwrap_or_else(|| format!("thread {thread}"))
    }

    /// The lane thread `thread` of `pid` had at `at_us`, else the last it had before: a
    /// thread's end wakes its joiners after its lane has closed (and its id may be another
    /// thread's by the time the joiner says so); a thread may release a lock and end before
    /// another takes it.
    fn lane_at(&self, pid: u32, thread: u32, at_us: u64) -> Option<usize> {
        let begun = |l: &Lane| l.pid == pid && l.thread == thread && l.from_us <= at_us;
        self.lanes
            .iter()
            .rposition(|l| begun(l) && l.to_us.is_none_or(|end| at_us <= end))
            .or_else(|| self.lanes.iter().rposition(begun))
    }

    /// Records an arrow to the lane of `to` (of `pid`) at `to_us`, from thread `by` of
    /// `by_pid` at `by_us` (its lane `by_lane` if known), if both lanes are known.
    fn woke(
        &mut self,
        (by_pid, by, by_us): (u32, u32, u64),
        by_lane: Option<usize>,
        (pid, to, to_us): (u32, u32, u64),
        (object, why): (u32, Option<Why>),
        waited_us: u64,
    ) {
        let from = by_lane.or_else(|| self.lane_at(by_pid, by, by_us));
        let (Some(from), Some(&to)) = (from, self.live.get(&(pid, to))) else { return };
        let from_us = self.lanes[from].to_us.map_or(by_us, |end| by_us.min(end));
        self.wakes.push(Wake { from, from_us, to, to_us, object, why, waited_us });
    }

    pub fn object_name(&self, pid: u32, object: u32) -> String {
        self.objects.get(&(pid, object)).map_or_else(|| format!("object {object}"), |o| o.name.clone())
    }

    /// What a thread of process `pid` waited for, as the timeline and the trace say it.
    pub fn wait_label(&self, pid: u32, w: &Wait, l: Lang) -> String {
        self.label(pid, w.object, w.why, l)
    }

    /// What a thread of process `pid` did on `object` (0: none), in the page's words.
    pub fn label(&self, pid: u32, object: u32, why: Option<Why>, l: Lang) -> String {
        match (object, why) {
            (0, Some(Why::Sleep) | None) => i18n::SLEEPING.get(l).to_string(),
            (0, Some(why)) => i18n::between_processes(why.verb(), l),
            (INTERNAL, why) => i18n::inside_interpreter(why.map_or("wait", |w| w.verb()), l),
            (object, why) => i18n::waiting(why.map(|w| w.verb()), &self.object_name(pid, object), l),
        }
    }

    /// A child process's name (the run's first process: none).
    pub fn process_name(&self, pid: u32) -> Option<&str> {
        self.processes.get(&pid).map(String::as_str)
    }

    fn note(&mut self, note: Note) {
        let at_us = self.last_us;
        let text = note.text(Lang::En);
        self.lines.push(ConsoleLine { who: "playground".into(), text, kind: LineKind::Note, at_us, note: Some(note) });
    }

    fn apply(&mut self, pid: u32, r: &Record) {
        if r.kind == RecordKind::RunStart && self.root_pid == Some(pid) && self.origin_us.is_none() {
            self.origin_us = Some(r.t_us);
        }
        let at = self.rel(r.t_us);
        let lane = (pid, r.thread);
        match r.kind {
            RecordKind::Line => {
                let kind = if r.arg == 2 { LineKind::Err } else { LineKind::Out };
                let who = self.thread_name(pid, r.thread);
                self.lines.push(ConsoleLine { who, text: r.text(), kind, at_us: at, note: None });
                self.printed += 1;
            }
            RecordKind::ThreadStart | RecordKind::ThreadRename => {
                let name = console::who(self.processes.get(&pid).map(String::as_str), &r.text());
                match (r.kind, self.live.get(&lane)) {
                    (RecordKind::ThreadRename, Some(&i)) => self.lanes[i].name = name,
                    _ => {
                        self.live.insert(lane, self.lanes.len());
                        let generation = 1 + self.lanes.iter().filter(|l| (l.pid, l.thread) == lane).count() as u32;
                        self.lanes.push(Lane {
                            pid,
                            thread: r.thread,
                            generation,
                            name,
                            from_us: at,
                            to_us: None,
                            waits: Vec::new(),
                        });
                    }
                }
            }
            RecordKind::ThreadEnd => {
                if let Some(i) = self.live.remove(&lane) {
                    self.lanes[i].to_us = Some(at);
                    end_wait(&mut self.lanes[i], at);
                }
            }
            RecordKind::Block => {
                if let Some(&i) = self.live.get(&lane) {
                    let why = r.block().map(|(why, _)| why);
                    self.lanes[i].waits.push(Wait { from_us: at, to_us: None, object: r.arg, why });
                }
            }
            RecordKind::Unblock => {
                let Some(&i) = self.live.get(&lane) else { return };
                let ended = end_wait(&mut self.lanes[i], at);
                if let (Some(by), Some(w)) = (r.woken_by(), ended) {
                    let by_us = self.rel(by.at_us);
                    let by_pid = if by.pid == 0 { pid } else { by.pid };
                    let waited_us = at.saturating_sub(w.from_us);
                    let giver = (by_pid, by.thread, by.generation);
                    let by_lane = (by.generation != 0)
                        .then(|| self.lanes.iter().rposition(|l| (l.pid, l.thread, l.generation) == giver))
                        .flatten();
                    self.woke((by_pid, by.thread, by_us), by_lane, (pid, r.thread, at), (w.object, w.why), waited_us);
                }
            }
            RecordKind::HandOver => {
                let Some(h) = r.hand_over() else { return };
                let by_pid = if h.pid == 0 { pid } else { h.pid };
                // A thread that slept for the lock: its last wait, just ended, is that sleep.
                let waited = self.live.get(&lane).and_then(|&i| self.lanes[i].waits.last()).filter(|_| h.slept);
                let waited_us = waited.map_or(0, |w| at.saturating_sub(w.from_us));
                let giver = (by_pid, h.thread, h.generation);
                let from = self.lanes.iter().rposition(|l| (l.pid, l.thread, l.generation) == giver);
                self.woke((by_pid, h.thread, at), from, (pid, r.thread, at), (r.arg, Some(Why::Acquire)), waited_us);
            }
            // The first process's recorded order (`pp_runtime::watch::order`), which a replay
            // of this run follows; a child's is not recorded.
            RecordKind::Switch if self.root_pid == Some(pid) => {
                if let Some(switch) = r.switch() {
                    self.switches.push(switch);
                }
            }
            RecordKind::Switch => {}
            RecordKind::ObjectNew => {
                if let Some((kind, name)) = r.object_new() {
                    self.objects.insert((pid, r.arg), ObjectInfo { kind: Some(kind), name });
                }
            }
            RecordKind::Note => {
                if let Some(note) = r.note() {
                    self.note(Note::Runtime(note));
                }
            }
            // A child's end shows as its lanes ending; the run's is its first process's.
            RecordKind::Exit if self.root_pid == Some(pid) => self.elapsed_us = Some(at),
            // A panic is also a printed line (stderr), which the console shows.
            RecordKind::SourceError => self.source_error = r.source_error(),
            RecordKind::Progress => {
                if let Some(Progress { pool, done, total }) = r.progress() {
                    match self.pools.iter_mut().find(|p| p.pid == pid && p.name == pool) {
                        Some(p) => (p.done, p.total) = (done, total),
                        None => self.pools.push(PoolProgress { pid, name: pool, done, total }),
                    }
                }
            }
            RecordKind::Exit | RecordKind::ProcessStart | RecordKind::RunStart | RecordKind::Panic => {}
        }
    }

    fn close_lanes(&mut self) {
        let end = self.last_us;
        for lane in &mut self.lanes {
            if lane.to_us.is_none() {
                end_wait(lane, end);
            }
        }
    }
}

/// Ends the lane's innermost open wait (a thread waiting between processes waits for the
/// GIL again before its first wait ends: the two nest), and says which it was.
fn end_wait(lane: &mut Lane, at: u64) -> Option<Wait> {
    let w = lane.waits.iter_mut().rev().find(|w| w.to_us.is_none())?;
    w.to_us = Some(at);
    Some(w.clone())
}

/// A deadlock's edges by name: (thread, the object it waits for, the thread holding it).
pub fn deadlock_edges(s: &RunState, cycle: &[WaitEdge]) -> Vec<(String, String, String)> {
    cycle
        .iter()
        .map(|e| {
            (
                s.thread_name(e.thread.0, e.thread.1),
                s.object_name(e.thread.0, e.object),
                s.thread_name(e.holder.0, e.holder.1),
            )
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use pp_runtime::watch::graph::WaitEdge;
    use pp_runtime::watch::record::{
        encode_block, encode_hand_over, encode_object_new, encode_progress, encode_unblock, Waker,
    };

    const BOOT: u64 = 1_000_000;
    /// The program starts 3 s after its process booted (a page that sat idle).
    const START: u64 = BOOT + 3_000_000;

    fn record(kind: RecordKind, thread: u32, arg: u32, t_us: u64, payload: &[u8]) -> Record {
        Record { kind, thread, arg, t_us, payload: payload.to_vec() }
    }

    pub(crate) fn batch(pid: u32, name: &str, root: bool, records: Vec<Record>) -> ProcessRecords {
        ProcessRecords { pid, name: name.into(), root, records }
    }

    /// A run of 2 ms: the main thread starts a worker thread, which waits 1 ms on a lock the
    /// main thread hands it, and prints; the main thread prints and exits.
    pub(crate) fn run_records() -> Vec<Record> {
        vec![
            record(RecordKind::ProcessStart, 0, 1000, BOOT, b"MainProcess"),
            record(RecordKind::ThreadStart, 1, 0, START - 5, b"MainThread"),
            record(RecordKind::RunStart, 1, 0, START, b""),
            record(RecordKind::ObjectNew, 0, 7, START + 10, &encode_object_new(ObjectKind::Lock, "lock 1")),
            record(RecordKind::ThreadStart, 2, 0, START + 100, b"worker"),
            record(RecordKind::Block, 2, 7, START + 200, &encode_block(Why::Acquire, false)),
            record(RecordKind::Unblock, 2, 0, START + 1200, b""),
            record(RecordKind::HandOver, 2, 7, START + 1210, &encode_hand_over(0, (1, 1), true)),
            record(RecordKind::Line, 2, 1, START + 1300, b"i am working"),
            record(RecordKind::ThreadEnd, 2, 0, START + 1400, b""),
            record(RecordKind::Line, 1, 2, START + 1500, b"oops"),
            record(RecordKind::Exit, 0, 0, START + 2000, b""),
        ]
    }

    pub(crate) fn begun(run: u64) -> RunState {
        let mut s = RunState::default();
        s.act(RunAction::Begin { run });
        s
    }

    /// Run `run` of one process that wrote `records` and exited with 0.
    pub(crate) fn finished(records: Vec<Record>, run: u64) -> RunState {
        let mut s = begun(run);
        s.act(RunAction::Records { run, processes: vec![batch(1000, "MainProcess", true, records)] });
        s.act(RunAction::Exit { run, code: 0 });
        s
    }

    #[test]
    fn the_runs_time_starts_at_its_first_instruction_not_at_boot() {
        let mut s = begun(1);
        s.act(RunAction::Records { run: 1, processes: vec![batch(1000, "MainProcess", true, run_records())] });
        s.act(RunAction::Exit { run: 1, code: 0 });
        assert_eq!(s.origin_us, Some(START));
        assert_eq!(s.elapsed_us, Some(2000), "2 ms, not the 3 s the process sat booted");
        assert_eq!(s.status, Status::Done);
    }

    /// A stepped run's choices name their threads; a step is kept in the schedule and shows
    /// the run as going on until the next choices come.
    #[test]
    fn a_stepped_run_keeps_its_choices_and_schedule() {
        use pp_runtime::watch::step::{Choice, Point};
        let mut s = begun(1);
        s.act(RunAction::Records {
            run: 1,
            processes: vec![batch(1000, "MainProcess", true, run_records()[..5].to_vec())],
        });
        let parked = Choice { thread: 2, point: Point::Store, line: 8 };
        s.act(RunAction::StepChoices { run: 1, choices: Some(vec![parked]), free: false });
        let step = s.step.clone().expect("a stepped run");
        assert_eq!(step.choices.as_deref().map(|c| c[0].name.as_str()), Some("worker"));
        s.act(RunAction::Stepped { run: 1, thread: 2, place: 0 });
        s.act(RunAction::Stepped { run: 2, thread: 1, place: 0 });
        let step = s.step.clone().expect("a stepped run");
        assert_eq!(
            (step.choices, step.order, step.schedule.picks),
            (None, vec!["worker".to_string()], vec![0]),
            "another run's step is not this one's"
        );
    }

    #[test]
    fn lines_are_tagged_and_lanes_show_the_waits() {
        let mut s = begun(1);
        s.act(RunAction::Records { run: 1, processes: vec![batch(1000, "MainProcess", true, run_records())] });
        let lines: Vec<(&str, &str, LineKind)> =
            s.lines.iter().map(|l| (l.who.as_str(), l.text.as_str(), l.kind)).collect();
        assert_eq!(lines, vec![("worker", "i am working", LineKind::Out), ("MainThread", "oops", LineKind::Err)]);
        let worker = s.lanes.iter().find(|l| l.name == "worker").expect("a lane per thread");
        assert_eq!((worker.from_us, worker.to_us), (100, Some(1400)));
        assert_eq!(worker.waits, vec![Wait { from_us: 200, to_us: Some(1200), object: 7, why: Some(Why::Acquire) }]);
        let handed =
            Wake { from: 0, from_us: 1210, to: 1, to_us: 1210, object: 7, why: Some(Why::Acquire), waited_us: 1010 };
        assert_eq!(s.wakes, vec![handed], "the main thread handed the lock over, after a wait of 1010 µs");
        assert_eq!(s.object_name(1000, 7), "lock 1");
    }

    /// A thread's end wakes its joiner after the thread's lane closed, and its id may be
    /// reused by then: the arrow starts at the lane that ended.
    #[test]
    fn a_join_is_woken_by_the_lane_that_ended() {
        let mut s = begun(1);
        let mut records = run_records()[..5].to_vec();
        records.push(record(RecordKind::ThreadStart, 3, 0, START + 120, b"bystander"));
        records.extend([
            record(RecordKind::Block, 1, 9, START + 150, &encode_block(Why::Join, false)),
            record(RecordKind::ThreadEnd, 2, 0, START + 400, b""),
            record(RecordKind::ThreadStart, 2, 0, START + 410, b"another"),
            record(
                RecordKind::Unblock,
                1,
                0,
                START + 420,
                &encode_unblock(Waker { thread: 2, at_us: START + 400, pid: 0, generation: 0 }),
            ),
            record(RecordKind::Block, 2, 7, START + 500, &encode_block(Why::Acquire, true)),
            record(RecordKind::Unblock, 2, 0, START + 600, b""),
            // A lock taken with no wait from the thread that has id 2 now.
            record(RecordKind::HandOver, 3, 7, START + 700, &encode_hand_over(0, (2, 2), false)),
        ]);
        s.act(RunAction::Records { run: 1, processes: vec![batch(1000, "MainProcess", true, records)] });
        let wakes: Vec<(&str, &str, u64, u64, u64)> = s
            .wakes
            .iter()
            .map(|w| (s.lanes[w.from].name.as_str(), s.lanes[w.to].name.as_str(), w.from_us, w.to_us, w.waited_us))
            .collect();
        let expected = [("worker", "MainThread", 400, 420, 270), ("another", "bystander", 700, 700, 0)];
        assert_eq!(wakes, expected, "the timed-out wait of `another` has no arrow");
    }

    /// A lock slept for is named by its giver's id and generation: the giver may have ended
    /// and its id be a newer thread's, alive when the taker says so.
    #[test]
    fn a_giver_is_told_apart_from_a_newer_thread_with_its_id() {
        let mut s = begun(1);
        let mut records = run_records()[..5].to_vec();
        records.extend([
            record(RecordKind::ThreadStart, 3, 0, START + 110, b"taker"),
            record(RecordKind::Block, 3, 7, START + 150, &encode_block(Why::Acquire, false)),
            record(RecordKind::ThreadEnd, 2, 0, START + 400, b""),
            record(RecordKind::ThreadStart, 2, 0, START + 410, b"newer"),
            record(
                RecordKind::Unblock,
                3,
                0,
                START + 500,
                &encode_unblock(Waker { thread: 2, at_us: START + 500, pid: 0, generation: 1 }),
            ),
        ]);
        s.act(RunAction::Records { run: 1, processes: vec![batch(1000, "MainProcess", true, records)] });
        let from: Vec<&str> = s.wakes.iter().map(|w| s.lanes[w.from].name.as_str()).collect();
        assert_eq!(from, ["worker"], "not `newer`, which has id 2 now");
    }

    /// A thread waiting between processes takes the GIL again before its wait ends: the
    /// GIL's wait nests inside, and each ends when its own record says.
    #[test]
    fn nested_waits_end_innermost_first() {
        let mut s = begun(1);
        let mut records = run_records()[..3].to_vec();
        records.extend([
            record(RecordKind::Block, 1, 0, START + 100, &encode_block(Why::Recv, false)),
            record(RecordKind::Block, 1, 9, START + 300, &encode_block(Why::Acquire, false)),
            record(RecordKind::Unblock, 1, 0, START + 400, b""),
            record(RecordKind::Unblock, 1, 0, START + 410, b""),
        ]);
        s.act(RunAction::Records { run: 1, processes: vec![batch(1000, "MainProcess", true, records)] });
        let spans: Vec<(u32, u64, Option<u64>)> =
            s.lanes[0].waits.iter().map(|w| (w.object, w.from_us, w.to_us)).collect();
        assert_eq!(spans, [(0, 100, Some(410)), (9, 300, Some(400))]);
    }

    #[test]
    fn a_child_processs_threads_are_named_with_their_process() {
        let mut s = begun(1);
        let child = vec![
            record(RecordKind::ProcessStart, 0, 2000, START + 50, b"Process-1"),
            record(RecordKind::ThreadStart, 1, 0, START + 60, b"MainThread"),
            record(RecordKind::ThreadStart, 2, 0, START + 70, b"Thread-1"),
            record(RecordKind::Line, 1, 1, START + 80, b"from the child"),
            record(RecordKind::Line, 2, 1, START + 90, b"from its thread"),
        ];
        s.act(RunAction::Records {
            run: 1,
            processes: vec![
                batch(1000, "MainProcess", true, run_records()[..3].to_vec()),
                batch(2000, "Process-1", false, child),
            ],
        });
        let who: Vec<&str> = s.lines.iter().map(|l| l.who.as_str()).collect();
        assert_eq!(who, vec!["Process-1", "Process-1/Thread-1"]);
    }

    #[test]
    fn actions_of_an_older_run_are_ignored_and_a_failure_is_said() {
        let mut s = begun(2);
        s.act(RunAction::Exit { run: 1, code: 0 });
        assert_eq!(s.status, Status::Running);
        s.act(RunAction::Failed { run: 2, message: "a worker trapped".into() });
        assert_eq!(s.status, Status::Failed);
        assert_eq!(
            s.lines.last().map(|l| (l.kind, l.text.as_str())),
            Some((LineKind::Note, "the run failed: a worker trapped"))
        );
        s.act(RunAction::Stopped { run: 2 });
        assert_eq!(s.status, Status::Failed, "a run that ended stays as it ended");
    }

    #[test]
    fn a_pools_progress_is_kept_per_pool() {
        let mut s = begun(1);
        let told = |done: u32, total: u32, pool: &str| {
            record(RecordKind::Progress, 1, done, START + 50, &encode_progress(total, pool))
        };
        let records = vec![told(3, 10, "Pool 1"), told(1, 4, "ThreadPool 2"), told(10, 10, "Pool 1")];
        s.act(RunAction::Records { run: 1, processes: vec![batch(1000, "MainProcess", true, records)] });
        let seen: Vec<(&str, u32, u32)> = s.pools.iter().map(|p| (p.name.as_str(), p.done, p.total)).collect();
        assert_eq!(seen, vec![("Pool 1", 10, 10), ("ThreadPool 2", 1, 4)]);
    }

    #[test]
    fn a_run_past_its_time_limit_is_stopped_and_says_why() {
        let mut s = begun(1);
        s.act(RunAction::TimeLimit { run: 1, seconds: 60 });
        assert_eq!(s.status, Status::Stopped);
        let note = s.lines.last().and_then(|l| l.note.clone()).expect("a note");
        assert!(note.text(Lang::En).contains("time limit of 60 s"));
        assert!(note.text(Lang::Zh).contains("60 秒"));
    }

    #[test]
    fn the_wall_time_ticks_while_live_and_stops_with_the_run() {
        let mut s = begun(1);
        s.act(RunAction::Records {
            run: 1,
            processes: vec![batch(1000, "MainProcess", true, run_records()[..3].to_vec())],
        });
        s.act(RunAction::Tick { run: 1, now_us: START + 5_000 });
        assert_eq!(s.last_us, 5_000);
        s.act(RunAction::Stopped { run: 1 });
        assert_eq!(s.status, Status::Stopped);
        s.act(RunAction::Tick { run: 1, now_us: START + 9_000 });
        assert_eq!(s.last_us, 5_000, "a stopped run's time no longer moves");
    }

    #[test]
    fn a_deadlock_across_processes_is_described_with_each_threads_process() {
        let mut s = begun(1);
        let child = |pid: u32, name: &str| {
            batch(
                pid,
                name,
                false,
                vec![
                    record(RecordKind::ThreadStart, 1, 0, START + 10, b"MainThread"),
                    record(RecordKind::ObjectNew, 0, 3, START + 20, &encode_object_new(ObjectKind::Lock, "record 1")),
                    record(RecordKind::ObjectNew, 0, 4, START + 20, &encode_object_new(ObjectKind::Lock, "record 2")),
                ],
            )
        };
        s.act(RunAction::Records { run: 1, processes: vec![child(2000, "A"), child(2001, "B")] });
        let cycle = vec![
            WaitEdge { thread: (2000, 1), object: 4, holder: (2001, 1) },
            WaitEdge { thread: (2001, 1), object: 3, holder: (2000, 1) },
        ];
        s.act(RunAction::Deadlock { run: 1, cycle: cycle.clone() });
        assert_eq!(s.status, Status::Deadlock);
        let note = Note::Deadlock(deadlock_edges(&s, &cycle));
        assert_eq!(
            note.text(Lang::En),
            "deadlock: A waits for record 2, held by B; B waits for record 1, held by A. None of them can ever go on; Stop ends the run."
        );
        assert_eq!(
            note.text(Lang::Zh),
            "死锁：A 在等待 record 2，而它被 B 持有；B 在等待 record 1，而它被 A 持有。它们都无法继续；点“停止”结束本次运行。"
        );
        assert_eq!(s.lines.last().and_then(|l| l.note.clone()), Some(note));
    }
}
