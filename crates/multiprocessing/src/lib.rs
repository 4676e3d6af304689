//! Python's `multiprocessing`: processes with memory of their own, and what links them.
//!
//! See `process` for what a process is here. Everything that crosses between processes is
//! serialized (serde + postcard), as Python pickles; objects that several processes share
//! (queues, pipes, locks, shared values) live in the run's shared segment (`shared`).

mod child;
mod connection;
mod managers;
mod pickle;
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
pub use sharedctypes::{Array, CType, SharedBytes, Value};
pub use synchronize::{Barrier, BoundedSemaphore, Condition, Event, Guard, Lock, RLock, Semaphore};
pub use target::{Callable, Run, Target, TargetId, TaskOutput};

// How a child process starts and ends: for the layer that runs programs (`pp-program`), the
// browser's worker side and its host (`pp-web`).
pub use child::{child_config, finish_record, set_child_main, ChildMain, ChildRequest};
/// A child's record in the segment, as the browser's host writes its exit code.
pub mod process_record {
    pub use super::child::{EXITED, EXITING, R_EXIT, R_STATE, STARTED};
}

/// Registers a module's targets (what its processes and process pools run: `target`),
/// with this crate's own (a pool's worker, a manager's server), and from then on only those.
/// Every instance of a module calls it when it starts, before any program runs, so that a
/// child finds by name the target its parent named.
pub fn register_targets(targets: impl IntoIterator<Item = Target>) {
    target::register(pool::targets().into_iter().chain(managers::targets()).chain(targets));
    target::register_only();
}

/// `multiprocessing.cpu_count()`: the browser's `navigator.hardwareConcurrency`, or the
/// machine's logical cores natively.
pub fn cpu_count() -> usize {
    pp_platform::worker::cpu_count()
}
