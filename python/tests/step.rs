//! Step mode in the learner's Python: each new line of the program and each write of a shared
//! name is a point, so a scheduler (here `pp_testing::step`'s, as the page is one) can put two
//! threads' `counter += 1` read-read-write-write, and lose an update by hand.
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::watch::step::{Choice, Point};
use pp_testing::harness::{capture_with, Captured};
use pp_testing::step::Scheduler;

const RACE: &str = include_str!("../../tests/e2e/fixtures/python/step_race.py");
/// `counter += 1` in the program (its comment says so too).
const INCREMENT_LINE: u32 = 11;
const MAIN: u32 = 1;

fn stepped(gil: bool, pick: impl FnMut(&[Choice]) -> u32 + Send + 'static) -> (Captured, usize) {
    stepped_program(RACE, gil, pick)
}

fn stepped_program(program: &str, gil: bool, pick: impl FnMut(&[Choice]) -> u32 + Send + 'static) -> (Captured, usize) {
    let mut turns = 0;
    let c = capture_with(gil, || {
        let scheduler = Scheduler::start(pick);
        let out = pp_python::interp::run_in_this_process(program);
        turns = scheduler.finish();
        out
    });
    (c, turns)
}

#[test]
fn a_scheduler_loses_an_update_by_hand() {
    for gil in [true, false] {
        // Once one counting thread waits to write (it has read), the other one reads too.
        let (c, turns) = stepped(gil, |choices| {
            let writing: Vec<u32> = choices
                .iter()
                .filter(|c| c.point == Point::Store && c.line == INCREMENT_LINE)
                .map(|c| c.thread)
                .collect();
            let counting = || choices.iter().map(|c| c.thread).filter(|&t| t != MAIN);
            match writing[..] {
                [] => counting().max().unwrap_or(choices[0].thread),
                // Not started yet: the main thread starts it.
                [one] => counting()
                    .find(|&t| t != one)
                    .or_else(|| choices.iter().map(|c| c.thread).find(|&t| t == MAIN))
                    .unwrap_or(one),
                [first, ..] => first,
            }
        });
        assert_eq!(c.exit.code, 0, "{:?}", c.texts());
        assert_eq!(c.texts(), ["expected 2, got 1"], "gil {gil}");
        assert!(turns >= 6, "{turns} turns");
        // Each thread to its end before the next: nothing is lost.
        let (c, _) = stepped(gil, |choices| choices.iter().map(|c| c.thread).max().unwrap());
        assert_eq!(c.texts(), ["expected 2, got 2"], "gil {gil}");
    }
}

/// A thread spinning on a one-line loop is stepped at each turn of it (a jump back is a new
/// step), so a scheduler taking turns lets the main thread set the flag it waits for; without
/// those steps it would spin on alone and the run would never settle again.
#[test]
fn a_one_line_loop_is_a_step_each_time_round() {
    const SPIN: &str = "\
import threading
ready = False
def wait():
    while not ready: pass
    print('saw it')
t = threading.Thread(target=wait)
t.start()
ready = True
t.join()
";
    for gil in [true, false] {
        let mut last = 0;
        // Each turn to another thread than the last one, where there is one.
        let (c, turns) = stepped_program(SPIN, gil, move |choices| {
            let next = choices.iter().map(|c| c.thread).find(|&t| t != last).unwrap_or(choices[0].thread);
            last = next;
            next
        });
        assert_eq!((c.exit.code, c.texts()), (0, vec!["saw it".to_string()]), "gil {gil}");
        assert!(turns >= 2, "{turns} turns");
    }
}
