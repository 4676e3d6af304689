//! Python's `multiprocessing`: processes with memory of their own, and what links them.
//!
//! See `process` for what a process is here. Everything that crosses between processes is
//! serialized (serde + postcard), as Python pickles; objects that several processes share
//! (queues, pipes, locks, shared values) live in the run's shared segment (`shared`).

mod connection;
mod managers;
mod pool;
mod process;
mod queues;
mod ring;
mod shared;
mod sharedctypes;
mod synchronize;
pub mod target;

pub use connection::{Connection, Pipe};
pub use managers::{DictProxy, ListProxy, LockProxy, Manager, NamespaceProxy, QueueProxy, ValueProxy};
pub use pool::{Arg, AsyncResult, IMapIterator, Pool, ThreadPool};
pub use process::{active_children, current_process, getpid, getppid, parent_process, CurrentProcess, Process};
pub use queues::{JoinableQueue, Queue, SimpleQueue};
pub use sharedctypes::{Array, CType, Value};
pub use synchronize::{Barrier, BoundedSemaphore, Condition, Event, Guard, Lock, RLock, Semaphore};
pub use target::{Callable, Run, Target, TargetId, TaskOutput};

// How a child process starts and ends: for the layer that runs programs (`pp-program`), the
// browser's worker side and its host (`pp-web`).
pub use process::{child_config, finish_record, set_child_main, ChildMain, ChildRequest};
/// A child's record in the segment, as the browser's host writes its exit code.
pub mod process_record {
    pub use super::process::{EXITED, EXITING, R_EXIT, R_STATE, STARTED};
}

/// `multiprocessing.cpu_count()`: the browser's `navigator.hardwareConcurrency`, or the
/// machine's logical cores natively.
pub fn cpu_count() -> usize {
    pp_platform::worker::cpu_count()
}
