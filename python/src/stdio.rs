//! `sys.stdout` and `sys.stderr`: what a Python thread writes goes to the process's console,
//! a line at a time, tagged with the thread that wrote it (the runtime's `print`).
//!
//! One `print(a, b)` is several writes (`a`, the separator, `b`, the end), so each thread
//! keeps its own unfinished line until its newline: two threads printing at once give two
//! whole lines, never one line of both (CPython may interleave them; the console would then
//! show a line no thread printed). A thread's last unfinished line goes out when it ends.

use pp_runtime::output::print_line;
use rustpython_vm::builtins::PyStrRef;
use rustpython_vm::{pyclass, Py, PyObjectRef, PyPayload, PyResult, VirtualMachine};
use std::cell::RefCell;

thread_local! {
    /// This thread's unfinished line on stdout and on stderr.
    static PENDING: RefCell<[String; 2]> = const { RefCell::new([String::new(), String::new()]) };
}

/// A text stream whose writes are printed by the runtime (`stream` 1 stdout, 2 stderr).
#[pyclass(module = "_pp", name = "ConsoleWriter")]
#[derive(Debug, PyPayload)]
pub struct ConsoleWriter {
    stream: u32,
}

#[pyclass]
impl ConsoleWriter {
    #[pymethod]
    fn write(zelf: &Py<Self>, text: PyStrRef, vm: &VirtualMachine) -> usize {
        let text = text.to_string();
        let text = text.as_str();
        let mut lines = Vec::new();
        PENDING.with(|p| {
            let pending = &mut p.borrow_mut()[zelf.index()];
            pending.push_str(text);
            while let Some(at) = pending.find('\n') {
                lines.push(pending[..at].to_string());
                pending.drain(..=at);
            }
        });
        // Printing may wait (the page a ring behind, the GIL handed over): detached.
        vm.allow_threads(|| lines.iter().for_each(|line| print_line(zelf.stream, format_args!("{line}"))));
        text.chars().count()
    }

    #[pymethod]
    fn flush(_zelf: &Py<Self>) {}

    #[pymethod]
    fn isatty(_zelf: &Py<Self>) -> bool {
        false
    }

    #[pymethod]
    fn writable(_zelf: &Py<Self>) -> bool {
        true
    }

    #[pygetset]
    fn encoding(_zelf: &Py<Self>) -> &'static str {
        "utf-8"
    }

    #[pygetset]
    fn errors(_zelf: &Py<Self>) -> &'static str {
        "strict"
    }

    #[pygetset]
    fn closed(_zelf: &Py<Self>) -> bool {
        false
    }
}

impl ConsoleWriter {
    fn index(&self) -> usize {
        if self.stream == 2 {
            1
        } else {
            0
        }
    }
}

/// Makes `sys.stdout` and `sys.stderr` (and their `__stdout__`, `__stderr__`) write to the
/// console.
pub fn install(vm: &VirtualMachine) -> PyResult<()> {
    for (name, dunder, stream) in [("stdout", "__stdout__", 1), ("stderr", "__stderr__", 2)] {
        let writer: PyObjectRef = ConsoleWriter { stream }.into_ref(&vm.ctx).into();
        vm.sys_module.set_attr(name, writer.clone(), vm)?;
        vm.sys_module.set_attr(dunder, writer, vm)?;
    }
    // A program has no keyboard: no stdin, as CPython without one (`input()` raises
    // RuntimeError: lost sys.stdin; a child process's `multiprocessing` closes none).
    vm.sys_module.set_attr("stdin", vm.ctx.none(), vm)?;
    vm.sys_module.set_attr("__stdin__", vm.ctx.none(), vm)?;
    Ok(())
}

/// Prints the calling thread's unfinished lines (its end, or the program's).
pub fn flush_this_thread() {
    let pending = PENDING.with(|p| p.borrow_mut().each_mut().map(std::mem::take));
    for (stream, text) in [(1, &pending[0]), (2, &pending[1])] {
        if !text.is_empty() {
            print_line(stream, format_args!("{text}"));
        }
    }
}
