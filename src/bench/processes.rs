//! Benchmarks and checks of processes and pools, run as programs in a process of the page
//! (`#/bench`, `scripts/bench.sh`) and by the browser tests: `BENCH` lines as in `bench`.

use super::job::job;
use super::{report, report_recorded};
use pp_multiprocessing::{Pool, Process, Queue, ThreadPool};
use pp_platform::clock::Instant;
use pp_runtime::println;
use pp_runtime::PyResult;

pub(super) fn tiny(x: u32) -> u32 {
    x.wrapping_mul(2)
}

fn per_task(start: Instant, n: u64) -> f64 {
    start.elapsed().as_nanos() as f64 / n as f64
}

/// `Pool.map` over `n` tiny tasks: each chunk's round trip, amortized per task.
fn pool_map(pool: &Pool, n: u32, chunksize: Option<usize>) -> f64 {
    let start = Instant::now();
    let out = pool.map(tiny, 0..n, chunksize).expect("map");
    assert_eq!(out.len(), n as usize);
    per_task(start, u64::from(n))
}

fn apply_round_trip(pool: &Pool, n: u32) -> f64 {
    let start = Instant::now();
    for i in 0..n {
        pool.apply_async(tiny, i).and_then(|r| r.get(None)).expect("apply_async");
    }
    per_task(start, u64::from(n))
}

fn reply(q: Queue<u32>) -> PyResult<()> {
    q.put(&1)
}

/// From `Process.start()` to the child's first message back.
fn process_first_reply() -> f64 {
    let q = Queue::new(0).expect("queue");
    let start = Instant::now();
    let p = Process::new(reply, q.clone());
    p.start().expect("start");
    q.get().expect("reply");
    let ns = start.elapsed().as_nanos() as f64;
    p.join(None).expect("join");
    ns
}

/// [`process_first_reply`] once the `warm` children the host keeps are used up: the host's
/// restocks of the pass before are let finish (they come a second after each take, and
/// booting they would take a core), as many quick children take them, and the next start,
/// timed, boots a worker of its own. (The page says how many it keeps; natively a process is
/// a thread and none are kept.)
fn process_cold_first_reply(warm: usize) -> f64 {
    pp_runtime::threading::sleep(2.5);
    let q = Queue::new(0).expect("queue");
    let quick: Vec<Process> = (0..warm).map(|_| Process::new(reply, q.clone())).collect();
    quick.iter().try_for_each(Process::start).expect("start");
    for _ in &quick {
        q.get().expect("reply");
    }
    let ns = process_first_reply();
    quick.iter().try_for_each(|p| p.join(None)).expect("join");
    ns
}

/// The processes benchmarks, as one program.
pub fn processes_program(p: &crate::params::Params) -> PyResult<()> {
    let warm = p.int("warm") as usize;
    let pool = Pool::new(2)?;
    report("pool_map_chunksize_1", || pool_map(&pool, 10_000, Some(1)));
    report("pool_map_default_chunks", || pool_map(&pool, 10_000, None));
    report("pool_apply_async_round_trip", || apply_round_trip(&pool, 1_000));
    drop(pool);
    let threads = ThreadPool::threads(2)?;
    report_recorded("threadpool_map_chunksize_1", || pool_map(&threads, 10_000, Some(1)));
    report("threadpool_map_default_chunks", || pool_map(&threads, 10_000, None));
    drop(threads);
    report("process_start_to_first_reply", process_first_reply);
    // Three passes, not `report`'s eight: each waits out the restocks of the one before.
    crate::bench::print_line(
        "process_start_cold_to_first_reply",
        (0..3).map(|_| process_cold_first_reply(warm)).collect(),
    );
    Ok(())
}

fn job_into((q, n): (Queue<u128>, u64)) -> PyResult<()> {
    q.put(&job(n))
}

/// The job of size `n` twice in this process, then once in each of two processes (their start
/// included): the two times, in seconds. Side by side, so a slow spell of this shared machine
/// hits both alike.
fn sequential_and_two_processes(n: u64) -> PyResult<(f64, f64)> {
    let start = Instant::now();
    let expected = job(n) + job(n);
    let sequential_s = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let q = Queue::new(0)?;
    let ps = [Process::new(job_into, (q.clone(), n)), Process::new(job_into, (q.clone(), n))];
    ps.iter().try_for_each(Process::start)?;
    let got = q.get()? + q.get()?;
    ps.iter().try_for_each(|p| p.join(None))?;
    let parallel_s = start.elapsed().as_secs_f64();
    assert_eq!(expected, got);
    Ok((sequential_s, parallel_s))
}

/// Where two processes start to pay (issue 18's `job_crossover_n`): the job twice in this
/// process against two processes, for n = 2^from ..= 2^top, `passes` passes each, as `BENCH`
/// lines `crossover_sequential_2pow{k}` and `crossover_two_processes_2pow{k}` (the page draws
/// them). Each pass waits `pause` seconds first: the host makes its warm children again a
/// second after they are taken, and a learner's Run finds them warm.
pub fn crossover_program(p: &crate::params::Params) -> PyResult<()> {
    let (from, top, passes, pause) = (p.int("from"), p.int("top"), p.int("passes"), p.float("pause"));
    for k in from..=top.max(from) {
        let (mut sequential, mut parallel) = (Vec::new(), Vec::new());
        for _ in 0..passes {
            pp_runtime::threading::sleep(pause);
            let (s, t) = sequential_and_two_processes(1 << k)?;
            sequential.push(s * 1e9);
            parallel.push(t * 1e9);
        }
        crate::bench::print_line(&format!("crossover_sequential_2pow{k}"), sequential);
        crate::bench::print_line(&format!("crossover_two_processes_2pow{k}"), parallel);
    }
    Ok(())
}

/// The CPU-bound job twice, in this process, then in two processes (their start included),
/// `passes` times: a `CPU pass ..` line per pass, and the two times as `BENCH` lines.
pub fn cpu_program(p: &crate::params::Params) -> PyResult<()> {
    let n = p.int("n") as u64;
    let passes = p.int("passes") as usize;
    let (mut sequential, mut parallel) = (Vec::new(), Vec::new());
    for pass in 1..=passes {
        let (sequential_s, parallel_s) = sequential_and_two_processes(n)?;
        let speedup = sequential_s / parallel_s;
        println!(
            "CPU pass {pass}/{passes}: sequential {sequential_s:.3} s, two processes {parallel_s:.3} s, {speedup:.2}x"
        );
        sequential.push(sequential_s * 1e9);
        parallel.push(parallel_s * 1e9);
    }
    for (name, samples) in [("cpu_job_twice_sequential", sequential), ("cpu_job_on_two_processes", parallel)] {
        crate::bench::print_line(name, samples);
    }
    Ok(())
}

/// What this file's processes and pools run.
pub(super) fn registered_targets() -> Vec<pp_multiprocessing::Target> {
    use pp_multiprocessing::Target;
    vec![Target::of(tiny), Target::of(reply), Target::of(job_into)]
}
