//! A shaken run of the learner's Python, replayed (`pp_runtime::watch::order`): with the GIL
//! on, a shaken run hands the GIL over only at a point (a new line, a write of a shared name),
//! so a replay of its recorded order repeats it exactly, the updates a race lost included.
#![cfg(not(target_arch = "wasm32"))]

use pp_platform::request::{Replay, Switch};
use pp_runtime::runtime::Runtime;
use pp_testing::harness::{capture_with, Captured};

/// Two threads count one global without a lock: `counter += 1` is a read and a write, and a
/// switch between them loses an update.
const RACE: &str = "\
import threading
counter = 0
start = threading.Barrier(2)
def count():
    global counter
    start.wait()
    for _ in range(20000):
        counter += 1
threads = [threading.Thread(target=count) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print('expected 40000, got', counter)
";

/// A learner's wrong fix (the page's Prove it test has it too): a flag checked, then set.
/// A thread spins on `while busy: pass` until the GIL lets the other one on.
const BUSY_FLAG: &str = include_str!("../../tests/e2e/fixtures/python/busy_flag.py");

fn run(program: &'static str, seed: Option<u32>, replay: Option<Replay>) -> Captured {
    capture_with(true, move || {
        let table = Runtime::current().table;
        table.set_shake(seed);
        table.set_order(seed.is_some(), replay);
        pp_python::interp::run_in_this_process(program)
    })
}

fn replay_of(c: &Captured) -> Replay {
    let mut switches: Vec<Switch> = c.records.iter().filter_map(|r| r.switch()).collect();
    switches.sort_by_key(|s| s.at);
    Replay { switches }
}

#[test]
fn a_replay_loses_the_updates_its_shaken_run_lost() {
    let outputs = replays_repeat(RACE);
    assert!(
        outputs.iter().any(|o| o != &["expected 40000, got 40000"]),
        "some seed lost updates, so a replay had something to repeat: {outputs:?}"
    );
}

/// Whether its threads overlap at all here depends on the machine (it has no barrier): what
/// is tested is that each run, spinning or not, is replayed as it went.
#[test]
fn a_replay_repeats_a_busy_flag_spinning_under_the_gil() {
    replays_repeat(BUSY_FLAG);
}

/// Shakes `program` under a few seeds and replays each run: the same output, its record
/// followed to the end. Returns the shaken runs' outputs.
fn replays_repeat(program: &'static str) -> Vec<Vec<String>> {
    let mut outputs = Vec::new();
    for seed in 1..=6 {
        let shaken = run(program, Some(seed), None);
        assert_eq!(shaken.exit.code, 0, "{:?}", shaken.texts());
        let replay = replay_of(&shaken);
        assert!(replay.switches.len() > 2, "seed {seed}: the threads took turns: {:?}", replay.switches);
        let tail = |r: &Replay| r.switches[r.switches.len().saturating_sub(6)..].to_vec();
        let recorded_tail = tail(&replay);
        let again = run(program, None, Some(replay));
        assert_eq!(again.texts(), shaken.texts(), "seed {seed}: the replay printed what the shaken run printed");
        assert!(
            again.notes().is_empty(),
            "seed {seed}: {:?}; the record ends {recorded_tail:?}, the replay {:?}",
            again.notes(),
            tail(&replay_of(&again))
        );
        outputs.push(shaken.texts());
    }
    outputs
}
