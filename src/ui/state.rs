//! One run as the page sees it, built only from what the process wrote (its ring's records)
//! and what the host observed (exit, failure, stop, deadlock). Actions as in yew's
//! `function_todomvc` reducer, applied in place (see [`RunState::act`] and `hooks::use_run`).

use crate::watch::console::ProcessRecords;
use crate::watch::graph::WaitEdge;
use crate::watch::{ObjectKind, Record, RecordKind, Why};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    #[default]
    Idle,
    Running,
    Done,
    Failed,
    Stopped,
    Deadlock,
}

impl Status {
    /// The page contract's `data-state`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Running => "running",
            Status::Done => "done",
            Status::Failed => "failed",
            Status::Stopped => "stopped",
            Status::Deadlock => "deadlock",
        }
    }

    pub fn is_live(self) -> bool {
        matches!(self, Status::Running | Status::Deadlock)
    }
}

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
    pub text: String,
    pub kind: LineKind,
    /// Microseconds since the run started.
    pub at_us: u64,
}

/// A stretch of a lane during which the thread waited.
#[derive(Clone, Debug, PartialEq)]
pub struct Wait {
    pub from_us: u64,
    pub to_us: Option<u64>,
    pub object: u32,
    pub why: Option<Why>,
}

/// One thread's row in the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub pid: u32,
    pub thread: u32,
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
    Deadlock {
        run: u64,
        cycle: Vec<WaitEdge>,
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
            | RunAction::Deadlock { run, .. }
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
                s.note(&format!("the run failed: {message}"));
                s.status = Status::Failed;
                s.close_lanes();
            }
            RunAction::Stopped { .. } => {
                if s.status.is_live() {
                    s.note("stopped: every worker of the run was terminated");
                    s.status = Status::Stopped;
                }
                s.close_lanes();
            }
            RunAction::Deadlock { cycle, .. } => {
                s.status = Status::Deadlock;
                let text = describe_cycle(s, &cycle);
                s.note(&text);
                s.deadlock = Some(cycle);
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

    pub fn object_name(&self, pid: u32, object: u32) -> String {
        self.objects.get(&(pid, object)).map_or_else(|| format!("object {object}"), |o| o.name.clone())
    }

    fn note(&mut self, text: &str) {
        let at_us = self.last_us;
        for line in text.split('\n') {
            self.lines.push(ConsoleLine { who: "playground".into(), text: line.into(), kind: LineKind::Note, at_us });
        }
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
                self.lines.push(ConsoleLine { who, text: r.text(), kind, at_us: at });
            }
            RecordKind::ThreadStart | RecordKind::ThreadRename => {
                let name = crate::watch::who(self.processes.get(&pid).map(String::as_str), &r.text());
                match (r.kind, self.live.get(&lane)) {
                    (RecordKind::ThreadRename, Some(&i)) => self.lanes[i].name = name,
                    _ => {
                        self.live.insert(lane, self.lanes.len());
                        self.lanes.push(Lane {
                            pid,
                            thread: r.thread,
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
                    let why = r.payload.first().and_then(|&w| Why::from_u8(w));
                    self.lanes[i].waits.push(Wait { from_us: at, to_us: None, object: r.arg, why });
                }
            }
            RecordKind::Unblock => {
                if let Some(&i) = self.live.get(&lane) {
                    end_wait(&mut self.lanes[i], at);
                }
            }
            RecordKind::ObjectNew => {
                let text = r.text();
                let (kind, name) = text.split_once(':').unwrap_or(("0", &text));
                let kind = kind.parse().ok().and_then(ObjectKind::from_u32);
                self.objects.insert((pid, r.arg), ObjectInfo { kind, name: name.to_string() });
            }
            RecordKind::Note => {
                let text = r.text();
                self.note(&text);
            }
            // A child's end shows as its lanes ending; the run's is its first process's.
            RecordKind::Exit if self.root_pid == Some(pid) => self.elapsed_us = Some(at),
            // A panic is also a printed line (stderr), which the console shows.
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

fn end_wait(lane: &mut Lane, at: u64) {
    if let Some(w) = lane.waits.last_mut() {
        if w.to_us.is_none() {
            w.to_us = Some(at);
        }
    }
}

/// "deadlock: A holds lock 1 and waits for lock 2; B holds lock 2 and waits for lock 1".
pub fn describe_cycle(s: &RunState, cycle: &[WaitEdge]) -> String {
    let parts: Vec<String> = cycle
        .iter()
        .map(|e| {
            format!(
                "{} waits for {}, held by {}",
                s.thread_name(e.thread.0, e.thread.1),
                s.object_name(e.thread.0, e.object),
                s.thread_name(e.holder.0, e.holder.1)
            )
        })
        .collect();
    format!("deadlock: {}. None of them can ever go on; Stop ends the run.", parts.join("; "))
}
