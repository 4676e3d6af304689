//! What a pool's workers run: tasks of serialized arguments for a plain function, one chunk
//! at a time, and what they send back.

use crate::process::{decode, encode};
use pp_runtime::errors::{PyErr, PyResult};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// What a task function returns: a value, or a `PyResult` whose error fails the task.
pub trait TaskOutput: 'static {
    type Value: Serialize + DeserializeOwned + Send + 'static;
    fn into_output(self) -> PyResult<Self::Value>;
}

impl<V: Serialize + DeserializeOwned + Send + 'static> TaskOutput for PyResult<V> {
    type Value = V;
    fn into_output(self) -> PyResult<V> {
        self
    }
}

macro_rules! plain_output {
    ($($t:ty),*) => {$(
        impl TaskOutput for $t {
            type Value = $t;
            fn into_output(self) -> PyResult<$t> { Ok(self) }
        }
    )*};
}
plain_output!(
    (),
    bool,
    i32,
    i64,
    u32,
    u64,
    u128,
    usize,
    f64,
    String,
    pp_runtime::py::Value,
    num_bigint::BigInt,
    num_bigint::BigUint
);

impl<T: Serialize + DeserializeOwned + Send + 'static> TaskOutput for Vec<T> {
    type Value = Vec<T>;
    fn into_output(self) -> PyResult<Vec<T>> {
        Ok(self)
    }
}

/// A function a pool can run: `fn(A) -> O` (map, apply) or `fn(A, B) -> O` (starmap).
pub trait TaskFn: Copy + Send + 'static {
    type Args: Serialize + DeserializeOwned + Send + 'static;
    type Out: TaskOutput;
    fn call(self, args: Self::Args) -> Self::Out;
}

impl<A, O> TaskFn for fn(A) -> O
where
    A: Serialize + DeserializeOwned + Send + 'static,
    O: TaskOutput,
{
    type Args = A;
    type Out = O;
    fn call(self, a: A) -> O {
        self(a)
    }
}

impl<A, B, O> TaskFn for fn(A, B) -> O
where
    A: Serialize + DeserializeOwned + Send + 'static,
    B: Serialize + DeserializeOwned + Send + 'static,
    O: TaskOutput,
{
    type Args = (A, B);
    type Out = O;
    fn call(self, (a, b): (A, B)) -> O {
        self(a, b)
    }
}

impl<A, B, C, O> TaskFn for fn(A, B, C) -> O
where
    A: Serialize + DeserializeOwned + Send + 'static,
    B: Serialize + DeserializeOwned + Send + 'static,
    C: Serialize + DeserializeOwned + Send + 'static,
    O: TaskOutput,
{
    type Args = (A, B, C);
    type Out = O;
    fn call(self, (a, b, c): (A, B, C)) -> O {
        self(a, b, c)
    }
}

/// Runs a chunk: deserializes `Vec<Args>`, calls the function on each, serializes the
/// `Vec<Value>`. The first error stops the chunk (and fails it).
pub type ChunkRunner = fn(usize, &[u8]) -> PyResult<Vec<u8>>;

fn run_chunk<F: TaskFn>(function: usize, args: &[u8]) -> PyResult<Vec<u8>> {
    // SAFETY: `function` is an `F` (a function pointer, one word) of this module, stored by
    // `Task::new` together with this very runner.
    let f: F = unsafe { std::mem::transmute_copy::<usize, F>(&function) };
    let items: Vec<F::Args> = decode(args)?;
    let mut out = Vec::with_capacity(items.len());
    for a in items {
        out.push(f.call(a).into_output()?);
    }
    encode(&out)
}

/// One chunk of one job.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Task {
    pub job: u64,
    pub chunk: u32,
    runner: usize,
    function: usize,
    args: Vec<u8>,
}

impl Task {
    pub fn new<F: TaskFn>(job: u64, chunk: u32, f: F, args: &[F::Args]) -> PyResult<Task>
    where
        F::Args: Clone,
    {
        assert_eq!(
            std::mem::size_of::<F>(),
            std::mem::size_of::<usize>(),
            "task functions are plain function pointers"
        );
        let runner: ChunkRunner = run_chunk::<F>;
        // SAFETY: F is a function pointer (checked above), one word.
        let function: usize = unsafe { std::mem::transmute_copy::<F, usize>(&f) };
        // A slice serializes as the `Vec` the worker decodes, without copying it into one.
        Ok(Task { job, chunk, runner: runner as usize, function, args: encode(&args)? })
    }

    /// Runs it (in a worker).
    pub fn run(&self) -> PyResult<Vec<u8>> {
        // SAFETY: `runner` is a `ChunkRunner` of this module (see `Task::new`).
        let runner: ChunkRunner = unsafe { std::mem::transmute::<usize, ChunkRunner>(self.runner) };
        runner(self.function, &self.args)
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
