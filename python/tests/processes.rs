//! The Python tab of every example of chapters 1 and 6-9 (the tutorial's `multiprocessing`
//! cells, unmodified), run natively as the page runs them: each child process a fresh
//! interpreter on a runtime of its own, started through the runtime's process machinery. The
//! tutorial's deterministic outputs exactly; the others by their shape. The browser suite runs
//! the same programs through the page (tests/e2e/python.test.mjs).
#![cfg(not(target_arch = "wasm32"))]

use parallel_playground::examples::{python_tab, CATALOGUE};
use pp_testing::harness::{capture_with, Captured};
use std::collections::BTreeSet;

fn run(id: &str) -> Captured {
    let tab = python_tab(id).unwrap_or_else(|| panic!("{id} has no Python tab"));
    let c = capture_with(true, || pp_python::interp::run_in_this_process(&tab.program()));
    assert_eq!(c.exit.code, 0, "{id}: {:#?}", c.lines());
    c
}

fn texts(id: &str) -> Vec<String> {
    run(id).texts()
}

fn set(lines: &[String]) -> BTreeSet<&str> {
    lines.iter().map(String::as_str).collect()
}

fn strs(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|s| s.to_string()).collect()
}

#[test]
fn chapters_1_and_6_to_9_have_a_python_tab() {
    for ex in CATALOGUE.iter().filter(|e| matches!(e.chapter.number, 1 | 6..=9)) {
        // The table of Pool's methods and the text on a pool's errors have no code.
        let no_code = ["pool-methods", "pool-errors"].contains(&ex.id);
        assert_eq!(python_tab(ex.id).is_none(), no_code, "{}", ex.id);
    }
}

#[test]
fn intro_processes_two_processes_multiply() {
    assert_eq!(texts("intro-processes"), Vec::<String>::new());
}

#[test]
fn pool_first() {
    assert_eq!(texts("pool-first"), ["[1, 4, 9]"]);
}

#[test]
fn cpu_count() {
    // The cell's last line is the bare call: shown, as the notebook showed its 4.
    let cores = pp_multiprocessing::cpu_count();
    assert_eq!(texts("cpu-count"), [cores.to_string()]);
}

#[test]
fn process_is_alive() {
    let c = run("process-is-alive");
    let lines = c.lines();
    assert_eq!(c.texts(), ["hello, i am a child process", "True", "False"]);
    // The child's lines carry its name.
    assert_eq!(lines[0].0, "Process-1");
    assert_eq!(lines[2].0, "MainThread");
}

#[test]
fn process_pids_differ_per_process() {
    let lines = texts("process-pids");
    assert_eq!(lines.len(), 12, "{lines:#?}");
    let parents: BTreeSet<&str> = lines.iter().filter_map(|l| l.strip_prefix("父进程id: ")).collect();
    let children: BTreeSet<&str> = lines.iter().filter_map(|l| l.strip_prefix("当前子进程id: ")).collect();
    assert_eq!(parents.len(), 1, "one parent: {lines:#?}");
    assert_eq!(children.len(), 4, "four distinct children: {lines:#?}");
    assert!(parents.is_disjoint(&children));
}

#[test]
fn process_attrs() {
    assert_eq!(texts("process-attrs"), ["hello, i am a child process", "True", "Process-1"]);
}

#[test]
fn process_subclass_runs_its_run() {
    let lines = texts("process-class");
    assert_eq!(lines.len(), 5, "{lines:#?}");
    assert!(lines.iter().all(|l| l.starts_with("the time is ")), "{lines:#?}");
}

#[test]
fn process_targets() {
    let lines = texts("process-targets");
    assert_eq!(set(&lines[..3]), set(&strs(&["the number squares to 49", "the number cubes to 125", "works"])));
    assert_eq!(lines[3], "we are done");
}

#[test]
fn process_default_arg() {
    let lines = texts("process-default-arg");
    let want = strs(&[
        "the name of continent is: asia",
        "the name of continent is: africa",
        "the name of continent is: latein",
    ]);
    assert_eq!(set(&lines), set(&want));
    assert_eq!(lines.len(), 3);
}

#[test]
fn ipc_queue() {
    assert_eq!(texts("ipc-queue"), ["[42, None, 'hello']"]);
}

#[test]
fn ipc_pipe() {
    assert_eq!(texts("ipc-pipe"), ["[24, 'hello']", "hello"]);
}

#[test]
fn process_lock() {
    let lines = texts("process-lock");
    let want: Vec<String> = (0..10).map(|i| format!("hello {i}")).collect();
    assert_eq!(set(&lines), set(&want));
    assert_eq!(lines.len(), 10);
}

#[test]
fn process_nolock() {
    let lines = texts("process-nolock");
    let want: Vec<String> = (0..4).map(|i| format!("hello {i}")).collect();
    assert_eq!(set(&lines), set(&want));
    assert_eq!(lines.len(), 4);
}

#[test]
fn shared_value_array() {
    assert_eq!(texts("shared-value-array"), ["0.0", "3.14", "[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]"]);
}

#[test]
fn a_plain_list_is_not_shared() {
    let lines = texts("manager-plain-list");
    assert_eq!(lines.len(), 4, "{lines:#?}");
    assert_eq!(lines[0], "['a', 'b', 'c']");
    assert_eq!(lines[2], "['a', 'b']");
}

#[test]
fn a_manager_list_is_shared() {
    let lines = texts("manager-list");
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert_eq!(lines[0], "['a', 'b', 'c']");
    assert_eq!(lines[2], "['a', 'b', 'c']");
}

#[test]
fn pool_apply_async_runs_on_at_most_9_workers() {
    let lines = texts("pool-apply-async");
    assert_eq!(lines.len(), 30, "{lines:#?}");
    for n in 0..10 {
        assert!(lines.contains(&format!("This is fun{n} running")), "{lines:#?}");
        assert!(lines.contains(&format!("This is fun{n} ending")), "{lines:#?}");
    }
    let pids: BTreeSet<&str> = lines.iter().filter_map(|l| l.strip_prefix("My id is ")).collect();
    assert!((1..=9).contains(&pids.len()), "{pids:?}");
}

#[test]
fn pool_apply_async_callback() {
    let lines = texts("pool-apply-async-callback");
    assert_eq!(lines.len(), 1);
    let mut got: Vec<u32> =
        lines[0].trim_matches(['[', ']']).split(", ").map(|n| n.parse().expect("a number")).collect();
    got.sort();
    assert_eq!(got, [0, 1, 4, 9, 16, 25]);
}

#[test]
fn pool_map_async() {
    let lines = texts("pool-map-async");
    assert!(lines[0].starts_with("<multiprocessing.pool.MapResult object at 0x"), "{lines:#?}");
    assert_eq!(lines[1..], ["[9, 16, 25, 1]"]);
}

#[test]
fn pool_map_async_callback() {
    assert_eq!(texts("pool-map-async-callback"), ["[[9, 16, 25, 1]]"]);
}

#[test]
fn pool_callback_runs_in_the_main_process() {
    let c = run("pool-callback-main");
    let lines = c.lines();
    assert_eq!(lines.len(), 30, "{lines:#?}");
    // The callback `a` prints; it runs in the parent (its pool's result handler thread), not
    // in a worker.
    assert!(lines.iter().all(|(who, _)| who == "Thread-3 (_handle_results)"), "{lines:#?}");
    let numbers: BTreeSet<&str> = lines.iter().skip(1).step_by(3).map(|(_, t)| t.as_str()).collect();
    assert_eq!(numbers.len(), 10, "{lines:#?}");
}

#[test]
fn pool_apply_vs_apply_async() {
    let lines = texts("pool-apply-vs-async");
    let at = |s: &str| lines.iter().position(|l| l == s).unwrap_or_else(|| panic!("no {s}: {lines:#?}"));
    assert!(at("--start1--") < at("--end1--"));
    assert!(at("--end1--") < at("--start2--"));
    assert_eq!(lines.last().map(String::as_str), Some("--end2--"));
    assert_eq!(lines.iter().filter(|l| l.starts_with("running,pid=")).count(), 14);
    assert_eq!(lines.iter().filter(|l| l.starts_with("time is ")).count(), 14);
    // apply() blocks: between --end1-- and --start2-- each task's two lines come in turn.
    let blocking = &lines[at("--end1--") + 1..at("--start2--")];
    for pair in blocking.chunks(2) {
        assert!(pair[0].starts_with("running,pid=") && pair[1].starts_with("time is "), "{blocking:#?}");
    }
}

#[test]
fn pool_apply_async_get() {
    assert_eq!(texts("pool-apply-async-get"), ["[9, 9, 9, 9, 9, 9]"]);
}

#[test]
fn pool_map() {
    assert_eq!(texts("pool-map"), ["[1, 1, 4, 27, 256, 3125, 46656, 823543, 16777216, 387420489]"]);
}

#[test]
fn pool_map_workers() {
    let lines = texts("pool-map-workers");
    assert_eq!(lines.len(), 19, "{lines:#?}");
    let workers: BTreeSet<&str> = lines[..17].iter().map(String::as_str).collect();
    assert!(workers.len() <= 3, "{workers:#?}");
    // Python 3.12's repr (the tutorial's 3.7 printed `<ForkProcess(ForkPoolWorker-24, started
    // daemon)>`).
    let shape = |w: &&str| w.starts_with("<ForkProcess name='ForkPoolWorker-") && w.ends_with(" started daemon>");
    assert!(workers.iter().all(shape), "{workers:#?}");
    assert_eq!(lines[17], "[256, 4, 27, 3125, 27, 4, 1, 4]");
    assert_eq!(lines[18], "[256, 46656, 3125, 256, 46656, 27, 20880467999847912034355032910567, 256, 46656]");
}

#[test]
fn ipc_rand() {
    let lines = texts("ipc-rand");
    assert_eq!(lines.len(), 1);
    let numbers: Vec<f64> =
        lines[0].trim_matches(['[', ']']).split(", ").map(|n| n.parse().expect("a float")).collect();
    assert_eq!(numbers.len(), 4);
    assert!(numbers.iter().all(|n| (0.0..1.0).contains(n)));
}

#[test]
fn ipc_job_sum() {
    assert_eq!(texts("ipc-job-sum"), ["499667166000"]);
}

#[test]
fn the_benchmark_cell_sums_the_same_three_ways() {
    let lines = texts("benchmark");
    let sum = "499999666667166666000000";
    assert_eq!(lines.len(), 6, "{lines:#?}");
    for (i, way) in ["normal", "multithread", "multicore"].iter().enumerate() {
        assert_eq!(lines[2 * i], format!("{way}: {sum}"));
        assert!(lines[2 * i + 1].starts_with(&format!("{way} time: ")), "{lines:#?}");
    }
}

#[test]
fn queue_fifo_empty_loop() {
    assert_eq!(
        texts("queue-fifo-empty-loop"),
        [
            "pushing items to queue:",
            "item no: 1 red",
            "item no: 2 blue",
            "item no: 3 green",
            "",
            "popping items from queue:",
            "item no:  0   red",
            "item no:  1   blue",
            "item no:  2   green"
        ]
    );
}

#[test]
fn pool_mixed() {
    let squares = "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]";
    assert_eq!(texts("pool-mixed"), [squares, "4", squares]);
}

/// Runs a program of the test's own (not a tab).
fn run_source(source: &str) -> Captured {
    capture_with(true, || pp_python::interp::run_in_this_process(source))
}

#[test]
fn fork_is_the_start_method_and_spawn_runs_the_main_module_again() {
    let c = run_source(
        "import multiprocessing as mp\n\
         print(mp.get_start_method())\n\
         def name(q):\n    q.put(__name__)\n\
         if __name__ == '__main__':\n\
         \x20   ctx = mp.get_context('spawn')\n\
         \x20   q = ctx.Queue()\n\
         \x20   p = ctx.Process(target=name, args=(q,))\n\
         \x20   p.start()\n\
         \x20   print(q.get(timeout=20))\n\
         \x20   p.join()\n\
         \x20   try:\n\
         \x20       ctx.Process(target=lambda: None).start()\n\
         \x20   except Exception as e:\n\
         \x20       print(type(e).__name__)\n",
    );
    assert_eq!(c.exit.code, 0, "{:#?}", c.texts());
    // The spawned child ran the top level again (its `fork` line), not the guarded block.
    assert_eq!(c.texts(), ["fork", "fork", "__mp_main__", "PicklingError"]);
}

#[test]
fn set_start_method_spawn_runs_the_main_module_again() {
    let c = run_source(
        "import multiprocessing as mp\n\
         def name(q):\n    q.put((__name__, mp.get_start_method()))\n\
         if __name__ == '__main__':\n\
         \x20   mp.set_start_method('spawn')\n\
         \x20   print(mp.get_start_method())\n\
         \x20   q = mp.Queue()\n\
         \x20   p = mp.Process(target=name, args=(q,))\n\
         \x20   p.start()\n\
         \x20   print(q.get(timeout=20))\n\
         \x20   p.join()\n\
         \x20   try:\n\
         \x20       mp.set_start_method('fork')\n\
         \x20   except RuntimeError as e:\n\
         \x20       print('RuntimeError:', e)\n",
    );
    assert_eq!(c.exit.code, 0, "{:#?}", c.texts());
    assert_eq!(c.texts(), ["spawn", "('__mp_main__', 'spawn')", "RuntimeError: context has already been set"]);
}

/// What does not pickle stays behind as a placeholder that says why; the rest is carried.
#[test]
fn a_global_that_does_not_pickle_is_a_placeholder_in_the_child() {
    let c = run_source(
        "import multiprocessing as mp, threading\n\
         n = 42\n\
         guard = threading.Lock()\n\
         def child(q):\n\
         \x20   try:\n\
         \x20       guard.acquire()\n\
         \x20       q.put('acquired')\n\
         \x20   except NameError as e:\n\
         \x20       q.put((n, str(e)))\n\
         q = mp.Queue()\n\
         p = mp.Process(target=child, args=(q,))\n\
         p.start()\n\
         got = q.get(timeout=20)\n\
         p.join()\n\
         print(got[0])\n\
         print(got[1])\n\
         try:\n\
         \x20   mp.Process(target=child, args=(guard,)).start()\n\
         except Exception as e:\n\
         \x20   print(type(e).__name__)\n",
    );
    assert_eq!(c.exit.code, 0, "{:#?}", c.texts());
    let texts = c.texts();
    assert_eq!(texts[0], "42", "{texts:#?}");
    assert!(texts[1].starts_with("'guard' was not carried to this process: TypeError"), "{texts:#?}");
    // An argument is pickled with the Process: one that cannot be is start()'s error (a fork
    // would copy it; the README's table says so).
    assert_eq!(texts[2], "TypeError", "{texts:#?}");
}

#[test]
fn an_unguarded_spawn_gets_cpythons_error_in_the_child() {
    let c = run_source(
        "import multiprocessing as mp\n\
         ctx = mp.get_context('spawn')\n\
         def f():\n    pass\n\
         p = ctx.Process(target=f)\n\
         p.start()\n\
         p.join()\n\
         print('exit code', p.exitcode)\n",
    );
    assert_eq!(c.exit.code, 0, "{:#?}", c.texts());
    let texts = c.texts();
    assert!(
        texts.iter().any(|t| t.contains("An attempt has been made to start a new process before the")),
        "{texts:#?}"
    );
    assert_eq!(texts.last().map(String::as_str), Some("exit code 1"));
}

#[test]
fn bad_pools_get_cpythons_errors() {
    let c = run_source(
        "from multiprocessing import Pool\n\
         def f(x):\n    return x\n\
         def boom(x):\n    raise KeyError('no %s' % x)\n\
         try:\n    Pool(0)\nexcept ValueError as e:\n    print('ValueError:', e)\n\
         p = Pool(2)\n\
         try:\n    p.apply(boom, (7,))\nexcept KeyError as e:\n    print('KeyError:', e, '|', 'boom' in str(e.__cause__))\n\
         p.close()\n\
         try:\n    p.map(f, [1])\nexcept ValueError as e:\n    print('ValueError:', e)\n\
         p.join()\n\
         with Pool(2) as q:\n    print(q.starmap(pow, [(2, 3), (3, 2)]), sorted(q.imap_unordered(f, range(3))))\n",
    );
    assert_eq!(c.exit.code, 0, "{:#?}", c.texts());
    assert_eq!(
        c.texts(),
        [
            "ValueError: Number of processes must be at least 1",
            "KeyError: 'no 7' | True",
            "ValueError: Pool not running",
            "[8, 9] [0, 1, 2]"
        ]
    );
}

#[test]
fn a_childs_exit_code_is_its_sys_exit_or_1_for_an_exception() {
    let c = run_source(
        "import multiprocessing as mp, sys\n\
         def leave(n):\n    sys.exit(n)\n\
         def fail():\n    raise RuntimeError('child failed')\n\
         for target, args in [(leave, (3,)), (leave, (0,)), (fail, ())]:\n\
         \x20   p = mp.Process(target=target, args=args)\n\
         \x20   p.start()\n\
         \x20   p.join()\n\
         \x20   print(p.exitcode)\n",
    );
    assert_eq!(c.exit.code, 0, "{:#?}", c.texts());
    let texts = c.texts();
    let codes: Vec<&str> = texts.iter().filter(|t| t.len() == 1).map(String::as_str).collect();
    assert_eq!(codes, ["3", "0", "1"], "{texts:#?}");
    assert!(texts.iter().any(|t| t == "RuntimeError: child failed"), "{texts:#?}");
}

/// A warm process builds its interpreter and imports what a child imports before it has a
/// runtime (`interp::warm_child`, the browser's spare instances): a program then run on it
/// is the process's main thread and main process, and its children and pool work.
#[test]
fn an_interpreter_readied_before_its_runtime_runs_a_program_as_a_booted_one() {
    let source = "import threading, multiprocessing as mp\n\
                  def square(x):\n    return x * x\n\
                  def put(q):\n    q.put(mp.current_process().name)\n\
                  print(threading.current_thread() is threading.main_thread(), threading.current_thread().name)\n\
                  print(mp.current_process().name, mp.parent_process())\n\
                  q = mp.Queue()\n\
                  p = mp.Process(target=put, args=(q,))\n\
                  p.start()\n\
                  print(q.get())\n\
                  p.join()\n\
                  with mp.Pool(2) as pool:\n    print(pool.map(square, [1, 2, 3]))\n";
    let texts = std::thread::spawn(move || {
        pp_python::interp::warm_child();
        let c = capture_with(true, || pp_python::interp::run_in_this_process(source));
        assert_eq!(c.exit.code, 0, "{:#?}", c.lines());
        c.texts()
    })
    .join()
    .expect("the program's thread");
    assert_eq!(texts, ["True MainThread", "MainProcess None", "Process-1", "[1, 4, 9]"]);
}
