//! Micro-benchmarks of the primitives, the same code natively (`cargo bench --bench native`)
//! and in the browser (programs run in a process worker, driven by `scripts/bench.sh`).
//! Each prints one line per measurement:
//!
//! ```text
//! BENCH <name> median_ns=<ns per operation> min_ns=<..> max_ns=<..> passes=<n>
//! ```
//!
//! Numbers, never verdicts: the targets and the side-by-side anchors live in
//! `BENCHMARKS.md` and `scripts/bench.mjs`.

use pp_platform::clock::Instant;
use pp_platform::futex;
use pp_runtime::println;
use pp_runtime::queue::Queue;
use pp_runtime::threading::{Lock, Thread};
use pp_runtime::PyResult;

pub mod crossover;
mod job;
mod processes;
pub mod scaling;
pub use processes::{cpu_program, crossover_program, processes_program};
pub use scaling::scaling_program;

/// What the benchmarks' processes and pools run, registered by every instance of the module
/// (`programs::register_targets`): a child finds its target by name.
pub(crate) fn registered_targets() -> Vec<pp_multiprocessing::Target> {
    processes::registered_targets().into_iter().chain(scaling::registered_targets()).collect()
}
use std::sync::atomic::{AtomicU32, Ordering::*};
use std::sync::Arc;

/// Passes per measurement; the median is the figure, min and max show the noise.
const PASSES: usize = 7;

/// Runs `pass` (which returns nanoseconds per operation) `PASSES` times after one warm-up
/// pass and prints the line.
pub fn report(name: &str, mut pass: impl FnMut() -> f64) {
    pass(); // warm-up: workers started, code paths hot
    print_line(name, (0..PASSES).map(|_| pass()).collect());
}

/// [`report`] of `pass` recorded and unrecorded in turn (`watch::set_recording`), each pass
/// of one beside a pass of the other, the order swapped every time: prints `name` and
/// `name_unrecorded`, recording's cost measured side by side (issue 17), a slow spell of
/// this shared machine hitting both alike.
pub fn report_recorded(name: &str, mut pass: impl FnMut() -> f64) {
    let mut run = |recording| {
        pp_runtime::watch::set_recording(recording);
        pass()
    };
    run(true);
    run(false);
    let (mut on, mut off) = (Vec::new(), Vec::new());
    // Three times `report`'s passes: a round trip natively either catches the other thread
    // spinning (hundreds of ns) or sleeping (microseconds), and the median needs many of each.
    for i in 0..3 * PASSES {
        for recording in [i % 2 == 0, i % 2 == 1] {
            let ns = run(recording);
            if recording {
                on.push(ns)
            } else {
                off.push(ns)
            }
        }
    }
    pp_runtime::watch::set_recording(true);
    print_line(name, on);
    print_line(&format!("{name}_unrecorded"), off);
}

/// Prints the `BENCH` line of `samples` (nanoseconds, at least one).
pub fn print_line(name: &str, mut ns: Vec<f64>) {
    ns.sort_by(f64::total_cmp);
    let passes = ns.len();
    println!(
        "BENCH {name} median_ns={:.1} min_ns={:.1} max_ns={:.1} passes={passes}",
        ns[passes / 2],
        ns[0],
        ns[passes - 1]
    );
}

fn per_op(start: Instant, ops: u64) -> f64 {
    start.elapsed().as_nanos() as f64 / ops as f64
}

/// `Lock.acquire()` + `release()` with nobody else around.
pub fn lock_uncontended(iters: u64) -> f64 {
    let lock = Lock::new();
    let start = Instant::now();
    for _ in 0..iters {
        lock.acquire_blocking();
        let _ = lock.release();
    }
    per_op(start, iters)
}

/// Two threads hand control to each other through two Locks used as binary semaphores
/// (Python's Lock may be released by any thread): every acquire waits for the other
/// thread's release. Nanoseconds per handoff.
pub fn lock_handoff(rounds: u64) -> f64 {
    let ping = Arc::new(Lock::new());
    let pong = Arc::new(Lock::new());
    ping.acquire_blocking();
    pong.acquire_blocking();
    let (p, q) = (ping.clone(), pong.clone());
    let other = Thread::new(move || {
        for _ in 0..rounds {
            p.acquire_blocking();
            let _ = q.release();
        }
    });
    other.start().expect("start");
    let start = Instant::now();
    for _ in 0..rounds {
        let _ = ping.release();
        pong.acquire_blocking();
    }
    let ns = per_op(start, rounds * 2);
    other.join(None).expect("join");
    ns
}

/// `queue.Queue` ping-pong between two threads: one round trip is a put and a get each way.
pub fn queue_ping_pong(rounds: u64) -> f64 {
    let there: Arc<Queue<u64>> = Arc::new(Queue::new(0));
    let back: Arc<Queue<u64>> = Arc::new(Queue::new(0));
    let (t, b) = (there.clone(), back.clone());
    let echo = Thread::new(move || {
        for _ in 0..rounds {
            b.put(t.get());
        }
    });
    echo.start().expect("start");
    let start = Instant::now();
    for i in 0..rounds {
        there.put(i);
        back.get();
    }
    let ns = per_op(start, rounds);
    echo.join(None).expect("join");
    ns
}

/// The floor under every blocking primitive: a bare futex ping-pong between two threads,
/// spinning then sleeping as the primitives do (the Rust twin of a plain-JS
/// `Atomics.wait`/`notify` ping-pong). Per round trip.
pub fn futex_ping_pong(rounds: u64) -> f64 {
    let turn = Arc::new(AtomicU32::new(0));
    let t = turn.clone();
    let pong = Thread::new(move || {
        for _ in 0..rounds {
            while t.load(Acquire) == 0 {
                if !futex::spin(&t, 0) {
                    futex::wait(&t, 0, None);
                }
            }
            t.store(0, Release);
            futex::wake(&t, 1);
        }
    });
    pong.start().expect("start");
    let start = Instant::now();
    for _ in 0..rounds {
        turn.store(1, Release);
        futex::wake(&turn, 1);
        while turn.load(Acquire) == 1 {
            if !futex::spin(&turn, 1) {
                futex::wait(&turn, 1, None);
            }
        }
    }
    let ns = per_op(start, rounds);
    pong.join(None).expect("join");
    ns
}

/// How long one [`futex::spin`] looks before giving up (nanoseconds per whole spin).
pub fn spin_window(n: u64) -> f64 {
    // Shared, so the compiler cannot see that nobody changes it.
    let never = Arc::new(AtomicU32::new(0));
    let start = Instant::now();
    for _ in 0..n {
        futex::spin(std::hint::black_box(&never), 0);
    }
    per_op(start, n)
}

/// `Thread(target=f).start()` then `join()`, with the workers warm.
pub fn thread_start_join(n: u64) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        let t = Thread::new(|| ());
        t.start().expect("start");
        t.join(None).expect("join");
    }
    per_op(start, n)
}

/// The threading benchmarks, as one program.
pub fn threading_program(p: &crate::params::Params) -> PyResult<()> {
    let spin = p.int("spin");
    futex::set_spin_iterations(if spin < 0 { futex::DEFAULT_SPIN } else { spin as u32 });
    report("lock_uncontended", || lock_uncontended(5_000_000));
    report("lock_handoff", || lock_handoff(10_000));
    report("futex_ping_pong", || futex_ping_pong(10_000));
    report_recorded("queue_ping_pong", || queue_ping_pong(10_000));
    report("thread_start_join", || thread_start_join(2_000));
    report("spin_window", || spin_window(200));
    Ok(())
}

/// A parsed `BENCH` line: (name, median ns).
pub fn parse_line(line: &str) -> Option<(String, f64)> {
    let mut parts = line.strip_prefix("BENCH ")?.split_whitespace();
    let name = parts.next()?.to_string();
    let median = parts.find_map(|p| p.strip_prefix("median_ns="))?.parse().ok()?;
    Some((name, median))
}
