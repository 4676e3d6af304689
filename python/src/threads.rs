//! What `threading.py` takes from `_thread` to start, join and end threads, over the
//! runtime's threads: a Python thread is a `threading::Thread` of the runtime (a task on one
//! of the process's web workers, a lane in the timeline, named as the Python thread), running
//! a thread VM of the interpreter (`vm.new_thread()`).
//!
//! RustPython's own handle keeps its state private and starts threads with std (which cannot
//! on wasm32), so these replace `start_joinable_thread`, `_ThreadHandle`,
//! `_make_thread_handle` and `_shutdown` together; `get_ident` stays RustPython's, which the
//! vm itself keys its thread state on.

use crate::errors::raise;
use crate::seconds::{secs, Seconds};
use pp_runtime::threading as rt;
use rustpython_vm::builtins::PyType;
use rustpython_vm::function::{FuncArgs, OptionalArg};
use rustpython_vm::types::{Constructor, Representable};
use rustpython_vm::{pyclass, AsObject, FromArgs, Py, PyObjectRef, PyPayload, PyRef, PyResult, VirtualMachine};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::*};
use std::sync::{Arc, Mutex};

/// A thread's handle, shared by the `_ThreadHandle` object and the thread itself.
#[derive(Default)]
struct Handle {
    /// The runtime's thread, once started (none for the main thread or a dummy thread).
    thread: Mutex<Option<rt::Thread>>,
    ident: AtomicU64,
    done: AtomicBool,
    daemon: AtomicBool,
}

impl Handle {
    fn runtime_thread(&self) -> Option<rt::Thread> {
        self.thread.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn is_done(&self) -> bool {
        self.done.load(Acquire) || self.runtime_thread().is_some_and(|t| t.ident().is_some() && !t.is_alive())
    }
}

/// The handles of the non-daemon threads a process started: `_shutdown` joins them (a
/// runtime extension: one list per process).
#[derive(Default)]
struct NonDaemon(Mutex<Vec<Arc<Handle>>>);

fn non_daemon() -> &'static Mutex<Vec<Arc<Handle>>> {
    &pp_runtime::runtime::Runtime::current().extension::<NonDaemon>().0
}

/// `_thread._ThreadHandle`.
#[pyclass(module = "_thread", name = "_ThreadHandle")]
#[derive(PyPayload)]
pub struct ThreadHandle {
    handle: Arc<Handle>,
}

impl std::fmt::Debug for ThreadHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("_ThreadHandle")
    }
}

impl Constructor for ThreadHandle {
    type Args = ();
    fn py_new(_cls: &Py<PyType>, _args: (), _vm: &VirtualMachine) -> PyResult<Self> {
        Ok(ThreadHandle { handle: Arc::default() })
    }
}

#[pyclass(with(Constructor, Representable))]
impl ThreadHandle {
    #[pygetset]
    fn ident(zelf: &Py<Self>) -> u64 {
        zelf.handle.ident.load(Acquire)
    }

    #[pymethod]
    fn is_done(zelf: &Py<Self>) -> bool {
        zelf.handle.is_done()
    }

    #[pymethod]
    fn _set_done(zelf: &Py<Self>) {
        zelf.handle.done.store(true, Release);
    }

    /// `join(timeout=None)`: until the thread has ended, or the timeout.
    #[pymethod]
    fn join(zelf: &Py<Self>, timeout: OptionalArg<Option<Seconds>>, vm: &VirtualMachine) -> PyResult<()> {
        let timeout = secs(timeout.flatten());
        if zelf.handle.ident.load(Acquire) == rustpython_vm::stdlib::_thread::get_ident() && !zelf.handle.is_done() {
            return Err(vm.new_runtime_error("Cannot join current thread"));
        }
        if let Some(thread) = zelf.handle.runtime_thread() {
            vm.allow_threads(|| thread.join(timeout)).map_err(|e| raise(vm, e))?;
        }
        Ok(())
    }
}

impl Representable for ThreadHandle {
    fn repr_str(zelf: &Py<Self>, _vm: &VirtualMachine) -> PyResult<String> {
        Ok(format!("<_thread._ThreadHandle object: ident={}>", zelf.handle.ident.load(Acquire)))
    }
}

#[derive(FromArgs)]
pub struct StartArgs {
    #[pyarg(positional)]
    function: PyObjectRef,
    #[pyarg(any, default = None)]
    handle: Option<PyRef<ThreadHandle>>,
    #[pyarg(any, default = true)]
    daemon: bool,
}

/// The name a new thread shows: its Python `Thread`'s (`function` is its bound
/// `_bootstrap`), else a generic one.
fn thread_name(function: &PyObjectRef, vm: &VirtualMachine) -> Option<String> {
    let thread = function.get_attr("__self__", vm).ok()?;
    let name = thread.get_attr("_name", vm).ok()?;
    Some(name.str(vm).ok()?.to_string())
}

/// `_thread.start_joinable_thread(function, handle=None, daemon=True)`.
pub(crate) fn start_joinable_thread(args: StartArgs, vm: &VirtualMachine) -> PyResult<PyRef<ThreadHandle>> {
    let handle = args.handle.unwrap_or_else(|| ThreadHandle { handle: Arc::default() }.into_ref(&vm.ctx));
    let shared = handle.handle.clone();
    shared.daemon.store(args.daemon, Relaxed);
    let name = thread_name(&args.function, vm);
    let thread_vm = vm.new_thread();
    let function = args.function;
    let inner = shared.clone();
    let body = move || {
        thread_vm.run(|vm| {
            crate::gil::register_this_thread();
            inner.ident.store(rustpython_vm::stdlib::_thread::get_ident(), Release);
            if let Err(e) = function.call((), vm) {
                // `_bootstrap` reports its exceptions itself (`threading.excepthook`); what
                // escapes it is printed as CPython prints an unraisable exception.
                if !e.fast_isinstance(vm.ctx.exceptions.system_exit) {
                    vm.run_unraisable(e, Some("Exception ignored in thread started by".to_owned()), function.clone());
                }
            }
            drop(function);
            crate::stdio::flush_this_thread();
            rustpython_vm::vm::thread::cleanup_current_thread_frames(vm);
        });
    };
    let mut thread = rt::Thread::new(body).with_daemon(args.daemon);
    if let Some(name) = name {
        thread = thread.with_name(name);
    }
    *shared.thread.lock().unwrap_or_else(|e| e.into_inner()) = Some(thread.clone());
    if !args.daemon {
        non_daemon().lock().unwrap_or_else(|e| e.into_inner()).push(shared);
    }
    vm.allow_threads(|| thread.start()).map_err(|e| raise(vm, e))?;
    Ok(handle)
}

/// `_thread.start_new_thread(function, args, kwargs=None)`: a daemon thread; its ident.
pub(crate) fn start_new_thread(
    function: PyObjectRef,
    args: PyObjectRef,
    kwargs: OptionalArg<PyObjectRef>,
    vm: &VirtualMachine,
) -> PyResult<u64> {
    let call = vm.new_function("_start_new_thread_target", move |_: FuncArgs, vm: &VirtualMachine| -> PyResult {
        let args: Vec<PyObjectRef> = args.try_to_value(vm)?;
        let mut call = FuncArgs::from(args);
        if let Some(kwargs) = kwargs.clone().into_option().filter(|k| !vm.is_none(k)) {
            let dict: rustpython_vm::builtins::PyDictRef =
                kwargs.downcast().map_err(|_| vm.new_type_error("optional 3rd arg must be a dictionary"))?;
            for (key, value) in dict {
                call.kwargs.insert(key.str(vm)?.as_wtf8().to_owned(), value);
            }
        }
        function.call(call, vm)
    });
    let handle = start_joinable_thread(StartArgs { function: call.into(), handle: None, daemon: true }, vm)?;
    // The ident is known once the thread runs, which `start` waited for.
    Ok(handle.handle.ident.load(Acquire))
}

/// `_thread._make_thread_handle(ident)`: the handle of a thread started elsewhere (the main
/// thread, a dummy thread).
pub(crate) fn make_thread_handle(ident: u64, vm: &VirtualMachine) -> PyRef<ThreadHandle> {
    let handle = Handle::default();
    handle.ident.store(ident, Relaxed);
    ThreadHandle { handle: Arc::new(handle) }.into_ref(&vm.ctx)
}

/// `_thread._shutdown()`: joins every non-daemon thread started here (again, until none is
/// left: a thread may start more).
pub(crate) fn shutdown(vm: &VirtualMachine) {
    loop {
        let pending: Vec<Arc<Handle>> = std::mem::take(&mut *non_daemon().lock().unwrap_or_else(|e| e.into_inner()));
        if pending.is_empty() {
            return;
        }
        for handle in pending {
            if let Some(thread) = handle.runtime_thread() {
                let _ = vm.allow_threads(|| thread.join(None));
            }
        }
    }
}

/// `_thread.set_name(name)`: the calling thread's name in the timeline and the console.
pub(crate) fn set_name(name: PyObjectRef, vm: &VirtualMachine) -> PyResult<()> {
    let name = name.str(vm)?.to_string();
    rt::current_thread().set_name(name);
    Ok(())
}

/// `_thread.get_native_id()`: the worker the thread runs on.
pub(crate) fn get_native_id() -> u64 {
    rt::get_native_id()
}
