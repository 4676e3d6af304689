//! What crosses between processes, serialized as Python pickles (serde + postcard): a child's
//! arguments, a pool's tasks and results, a queue's items. A value that cannot be serialized
//! is a `TypeError` where it is sent, as a pickling error is.

use pp_runtime::errors::{PyErr, PyErrKind, PyResult};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub fn encode<T: Serialize>(value: &T) -> PyResult<Vec<u8>> {
    postcard::to_stdvec(value).map_err(|e| PyErr::new(PyErrKind::TypeError, format!("cannot pickle the value: {e}")))
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> PyResult<T> {
    postcard::from_bytes(bytes).map_err(|e| PyErr::new(PyErrKind::TypeError, format!("cannot unpickle the value: {e}")))
}
