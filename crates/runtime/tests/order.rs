//! A shaken run's order, recorded and replayed (`watch::order`): a replay of the record
//! gives the locks to the threads in the recorded order, whatever the replay's own timing,
//! and a record the run does not follow is said to be departed from, never hung on.
#![cfg(not(target_arch = "wasm32"))]

use pp_platform::request::{Replay, Switch};
use pp_runtime::runtime::Runtime;
use pp_runtime::threading::{Barrier, Lock, Thread};
use pp_runtime::watch::RecordKind;
use pp_testing::harness::{capture_with, Captured};
use std::sync::Arc;

/// Three threads take one lock in turns, printing who has it: the printed order is the
/// lock's grant order.
fn turns(record: bool, replay: Option<Replay>, seed: Option<u32>) -> Captured {
    capture_with(true, move || {
        let table = Runtime::current().table;
        table.set_shake(seed);
        table.set_order(record, replay);
        let lock = Arc::new(Lock::new());
        // All three take turns from the start (a thread that ended before the last started
        // would leave the order nothing to choose).
        let start = Arc::new(Barrier::new(3)?);
        let threads: Vec<Thread> = (0..3)
            .map(|i| {
                let (lock, start) = (lock.clone(), start.clone());
                Thread::new(move || {
                    start.wait(None)?;
                    for round in 0..8 {
                        let _held = lock.enter();
                        pp_runtime::println!("thread {i} round {round}");
                    }
                    Ok(())
                })
            })
            .collect();
        threads.iter().try_for_each(|t| t.start())?;
        threads.iter().try_for_each(|t| t.join(None))
    })
}

fn switches(c: &Captured) -> Vec<Switch> {
    let mut out: Vec<Switch> = c.records.iter().filter_map(|r| r.switch()).collect();
    out.sort_by_key(|s| s.at);
    out
}

#[test]
fn a_replay_grants_the_locks_in_the_recorded_order() {
    let mut orders = Vec::new();
    for seed in 1..=6 {
        let shaken = turns(true, None, Some(seed));
        let recorded = switches(&shaken);
        assert!(recorded.len() > 3, "seed {seed}: the threads' passes were recorded: {recorded:?}");
        assert_eq!(recorded[0].at, 0);
        // Replayed twice, without the seed's pauses: the same order each time.
        for _ in 0..2 {
            let replayed = turns(false, Some(Replay { switches: recorded.clone() }), None);
            assert_eq!(replayed.texts(), shaken.texts(), "seed {seed}: the replay printed in the recorded order");
            assert!(replayed.notes().is_empty(), "seed {seed}: {:?}", replayed.notes());
            assert_eq!(switches(&replayed), recorded, "seed {seed}: a replay records the order it replayed");
        }
        orders.push(shaken.texts());
    }
    orders.dedup();
    assert!(orders.len() > 1, "the seeds gave different orders, so the replays had something to repeat");
}

#[test]
fn a_plain_run_records_nothing() {
    let plain = turns(false, None, None);
    assert!(!plain.records.iter().any(|r| r.kind == RecordKind::Switch));
}

#[test]
fn a_replay_the_run_does_not_follow_departs_and_the_run_ends() {
    let recorded = switches(&turns(true, None, Some(3)));
    // The first switch made another thread's, at the same point: the run cannot follow it.
    let mut wrong = recorded.clone();
    wrong[0].thread = if wrong[0].thread == 2 { 3 } else { 2 };
    wrong[1].thread = 9;
    let c = turns(false, Some(Replay { switches: wrong }), None);
    assert_eq!(c.exit.code, 0);
    assert_eq!(c.texts().len(), 24, "every line printed");
    let notes = c.notes();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].starts_with("the replay departed from its record at step "), "{notes:?}");
}

#[test]
fn a_cut_record_is_followed_as_far_as_it_goes() {
    let shaken = turns(true, None, Some(5));
    let mut cut = switches(&shaken);
    let half = cut.len() / 2;
    let at = cut[half].at;
    cut.truncate(half);
    cut.push(Switch { at, thread: 0, point: 0, line: 0 });
    let c = turns(false, Some(Replay { switches: cut }), None);
    assert_eq!(c.exit.code, 0);
    assert!(c.notes().is_empty(), "a cut record ends silently: {:?}", c.notes());
    assert_eq!(c.texts().len(), 24);
}
