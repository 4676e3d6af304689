//! Programs the browser tests run in real workers (`tests/web_processes.rs`): what only the
//! browser can show (a busy child terminated, a trapping pool task, processes with threads of
//! their own). Not part of any build of the page (the `testing` feature).

use crate::params::Params;
use pp_multiprocessing::{Pool, Process, Queue, TargetId};
use pp_platform::module::ModuleName;
use pp_runtime::println;
use pp_runtime::PyResult;

fn tiny(x: u32) -> u32 {
    x.wrapping_mul(2)
}

fn spin_forever(_: ()) {
    let mut x = 0u64;
    loop {
        x = std::hint::black_box(x.wrapping_add(1));
    }
}

/// A child that never blocks nor prints is still ended by `terminate()` (the browser
/// terminates its worker): `terminated exitcode=-15`.
pub fn terminate_busy_program(_: &Params) -> PyResult<()> {
    let p = Process::new(spin_forever, ());
    p.start()?;
    pp_runtime::threading::sleep(0.2);
    p.terminate();
    p.join(Some(10.0))?;
    println!("terminated exitcode={:?} alive={}", p.exitcode(), p.is_alive());
    Ok(())
}

fn maybe_panic(x: i64) -> i64 {
    if x == 1 {
        panic!("task {x} has a bug");
    }
    x * 10
}

/// A task that traps its worker fails its own result; the pool replaces the worker and
/// goes on: `trap ok0=0 err1=... ok2=20 after=[0, 10, 20]`... printed line by line.
pub fn pool_trap_program(_: &Params) -> PyResult<()> {
    let pool = Pool::new(2)?;
    let results: Vec<_> = (0..3).map(|i| pool.apply_async(maybe_panic, i)).collect::<PyResult<_>>()?;
    for (i, r) in results.iter().enumerate() {
        match r.get(Some(30.0)) {
            Ok(v) => println!("task {i}: {v}"),
            Err(e) => println!("task {i}: {e}"),
        }
    }
    println!("after: {:?}", pool.map(tiny, 0..4, None)?);
    Ok(())
}

fn threads_in_child(n: usize) -> PyResult<()> {
    let threads: Vec<_> = (0..n)
        .map(|_| {
            pp_runtime::threading::Thread::new(|| {
                let name = pp_runtime::threading::current_thread().name();
                println!("{name} in {}", pp_multiprocessing::current_process().name());
            })
        })
        .collect();
    threads.iter().try_for_each(|t| t.start())?;
    threads.iter().try_for_each(|t| t.join(None))
}

fn panics(_: ()) {
    panic!("a bug in the child");
}

/// The process modes the tutorial names, in real workers: two processes with two threads
/// each, a child that traps, a child killed in its sleep. Prints the threads' lines, then
/// `exitcodes [0, 0, 1, -9]`.
pub fn process_modes_program(_: &Params) -> PyResult<()> {
    let with_threads = [Process::new(threads_in_child, 2), Process::new(threads_in_child, 2)];
    with_threads.iter().try_for_each(Process::start)?;
    with_threads.iter().try_for_each(|p| p.join(None))?;
    let trapping = Process::new(panics, ());
    trapping.start()?;
    trapping.join(Some(30.0))?;
    let killed = Process::new(pp_runtime::threading::sleep, 3600.0);
    killed.start()?;
    pp_runtime::threading::sleep(0.1);
    killed.kill();
    killed.join(Some(30.0))?;
    let codes: Vec<_> = with_threads.iter().chain([&trapping, &killed]).map(|p| p.exitcode()).collect();
    println!("exitcodes {codes:?}");
    Ok(())
}

fn asserts_wrongly_then_puts(q: Queue<u32>) {
    assert_eq!(1 + 1, 3, "deliberately failing assert in a child process");
    let _ = q.put(&1);
}

/// A child whose assert fails while its parent waits for it with no deadline: the browser
/// tests' harness must fail the run at once (`tests/web_processes.rs`).
pub fn child_assert_program(_: &Params) -> PyResult<()> {
    let q = Queue::new(0)?;
    Process::new(asserts_wrongly_then_puts, q.clone()).start()?;
    q.get()?;
    Ok(())
}

/// The named target the test module's children run in either of its names (a type's hash
/// would also do here, one build; a module that is really another names its targets).
const REPORT_MODULE: &str = "test-report-module";
/// `pp_web::testing::OTHER_MODULE`: the test's code under a second name (this file is not
/// the browser's, so the name is written here again).
const OTHER_MODULE: &str = "test-other";

fn this_module() -> &'static str {
    pp_platform::module::this_module().map_or("no module", |m| m.as_str())
}

/// A child says which module it is an instance of; the first one starts its own child,
/// naming no module: it is its parent's, not the run's.
fn report_module(tag: &[u8]) -> PyResult<()> {
    let tag = String::from_utf8_lossy(tag);
    println!("{tag} in {}", this_module());
    if tag == "child" {
        let grandchild = Process::with_target(TargetId::named(REPORT_MODULE), b"grandchild".to_vec());
        grandchild.start()?;
        grandchild.join(Some(30.0))?;
    }
    Ok(())
}

/// Children in another module than their parent's, by name: one the host knows, and one it
/// does not, which ends with exit code 1 and says why. Prints `parent in test`,
/// `child in test-other`, `grandchild in test-other`, the refusal, then
/// `exitcodes [Some(0), Some(1)]`.
pub fn other_module_program(_: &Params) -> PyResult<()> {
    println!("parent in {}", this_module());
    let named = |tag: &[u8], module: &str| {
        Process::with_target(TargetId::named(REPORT_MODULE), tag.to_vec()).in_module(ModuleName::new(module))
    };
    let (child, lost) = (named(b"child", OTHER_MODULE), named(b"lost", "nowhere"));
    for p in [&child, &lost] {
        p.start()?;
        p.join(Some(30.0))?;
    }
    println!("exitcodes {:?}", [child.exitcode(), lost.exitcode()]);
    Ok(())
}

/// What this file's processes and pools run, registered by every instance of the module
/// (`programs::register_targets`): a child finds its target by name.
pub(crate) fn registered_targets() -> Vec<pp_multiprocessing::Target> {
    use pp_multiprocessing::Target;
    vec![
        Target::of(tiny),
        Target::of(spin_forever),
        Target::of(maybe_panic),
        Target::of(threads_in_child),
        Target::of(panics),
        Target::of(pp_runtime::threading::sleep),
        Target::of(asserts_wrongly_then_puts),
        Target::named(REPORT_MODULE, report_module),
    ]
}
