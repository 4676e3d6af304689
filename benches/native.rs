//! The primitives' benchmarks natively (`cargo bench --bench native`), as a process of the
//! playground (GIL off), plus std's Mutex as the native anchor. `scripts/bench.sh` puts
//! these beside the browser's and CPython's numbers.

use parallel_playground::bench::{report, threading_program};
use pp_testing::harness::capture;
use std::time::Instant;

fn main() {
    // PP_SPIN=<n> measures with another futex spin count.
    let raw: Vec<(String, String)> = std::env::var("PP_SPIN").map(|n| ("spin".to_string(), n)).into_iter().collect();
    let params = parallel_playground::programs::program("bench-threading").expect("the benchmark program").params;
    let params = parallel_playground::params::parse(params, &raw).expect("a valid spin");
    let c = capture(|| threading_program(&params));
    for line in c.texts() {
        println!("{line}");
    }
    // std's Mutex lock+unlock, uncontended: the anchor for "within 2x of Rust natively".
    let c = capture(|| {
        report("std_mutex_uncontended", || {
            let m = std::sync::Mutex::new(0u64);
            let n = 1_000_000;
            let start = Instant::now();
            for _ in 0..n {
                *std::hint::black_box(&m).lock().unwrap() += 1;
            }
            start.elapsed().as_nanos() as f64 / n as f64
        });
        Ok(())
    });
    for line in c.texts() {
        println!("{line}");
    }
    // Processes and pools (natively a process is a thread: these show the machinery's own
    // cost, not a browser's). PP_CPU_N: the CPU job's size, the browser's in one benchmark run
    // (scripts/bench.mjs), so that wasm and native compare the same work.
    let n = std::env::var("PP_CPU_N").unwrap_or_else(|_| "240000000".to_string());
    for (program, query) in [("bench-processes", vec![]), ("bench-cpu", vec![("n".to_string(), n)])] {
        let program = parallel_playground::programs::program(program).expect("a benchmark program");
        let params = parallel_playground::params::parse(program.params, &query).expect("valid");
        let c = capture(|| (program.main)(&params));
        for line in c.texts() {
            println!("{line}");
        }
    }
}
