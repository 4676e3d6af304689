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
use rustpython_vm::{PyResult, VirtualMachine};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Installs the safepoint hook (once per process).
pub fn install() {
    let _ = rustpython_vm::vm::EVAL_HOOK.set(hand_over_if_asked);
}

fn hand_over_if_asked(vm: &VirtualMachine) -> PyResult<()> {
    vm.allow_threads(gil::checkpoint);
    Ok(())
}

/// Gives the calling Python thread a poke of its own, for the GIL to set and the vm's
/// safepoint to check. Kept for the life of the process: the GIL may poke a thread that has
/// just ended.
pub fn register_this_thread() {
    let poke: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(false)));
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
