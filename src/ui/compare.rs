//! Two finished runs of one example, side by side: each told as the order in which things
//! happened (threads starting and ending, lines printed, and who let whom go on: each lock
//! granted, each put that satisfied a get, each join that returned), and where the two orders
//! first differ. Times are left out: two runs never match to the microsecond, and what a
//! learner compares is the order.

use crate::ui::state::{LineKind, RunState};
use pp_runtime::watch::Why;

/// Steps kept of a run (a run that prints without end would otherwise be kept whole).
pub const MAX_STEPS: usize = 5000;

/// What happened, to whom (a thread's name, as the console tags it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub who: String,
    pub what: What,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum What {
    Started,
    Printed(String),
    /// The thread went on on `object` (doing `why`) because `by` let it.
    WokenBy {
        by: String,
        object: String,
        why: Option<Why>,
    },
    Ended,
}

/// A finished run, told as its steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Story {
    /// The page's number of the run.
    pub run: u64,
    pub steps: Vec<Step>,
    /// Whether the run had more than [`MAX_STEPS`] steps (the rest are not compared).
    pub cut: bool,
}

/// `run`'s steps, in the order they happened (at one microsecond: starts, wakes, lines,
/// ends, as the same thread would have done them). Made once a run has ended: what is kept of
/// a long run (its first [`MAX_STEPS`]) is chosen before anything is copied, so that a run
/// that printed without end is not copied whole.
pub fn story(run: &RunState) -> Story {
    /// Where a step comes from: an index into the run's lanes, wakes or lines.
    enum Source {
        Start(usize),
        End(usize),
        Wake(usize),
        Line(usize),
    }
    // (time, rank, arrival, source)
    let mut timed: Vec<(u64, u8, usize, Source)> = Vec::new();
    for (i, lane) in run.lanes.iter().enumerate() {
        timed.push((lane.from_us, 0, timed.len(), Source::Start(i)));
        if let Some(end) = lane.to_us {
            timed.push((end, 3, timed.len(), Source::End(i)));
        }
    }
    for (i, w) in run.wakes.iter().enumerate() {
        timed.push((w.to_us, 1, timed.len(), Source::Wake(i)));
    }
    for (i, line) in run.lines.iter().enumerate().filter(|(_, l)| l.kind != LineKind::Note) {
        timed.push((line.at_us, 2, timed.len(), Source::Line(i)));
    }
    // The arrival breaks ties: records of one thread at one microsecond keep their order, and
    // the first MAX_STEPS can be picked without sorting the rest.
    let cut = timed.len() > MAX_STEPS;
    if cut {
        timed.select_nth_unstable_by_key(MAX_STEPS, |(at, rank, seq, _)| (*at, *rank, *seq));
        timed.truncate(MAX_STEPS);
    }
    timed.sort_unstable_by_key(|(at, rank, seq, _)| (*at, *rank, *seq));
    let step = |source: &Source| match *source {
        Source::Start(i) => Step { who: run.lanes[i].name.clone(), what: What::Started },
        Source::End(i) => Step { who: run.lanes[i].name.clone(), what: What::Ended },
        Source::Wake(i) => {
            let w = &run.wakes[i];
            let (to, by) = (&run.lanes[w.to], &run.lanes[w.from]);
            let object = run.object_name(to.pid, w.object);
            Step { who: to.name.clone(), what: What::WokenBy { by: by.name.clone(), object, why: w.why } }
        }
        Source::Line(i) => {
            let line = &run.lines[i];
            Step { who: line.who.clone(), what: What::Printed(line.text.clone()) }
        }
    };
    Story { run: run.run, steps: timed.iter().map(|(_, _, _, source)| step(source)).collect(), cut }
}

/// Where two runs' orders first differ: the index of the first step that is not the same in
/// both (one may have ended there), or `None` when they went the same way.
pub fn first_difference(a: &Story, b: &Story) -> Option<usize> {
    let same = a.steps.iter().zip(&b.steps).take_while(|(x, y)| x == y).count();
    (same < a.steps.len().max(b.steps.len())).then_some(same)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::state::tests::{finished, run_records};
    use pp_runtime::watch::RecordKind;

    #[test]
    fn a_run_is_told_in_the_order_things_happened() {
        let s = story(&finished(run_records(), 1));
        let said: Vec<(&str, &What)> = s.steps.iter().map(|st| (st.who.as_str(), &st.what)).collect();
        let woken = What::WokenBy { by: "MainThread".into(), object: "lock 1".into(), why: Some(Why::Acquire) };
        assert_eq!(
            said,
            [
                ("MainThread", &What::Started),
                ("worker", &What::Started),
                ("worker", &woken),
                ("worker", &What::Printed("i am working".into())),
                ("worker", &What::Ended),
                ("MainThread", &What::Printed("oops".into())),
            ]
        );
        assert!(!s.cut);
    }

    #[test]
    fn two_runs_differ_where_their_orders_first_part() {
        let a = story(&finished(run_records(), 1));
        assert_eq!(first_difference(&a, &a.clone()), None, "a run goes the same way as itself");
        // The same run, but the main thread prints before the worker ends.
        let mut records = run_records();
        let oops = records.iter().position(|r| r.kind == RecordKind::Line && r.payload == b"oops").unwrap();
        let mut line = records.remove(oops);
        line.t_us = records.iter().find(|r| r.kind == RecordKind::ThreadEnd).unwrap().t_us - 50;
        records.push(line);
        let b = story(&finished(records, 2));
        assert_eq!(first_difference(&a, &b), Some(4), "the worker's end against the main thread's line");
        let shorter = Story { steps: a.steps[..3].to_vec(), ..a.clone() };
        assert_eq!(first_difference(&a, &shorter), Some(3), "one run went on where the other ended");
    }
    /// A run that printed more than MAX_STEPS lines, many at one microsecond: its first
    /// MAX_STEPS steps in order, as a stable sort of every step would put them.
    #[test]
    fn a_long_run_is_told_by_its_first_steps_in_order() {
        let mut records = run_records();
        let exit = records.pop().unwrap();
        let t0 = records.iter().find(|r| r.payload == b"oops").unwrap().t_us;
        for i in 0..2 * MAX_STEPS as u64 {
            let (thread, t_us) = (1 + (i % 2) as u32, t0 - 400 + i / 3);
            records.push(pp_runtime::watch::record::Record {
                kind: RecordKind::Line,
                thread,
                arg: 1,
                t_us,
                payload: format!("line {i}").into_bytes(),
            });
        }
        records.push(exit);
        let run = finished(records, 1);
        let s = story(&run);
        assert!(s.cut);
        assert_eq!(s.steps.len(), MAX_STEPS);
        // Every step, stably sorted: what the story must begin with.
        let mut all: Vec<(u64, u8, Step)> = Vec::new();
        for lane in &run.lanes {
            all.push((lane.from_us, 0, Step { who: lane.name.clone(), what: What::Started }));
            if let Some(end) = lane.to_us {
                all.push((end, 3, Step { who: lane.name.clone(), what: What::Ended }));
            }
        }
        for w in &run.wakes {
            let (to, by) = (&run.lanes[w.to], &run.lanes[w.from]);
            let what = What::WokenBy { by: by.name.clone(), object: run.object_name(to.pid, w.object), why: w.why };
            all.push((w.to_us, 1, Step { who: to.name.clone(), what }));
        }
        for line in run.lines.iter().filter(|l| l.kind != LineKind::Note) {
            all.push((line.at_us, 2, Step { who: line.who.clone(), what: What::Printed(line.text.clone()) }));
        }
        all.sort_by_key(|(at, rank, _)| (*at, *rank));
        let expected: Vec<Step> = all.into_iter().take(MAX_STEPS).map(|(_, _, s)| s).collect();
        assert_eq!(s.steps, expected);
    }
}
