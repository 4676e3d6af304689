//! `_pp_mp`: the runtime's `multiprocessing` for the Python module's own `multiprocessing`
//! package (python/lib/multiprocessing/, over CPython's pure-Python parts): a child process
//! (a fresh interpreter in a memory of its own, started by the runtime), and the objects
//! processes share, all in the run's segment: pipes, queues of pickled bytes, the locks and
//! their kin, shared memory for `Value` and `Array`. Everything crosses to a child as its
//! handle (the object's place in the segment, serialized), which the Python side pickles
//! only while a process is being started, as CPython's objects are.
//!
//! Every call that may block runs with RustPython's thread state detached
//! (`vm.allow_threads`); the runtime's primitives let the simulated GIL go while they wait.

use crate::errors::raise;
use crate::seconds::{secs, Seconds};
use pp_multiprocessing as mp;
use pp_runtime::errors::PyErr;
use rustpython_vm::builtins::PyBytesRef;
use rustpython_vm::function::{ArgBytesLike, OptionalArg};
use rustpython_vm::{pyclass, Py, PyPayload, PyResult, VirtualMachine};

/// What a Python process's child runs: the target every instance of the module registers
/// ([`crate::interp::targets`]).
pub const CHILD_TARGET: &str = "python-child";

fn handle<T: serde::Serialize>(value: &T, vm: &VirtualMachine) -> PyResult<PyBytesRef> {
    let bytes = postcard::to_stdvec(value).map_err(|e| vm.new_value_error(format!("cannot pickle the handle: {e}")))?;
    Ok(vm.ctx.new_bytes(bytes))
}

fn from_handle<T: serde::de::DeserializeOwned>(bytes: &[u8], vm: &VirtualMachine) -> PyResult<T> {
    postcard::from_bytes(bytes).map_err(|e| vm.new_value_error(format!("not a handle of this run: {e}")))
}

fn py_err(vm: &VirtualMachine) -> impl Fn(PyErr) -> rustpython_vm::builtins::PyBaseExceptionRef + '_ {
    move |e| raise(vm, e)
}

/// A started child process, as its parent holds it.
#[pyclass(module = "_pp_mp", name = "ProcessHandle")]
#[derive(PyPayload)]
pub struct ProcessHandle {
    process: mp::Process,
}

impl std::fmt::Debug for ProcessHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.process)
    }
}

#[pyclass]
impl ProcessHandle {
    #[pygetset]
    fn pid(zelf: &Py<Self>) -> Option<u32> {
        zelf.process.pid()
    }

    /// `None` while it runs; then its exit code (negative: the signal that ended it).
    #[pymethod]
    fn exitcode(zelf: &Py<Self>) -> Option<i32> {
        zelf.process.exitcode()
    }

    #[pymethod]
    fn join(zelf: &Py<Self>, timeout: OptionalArg<Option<Seconds>>, vm: &VirtualMachine) -> PyResult<()> {
        let timeout = secs(timeout.flatten());
        vm.allow_threads(|| zelf.process.join(timeout)).map_err(py_err(vm))
    }

    /// Ends it now with `signal` (15 terminate, 9 kill): the runtime ends its workers.
    #[pymethod]
    fn signal(zelf: &Py<Self>, signal: u32) {
        zelf.process.send_signal(signal);
    }
}

/// One Python connection end, over the runtime's `Connection` (bytes).
#[pyclass(module = "_pp_mp", name = "Connection")]
#[derive(Debug, PyPayload)]
pub struct Connection {
    conn: mp::Connection,
}

#[pyclass]
impl Connection {
    #[pymethod]
    fn send_bytes(zelf: &Py<Self>, data: ArgBytesLike, vm: &VirtualMachine) -> PyResult<()> {
        let (conn, data) = (&zelf.conn, data.borrow_buf().to_vec());
        vm.allow_threads(|| conn.send_bytes(&data)).map_err(py_err(vm))
    }

    #[pymethod]
    fn recv_bytes(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<PyBytesRef> {
        let conn = &zelf.conn;
        let bytes = vm.allow_threads(|| conn.recv_bytes()).map_err(py_err(vm))?;
        Ok(vm.ctx.new_bytes(bytes))
    }

    /// Whether there is something to read (or the other end closed) within `timeout`
    /// (`None`: as long as it takes).
    #[pymethod]
    fn poll(zelf: &Py<Self>, timeout: Option<Seconds>, vm: &VirtualMachine) -> PyResult<bool> {
        let timeout = secs(timeout);
        let conn = &zelf.conn;
        vm.allow_threads(|| conn.poll(timeout)).map_err(py_err(vm))
    }

    #[pymethod]
    fn close(zelf: &Py<Self>) {
        zelf.conn.close();
    }

    #[pygetset]
    fn closed(zelf: &Py<Self>) -> bool {
        zelf.conn.closed()
    }

    #[pygetset]
    fn readable(zelf: &Py<Self>) -> bool {
        zelf.conn.readable()
    }

    #[pygetset]
    fn writable(zelf: &Py<Self>) -> bool {
        zelf.conn.writable()
    }

    /// The end as a child gets it (one more open end, as a duplicated descriptor).
    #[pymethod]
    fn handle(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<PyBytesRef> {
        handle(&zelf.conn, vm)
    }
}

/// A queue of pickled items, over the runtime's `multiprocessing.Queue` (its feeder: a put
/// never waits for a reader unless the queue is bounded and full).
#[pyclass(module = "_pp_mp", name = "Queue")]
#[derive(PyPayload)]
pub struct Queue {
    queue: mp::JoinableQueue<Vec<u8>>,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue").finish_non_exhaustive()
    }
}

#[pyclass]
impl Queue {
    #[pymethod]
    fn put(
        zelf: &Py<Self>,
        item: ArgBytesLike,
        block: bool,
        timeout: Option<Seconds>,
        vm: &VirtualMachine,
    ) -> PyResult<()> {
        let timeout = secs(timeout);
        let (q, item) = (&zelf.queue, item.borrow_buf().to_vec());
        let deadline = if block { pp_runtime::timeout::at_most(timeout) } else { None };
        vm.allow_threads(|| q.put_deadline(&item, block, deadline)).map_err(py_err(vm))
    }

    #[pymethod]
    fn get(zelf: &Py<Self>, block: bool, timeout: Option<Seconds>, vm: &VirtualMachine) -> PyResult<PyBytesRef> {
        let timeout = secs(timeout);
        let q = &zelf.queue;
        let deadline = if block { pp_runtime::timeout::at_most(timeout) } else { None };
        let item = vm.allow_threads(|| q.get_deadline(block, deadline)).map_err(py_err(vm))?;
        Ok(vm.ctx.new_bytes(item))
    }

    #[pymethod]
    fn qsize(zelf: &Py<Self>) -> usize {
        zelf.queue.qsize()
    }

    #[pymethod]
    fn empty(zelf: &Py<Self>) -> bool {
        zelf.queue.empty()
    }

    #[pymethod]
    fn full(zelf: &Py<Self>) -> bool {
        zelf.queue.full()
    }

    #[pymethod]
    fn close(zelf: &Py<Self>) {
        zelf.queue.close()
    }

    #[pymethod]
    fn task_done(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<()> {
        zelf.queue.task_done().map_err(py_err(vm))
    }

    #[pymethod]
    fn join(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<()> {
        let q = &zelf.queue;
        vm.allow_threads(|| q.join()).map_err(py_err(vm))
    }

    #[pymethod]
    fn handle(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<PyBytesRef> {
        handle(&zelf.queue, vm)
    }
}

/// A lock of any process (`multiprocessing.Lock`), watched: the timeline names it.
#[pyclass(module = "_pp_mp", name = "Lock")]
#[derive(Debug, PyPayload)]
pub struct Lock {
    lock: mp::Lock,
}

#[pyclass]
impl Lock {
    #[pymethod]
    fn acquire(zelf: &Py<Self>, block: bool, timeout: Option<Seconds>, vm: &VirtualMachine) -> bool {
        let timeout = secs(timeout);
        let lock = &zelf.lock;
        vm.allow_threads(|| lock.acquire(block, timeout))
    }

    #[pymethod]
    fn release(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<()> {
        crate::gil::detached_if_stepped(vm, || zelf.lock.release()).map_err(py_err(vm))
    }

    #[pymethod]
    fn handle(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<PyBytesRef> {
        handle(&zelf.lock, vm)
    }
}

/// `multiprocessing.RLock`.
#[pyclass(module = "_pp_mp", name = "RLock")]
#[derive(Debug, PyPayload)]
pub struct RLock {
    lock: mp::RLock,
}

#[pyclass]
impl RLock {
    #[pymethod]
    fn acquire(zelf: &Py<Self>, block: bool, timeout: Option<Seconds>, vm: &VirtualMachine) -> bool {
        let timeout = secs(timeout);
        let lock = &zelf.lock;
        vm.allow_threads(|| lock.acquire(block, timeout))
    }

    #[pymethod]
    fn release(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<()> {
        crate::gil::detached_if_stepped(vm, || zelf.lock.release()).map_err(py_err(vm))
    }

    #[pymethod]
    fn handle(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<PyBytesRef> {
        handle(&zelf.lock, vm)
    }
}

/// `multiprocessing.Semaphore` and `BoundedSemaphore`.
#[pyclass(module = "_pp_mp", name = "Semaphore")]
#[derive(Debug, PyPayload)]
pub struct Semaphore {
    sem: mp::Semaphore,
}

#[pyclass]
impl Semaphore {
    #[pymethod]
    fn acquire(zelf: &Py<Self>, block: bool, timeout: Option<Seconds>, vm: &VirtualMachine) -> PyResult<bool> {
        let timeout = secs(timeout);
        let sem = &zelf.sem;
        vm.allow_threads(|| sem.acquire(block, timeout)).map_err(py_err(vm))
    }

    #[pymethod]
    fn release(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<()> {
        crate::gil::detached_if_stepped(vm, || zelf.sem.release()).map_err(py_err(vm))
    }

    #[pymethod]
    fn get_value(zelf: &Py<Self>) -> u32 {
        zelf.sem.get_value()
    }

    #[pymethod]
    fn handle(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<PyBytesRef> {
        handle(&zelf.sem, vm)
    }
}

/// `multiprocessing.Event`.
#[pyclass(module = "_pp_mp", name = "Event")]
#[derive(Debug, PyPayload)]
pub struct Event {
    event: mp::Event,
}

#[pyclass]
impl Event {
    #[pymethod]
    fn is_set(zelf: &Py<Self>) -> bool {
        zelf.event.is_set()
    }

    #[pymethod]
    fn set(zelf: &Py<Self>, vm: &VirtualMachine) {
        crate::gil::detached_if_stepped(vm, || zelf.event.set())
    }

    #[pymethod]
    fn clear(zelf: &Py<Self>) {
        zelf.event.clear()
    }

    #[pymethod]
    fn wait(zelf: &Py<Self>, timeout: Option<Seconds>, vm: &VirtualMachine) -> bool {
        let timeout = secs(timeout);
        let event = &zelf.event;
        vm.allow_threads(|| event.wait(timeout))
    }

    #[pymethod]
    fn handle(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<PyBytesRef> {
        handle(&zelf.event, vm)
    }
}

/// `multiprocessing.Condition` (over its own RLock, as CPython's default).
#[pyclass(module = "_pp_mp", name = "Condition")]
#[derive(Debug, PyPayload)]
pub struct Condition {
    cond: mp::Condition,
}

#[pyclass]
impl Condition {
    #[pymethod]
    fn acquire(zelf: &Py<Self>, block: bool, timeout: Option<Seconds>, vm: &VirtualMachine) -> bool {
        let timeout = secs(timeout);
        let cond = &zelf.cond;
        vm.allow_threads(|| cond.acquire(block, timeout))
    }

    #[pymethod]
    fn release(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<()> {
        crate::gil::detached_if_stepped(vm, || zelf.cond.release()).map_err(py_err(vm))
    }

    #[pymethod]
    fn wait(zelf: &Py<Self>, timeout: Option<Seconds>, vm: &VirtualMachine) -> PyResult<bool> {
        let timeout = secs(timeout);
        let cond = &zelf.cond;
        vm.allow_threads(|| cond.wait(timeout)).map_err(py_err(vm))
    }

    #[pymethod]
    fn notify(zelf: &Py<Self>, n: u32, vm: &VirtualMachine) -> PyResult<()> {
        crate::gil::detached_if_stepped(vm, || zelf.cond.notify(n)).map_err(py_err(vm))
    }

    #[pymethod]
    fn handle(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<PyBytesRef> {
        handle(&zelf.cond, vm)
    }
}

/// `multiprocessing.Barrier`.
#[pyclass(module = "_pp_mp", name = "Barrier")]
#[derive(Debug, PyPayload)]
pub struct Barrier {
    barrier: mp::Barrier,
}

#[pyclass]
impl Barrier {
    #[pymethod]
    fn wait(zelf: &Py<Self>, timeout: Option<Seconds>, vm: &VirtualMachine) -> PyResult<u32> {
        let timeout = secs(timeout);
        let barrier = &zelf.barrier;
        vm.allow_threads(|| barrier.wait(timeout)).map_err(py_err(vm))
    }

    #[pymethod]
    fn abort(zelf: &Py<Self>) {
        zelf.barrier.abort()
    }

    #[pymethod]
    fn reset(zelf: &Py<Self>) {
        zelf.barrier.reset()
    }

    #[pygetset]
    fn parties(zelf: &Py<Self>) -> u32 {
        zelf.barrier.parties()
    }

    #[pygetset]
    fn n_waiting(zelf: &Py<Self>) -> u32 {
        zelf.barrier.n_waiting()
    }

    #[pygetset]
    fn broken(zelf: &Py<Self>) -> bool {
        zelf.barrier.broken()
    }

    #[pymethod]
    fn handle(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<PyBytesRef> {
        handle(&zelf.barrier, vm)
    }
}

/// Bytes of the run's segment that every process reaches: `Value` and `Array` (their
/// items packed with `struct`, on the Python side).
#[pyclass(module = "_pp_mp", name = "SharedBlock")]
#[derive(Debug, PyPayload)]
pub struct SharedBlock {
    block: mp::SharedBytes,
}

#[pyclass]
impl SharedBlock {
    #[pymethod]
    fn read(zelf: &Py<Self>, offset: u32, size: u32, vm: &VirtualMachine) -> PyResult<PyBytesRef> {
        let bytes = zelf.block.read(offset, size).map_err(py_err(vm))?;
        Ok(vm.ctx.new_bytes(bytes))
    }

    #[pymethod]
    fn write(zelf: &Py<Self>, offset: u32, data: ArgBytesLike, vm: &VirtualMachine) -> PyResult<()> {
        zelf.block.write(offset, &data.borrow_buf()).map_err(py_err(vm))
    }

    #[pygetset]
    fn size(zelf: &Py<Self>) -> u32 {
        zelf.block.size()
    }

    #[pymethod]
    fn handle(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<PyBytesRef> {
        handle(&zelf.block, vm)
    }
}

/// The module: constructors, and each object rebuilt from its handle in another process.
#[rustpython_vm::pymodule(name = "_pp_mp")]
pub mod module {
    use super::*;
    use rustpython_vm::builtins::PyTupleRef;
    use rustpython_vm::class::PyClassImpl;

    // Each class's type, made when the module is imported (before any object of it).
    #[pyattr(name = "ProcessHandle", once)]
    fn process_handle_type(_vm: &VirtualMachine) -> rustpython_vm::builtins::PyTypeRef {
        ProcessHandle::make_static_type()
    }

    #[pyattr(name = "Connection", once)]
    fn connection_type(_vm: &VirtualMachine) -> rustpython_vm::builtins::PyTypeRef {
        Connection::make_static_type()
    }

    #[pyattr(name = "Queue", once)]
    fn queue_type(_vm: &VirtualMachine) -> rustpython_vm::builtins::PyTypeRef {
        Queue::make_static_type()
    }

    #[pyattr(name = "Lock", once)]
    fn lock_type(_vm: &VirtualMachine) -> rustpython_vm::builtins::PyTypeRef {
        Lock::make_static_type()
    }

    #[pyattr(name = "RLock", once)]
    fn rlock_type(_vm: &VirtualMachine) -> rustpython_vm::builtins::PyTypeRef {
        RLock::make_static_type()
    }

    #[pyattr(name = "Semaphore", once)]
    fn semaphore_type(_vm: &VirtualMachine) -> rustpython_vm::builtins::PyTypeRef {
        Semaphore::make_static_type()
    }

    #[pyattr(name = "Event", once)]
    fn event_type(_vm: &VirtualMachine) -> rustpython_vm::builtins::PyTypeRef {
        Event::make_static_type()
    }

    #[pyattr(name = "Condition", once)]
    fn condition_type(_vm: &VirtualMachine) -> rustpython_vm::builtins::PyTypeRef {
        Condition::make_static_type()
    }

    #[pyattr(name = "Barrier", once)]
    fn barrier_type(_vm: &VirtualMachine) -> rustpython_vm::builtins::PyTypeRef {
        Barrier::make_static_type()
    }

    #[pyattr(name = "SharedBlock", once)]
    fn shared_block_type(_vm: &VirtualMachine) -> rustpython_vm::builtins::PyTypeRef {
        SharedBlock::make_static_type()
    }

    /// Starts a child process: `payload` is what the child's `multiprocessing` rebuilds
    /// itself from (`_pp_fork`).
    #[pyfunction]
    fn start_process(payload: PyBytesRef, name: String, daemon: bool, vm: &VirtualMachine) -> PyResult<ProcessHandle> {
        let process = mp::Process::with_target(mp::TargetId::named(CHILD_TARGET), payload.as_bytes().to_vec())
            .with_name(name)
            .with_daemon(daemon);
        vm.allow_threads(|| process.start()).map_err(py_err(vm))?;
        Ok(ProcessHandle { process })
    }

    /// This process's memory in bytes (its wasm memory; `None` natively): the benchmark's
    /// memory per process.
    #[pyfunction]
    fn memory_bytes() -> Option<usize> {
        pp_platform::worker::memory_bytes()
    }

    /// The program's source (a child's tracebacks show its lines).
    #[pyfunction]
    fn main_source() -> String {
        crate::names::source()
    }

    #[pyfunction]
    fn set_main_source(source: String) {
        crate::names::set_source(&source);
    }

    #[pyfunction]
    fn pipe(duplex: bool, vm: &VirtualMachine) -> PyResult<PyTupleRef> {
        let (a, b) = mp::Pipe(duplex).map_err(py_err(vm))?;
        let a = Connection { conn: a }.into_ref(&vm.ctx);
        let b = Connection { conn: b }.into_ref(&vm.ctx);
        Ok(vm.ctx.new_tuple(vec![a.into(), b.into()]))
    }

    #[pyfunction]
    fn queue(maxsize: u32, vm: &VirtualMachine) -> PyResult<Queue> {
        Ok(Queue { queue: mp::JoinableQueue::new(maxsize).map_err(py_err(vm))? })
    }

    #[pyfunction]
    fn lock(vm: &VirtualMachine) -> PyResult<Lock> {
        Ok(Lock { lock: mp::Lock::new().map_err(py_err(vm))? })
    }

    #[pyfunction]
    fn rlock(vm: &VirtualMachine) -> PyResult<RLock> {
        Ok(RLock { lock: mp::RLock::new().map_err(py_err(vm))? })
    }

    #[pyfunction]
    fn semaphore(value: i64, bounded: bool, vm: &VirtualMachine) -> PyResult<Semaphore> {
        Ok(Semaphore { sem: mp::Semaphore::build(value, bounded).map_err(py_err(vm))? })
    }

    #[pyfunction]
    fn event(vm: &VirtualMachine) -> PyResult<Event> {
        Ok(Event { event: mp::Event::new().map_err(py_err(vm))? })
    }

    #[pyfunction]
    fn condition(vm: &VirtualMachine) -> PyResult<Condition> {
        Ok(Condition { cond: mp::Condition::new().map_err(py_err(vm))? })
    }

    #[pyfunction]
    fn barrier(parties: usize, timeout: Option<Seconds>, vm: &VirtualMachine) -> PyResult<Barrier> {
        let timeout = secs(timeout);
        Ok(Barrier { barrier: mp::Barrier::new(parties, timeout).map_err(py_err(vm))? })
    }

    #[pyfunction]
    fn shared_block(size: u32, vm: &VirtualMachine) -> PyResult<SharedBlock> {
        Ok(SharedBlock { block: mp::SharedBytes::new(size).map_err(py_err(vm))? })
    }

    /// The object of kind `kind` whose handle is `data` (made by its `handle()`).
    #[pyfunction]
    fn rebuild(kind: String, data: PyBytesRef, vm: &VirtualMachine) -> PyResult {
        let bytes = data.as_bytes();
        Ok(match kind.as_str() {
            "connection" => Connection { conn: from_handle(bytes, vm)? }.into_ref(&vm.ctx).into(),
            "queue" => Queue { queue: from_handle(bytes, vm)? }.into_ref(&vm.ctx).into(),
            "lock" => Lock { lock: from_handle(bytes, vm)? }.into_ref(&vm.ctx).into(),
            "rlock" => RLock { lock: from_handle(bytes, vm)? }.into_ref(&vm.ctx).into(),
            "semaphore" => Semaphore { sem: from_handle(bytes, vm)? }.into_ref(&vm.ctx).into(),
            "event" => Event { event: from_handle(bytes, vm)? }.into_ref(&vm.ctx).into(),
            "condition" => Condition { cond: from_handle(bytes, vm)? }.into_ref(&vm.ctx).into(),
            "barrier" => Barrier { barrier: from_handle(bytes, vm)? }.into_ref(&vm.ctx).into(),
            "block" => SharedBlock { block: from_handle(bytes, vm)? }.into_ref(&vm.ctx).into(),
            other => return Err(vm.new_value_error(format!("no handle kind {other:?}"))),
        })
    }
}
