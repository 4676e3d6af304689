//! Processes in the browser (`wasm-pack test`, a dedicated worker as the host): each is a
//! worker with its own instance and memory. Separate memory is real, terminate ends even a
//! busy child, a trapping task does not kill its pool, and two processes run a CPU-bound job
//! faster than one.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{run_example, run_example_with};
use pp_web::testing::Panics;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// The processes these tests start run the playground's programs: link their registration,
/// which the worker bootstrap calls in every worker (nothing here calls it, so the linker
/// would leave it out of the test's module).
#[used]
static LINK_PROGRAMS: fn() = parallel_playground::pp_module_init;

#[wasm_bindgen_test]
async fn a_childs_write_to_a_copy_is_not_seen_but_a_values_is() {
    let plain = run_example("manager-plain-list", "", 60_000.0).await;
    assert_eq!(plain.outcome, Ok(0), "{:?}", plain.lines());
    let texts = plain.texts();
    assert_eq!(texts[0], "['a', 'b', 'c']", "the child's copy");
    assert_eq!(texts[2], "['a', 'b']", "the parent's list, untouched");
    assert_eq!(plain.lines()[0].0, "Process-1", "printed by the child process");
    let shared = run_example("shared-value-array", "", 60_000.0).await;
    assert_eq!(shared.texts(), vec!["0.0", "3.14", "[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]"]);
    let managed = run_example("manager-list", "", 60_000.0).await;
    assert_eq!(managed.texts(), vec!["['a', 'b', 'c']", "['a', 'b', 'c']"]);
}

#[wasm_bindgen_test]
async fn processes_have_their_own_pids_and_talk_through_queues_and_pipes() {
    let pids = run_example("process-pids", "", 60_000.0).await;
    assert_eq!(pids.outcome, Ok(0));
    let children: std::collections::HashSet<String> =
        pids.texts().into_iter().filter(|l| l.starts_with("当前子进程id")).collect();
    assert_eq!(children.len(), 4, "four distinct child pids");
    assert_eq!(pids.processes.len(), 5, "the parent and four children wrote");
    assert_eq!(run_example("ipc-queue", "", 60_000.0).await.texts(), vec!["[42, None, 'hello']"]);
    assert_eq!(run_example("ipc-pipe", "", 60_000.0).await.texts(), vec!["[24, 'hello']", "hello"]);
}

#[wasm_bindgen_test]
async fn terminate_ends_a_busy_child() {
    let run = run_example("test-terminate-busy", "", 60_000.0).await;
    assert_eq!(run.outcome, Ok(0), "{:?}", run.lines());
    assert_eq!(run.texts(), vec!["terminated exitcode=Some(-15) alive=false"]);
}

#[wasm_bindgen_test]
async fn a_trapping_task_fails_alone_and_the_pool_goes_on() {
    let run = run_example_with("test-pool-trap", "", 60_000.0, Panics::Expected).await;
    assert_eq!(run.outcome, Ok(0), "{:?}", run.lines());
    let texts = run.texts();
    assert!(texts.contains(&"task 0: 0".to_string()), "{texts:?}");
    assert!(
        texts.iter().any(|l| l.starts_with("task 1: RuntimeError: the pool's worker SpawnPoolWorker-")),
        "{texts:?}"
    );
    assert!(texts.contains(&"task 2: 20".to_string()), "{texts:?}");
    assert!(texts.contains(&"after: [0, 2, 4, 6]".to_string()), "{texts:?}");
}

#[wasm_bindgen_test]
async fn pool_examples_give_the_tutorials_results() {
    assert_eq!(run_example("pool-first", "", 60_000.0).await.texts(), vec!["[1, 4, 9]"]);
    assert_eq!(
        run_example("pool-map", "", 60_000.0).await.texts(),
        vec!["[1, 1, 4, 27, 256, 3125, 46656, 823543, 16777216, 387420489]"]
    );
    let workers = run_example("pool-map-workers", "", 60_000.0).await.texts();
    assert_eq!(workers[18], "[256, 46656, 3125, 256, 46656, 27, 20880467999847912034355032910567, 256, 46656]");
}

#[wasm_bindgen_test]
async fn two_processes_run_the_cpu_bound_job_faster_than_one() {
    let run = run_example("bench-cpu", "n=40000000", 120_000.0).await;
    assert_eq!(run.outcome, Ok(0), "{:?}", run.lines());
    let texts = run.texts();
    let median = |name: &str| {
        texts.iter().filter_map(|l| parallel_playground::bench::parse_line(l)).find(|(n, _)| n == name).expect(name).1
    };
    let speedup = median("cpu_job_twice_sequential") / median("cpu_job_on_two_processes");
    // Real parallelism on two cores, with the processes' start-up included: well above 1.
    assert!(speedup > 1.2, "{speedup:.2}x: {texts:?}");
}

#[wasm_bindgen_test]
async fn children_start_threads_of_their_own_trap_alone_and_can_be_killed() {
    let run = run_example_with("test-process-modes", "", 60_000.0, Panics::Expected).await;
    assert_eq!(run.outcome, Ok(0), "{:?}", run.lines());
    let mut threads: Vec<_> = run.lines().into_iter().filter(|(_, t)| t.contains(" in Process-")).collect();
    threads.sort();
    let expected =
        [("Process-1", "Thread-1"), ("Process-1", "Thread-2"), ("Process-2", "Thread-1"), ("Process-2", "Thread-2")];
    assert_eq!(threads.len(), 4, "{threads:?}");
    for ((who, text), (process, thread)) in threads.iter().zip(expected) {
        assert_eq!(text, &format!("{thread} in {process}"));
        assert!(who.contains(process), "{who} printed {text}");
    }
    assert!(run.texts().iter().any(|t| t.contains("a bug in the child")), "the trap is reported: {:?}", run.texts());
    assert_eq!(run.texts().last().unwrap(), "exitcodes [Some(0), Some(0), Some(1), Some(-9)]");
}

/// A child process is told which module to be by name (the host keeps the modules it knows),
/// its own children are of its module, and a name the host does not know ends the child
/// with exit code 1 and a line that says why, while its parent goes on.
#[wasm_bindgen_test]
async fn a_child_can_be_another_module_than_its_parent() {
    let run = run_example("test-other-module", "", 60_000.0).await;
    assert_eq!(run.outcome, Ok(0), "{:?}", run.lines());
    let who = |text: &str| run.lines().into_iter().find(|(_, t)| t == text).map(|(w, _)| w);
    let (test, other) = (pp_web::testing::TEST_MODULE, pp_web::testing::OTHER_MODULE);
    assert_eq!(who(&format!("parent in {test}")).as_deref(), Some("MainThread"), "{:?}", run.lines());
    assert_eq!(who(&format!("child in {other}")).as_deref(), Some("Process-1"), "{:?}", run.lines());
    assert_eq!(who(&format!("grandchild in {other}")).as_deref(), Some("Process-1:1"), "{:?}", run.lines());
    let refusal = "Process-2 could not start: no module named 'nowhere' is known here";
    assert_eq!(who(refusal).as_deref(), Some("Process-2"), "{:?}", run.lines());
    assert_eq!(run.texts().last().unwrap(), "exitcodes [Some(0), Some(1)]");
}

/// Proves the harness in the browser: a failed assert in a child process (a worker with a
/// memory of its own, which traps) fails the run at once, though its parent waits with no
/// deadline for what the child never sends; not at the run's deadline, and not by passing.
#[wasm_bindgen_test]
#[should_panic(expected = "deliberately failing assert in a child process")]
async fn a_failed_assert_in_a_child_process_fails_its_test() {
    let started = pp_web::js::now_ms();
    let run = run_example("test-child-assert", "", 60_000.0).await;
    assert!(pp_web::js::now_ms() - started < 20_000.0, "the failure took {} ms", pp_web::js::now_ms() - started);
    run.outcome.unwrap();
}
