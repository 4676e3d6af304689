//! Be the scheduler: what the page keeps of a stepped run (`pp_runtime::watch::step`): the
//! threads the learner may let go now, the order they chose, and a replay of that order.

use pp_runtime::watch::step::{Choice, Point};
use std::collections::VecDeque;

/// A stepped run, as the page shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stepping {
    /// The threads the learner may let go; `None` while one runs to its next point.
    pub choices: Option<Vec<StepChoice>>,
    /// The threads let go, by name, in order: the schedule the learner made.
    pub order: Vec<String>,
    /// The learner let the run go on by itself.
    pub free: bool,
}

/// A parked thread, by name.
#[derive(Clone, Debug, PartialEq)]
pub struct StepChoice {
    pub name: String,
    pub choice: Choice,
}

/// How long a stepped run may take: the learner thinks between steps.
pub const STEPPED_RUN_LIMIT_S: u32 = 3600;

/// A schedule played back: the names to let go, in order, at each settled moment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Playback {
    pub left: VecDeque<String>,
    /// How many were played.
    pub played: usize,
    /// The step at which the run no longer offered the next name (the program or its
    /// timing changed): the learner goes on by hand from there.
    pub diverged_at: Option<usize>,
}

impl Playback {
    pub fn new(order: &[String]) -> Playback {
        Playback { left: order.iter().cloned().collect(), ..Playback::default() }
    }

    /// The thread to let go among `choices`, if the schedule has one for now.
    pub fn next(&mut self, choices: &[StepChoice]) -> Option<u32> {
        if self.diverged_at.is_some() || choices.is_empty() {
            return None;
        }
        let name = self.left.front()?;
        match choices.iter().find(|c| &c.name == name) {
            Some(c) => {
                self.left.pop_front();
                self.played += 1;
                Some(c.choice.thread)
            }
            None => {
                self.diverged_at = Some(self.played + 1);
                None
            }
        }
    }

    pub fn done(&self) -> bool {
        self.left.is_empty() || self.diverged_at.is_some()
    }
}

/// The key that lets the `i`-th choice go ("1".."9").
pub fn key_of(i: usize) -> Option<char> {
    (i < 9).then(|| char::from(b'1' + i as u8))
}

/// Where a point is, for the learner's eyes: `None` for a line, whose text is shown instead.
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
    fn a_playback_lets_go_the_named_threads_and_stops_where_the_run_differs() {
        let mut p = Playback::new(&["A".into(), "B".into(), "A".into()]);
        assert_eq!(p.next(&[choice("A", 2), choice("B", 3)]), Some(2));
        assert_eq!(p.next(&[]), None, "nothing settled: wait");
        assert_eq!(p.next(&[choice("A", 2), choice("B", 3)]), Some(3));
        assert_eq!(p.next(&[choice("B", 3)]), None, "A is not offered");
        assert_eq!(p.diverged_at, Some(3));
        assert!(p.done());
        assert_eq!(key_of(0), Some('1'));
        assert_eq!(key_of(9), None);
    }
}
