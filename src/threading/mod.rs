//! Python's `threading` module: the same names, the same behaviour, the same errors.
//!
//! ```
//! use parallel_playground::threading::{Lock, Thread};
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

pub mod barrier;
pub mod condition;
pub mod event;
pub mod local;
pub mod lock;
pub mod rlock;
pub mod semaphore;
pub mod thread;
pub mod timer;
pub mod workers;

pub use barrier::{Barrier, BarrierError, BrokenBarrierError};
pub use condition::Condition;
pub use event::Event;
pub use local::Local;
pub use lock::Lock;
pub use rlock::RLock;
pub use semaphore::{BoundedSemaphore, Semaphore};
pub use thread::{active_count, current_thread, enumerate, get_ident, get_native_id, main_thread, Thread};
pub use timer::Timer;

/// `time.sleep`: the thread shows as sleeping in the timeline.
pub fn sleep(seconds: f64) {
    crate::runtime::check_daemon_stop();
    let _asleep = crate::watch::sleeping();
    let _gil = crate::gil::unlocked();
    crate::platform::clock::sleep(std::time::Duration::from_secs_f64(seconds.max(0.0)));
    crate::runtime::check_daemon_stop();
}
pub mod stress;
