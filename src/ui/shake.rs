//! Shake and Prove it: one program run many times, each run shaken with a seed of its own
//! (`pp_runtime::watch::shake`), and what came out of each: a histogram of outcomes, the
//! runs that failed, and for a pitfall lab a verdict (fixed only if every run was right).
//!
//! What "right" means is the lab's [`Check`]: the race must lose no update, the deadlock
//! and the livelock must end, the starving thread must get its share. Any other example is
//! right when it ends normally, and a correct program's histogram has one bar.

use crate::i18n::{self, Lang};
use crate::ui::state::{LineKind, Note, RunState, Status};
use pp_platform::request::Replay;
use pp_runtime::watch::record::RuntimeNote;
use std::rc::Rc;

/// Runs of a Shake unless the address says `shake=N`; Prove it runs more.
pub const DEFAULT_SHAKE_RUNS: u32 = 50;
pub const DEFAULT_PROVE_RUNS: u32 = 100;
/// The most runs one Shake may ask for.
pub const MAX_SHAKE_RUNS: u32 = 1000;
/// A shaken run's time limit (s), at most: a livelock that never ends must not hold a
/// hundred runs for a minute each.
pub const SHAKEN_RUN_LIMIT_S: u32 = 10;

/// What a run must show to be right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// It ends normally (no deadlock, no error, within its time).
    Ends,
    /// It ends, and its last printed line contains this.
    LastLineHas(&'static str),
    /// It ends, and no printed line contains this.
    NoLineHas(&'static str),
    /// It ends, and its last line's two numbers (greedy's turns, polite's) are within a
    /// factor of two of each other.
    FairShare,
}

/// A pitfall lab: the task the learner is given, and how Prove it checks it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lab {
    pub check: Check,
    pub task: i18n::Text,
}

/// The lab of a pitfall example.
pub fn lab(example: &str) -> Option<Lab> {
    let (check, task) = match example {
        "pitfall-race" => (Check::LastLineHas("no update lost"), i18n::TASK_RACE),
        "pitfall-deadlock" => (Check::Ends, i18n::TASK_DEADLOCK),
        "pitfall-livelock" => (Check::NoLineHas("gives up"), i18n::TASK_LIVELOCK),
        "pitfall-starvation" => (Check::FairShare, i18n::TASK_STARVATION),
        _ => return None,
    };
    Some(Lab { check, task })
}

/// What the histogram groups runs by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Label {
    /// It ended and printed this last.
    Printed(String),
    /// A race's lost updates, by decade: from `low` to `10 * low - 1`.
    Lost {
        low: u64,
    },
    NoOutput,
    Deadlock,
    TimeLimit,
    Failed,
    Unfinished,
}

impl Label {
    /// In the page's language (a printed line is the program's own).
    pub fn text(&self, l: Lang) -> String {
        match self {
            Label::Printed(line) => line.clone(),
            Label::Lost { low } => i18n::lost_updates(*low, low * 10 - 1, l),
            Label::NoOutput => i18n::OUTCOME_NO_OUTPUT.get(l).to_string(),
            Label::Deadlock => i18n::OUTCOME_DEADLOCK.get(l).to_string(),
            Label::TimeLimit => i18n::OUTCOME_TIME_LIMIT.get(l).to_string(),
            Label::Failed => i18n::OUTCOME_FAILED.get(l).to_string(),
            Label::Unfinished => i18n::OUTCOME_UNFINISHED.get(l).to_string(),
        }
    }
}

/// One shaken run, as it ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub seed: u32,
    pub label: Label,
    pub failed: bool,
    /// A failed run's recorded order and what it printed, to replay it and check the replay
    /// by (a run that did not fail keeps none: a record may be long).
    pub recorded: Option<Rc<Recorded>>,
}

/// What a shaken run left to replay it by.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub replay: Replay,
    /// Its printed lines (stdout), and how it ended.
    pub printed: Vec<String>,
    pub label: Label,
}

/// A replay of a failed run, and once it ended, whether it did what the run did.
#[derive(Clone, Debug, PartialEq)]
pub struct Replaying {
    pub seed: u32,
    /// The page's run id of the replay.
    pub run: u64,
    pub verdict: Option<ReplayVerdict>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReplayVerdict {
    /// It printed the same lines and ended the same way.
    pub same: bool,
    /// The step (from 1) at which the replay found the run going another way than its record.
    pub departed_at: Option<u32>,
}

impl Recorded {
    /// What `run` left, its switches in the order of their passes.
    pub fn of(run: &RunState, label: Label) -> Recorded {
        let mut switches = run.switches.clone();
        switches.sort_by_key(|s| s.at);
        Recorded { replay: Replay { switches }, printed: printed(run), label }
    }

    /// How `replay`, a replay of this record that ended, compares.
    pub fn check(&self, replay: &RunState, check: Check) -> ReplayVerdict {
        let departed_at = replay.lines.iter().find_map(|l| match &l.note {
            Some(Note::Runtime(RuntimeNote::ReplayDeparted { at })) => Some(at + 1),
            _ => None,
        });
        let same = judge(replay, check).0 == self.label && printed(replay) == self.printed;
        ReplayVerdict { same, departed_at }
    }
}

fn printed(run: &RunState) -> Vec<String> {
    run.lines.iter().filter(|l| l.kind == LineKind::Out).map(|l| l.text.clone()).collect()
}

/// Why the runs are being made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Shake,
    Prove,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Shake {
    pub purpose: Purpose,
    pub runs: u32,
    pub check: Check,
    pub outcomes: Vec<Outcome>,
    /// The page's run id of the run going now (its outcome is the next one).
    pub current: Option<u64>,
    /// A replay of one of the failed runs, made or going.
    pub replaying: Option<Replaying>,
}

/// The seed of the n-th run (from 0): never 0, which means "not shaken".
pub fn seed(n: u32) -> u32 {
    n + 1
}

impl Shake {
    pub fn new(purpose: Purpose, runs: u32, check: Check) -> Shake {
        Shake {
            purpose,
            runs: runs.clamp(1, MAX_SHAKE_RUNS),
            check,
            outcomes: Vec::new(),
            current: None,
            replaying: None,
        }
    }

    /// The seed of the next run, or `None` when every run was made.
    pub fn next_seed(&self) -> Option<u32> {
        let made = self.outcomes.len() as u32;
        (made < self.runs).then(|| seed(made))
    }

    pub fn finished(&self) -> bool {
        self.next_seed().is_none()
    }

    /// Takes the outcome of the run that just ended (or deadlocked).
    pub fn record(&mut self, run: &RunState) {
        let seed = seed(self.outcomes.len() as u32);
        let (label, failed) = judge(run, self.check);
        let recorded = failed.then(|| Rc::new(Recorded::of(run, label.clone())));
        self.outcomes.push(Outcome { seed, label, failed, recorded });
        self.current = None;
    }

    pub fn failures(&self) -> usize {
        self.outcomes.iter().filter(|o| o.failed).count()
    }

    pub fn first_failure(&self) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.failed)
    }

    /// The record of the run made with `seed`, if it failed.
    pub fn recorded(&self, seed: u32) -> Option<Rc<Recorded>> {
        self.outcomes.iter().find(|o| o.seed == seed).and_then(|o| o.recorded.clone())
    }

    /// The outcomes grouped: (label, how many runs, whether they failed), most frequent first.
    pub fn histogram(&self) -> Vec<(Label, usize, bool)> {
        let mut bars: Vec<(Label, usize, bool)> = Vec::new();
        for o in &self.outcomes {
            match bars.iter_mut().find(|(label, _, _)| *label == o.label) {
                Some(bar) => bar.1 += 1,
                None => bars.push((o.label.clone(), 1, o.failed)),
            }
        }
        bars.sort_by_key(|b| std::cmp::Reverse(b.1));
        bars
    }
}

/// A finished run's label and whether it failed `check`.
pub fn judge(run: &RunState, check: Check) -> (Label, bool) {
    let printed: Vec<&str> = run.lines.iter().filter(|l| l.kind == LineKind::Out).map(|l| l.text.as_str()).collect();
    let last = printed.last().copied().unwrap_or("");
    let ended = run.status == Status::Done;
    let label = match run.status {
        Status::Done if last.is_empty() => Label::NoOutput,
        Status::Done => {
            lost_updates(last).map_or_else(|| Label::Printed(last.to_string()), |n| Label::Lost { low: decade(n) })
        }
        Status::Deadlock => Label::Deadlock,
        Status::Stopped => Label::TimeLimit,
        Status::Failed => Label::Failed,
        Status::Idle | Status::Running => Label::Unfinished,
    };
    let right = ended
        && match check {
            Check::Ends => true,
            Check::LastLineHas(text) => last.contains(text),
            Check::NoLineHas(text) => !printed.iter().any(|l| l.contains(text)),
            Check::FairShare => fair_share(last),
        };
    (label, !right)
}

/// How many updates a race's last line says were lost (`...: 77896 updates lost`).
fn lost_updates(line: &str) -> Option<u64> {
    let before = line.strip_suffix(" updates lost")?;
    before.rsplit(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// The decade of a count of lost updates (1, 10, 100…), so that the histogram is their
/// distribution.
fn decade(lost: u64) -> u64 {
    10u64.pow(lost.max(1).ilog10())
}

/// `... greedy 812 turns, polite 790 turns`: within a factor of two.
fn fair_share(line: &str) -> bool {
    let numbers: Vec<f64> =
        line.split(|c: char| !c.is_ascii_digit() && c != '.').filter_map(|w| w.parse::<f64>().ok()).collect();
    match numbers[..] {
        [.., greedy, polite] if greedy > 0.0 && polite > 0.0 => greedy.max(polite) <= 2.0 * greedy.min(polite),
        _ => false,
    }
}

/// What the page says of a finished Prove it.
pub fn verdict(shake: &Shake, l: Lang) -> String {
    i18n::prove_verdict(shake.runs as usize, shake.failures(), l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::state::tests::{batch, begun};
    use crate::ui::state::RunAction;
    use pp_runtime::watch::{Record, RecordKind};

    fn ended(lines: &[&str], code: i32) -> RunState {
        let mut s = begun(1);
        let mut records = vec![
            Record { kind: RecordKind::ThreadStart, thread: 1, arg: 0, t_us: 1, payload: b"MainThread".to_vec() },
            Record { kind: RecordKind::RunStart, thread: 1, arg: 0, t_us: 2, payload: vec![] },
        ];
        records.extend(lines.iter().map(|l| Record {
            kind: RecordKind::Line,
            thread: 1,
            arg: 1,
            t_us: 3,
            payload: l.as_bytes().to_vec(),
        }));
        s.act(RunAction::Records { run: 1, processes: vec![batch(1, "MainProcess", true, records)] });
        s.act(RunAction::Exit { run: 1, code });
        s
    }

    #[test]
    fn a_race_lab_fails_a_run_that_lost_updates() {
        let check = lab("pitfall-race").unwrap().check;
        let lost = judge(&ended(&["4 threads", "expected 400, got 390: 10 updates lost"], 0), check);
        assert_eq!(lost, (Label::Lost { low: 10 }, true), "the histogram bins lost updates by decade");
        assert_eq!(lost.0.text(Lang::En), "10–99 updates lost");
        assert_eq!(judge(&ended(&["expected 9, got 2: 7 updates lost"], 0), check).0, Label::Lost { low: 1 });
        let right = judge(&ended(&["4 threads", "expected 400, got 400: no update lost"], 0), check);
        assert!(!right.1);
        assert!(judge(&ended(&["expected 400, got 400: no update lost"], 1), check).1, "a run that failed");
    }

    #[test]
    fn a_deadlock_is_a_failure_and_its_own_bar() {
        let mut s = ended(&[], 0);
        s.status = Status::Deadlock;
        let mut shake = Shake::new(Purpose::Shake, 3, Check::Ends);
        shake.record(&s);
        shake.record(&ended(&["both transfers done"], 0));
        shake.record(&s);
        assert!(shake.finished());
        assert_eq!(shake.failures(), 2);
        assert_eq!(shake.first_failure().map(|o| o.seed), Some(1));
        assert_eq!(
            shake.histogram(),
            [(Label::Deadlock, 2, true), (Label::Printed("both transfers done".to_string()), 1, false)]
        );
        assert_eq!(Label::Deadlock.text(Lang::Zh), "死锁");
    }

    #[test]
    fn a_failed_run_keeps_its_order_and_a_replay_is_checked_against_it() {
        let check = lab("pitfall-race").unwrap().check;
        let mut shaken = ended(&["expected 400, got 390: 10 updates lost"], 0);
        let switch = |at, thread| pp_platform::request::Switch { at, thread, point: 8, line: 3 };
        shaken.switches = vec![switch(5, 3), switch(0, 2)];
        let mut shake = Shake::new(Purpose::Shake, 2, check);
        shake.record(&ended(&["expected 400, got 400: no update lost"], 0));
        shake.record(&shaken);
        assert_eq!(shake.recorded(1), None, "a run that did not fail keeps no record");
        let recorded = shake.recorded(2).expect("the failed run's record");
        assert_eq!(recorded.replay.switches, [switch(0, 2), switch(5, 3)], "in the order of their passes");
        let same = recorded.check(&ended(&["expected 400, got 390: 10 updates lost"], 0), check);
        assert_eq!((same.same, same.departed_at), (true, None));
        let other = recorded.check(&ended(&["expected 400, got 391: 9 updates lost"], 0), check);
        assert!(!other.same, "another count of lost updates is another outcome");
        let mut departed = ended(&["expected 400, got 390: 10 updates lost"], 0);
        departed.act(RunAction::Records {
            run: 1,
            processes: vec![batch(
                1,
                "MainProcess",
                true,
                vec![Record {
                    kind: RecordKind::Note,
                    thread: 1,
                    arg: 0,
                    t_us: 9,
                    payload: pp_runtime::watch::record::encode_note(&RuntimeNote::ReplayDeparted { at: 41 }),
                }],
            )],
        });
        assert_eq!(recorded.check(&departed, check).departed_at, Some(42), "said from 1");
    }

    #[test]
    fn seeds_count_from_one_and_the_runs_are_bounded() {
        let shake = Shake::new(Purpose::Prove, 5000, Check::Ends);
        assert_eq!((shake.runs, shake.next_seed()), (MAX_SHAKE_RUNS, Some(1)));
    }

    #[test]
    fn a_fair_share_is_within_a_factor_of_two() {
        assert!(fair_share("1.0 s on a fair lock: greedy 812 turns, polite 790 turns"));
        assert!(!fair_share("1.0 s on an unfair lock: greedy 2400 turns, polite 12 turns"));
        assert!(!fair_share("no numbers"));
    }
}
