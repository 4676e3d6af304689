//! Python's `threading` module: the same names, the same behaviour, the same errors.
//!
//! ```
//! use pp_runtime::threading::{Lock, Thread};
//! use std::sync::Arc;
//!
//! let lock = Arc::new(Lock::new());
//! let counter = Arc::new(std::sync::atomic::AtomicU32::new(0));
//! let threads: Vec<Thread> = (0..4)
//!     .map(|_| {
//!         let (lock, counter) = (lock.clone(), counter.clone());
//!         Thread::new(move || {
//!             let _with = lock.enter(); // with lock:
//!             counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
//!         })
//!     })
//!     .collect();
//! for t in &threads { t.start().unwrap(); }
//! for t in &threads { t.join(None).unwrap(); }
//! assert_eq!(counter.load(std::sync::atomic::Ordering::Relaxed), 4);
//! ```

mod barrier;
mod condition;
mod event;
mod local;
mod lock;
mod registry;
mod rlock;
mod semaphore;
mod thread;
mod timer;
mod workers;

pub use crate::errors::{BarrierError, BrokenBarrierError};
pub use barrier::{parties_of, Action as BarrierAction, Barrier};
pub use condition::{Condition, ConditionGuard};
pub use event::Event;
pub use local::Local;
pub use lock::{Lock, LockGuard};
pub use registry::get_ident;
pub use rlock::{RLock, RLockGuard};
pub use semaphore::{initial_value as semaphore_value, BoundedSemaphore, Semaphore, SemaphoreGuard};
pub use thread::{active_count, current_thread, enumerate, get_native_id, main_thread, Thread};
pub use timer::Timer;

pub use crate::watch::unwatched;
pub use condition::CondLock;
// How a program runs and ends (`pp-program`): its main thread, CPython's `_shutdown`.
pub use registry::{enter_main_thread, join_non_daemon_threads, running_daemon_names, MainThread};
// The browser's worker side (`pp-web`) boots the worker pool and names panicking threads.
pub use {registry::current_name, workers::workers, workers::Workers};

/// `time.sleep`: the thread shows as sleeping in the timeline. It sleeps in slices, so that
/// a daemon thread of a finished program, or (natively) a terminated process, stops within
/// one slice as Python's would.
pub fn sleep(seconds: f64) {
    const SLICE: std::time::Duration = std::time::Duration::from_millis(50);
    pp_platform::stop::check();
    let _asleep = crate::watch::sleeping();
    let _gil = crate::gil::unlocked();
    let deadline = crate::timeout::after(seconds.max(0.0));
    loop {
        // No deadline: a sleep too long to add to the clock, which never ends.
        let left = pp_platform::clock::remaining(deadline).unwrap_or(SLICE);
        if left.is_zero() {
            return;
        }
        pp_platform::clock::sleep(left.min(SLICE));
        pp_platform::stop::check();
    }
}

/// A rayon thread pool whose threads are this process's Python threads (rayon's spawn
/// handler, the hook wasm-bindgen-rayon also uses): they run on the process's workers and
/// show in the timeline. Dropping the pool ends them.
pub fn rayon_pool(threads: usize) -> crate::PyResult<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .spawn_handler(|worker| {
            let name = format!("rayon-{}", worker.index());
            Thread::new(move || worker.run())
                .with_name(name)
                .with_daemon(true)
                .start()
                .map_err(|e| std::io::Error::other(e.to_string()))
        })
        .build()
        .map_err(|e| crate::PyErr::runtime_error(format!("rayon: {e}")))
}
