//! A finished run, replayed: the moments at which something happened (a thread started or
//! ended, a wait began or ended, a line was printed, a lock changed threads), and what the run
//! looked like at each: the lines printed so far, each thread's state and what it waited for,
//! who last took each lock, and who waited for whom.
//!
//! Built from the run's lanes, lines and who-woke-whom arrows, as the page drew them. A lock
//! records who takes it from another thread, not every release: "last taken by" is who took
//! it last, which may have let it go since.

use crate::ui::state::{ConsoleLine, LineKind, RunState, Wait};
use pp_runtime::watch::Why;

/// A thread at one moment.
#[derive(Clone, Debug, PartialEq)]
pub enum ThreadAt {
    NotStarted,
    Running,
    /// Waiting on an object (its id in the thread's process; 0 for none), doing `why`.
    Waiting {
        object: u32,
        why: Option<Why>,
    },
    Sleeping,
    Done,
}

impl ThreadAt {
    /// The page contract's word for it.
    pub fn as_str(&self) -> &'static str {
        match self {
            ThreadAt::NotStarted => "not-started",
            ThreadAt::Running => "running",
            ThreadAt::Waiting { .. } => "waiting",
            ThreadAt::Sleeping => "sleeping",
            ThreadAt::Done => "done",
        }
    }
}

/// Who waited for whom at one moment: the waiting lane, the object (pid, id), and the lane
/// that last took it, if a lock.
pub type WaitsFor = (usize, (u32, u32), Option<usize>);

#[derive(Clone, Debug, PartialEq)]
pub struct Moment {
    pub at_us: u64,
    /// How many lines the program had printed by then (the page's notes not counted).
    pub lines: usize,
    /// Each lane's state, in lane order.
    pub threads: Vec<ThreadAt>,
    pub waits_for: Vec<WaitsFor>,
}

/// The lines the program printed (not the page's notes), in order.
pub fn printed(run: &RunState) -> impl Iterator<Item = &ConsoleLine> {
    run.lines.iter().filter(|l| l.kind != LineKind::Note)
}

/// The times at which something happened, in order, each once (µs since the run's start).
pub fn steps(run: &RunState) -> Vec<u64> {
    let end = run.elapsed_us.unwrap_or(run.last_us);
    let mut times: Vec<u64> = std::iter::once(0)
        .chain(run.lanes.iter().flat_map(|l| [Some(l.from_us), l.to_us]).flatten())
        .chain(run.lanes.iter().flat_map(|l| l.waits.iter().flat_map(|w| [Some(w.from_us), w.to_us]).flatten()))
        .chain(run.lines.iter().map(|l| l.at_us))
        .chain(run.wakes.iter().map(|w| w.to_us))
        .chain(std::iter::once(end))
        .filter(|&t| t <= end)
        .collect();
    times.sort_unstable();
    times.dedup();
    times
}

/// The run as it was at `at_us`: what happened at `at_us` has happened.
pub fn moment(run: &RunState, at_us: u64) -> Moment {
    let lines = printed(run).take_while(|l| l.at_us <= at_us).count();
    let covers = |w: &&Wait| w.from_us <= at_us && w.to_us.is_none_or(|end| at_us < end);
    let threads: Vec<ThreadAt> = run
        .lanes
        .iter()
        .map(|lane| {
            if at_us < lane.from_us {
                return ThreadAt::NotStarted;
            }
            if lane.to_us.is_some_and(|end| at_us >= end) {
                return ThreadAt::Done;
            }
            // The innermost wait open then (they nest).
            match lane.waits.iter().rev().find(covers) {
                Some(w) if w.object == 0 && matches!(w.why, Some(Why::Sleep) | None) => ThreadAt::Sleeping,
                Some(w) => ThreadAt::Waiting { object: w.object, why: w.why },
                None => ThreadAt::Running,
            }
        })
        .collect();
    let last_taker = |pid: u32, object: u32| {
        run.wakes
            .iter()
            .filter(|w| w.to_us <= at_us && w.why == Some(Why::Acquire) && w.object == object)
            .filter(|w| run.lanes[w.to].pid == pid)
            .max_by_key(|w| w.to_us)
            .map(|w| w.to)
    };
    let waits_for = threads
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t {
            ThreadAt::Waiting { object, .. } if *object != 0 => {
                let pid = run.lanes[i].pid;
                Some((i, (pid, *object), last_taker(pid, *object).filter(|&taker| taker != i)))
            }
            _ => None,
        })
        .collect();
    Moment { at_us, lines, threads, waits_for }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::state::tests::{finished as finished_with, run_records};

    fn finished() -> RunState {
        finished_with(run_records(), 1)
    }

    #[test]
    fn the_steps_are_the_times_something_happened() {
        assert_eq!(steps(&finished()), [0, 100, 200, 1200, 1210, 1300, 1400, 1500, 2000]);
    }

    #[test]
    fn a_moment_shows_the_lines_so_far_and_each_threads_state() {
        let s = finished();
        let before = moment(&s, 50);
        assert_eq!((before.lines, before.threads.clone()), (0, vec![ThreadAt::Running, ThreadAt::NotStarted]));
        let waiting = moment(&s, 700);
        assert_eq!(waiting.threads[1], ThreadAt::Waiting { object: 7, why: Some(Why::Acquire) });
        assert_eq!(waiting.waits_for, [(1, (1000, 7), None)], "nobody took the lock from another thread yet");
        let printed = moment(&s, 1300);
        assert_eq!((printed.lines, printed.threads[1].clone()), (1, ThreadAt::Running));
        let after = moment(&s, 1450);
        assert_eq!((after.lines, after.threads[1].clone()), (1, ThreadAt::Done));
        assert_eq!(moment(&s, 2000).lines, 2);
    }
}
