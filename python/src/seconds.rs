//! A number of seconds as Python's functions take it: an `int` or a `float` (or anything
//! with `__float__`), as `time.sleep(1)`, `Event.wait(5)` and `Queue.get(timeout=2)` do.

use rustpython_vm::function::ArgIntoFloat;
use rustpython_vm::{PyObjectRef, PyResult, TryFromObject, VirtualMachine};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Seconds(pub f64);

impl TryFromObject for Seconds {
    fn try_from_object(vm: &VirtualMachine, obj: PyObjectRef) -> PyResult<Self> {
        Ok(Seconds(ArgIntoFloat::try_from_object(vm, obj)?.into_float()))
    }
}

/// An optional timeout as the runtime takes it.
pub fn secs(timeout: Option<Seconds>) -> Option<f64> {
    timeout.map(|s| s.0)
}
