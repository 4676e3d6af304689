//! What a child process or a pool's worker runs: a *target*, named by a [`TargetId`] that
//! means the same function in every instance of the module, never a function pointer (a
//! child is a fresh instance, possibly of another module: a pointer of the parent's means
//! nothing there). Each module registers its targets when an instance starts (the
//! playground's `programs::register_targets`, the Python module's child, through
//! `crate::register_targets`), so a child finds by id what its parent named; the arguments
//! cross serialized, as Python pickles them.
//!
//! A target is a named function, a fn item: its type is its own, so the id is a hash of that
//! type, the same in every instance of one build. A process class that overrides `run()`
//! ([`Run`]) is a target by its type too, and a module may name a target itself
//! ([`Target::named`]).
//!
//! Natively a child is a thread of the same address space, and a function is registered on
//! first use unless the registry was closed (`register_only`): the browser's worker side and
//! the catalogue's native tests close it, so that a target missing from a module's list fails
//! where a learner would meet it, with a message that says so, instead of in a child.

use crate::pickle::{decode, encode};
use pp_runtime::errors::{PyErr, PyErrKind, PyResult};
use pp_runtime::sync::RawMutex;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::any::TypeId;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;

/// A target's name across instances of one module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TargetId(u64);

impl TargetId {
    /// The id of the function (or process class) of type `F`: the hash of its type, with
    /// std's default hasher's fixed keys, so every instance of this build agrees.
    pub fn of<F: 'static>() -> TargetId {
        let mut hasher = std::hash::DefaultHasher::new();
        TypeId::of::<F>().hash(&mut hasher);
        TargetId(hasher.finish())
    }

    /// The id of a target a module names itself (FNV-1a of the name).
    pub const fn named(name: &str) -> TargetId {
        let bytes = name.as_bytes();
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut i = 0;
        while i < bytes.len() {
            hash ^= bytes[i] as u64;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
            i += 1;
        }
        TargetId(hash)
    }
}

/// What a target function returns: a value, or a `PyResult` whose error fails the process
/// (its exit code 1) or the pool task.
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

/// A named function of one, two or three arguments, taken as a tuple `Args`: what
/// `Process(target=f)` and a pool's `map`, `apply` and `starmap` run.
pub trait Callable<Args>: Copy + Send + Sync + 'static {
    type Out: TaskOutput;
    fn call(self, args: Args) -> Self::Out;
}

macro_rules! callable {
    ($($arg:ident),*) => {
        impl<F, O, $($arg),*> Callable<($($arg,)*)> for F
        where
            F: Fn($($arg),*) -> O + Copy + Send + Sync + 'static,
            O: TaskOutput,
        {
            type Out = O;
            #[allow(non_snake_case)] // the arguments are named by their types
            fn call(self, ($($arg,)*): ($($arg,)*)) -> O {
                self($($arg),*)
            }
        }
    };
}
callable!(A);
callable!(A, B);
callable!(A, B, C);

/// Arguments that cross to a process, serialized.
pub trait CrossArgs: Serialize + DeserializeOwned + Send + 'static {}
impl<T: Serialize + DeserializeOwned + Send + 'static> CrossArgs for T {}

/// A process class whose `run()` is overridden (the tutorial's `ClockProcess`): the object
/// crosses to the child serialized, and `run` is called there.
pub trait Run: Serialize + DeserializeOwned + Send + 'static {
    fn run(self) -> PyResult<()>;
}

type Runner = Box<dyn Fn(&[u8]) -> PyResult<Vec<u8>> + Send + Sync>;

/// A registered target: what a child process runs with its serialized arguments, and what
/// a pool's worker runs with a serialized chunk of them.
pub struct Target {
    id: TargetId,
    name: &'static str,
    process: Runner,
    chunk: Runner,
}

fn not_a_task(name: &'static str) -> Runner {
    Box::new(move |_| Err(PyErr::new(PyErrKind::TypeError, format!("{name} is a process class, not a pool task"))))
}

impl Target {
    /// The function `f`: a process's target (its arguments `Args`), and a pool's task (a
    /// chunk of them, whose results come back).
    pub fn of<F: Callable<Args>, Args: CrossArgs>(f: F) -> Target {
        Target {
            id: TargetId::of::<F>(),
            name: std::any::type_name::<F>(),
            process: Box::new(move |bytes| f.call(decode::<Args>(bytes)?).into_output().map(|_| Vec::new())),
            chunk: Box::new(move |bytes| {
                let items: Vec<Args> = decode(bytes)?;
                let out = items.into_iter().map(|args| f.call(args).into_output()).collect::<PyResult<Vec<_>>>()?;
                encode(&out)
            }),
        }
    }

    /// The process class `P`: its object crosses, and `run()` is called in the child.
    pub fn run<P: Run>() -> Target {
        let name = std::any::type_name::<P>();
        Target {
            id: TargetId::of::<P>(),
            name,
            process: Box::new(|bytes| decode::<P>(bytes)?.run().map(|()| Vec::new())),
            chunk: not_a_task(name),
        }
    }

    /// A target a module names itself, running its bytes as it likes (the Python module's
    /// child process, whose arguments are the parent's pickled state).
    pub fn named(name: &'static str, process: impl Fn(&[u8]) -> PyResult<()> + Send + Sync + 'static) -> Target {
        Target {
            id: TargetId::named(name),
            name,
            process: Box::new(move |bytes| process(bytes).map(|()| Vec::new())),
            chunk: not_a_task(name),
        }
    }

    pub fn id(&self) -> TargetId {
        self.id
    }
}

static REGISTRY: RawMutex<Option<HashMap<TargetId, Arc<Target>>>> = RawMutex::new(None);
static REGISTER_ONLY: AtomicBool = AtomicBool::new(false);

/// Adds `targets` to this instance's registry (a target already there stays). A module
/// registers its list with `crate::register_targets`, which adds this crate's own.
pub(crate) fn register(targets: impl IntoIterator<Item = Target>) {
    let mut registry = REGISTRY.lock();
    let map = registry.get_or_insert_with(HashMap::new);
    for t in targets {
        map.entry(t.id).or_insert_with(|| Arc::new(t));
    }
}

/// From now on, a process or a process pool runs registered targets only: a function the
/// module did not list fails `start()` with a message, instead of a child that cannot find it.
pub(crate) fn register_only() {
    REGISTER_ONLY.store(true, Relaxed);
}

fn find(id: TargetId) -> Option<Arc<Target>> {
    REGISTRY.lock().as_ref().and_then(|m| m.get(&id).cloned())
}

/// The id of `f` for a child process or a process pool: registered by the module's list, or
/// (natively, where a child shares this instance) registered now.
pub(crate) fn crossing<F: Callable<Args>, Args: CrossArgs>(f: F) -> PyResult<TargetId> {
    let id = TargetId::of::<F>();
    if find(id).is_none() {
        if REGISTER_ONLY.load(Relaxed) {
            return Err(not_registered(std::any::type_name::<F>()));
        }
        register([Target::of(f)]);
    }
    Ok(id)
}

/// The id of `f` for a thread pool: its workers are threads of this instance, so it is
/// registered here whatever the module listed.
pub(crate) fn local<F: Callable<Args>, Args: CrossArgs>(f: F) -> TargetId {
    let id = TargetId::of::<F>();
    if find(id).is_none() {
        register([Target::of(f)]);
    }
    id
}

/// [`crossing`] for a process class.
pub(crate) fn crossing_run<P: Run>() -> PyResult<TargetId> {
    let id = TargetId::of::<P>();
    if find(id).is_none() {
        if REGISTER_ONLY.load(Relaxed) {
            return Err(not_registered(std::any::type_name::<P>()));
        }
        register([Target::run::<P>()]);
    }
    Ok(id)
}

fn not_registered(name: &str) -> PyErr {
    PyErr::new(
        PyErrKind::TypeError,
        format!("{name} cannot cross to another process: it is not among the targets this module registers"),
    )
}

fn lookup(id: TargetId) -> PyResult<Arc<Target>> {
    find(id).ok_or_else(|| {
        PyErr::runtime_error(format!("no target {id:?} in this process's module (a parent of another module?)"))
    })
}

/// Runs target `id` as a child process's program, with its serialized arguments.
pub fn run_process(id: TargetId, args: &[u8]) -> PyResult<()> {
    (lookup(id)?.process)(args).map(drop)
}

/// Runs target `id` on a serialized chunk of arguments; the serialized results.
pub(crate) fn run_chunk(id: TargetId, chunk: &[u8]) -> PyResult<Vec<u8>> {
    (lookup(id)?.chunk)(chunk)
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Target({} = {:?})", self.name, self.id)
    }
}
