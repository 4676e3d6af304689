//! The catalogue's examples, run natively through the same ring the browser host reads:
//! deterministic outputs of the tutorial must come out of running the code.
#![cfg(not(target_arch = "wasm32"))]

use parallel_playground::examples::{self, params};
use parallel_playground::harness::{capture, Captured};

fn run(id: &str, raw: &[(&str, &str)]) -> Captured {
    let ex = examples::find(id).unwrap_or_else(|| panic!("no example {id}"));
    let raw: Vec<(String, String)> = raw
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let p = params::parse(ex.params, &raw).expect("valid parameters");
    capture(|| (ex.main)(&p))
}

#[test]
fn thread_start_prints_from_the_worker_thread() {
    let c = run("thread-start", &[]);
    assert_eq!(c.exit.code, 0);
    assert_eq!(
        c.lines(),
        vec![
            ("worker".to_string(), "i am working".to_string()),
            ("worker".to_string(), "finished".to_string())
        ]
    );
}

#[test]
fn lock_counter_gives_10001() {
    let c = run("lock-counter", &[]);
    assert_eq!(c.texts(), vec!["10001"]);
    assert_eq!(c.lines()[0].0, "MainThread");
}

#[test]
fn lock_counter_follows_its_parameters() {
    let c = run(
        "lock-counter",
        &[("threads", "8"), ("increments", "100000")],
    );
    assert_eq!(c.texts(), vec!["800001"]);
}

#[test]
fn queue_lifo_gives_2_1_0() {
    assert_eq!(run("queue-lifo", &[]).texts(), vec!["2", "1", "0"]);
}

#[test]
fn every_example_shows_its_tutorial_cell() {
    for ex in examples::CATALOGUE {
        let py = ex.python();
        assert!(
            py.contains("In ["),
            "{}: lines {:?} hold no notebook cell",
            ex.id,
            ex.lines
        );
        assert!(!ex.rust_source.is_empty());
        assert!(
            params::parse(ex.params, &[]).is_ok(),
            "{}: defaults must be valid",
            ex.id
        );
    }
}

#[test]
fn bad_parameters_are_messages() {
    let ex = examples::find("lock-counter").unwrap();
    let bad =
        |k: &str, v: &str| params::parse(ex.params, &[(k.to_string(), v.to_string())]).unwrap_err();
    assert_eq!(bad("threads", "0")[0].1, "threads must be between 1 and 64");
    assert_eq!(bad("threads", "ten")[0].1, "threads must be a whole number");
    assert!(bad("thread", "3")[0]
        .1
        .starts_with("unknown parameter \"thread\""));
}

#[test]
fn thread_exit_main_ends_first_and_the_thread_keeps_the_run_alive() {
    let c = run("thread-exit", &[("sleep", "0.01")]);
    let mut expected = vec![("MainThread".to_string(), "==end==".to_string())];
    expected.extend((0..5).map(|_| ("thread".to_string(), "i am a thread".to_string())));
    assert_eq!(c.lines(), expected);
    assert_eq!(c.exit.code, 0);
    assert!(c.exit.daemons_stopped.is_empty());
}
