// The GIL explained by running it (the tutorial's text, no code): the same CPU-bound work
// split over 1, 2 and 4 threads, first with the GIL as the run has it, then without. With
// the GIL, one thread runs Python at a time (the timeline shows the others waiting for it),
// so more threads are no faster; without it, they run at once on the cores there are.
use pp_runtime::println;
use pp_runtime::threading::Thread;
use pp_runtime::PyResult;

/// `steps` steps of arithmetic, each a Python statement (the GIL may switch there). It runs
/// in slices, each a call of its own, for the browser's compiler: see `benchmark`'s `sum`.
fn work(steps: u64) -> u64 {
    const SLICE: u64 = 1 << 16;
    (0..steps.div_ceil(SLICE)).map(|k| work_slice(((k + 1) * SLICE).min(steps) - k * SLICE)).fold(0, u64::wrapping_add)
}

#[inline(never)]
fn work_slice(steps: u64) -> u64 {
    let mut x: u64 = 1;
    for _ in 0..steps {
        x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407));
        pp_runtime::gil::checkpoint();
    }
    x
}

/// The work split over `threads` threads; its wall time in seconds.
fn split(steps: u64, threads: u64) -> PyResult<f64> {
    let start = pp_platform::clock::Instant::now();
    let workers: Vec<Thread> = (0..threads)
        .map(|_| {
            Thread::new(move || {
                std::hint::black_box(work(steps / threads));
            })
        })
        .collect();
    workers.iter().try_for_each(Thread::start)?;
    workers.iter().try_for_each(|t| t.join(None))?;
    Ok(start.elapsed().as_secs_f64())
}

fn row(label: &str, steps: u64) -> PyResult<()> {
    let one = split(steps, 1)?;
    let mut line = format!("{label}: 1 thread {one:.3} s");
    for threads in [2, 4] {
        let t = split(steps, threads)?;
        line += &format!(" | {threads} threads {t:.3} s ({:.2}x)", one / t);
    }
    println!("{line}");
    Ok(())
}

pub fn main(p: &super::Params) -> PyResult<()> {
    let steps = p.int("steps") as u64;
    println!("{steps} steps of CPU-bound work, split over 1, 2 and 4 threads");
    // Untimed: the browser swaps in optimized code after a while of running it.
    let warm = pp_platform::clock::Instant::now();
    while warm.elapsed().as_secs_f64() < 0.15 {
        std::hint::black_box(work(1 << 18));
    }
    if pp_runtime::gil::enabled() {
        row("GIL on ", steps)?;
    }
    pp_runtime::gil::without(|| row("GIL off", steps))
}
