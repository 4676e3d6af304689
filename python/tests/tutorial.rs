//! The Python tab of every example of chapters 2-5 and 10 (and the first chapter's threads),
//! run natively as the page runs it (GIL on, as the tutorial's CPython): the tutorial's
//! deterministic outputs, the changes the tab made listed, nothing else patched. The browser
//! suite runs the same programs through the page (tests/e2e/python.test.mjs).
#![cfg(not(target_arch = "wasm32"))]

use parallel_playground::examples::{python_tab, CATALOGUE, PYTHON_TABS};
use pp_testing::harness::{capture_with, Captured};
use std::time::{Duration, Instant};

fn run_tab(id: &str) -> (Captured, Duration) {
    let tab = python_tab(id).unwrap_or_else(|| panic!("{id} has no Python tab"));
    let program = tab.program();
    let start = Instant::now();
    let c = capture_with(true, || pp_python::interp::run_in_this_process(&program));
    (c, start.elapsed())
}

/// Runs `id`'s tab; it must end with code 0.
fn run_ok(id: &str) -> Captured {
    let (c, _) = run_tab(id);
    assert_eq!(c.exit.code, 0, "{id}: {:#?}", c.lines());
    c
}

/// The printed lines without warnings (`isDaemon()` is deprecated in Python 3.10+, and
/// Python says so on stderr, as CPython does; the tutorial ran an older one).
fn printed(c: &Captured) -> Vec<String> {
    let texts = c.texts();
    let mut out = Vec::new();
    let mut skip_next = false;
    for t in texts {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        if t.contains("DeprecationWarning") {
            skip_next = true; // the warning's source line follows
            continue;
        }
        out.push(t);
    }
    out
}

#[test]
fn chapters_2_to_5_and_10_have_a_python_tab_that_runs() {
    for ex in CATALOGUE.iter().filter(|e| matches!(e.chapter.number, 2..=5 | 10 | 11)) {
        assert!(python_tab(ex.id).is_some(), "{} has no Python tab", ex.id);
    }
    for (id, _) in PYTHON_TABS {
        assert!(CATALOGUE.iter().any(|e| e.id == *id), "{id} is not in the catalogue");
    }
}

#[test]
fn chapter_2_the_threading_module() {
    let c = run_ok("thread-start");
    assert_eq!(c.lines(), [("worker", "i am working"), ("worker", "finished")].map(|(a, b)| (a.into(), b.into())));

    let c = run_ok("thread-signature");
    let text = c.texts().join("\n");
    assert!(text.contains("class Thread"), "{text}");
    for parameter in ["group=None", "target=None", "name=None", "args=()", "kwargs=None", "daemon=None"] {
        assert!(text.contains(parameter), "{parameter}: {text}");
    }

    // The thread's two lines in order; the main thread's may come before, between or after
    // them (CPython's GIL makes "after" likely, not certain).
    let c = run_ok("thread-args");
    let of = |who: &str| c.lines().into_iter().filter(|(w, _)| w == who).map(|(_, t)| t).collect::<Vec<_>>();
    let thread = of("chenzhi");
    assert_eq!(thread[0], "cgatcgat");
    assert!(thread[1].starts_with("<Thread(chenzhi, started "), "{thread:?}");
    assert!(of("MainThread")[0].starts_with("<_MainThread(MainThread, started "), "{:?}", c.lines());

    assert_eq!(run_ok("thread-active-count").texts(), vec!["1"]);
    for id in ["thread-current", "thread-main", "thread-enumerate"] {
        let texts = run_ok(id).texts();
        assert_eq!(texts.len(), 1, "{id}: {texts:?}");
        assert!(texts[0].starts_with("<_MainThread(MainThread, started ") && texts[0].ends_with(")>"), "{texts:?}");
    }
    let texts = run_ok("thread-ident").texts();
    assert!(texts[0].parse::<u64>().is_ok(), "{texts:?}");
}

#[test]
fn chapter_2_a_thread_outlives_the_main_threads_last_line() {
    let (c, took) = run_tab("thread-exit");
    assert_eq!(c.exit.code, 0);
    let mut expected = vec!["==end==".to_string()];
    expected.extend(std::iter::repeat_n("i am a thread".to_string(), 5));
    assert_eq!(c.texts(), expected);
    assert!(took >= Duration::from_secs(10), "five sleeps of 2 s: {took:?}");
}

#[test]
fn chapter_3_locks() {
    let c = run_ok("lock-add");
    let mut expected: Vec<String> = (2..=11).map(|n| format!("add1 {n}")).collect();
    expected.extend((1..=10).map(|k| format!("add2 {}", 11 + 10 * k)));
    assert_eq!(c.texts(), expected);

    let c = run_ok("rlock-account");
    let texts = c.texts();
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(texts[0].ends_with("取钱成功！吐出钞票:100"), "{texts:?}");
    assert_eq!(texts[1], "\t余额为: 100");
    assert!(texts[2].ends_with("取钱失败！余额不足！"), "{texts:?}");

    assert_eq!(run_ok("lock-counter").texts(), vec!["10001"]);
}

#[test]
fn chapter_4_daemon_threads_and_join() {
    let c = run_ok("daemon-false");
    let texts = printed(&c);
    assert_eq!(texts.len(), 5, "{texts:?}");
    for i in 0..3 {
        assert!(texts.contains(&format!("i={i},foo thread daemon is False")), "{texts:?}");
    }
    assert!(texts.contains(&"Main thread daemon is False".to_string()));
    assert_eq!(texts.iter().filter(|t| t.starts_with("Main")).count(), 2);

    let c = run_ok("daemon-true");
    let texts = printed(&c);
    assert!(texts.contains(&"Main thread Exit".to_string()), "{texts:?}");
    assert!(!texts.contains(&"i=2,foo1 thread daemon is True".to_string()), "the daemon was cut off: {texts:?}");

    // The daemons may print after the main thread's last line, until the program's end.
    let c = run_ok("daemon-none");
    let texts = printed(&c);
    assert!(texts.contains(&"Main Thread Exit.".to_string()), "{texts:?}");
    assert!(texts.iter().any(|t| t == "【bar】 daemon is True"), "{texts:?}");
    assert!(texts.iter().all(|t| !t.contains("daemon is False") || t.starts_with("Main")), "{texts:?}");

    let c = run_ok("thread-join");
    let mut expected = vec!["hello world".to_string(); 10];
    expected.push("==end==".into());
    assert_eq!(c.texts(), expected);
}

#[test]
fn chapter_5_thread_local_data() {
    for id in ["thread-local-args", "thread-local"] {
        let c = run_ok(id);
        let lines = c.lines();
        let counts: Vec<_> = lines.iter().filter(|(_, t)| t.ends_with(" 1000")).collect();
        assert_eq!(counts.len(), 10, "{id}: {lines:?}");
        for (who, text) in counts {
            assert_eq!(text, &format!("{who} 1000"), "each thread prints its own name");
        }
        assert!(!python_tab(id).unwrap().changes().is_empty(), "{id}: the Python 2 lines are listed as changed");
    }
    assert_eq!(run_ok("thread-local-args").texts().last().map(String::as_str), Some("10001"));
}

#[test]
fn chapter_10_the_queue_module() {
    assert_eq!(run_ok("queue-fifo").texts(), vec!["{'name': 'chenzhi', 'age': 14}", "['a', 'b', 'c']"]);
    assert_eq!(run_ok("queue-lifo").texts(), vec!["2", "1", "0"]);
    assert_eq!(run_ok("queue-priority").texts(), vec!["(1, 'python')", "(2, '-')", "(3, '100')"]);
    assert_eq!(run_ok("queue-simple").texts(), vec!["0", "1", "2"]);
    assert_eq!(run_ok("queue-empty").texts(), vec!["python", "-", "100", "queue.Empty"]);
    assert_eq!(run_ok("queue-full").texts(), vec!["queue.Full"]);
    assert_eq!(run_ok("queue-sizes").texts(), vec!["1", "True", "True"]);

    for (id, exception, at_least) in [
        ("queue-put-timeout", "queue.Full", 2.0),
        ("queue-put-nowait", "queue.Full", 0.0),
        ("queue-get-timeout", "_queue.Empty", 1.0),
        ("queue-get-nowait", "_queue.Empty", 0.0),
    ] {
        let (c, took) = run_tab(id);
        assert_eq!(c.exit.code, 1, "{id}: the exception ends the program");
        assert_eq!(c.texts().last().map(String::as_str), Some(exception), "{id}: {:#?}", c.texts());
        let took = took.as_secs_f64();
        assert!(took >= at_least && took < at_least + 1.5, "{id} took {took} s");
    }
}

#[test]
fn the_first_chapters_threads_run() {
    let (c, _) = run_tab("intro-threads");
    assert_eq!((c.exit.code, c.texts()), (0, Vec::<String>::new()));
}

#[test]
fn the_pitfall_labs_show_what_their_ports_show() {
    let c = run_ok("pitfall-race");
    assert!(c.texts()[1].contains("updates lost") || c.texts()[1].contains("no update lost"), "{:?}", c.texts());
    let fixed = python_tab("pitfall-race").unwrap().program().replace("USE_LOCK = False", "USE_LOCK = True");
    let c = capture_with(false, || pp_python::interp::run_in_this_process(&fixed));
    assert!(c.texts()[1].ends_with("no update lost"), "{:?}", c.texts());

    for fix in [1, 2] {
        let program = python_tab("pitfall-deadlock").unwrap().program().replace("FIX = 0", &format!("FIX = {fix}"));
        let c = capture_with(true, || pp_python::interp::run_in_this_process(&program));
        assert_eq!(c.texts().last().map(String::as_str), Some("both transfers done"), "fix {fix}: {:?}", c.texts());
    }

    let program = python_tab("pitfall-livelock").unwrap().program().replace("GIVE_UP = 0", "GIVE_UP = 30");
    let c = capture_with(true, || pp_python::interp::run_in_this_process(&program));
    assert!(c.texts().iter().any(|t| t.ends_with("gives up after 30 tries: a livelock")), "{:?}", c.texts());
    let program = python_tab("pitfall-livelock").unwrap().program().replace("FIX = 0", "FIX = 1");
    let c = capture_with(true, || pp_python::interp::run_in_this_process(&program));
    assert!(c.texts().iter().any(|t| t.contains("transfer done")), "{:?}", c.texts());

    let program = python_tab("pitfall-starvation").unwrap().program().replace("SECONDS = 1.0", "SECONDS = 0.3");
    let c = capture_with(true, || pp_python::interp::run_in_this_process(&program));
    assert!(c.texts()[0].starts_with("0.3 s on an unfair Lock: greedy "), "{:?}", c.texts());

    let program = python_tab("gil").unwrap().program().replace("STEPS = 300000", "STEPS = 20000");
    let c = capture_with(true, || pp_python::interp::run_in_this_process(&program));
    assert!(c.texts()[0].contains("GIL on"), "{:?}", c.texts());
    assert!(c.texts()[1].contains("| 4 threads"), "{:?}", c.texts());

    let program = python_tab("io-bound").unwrap().program().replace("SLEEP = 0.2", "SLEEP = 0.05");
    let c = capture_with(true, || pp_python::interp::run_in_this_process(&program));
    assert!(c.texts()[2].starts_with("threads: "), "{:?}", c.texts());
}
