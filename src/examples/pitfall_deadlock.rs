// The tutorial's deadlock (its text, no code): thread A locks record 1 and waits for
// record 2, thread B locks record 2 and waits for record 1. `fix` 1 takes the locks in one
// global order; `fix` 2 tries with a timeout and backs off. With `processes` 1, A and B are
// processes and the records multiprocessing locks: the same deadlock, across processes.
use pp_multiprocessing::{self as mp, Process};
use pp_runtime::println;
use pp_runtime::threading::{self, Lock, Thread};
use pp_runtime::PyResult;
use std::sync::Arc;

/// A record: its lock and its name.
type Record = (Arc<Lock>, &'static str);

fn transfer((first, first_name): &Record, (second, second_name): &Record, fix: i64) -> PyResult<()> {
    let me = threading::current_thread().name();
    loop {
        first.acquire(true, None)?;
        println!("{me} holds {first_name}, wants {second_name}");
        threading::sleep(0.1); // long enough for the other thread to take its first record
        let timeout = if fix == 2 { Some(0.05) } else { None };
        if second.acquire(true, timeout)? {
            println!("{me} holds both records: transfer done");
            second.release()?;
            return first.release();
        }
        // fix 2: give up the first record, wait a little (differently in each thread), retry.
        println!("{me} backs off");
        first.release()?;
        threading::sleep(if me == "A" { 0.02 } else { 0.07 });
    }
}

/// The same transfer in a process of its own, on locks every process of the run shares.
fn transfer_in_process(
    (first, first_name, second, second_name, fix): (mp::Lock, String, mp::Lock, String, i64),
) -> PyResult<()> {
    let me = mp::current_process().name().to_string();
    loop {
        first.acquire(true, None);
        println!("{me} holds {first_name}, wants {second_name}");
        threading::sleep(0.1);
        let timeout = if fix == 2 { Some(0.05) } else { None };
        if second.acquire(true, timeout) {
            println!("{me} holds both records: transfer done");
            second.release()?;
            return first.release();
        }
        println!("{me} backs off");
        first.release()?;
        threading::sleep(if me == "A" { 0.02 } else { 0.07 });
    }
}

fn in_processes(fix: i64) -> PyResult<()> {
    let (record1, record2) = (mp::Lock::named("record 1")?, mp::Lock::named("record 2")?);
    let (one, two) = (|| "record 1".to_string(), || "record 2".to_string());
    let a = Process::new(transfer_in_process, (record1, one(), record2, two(), fix)).with_name("A");
    let b_order = if fix == 1 { (record1, one(), record2, two(), fix) } else { (record2, two(), record1, one(), fix) };
    let b = Process::new(transfer_in_process, b_order).with_name("B");
    a.start()?;
    b.start()?;
    a.join(None)?;
    b.join(None)?;
    println!("both transfers done");
    Ok(())
}

pub fn main(p: &super::Params) -> PyResult<()> {
    let fix = p.int("fix");
    if p.int("processes") == 1 {
        return in_processes(fix);
    }
    let record1: Record = (Arc::new(Lock::named("record 1")), "record 1");
    let record2: Record = (Arc::new(Lock::named("record 2")), "record 2");
    let (r1, r2) = (record1.clone(), record2.clone());
    let a = Thread::new(move || transfer(&r1, &r2, fix)).with_name("A");
    // Without a fix B takes them in the opposite order: the deadlock.
    let b = Thread::new(
        move || if fix == 1 { transfer(&record1, &record2, fix) } else { transfer(&record2, &record1, fix) },
    )
    .with_name("B");
    a.start()?;
    b.start()?;
    a.join(None)?;
    b.join(None)?;
    println!("both transfers done");
    Ok(())
}

/// What this file's processes and pools run, registered by every instance of the module
/// (`programs::register_targets`): a child finds its target by name.
pub(crate) fn registered_targets() -> Vec<pp_multiprocessing::Target> {
    use pp_multiprocessing::Target;
    vec![Target::of(transfer_in_process)]
}
