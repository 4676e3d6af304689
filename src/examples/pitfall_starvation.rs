// The tutorial's starvation (its text, no code): a thread that never gets what it needs. A
// greedy thread takes the lock again the moment it lets go; a polite one does a little work
// of its own between turns. An unfair lock (Python's, and this port's) goes to whoever grabs
// it first, and that is mostly the greedy thread, already running when it lets go, while the
// polite one has to be woken: it gets a turn only when it wakes fast enough. `fix` 1 is a
// fair lock, first come first served: a ticket lock built from a Condition.
use pp_platform::clock::Instant;
use pp_runtime::println;
use pp_runtime::threading::{Condition, Event, Lock, Thread};
use pp_runtime::PyResult;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

/// Takes a ticket; is served when the counter reaches it.
struct FairLock {
    cond: Condition,
    next_ticket: AtomicU64,
    now_serving: AtomicU64,
}

impl FairLock {
    fn new() -> FairLock {
        FairLock { cond: Condition::named("fair lock"), next_ticket: AtomicU64::new(0), now_serving: AtomicU64::new(0) }
    }

    fn acquire(&self) -> PyResult<()> {
        let _with = self.cond.enter();
        let ticket = self.next_ticket.fetch_add(1, Relaxed);
        self.cond.wait_for(|| self.now_serving.load(Relaxed) == ticket, None).map(drop)
    }

    fn release(&self) -> PyResult<()> {
        let _with = self.cond.enter();
        self.now_serving.fetch_add(1, Relaxed);
        self.cond.notify_all()
    }
}

enum Resource {
    Unfair(Lock),
    Fair(FairLock),
}

impl Resource {
    fn acquire(&self) -> PyResult<()> {
        match self {
            Resource::Unfair(lock) => lock.acquire(true, None).map(drop),
            Resource::Fair(lock) => lock.acquire(),
        }
    }

    fn release(&self) -> PyResult<()> {
        match self {
            Resource::Unfair(lock) => lock.release(),
            Resource::Fair(lock) => lock.release(),
        }
    }
}

/// Work that takes the CPU for `micros` µs.
fn busy(micros: u64) {
    let start = Instant::now();
    while start.elapsed().as_micros() < u128::from(micros) {
        std::hint::spin_loop();
    }
}

/// Turns with the resource until `stop`; `between` µs of its own work between turns.
fn take_turns(resource: &Resource, stop: &Event, between: u64, turns: &AtomicU64) -> PyResult<()> {
    while !stop.is_set() {
        resource.acquire()?;
        busy(100); // its work with the resource
        turns.fetch_add(1, Relaxed);
        resource.release()?;
        if between > 0 {
            busy(between);
        }
    }
    Ok(())
}

pub fn main(p: &super::Params) -> PyResult<()> {
    let (seconds, fair) = (p.float("seconds"), p.int("fix") == 1);
    let resource =
        Arc::new(if fair { Resource::Fair(FairLock::new()) } else { Resource::Unfair(Lock::named("the lock")) });
    let stop = Arc::new(Event::new());
    let threads: Vec<(Thread, Arc<AtomicU64>)> = [("greedy", 0), ("polite", 20)]
        .into_iter()
        .map(|(name, between)| {
            let turns = Arc::new(AtomicU64::new(0));
            let (resource, stop, counted) = (resource.clone(), stop.clone(), turns.clone());
            (Thread::new(move || take_turns(&resource, &stop, between, &counted)).with_name(name), turns)
        })
        .collect();
    threads.iter().try_for_each(|(t, _)| t.start())?;
    pp_runtime::threading::sleep(seconds);
    stop.set();
    threads.iter().try_for_each(|(t, _)| t.join(None))?;
    let lock = if fair { "a fair lock" } else { "an unfair Lock" };
    let counts: Vec<String> = threads.iter().map(|(t, n)| format!("{} {} turns", t.name(), n.load(Relaxed))).collect();
    println!("{seconds} s on {lock}: {}", counts.join(", "));
    Ok(())
}
