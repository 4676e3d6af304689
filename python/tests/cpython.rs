//! Ports of CPython's `Lib/test/lock_tests.py`, `Lib/test/test_queue.py`,
//! `Lib/test/_test_multiprocessing.py` and part of `Lib/test/test_long.py`, in Python (tests/cpython/), run by the Python tab's
//! interpreter on the runtime, GIL on and off. The browser suite runs the same files through
//! the page (tests/e2e/python.test.mjs).
#![cfg(not(target_arch = "wasm32"))]

use pp_testing::harness::capture_with;

fn run_suite(source: &str, gil: bool) {
    let c = capture_with(gil, || pp_python::interp::run_in_this_process(source));
    let texts = c.texts();
    assert_eq!(c.exit.code, 0, "gil={gil}:\n{}", texts.join("\n"));
    assert!(texts.last().is_some_and(|t| t.starts_with("OK: ")), "{texts:#?}");
}

#[test]
fn cpython_lock_tests() {
    for gil in [true, false] {
        run_suite(include_str!("cpython/lock_tests.py"), gil);
    }
}

/// Big integers: one run is enough (the cases start no thread).
#[test]
fn cpython_test_long() {
    run_suite(include_str!("cpython/test_long.py"), true);
}

#[test]
fn cpython_test_queue() {
    for gil in [true, false] {
        run_suite(include_str!("cpython/test_queue.py"), gil);
    }
}

// Each child process of the suite is a fresh interpreter; a case on and off the GIL each.
#[test]
fn cpython_test_multiprocessing_gil_on() {
    run_suite(include_str!("cpython/_test_multiprocessing.py"), true);
}

#[test]
fn cpython_test_multiprocessing_gil_off() {
    run_suite(include_str!("cpython/_test_multiprocessing.py"), false);
}

/// The suites can fail: a case that asserts something false fails the run.
#[test]
fn a_failing_case_fails_the_suite() {
    let broken = include_str!("cpython/test_queue.py")
        .replace("self.assertEqual(results, inputs)", "self.assertEqual(results, inputs[::-1])");
    let c = capture_with(true, || pp_python::interp::run_in_this_process(&broken));
    assert_eq!(c.exit.code, 1, "{:#?}", c.texts());
    assert!(c.texts().iter().any(|t| t.starts_with("FAILED (failures=1)")), "{:#?}", c.texts());
}

/// An assert that fails in a child process fails its case, and the suite: the child's exit
/// code is checked by the case (`self.assertEqual(p.exitcode, 0)`).
#[test]
fn a_failing_child_fails_the_multiprocessing_suite() {
    let source = include_str!("cpython/_test_multiprocessing.py");
    let broken = source.replacen("def _test_values(", "def _test_values_unused(", 1).replacen(
        "def _test_values_unused(",
        "def _test_values(*args):\n    assert False, 'a deliberate failure in a child'\n\n\ndef _test_values_unused(",
        1,
    );
    assert_ne!(broken, source);
    let c = capture_with(true, || pp_python::interp::run_in_this_process(&broken));
    assert_eq!(c.exit.code, 1, "{:#?}", c.texts());
    assert!(c.texts().iter().any(|t| t.contains("a deliberate failure in a child")), "{:#?}", c.texts());
}
