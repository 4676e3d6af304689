//! Ports of CPython's `Lib/test/lock_tests.py` and `Lib/test/test_queue.py`, in Python
//! (tests/cpython/), run by the Python tab's interpreter on the runtime, GIL on and off. The
//! browser suite runs the same files through the page (tests/e2e/python.test.mjs).
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

#[test]
fn cpython_test_queue() {
    for gil in [true, false] {
        run_suite(include_str!("cpython/test_queue.py"), gil);
    }
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
