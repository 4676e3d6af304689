//! The stress programs the tests run natively and in the browser (the same code on std
//! threads and on web workers): many producers and consumers through one queue, many
//! threads incrementing under one lock.

use pp_runtime::queue::{LifoQueue, PriorityQueue, Queue, SimpleQueue};
use pp_runtime::threading::{Lock, Thread};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};

/// The queue operations the stress needs, over every queue kind.
pub trait StressQueue: Send + Sync + 'static {
    fn put(&self, item: Option<u64>);
    fn get(&self) -> Option<u64>;
}

macro_rules! stress_queue {
    ($($t:ident),*) => {$(
        impl StressQueue for $t<Option<u64>> {
            fn put(&self, item: Option<u64>) { $t::put(self, item) }
            fn get(&self) -> Option<u64> { $t::get(self) }
        }
    )*};
}
stress_queue!(Queue, LifoQueue, PriorityQueue, SimpleQueue);

/// Moves `0..items` from `producers` to `consumers` threads through `q`; returns every item
/// received, sorted (equal to `0..items` when nothing was lost or duplicated).
pub fn move_items(q: Arc<dyn StressQueue>, producers: u64, consumers: u64, items: u64) -> Vec<u64> {
    let received = Arc::new(Mutex::new(Vec::with_capacity(items as usize)));
    let taken = Arc::new(AtomicU64::new(0));
    let mut threads = Vec::new();
    for p in 0..producers {
        let q = q.clone();
        threads.push(Thread::new(move || {
            for i in (p..items).step_by(producers as usize) {
                q.put(Some(i));
            }
        }));
    }
    let consumer_threads: Vec<Thread> = (0..consumers)
        .map(|_| {
            let (q, received, taken) = (q.clone(), received.clone(), taken.clone());
            Thread::new(move || {
                let mut mine = Vec::new();
                while let Some(i) = q.get() {
                    mine.push(i);
                    taken.fetch_add(1, Relaxed);
                }
                received.lock().unwrap().extend(mine);
            })
        })
        .collect();
    threads.iter().chain(&consumer_threads).for_each(|t| t.start().expect("start"));
    threads.iter().for_each(|t| t.join(None).expect("join"));
    // One end marker per consumer, once every item was taken: a LifoQueue or PriorityQueue
    // would hand out a marker before the items still queued.
    // (A lost item would leave `taken` short: give up after a minute and let the caller see.)
    let since = pp_platform::clock::Instant::now();
    while taken.load(Relaxed) < items && since.elapsed().as_secs() < 60 {
        pp_runtime::threading::sleep(0.001);
    }
    for _ in 0..consumers {
        q.put(None);
    }
    consumer_threads.iter().for_each(|t| t.join(None).expect("join"));
    let mut all = std::mem::take(&mut *received.lock().unwrap());
    all.sort_unstable();
    all
}

/// `threads` threads each add 1 `increments` times to one counter under one Lock, with a
/// plain load and store (only the lock makes the total exact).
pub fn locked_increments(threads: u64, increments: u64) -> u64 {
    let lock = Arc::new(Lock::new());
    let count = Arc::new(AtomicU64::new(0));
    let ts: Vec<Thread> = (0..threads)
        .map(|_| {
            let (lock, count) = (lock.clone(), count.clone());
            Thread::new(move || {
                for _ in 0..increments {
                    let _with = lock.enter();
                    count.store(count.load(Relaxed) + 1, Relaxed);
                }
            })
        })
        .collect();
    ts.iter().for_each(|t| t.start().expect("start"));
    ts.iter().for_each(|t| t.join(None).expect("join"));
    count.load(Relaxed)
}
