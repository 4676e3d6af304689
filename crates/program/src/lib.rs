//! How a program runs and ends, on top of everything: `main` as the main thread, then
//! CPython's shutdown in CPython's order:
//!
//! 1. `threading._shutdown()`: join every non-daemon thread, again until none is left;
//! 2. the `atexit` functions, last registered first (`multiprocessing` registers its
//!    `_exit_function` there when a process starts a child: terminate the daemonic children,
//!    join the others);
//! 3. the daemon threads still running are stopped (their next blocking point or print ends
//!    them; in the browser the host terminates the process's workers) and the console says so.

use pp_multiprocessing::ChildRequest;
use pp_platform::request::{Replay, RunOptions};
use pp_runtime::gil::{self, Gil};
use pp_runtime::runtime::{ProcessConfig, Runtime};
use pp_runtime::watch::record::RuntimeNote;
use pp_runtime::watch::RecordKind;
use pp_runtime::PyResult;

/// How a program ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exit {
    /// 0, 1 after an uncaught exception in the main thread or a crash, or what `sys.exit`
    /// asked for.
    pub code: i32,
    /// Daemon threads still running when the program ended, by name: Python stops them.
    pub daemons_stopped: Vec<String>,
}

/// Runs a program in a fresh process state: `main` as its main thread on the calling thread
/// (a web worker of its own in the browser), then the shutdown above.
pub fn run_main(config: &ProcessConfig, gil: bool, main: impl FnOnce() -> PyResult<()>) -> (Exit, &'static Runtime) {
    let rt = Runtime::boot(config);
    (run_main_on(rt, RunOptions { gil, shake: None, step: false }, None, main), rt)
}

/// [`run_main`] on a process booted ahead of its program (the browser's warm spare
/// processes), as a run's first process, with the run's options (the GIL on or off, shaken
/// or not) and an order to replay, if any. A shaken run records its order
/// (`pp_runtime::watch::order`). Call once per process.
pub fn run_main_on(
    rt: &'static Runtime,
    options: RunOptions,
    replay: Option<Replay>,
    main: impl FnOnce() -> PyResult<()>,
) -> Exit {
    rt.table.set_order(options.shake.is_some(), replay);
    run_process(rt, options, main)
}

fn run_process(rt: &'static Runtime, options: RunOptions, main: impl FnOnce() -> PyResult<()>) -> Exit {
    // Before the program can start a child (natively a thread this layer's child main runs).
    pp_multiprocessing::set_child_main(run_child);
    rt.table.set_shake(options.shake);
    rt.table.set_stepping(options.step);
    if options.gil {
        Gil::of(rt).enable(rt.table);
    }
    let _entered = Runtime::enter(rt);
    let main_thread = pp_runtime::threading::enter_main_thread(rt);
    Gil::of(rt).take();
    // The run's time starts here, not when the process booted (see `RecordKind::RunStart`).
    rt.table.ring.push(RecordKind::RunStart, pp_runtime::watch::my_id(), 0, &[]);

    let mut code = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(main)) {
        Ok(Ok(())) => 0,
        // `sys.exit(...)`: no traceback; a message goes to stderr (CPython's handling).
        Ok(Err(e)) if matches!(e.kind, pp_runtime::PyErrKind::SystemExit(_)) => {
            if !e.message.is_empty() {
                pp_runtime::output::print_line(2, format_args!("{}", e.message));
            }
            e.exit_code()
        }
        Ok(Err(e)) => {
            pp_runtime::output::print_line(
                2,
                format_args!("Traceback (most recent call last):\n  (raised by the Rust port)\n{e}"),
            );
            1
        }
        // A native stop (a terminated child process) unwinds on to whoever started it.
        Err(payload) if payload.is::<pp_platform::stop::Stopped>() => std::panic::resume_unwind(payload),
        // The main thread's panic is caught like any thread's (natively; in the browser it
        // traps), so that the program still ends in order and a harness sees it in the ring.
        Err(payload) => {
            let message = format!("MainThread panicked: {}", pp_runtime::errors::panic_message(&*payload));
            pp_runtime::output::print_line(2, format_args!("thread {message}"));
            rt.table.ring.push(RecordKind::Panic, pp_runtime::watch::my_id(), 0, message.as_bytes());
            rt.report_crash(format!("thread {message}"));
            1
        }
    };
    gil::release_for_good();
    main_thread.finish();
    pp_runtime::threading::join_non_daemon_threads(rt);
    rt.run_at_exit();

    let daemons_stopped = pp_runtime::threading::running_daemon_names(rt);
    rt.stop.set_finalizing();
    if !daemons_stopped.is_empty() {
        rt.note(&RuntimeNote::DaemonsStopped { names: daemons_stopped.clone() });
    }
    if let Some(crash) = rt.take_crash() {
        code = code.max(1);
        rt.note(&RuntimeNote::RunFailed { reason: crash });
    }
    rt.table.ring.push(RecordKind::Exit, 0, code as u32, &[]);
    Exit { code, daemons_stopped }
}

/// Runs a child process's program (in the child) and writes its exit code to its record.
pub fn run_child(rt: &'static Runtime, request: &ChildRequest) -> i32 {
    // The parent's seed with the child's pid mixed in: siblings pause differently.
    let shake = request.shake.map(|seed| seed ^ rt.process.pid.wrapping_mul(0x9E37_79B9)).filter(|&s| s != 0);
    // A child's order is neither recorded nor replayed: only the first process is stepped.
    let exit = run_process(rt, RunOptions { gil: request.gil, shake, step: false }, || request.call());
    pp_multiprocessing::finish_record(&rt.segment(), request.record, exit.code);
    exit.code
}
