//! Python's `timeout` arguments, turned into deadlines by CPython's rules, in one place.
//!
//! A deadline is `Option<Instant>`: `None` waits as long as it takes. A timeout too large to
//! add to the clock is as good as none (CPython caps it at `threading.TIMEOUT_MAX`). CPython
//! has three rules, and each API keeps the one CPython gives it:
//!
//! | rule | APIs | negative | NaN |
//! |---|---|---|---|
//! | [`lock`] | `threading`'s `Lock/RLock/Condition.acquire` | `-1` forever, other `ValueError` | `ValueError` |
//! | [`non_negative`] | `queue.Queue.put/get` | `ValueError` | `ValueError` |
//! | [`at_most`] | `join`, `wait`, `Event.wait`, `get(timeout)` of results, `poll`, `threading.Semaphore.acquire`, `multiprocessing`'s lock and semaphore `acquire` ([`at_most_if`]: not blocking, the timeout ignored) | no wait | no wait |
//!
//! (`threading.Semaphore.acquire(blocking=False, timeout=...)` is a `ValueError`, as CPython's.)

use crate::errors::{PyErr, PyErrKind, PyResult};
use pp_platform::clock::{self, Instant};
use std::time::Duration;

/// When a wait gives up: `None` never.
pub type Deadline = Option<Instant>;

/// `seconds` from now; `None` (never) if that is beyond the clock.
pub fn after(seconds: f64) -> Deadline {
    Duration::try_from_secs_f64(seconds).ok().and_then(clock::deadline_after)
}

/// Time left until `deadline`; `None` without one, zero once it has passed.
pub fn remaining(deadline: Deadline) -> Option<Duration> {
    clock::remaining(deadline)
}

pub fn expired(deadline: Deadline) -> bool {
    remaining(deadline) == Some(Duration::ZERO)
}

/// `Lock.acquire(blocking=True, timeout=-1)` (CPython's `lock_acquire_parse_args`): `None`
/// or `-1` waits forever; a timeout with `blocking=False` or a negative one is a `ValueError`;
/// one beyond `TIMEOUT_MAX` an `OverflowError`.
pub fn lock(blocking: bool, timeout: Option<f64>) -> PyResult<Deadline> {
    match timeout {
        None => Ok(None),
        Some(-1.0) => Ok(None),
        Some(_) if !blocking => Err(PyErr::value_error("can't specify a timeout for a non-blocking call")),
        Some(t) if t.is_nan() => Err(PyErr::value_error("Invalid value NaN (not a number)")),
        Some(t) if t < 0.0 => Err(PyErr::value_error("timeout value must be a non-negative number")),
        Some(t) => match Duration::try_from_secs_f64(t).ok().and_then(clock::deadline_after) {
            Some(deadline) => Ok(Some(deadline)),
            None => Err(PyErr::new(PyErrKind::OverflowError, "timeout value is too large")),
        },
    }
}

/// `queue.Queue.put/get(block, timeout)`: `None` forever; negative is a `ValueError`.
pub fn non_negative(timeout: Option<f64>) -> PyResult<Deadline> {
    match timeout {
        None => Ok(None),
        Some(t) if t.is_nan() => Err(PyErr::value_error("Invalid value NaN (not a number)")),
        Some(t) if t < 0.0 => Err(PyErr::value_error("'timeout' must be a non-negative number")),
        Some(t) => Ok(after(t)),
    }
}

/// `join(timeout)`, `Condition.wait(timeout)`, `Event.wait(timeout)`: `None` forever; zero,
/// negative or NaN does not wait.
pub fn at_most(timeout: Option<f64>) -> Deadline {
    match timeout {
        None => None,
        Some(t) if t.is_nan() || t <= 0.0 => Some(Instant::now()),
        Some(t) => after(t),
    }
}

/// `multiprocessing`'s `Lock/RLock/Semaphore.acquire(block, timeout)`: [`at_most`] when it
/// may block; when it may not, the timeout is ignored (CPython's `SemLock.acquire`), and the
/// callers try once without a deadline.
pub fn at_most_if(block: bool, timeout: Option<f64>) -> Deadline {
    if block {
        at_most(timeout)
    } else {
        None
    }
}
