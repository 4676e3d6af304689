//! `multiprocessing.Process`: lifecycle, names, pids, exit codes, terminate; the behaviours
//! of CPython's `Lib/test/_test_multiprocessing.py` (`_TestProcess`), natively (a process is
//! a thread with a runtime of its own here; the browser suite runs real ones).
#![cfg(not(target_arch = "wasm32"))]

use pp_multiprocessing::{self as mp, Process, Queue};
use pp_runtime::{println, PyErr, PyResult};
use pp_testing::death::assert_dies;
use pp_testing::harness::{capture, capture_expecting_panics};

fn hello(who: String) {
    println!("hello {who} from {}", mp::current_process().name());
}

fn fails(_: ()) -> PyResult<()> {
    Err(PyErr::value_error("boom"))
}

fn sleeps(seconds: f64) {
    pp_runtime::threading::sleep(seconds);
}

#[test]
fn a_child_runs_its_target_with_a_copy_of_its_arguments() {
    let c = capture(|| {
        let p = Process::new(hello, "world".to_string());
        assert_eq!(p.name(), "Process-1");
        assert_eq!(p.exitcode(), None);
        assert_eq!(p.pid(), None);
        p.start()?;
        assert!(p.pid().is_some());
        p.join(None)?;
        assert_eq!(p.exitcode(), Some(0));
        assert!(!p.is_alive());
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
    assert_eq!(c.lines(), vec![("Process-1".to_string(), "hello world from Process-1".to_string())]);
}

#[test]
fn names_pids_and_parents() {
    fn report(_: ()) {
        let me = mp::current_process();
        println!("{} {} {}", me.name(), mp::getppid() == mp::parent_process().unwrap().1, mp::getpid() == me.pid());
    }
    let c = capture(|| {
        let ps: Vec<Process> = (0..3).map(|_| Process::new(report, ())).collect();
        ps.iter().try_for_each(|p| p.start())?;
        ps.iter().try_for_each(|p| p.join(None))?;
        let mut pids: Vec<u32> = ps.iter().map(|p| p.pid().unwrap()).collect();
        pids.sort();
        pids.dedup();
        assert_eq!(pids.len(), 3, "distinct pids");
        assert!(!pids.contains(&mp::getpid()));
        assert_eq!(mp::current_process().name(), "MainProcess");
        assert!(mp::parent_process().is_none());
        Ok(())
    });
    let mut texts = c.texts();
    texts.sort();
    assert_eq!(texts, vec!["Process-1 true true", "Process-2 true true", "Process-3 true true"]);
}

#[test]
fn a_failing_child_exits_with_1_and_the_parent_goes_on() {
    let c = capture(|| {
        let p = Process::new(fails, ());
        p.start()?;
        p.join(None)?;
        println!("exitcode {:?}", p.exitcode());
        Ok(())
    });
    assert_eq!(c.exit.code, 0);
    let texts = c.texts();
    assert!(texts.contains(&"ValueError: boom".to_string()), "{texts:?}");
    assert_eq!(texts.last().unwrap(), "exitcode Some(1)");
}

#[test]
fn terminate_ends_a_sleeping_child_with_minus_15() {
    let c = capture(|| {
        let p = Process::new(sleeps, 30.0);
        p.start()?;
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(p.is_alive());
        p.terminate();
        p.join(Some(10.0))?;
        assert_eq!(p.exitcode(), Some(-15));
        assert!(p.to_string().contains("stopped[SIGTERM]"), "{p}");
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn start_twice_and_join_unstarted_are_errors() {
    let c = capture(|| {
        let p = Process::new(hello, "x".to_string());
        assert!(p.join(None).is_err());
        p.start()?;
        assert_eq!(p.start().unwrap_err().to_string(), "AssertionError: cannot start a process twice");
        p.join(None)
    });
    assert_eq!(c.exit.code, 0);
}

#[test]
fn the_program_joins_non_daemon_children_and_terminates_daemonic_ones() {
    let c = capture(|| {
        Process::new(sleeps, 0.1).start()?;
        let daemon = Process::new(sleeps, 60.0).with_daemon(true);
        daemon.start()?;
        assert_eq!(mp::active_children().len(), 2);
        Ok(())
    });
    assert_eq!(c.exit.code, 0);
}

#[test]
fn kill_ends_a_sleeping_child_with_minus_9() {
    let c = capture(|| {
        let p = Process::new(sleeps, 30.0);
        p.start()?;
        std::thread::sleep(std::time::Duration::from_millis(50));
        p.kill();
        p.join(Some(10.0))?;
        assert_eq!(p.exitcode(), Some(-9));
        assert!(p.to_string().contains("stopped[SIGKILL]"), "{p}");
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

fn panics(_: ()) {
    panic!("a bug in the child");
}

#[test]
fn a_panicking_child_exits_with_1_and_the_parent_goes_on() {
    let c = capture_expecting_panics(false, || {
        let p = Process::new(panics, ());
        p.start()?;
        p.join(Some(10.0))?;
        println!("exitcode {:?}", p.exitcode());
        Ok(())
    });
    assert_eq!(c.exit.code, 0);
    assert_eq!(c.texts().last().unwrap(), "exitcode Some(1)");
    assert!(c.panics()[0].contains("a bug in the child"), "{:?}", c.panics());
}

fn asserts_wrongly_then_puts(q: Queue<u32>) {
    assert_eq!(1 + 1, 3, "deliberately failing assert in a child process");
    let _ = q.put(&1);
}

/// A failed assert in a child process (natively a thread standing in for it) fails its test
/// at once, even though the parent waits with no deadline for what the child never sends.
#[test]
fn a_failed_assert_in_a_child_process_fails_its_test() {
    assert_dies(
        "a_failed_assert_in_a_child_process_fails_its_test",
        "deliberately failing assert in a child process",
        || {
            capture(|| {
                let q = Queue::new(0)?;
                let p = Process::new(asserts_wrongly_then_puts, q.clone());
                p.start()?;
                q.get()?;
                Ok(())
            });
        },
    );
}

fn exits_with(code: i32) -> PyResult<()> {
    Err(PyErr::system_exit(code))
}

fn exits_with_message(message: String) -> PyResult<()> {
    Err(PyErr::system_exit_message(message))
}

/// CPython's `_TestProcess.test_sys_exit` (`Lib/test/_test_multiprocessing.py`): a child's
/// `sys.exit(arg)` is its exit code: `True` 1, `False` 0, `8` 8, `None` 0; a message is
/// printed to stderr and gives 1.
#[test]
fn a_childs_sys_exit_chooses_its_exit_code() {
    let c = capture(|| {
        for (arg, expected) in [(1, 1), (0, 0), (8, 8), (0, 0)] {
            let p = Process::new(exits_with, arg).with_daemon(true);
            p.start()?;
            p.join(Some(30.0))?;
            assert_eq!(p.exitcode(), Some(expected), "sys.exit({arg})");
        }
        let p = Process::new(exits_with_message, "ignore this".to_string()).with_daemon(true);
        p.start()?;
        p.join(Some(30.0))?;
        assert_eq!(p.exitcode(), Some(1));
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
    assert!(c.lines().iter().any(|(who, text)| who == "Process-5" && text == "ignore this"), "{:?}", c.lines());
    assert!(!c.texts().iter().any(|t| t.contains("Traceback")), "sys.exit prints no traceback: {:?}", c.texts());
}

/// The tutorial's third mode: processes, each with threads of its own.
fn with_threads(n: usize) -> PyResult<()> {
    let threads: Vec<_> = (0..n)
        .map(|_| {
            pp_runtime::threading::Thread::new(|| {
                let t = pp_runtime::threading::current_thread();
                println!("{} in {}", t.name(), mp::current_process().name());
            })
        })
        .collect();
    threads.iter().try_for_each(|t| t.start())?;
    threads.iter().try_for_each(|t| t.join(None))
}

#[test]
fn a_child_starts_threads_of_its_own() {
    let c = capture(|| {
        let ps = [Process::new(with_threads, 2), Process::new(with_threads, 2)];
        ps.iter().try_for_each(|p| p.start())?;
        ps.iter().try_for_each(|p| p.join(None))?;
        assert!(ps.iter().all(|p| p.exitcode() == Some(0)));
        Ok(())
    });
    let mut texts = c.texts();
    texts.sort();
    // Each process numbers its own threads, as each CPython process does.
    assert_eq!(
        texts,
        ["Thread-1 in Process-1", "Thread-1 in Process-2", "Thread-2 in Process-1", "Thread-2 in Process-2"]
    );
}

fn same_authkey(parent: Vec<u8>) {
    println!("{}", mp::current_process().authkey() == parent);
}

#[test]
fn a_child_inherits_its_parents_authkey() {
    let c = capture(|| {
        let key = mp::current_process().authkey().to_vec();
        assert_eq!(key.len(), 32);
        let p = Process::new(same_authkey, key);
        p.start()?;
        p.join(None)
    });
    assert_eq!(c.texts(), ["true"]);
}
