//! The runtime's errors as Python exceptions: one mapping, every [`PyErrKind`] named (a new
//! kind is a compile error here, never a `RuntimeError` by default).

use pp_runtime::errors::{PyErr, PyErrKind};
use rustpython_vm::builtins::{PyBaseExceptionRef, PyType, PyTypeRef};
use rustpython_vm::VirtualMachine;

/// A runtime error as the Python exception it names.
pub fn raise(vm: &VirtualMachine, e: PyErr) -> PyBaseExceptionRef {
    let exceptions = &vm.ctx.exceptions;
    let builtin =
        |class: &'static rustpython_vm::Py<PyType>| vm.new_exception_msg(class.to_owned(), e.message.clone().into());
    match e.kind {
        PyErrKind::ValueError => builtin(exceptions.value_error),
        PyErrKind::RuntimeError => builtin(exceptions.runtime_error),
        PyErrKind::TypeError => builtin(exceptions.type_error),
        PyErrKind::TimeoutError => builtin(exceptions.timeout_error),
        PyErrKind::AssertionError => builtin(exceptions.assertion_error),
        PyErrKind::ZeroDivisionError => builtin(exceptions.zero_division_error),
        PyErrKind::EofError => builtin(exceptions.eof_error),
        PyErrKind::OverflowError => builtin(exceptions.overflow_error),
        PyErrKind::OsError => builtin(exceptions.os_error),
        PyErrKind::BrokenPipeError => builtin(exceptions.broken_pipe_error),
        PyErrKind::IndexError => builtin(exceptions.index_error),
        // A KeyError's argument is the key; the runtime's message is the key's repr.
        PyErrKind::KeyError => builtin(exceptions.key_error),
        PyErrKind::AttributeError => builtin(exceptions.attribute_error),
        PyErrKind::Exception => builtin(exceptions.exception_type),
        PyErrKind::SystemExit(code) => {
            vm.new_exception(exceptions.system_exit.to_owned(), vec![vm.ctx.new_int(code).into()])
        }
        PyErrKind::Empty => empty_error(vm),
        PyErrKind::Full => defined_or(vm, "queue", "Full", exceptions.exception_type, &e.message),
        PyErrKind::BrokenBarrier => {
            defined_or(vm, "threading", "BrokenBarrierError", exceptions.runtime_error, &e.message)
        }
        PyErrKind::MpTimeout => defined_or(vm, "multiprocessing", "TimeoutError", exceptions.timeout_error, &e.message),
    }
}

/// `queue.Empty` (`_queue.Empty`, which `queue` re-exports).
pub fn empty_error(vm: &VirtualMachine) -> PyBaseExceptionRef {
    vm.new_exception_empty(vm.class("_queue", "Empty"))
}

/// An exception class a module of the standard library defines (`threading.BrokenBarrierError`),
/// or, if that module was never imported, `fallback` with the class's name in the message.
fn defined_or(
    vm: &VirtualMachine,
    module: &'static str,
    name: &'static str,
    fallback: &'static rustpython_vm::Py<PyType>,
    message: &str,
) -> PyBaseExceptionRef {
    match module_class(vm, module, name) {
        Some(class) if message.is_empty() => vm.new_exception_empty(class),
        Some(class) => vm.new_exception_msg(class, message.to_owned().into()),
        None => vm.new_exception_msg(fallback.to_owned(), format!("{module}.{name}: {message}").into()),
    }
}

/// A class the interpreter's set-up made in a module (`threading.BoundedSemaphore`): looked
/// up, not kept, because each interpreter has its own (natively, tests run several).
pub fn module_class(vm: &VirtualMachine, module: &'static str, name: &'static str) -> Option<PyTypeRef> {
    let modules = vm.sys_module.get_attr("modules", vm).ok()?;
    let module = modules.get_item(module, vm).ok()?;
    module.get_attr(name, vm).ok()?.downcast::<PyType>().ok()
}
