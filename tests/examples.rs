//! The catalogue's examples, run natively through the same ring the browser host reads:
//! deterministic outputs of the tutorial must come out of running the code.
#![cfg(not(target_arch = "wasm32"))]

use parallel_playground::examples::{self, params};
use parallel_playground::harness::{capture_with, Captured};

fn run(id: &str, raw: &[(&str, &str)]) -> Captured {
    let ex = examples::find(id).unwrap_or_else(|| panic!("no example {id}"));
    let raw: Vec<(String, String)> = raw.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let p = params::parse(ex.params, &raw).expect("valid parameters");
    capture_with(ex.options.gil, || (ex.main)(&p))
}

#[test]
fn thread_start_prints_from_the_worker_thread() {
    let c = run("thread-start", &[]);
    assert_eq!(c.exit.code, 0);
    assert_eq!(
        c.lines(),
        vec![("worker".to_string(), "i am working".to_string()), ("worker".to_string(), "finished".to_string())]
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
    let c = run("lock-counter", &[("threads", "8"), ("increments", "100000")]);
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
        assert_eq!(py.contains("In ["), ex.has_code, "{}: lines {:?}", ex.id, ex.lines);
        assert!(!ex.rust_source.is_empty());
        assert!(params::parse(ex.params, &[]).is_ok(), "{}: defaults must be valid", ex.id);
    }
}

#[test]
fn bad_parameters_are_messages() {
    let ex = examples::find("lock-counter").unwrap();
    let bad = |k: &str, v: &str| params::parse(ex.params, &[(k.to_string(), v.to_string())]).unwrap_err();
    assert_eq!(bad("threads", "0")[0].1, "threads must be between 1 and 64");
    assert_eq!(bad("threads", "ten")[0].1, "threads must be a whole number");
    assert!(bad("thread", "3")[0].1.starts_with("unknown parameter \"thread\""));
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

fn who_and_text(lines: &[(&str, &str)]) -> Vec<(String, String)> {
    lines.iter().map(|(w, t)| (w.to_string(), t.to_string())).collect()
}

#[test]
fn thread_signature_lists_every_parameter() {
    let text = run("thread-signature", &[]).texts().join("\n");
    for p in ["group=None", "target=None", "name=None", "args=()", "kwargs=None", "daemon=None"] {
        assert!(text.contains(p), "{p} missing");
    }
}

#[test]
fn thread_args_prints_the_complement_then_both_reprs() {
    let c = run("thread-args", &[]);
    let t = c.texts();
    assert_eq!(t[0], "cgatcgat");
    assert!(t[1].starts_with("<Thread(chenzhi, started ") && c.lines()[1].0 == "chenzhi", "{t:?}");
    assert!(t[2].starts_with("<_MainThread(MainThread, started "), "{t:?}");
}

#[test]
fn module_functions() {
    assert_eq!(run("thread-active-count", &[]).texts(), vec!["1"]);
    assert!(run("thread-current", &[]).texts()[0].starts_with("<_MainThread(MainThread, started "));
    let ident = run("thread-ident", &[]).texts();
    assert!(ident[0].parse::<u64>().is_ok(), "{ident:?}");
    assert_eq!(ident[1], "True");
    let listed = run("thread-enumerate", &[]).texts();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed[0].starts_with("<_MainThread(MainThread, started "));
    assert!(listed[1].starts_with("<Thread(thread, started "));
    assert!(run("thread-main", &[]).texts()[0].starts_with("<_MainThread(MainThread, started "));
}

#[test]
fn lock_add_blocks_never_mix() {
    let mut expected: Vec<String> = (2..=11).map(|n| format!("add1 {n}")).collect();
    expected.extend((2..=11).map(|n| format!("add2 {}", 11 + (n - 1) * 10)));
    assert_eq!(run("lock-add", &[]).texts(), expected);
}

#[test]
fn rlock_account_one_draw_succeeds() {
    assert_eq!(
        run("rlock-account", &[]).lines(),
        who_and_text(&[
            ("Thread-1", "Thread-1取钱成功！吐出钞票:100"),
            ("Thread-1", "\t余额为: 100"),
            ("Thread-2", "Thread-2取钱失败！余额不足！"),
        ])
    );
}

#[test]
fn daemon_false_keeps_the_run_alive_for_the_thread() {
    let c = run("daemon-false", &[("sleep", "0.05")]);
    assert_eq!(
        c.texts(),
        vec![
            "i=0,foo thread daemon is False",
            "Main thread daemon is False",
            "Main thread Exit",
            "i=1,foo thread daemon is False",
            "i=2,foo thread daemon is False",
        ]
    );
    assert!(c.exit.daemons_stopped.is_empty());
}

#[test]
fn daemon_true_is_cut_off_when_main_ends() {
    let c = run("daemon-true", &[("sleep", "0.2")]);
    assert_eq!(c.texts(), vec!["i=0,foo1 thread daemon is True", "Main thread daemon is False", "Main thread Exit"]);
    assert_eq!(c.exit.daemons_stopped, vec!["Thread-1"]);
    assert!(c.notes().iter().any(|n| n.contains("stopping 1 daemon thread")), "{:?}", c.notes());
}

#[test]
fn daemon_none_threads_inherit_and_die_with_main() {
    let c = run("daemon-none", &[("sleep", "0.05")]);
    let t = c.texts();
    assert_eq!(t.iter().filter(|l| l.starts_with("i=") && l.ends_with("【foo】 thread daemon is True")).count(), 3);
    assert!(t.iter().filter(|l| *l == "【bar】 daemon is True").count() >= 3, "{t:?}");
    assert!(!t.iter().any(|l| l.contains("daemon is False") && l.contains("bar")));
    assert_eq!(t.last().unwrap(), "Main Thread Exit.", "nothing after main's last line: the daemons were stopped");
    assert_eq!(c.exit.daemons_stopped.len(), 3, "the three bar threads ({:?})", c.exit.daemons_stopped);
}

#[test]
fn thread_join_waits_for_all_ten_lines() {
    let mut expected = vec!["hello world".to_string(); 10];
    expected.push("==end==".into());
    assert_eq!(run("thread-join", &[("sleep", "0.01")]).texts(), expected);
}

#[test]
fn thread_local_examples_count_1000_per_thread() {
    for id in ["thread-local-args", "thread-local"] {
        let mut lines = run(id, &[]).lines();
        lines.sort();
        let mut expected: Vec<(String, String)> =
            (1..=10).map(|n| (format!("Thread-{n}"), format!("Thread-{n} 1000"))).collect();
        expected.sort();
        assert_eq!(lines, expected, "{id}");
    }
}

#[test]
fn queue_examples_print_the_tutorials_outputs() {
    assert_eq!(run("queue-fifo", &[]).texts(), vec!["{'name': 'chenzhi', 'age': 14}", "['a', 'b', 'c']"]);
    assert_eq!(run("queue-priority", &[]).texts(), vec!["(1, 'python')", "(2, '-')", "(3, '100')"]);
    assert_eq!(run("queue-simple", &[]).texts(), vec!["0", "1", "2"]);
    assert_eq!(run("queue-empty", &[]).texts(), vec!["python", "-", "100", "queue.Empty"]);
    assert_eq!(run("queue-full", &[]).texts(), vec!["queue.Full"]);
    assert_eq!(run("queue-sizes", &[]).texts(), vec!["1", "True", "True"]);
}

#[test]
fn queue_timeouts_raise_after_the_timeout() {
    for (id, exception) in [("queue-put-timeout", "queue.Full"), ("queue-get-timeout", "queue.Empty")] {
        let c = run(id, &[("timeout", "0.3")]);
        assert_eq!(c.exit.code, 1, "{id}: the exception ends the program");
        assert_eq!(c.texts().last().unwrap(), exception);
        let end = c.records.last().unwrap().t_us;
        let start = c.records.first().unwrap().t_us;
        let waited = (end - start) as f64 / 1e6;
        assert!((0.18..3.0).contains(&waited), "{id} waited {waited} s");
    }
    for (id, exception) in [("queue-put-nowait", "queue.Full"), ("queue-get-nowait", "queue.Empty")] {
        let c = run(id, &[]);
        assert_eq!((c.exit.code, c.texts().last().unwrap().as_str()), (1, exception), "{id}");
    }
}

#[test]
fn pitfall_deadlock_fixes_finish() {
    for fix in ["1", "2"] {
        let c = run("pitfall-deadlock", &[("fix", fix)]);
        assert_eq!(c.texts().last().unwrap(), "both transfers done", "fix {fix}: {:?}", c.texts());
    }
}
