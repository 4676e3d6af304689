//! The Rust pickling of what `multiprocessing` sends (`_pp_pickle`, src/pickle.rs) against
//! `pickle.py`, in Python (tests/pickle/test_fast_pickle.py), run by the Python tab's
//! interpreter.
#![cfg(not(target_arch = "wasm32"))]

use pp_testing::harness::capture_with;

fn run(source: &str) -> (i32, Vec<String>) {
    let c = capture_with(true, || pp_python::interp::run_in_this_process(source));
    (c.exit.code, c.texts())
}

#[test]
fn the_rust_pickler_agrees_with_pickle_py() {
    let (code, texts) = run(include_str!("pickle/test_fast_pickle.py"));
    assert_eq!(code, 0, "{}", texts.join("\n"));
    assert!(texts.last().is_some_and(|t| t.starts_with("OK: ")), "{texts:#?}");
}

/// The suite can fail: a pickler that wrote another value would be caught.
#[test]
fn a_wrong_round_trip_fails_the_suite() {
    let broken = include_str!("pickle/test_fast_pickle.py")
        .replace("by_rust = _pp_pickle.loads(data, refuse)", "by_rust = _pp_pickle.loads(self.fast([obj]), refuse)");
    let (code, texts) = run(&broken);
    assert_eq!(code, 1, "{texts:#?}");
}
