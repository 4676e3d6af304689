//! Shake mode: pauses at the scheduling points change the interleaving, never the meaning.
//! A correct program shaken under many seeds still gives its one answer; a check-then-act
//! program, which the GIL's plain 5 ms switches almost never catch, is caught.
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::queue::Queue;
use pp_runtime::runtime::Runtime;
use pp_runtime::threading::{Barrier, Condition, Lock, Thread};
use pp_testing::harness::{capture, capture_with};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::*};
use std::sync::Arc;

#[test]
fn a_correct_program_gives_its_one_answer_under_every_seed() {
    for seed in 1..=8 {
        let c = capture(|| {
            Runtime::current().table.set_shake(Some(seed));
            let (lock, q, cond) = (Arc::new(Lock::new()), Arc::new(Queue::<u32>::new(0)), Arc::new(Condition::new()));
            let total = Arc::new(AtomicU32::new(0));
            let threads: Vec<Thread> = (0..4)
                .map(|i| {
                    let (lock, q, cond, total) = (lock.clone(), q.clone(), cond.clone(), total.clone());
                    Thread::new(move || {
                        for _ in 0..50 {
                            let _held = lock.enter();
                            total.store(total.load(Relaxed) + 1, Relaxed);
                        }
                        q.put(i);
                        let _with = cond.enter();
                        cond.notify_all()?;
                        Ok(())
                    })
                })
                .collect();
            threads.iter().try_for_each(|t| t.start())?;
            let mut got: Vec<u32> = (0..4).map(|_| q.get()).collect();
            threads.iter().try_for_each(|t| t.join(None))?;
            got.sort_unstable();
            assert_eq!(got, [0, 1, 2, 3]);
            pp_runtime::println!("total {}", total.load(Relaxed));
            Ok(())
        });
        assert_eq!(c.exit.code, 0, "seed {seed}");
        assert_eq!(c.texts(), ["total 200"], "seed {seed}");
    }
}

/// A hand-rolled "lock" (check a flag, then set it) around a read and a write of a counter.
/// With the GIL on a thread only lets the GIL go at a checkpoint; here one stands between the
/// check and the set and one between the read and the write, as bytecode boundaries do in
/// Python. Shaken switch intervals (20 µs to 1 ms instead of 5 ms) land there within a few
/// seeds, and updates are lost (without shaking, twenty runs lost none here).
#[test]
fn shaking_catches_a_check_then_set() {
    const N: u32 = 50_000;
    let lost_under = (1..=20).find(|&seed| {
        let counter = Arc::new(AtomicU32::new(0));
        let total = counter.clone();
        let c = capture_with(true, move || {
            Runtime::current().table.set_shake(Some(seed));
            let busy = Arc::new(AtomicBool::new(false));
            // Both count together: a thread that finished before the other started would race
            // with nobody.
            let start = Arc::new(Barrier::new(2)?);
            let threads: Vec<Thread> = (0..2)
                .map(|_| {
                    let (busy, counter, start) = (busy.clone(), counter.clone(), start.clone());
                    Thread::new(move || {
                        let _ = start.wait(None);
                        for _ in 0..N {
                            while busy.load(Relaxed) {
                                pp_runtime::gil::checkpoint();
                            }
                            pp_runtime::gil::checkpoint(); // between the check and the set
                            busy.store(true, Relaxed);
                            let value = counter.load(Relaxed);
                            pp_runtime::gil::checkpoint(); // between the read and the write
                            counter.store(value + 1, Relaxed);
                            busy.store(false, Relaxed);
                        }
                        Ok(())
                    })
                })
                .collect();
            threads.iter().try_for_each(|t| t.start())?;
            threads.iter().try_for_each(|t| t.join(None))
        });
        assert_eq!(c.exit.code, 0);
        total.load(Relaxed) != 2 * N
    });
    assert!(lost_under.is_some(), "no seed of twenty lost an update through the hand-rolled lock");
}
