//! The catalogue's examples, run natively through the same ring the browser host reads:
//! deterministic outputs of the tutorial must come out of running the code.
#![cfg(not(target_arch = "wasm32"))]

use parallel_playground::{examples, params};
use pp_testing::harness::{capture_with, Captured};

/// Runs an example as a process of the module does: with the module's targets registered,
/// and only those (a target missing from a list fails here as it would in the browser).
fn run(id: &str, raw: &[(&str, &str)]) -> Captured {
    parallel_playground::programs::register_targets();
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

/// Every example that starts processes or a pool runs natively with only its module's
/// registered targets (the lists a child process looks its target up in), with short
/// parameters; none stops at a target that cannot cross.
#[test]
fn every_example_runs_with_the_modules_targets_only() {
    let short = [
        ("sleep", "0.05"),
        ("interval", "0.05"),
        ("max_sleep", "0.1"),
        ("fix", "1"),
        ("processes", "1"),
        ("number", "5000"),
        ("n", "20000"),
        ("downloads", "2"),
    ];
    let crossing = |source: &str| ["Process::", "Pool::"].iter().any(|s| source.contains(s));
    for ex in examples::CATALOGUE.iter().filter(|ex| crossing(ex.rust.source)) {
        let raw: Vec<(&str, &str)> =
            short.iter().copied().filter(|(name, _)| ex.params.iter().any(|p| p.name == *name)).collect();
        let texts = run(ex.id, &raw).texts().join("\n");
        assert!(!texts.contains("cannot cross to another process"), "{}: {texts}", ex.id);
    }
}

#[test]
fn every_example_shows_its_tutorial_cell() {
    for ex in examples::CATALOGUE {
        let py = ex.python();
        assert_eq!(py.contains("In ["), ex.has_code, "{}: lines {:?}", ex.id, ex.lines);
        assert!(!ex.rust.source.is_empty());
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
    assert_eq!(bad("threads", "99999999999999999999")[0].1, "threads: the number is too large (at most 64)");
    assert_eq!(bad("threads", "-99999999999999999999")[0].1, "threads: the number is too small (at least 1)");
    assert_eq!(bad("threads", " ")[0].1, "threads is empty");
}

/// A run's request is typed once, from the address's pairs (the page's form, a share link),
/// with the run's options read by one rule; the process checks the values again against what
/// the program declares.
#[test]
fn a_request_is_typed_once_and_checked_again_by_the_process() {
    use parallel_playground::programs;
    use pp_platform::request::{Number, ParamValue, Program};
    let r = programs::request_from_query("lock-counter", "threads=8&gil=off").unwrap();
    assert!(!r.options.gil);
    let Program::Registered { id, params } = &r.program else { panic!("{r:?}") };
    assert_eq!(id, "lock-counter");
    assert!(params.contains(&ParamValue { name: "threads".into(), value: Number::Int(8) }), "{params:?}");
    // The example's own default: the GIL on, as the tutorial's CPython.
    assert!(programs::request_from_query("lock-counter", "").unwrap().options.gil);
    assert_eq!(programs::request_from_query("lock-counter", "gil=maybe").unwrap_err()[0].0, "gil");
    assert_eq!(programs::request_from_query("lock-counter", "threads=0").unwrap_err()[0].0, "threads");

    let declared = examples::find("lock-counter").unwrap().params;
    let value = |name: &str, value| ParamValue { name: name.into(), value };
    assert!(params::from_values(declared, &[value("threads", Number::Int(4))]).is_ok());
    let refused = |given: ParamValue| params::from_values(declared, &[given]).unwrap_err();
    assert_eq!(refused(value("threads", Number::Int(0))), "threads must be between 1 and 64");
    assert_eq!(refused(value("threads", Number::Float(2.5))), "threads must be a whole number");
    assert!(refused(value("thread", Number::Int(2))).starts_with("unknown parameter"));
}

/// Parameter parsing fuzzed: random strings (ASCII, digits, signs, exponents, huge and
/// negative numbers, unicode, percent-escapes) through the URL decoder and every example's
/// check never panic, and whatever passes is inside its declared range.
#[test]
fn parameter_parsing_survives_random_input() {
    use parallel_playground::params::{ParamKind, Value};
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let pieces = [
        "0",
        "1",
        "9",
        "-",
        "+",
        ".",
        "e",
        "E",
        "1e308",
        "1e999",
        "-1e999",
        "NaN",
        "inf",
        "-inf",
        "99999999999999999999",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        " ",
        "%",
        "%2",
        "%zz",
        "%e4%b8%ad",
        "中",
        "\u{1F600}",
        "\u{0}",
        "&",
        "=",
        "+",
        "0x10",
        "1_000",
        "٣",
        "１２",
    ];
    for _ in 0..20_000 {
        let len = (next() % 6) as usize;
        let raw: String = (0..len).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect();
        for (_, value) in params::parse_query(&format!("x={raw}&{raw}")) {
            for ex in examples::CATALOGUE {
                for p in ex.params {
                    match (p.check(&value), p.kind) {
                        (Ok(Value::Int(v)), ParamKind::Int { min, max }) => {
                            assert!((min..=max).contains(&v), "{value:?}")
                        }
                        (Ok(Value::Float(v)), ParamKind::Float { min, max }) => {
                            assert!(v.is_finite() && v >= min && v <= max, "{value:?}")
                        }
                        (Ok(v), kind) => panic!("{value:?} gave {v:?} for {kind:?}"),
                        (Err(problem), _) => assert!(!problem.describe(p.label).is_empty()),
                    }
                }
            }
        }
    }
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
    // Main sleeps two of bar's periods, so a bar thread may wake with it and print once more
    // before the program's end stops it (CPython's daemons can too); no more than that.
    let exit = t.iter().position(|l| l == "Main Thread Exit.").expect("main's last line");
    let after = &t[exit + 1..];
    assert!(after.len() <= 3 && after.iter().all(|l| l == "【bar】 daemon is True"), "the daemons were stopped: {t:?}");
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
    for processes in ["0", "1"] {
        for fix in ["1", "2"] {
            let c = run("pitfall-deadlock", &[("fix", fix), ("processes", processes)]);
            assert_eq!(
                c.texts().last().unwrap(),
                "both transfers done",
                "fix {fix}, processes {processes}: {:?}",
                c.texts()
            );
        }
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn intro_examples_multiply_in_threads_and_in_processes() {
    for id in ["intro-threads", "intro-processes"] {
        let c = run(id, &[("number", "2000")]);
        assert_eq!(c.exit.code, 0, "{id}: {:?}", c.texts());
        let lines = c.texts();
        assert_eq!(lines.len(), 2, "{id}: {lines:?}");
        assert!(lines.iter().all(|l| l.starts_with("product has ") && l.ends_with(" bits")), "{lines:?}");
    }
}

#[test]
fn process_examples() {
    assert_eq!(run("pool-first", &[]).texts(), vec!["[1, 4, 9]"]);
    assert!(run("cpu-count", &[]).texts()[0].parse::<usize>().unwrap() >= 1);
    assert_eq!(run("process-is-alive", &[]).texts(), vec!["hello, i am a child process", "True", "False"]);
    let pids = run("process-pids", &[]).texts();
    let parents: Vec<&String> = pids.iter().filter(|l| l.starts_with("父进程id")).collect();
    let children: std::collections::HashSet<&String> = pids.iter().filter(|l| l.starts_with("当前子进程id")).collect();
    assert_eq!((parents.len(), children.len()), (4, 4), "{pids:?}");
    assert!(parents.windows(2).all(|w| w[0] == w[1]), "one parent");
    let attrs = run("process-attrs", &[]);
    assert_eq!(attrs.lines()[2], ("Process-1".to_string(), "Process-1".to_string()));
    let clock = run("process-class", &[("interval", "0.05")]).texts();
    assert_eq!(clock.len(), 5);
    assert!(clock.iter().all(|l| l.starts_with("the time is ")));
    let targets = run("process-targets", &[]).texts();
    assert_eq!(targets.last().unwrap(), "we are done");
    assert_eq!(sorted(targets[..3].to_vec()), vec!["the number cubes to 125", "the number squares to 49", "works"]);
    assert_eq!(
        sorted(run("process-default-arg", &[]).texts()),
        vec!["the name of continent is: africa", "the name of continent is: asia", "the name of continent is: latein"]
    );
}

#[test]
fn ipc_examples() {
    assert_eq!(run("ipc-queue", &[]).texts(), vec!["[42, None, 'hello']"]);
    assert_eq!(run("ipc-pipe", &[]).texts(), vec!["[24, 'hello']", "hello"]);
    assert_eq!(sorted(run("process-lock", &[]).texts()), sorted((0..10).map(|i| format!("hello {i}")).collect()));
    assert_eq!(sorted(run("process-nolock", &[]).texts()), sorted((0..4).map(|i| format!("hello {i}")).collect()));
    assert_eq!(run("shared-value-array", &[]).texts(), vec!["0.0", "3.14", "[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]"]);
    let plain = run("manager-plain-list", &[]).texts();
    assert_eq!((plain[0].as_str(), plain[2].as_str()), ("['a', 'b', 'c']", "['a', 'b']"), "{plain:?}");
    assert_eq!(run("manager-list", &[]).texts(), vec!["['a', 'b', 'c']", "['a', 'b', 'c']"]);
}

#[test]
fn pool_examples() {
    assert!(run("pool-methods", &[]).texts()[3].starts_with("Pool.map_async"));
    let apply = run("pool-apply-async", &[("sleep", "0.05")]);
    let texts = apply.texts();
    assert_eq!(texts.iter().filter(|l| l.ends_with("running")).count(), 10);
    assert_eq!(texts.iter().filter(|l| l.ends_with("ending")).count(), 10);
    let ids: std::collections::HashSet<&String> = texts.iter().filter(|l| l.starts_with("My id is")).collect();
    assert!(ids.len() <= 9, "at most nine workers: {ids:?}");
    let squares = run("pool-apply-async-callback", &[]).texts();
    let mut got: Vec<i64> = squares[0].trim_matches(['[', ']']).split(", ").map(|s| s.parse().unwrap()).collect();
    got.sort();
    assert_eq!(got, vec![0, 1, 4, 9, 16, 25]);
    let map_async = run("pool-map-async", &[]).texts();
    assert!(map_async[0].starts_with("<multiprocessing.pool.MapResult object at 0x"));
    assert_eq!(map_async[1], "[9, 16, 25, 1]");
    assert_eq!(run("pool-map-async-callback", &[]).texts(), vec!["[[9, 16, 25, 1]]"]);
    let errors = run("pool-errors", &[]).texts().join("\n");
    assert!(errors.contains("task 2: get() raises ValueError: task 2 failed"), "{errors}");
    assert!(errors.contains("task 3: 30"), "{errors}");
    assert!(errors.contains("get() raises ValueError: task 2 failed: no result at all"), "{errors}");
    let main = run("pool-callback-main", &[]);
    assert_eq!(main.texts().iter().filter(|l| *l == "this is a start").count(), 10);
    assert!(main.lines().iter().all(|(who, _)| !who.contains("SpawnPoolWorker")), "callbacks run in the main process");
    let vs = run("pool-apply-vs-async", &[("max_sleep", "0.1")]).texts();
    assert!(vs.iter().any(|l| l.starts_with("--end1--")) && vs.iter().any(|l| l.starts_with("--end2--")));
    // apply waits for each task: between --end1-- and --start2-- every task ends before the next starts.
    let from = vs.iter().position(|l| l.starts_with("--end1--")).unwrap() + 1;
    let to = vs.iter().position(|l| l == "--start2--").unwrap();
    let kinds: Vec<&str> = vs[from..to].iter().map(|l| if l.starts_with("running") { "run" } else { "end" }).collect();
    assert_eq!(kinds, ["run", "end"].repeat(7), "apply ran tasks one after another: {vs:?}");
    assert_eq!(run("pool-apply-async-get", &[]).texts(), vec!["[9, 9, 9, 9, 9, 9]"]);
    assert_eq!(run("pool-map", &[]).texts(), vec!["[1, 1, 4, 27, 256, 3125, 46656, 823543, 16777216, 387420489]"]);
    let workers = run("pool-map-workers", &[]).texts();
    assert_eq!(workers.len(), 17 + 2);
    assert!(
        workers[..17]
            .iter()
            .all(|l| l.starts_with("<SpawnProcess name='SpawnPoolWorker-") && l.ends_with(" started daemon>")),
        "{workers:?}"
    );
    assert_eq!(workers[17], "[256, 4, 27, 3125, 27, 4, 1, 4]");
    assert_eq!(workers[18], "[256, 46656, 3125, 256, 46656, 27, 20880467999847912034355032910567, 256, 46656]");
}

#[test]
fn chapter_9_examples() {
    let rand = run("ipc-rand", &[]).texts();
    let numbers: Vec<f64> = rand[0].trim_matches(['[', ']']).split(", ").map(|s| s.parse().unwrap()).collect();
    assert!(numbers.len() == 4 && numbers.iter().all(|x| (0.0..1.0).contains(x)), "{rand:?}");
    assert_eq!(run("ipc-job-sum", &[]).texts(), vec!["499667166000"]);
    let bench = run("benchmark", &[("n", "1000000")]).texts();
    for label in ["normal", "multithread", "multicore"] {
        assert!(bench.contains(&format!("{label}: 499999666667166666000000")), "{label}: {bench:?}");
    }
    assert!(bench.contains(&"rayon: 499999666667166666000000".to_string()), "{bench:?}");
    assert_eq!(
        run("queue-fifo-empty-loop", &[]).texts(),
        vec![
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
    assert_eq!(
        run("pool-mixed", &[]).texts(),
        vec!["[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]", "4", "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]"]
    );
}

/// The port the page shows first: the example's entry function and what it uses, nothing of
/// the other examples of its file.
#[test]
fn every_example_shows_its_own_part_of_its_file() {
    use parallel_playground::examples::excerpt::excerpt;
    for ex in examples::CATALOGUE {
        let part =
            excerpt(ex.rust.source, ex.rust.entry).unwrap_or_else(|| panic!("{}: no fn {}", ex.id, ex.rust.entry));
        assert!(part.contains(&format!("fn {}(", ex.rust.entry)), "{}", ex.id);
        assert!(part.lines().count() <= ex.rust.source.lines().count());
        let entries =
            part.lines().filter(|l| l.contains("(_: &super::Params)") || l.contains("(p: &super::Params)")).count();
        assert_eq!(entries, 1, "{}: only its own entry function\n{part}", ex.id);
        let opening = ex.rust.source.lines().next().unwrap();
        assert!(part.starts_with(opening), "{}: the file's opening comment comes first", ex.id);
    }
    let part = |id: &str| examples::find(id).unwrap().rust.excerpt();
    let alive = part("process-is-alive");
    assert!(alive.contains("fn fun2(") && alive.contains("pub fn is_alive("), "{alive}");
    assert!(!alive.contains("fn foo(") && !alive.contains("fn pids("), "{alive}");
    let class = part("process-class");
    assert!(class.contains("struct ClockProcess") && class.contains("impl Run for ClockProcess"), "{class}");
    assert!(class.contains("#[derive(Serialize, Deserialize)]"), "attributes stay with their item: {class}");
    let bench = part("benchmark");
    for f in [
        "fn sum(",
        "fn sum_slice(",
        "fn job(",
        "fn multicore(",
        "fn normal(",
        "fn multithread(",
        "fn rayon_sum(",
        "fn timed(",
    ] {
        assert!(bench.contains(f), "{f} in {bench}");
    }
    assert!(!bench.contains("fn fifo_empty_loop("), "{bench}");
}

#[test]
fn pitfall_race_loses_only_without_its_lock() {
    let fixed = run("pitfall-race", &[("threads", "4"), ("increments", "20000"), ("fix", "1")]).texts();
    assert_eq!(
        fixed,
        ["4 threads x 20000 increments of one counter, under a Lock", "expected 80000, got 80000: no update lost"]
    );
    let raced = run("pitfall-race", &[("threads", "4"), ("increments", "20000")]).texts();
    assert_eq!(raced[0], "4 threads x 20000 increments of one counter, without a lock");
    // How many are lost is up to the scheduler; that a lost update can only lower the count is not.
    let got: i64 = raced[1].strip_prefix("expected 80000, got ").unwrap().split(':').next().unwrap().parse().unwrap();
    assert!((1..=80000).contains(&got), "{raced:?}");
}

#[test]
fn io_bound_times_three_ways() {
    let t = run("io-bound", &[("downloads", "3"), ("sleep", "0.05")]).texts();
    assert_eq!(t[0], "3 downloads of 0.05 s each");
    let secs = |line: &str, label: &str| -> f64 {
        line.strip_prefix(&format!("{label}: ")).unwrap().split(' ').next().unwrap().parse().unwrap()
    };
    assert!(secs(&t[1], "one after another") >= 0.15, "three sleeps of 0.05 s in a row: {t:?}");
    assert!(t[2].starts_with("threads: ") && t[2].ends_with("faster than one after another"), "{t:?}");
    assert!(t[3].starts_with("processes: "), "{t:?}");
}

#[test]
fn gil_times_one_two_and_four_threads_with_and_without_it() {
    let t = run("gil", &[("steps", "400000")]).texts();
    assert_eq!(t[0], "400000 steps of CPU-bound work, split over 1, 2 and 4 threads");
    for (line, label) in t[1..].iter().zip(["GIL on : 1 thread ", "GIL off: 1 thread "]) {
        assert!(line.starts_with(label) && line.contains(" | 2 threads ") && line.contains(" | 4 threads "), "{t:?}");
    }
    assert_eq!(t.len(), 3, "{t:?}");
}

#[test]
fn pitfall_livelock_gives_up_in_step_and_the_fix_gets_through() {
    let stuck = run("pitfall-livelock", &[("give_up", "3")]).texts();
    let gave_up: Vec<&String> = stuck.iter().filter(|l| l.contains("gives up after 3 tries: a livelock")).collect();
    assert!(!gave_up.is_empty(), "{stuck:?}");
    assert!(stuck.iter().filter(|l| l.contains("transfer done")).count() <= 1, "{stuck:?}");
    let fixed = run("pitfall-livelock", &[("fix", "1")]).texts();
    assert_eq!(
        fixed.iter().filter(|l| l.contains("holds both records") && l.ends_with("transfer done")).count(),
        2,
        "{fixed:?}"
    );
}

#[test]
fn pitfall_starvation_counts_both_threads_turns() {
    for (fix, lock) in [("0", "an unfair Lock"), ("1", "a fair lock")] {
        let t = run("pitfall-starvation", &[("seconds", "0.2"), ("fix", fix)]).texts();
        assert_eq!(t.len(), 1, "{t:?}");
        let rest = t[0].strip_prefix(&format!("0.2 s on {lock}: greedy ")).unwrap_or_else(|| panic!("{t:?}"));
        let (greedy, polite) = rest.split_once(" turns, polite ").unwrap();
        let (greedy, polite): (u64, u64) =
            (greedy.parse().unwrap(), polite.strip_suffix(" turns").unwrap().parse().unwrap());
        assert!(greedy > 0, "{t:?}");
        if fix == "1" {
            // First come, first served: the polite thread asks during the greedy one's turn
            // and is served next (unless the machine holds it up past that turn).
            assert!(polite * 2 >= greedy, "a fair lock shares the turns: {t:?}");
        }
    }
}

/// The benchmark's scaling sweep (src/bench/scaling.rs) runs natively too: a row for each kind
/// of worker and each count, the pool rows, and curves the page can draw. (Its sums are
/// checked inside: a wrong part would fail the run.)
#[test]
fn the_scaling_benchmark_gives_a_row_per_kind_and_worker_count() {
    parallel_playground::programs::register_targets();
    let program = parallel_playground::programs::program("bench-scaling").expect("the scaling program");
    let raw = [("n", "200000"), ("max", "2"), ("passes", "1")].map(|(k, v)| (k.to_string(), v.to_string()));
    let p = params::parse(program.params, &raw).expect("valid parameters");
    let c = capture_with(false, || (program.main)(&p));
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
    let rows: Vec<(String, f64)> = c.texts().iter().filter_map(|l| parallel_playground::bench::parse_line(l)).collect();
    let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
    for kind in ["processes", "threads", "rayon"] {
        for k in 1..=2 {
            assert!(names.contains(&format!("scaling_{kind}_{k}").as_str()), "{names:?}");
        }
    }
    assert!(names.contains(&"scaling_pool_map_chunksize_1_pool8"), "{names:?}");
    let curves = parallel_playground::bench::scaling::curves(rows.iter().map(|(n, ns)| (n.as_str(), *ns)));
    assert_eq!(curves.len(), 3);
}
