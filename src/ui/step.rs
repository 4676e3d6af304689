//! Be the scheduler: what the page keeps of a stepped run (`pp_runtime::watch::step`): the
//! threads the learner may let go now, the order they chose, and a replay of that order.

use pp_runtime::watch::step::{Choice, Point};
use std::collections::VecDeque;

/// A stepped run, as the page shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stepping {
    /// The threads the learner may let go; `None` while one runs to its next point.
    pub choices: Option<Vec<StepChoice>>,
    /// The threads let go, by name, in order: the schedule the learner made, as it is shown.
    pub order: Vec<String>,
    /// The same schedule as a link keeps it and a playback follows.
    pub schedule: Schedule,
}

/// A parked thread, by name.
#[derive(Clone, Debug, PartialEq)]
pub struct StepChoice {
    pub name: String,
    pub choice: Choice,
}

/// How long a stepped run may take: the learner thinks between steps.
pub const STEPPED_RUN_LIMIT_S: u32 = 3600;

/// A schedule played back: at each settled moment, the choice at its next place; then, if
/// the learner let the run go on by itself there, the same.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Playback {
    pub left: VecDeque<usize>,
    /// Let the run go on by itself once the places are played.
    pub then_free: bool,
    /// How many were played.
    pub played: usize,
    /// The step at which the run offered fewer choices than the schedule's next place (the
    /// program or its timing changed): the learner goes on by hand from there.
    pub diverged_at: Option<usize>,
}

impl Playback {
    pub fn new(schedule: &Schedule) -> Playback {
        Playback { left: schedule.picks.iter().copied().collect(), then_free: schedule.free, ..Playback::default() }
    }

    /// Whether the run is to go on by itself now (once: it says so the first time).
    pub fn take_free(&mut self) -> bool {
        let now = self.left.is_empty() && self.diverged_at.is_none() && self.then_free;
        self.then_free &= !now;
        now
    }

    /// The thread to let go among `choices`, and its place, if the schedule has one for now.
    pub fn next(&mut self, choices: &[StepChoice]) -> Option<(u32, usize)> {
        if self.diverged_at.is_some() || choices.is_empty() {
            return None;
        }
        let place = *self.left.front()?;
        match choices.get(place) {
            Some(c) => {
                self.left.pop_front();
                self.played += 1;
                Some((c.choice.thread, place))
            }
            None => {
                self.diverged_at = Some(self.played + 1);
                None
            }
        }
    }

    pub fn done(&self) -> bool {
        (self.left.is_empty() && !self.then_free) || self.diverged_at.is_some()
    }
}

/// A stepped run's schedule: each step's place among the choices offered then, and whether
/// the learner let the run go on by itself after the last one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schedule {
    pub picks: Vec<usize>,
    pub free: bool,
}

/// How a link's schedule says "then let it run".
const FREE: &str = "go";

/// The longest schedule a link keeps.
pub const MAX_SCHEDULE: usize = 10_000;

/// A schedule as a link's `schedule=` value: the places, dot-separated, and `go` last if the run
/// was let go by itself (`0.1.1.go`).
pub fn encode_schedule(schedule: &Schedule) -> String {
    let places = schedule.picks.iter().map(usize::to_string);
    places.chain(schedule.free.then(|| FREE.to_string())).collect::<Vec<_>>().join(".")
}

/// A link's `schedule=` value, if it is a schedule (places below the table's thread slots, at
/// most [`MAX_SCHEDULE`] of them, `go` only last).
pub fn decode_schedule(raw: &str) -> Option<Schedule> {
    let raw = raw.trim();
    let (places, free) = match raw.strip_suffix(FREE) {
        Some(rest) => (rest.strip_suffix('.').unwrap_or(rest), true),
        None => (raw, false),
    };
    let picks: Vec<usize> = if places.is_empty() && free {
        Vec::new()
    } else {
        places
            .split('.')
            .map(|p| p.parse::<usize>().ok().filter(|&i| i < pp_runtime::watch::THREAD_SLOTS))
            .collect::<Option<_>>()?
    };
    ((!picks.is_empty() || free) && picks.len() <= MAX_SCHEDULE).then_some(Schedule { picks, free })
}

/// The key that lets the `i`-th choice go ("1".."9").
pub fn key_of(i: usize) -> Option<char> {
    (i < 9).then(|| char::from(b'1' + i as u8))
}

/// Whether a point stands on a line of the program (whose text the page shows beside it).
pub fn is_line(point: Point) -> bool {
    matches!(point, Point::Line | Point::Store)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(name: &str, thread: u32) -> StepChoice {
        StepChoice { name: name.into(), choice: Choice { thread, point: Point::Line, line: 3 } }
    }

    #[test]
    fn a_playback_lets_go_the_places_chosen_and_stops_where_the_run_differs() {
        let mut p = Playback::new(&Schedule { picks: vec![0, 1, 1], free: false });
        assert_eq!(p.next(&[choice("A", 2), choice("B", 3)]), Some((2, 0)));
        assert_eq!(p.next(&[]), None, "nothing settled: wait");
        assert_eq!(p.next(&[choice("A", 2), choice("B", 3)]), Some((3, 1)));
        assert_eq!(p.next(&[choice("B", 3)]), None, "no second choice now");
        assert_eq!(p.diverged_at, Some(3));
        assert!(p.done() && !p.take_free());
        let mut free = Playback::new(&Schedule { picks: vec![0], free: true });
        assert!(!free.take_free(), "a place is left");
        assert_eq!(free.next(&[choice("A", 2)]), Some((2, 0)));
        assert!(!free.done() && free.take_free() && free.done() && !free.take_free());
        assert_eq!(key_of(0), Some('1'));
        assert_eq!(key_of(9), None);
    }

    #[test]
    fn a_schedule_survives_its_link_and_a_bad_one_is_refused() {
        for schedule in [
            Schedule { picks: vec![0, 2, 11, 1], free: false },
            Schedule { picks: vec![1], free: true },
            Schedule { picks: vec![], free: true },
        ] {
            assert_eq!(decode_schedule(&encode_schedule(&schedule)), Some(schedule));
        }
        assert_eq!(encode_schedule(&Schedule { picks: vec![0, 1], free: true }), "0.1.go");
        let too_long = vec!["0"; MAX_SCHEDULE + 1].join(".");
        for bad in ["", "1..2", "a", "1.-1", "512", "go.1", "1.go.go", too_long.as_str()] {
            assert_eq!(decode_schedule(bad), None, "{bad:.20}");
        }
    }
}
