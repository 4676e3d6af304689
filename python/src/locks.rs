//! Python's locks as RustPython classes over the runtime's: `_thread.lock` and `_thread.RLock`
//! (what `threading.Lock()` and `threading.RLock()` make). Each is the runtime's lock
//! (watched: the timeline names it, its holder is in its state word, the wait-for graph sees
//! it) behind a thin class; a wait runs with RustPython's thread state detached
//! (`vm.allow_threads`), and the runtime's lock lets the simulated GIL go.

use crate::errors::raise;
use crate::names::{assigned_name, made_quietly};
use crate::seconds::Seconds;
use pp_runtime::threading as rt;
use rustpython_vm::builtins::PyType;
use rustpython_vm::function::{FuncArgs, OptionalArg};
use rustpython_vm::types::{Constructor, Representable};
use rustpython_vm::{pyclass, FromArgs, Py, PyPayload, PyResult, VirtualMachine};
use std::sync::Arc;

/// An object's address, as CPython's reprs show it.
pub(crate) fn address<T>(object: &T) -> usize {
    object as *const T as usize
}

#[derive(FromArgs)]
pub struct AcquireArgs {
    #[pyarg(any, default = true)]
    pub(crate) blocking: bool,
    #[pyarg(any, optional)]
    timeout: OptionalArg<Seconds>,
}

impl AcquireArgs {
    pub(crate) const BLOCKING: AcquireArgs = AcquireArgs { blocking: true, timeout: OptionalArg::Missing };

    /// The timeout as the runtime's `acquire` takes it: -1 for none.
    pub(crate) fn timeout(&self) -> f64 {
        self.timeout.as_option().map_or(-1.0, |s| s.0)
    }
}

/// `_thread.lock`: `threading.Lock()`.
#[pyclass(module = "_thread", name = "lock")]
#[derive(Debug, PyPayload)]
pub struct Lock {
    pub(crate) lock: Arc<rt::Lock>,
}

impl Constructor for Lock {
    type Args = ();
    fn py_new(_cls: &Py<PyType>, _args: (), vm: &VirtualMachine) -> PyResult<Self> {
        Ok(Lock::new(vm))
    }
}

impl Lock {
    pub fn new(vm: &VirtualMachine) -> Lock {
        let lock = made_quietly(vm, || match assigned_name(vm) {
            Some(name) => rt::Lock::named(&name),
            None => rt::Lock::new(),
        });
        Lock { lock: Arc::new(lock) }
    }
}

#[pyclass(with(Constructor, Representable))]
impl Lock {
    #[pymethod(name = "acquire_lock")]
    #[pymethod]
    fn acquire(zelf: &Py<Self>, args: AcquireArgs, vm: &VirtualMachine) -> PyResult<bool> {
        let lock = &zelf.lock;
        vm.allow_threads(|| lock.acquire(args.blocking, Some(args.timeout()))).map_err(|e| raise(vm, e))
    }

    #[pymethod(name = "release_lock")]
    #[pymethod]
    fn release(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<()> {
        crate::gil::detached_if_stepped(vm, || zelf.lock.release()).map_err(|e| raise(vm, e))
    }

    #[pymethod(name = "locked_lock")]
    #[pymethod]
    fn locked(zelf: &Py<Self>) -> bool {
        zelf.lock.locked()
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
    fn _at_fork_reinit(_zelf: &Py<Self>) {}
}

impl Representable for Lock {
    fn repr_str(zelf: &Py<Self>, _vm: &VirtualMachine) -> PyResult<String> {
        let state = if zelf.lock.locked() { "locked" } else { "unlocked" };
        Ok(format!("<{state} _thread.lock object at {:#x}>", address(&**zelf)))
    }
}

/// `_thread.RLock`: `threading.RLock()`.
#[pyclass(module = "_thread", name = "RLock")]
#[derive(Debug, PyPayload)]
pub struct RLock {
    pub(crate) lock: Arc<rt::RLock>,
}

impl Constructor for RLock {
    type Args = FuncArgs;
    fn py_new(_cls: &Py<PyType>, _args: FuncArgs, vm: &VirtualMachine) -> PyResult<Self> {
        let lock = made_quietly(vm, || match assigned_name(vm) {
            Some(name) => rt::RLock::named(&name),
            None => rt::RLock::new(),
        });
        Ok(RLock { lock: Arc::new(lock) })
    }
}

#[pyclass(with(Constructor, Representable), flags(BASETYPE))]
impl RLock {
    #[pymethod]
    fn acquire(zelf: &Py<Self>, args: AcquireArgs, vm: &VirtualMachine) -> PyResult<bool> {
        let lock = &zelf.lock;
        vm.allow_threads(|| lock.acquire(args.blocking, Some(args.timeout()))).map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn release(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<()> {
        crate::gil::detached_if_stepped(vm, || zelf.lock.release()).map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn locked(zelf: &Py<Self>) -> bool {
        zelf.lock.count() > 0
    }

    #[pymethod]
    fn _is_owned(zelf: &Py<Self>) -> bool {
        zelf.lock.is_owned()
    }

    #[pymethod]
    fn _recursion_count(zelf: &Py<Self>) -> u32 {
        if zelf.lock.is_owned() {
            zelf.lock.count()
        } else {
            0
        }
    }

    #[pymethod]
    fn _release_save(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<(u32, u64)> {
        if !zelf.lock.is_owned() {
            return Err(vm.new_runtime_error("cannot release un-acquired lock"));
        }
        Ok((zelf.lock.release_save(), rt::get_ident()))
    }

    #[pymethod]
    fn _acquire_restore(zelf: &Py<Self>, state: (u32, u64), vm: &VirtualMachine) {
        let lock = &zelf.lock;
        vm.allow_threads(|| lock.acquire_restore(state.0));
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
    fn _at_fork_reinit(_zelf: &Py<Self>) {}
}

impl Representable for RLock {
    fn repr_str(zelf: &Py<Self>, _vm: &VirtualMachine) -> PyResult<String> {
        let state = if zelf.lock.count() > 0 { "locked" } else { "unlocked" };
        let owner =
            if zelf.lock.count() > 0 { format!(" owner={}", rt::get_ident()) } else { String::from(" owner=0") };
        Ok(format!("<{state} _thread.RLock object{owner} count={} at {:#x}>", zelf.lock.count(), address(&**zelf)))
    }
}
