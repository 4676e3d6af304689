//! What a pool's workers run: chunks of serialized arguments for a target (`crate::target`),
//! named, and what they send back.

use crate::target::TargetId;
use pp_runtime::errors::{PyErr, PyResult};
use serde::{Deserialize, Serialize};

/// One chunk of one job: the target, and a serialized `Vec` of its arguments.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Task {
    pub job: u64,
    pub chunk: u32,
    target: TargetId,
    args: Vec<u8>,
}

impl Task {
    pub fn new(job: u64, chunk: u32, target: TargetId, args: Vec<u8>) -> Task {
        Task { job, chunk, target, args }
    }

    /// Runs it (in a worker): the serialized `Vec` of its results; the first error stops the
    /// chunk (and fails it).
    pub fn run(&self) -> PyResult<Vec<u8>> {
        crate::target::run_chunk(self.target, &self.args)
    }
}

/// A finished chunk: its values (a serialized `Vec`), or the error that failed it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Done {
    pub job: u64,
    pub chunk: u32,
    pub outcome: Result<Vec<u8>, PyErr>,
}

/// What a pool's workers read: a task, or "stop".
pub type Order = Option<Task>;
