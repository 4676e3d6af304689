// The tutorial's livelock (its text, no code): two threads that each need both records take
// their own first, find the other's taken, politely give theirs back, and try again, at the
// same moment every time: neither ever gets both. They are busy, not blocked (the deadlock
// check stays quiet); their tries climb while the transfers stay at none. Stop ends it, or
// `give_up` tries do. The tutorial adds that a livelock may undo itself: a thread that runs
// late one round lets the other through. `fix` 1 waits a random while before each try.
use pp_runtime::println;
use pp_runtime::threading::{self, Barrier, Lock, Thread};
use pp_runtime::PyResult;
use std::sync::Arc;

/// A record: its lock and its name.
type Record = (Arc<Lock>, &'static str);

/// Tries until it holds both records, or gives up. In step (`fix` 0), a barrier stands for
/// two people who react at the same moment: both take their own record, both reach for the
/// other's and find it taken, both give theirs back, again and again.
fn transfer(
    me: &str,
    (first, _): &Record,
    (second, second_name): &Record,
    round: &Barrier,
    p: (bool, i64),
) -> PyResult<()> {
    let (fix, give_up) = p;
    let mut tries = 0;
    loop {
        if fix {
            threading::sleep(fastrand::f64() * 0.02); // a random back-off
        } else if round.wait(None).is_err() {
            return Ok(()); // the other has left
        }
        first.acquire(true, None)?;
        threading::sleep(0.01); // reaching for the other record
        let in_step = !fix && round.wait(None).is_ok();
        if second.acquire(false, None)? {
            println!("{me} holds both records after {} tries: transfer done", tries + 1);
            second.release()?;
            first.release()?;
            round.abort();
            return Ok(());
        }
        if in_step {
            let _ = round.wait(None); // both have tried before either gives back
        }
        first.release()?;
        tries += 1;
        if tries % 25 == 0 {
            println!("{me}: {tries} tries, {second_name} taken every time, no transfer yet");
        }
        if give_up > 0 && tries >= give_up {
            round.abort();
            println!("{me} gives up after {tries} tries: a livelock");
            return Ok(());
        }
    }
}

pub fn main(p: &super::Params) -> PyResult<()> {
    let how = (p.int("fix") == 1, p.int("give_up"));
    let record1: Record = (Arc::new(Lock::named("record 1")), "record 1");
    let record2: Record = (Arc::new(Lock::named("record 2")), "record 2");
    let round = Arc::new(Barrier::named(2, "the same moment")?);
    let (r1, r2, round_a) = (record1.clone(), record2.clone(), round.clone());
    let a = Thread::new(move || transfer("A", &r1, &r2, &round_a, how)).with_name("A");
    let b = Thread::new(move || transfer("B", &record2, &record1, &round, how)).with_name("B");
    a.start()?;
    b.start()?;
    a.join(None)?;
    b.join(None)
}
