//! The simulated GIL for Python threads: the runtime's `gil::Gil`, with CPython's switch
//! interval, handed over at RustPython's bytecode safepoint.
//!
//! RustPython has no GIL of its own (it is free-threaded), and on wasm32 nothing runs code of
//! ours every few instructions. So the vm is patched with one hook, `EVAL_HOOK`, which a thread
//! runs at its next instruction once its *poke* is set: a flag of ours per thread, which the
//! patched safepoint checks beside RustPython's own (python/patches/; RustPython's
//! `stop_requested` is its stop-the-world's, which clears it, and a poke there could be lost).
//! Each Python thread gives its poke to the runtime's GIL ([`register_this_thread`]); a thread
//! that has waited a switch interval for the GIL sets the holder's poke, and the holder's hook
//! hands the GIL over ([`gil::checkpoint`]), with its thread state detached so that it may
//! wait. With the GIL off the hook never runs.

use pp_runtime::gil::{self, Gil};
use pp_runtime::runtime::Runtime;
use pp_runtime::watch::order;
use pp_runtime::watch::step::{self, Point};
use rustpython_vm::{PyResult, VirtualMachine};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::time::Duration;

/// Installs the safepoint hook (once per process).
pub fn install() {
    let _ = rustpython_vm::vm::EVAL_HOOK.set(hand_over_if_asked);
}

fn hand_over_if_asked(vm: &VirtualMachine) -> PyResult<()> {
    if step::run_stepped() {
        if let Here::Point(point, line) = point_here() {
            vm.allow_threads(|| gil::step_point(point, line));
        }
        poke_again();
    } else if order::run_ordered() {
        poke_again();
        // A run that records its order hands the GIL over only at the learner's points (and
        // in the standard library's code, which has none): between two points a thread runs
        // alone, as it does in a stepped run, so a replay that gives each thread its recorded
        // steps repeats the run, its plain variables included (`watch::order`).
        match point_here() {
            Here::Point(point, line) => {
                vm.allow_threads(|| {
                    gil::point_checkpoint();
                    gil::order_point(point, line);
                });
                return Ok(());
            }
            Here::Between => return Ok(()),
            Here::Library => {}
        }
    }
    vm.allow_threads(gil::checkpoint);
    Ok(())
}

/// Trips the hook again at the next instruction: a stepped or ordered run looks at every one.
fn poke_again() {
    POKE.with(|p| p.get().map(|p| p.store(true, Relaxed)));
}

thread_local! {
    /// The calling thread's poke (see [`register_this_thread`]).
    static POKE: Cell<Option<&'static AtomicBool>> = const { Cell::new(None) };
    /// Where the thread last was in a stepped run: (frame, line, instruction).
    static LAST_STEP: Cell<(usize, u32, usize)> = const { Cell::new((0, 0, 0)) };
}

/// The points of a stepped (or ordered) run in the learner's program: a new line, and a write of a shared name
/// (a global, an attribute, an item, a closure's variable), so that `counter += 1` is two
/// steps, its read and its write, and a learner can lose an update by hand. The standard
/// library's code has none, and the runtime's points count only in the learner's code (an
/// import's locks are not the learner's).
fn point_here() -> Here {
    // The running frame itself, not `vm.current_frame()`: a frame object made from it holds
    // a copy of its position, which does not move on.
    let running = rustpython_vm::vm::thread::get_current_frame();
    let Some(code) = rustpython_vm::frame::current_code().filter(|_| !running.is_null()) else {
        return Here::Library;
    };
    let mine = code.source_path().as_str() == crate::names::MAIN_FILE;
    step::set_in_program(mine);
    if !mine {
        return Here::Library;
    }
    // SAFETY: `running` is the calling thread's current frame, which stays alive while this
    // hook runs (the eval loop that called it is the frame's, or native code the frame
    // called). Only its `lasti` is read, an atomic the eval loop itself stores through a
    // shared reference: no reference to the rest of the frame is made here.
    let lasti = unsafe { (*std::ptr::addr_of!((*running).lasti)).load(Relaxed) };
    // `lasti` is one past the instruction about to run.
    let Some(at) = (lasti as usize).checked_sub(1) else { return Here::Between };
    let line = code.code.locations.get(at).map_or(0, |(start, _)| start.line.get() as u32);
    use rustpython_vm::bytecode::Instruction as I;
    let op = code.code.instructions.get(at).map(|unit| unit.op.deoptimize());
    // A function's first instruction stands on its `def` line: the step is its first line.
    if matches!(op, Some(I::Resume { .. })) {
        return Here::Between;
    }
    let store = matches!(
        op,
        Some(I::StoreGlobal { .. } | I::StoreName { .. } | I::StoreAttr { .. } | I::StoreDeref { .. } | I::StoreSubscr)
    );
    // A new line is a step, and so is the same line again after a jump back (a one-line loop,
    // `while not ready: pass`, or a call of a one-line function in a frame at the same address).
    let (frame, last_line, last_at) = LAST_STEP.with(|l| l.replace((running as usize, line, at)));
    if (frame, last_line) != (running as usize, line) || at < last_at {
        Here::Point(Point::Line, line)
    } else if store {
        Here::Point(Point::Store, line)
    } else {
        Here::Between
    }
}

/// Where the instruction about to run stands.
enum Here {
    /// At a point of the learner's program, on this line.
    Point(Point, u32),
    /// In the learner's program, between two points.
    Between,
    /// In the standard library's code (or no frame at all).
    Library,
}

/// Runs `f` (a release, a notify, a set: calls that never wait, and so are made with the
/// thread attached to the interpreter) detached when the run is stepped: its scheduling point
/// may park the thread, and a parked thread must not hold up the interpreter's stop-the-world
/// (a collection waits for every attached thread).
pub fn detached_if_stepped<R>(vm: &VirtualMachine, f: impl FnOnce() -> R) -> R {
    if step::run_stepped() || order::replaying() {
        vm.allow_threads(f)
    } else {
        f()
    }
}

/// Gives the calling Python thread a poke of its own, for the GIL to set and the vm's
/// safepoint to check. Kept for the life of the process: the GIL may poke a thread that has
/// just ended.
pub fn register_this_thread() {
    // A stepped run's thread trips at its first instruction (see `hand_over_if_asked`).
    let looked_at = step::run_stepped() || order::run_ordered();
    let poke: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(looked_at)));
    POKE.with(|p| p.set(Some(poke)));
    if looked_at {
        step::set_in_program(false);
    }
    rustpython_vm::vm::set_embedder_poke(Some(poke));
    gil::set_thread_poke(Some(poke));
}

/// `sys.setswitchinterval(interval)`: RustPython keeps the value (for `getswitchinterval`),
/// the runtime's GIL uses it.
pub fn set_switch_interval(interval: f64, vm: &VirtualMachine) -> PyResult<()> {
    if interval.is_nan() || interval <= 0.0 {
        return Err(vm.new_value_error("switch interval must be strictly positive"));
    }
    vm.state.switch_interval.store(interval);
    if let Ok(d) = Duration::try_from_secs_f64(interval) {
        Gil::of(Runtime::current()).set_switch_interval(d);
    }
    Ok(())
}
