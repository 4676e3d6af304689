//! A run as a Chrome trace-event file (the "JSON Object Format", `{"traceEvents": [...]}`),
//! which Perfetto and Chrome's tracing view open, and which VizTracer writes for CPython: a
//! teacher can lay the playground's run beside CPython's.
//!
//! One track per thread, in a process per process: metadata events name them, a complete
//! event ("X") spans each thread's life, one more each wait (what on, in the page's words),
//! an instant event ("i") marks each printed line and each note of the page, and a flow
//! ("s" to "f") each who-woke-whom hand-over, as the timeline's arrows. Times are
//! microseconds from the program's first instruction, as the timeline draws them.

use crate::i18n::Lang;
use crate::ui::state::{LineKind, RunState};
use serde::Serialize;
use std::collections::BTreeMap;

/// What `JSON.stringify` (or serde_json) writes as the file.
#[derive(Serialize, Debug, PartialEq)]
pub struct Trace {
    #[serde(rename = "traceEvents")]
    pub trace_events: Vec<Event>,
    #[serde(rename = "displayTimeUnit")]
    pub display_time_unit: &'static str,
}

/// One trace event; the fields a kind of event does not have are left out.
#[derive(Serialize, Debug, PartialEq)]
pub struct Event {
    pub name: String,
    /// "M" names a process or a thread, "X" spans, "i" marks an instant.
    pub ph: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cat: Option<&'static str>,
    pub pid: u32,
    pub tid: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ts: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dur: Option<u64>,
    /// An instant's scope: "t", its thread.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub s: Option<&'static str>,
    /// A flow's id: its start and its end share it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<u32>,
    /// A flow end's binding point: "e", the slice enclosing it (the woken thread's wait).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bp: Option<&'static str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<&'static str, String>,
}

impl Event {
    fn new(name: impl Into<String>, ph: &'static str, pid: u32, tid: u32) -> Event {
        Event {
            name: name.into(),
            ph,
            cat: None,
            pid,
            tid,
            ts: None,
            dur: None,
            s: None,
            id: None,
            bp: None,
            args: BTreeMap::new(),
        }
    }

    fn span(mut self, cat: &'static str, from_us: u64, to_us: u64) -> Event {
        self.cat = Some(cat);
        self.ts = Some(from_us);
        self.dur = Some(to_us.saturating_sub(from_us));
        self
    }

    fn arg(mut self, key: &'static str, value: impl Into<String>) -> Event {
        self.args.insert(key, value.into());
        self
    }
}

/// The page's own notes (stopped, deadlock…) go on a track of their own, thread 0 of the
/// run's first process: no thread of the program has id 0 here (tracks are numbered from 1).
const PAGE_TRACK: u32 = 0;

/// `run` as a trace, its labels in `lang`.
pub fn trace(run: &RunState, lang: Lang) -> Trace {
    let mut events = Vec::new();
    let root = run.root_pid.or_else(|| run.lanes.first().map(|l| l.pid)).unwrap_or(0);
    let end = run.elapsed_us.unwrap_or(run.last_us);
    let mut pids: Vec<u32> = run.lanes.iter().map(|l| l.pid).collect();
    pids.dedup();
    for pid in pids.iter().copied().chain(std::iter::once(root)).collect::<std::collections::BTreeSet<_>>() {
        let name = run.process_name(pid).unwrap_or("MainProcess");
        events.push(Event::new("process_name", "M", pid, 0).arg("name", name));
    }
    events.push(Event::new("thread_name", "M", root, PAGE_TRACK).arg("name", "playground"));
    // A track per lane, not per thread id: a thread's id is reused once it ended, and two
    // threads on one track would read as one.
    for (i, lane) in run.lanes.iter().enumerate() {
        let tid = i as u32 + 1;
        let to = lane.to_us.unwrap_or(end);
        events.push(Event::new("thread_name", "M", lane.pid, tid).arg("name", lane.name.as_str()));
        events.push(Event::new(lane.name.as_str(), "X", lane.pid, tid).span("thread", lane.from_us, to));
        for w in &lane.waits {
            let label = run.wait_label(lane.pid, w, lang);
            events.push(Event::new(label, "X", lane.pid, tid).span("wait", w.from_us, w.to_us.unwrap_or(to)));
        }
    }
    for (id, w) in run.wakes.iter().enumerate() {
        let (from, woken) = (&run.lanes[w.from], &run.lanes[w.to]);
        let label = run.label(woken.pid, w.object, w.why, lang);
        let flow = |ph, pid, tid, ts| {
            let mut e = Event::new(label.as_str(), ph, pid, tid);
            (e.cat, e.ts, e.id) = (Some("wake"), Some(ts), Some(id as u32 + 1));
            e
        };
        events.push(flow("s", from.pid, w.from as u32 + 1, w.from_us));
        let mut end = flow("f", woken.pid, w.to as u32 + 1, w.to_us);
        end.bp = Some("e");
        events.push(end);
    }
    for line in &run.lines {
        let (pid, tid) = match line.kind {
            LineKind::Note => (root, PAGE_TRACK),
            // The line's thread: the last lane of that name begun by then.
            LineKind::Out | LineKind::Err => run
                .lanes
                .iter()
                .enumerate()
                .rev()
                .find(|(_, l)| l.name == line.who && l.from_us <= line.at_us)
                .map_or((root, PAGE_TRACK), |(i, l)| (l.pid, i as u32 + 1)),
        };
        let (cat, text) = match (&line.note, line.kind) {
            (Some(note), _) => ("note", note.text(lang)),
            (None, LineKind::Err) => ("stderr", line.text.clone()),
            (None, _) => ("print", line.text.clone()),
        };
        let mut event = Event::new(cat, "i", pid, tid).arg("text", text);
        event.cat = Some(cat);
        event.ts = Some(line.at_us);
        event.s = Some("t");
        events.push(event);
    }
    Trace { trace_events: events, display_time_unit: "ms" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::state::tests::{batch, begun, run_records};
    use crate::ui::state::RunAction;

    fn finished_run() -> RunState {
        let mut s = begun(1);
        s.act(RunAction::Records { run: 1, processes: vec![batch(1000, "MainProcess", true, run_records())] });
        s.act(RunAction::Exit { run: 1, code: 0 });
        s
    }

    #[test]
    fn every_thread_is_a_named_track_with_its_life_and_its_waits() {
        let t = trace(&finished_run(), Lang::En);
        let names: Vec<(&str, u32)> = t
            .trace_events
            .iter()
            .filter(|e| e.name == "thread_name")
            .map(|e| (e.args["name"].as_str(), e.tid))
            .collect();
        assert_eq!(names, vec![("playground", 0), ("MainThread", 1), ("worker", 2)]);
        let spans: Vec<(&str, &str, u32, u64, u64)> = t
            .trace_events
            .iter()
            .filter(|e| e.ph == "X")
            .map(|e| (e.name.as_str(), e.cat.unwrap(), e.tid, e.ts.unwrap(), e.dur.unwrap()))
            .collect();
        assert!(spans.contains(&("worker", "thread", 2, 100, 1300)), "{spans:?}");
        assert!(spans.contains(&("acquire lock 1", "wait", 2, 200, 1000)), "{spans:?}");
    }

    #[test]
    fn printed_lines_are_instants_on_their_threads_track() {
        let t = trace(&finished_run(), Lang::En);
        let lines: Vec<(&str, u32, u64, &str)> = t
            .trace_events
            .iter()
            .filter(|e| e.ph == "i")
            .map(|e| (e.name.as_str(), e.tid, e.ts.unwrap(), e.args["text"].as_str()))
            .collect();
        assert_eq!(lines, vec![("print", 2, 1300, "i am working"), ("stderr", 1, 1500, "oops")]);
    }

    /// The timeline's arrow, as a flow from the main thread's hand-over to the worker's wait.
    #[test]
    fn a_hand_over_is_a_flow_from_the_waker_to_the_woken() {
        let t = trace(&finished_run(), Lang::En);
        let flows: Vec<(&str, u32, u64, Option<u32>)> = t
            .trace_events
            .iter()
            .filter(|e| e.cat == Some("wake"))
            .map(|e| (e.ph, e.tid, e.ts.unwrap(), e.id))
            .collect();
        assert_eq!(flows, vec![("s", 1, 1210, Some(1)), ("f", 2, 1210, Some(1))]);
    }

    #[test]
    fn the_file_is_trace_event_json() {
        let json = serde_json::to_value(trace(&finished_run(), Lang::En)).unwrap();
        let events = json["traceEvents"].as_array().unwrap();
        assert_eq!(json["displayTimeUnit"], "ms");
        assert!(events.iter().all(|e| e["ph"].is_string() && e["pid"].is_u64() && e["tid"].is_u64()));
        let thread = events.iter().find(|e| e["name"] == "worker").unwrap();
        assert_eq!((thread["ts"].as_u64(), thread["dur"].as_u64()), (Some(100), Some(1300)));
        assert!(thread.get("s").is_none(), "fields a span has not are left out");
    }
}
