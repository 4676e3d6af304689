//! Python's `multiprocessing`: processes with memory of their own, and what links them.
//!
//! See `process` for what a process is here. Everything that crosses between processes is
//! serialized (serde + postcard), as Python pickles; objects that several processes share
//! (queues, pipes, locks, shared values) live in the run's shared segment (`shared`).

pub mod connection;
pub mod managers;
pub mod pool;
pub mod process;
pub mod queues;
pub mod shared;
pub mod sharedctypes;
pub mod synchronize;

pub use connection::{Connection, Pipe};
pub use managers::Manager;
pub use pool::{AsyncResult, Pool, ThreadPool};
pub use process::{active_children, current_process, getpid, getppid, parent_process, Process, Run};
pub use queues::{JoinableQueue, Queue, SimpleQueue};
pub use sharedctypes::{Array, Value};
pub use synchronize::{Barrier, BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore};

/// `multiprocessing.cpu_count()`: the browser's `navigator.hardwareConcurrency`, or the
/// machine's logical cores natively.
pub fn cpu_count() -> usize {
    #[cfg(target_arch = "wasm32")]
    return crate::web::js::hardware_concurrency();
    #[cfg(not(target_arch = "wasm32"))]
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
