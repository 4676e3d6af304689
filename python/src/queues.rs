//! Python's `queue` module over the runtime's queues: `Queue`, `LifoQueue`, `PriorityQueue`
//! (subclasses of `Queue`, as in CPython), `SimpleQueue`, `Empty` and `Full`. It shadows
//! `Lib/queue.py`, so that a queue is one watched object (`queue q` in the timeline, a put
//! or a get drawn as a wait on it) and blocks in the runtime.
//!
//! `queue.Empty` is `_queue.Empty`, as in CPython. A `PriorityQueue` orders its items with
//! Python's `<`; items that cannot be compared are taken as equal (CPython raises TypeError
//! from the `put` that compares them).

use crate::errors::{module_class, raise};
use crate::names::{assigned_name, made_quietly};
use crate::seconds::{secs, Seconds};
use pp_runtime::errors::{Empty, Full, GetError, PutError};
use pp_runtime::queue::{Fifo, Lifo, Priority, QueueCore};
use rustpython_vm::builtins::{PyBaseExceptionRef, PyType};
use rustpython_vm::function::OptionalArg;
use rustpython_vm::types::{Constructor, PyComparisonOp, Representable};
use rustpython_vm::{pyclass, AsObject, FromArgs, Py, PyObjectRef, PyPayload, PyResult, VirtualMachine};
use std::cmp::Ordering;

/// An item of a `PriorityQueue`: ordered by Python's `<`.
pub struct Item(PyObjectRef);

impl Item {
    fn less(&self, other: &Item) -> bool {
        rustpython_vm::vm::thread::with_current_vm(|vm| {
            // The queue compares inside its lock, with the thread state detached.
            vm.attach_for_callback(|| self.0.rich_compare_bool(&other.0, PyComparisonOp::Lt, vm).unwrap_or(false))
        })
    }
}

impl PartialEq for Item {
    fn eq(&self, other: &Item) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Item) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Item {
    fn cmp(&self, other: &Item) -> Ordering {
        if self.less(other) {
            Ordering::Less
        } else if other.less(self) {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    }
}

enum Kind {
    Fifo(QueueCore<PyObjectRef, Fifo<PyObjectRef>>),
    Lifo(QueueCore<PyObjectRef, Lifo<PyObjectRef>>),
    Priority(QueueCore<Item, Priority<Item>>),
}

/// Calls `$body` with the queue of whichever kind, its items as `PyObjectRef`.
macro_rules! with_queue {
    ($kind:expr, $q:ident => $body:expr) => {
        match $kind {
            Kind::Fifo($q) => $body,
            Kind::Lifo($q) => $body,
            Kind::Priority($q) => $body,
        }
    };
}

/// `queue.Queue(maxsize=0)`.
#[pyclass(module = "queue", name = "Queue")]
#[derive(PyPayload)]
pub struct Queue {
    kind: Kind,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Queue")
    }
}

#[derive(FromArgs)]
pub struct QueueArgs {
    #[pyarg(any, default = 0)]
    maxsize: i64,
}

impl Constructor for Queue {
    type Args = QueueArgs;
    fn py_new(cls: &Py<PyType>, args: QueueArgs, vm: &VirtualMachine) -> PyResult<Self> {
        let maxsize = args.maxsize.max(0) as usize;
        let name = assigned_name(vm);
        // `LifoQueue` and `PriorityQueue` are subclasses made when the interpreter is set up:
        // a queue made through one takes its order.
        let is = |class: &'static str| module_class(vm, "queue", class).is_some_and(|c| cls.fast_issubclass(&c));
        let kind = made_quietly(vm, || match (&name, is("LifoQueue"), is("PriorityQueue")) {
            (Some(n), true, _) => Kind::Lifo(QueueCore::named(maxsize, n)),
            (None, true, _) => Kind::Lifo(QueueCore::new(maxsize)),
            (Some(n), _, true) => Kind::Priority(QueueCore::named(maxsize, n)),
            (None, _, true) => Kind::Priority(QueueCore::new(maxsize)),
            (Some(n), _, _) => Kind::Fifo(QueueCore::named(maxsize, n)),
            (None, _, _) => Kind::Fifo(QueueCore::new(maxsize)),
        });
        Ok(Queue { kind })
    }
}

#[derive(FromArgs)]
pub struct PutArgs {
    #[pyarg(any)]
    item: PyObjectRef,
    #[pyarg(any, default = true)]
    block: bool,
    #[pyarg(any, default = None)]
    timeout: Option<Seconds>,
}

#[derive(FromArgs)]
pub struct GetArgs {
    #[pyarg(any, default = true)]
    block: bool,
    #[pyarg(any, default = None)]
    timeout: Option<Seconds>,
}

fn put_error<T>(vm: &VirtualMachine, e: PutError<T>) -> PyBaseExceptionRef {
    raise(vm, e.into())
}

fn get_error(vm: &VirtualMachine, e: GetError) -> PyBaseExceptionRef {
    raise(vm, e.into())
}

impl Queue {
    fn put_item(&self, item: PyObjectRef, block: bool, timeout: Option<f64>, vm: &VirtualMachine) -> PyResult<()> {
        macro_rules! put {
            ($q:expr, $item:expr) => {{
                let q = $q;
                vm.allow_threads(|| match (block, timeout) {
                    (false, _) => q.put_nowait($item).map_err(|Full(_)| PutError::Full(())),
                    (true, None) => {
                        q.put($item);
                        Ok(())
                    }
                    (true, Some(t)) => q.put_timeout($item, t).map_err(|e| match e {
                        PutError::Full(_) => PutError::Full(()),
                        PutError::NegativeTimeout(_) => PutError::NegativeTimeout(()),
                    }),
                })
                .map_err(|e| put_error(vm, e))
            }};
        }
        match &self.kind {
            Kind::Fifo(q) => put!(q, item),
            Kind::Lifo(q) => put!(q, item),
            Kind::Priority(q) => put!(q, Item(item)),
        }
    }

    fn get_item(&self, block: bool, timeout: Option<f64>, vm: &VirtualMachine) -> PyResult {
        macro_rules! get {
            ($q:expr) => {{
                let q = $q;
                vm.allow_threads(|| match (block, timeout) {
                    (false, _) => q.get_nowait().map_err(|Empty| GetError::Empty),
                    (true, None) => Ok(q.get()),
                    (true, Some(t)) => q.get_timeout(t),
                })
                .map_err(|e| get_error(vm, e))
            }};
        }
        match &self.kind {
            Kind::Fifo(q) => get!(q),
            Kind::Lifo(q) => get!(q),
            Kind::Priority(q) => get!(q).map(|Item(item)| item),
        }
    }
}

#[pyclass(with(Constructor, Representable), flags(BASETYPE))]
impl Queue {
    #[pymethod]
    fn put(zelf: &Py<Self>, args: PutArgs, vm: &VirtualMachine) -> PyResult<()> {
        zelf.put_item(args.item, args.block, secs(args.timeout), vm)
    }

    #[pymethod]
    fn put_nowait(zelf: &Py<Self>, item: PyObjectRef, vm: &VirtualMachine) -> PyResult<()> {
        zelf.put_item(item, false, None, vm)
    }

    #[pymethod]
    fn get(zelf: &Py<Self>, args: GetArgs, vm: &VirtualMachine) -> PyResult {
        zelf.get_item(args.block, secs(args.timeout), vm)
    }

    #[pymethod]
    fn get_nowait(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult {
        zelf.get_item(false, None, vm)
    }

    #[pymethod]
    fn qsize(zelf: &Py<Self>) -> usize {
        with_queue!(&zelf.kind, q => q.qsize())
    }

    #[pymethod]
    fn empty(zelf: &Py<Self>) -> bool {
        with_queue!(&zelf.kind, q => q.empty())
    }

    #[pymethod]
    fn full(zelf: &Py<Self>) -> bool {
        with_queue!(&zelf.kind, q => q.full())
    }

    #[pymethod]
    fn task_done(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<()> {
        with_queue!(&zelf.kind, q => q.task_done()).map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn join(zelf: &Py<Self>, vm: &VirtualMachine) {
        with_queue!(&zelf.kind, q => vm.allow_threads(|| q.join()))
    }

    #[pygetset]
    fn maxsize(zelf: &Py<Self>) -> usize {
        with_queue!(&zelf.kind, q => q.maxsize())
    }

    /// `q.maxsize = n` (CPython's is a plain attribute; test_queue shrinks a queue so).
    #[pygetset(setter)]
    fn set_maxsize(zelf: &Py<Self>, maxsize: i64) {
        with_queue!(&zelf.kind, q => q.set_maxsize(maxsize.max(0) as usize))
    }
}

impl Representable for Queue {
    fn repr_str(zelf: &Py<Self>, _vm: &VirtualMachine) -> PyResult<String> {
        let class = zelf.as_object().class();
        Ok(format!("<queue.{} object at {:#x}>", class.name(), zelf as *const _ as usize))
    }
}

/// `queue.SimpleQueue()`.
#[pyclass(module = "queue", name = "SimpleQueue")]
#[derive(PyPayload)]
pub struct SimpleQueue {
    queue: pp_runtime::queue::SimpleQueue<PyObjectRef>,
}

impl std::fmt::Debug for SimpleQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SimpleQueue")
    }
}

impl Constructor for SimpleQueue {
    type Args = ();
    fn py_new(_cls: &Py<PyType>, _args: (), vm: &VirtualMachine) -> PyResult<Self> {
        Ok(SimpleQueue { queue: made_quietly(vm, pp_runtime::queue::SimpleQueue::new) })
    }
}

#[pyclass(with(Constructor), flags(BASETYPE))]
impl SimpleQueue {
    #[pymethod]
    fn put(zelf: &Py<Self>, item: PyObjectRef, _block: OptionalArg<bool>, _timeout: OptionalArg<PyObjectRef>) {
        zelf.queue.put(item)
    }

    #[pymethod]
    fn put_nowait(zelf: &Py<Self>, item: PyObjectRef) {
        zelf.queue.put(item)
    }

    #[pymethod]
    fn get(zelf: &Py<Self>, args: GetArgs, vm: &VirtualMachine) -> PyResult {
        let q = &zelf.queue;
        vm.allow_threads(|| match (args.block, secs(args.timeout)) {
            (false, _) => q.get_nowait().map_err(|Empty| GetError::Empty),
            (true, None) => Ok(q.get()),
            (true, Some(t)) => q.get_timeout(t),
        })
        .map_err(|e| get_error(vm, e))
    }

    #[pymethod]
    fn get_nowait(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult {
        zelf.queue.get_nowait().map_err(|Empty| get_error(vm, GetError::Empty))
    }

    #[pymethod]
    fn empty(zelf: &Py<Self>) -> bool {
        zelf.queue.empty()
    }

    #[pymethod]
    fn qsize(zelf: &Py<Self>) -> usize {
        zelf.queue.qsize()
    }
}

/// The `queue` module (a built-in, so it shadows `Lib/queue.py`). `LifoQueue`,
/// `PriorityQueue` and `Full` are added when the interpreter is set up.
#[rustpython_vm::pymodule(name = "queue")]
pub mod queue_module {
    use rustpython_vm::builtins::PyTypeRef;
    use rustpython_vm::class::PyClassImpl;
    use rustpython_vm::VirtualMachine;

    #[pyattr(name = "Queue", once)]
    fn queue_type(_vm: &VirtualMachine) -> PyTypeRef {
        super::Queue::make_static_type()
    }

    #[pyattr(name = "SimpleQueue", once)]
    fn simple_queue_type(_vm: &VirtualMachine) -> PyTypeRef {
        super::SimpleQueue::make_static_type()
    }

    /// `queue.Empty` is `_queue.Empty`, as in CPython.
    #[pyattr(name = "Empty")]
    fn empty_type(vm: &VirtualMachine) -> PyTypeRef {
        vm.class("_queue", "Empty")
    }
}
