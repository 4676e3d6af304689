// The tutorial's race condition (its text, no code): threads change one variable at once and
// the scheduler interleaves them, so an update read before another thread's write overwrites
// it. `fix` 1 puts each change under a Lock.
use super::support::Global;
use pp_runtime::println;
use pp_runtime::threading::{Barrier, Lock, Thread};
use pp_runtime::PyResult;
use std::sync::Arc;

/// `counter += 1`, `increments` times: a read, then a write (see `Global::add`). All the
/// threads start counting together (a Barrier): on two cores, a thread started a few ms
/// after the first could otherwise find it finished, and the race would need luck to show.
fn count(counter: &Global, lock: Option<&Lock>, start: &Barrier, increments: i64) {
    let _ = start.wait(None);
    for _ in 0..increments {
        match lock {
            Some(lock) => {
                let _with = lock.enter();
                counter.add(1);
            }
            None => counter.add(1),
        }
    }
}

pub fn main(p: &super::Params) -> PyResult<()> {
    let (threads, increments, fix) = (p.int("threads"), p.int("increments"), p.int("fix") == 1);
    let counter = Arc::new(Global::new(0));
    let lock = fix.then(|| Arc::new(Lock::named("counter lock")));
    let start = Arc::new(Barrier::named(threads as usize, "start")?);
    println!(
        "{threads} threads x {increments} increments of one counter, {}",
        if fix { "under a Lock" } else { "without a lock" }
    );
    let workers: Vec<Thread> = (0..threads)
        .map(|_| {
            let (counter, lock, start) = (counter.clone(), lock.clone(), start.clone());
            Thread::new(move || count(&counter, lock.as_deref(), &start, increments))
        })
        .collect();
    workers.iter().try_for_each(Thread::start)?;
    workers.iter().try_for_each(|t| t.join(None))?;
    let (expected, got) = (threads * increments, counter.get());
    match expected - got {
        0 => println!("expected {expected}, got {got}: no update lost"),
        lost => println!("expected {expected}, got {got}: {lost} updates lost"),
    }
    Ok(())
}
