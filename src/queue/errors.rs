//! One error per operation, giving the item back where there is one.

use crate::errors::{PyErr, PyErrKind};
use std::fmt;

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
impl fmt::Display for Empty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("queue.Empty")
    }
}
impl<T> fmt::Debug for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutError::Full(_) => f.write_str("Full(..)"),
            PutError::NegativeTimeout(_) => f.write_str("NegativeTimeout(..)"),
        }
    }
}

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
