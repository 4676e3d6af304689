//! The native test harness of the workspace (a dev-dependency of every crate's tests, never
//! part of a build of the playground): [`harness`] runs a program the way the browser host
//! does and reads every process's ring; [`cpython`] has the helpers of the suites ported from
//! CPython's `Lib/test/lock_tests.py` and `test_queue.py`; [`death`] proves that a failure
//! inside a thread ends its test; [`stress`] a stress program; [`step`] a scheduler for
//! stepped runs.

pub mod cpython;
pub mod death;
pub mod harness;
pub mod step;
pub mod stress;
