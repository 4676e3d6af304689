//! `threading.Thread` and the module functions, and how a program ends: the behaviours of
//! CPython's `Lib/test/test_threading.py` that the tutorial relies on (names, daemon
//! inheritance, start/join errors, reprs, enumerate, daemon shutdown), plus `local` and
//! `Timer`. Each program runs in a runtime of its own (`harness::capture`), as a process.
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::threading::{self, Local, Thread, Timer};
use pp_runtime::{println, PyResult};
use pp_testing::cpython::*;
use pp_testing::death::assert_dies;
use pp_testing::harness::{capture, capture_expecting_panics};
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::Arc;

#[test]
fn default_names_count_per_process() {
    let c = capture(|| {
        let a = Thread::new(|| ());
        let b = Thread::new(|| ()).with_name("chenzhi");
        let d = Thread::new(|| ());
        println!("{} {} {}", a.name(), b.name(), d.name());
        Ok(())
    });
    assert_eq!(c.texts(), vec!["Thread-1 chenzhi Thread-2"]);
}

#[test]
fn start_twice_and_join_errors() {
    let c = capture(|| {
        let t = Thread::new(|| ());
        println!("{}", t.join(None).unwrap_err());
        t.start()?;
        println!("{}", t.start().unwrap_err());
        println!("{}", threading::current_thread().join(None).unwrap_err());
        t.join(None)?;
        println!("{}", t.set_daemon(true).unwrap_err());
        Ok(())
    });
    assert_eq!(
        c.texts(),
        vec![
            "RuntimeError: cannot join thread before it is started",
            "RuntimeError: threads can only be started once",
            "RuntimeError: cannot join current thread",
            "RuntimeError: cannot set daemon status of active thread",
        ]
    );
}

#[test]
fn reprs_as_cpython_prints_them() {
    let c = capture(|| {
        let t = Thread::new(|| threading::sleep(0.05)).with_name("chenzhi");
        println!("{t}");
        t.start()?;
        println!("{t}");
        t.join(None)?;
        println!("{t}");
        println!("{}", threading::current_thread());
        println!("{}", Thread::new(|| ()).with_daemon(true));
        Ok(())
    });
    let t = c.texts();
    assert_eq!(t[0], "<Thread(chenzhi, initial)>");
    assert!(t[1].starts_with("<Thread(chenzhi, started ") && t[1].ends_with(")>"), "{}", t[1]);
    assert!(t[2].starts_with("<Thread(chenzhi, stopped "), "{}", t[2]);
    assert!(t[3].starts_with("<_MainThread(MainThread, started "), "{}", t[3]);
    assert_eq!(t[4], "<Thread(Thread-1, initial daemon)>"); // the named thread took no number
}

#[test]
fn daemon_none_inherits_from_the_creating_thread() {
    let c = capture(|| {
        let outer = Thread::new(|| {
            let inner = Thread::new(|| ());
            println!("inner daemon {}", inner.is_daemon());
        })
        .with_daemon(true);
        outer.start()?;
        outer.join(None)?;
        println!("main daemon {}", threading::current_thread().is_daemon());
        println!("child of main daemon {}", Thread::new(|| ()).is_daemon());
        Ok(())
    });
    assert_eq!(c.texts(), vec!["inner daemon true", "main daemon false", "child of main daemon false"]);
}

#[test]
fn idents_and_native_ids() {
    let c = capture(|| {
        let main = threading::current_thread();
        assert_eq!(main.ident(), Some(threading::get_ident()));
        assert!(main.same_as(&threading::main_thread()));
        let seen = Arc::new(std::sync::Mutex::new(None));
        let s = seen.clone();
        let t = Thread::new(move || *s.lock().unwrap() = Some((threading::get_ident(), threading::get_native_id())));
        assert_eq!(t.ident(), None);
        t.start()?;
        t.join(None)?;
        let (ident, native) = seen.lock().unwrap().unwrap();
        assert_eq!(t.ident(), Some(ident));
        assert_eq!(t.native_id(), Some(native));
        assert_ne!(Some(ident), main.ident());
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn enumerate_and_active_count_follow_the_threads() {
    let c = capture(|| {
        let release = Arc::new(threading::Event::new());
        let threads: Vec<Thread> = (0..3)
            .map(|_| {
                let r = release.clone();
                Thread::new(move || {
                    r.wait(None);
                })
            })
            .collect();
        println!("{}", threading::active_count());
        threads.iter().try_for_each(|t| t.start())?;
        println!("{}", threading::active_count());
        println!("{}", threading::enumerate().iter().map(|t| t.name()).collect::<Vec<_>>().join(","));
        release.set();
        threads.iter().try_for_each(|t| t.join(None))?;
        println!("{}", threading::active_count());
        Ok(())
    });
    assert_eq!(c.texts(), vec!["1", "4", "MainThread,Thread-1,Thread-2,Thread-3", "1"]);
}

#[test]
fn is_alive_and_join_timeout() {
    let c = capture(|| {
        let go = Arc::new(threading::Event::new());
        let g = go.clone();
        let t = Thread::new(move || {
            g.wait(None);
        });
        assert!(!t.is_alive());
        t.start()?;
        assert!(t.is_alive());
        let (_, dt) = time(|| t.join(Some(0.2)).unwrap());
        assert_timeout(dt, 0.2);
        assert!(t.is_alive(), "join(timeout) returned with the thread still running");
        go.set();
        t.join(None)?;
        assert!(!t.is_alive());
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn the_program_waits_for_non_daemon_threads_and_stops_daemons() {
    let stopped_early = Arc::new(AtomicBool::new(true));
    let s = stopped_early.clone();
    let c = capture(move || {
        Thread::new(|| {
            threading::sleep(0.05);
            println!("non-daemon done");
        })
        .start()?;
        Thread::new(move || {
            for i in 0..1000 {
                println!("daemon {i}");
                threading::sleep(0.02);
            }
            s.store(false, SeqCst);
        })
        .with_daemon(true)
        .with_name("background")
        .start()?;
        println!("main done");
        Ok(())
    });
    assert_eq!(c.exit.daemons_stopped, vec!["background"]);
    let texts = c.texts();
    assert_eq!(texts.iter().filter(|t| *t == "main done").count(), 1);
    assert!(texts.contains(&"non-daemon done".to_string()));
    assert!(
        c.notes().iter().any(|n| n.contains("stopping 1 daemon thread still running (background)")),
        "{:?}",
        c.notes()
    );
    // The daemon stops at its next sleep or print, natively as Python stops it.
    std::thread::sleep(ms(100));
    assert!(stopped_early.load(SeqCst));
}

#[test]
fn an_exception_in_a_thread_is_printed_and_the_program_goes_on() {
    let c = capture(|| {
        let t = Thread::new(|| -> PyResult<()> { Err(pp_runtime::PyErr::value_error("bad value")) }).with_name("w");
        t.start()?;
        t.join(None)?;
        println!("still here");
        Ok(())
    });
    assert_eq!(c.texts(), vec!["Exception in thread w:", "ValueError: bad value", "still here"]);
    assert_eq!(c.exit.code, 0);
}

#[test]
fn an_exception_in_main_ends_the_program_with_code_1() {
    let c = capture(|| Err(pp_runtime::queue::Empty.into()));
    assert_eq!(c.exit.code, 1);
    assert_eq!(c.texts().last().unwrap(), "queue.Empty");
}

#[test]
fn a_panic_in_a_thread_fails_the_run_instead_of_hanging_it() {
    let c = capture_expecting_panics(false, || {
        let t = Thread::new(|| -> () { panic!("a bug in the port") });
        t.start()?;
        // Not joined: join would panic in the main thread too (see below).
        wait_until("the thread to end", || !t.is_alive());
        Ok(())
    });
    assert_eq!(c.exit.code, 1);
    assert!(c.notes().iter().any(|n| n.contains("a bug in the port")), "{:?}", c.notes());
    assert_eq!(c.panics(), vec!["Thread-1 panicked: a bug in the port"]);
}

/// Proves the mend: a failed assert inside a thread fails its test at once, whoever waits
/// for it (here the joiner).
#[test]
fn a_failed_assert_in_a_thread_fails_its_test() {
    assert_dies("a_failed_assert_in_a_thread_fails_its_test", "deliberately failing assert in a thread", || {
        let t = Thread::new(|| assert_eq!(1 + 1, 3, "deliberately failing assert in a thread"));
        t.start().unwrap();
        t.join(None).unwrap();
    });
}

/// ... and a run whose thread failed an assert, even when nobody joined it.
#[test]
fn a_failed_assert_in_an_unjoined_thread_fails_its_test() {
    assert_dies("a_failed_assert_in_an_unjoined_thread_fails_its_test", "deliberately failing assert", || {
        capture(|| {
            Thread::new(|| assert_eq!(1 + 1, 3, "deliberately failing assert")).start()?;
            Ok(())
        });
    });
}

/// ... and a failed assert in a `Bunch` thread fails at once, not after the Bunch's deadline.
#[test]
fn a_failed_assert_in_a_bunch_fails_its_test() {
    assert_dies("a_failed_assert_in_a_bunch_fails_its_test", "deliberately failing assert in a Bunch", || {
        let b = Bunch::new(3, || assert_eq!(1 + 1, 3, "deliberately failing assert in a Bunch"), false);
        b.wait_for_finished();
    });
}

#[test]
fn local_gives_each_thread_its_own_value_and_drops_it_at_thread_end() {
    let local = Arc::new(Local::<i64>::new());
    let results = List::new();
    let threads: Vec<Thread> = (0..10)
        .map(|_| {
            let (local, results) = (local.clone(), results.clone());
            Thread::new(move || {
                for _ in 0..1000 {
                    local.with(|n| *n += 1);
                }
                results.push(local.with(|n| *n));
            })
        })
        .collect();
    threads.iter().for_each(|t| t.start().unwrap());
    threads.iter().for_each(|t| t.join(None).unwrap());
    assert_eq!(results.get(), vec![1000; 10]);
    assert!(local.is_empty(), "finished threads' values are gone");
}

#[test]
fn timer_fires_after_its_interval_unless_cancelled() {
    let fired = List::new();
    let f = fired.clone();
    let (timer, dt) = time(|| {
        let t = Timer::new(0.2, move || f.push(()));
        t.start().unwrap();
        t.join(None).unwrap();
        t
    });
    assert_eq!(fired.len(), 1);
    assert_timeout(dt, 0.2);
    assert!(timer.to_string().starts_with("<Timer(Thread-"), "{timer}");
    let f = fired.clone();
    let t = Timer::new(5.0, move || f.push(()));
    t.start().unwrap();
    t.cancel();
    let (_, dt) = time(|| t.join(None).unwrap());
    assert!(dt.as_secs_f64() < 2.0);
    assert_eq!(fired.len(), 1, "a cancelled timer does not fire");
}

/// `sys.exit(3)` in the main thread ends the program with 3 and no traceback; in another
/// thread it ends only that thread, silently (`threading.excepthook` ignores SystemExit).
#[test]
fn sys_exit_ends_the_program_with_its_code_or_a_thread_quietly() {
    let c = capture(|| {
        let t = Thread::new(|| -> PyResult<()> { Err(pp_runtime::PyErr::system_exit(5)) });
        t.start()?;
        t.join(None)?;
        println!("still here");
        Err(pp_runtime::PyErr::system_exit(3))
    });
    assert_eq!(c.exit.code, 3);
    assert_eq!(c.texts(), vec!["still here"]);
}
