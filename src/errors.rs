//! Python's exceptions, as values. Each operation has its own small error type that gives
//! the value back where there is one (`queue::Full(item)`), as crossbeam-channel does; all
//! of them convert into [`PyErr`], which the ports propagate with `?` and which prints the
//! way Python's traceback ends (`queue.Empty`, `ValueError: timeout value must be positive`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The Python exception classes the ports raise, by their qualified names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PyErrKind {
    ValueError,
    RuntimeError,
    TypeError,
    TimeoutError,
    AssertionError,
    ZeroDivisionError,
    EofError,
    OverflowError,
    OsError,
    BrokenPipeError,
    IndexError,
    KeyError,
    AttributeError,
    /// `queue.Empty`
    Empty,
    /// `queue.Full`
    Full,
    /// `threading.BrokenBarrierError`
    BrokenBarrier,
    /// `multiprocessing.context.TimeoutError`
    MpTimeout,
    /// Any other exception a port raises on purpose (`Exception: ...`).
    Exception,
}

impl PyErrKind {
    /// The name Python prints on the traceback's last line.
    pub fn python_name(self) -> &'static str {
        use PyErrKind::*;
        match self {
            ValueError => "ValueError",
            RuntimeError => "RuntimeError",
            TypeError => "TypeError",
            TimeoutError => "TimeoutError",
            AssertionError => "AssertionError",
            ZeroDivisionError => "ZeroDivisionError",
            EofError => "EOFError",
            OverflowError => "OverflowError",
            OsError => "OSError",
            BrokenPipeError => "BrokenPipeError",
            IndexError => "IndexError",
            KeyError => "KeyError",
            AttributeError => "AttributeError",
            Empty => "queue.Empty",
            Full => "queue.Full",
            BrokenBarrier => "threading.BrokenBarrierError",
            MpTimeout => "multiprocessing.context.TimeoutError",
            Exception => "Exception",
        }
    }
}

/// A raised Python exception: its class and message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PyErr {
    pub kind: PyErrKind,
    pub message: String,
}

pub type PyResult<T> = Result<T, PyErr>;

impl PyErr {
    pub fn new(kind: PyErrKind, message: impl Into<String>) -> Self {
        PyErr { kind, message: message.into() }
    }
    pub fn value_error(message: impl Into<String>) -> Self {
        Self::new(PyErrKind::ValueError, message)
    }
    pub fn runtime_error(message: impl Into<String>) -> Self {
        Self::new(PyErrKind::RuntimeError, message)
    }
}

impl fmt::Display for PyErr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            f.write_str(self.kind.python_name())
        } else {
            write!(f, "{}: {}", self.kind.python_name(), self.message)
        }
    }
}

impl std::error::Error for PyErr {}

/// What a thread's target returns: nothing, or a result whose error is printed the way
/// Python's `threading.excepthook` prints an uncaught exception.
pub trait TargetResult {
    fn into_result(self) -> PyResult<()>;
}

impl TargetResult for () {
    fn into_result(self) -> PyResult<()> {
        Ok(())
    }
}

impl TargetResult for PyResult<()> {
    fn into_result(self) -> PyResult<()> {
        self
    }
}

/// The text of a panic's payload (`panic!` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}
