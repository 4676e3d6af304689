//! `threading`'s Condition, Semaphore, BoundedSemaphore, Event and Barrier as RustPython
//! classes over the runtime's, which replace `threading.py`'s pure-Python ones once it is
//! imported ([`crate::interp`]); the locks they are built on are in [`crate::locks`].
//!
//! Each is the runtime's object (watched: the timeline names it) behind a thin class. Every
//! call that may block runs with RustPython's thread state detached (`vm.allow_threads`); the
//! runtime's primitive lets the simulated GIL go while it waits.

use crate::errors::{module_class, raise};
use crate::locks::{address, AcquireArgs, Lock, RLock};
use crate::names::{assigned_name, made_quietly};
use crate::seconds::{secs, Seconds};
use pp_runtime::errors::PyErr;
use pp_runtime::threading as rt;
use rustpython_vm::builtins::{PyBaseExceptionRef, PyType};
use rustpython_vm::function::{FuncArgs, OptionalArg};
use rustpython_vm::types::{Constructor, Representable};
use rustpython_vm::{pyclass, FromArgs, Py, PyObjectRef, PyPayload, PyResult, VirtualMachine};
use std::sync::Arc;

thread_local! {
    /// What a barrier's action raised on this thread, until its `wait` raises it.
    static ACTION_RAISED: std::cell::RefCell<Option<PyBaseExceptionRef>> = const { std::cell::RefCell::new(None) };
}

/// `threading.Condition(lock=None)`.
#[pyclass(module = "threading", name = "Condition")]
#[derive(Debug, PyPayload)]
pub struct Condition {
    cond: rt::Condition,
    /// The lock object it was given (or made): `Condition._lock`.
    lock: PyObjectRef,
}

#[derive(FromArgs)]
pub struct ConditionArgs {
    #[pyarg(any, optional)]
    lock: OptionalArg<PyObjectRef>,
}

impl Constructor for Condition {
    type Args = ConditionArgs;
    fn py_new(_cls: &Py<PyType>, args: ConditionArgs, vm: &VirtualMachine) -> PyResult<Self> {
        let name = assigned_name(vm);
        let given = args.lock.into_option().filter(|l| !vm.is_none(l));
        // The RLock a Condition makes for itself is part of it: not watched on its own.
        let lock: PyObjectRef = match given {
            Some(lock) => lock,
            None => RLock { lock: Arc::new(rt::unwatched(rt::RLock::new)) }.into_ref(&vm.ctx).into(),
        };
        let under = if let Some(l) = lock.downcast_ref::<Lock>() {
            rt::CondLock::Lock(l.lock.clone())
        } else if let Some(l) = lock.downcast_ref::<RLock>() {
            rt::CondLock::RLock(l.lock.clone())
        } else {
            return Err(vm.new_type_error("Condition() takes a threading.Lock or threading.RLock"));
        };
        let cond = made_quietly(vm, || rt::Condition::over(under, name.as_deref()));
        Ok(Condition { cond, lock })
    }
}

#[derive(FromArgs)]
pub struct TimeoutArg {
    #[pyarg(any, default = None)]
    timeout: Option<Seconds>,
}

#[derive(FromArgs)]
pub struct WaitForArgs {
    #[pyarg(any)]
    predicate: PyObjectRef,
    #[pyarg(any, default = None)]
    timeout: Option<Seconds>,
}

#[pyclass(with(Constructor), flags(BASETYPE))]
impl Condition {
    #[pymethod]
    fn acquire(zelf: &Py<Self>, args: AcquireArgs, vm: &VirtualMachine) -> PyResult<bool> {
        let cond = &zelf.cond;
        vm.allow_threads(|| cond.acquire(args.blocking, Some(args.timeout()))).map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn release(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<()> {
        crate::gil::detached_if_stepped(vm, || zelf.cond.release()).map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn __enter__(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<bool> {
        Self::acquire(zelf, AcquireArgs::BLOCKING, vm)
    }

    #[pymethod]
    fn __exit__(zelf: &Py<Self>, _args: FuncArgs, vm: &VirtualMachine) -> PyResult<()> {
        Self::release(zelf, vm)
    }

    #[pymethod]
    fn wait(zelf: &Py<Self>, args: TimeoutArg, vm: &VirtualMachine) -> PyResult<bool> {
        let cond = &zelf.cond;
        vm.allow_threads(|| cond.wait(secs(args.timeout))).map_err(|e| raise(vm, e))
    }

    /// `wait_for(predicate, timeout=None)`: the predicate's last value, as CPython's. The
    /// runtime's loop and timeout rule (`primitives::wait_for`), with the predicate run as
    /// Python and each wait with the thread state detached.
    #[pymethod]
    fn wait_for(zelf: &Py<Self>, args: WaitForArgs, vm: &VirtualMachine) -> PyResult {
        let cond = &zelf.cond;
        let mut last = vm.ctx.none();
        let predicate = || {
            last = args.predicate.call((), vm)?;
            last.clone().is_true(vm)
        };
        let wait = |deadline| vm.allow_threads(|| cond.wait_until(deadline)).map(drop).map_err(|e| raise(vm, e));
        pp_runtime::primitives::wait_for(pp_runtime::timeout::at_most(secs(args.timeout)), predicate, wait)?;
        Ok(last)
    }

    #[pymethod]
    fn notify(zelf: &Py<Self>, n: OptionalArg<usize>, vm: &VirtualMachine) -> PyResult<()> {
        crate::gil::detached_if_stepped(vm, || zelf.cond.notify(n.unwrap_or(1))).map_err(|e| raise(vm, e))
    }

    #[pymethod(name = "notifyAll")]
    #[pymethod]
    fn notify_all(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<()> {
        crate::gil::detached_if_stepped(vm, || zelf.cond.notify_all()).map_err(|e| raise(vm, e))
    }

    #[pygetset]
    fn _lock(zelf: &Py<Self>) -> PyObjectRef {
        zelf.lock.clone()
    }
}

#[derive(FromArgs)]
pub struct SemaphoreArgs {
    #[pyarg(any, default = 1)]
    value: i64,
}

#[derive(FromArgs)]
pub struct SemAcquireArgs {
    #[pyarg(any, default = true)]
    blocking: bool,
    #[pyarg(any, default = None)]
    timeout: Option<Seconds>,
}

/// `threading.Semaphore(value=1)` and `threading.BoundedSemaphore(value=1)`.
#[pyclass(module = "threading", name = "Semaphore")]
#[derive(Debug, PyPayload)]
pub struct Semaphore {
    sem: SemKind,
}

#[derive(Debug)]
enum SemKind {
    Plain(rt::Semaphore),
    Bounded(rt::BoundedSemaphore),
}

impl Semaphore {
    fn inner(&self) -> &rt::Semaphore {
        match &self.sem {
            SemKind::Plain(s) => s,
            SemKind::Bounded(b) => b,
        }
    }
}

impl Constructor for Semaphore {
    type Args = SemaphoreArgs;
    fn py_new(cls: &Py<PyType>, args: SemaphoreArgs, vm: &VirtualMachine) -> PyResult<Self> {
        let name = assigned_name(vm);
        let bounded = module_class(vm, "threading", "BoundedSemaphore").is_some_and(|b| cls.fast_issubclass(&b));
        let sem = made_quietly(vm, || {
            if bounded {
                match &name {
                    Some(n) => rt::BoundedSemaphore::named(args.value, n),
                    None => rt::BoundedSemaphore::new(args.value),
                }
                .map(SemKind::Bounded)
            } else {
                match &name {
                    Some(n) => rt::Semaphore::named(args.value, n),
                    None => rt::Semaphore::new(args.value),
                }
                .map(SemKind::Plain)
            }
        });
        Ok(Semaphore { sem: sem.map_err(|e| raise(vm, e))? })
    }
}

#[pyclass(with(Constructor, Representable), flags(BASETYPE))]
impl Semaphore {
    #[pymethod]
    fn acquire(zelf: &Py<Self>, args: SemAcquireArgs, vm: &VirtualMachine) -> PyResult<bool> {
        let sem = zelf.inner();
        vm.allow_threads(|| sem.acquire(args.blocking, secs(args.timeout))).map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn release(zelf: &Py<Self>, n: OptionalArg<usize>, vm: &VirtualMachine) -> PyResult<()> {
        let n = n.unwrap_or(1);
        if n < 1 {
            return Err(vm.new_value_error("n must be one or more"));
        }
        crate::gil::detached_if_stepped(vm, || zelf.inner().release(n)).map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn __enter__(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<bool> {
        Self::acquire(zelf, SemAcquireArgs { blocking: true, timeout: None }, vm)
    }

    #[pymethod]
    fn __exit__(zelf: &Py<Self>, _args: FuncArgs, vm: &VirtualMachine) -> PyResult<()> {
        Self::release(zelf, OptionalArg::Missing, vm)
    }

    #[pygetset]
    fn _value(zelf: &Py<Self>) -> usize {
        zelf.inner().value()
    }
}

impl Representable for Semaphore {
    fn repr_str(zelf: &Py<Self>, _vm: &VirtualMachine) -> PyResult<String> {
        Ok(match &zelf.sem {
            SemKind::Plain(s) => s.to_string(),
            SemKind::Bounded(b) => b.to_string(),
        })
    }
}

/// `threading.Event()`.
#[pyclass(module = "threading", name = "Event")]
#[derive(Debug, PyPayload)]
pub struct Event {
    event: rt::Event,
}

impl Constructor for Event {
    type Args = ();
    fn py_new(_cls: &Py<PyType>, _args: (), vm: &VirtualMachine) -> PyResult<Self> {
        let event = made_quietly(vm, || match assigned_name(vm) {
            Some(name) => rt::Event::named(&name),
            None => rt::Event::new(),
        });
        Ok(Event { event })
    }
}

#[pyclass(with(Constructor, Representable), flags(BASETYPE))]
impl Event {
    #[pymethod(name = "isSet")]
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
    fn wait(zelf: &Py<Self>, args: TimeoutArg, vm: &VirtualMachine) -> bool {
        let event = &zelf.event;
        vm.allow_threads(|| event.wait(secs(args.timeout)))
    }

    #[pymethod]
    fn _at_fork_reinit(_zelf: &Py<Self>) {}
}

impl Representable for Event {
    fn repr_str(zelf: &Py<Self>, _vm: &VirtualMachine) -> PyResult<String> {
        let state = if zelf.event.is_set() { "set" } else { "unset" };
        Ok(format!("<threading.Event at {:#x}: {state}>", address(&**zelf)))
    }
}

#[derive(FromArgs)]
pub struct BarrierArgs {
    #[pyarg(any)]
    parties: i64,
    #[pyarg(any, default = None)]
    action: Option<PyObjectRef>,
    #[pyarg(any, default = None)]
    timeout: Option<Seconds>,
}

/// `threading.Barrier(parties, action=None, timeout=None)`.
#[pyclass(module = "threading", name = "Barrier")]
#[derive(Debug, PyPayload)]
pub struct Barrier {
    barrier: rt::Barrier,
}

impl Constructor for Barrier {
    type Args = BarrierArgs;
    fn py_new(_cls: &Py<PyType>, args: BarrierArgs, vm: &VirtualMachine) -> PyResult<Self> {
        if args.parties < 1 {
            return Err(vm.new_value_error("parties must be > 0"));
        }
        // The action runs on the last thread to arrive, inside the barrier's wait (detached):
        // it attaches again to run Python. What it raises breaks the barrier (the runtime's
        // part) and, as in CPython's `Barrier._release`, comes out of that thread's `wait()`
        // as itself: kept on the thread until `wait` returns.
        let action: Option<rt::BarrierAction> = args.action.filter(|a| !vm.is_none(a)).map(|action| {
            Box::new(move || {
                rustpython_vm::vm::thread::with_current_vm(|vm| {
                    vm.attach_for_callback(|| action.call((), vm).map(drop)).map_err(|e| {
                        ACTION_RAISED.with(|raised| *raised.borrow_mut() = Some(e));
                        PyErr::runtime_error("the barrier's action raised")
                    })
                })
            }) as rt::BarrierAction
        });
        let name = assigned_name(vm);
        let barrier = made_quietly(vm, || {
            rt::Barrier::with_name(args.parties as usize, action, secs(args.timeout), name.as_deref())
        })
        .map_err(|e| raise(vm, e))?;
        Ok(Barrier { barrier })
    }
}

#[pyclass(with(Constructor), flags(BASETYPE))]
impl Barrier {
    #[pymethod]
    fn wait(zelf: &Py<Self>, args: TimeoutArg, vm: &VirtualMachine) -> PyResult<usize> {
        let barrier = &zelf.barrier;
        vm.allow_threads(|| barrier.wait(secs(args.timeout)))
            .map_err(|e| ACTION_RAISED.with(|raised| raised.take()).unwrap_or_else(|| raise(vm, e.into())))
    }

    #[pymethod]
    fn reset(zelf: &Py<Self>, vm: &VirtualMachine) {
        let barrier = &zelf.barrier;
        vm.allow_threads(|| barrier.reset())
    }

    #[pymethod]
    fn abort(zelf: &Py<Self>, vm: &VirtualMachine) {
        let barrier = &zelf.barrier;
        vm.allow_threads(|| barrier.abort())
    }

    #[pygetset]
    fn parties(zelf: &Py<Self>) -> usize {
        zelf.barrier.parties()
    }

    #[pygetset]
    fn n_waiting(zelf: &Py<Self>) -> usize {
        zelf.barrier.n_waiting()
    }

    #[pygetset]
    fn broken(zelf: &Py<Self>) -> bool {
        zelf.barrier.broken()
    }
}
