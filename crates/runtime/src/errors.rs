//! Every error of the runtime, in one place. Python's exceptions are values: each operation
//! has its own small error type that gives the value back where there is one
//! (`queue::Full(item)`), as crossbeam-channel's `err.rs` does; all of them are `Display +
//! Error` and convert into [`PyErr`], which the ports propagate with `?` and which prints the
//! way Python's traceback ends (`queue.Empty`, `ValueError: ...`). The modules that raise them
//! re-export them where Python names them (`queue::Empty`, `threading::BrokenBarrierError`).

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
    /// `SystemExit` (`sys.exit(code)`): ends the program, or a child process, with `code`.
    SystemExit(i32),
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
            SystemExit(_) => "SystemExit",
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

    /// `sys.exit(code)`: the program (or the child process) ends with `code`, and no
    /// traceback (CPython: `sys.exit(True)` is 1, `sys.exit(None)` 0).
    pub fn system_exit(code: i32) -> Self {
        Self::new(PyErrKind::SystemExit(code), "")
    }

    /// `sys.exit("message")`: prints the message to stderr and ends with code 1.
    pub fn system_exit_message(message: impl Into<String>) -> Self {
        Self::new(PyErrKind::SystemExit(1), message)
    }

    /// The exit code this exception gives its program if nothing catches it: `SystemExit`'s
    /// own, 1 for any other.
    pub fn exit_code(&self) -> i32 {
        match self.kind {
            PyErrKind::SystemExit(code) => code,
            _ => 1,
        }
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

// --- queue -------------------------------------------------------------------------------

/// `queue.Full`, with the item that did not fit.
#[derive(Clone, PartialEq, Eq)]
pub struct Full<T>(pub T);

/// `queue.Empty`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Empty;

/// Why a `put` with a timeout did not put.
#[derive(Clone, PartialEq, Eq)]
pub enum PutError<T> {
    Full(T),
    /// A negative timeout: `ValueError`.
    NegativeTimeout(T),
}

/// Why a `get` with a timeout did not get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GetError {
    Empty,
    NegativeTimeout,
}

const NEGATIVE: &str = "'timeout' must be a non-negative number";

impl<T> fmt::Debug for Full<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Full(..)")
    }
}
impl<T> fmt::Display for Full<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("queue.Full")
    }
}
impl<T> std::error::Error for Full<T> {}

impl fmt::Display for Empty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("queue.Empty")
    }
}
impl std::error::Error for Empty {}

impl<T> fmt::Debug for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutError::Full(_) => f.write_str("Full(..)"),
            PutError::NegativeTimeout(_) => f.write_str("NegativeTimeout(..)"),
        }
    }
}
impl<T> fmt::Display for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutError::Full(_) => f.write_str("queue.Full"),
            PutError::NegativeTimeout(_) => write!(f, "ValueError: {NEGATIVE}"),
        }
    }
}
impl<T> std::error::Error for PutError<T> {}

impl fmt::Display for GetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GetError::Empty => f.write_str("queue.Empty"),
            GetError::NegativeTimeout => write!(f, "ValueError: {NEGATIVE}"),
        }
    }
}
impl std::error::Error for GetError {}

impl<T> From<Full<T>> for PyErr {
    fn from(_: Full<T>) -> PyErr {
        PyErr::new(PyErrKind::Full, "")
    }
}
impl From<Empty> for PyErr {
    fn from(_: Empty) -> PyErr {
        PyErr::new(PyErrKind::Empty, "")
    }
}
impl<T> From<PutError<T>> for PyErr {
    fn from(e: PutError<T>) -> PyErr {
        match e {
            PutError::Full(_) => PyErr::new(PyErrKind::Full, ""),
            PutError::NegativeTimeout(_) => PyErr::value_error(NEGATIVE),
        }
    }
}
impl From<GetError> for PyErr {
    fn from(e: GetError) -> PyErr {
        match e {
            GetError::Empty => PyErr::new(PyErrKind::Empty, ""),
            GetError::NegativeTimeout => PyErr::value_error(NEGATIVE),
        }
    }
}

// --- threading -----------------------------------------------------------------------------

/// `threading.BrokenBarrierError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BrokenBarrierError;

impl fmt::Display for BrokenBarrierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("threading.BrokenBarrierError")
    }
}
impl std::error::Error for BrokenBarrierError {}

impl From<BrokenBarrierError> for PyErr {
    fn from(_: BrokenBarrierError) -> PyErr {
        PyErr::new(PyErrKind::BrokenBarrier, "")
    }
}

/// Why a barrier's `wait` did not pass: the barrier broke, or the action raised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BarrierError {
    Broken,
    /// The action raised this (the barrier is broken too).
    Action(PyErr),
}

impl fmt::Display for BarrierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BarrierError::Broken => BrokenBarrierError.fmt(f),
            BarrierError::Action(e) => e.fmt(f),
        }
    }
}
impl std::error::Error for BarrierError {}

impl From<BarrierError> for PyErr {
    fn from(e: BarrierError) -> PyErr {
        match e {
            BarrierError::Broken => BrokenBarrierError.into(),
            BarrierError::Action(e) => e,
        }
    }
}

// --- the runtime's own -----------------------------------------------------------------------

/// An unlock of a lock nobody held (each lock's API raises the error its Python names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotLocked;

impl fmt::Display for NotLocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("release unlocked lock")
    }
}
impl std::error::Error for NotLocked {}

pub use pp_platform::segment::SegmentFull;

impl From<SegmentFull> for PyErr {
    fn from(e: SegmentFull) -> PyErr {
        PyErr::new(PyErrKind::OsError, e.to_string())
    }
}

/// Why a message ring of the segment (a queue's, a pipe's) did not send.
#[derive(Clone, PartialEq, Eq)]
pub enum SendError {
    /// No room before the deadline (or at once, when not blocking): the message back.
    Full(Vec<u8>),
    /// The receiving end was closed: the message back.
    Closed(Vec<u8>),
    /// The segment had no room for the sending thread's bookkeeping.
    Segment(SegmentFull),
}

impl fmt::Debug for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Full(m) => write!(f, "Full({} bytes)", m.len()),
            SendError::Closed(m) => write!(f, "Closed({} bytes)", m.len()),
            SendError::Segment(e) => write!(f, "Segment({e})"),
        }
    }
}
impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Full(_) => f.write_str("no room in the ring"),
            SendError::Closed(_) => f.write_str("the receiving end is closed"),
            SendError::Segment(e) => e.fmt(f),
        }
    }
}
impl std::error::Error for SendError {}

/// Why a message ring of the segment did not receive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecvError {
    Empty,
    /// Nothing left, and the sending end was closed: end of file.
    Closed,
    /// The segment had no room for the receiving thread's bookkeeping.
    Segment(SegmentFull),
}

impl fmt::Display for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecvError::Empty => f.write_str("nothing to receive"),
            RecvError::Closed => f.write_str("the sending end is closed"),
            RecvError::Segment(e) => e.fmt(f),
        }
    }
}
impl std::error::Error for RecvError {}

/// The text of a panic's payload (`panic!` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}
