//! Step mode: a scheduler outside the run (`pp_testing::step`, reading the table as the page
//! does) chooses who goes on at each point, and the run follows its choices exactly: the same
//! choices give the same interleaving, and other choices another one.
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::queue::Queue;
use pp_runtime::threading::{Lock, Thread};
use pp_runtime::watch::step::Choice;
use pp_testing::harness::capture_with;
use pp_testing::step::Scheduler;
use std::sync::{Arc, Mutex};

/// Who the scheduler lets go among the parked threads.
#[derive(Clone, Copy)]
enum Policy {
    /// The thread with the lowest id (the main thread whenever it can).
    Lowest,
    /// The thread let go least recently (a round robin).
    RoundRobin,
    /// The thread with the highest id (the newest first).
    Highest,
}

fn picker(policy: Policy) -> impl FnMut(&[Choice]) -> u32 + Send {
    let mut last_turn: Vec<(u32, usize)> = Vec::new();
    let mut turns = 0;
    move |choices| {
        turns += 1;
        let chosen = match policy {
            Policy::Lowest => choices.iter().map(|c| c.thread).min().unwrap(),
            Policy::Highest => choices.iter().map(|c| c.thread).max().unwrap(),
            Policy::RoundRobin => {
                let last = |t: u32| last_turn.iter().find(|(id, _)| *id == t).map_or(0, |(_, at)| *at + 1);
                choices.iter().map(|c| c.thread).min_by_key(|&t| last(t)).unwrap()
            }
        };
        last_turn.retain(|(t, _)| *t != chosen);
        last_turn.push((chosen, turns));
        chosen
    }
}

/// Runs two threads that each print, then print again under one lock, stepped with `policy`
/// (the GIL on or off); what was printed, and the turns given.
fn stepped(policy: Policy, gil: bool) -> (Vec<String>, usize) {
    let turns = Arc::new(Mutex::new(0usize));
    let counted = turns.clone();
    let c = capture_with(gil, move || {
        let scheduler = Scheduler::start(picker(policy));
        let lock = Arc::new(Lock::new());
        let threads: Vec<Thread> = ["T1", "T2"]
            .into_iter()
            .map(|name| {
                let lock = lock.clone();
                Thread::new(move || {
                    pp_runtime::println!("{name} a");
                    let _held = lock.enter();
                    pp_runtime::println!("{name} b");
                    Ok(())
                })
            })
            .collect();
        threads.iter().try_for_each(|t| t.start())?;
        threads.iter().try_for_each(|t| t.join(None))?;
        *counted.lock().unwrap() = scheduler.finish();
        Ok(())
    });
    assert_eq!(c.exit.code, 0);
    let turns = *turns.lock().unwrap();
    (c.texts(), turns)
}

#[test]
fn the_run_follows_the_schedulers_choices() {
    for gil in [false, true] {
        let (lowest, turns) = stepped(Policy::Lowest, gil);
        assert_eq!(lowest, ["T1 a", "T1 b", "T2 a", "T2 b"], "lowest id first, gil {gil}");
        assert!(turns >= 8, "every print, acquire and release is a step: {turns}");
        // Each turn to the thread that waited longest: the two threads' steps alternate,
        // and T2 prints its first line while T1 is between its two.
        let (round, _) = stepped(Policy::RoundRobin, gil);
        assert_eq!(round, ["T1 a", "T2 a", "T1 b", "T2 b"], "round robin, gil {gil}");
    }
}

#[test]
fn the_same_choices_give_the_same_interleaving() {
    let first = stepped(Policy::RoundRobin, true);
    for _ in 0..5 {
        assert_eq!(stepped(Policy::RoundRobin, true), first);
    }
}

/// Two threads wait on one queue and a put wakes one of them: the other one still waits, and
/// the run goes on settling (the queue's wake count is the object's, not each waiter's).
#[test]
fn two_waiters_of_one_queue_do_not_stall_the_scheduler() {
    let c = capture_with(false, || {
        let scheduler = Scheduler::start(picker(Policy::Highest));
        let q = Arc::new(Queue::<u32>::new(0));
        let consumers: Vec<Thread> = (0..2)
            .map(|_| {
                let q = q.clone();
                Thread::new(move || {
                    pp_runtime::println!("got {}", q.get());
                    Ok(())
                })
            })
            .collect();
        consumers.iter().try_for_each(|t| t.start())?;
        for i in 1..=2 {
            q.put(i);
        }
        consumers.iter().try_for_each(|t| t.join(None))?;
        scheduler.finish();
        Ok(())
    });
    assert_eq!(c.exit.code, 0);
    let mut got = c.texts();
    got.sort();
    assert_eq!(got, ["got 1", "got 2"]);
}
