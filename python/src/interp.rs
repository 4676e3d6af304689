//! The interpreter of a process: built when the process boots, on the worker that then runs
//! the program as `__main__`; set up so that what blocks, blocks in the runtime.
//!
//! Setting up, in order (before any module that binds these names is imported):
//! `sys.stdout`/`sys.stderr`; a `posix` of our own (no OS on wasm32); `time`'s clocks and
//! `sleep`; `_thread`'s locks, thread start and handles; the import lock; then `threading`
//! is imported and its Condition, Semaphore, BoundedSemaphore, Event, Barrier and local are
//! ours; `queue` is ours (a built-in module shadows `Lib/queue.py`). The garbage collector's
//! automatic collections are off (a collection stops the world; reference counting frees
//! everything but cycles, which a run's life is too short to matter for).

use crate::names::MAIN_FILE;
use pp_platform::request::{Program, RunRequest};
use pp_runtime::errors::PyErr;
use pp_runtime::runtime::Runtime;
use rustpython_vm::builtins::PyBaseExceptionRef;
use rustpython_vm::compiler::Mode;
use rustpython_vm::{AsObject, Interpreter, PyObjectRef, PyResult, Settings, VirtualMachine};
use std::cell::Cell;

thread_local! {
    /// The interpreter booted for this worker's next program. Leaked: it lives as long as its
    /// process, and dropping it with the thread's other thread-locals (natively; wasm runs no
    /// thread-local destructors) would reach thread-locals already gone.
    static INTERPRETER: Cell<Option<&'static Interpreter>> = const { Cell::new(None) };
}

/// Builds and sets up an interpreter for this worker's next program (the process's boot,
/// before Run), unless one is ready.
pub fn boot() -> &'static Interpreter {
    INTERPRETER.with(|slot| {
        let interpreter = slot.get().unwrap_or_else(fresh);
        slot.set(Some(interpreter));
        interpreter
    })
}

/// What every child process imports before it runs its `Process` (the interpreter's start,
/// `multiprocessing` and what rebuilds the parent's `__main__`), and a pool's worker too (the
/// tutorial's chapters 8 and 9 are pools): in a warm process, done while it waits, they were
/// most of a child's start (BENCHMARKS.md, 2026-12-06). The pool's imports cost a warm
/// process 6 MB more memory (31 MB).
const CHILD_IMPORTS: &str =
    "import multiprocessing.popen_fork, multiprocessing._pp_fork, cloudpickle, multiprocessing.pool\n";

/// Readies a warm process for the child it will be: the interpreter built and what every
/// child imports imported, as they would be at its start (a fork's child has its parent's
/// modules: importing them early changes nothing a child sees). An error is left for the
/// child's own import to report.
pub fn warm_child() {
    let _ = boot().enter(|vm| vm.run_string(vm.new_scope_with_builtins(), CHILD_IMPORTS, "<playground>").map(drop));
}

/// The interpreter booted for this program, or a fresh one: each program gets its own (its
/// modules' state, `threading`'s thread counter among them, starts as a new process's).
fn take_booted() -> &'static Interpreter {
    INTERPRETER.with(Cell::take).unwrap_or_else(fresh)
}

fn fresh() -> &'static Interpreter {
    let interpreter: &'static Interpreter = Box::leak(Box::new(build()));
    if let Err(e) = interpreter.enter(set_up) {
        interpreter.enter(|vm| print_exception(vm, &e));
    }
    interpreter
}

fn build() -> Interpreter {
    // What a child process of this module may run: natively here (no module init runs; a
    // child is a thread of this OS process); the browser's instances in `pp_module_init`.
    pp_multiprocessing::register_targets(targets());
    let mut settings = Settings::default();
    settings.argv = vec![MAIN_FILE.to_owned()];
    settings.install_signal_handlers = false;
    let builder = Interpreter::builder(settings);
    let mut defs = rustpython_stdlib::stdlib_module_defs(&builder.ctx);
    // `_datetime` reads std's `SystemTime` (which panics on wasm32); `datetime.py` falls back
    // to `_pydatetime`, which reads `time.time()` (the browser's clock).
    defs.retain(|d| d.name.as_str() != "_datetime");
    let ours = [
        crate::modules::pp::module_def(&builder.ctx),
        crate::modules::posix::module_def(&builder.ctx),
        crate::modules::queue::module_def(&builder.ctx),
        crate::mp::module::module_def(&builder.ctx),
        crate::pickle::module::module_def(&builder.ctx),
        crate::modules::signal::module_def(&builder.ctx),
        crate::stdlib::module::module_def(&builder.ctx),
    ];
    builder
        .add_native_modules(&defs)
        .add_native_modules(&ours)
        .add_frozen_modules(rustpython_pylib::FROZEN_STDLIB)
        // Before the bootstrap: a collection scheduled while importing would stop the world.
        .init_hook(|vm| vm.state.gc.disable())
        .build()
}

/// Where each of `_pp`'s classes and functions goes, as (module, [(name there, name in
/// `_pp`)]), in place of RustPython's: installed before `threading` is imported.
const INSTALL_BEFORE_THREADING: &[(&str, &[(&str, &str)])] = &[
    (
        "time",
        &[
            ("sleep", "sleep"),
            ("monotonic", "monotonic"),
            ("perf_counter", "monotonic"),
            ("monotonic_ns", "monotonic_ns"),
            ("perf_counter_ns", "monotonic_ns"),
            ("time_ns", "time_ns"),
        ],
    ),
    ("sys", &[("setswitchinterval", "setswitchinterval"), ("_is_gil_enabled", "is_gil_enabled")]),
    (
        "_thread",
        &[
            ("lock", "Lock"),
            ("allocate_lock", "Lock"),
            ("allocate", "Lock"),
            ("LockType", "Lock"),
            ("RLock", "RLock"),
            ("_ThreadHandle", "_ThreadHandle"),
            ("start_joinable_thread", "start_joinable_thread"),
            ("start_new_thread", "start_new_thread"),
            ("start_new", "start_new_thread"),
            ("_make_thread_handle", "make_thread_handle"),
            ("_shutdown", "shutdown"),
            ("set_name", "set_name"),
            ("get_native_id", "get_native_id"),
        ],
    ),
    (
        "_imp",
        &[
            ("acquire_lock", "acquire_import_lock"),
            ("release_lock", "release_import_lock"),
            ("lock_held", "import_lock_held"),
        ],
    ),
];

/// `threading`'s synchronization classes, once it is imported.
const THREADING: &[(&str, &str)] = &[
    ("Lock", "Lock"),
    ("RLock", "RLock"),
    ("Condition", "Condition"),
    ("Semaphore", "Semaphore"),
    ("Event", "Event"),
    ("Barrier", "Barrier"),
];

/// Puts `_pp`'s `names` into `module`.
fn install(
    vm: &VirtualMachine,
    pp: &PyObjectRef,
    module: &'static str,
    names: &[(&'static str, &'static str)],
) -> PyResult<()> {
    let module = vm.import(module, 0)?;
    for (to, from) in names {
        module.set_attr(*to, pp.get_attr(*from, vm)?, vm)?;
    }
    Ok(())
}

/// Puts the runtime under the interpreter (see the module's docs).
fn set_up(vm: &VirtualMachine) -> PyResult<()> {
    // First: importing `_pp` makes the static types of this crate's classes.
    let pp = vm.import("_pp", 0)?;
    vm.run_string(vm.new_scope_with_builtins(), crate::stdlib::FINDER, "<playground>")?;
    crate::stdio::install(vm)?;
    crate::gil::install();
    // Below `threading`: it binds these when it is imported.
    for (module, names) in INSTALL_BEFORE_THREADING {
        install(vm, &pp, module, names)?;
    }
    // `threading.py`, on our `_thread`; then its synchronization classes are ours.
    let threading = vm.import("threading", 0)?;
    install(vm, &pp, "threading", THREADING)?;
    run_in(
        vm,
        &threading,
        "class BoundedSemaphore(Semaphore):\n    \"\"\"A bounded semaphore: releasing it above its initial value is a ValueError.\"\"\"\n",
    )?;
    // `_thread._local` is keyed by `get_ident`, which a reused worker keeps from one Python
    // thread to the next; `_threading_local`'s is keyed by the thread object (its circular
    // import is no matter once `threading` is done).
    let local = vm.import("_threading_local", 0)?.get_attr("local", vm)?;
    threading.set_attr("local", local.clone(), vm)?;
    vm.import("_thread", 0)?.set_attr("_local", local, vm)?;

    // What `site` adds to the builtins (the interpreter runs no `site`): `help()` (the
    // tutorial calls it) and `exit()`/`quit()`.
    vm.run_string(
        vm.new_scope_with_builtins(),
        "import builtins, _sitebuiltins\n\
         builtins.help = _sitebuiltins._Helper()\n\
         builtins.exit = _sitebuiltins.Quitter('exit', 'Ctrl-D (i.e. EOF)')\n\
         builtins.quit = _sitebuiltins.Quitter('quit', 'Ctrl-D (i.e. EOF)')\n",
        "<playground>",
    )?;

    let queue = vm.import("queue", 0)?;
    run_in(
        vm,
        &queue,
        "class LifoQueue(Queue):\n    \"\"\"Variant of Queue that retrieves most recently added entries first.\"\"\"\n\n\
         class PriorityQueue(Queue):\n    \"\"\"Variant of Queue that retrieves open entries in priority order (lowest first).\"\"\"\n\n\
         class Full(Exception):\n    \"\"\"Exception raised by Queue.put(block=0)/put_nowait().\"\"\"\n",
    )?;
    Ok(())
}

/// Runs `code` in `module`'s namespace.
fn run_in(vm: &VirtualMachine, module: &PyObjectRef, code: &str) -> PyResult<()> {
    let dict = module.get_attr("__dict__", vm)?.downcast().map_err(|_| vm.new_type_error("a module's __dict__"))?;
    let scope = rustpython_vm::scope::Scope::with_builtins(None, dict, vm);
    vm.run_string(scope, code, "<playground>").map(drop)
}

/// Runs the program a run's first process was asked for (`pp:run`): its source as
/// `__main__`, with the run's options (the GIL as the page decided it); returns the exit code.
pub fn run_program(rt: &'static Runtime, request: &RunRequest) -> i32 {
    let exit = pp_program::run_main_on(rt, request.options, request.replay.clone(), || match &request.program {
        Program::Source(source) => run_in_this_process(source),
        Program::Registered { id, .. } => {
            Err(PyErr::value_error(format!("the Python module runs source text, not the program {id:?}")))
        }
    });
    exit.code
}

/// Runs `source` as `__main__` as the calling thread's program (its process's main thread:
/// a run's first process, or the native tests' harness), building the interpreter first if
/// this worker has none.
pub fn run_in_this_process(source: &str) -> Result<(), PyErr> {
    crate::names::set_source(source);
    take_booted().enter(|vm| run_main(vm, source))
}

/// What this module's child processes run (`pp_multiprocessing::register_targets`): a Python
/// process's child, [`run_child`].
pub fn targets() -> Vec<pp_multiprocessing::Target> {
    vec![pp_multiprocessing::Target::named(crate::mp::CHILD_TARGET, run_child)]
}

/// A child process's program (the module's `python-child` target, on the child's main
/// thread): its `multiprocessing` rebuilds the parent's `__main__` from `payload` and runs
/// the Process object (`multiprocessing.popen_fork._child_main`); its exit code ends it.
pub fn run_child(payload: &[u8]) -> Result<(), PyErr> {
    take_booted().enter(|vm| {
        crate::gil::register_this_thread();
        let run = || -> PyResult<i32> {
            let names = vm.ctx.new_tuple(vec![vm.ctx.new_str("_child_main").into()]);
            let popen = vm.import_from("multiprocessing.popen_fork", names, 0)?;
            let child_main = popen.get_attr("_child_main", vm)?;
            child_main.call((vm.ctx.new_bytes(payload.to_vec()),), vm)?.try_into_value::<i32>(vm)
        };
        let code = match run() {
            Ok(code) => code,
            Err(e) if e.fast_isinstance(vm.ctx.exceptions.system_exit) => vm.handle_exit_exception(e) as i32,
            Err(e) => {
                print_exception(vm, &e);
                1
            }
        };
        crate::stdio::flush_this_thread();
        if code == 0 {
            Ok(())
        } else {
            Err(PyErr::system_exit(code))
        }
    })
}

/// `__main__`: compiles and runs the source, then ends as CPython does (`threading`'s
/// shutdown, then `atexit`). An exception prints its traceback and ends the program with
/// code 1; `SystemExit` with its code.
fn run_main(vm: &VirtualMachine, source: &str) -> Result<(), PyErr> {
    crate::gil::register_this_thread();
    let shows_last = ends_in_expression(source);
    let mode = if shows_last { Mode::BlockExpr } else { Mode::Exec };
    let code = match vm.compile(source, mode, MAIN_FILE) {
        Ok(code) => code,
        Err(e) => {
            let exception = e.into_pyexception(vm, Some(source));
            mark_source_error(vm, &exception);
            print_exception(vm, &exception);
            return Err(PyErr::system_exit(1));
        }
    };
    remember_lines(vm, source);
    let scope = vm.new_scope_with_main().map_err(|e| fail(vm, &e))?;
    let outcome = vm.run_code_obj(code, scope).and_then(|value| if shows_last { display(vm, value) } else { Ok(()) });
    let code = match outcome {
        Ok(()) => 0,
        Err(e) if e.fast_isinstance(vm.ctx.exceptions.system_exit) => vm.handle_exit_exception(e) as i32,
        Err(e) => {
            print_exception(vm, &e);
            1
        }
    };
    finish(vm);
    crate::stdio::flush_this_thread();
    if code == 0 {
        Ok(())
    } else {
        // The traceback is out already: the program ends with the code, and nothing more.
        Err(PyErr::system_exit(code))
    }
}

/// Whether the program's last statement is an expression: a notebook shows that one's value
/// (`Out[N]`), and the tutorial's cells were written for one (`multiprocessing.cpu_count()`
/// alone in its cell, the count under it). A program that does not parse compiles in `Exec`
/// mode, which reports its error.
fn ends_in_expression(source: &str) -> bool {
    ruff_python_parser::parse_module(source)
        .is_ok_and(|parsed| matches!(parsed.syntax().body.last(), Some(ruff_python_ast::Stmt::Expr(_))))
}

/// The last expression's value as a notebook shows it: through `sys.displayhook` (its `repr`,
/// nothing for `None`).
fn display(vm: &VirtualMachine, value: PyObjectRef) -> PyResult<()> {
    let hook = vm.sys_module.get_attr("displayhook", vm)?;
    hook.call((value,), vm).map(drop)
}

/// CPython's end of a program: `threading._shutdown()` (joins the non-daemon threads), then
/// the `atexit` functions.
fn finish(vm: &VirtualMachine) {
    let imported = |name: &str| vm.sys_module.get_attr("modules", vm).ok().and_then(|m| m.get_item(name, vm).ok());
    if let Some(threading) = imported("threading") {
        if let Err(e) = vm.call_method(&threading, "_shutdown", ()) {
            print_exception(vm, &e);
        }
    }
    if let Some(atexit) = imported("atexit") {
        if let Err(e) = vm.call_method(&atexit, "_run_exitfuncs", ()) {
            print_exception(vm, &e);
        }
    }
}

fn fail(vm: &VirtualMachine, e: &PyBaseExceptionRef) -> PyErr {
    print_exception(vm, e);
    PyErr::system_exit(1)
}

/// Prints an exception as CPython does (`sys.excepthook`: the traceback, to `sys.stderr`).
fn print_exception(vm: &VirtualMachine, e: &PyBaseExceptionRef) {
    vm.print_exception(e);
}

/// Gives the learner's source to `linecache`, so that a traceback shows its lines.
fn remember_lines(vm: &VirtualMachine, source: &str) {
    let lines: Vec<PyObjectRef> = source
        .split_inclusive('\n')
        .map(|l| vm.ctx.new_str(if l.ends_with('\n') { l.to_owned() } else { format!("{l}\n") }).into())
        .collect();
    let entry = vm.ctx.new_tuple(vec![
        vm.ctx.new_int(source.len()).into(),
        vm.ctx.none(),
        vm.ctx.new_list(lines).into(),
        vm.ctx.new_str(MAIN_FILE).into(),
    ]);
    if let Ok(cache) = vm.import("linecache", 0).and_then(|l| l.get_attr("cache", vm)) {
        let _ = cache.set_item(MAIN_FILE, entry.into(), vm);
    }
}

/// Tells the page where a `SyntaxError` is (its editor marks the line).
fn mark_source_error(vm: &VirtualMachine, e: &PyBaseExceptionRef) {
    let attr = |name: &'static str| e.as_object().get_attr(name, vm).ok().filter(|v| !vm.is_none(v));
    let number = |name: &'static str| attr(name).and_then(|v| v.try_into_value::<u32>(vm).ok()).unwrap_or(0);
    let message = attr("msg").and_then(|m| m.str(vm).ok()).map(|m| m.to_string()).unwrap_or_default();
    pp_runtime::output::source_error(number("lineno"), number("offset"), &message);
}
