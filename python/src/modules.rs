//! The built-in modules this crate adds to the interpreter: `_pp` (every class and function
//! of ours that set-up puts into `_thread`, `time`, `sys`, `_imp` and `threading`: one place
//! declares them, one table in `interp` says where each goes), `posix` (what `os` needs,
//! without an OS) and `queue` (shadowing `Lib/queue.py`); `_pp_mp`, what `multiprocessing`
//! stands on, is [`crate::mp`].

#[rustpython_vm::pymodule(name = "_pp")]
pub mod pp {
    use pp_runtime::threading as rt;
    use rustpython_vm::builtins::PyTypeRef;
    use rustpython_vm::class::PyClassImpl;
    use rustpython_vm::{PyResult, VirtualMachine};
    use std::sync::OnceLock;

    #[pyattr(name = "Lock", once)]
    fn lock_type(_vm: &VirtualMachine) -> PyTypeRef {
        crate::locks::Lock::make_static_type()
    }

    #[pyattr(name = "RLock", once)]
    fn rlock_type(_vm: &VirtualMachine) -> PyTypeRef {
        crate::locks::RLock::make_static_type()
    }

    #[pyattr(name = "Condition", once)]
    fn condition_type(_vm: &VirtualMachine) -> PyTypeRef {
        crate::sync::Condition::make_static_type()
    }

    #[pyattr(name = "Semaphore", once)]
    fn semaphore_type(_vm: &VirtualMachine) -> PyTypeRef {
        crate::sync::Semaphore::make_static_type()
    }

    #[pyattr(name = "Event", once)]
    fn event_type(_vm: &VirtualMachine) -> PyTypeRef {
        crate::sync::Event::make_static_type()
    }

    #[pyattr(name = "Barrier", once)]
    fn barrier_type(_vm: &VirtualMachine) -> PyTypeRef {
        crate::sync::Barrier::make_static_type()
    }

    #[pyattr(name = "ConsoleWriter", once)]
    fn console_writer_type(_vm: &VirtualMachine) -> PyTypeRef {
        crate::stdio::ConsoleWriter::make_static_type()
    }

    #[pyattr(name = "_ThreadHandle", once)]
    fn thread_handle_type(_vm: &VirtualMachine) -> PyTypeRef {
        crate::threads::ThreadHandle::make_static_type()
    }

    #[pyfunction]
    fn sleep(seconds: crate::seconds::Seconds, vm: &VirtualMachine) -> PyResult<()> {
        crate::clock::sleep(seconds.0, vm)
    }

    #[pyfunction]
    fn monotonic() -> f64 {
        crate::clock::monotonic()
    }

    #[pyfunction]
    fn monotonic_ns(vm: &VirtualMachine) -> rustpython_vm::PyObjectRef {
        vm.ctx.new_int(crate::clock::monotonic_ns()).into()
    }

    #[pyfunction]
    fn time_ns(vm: &VirtualMachine) -> rustpython_vm::PyObjectRef {
        vm.ctx.new_int(crate::clock::time_ns()).into()
    }

    #[pyfunction]
    fn setswitchinterval(interval: crate::seconds::Seconds, vm: &VirtualMachine) -> PyResult<()> {
        crate::gil::set_switch_interval(interval.0, vm)
    }

    /// `sys._is_gil_enabled()` (CPython 3.13): whether this run has the GIL on.
    #[pyfunction]
    fn is_gil_enabled() -> bool {
        pp_runtime::gil::enabled()
    }

    #[pyfunction]
    fn start_joinable_thread(
        args: crate::threads::StartArgs,
        vm: &VirtualMachine,
    ) -> PyResult<rustpython_vm::PyRef<crate::threads::ThreadHandle>> {
        crate::threads::start_joinable_thread(args, vm)
    }

    #[pyfunction]
    fn start_new_thread(
        function: rustpython_vm::PyObjectRef,
        args: rustpython_vm::PyObjectRef,
        kwargs: rustpython_vm::function::OptionalArg<rustpython_vm::PyObjectRef>,
        vm: &VirtualMachine,
    ) -> PyResult<u64> {
        crate::threads::start_new_thread(function, args, kwargs, vm)
    }

    #[pyfunction]
    fn make_thread_handle(ident: u64, vm: &VirtualMachine) -> rustpython_vm::PyRef<crate::threads::ThreadHandle> {
        crate::threads::make_thread_handle(ident, vm)
    }

    #[pyfunction]
    fn shutdown(vm: &VirtualMachine) {
        crate::threads::shutdown(vm)
    }

    #[pyfunction]
    fn set_name(name: rustpython_vm::PyObjectRef, vm: &VirtualMachine) -> PyResult<()> {
        crate::threads::set_name(name, vm)
    }

    #[pyfunction]
    fn get_native_id() -> u64 {
        crate::threads::get_native_id()
    }

    /// The import lock (`_imp.acquire_lock`): one of the runtime's, so that a thread that
    /// waits for it lets the GIL go (a thread handed the GIL over while importing would
    /// otherwise hold everyone who imports next). Not watched: it is the interpreter's. One
    /// per process (a runtime extension), like the rest of the interpreter's state.
    #[derive(Default)]
    struct ImportLock(OnceLock<rt::RLock>);

    fn import_lock() -> &'static rt::RLock {
        let lock = pp_runtime::runtime::Runtime::current().extension::<ImportLock>();
        lock.0.get_or_init(|| rt::unwatched(rt::RLock::new))
    }

    #[pyfunction]
    fn acquire_import_lock(vm: &VirtualMachine) {
        let lock = import_lock();
        vm.allow_threads(|| lock.acquire_blocking());
    }

    #[pyfunction]
    fn release_import_lock(vm: &VirtualMachine) -> PyResult<()> {
        crate::gil::detached_if_stepped(vm, || import_lock().release())
            .map_err(|_| vm.new_runtime_error("not holding the import lock"))
    }

    #[pyfunction]
    fn import_lock_held() -> bool {
        import_lock().count() > 0
    }
}

#[rustpython_vm::pymodule(name = "posix")]
pub mod posix {
    //! What `os` needs from `posix` to import, and what the tutorial's programs call:
    //! there is no OS under a web worker, so files and processes say so.

    use rustpython_vm::builtins::{PyDictRef, PyListRef};
    use rustpython_vm::function::{FuncArgs, OptionalArg};
    use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};

    #[pyattr]
    fn environ(vm: &VirtualMachine) -> PyDictRef {
        vm.ctx.new_dict()
    }

    #[pyattr]
    fn _have_functions(vm: &VirtualMachine) -> PyListRef {
        vm.ctx.new_list(Vec::new())
    }

    #[pyattr]
    fn error(vm: &VirtualMachine) -> PyObjectRef {
        vm.ctx.exceptions.os_error.to_owned().into()
    }

    fn no_files(vm: &VirtualMachine) -> rustpython_vm::builtins::PyBaseExceptionRef {
        vm.new_os_error("the playground has no file system (the Python tab runs in a web worker)")
    }

    #[pyfunction]
    fn getpid() -> u32 {
        pp_multiprocessing::getpid()
    }

    #[pyfunction]
    fn getppid() -> u32 {
        pp_multiprocessing::getppid()
    }

    #[pyfunction]
    fn cpu_count() -> usize {
        pp_multiprocessing::cpu_count()
    }

    #[pyfunction]
    fn getcwd() -> &'static str {
        "/"
    }

    #[pyfunction]
    fn urandom(n: usize, vm: &VirtualMachine) -> PyObjectRef {
        let bytes: Vec<u8> = (0..n).map(|_| fastrand::u8(..)).collect();
        vm.ctx.new_bytes(bytes).into()
    }

    #[pyfunction]
    fn fspath(path: PyObjectRef) -> PyObjectRef {
        path
    }

    #[pyfunction]
    fn isatty(_fd: i64) -> bool {
        false
    }

    #[pyfunction]
    fn strerror(code: i64) -> String {
        format!("error {code}")
    }

    #[pyfunction]
    fn register_at_fork(_args: FuncArgs) {}

    #[pyfunction]
    fn putenv(_key: PyObjectRef, _value: PyObjectRef) {}

    #[pyfunction]
    fn unsetenv(_key: PyObjectRef) {}

    #[pyfunction]
    fn device_encoding(_fd: i64) -> Option<String> {
        None
    }

    #[pyfunction]
    fn stat(_path: PyObjectRef, _args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
        Err(no_files(vm))
    }

    #[pyfunction]
    fn lstat(_path: PyObjectRef, _args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
        Err(no_files(vm))
    }

    #[pyfunction]
    fn readlink(_path: PyObjectRef, _args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
        Err(no_files(vm))
    }

    #[pyfunction]
    fn listdir(_path: OptionalArg<PyObjectRef>, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
        Err(no_files(vm))
    }

    #[pyfunction]
    fn scandir(_path: OptionalArg<PyObjectRef>, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
        Err(no_files(vm))
    }

    #[pyfunction]
    fn open(_args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
        Err(no_files(vm))
    }

    #[pyfunction]
    fn _exit(code: i32, vm: &VirtualMachine) -> PyResult<()> {
        Err(vm.new_exception(vm.ctx.exceptions.system_exit.to_owned(), vec![vm.ctx.new_int(code).into()]))
    }
}

pub use crate::queues::queue_module as queue;

#[rustpython_vm::pymodule(name = "_signal")]
pub mod signal {
    //! What `signal` needs to import (`unittest` imports it): a web worker gets no signals, so
    //! a handler can be set and read back, and is never called.

    use rustpython_vm::function::FuncArgs;
    use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};

    #[pyattr]
    const SIG_DFL: i32 = 0;
    #[pyattr]
    const SIG_IGN: i32 = 1;
    #[pyattr]
    const SIGINT: i32 = 2;
    #[pyattr]
    const SIGKILL: i32 = 9;
    #[pyattr]
    const SIGTERM: i32 = 15;
    #[pyattr]
    const NSIG: i32 = 65;

    #[pyfunction]
    fn default_int_handler(_args: FuncArgs, vm: &VirtualMachine) -> PyResult<()> {
        Err(vm.new_exception_empty(vm.ctx.exceptions.keyboard_interrupt.to_owned()))
    }

    /// `signal.signal(signalnum, handler)`: the previous handler (always the default: none is
    /// ever called here).
    #[pyfunction]
    fn signal(_signalnum: i32, _handler: PyObjectRef, vm: &VirtualMachine) -> PyObjectRef {
        vm.ctx.new_int(SIG_DFL).into()
    }

    #[pyfunction]
    fn getsignal(_signalnum: i32, vm: &VirtualMachine) -> PyObjectRef {
        vm.ctx.new_int(SIG_DFL).into()
    }
}
