// In [50], [60], [63], [19], [64]: queues between processes, the tutorial's benchmark
// (normal vs multithread vs multicore), and a pool's map and apply_async together.
use pp_multiprocessing::{Pool, Process, Queue};
use pp_runtime::println;
use pp_runtime::py::Repr;
use pp_runtime::threading::Thread;
use pp_runtime::PyResult;

fn rand_num(queue: Queue<f64>) -> PyResult<()> {
    queue.put(&fastrand::f64())
}

/// In [50]
pub fn rand(_: &super::Params) -> PyResult<()> {
    let queue = Queue::new(0)?;
    let processes: Vec<Process> = (0..4).map(|_| Process::new(rand_num, queue.clone())).collect();
    processes.iter().try_for_each(Process::start)?;
    processes.iter().try_for_each(|p| p.join(None))?;
    let results: Vec<f64> = processes.iter().map(|_| queue.get()).collect::<PyResult<_>>()?;
    println!("{}", results.repr());
    Ok(())
}

/// `job`: the sum of i + i**2 + i**3 for i < n. A u128 holds every value it reaches for
/// the n here (Python's int would too, at any size).
///
/// The loop runs in slices, each a call of its own: the browser first runs wasm on baseline
/// code and switches to optimized code only when a function is next *called*. As one long
/// call, `sum` ran at baseline speed in whichever variant came first, and the comparison
/// showed the compiler instead of the threads (the GIL-off threads came out 3x faster than
/// `normal` on two cores).
fn sum(n: u64) -> u128 {
    const SLICE: u64 = 1 << 16;
    (0..n.div_ceil(SLICE)).map(|k| sum_slice(k * SLICE, ((k + 1) * SLICE).min(n))).sum()
}

/// Each step is a Python statement, so the GIL may switch there.
#[inline(never)]
fn sum_slice(from: u64, to: u64) -> u128 {
    let mut res: u128 = 0;
    for i in u128::from(from)..u128::from(to) {
        // black_box: the compiler would otherwise sum the series in closed form.
        let i = std::hint::black_box(i);
        res += i + i * i + i * i * i;
        pp_runtime::gil::checkpoint();
    }
    res
}

fn job((q, n): (Queue<u128>, u64)) -> PyResult<()> {
    q.put(&sum(n))
}

/// In [60]: two processes, each its part.
pub fn job_sum(_: &super::Params) -> PyResult<()> {
    let q = Queue::new(0)?;
    let p1 = Process::new(job, (q.clone(), 1000));
    let p2 = Process::new(job, (q.clone(), 1000));
    p1.start()?;
    p2.start()?;
    p1.join(None)?;
    p2.join(None)?;
    let res1 = q.get()?;
    let res2 = q.get()?;
    println!("{}", res1 + res2);
    Ok(())
}

fn multicore(n: u64) -> PyResult<()> {
    let q = Queue::new(0)?;
    let p1 = Process::new(job, (q.clone(), n));
    let p2 = Process::new(job, (q.clone(), n));
    p1.start()?;
    p2.start()?;
    p1.join(None)?;
    p2.join(None)?;
    println!("multicore: {}", q.get()? + q.get()?);
    Ok(())
}

fn normal(n: u64) {
    let mut res = 0;
    for _ in 0..2 {
        res += sum(n);
    }
    println!("normal: {res}");
}

fn multithread(n: u64) -> PyResult<()> {
    let q = std::sync::Arc::new(pp_runtime::queue::Queue::new(0));
    let threads: Vec<Thread> = (0..2)
        .map(|_| {
            let q = q.clone();
            Thread::new(move || q.put(sum(n)))
        })
        .collect();
    threads.iter().try_for_each(Thread::start)?;
    threads.iter().try_for_each(|t| t.join(None))?;
    println!("multithread: {}", q.get() + q.get());
    Ok(())
}

/// Beyond the tutorial: the same sum split over threads by rayon, on this process's workers.
fn rayon_sum(n: u64) -> PyResult<()> {
    use rayon::prelude::*;
    let pool = pp_runtime::threading::rayon_pool(2)?;
    let res: u128 = pool.install(|| (0..2).into_par_iter().map(|_| sum(n)).sum());
    println!("rayon: {res}");
    Ok(())
}

fn timed(label: &str, f: impl FnOnce() -> PyResult<()>) -> PyResult<f64> {
    let st = pp_platform::clock::Instant::now();
    f()?;
    let secs = st.elapsed().as_secs_f64();
    println!("{label} time: {}", secs.repr());
    Ok(secs)
}

/// In [63]: normal, multithread (the GIL as the run has it), multicore; then the same
/// multithread with the GIL off, and rayon.
pub fn benchmark(p: &super::Params) -> PyResult<()> {
    let n = p.int("n") as u64;
    // Untimed, 0.15 s: the browser swaps in optimized code for `sum_slice` (see `sum`) in the
    // background, after a while of running it; CPython has no such warm-up to do. Each
    // child process warms up on its own, inside its time, like the start it pays for.
    let warm = pp_platform::clock::Instant::now();
    while warm.elapsed().as_secs_f64() < 0.15 {
        std::hint::black_box(sum(1 << 18));
    }
    let normal_s = timed("normal", || {
        normal(n);
        Ok(())
    })?;
    let thread_s = timed("multithread", || multithread(n))?;
    let core_s = timed("multicore", || multicore(n))?;
    println!(
        "speed-up over normal: multithread {:.2}x, multicore {:.2}x (tutorial, CPython 3.7: 3.43 s, 4.51 s, 1.78 s)",
        normal_s / thread_s,
        normal_s / core_s
    );
    let was_on = pp_runtime::gil::enabled();
    if was_on {
        let free = timed("multithread, GIL off", || pp_runtime::gil::without(|| multithread(n)))?;
        println!("speed-up over normal: multithread with the GIL off {:.2}x", normal_s / free);
    }
    let rayon_s = timed("rayon", || pp_runtime::gil::without(|| rayon_sum(n)))?;
    println!("speed-up over normal: rayon {:.2}x", normal_s / rayon_s);
    Ok(())
}

/// In [19]
pub fn fifo_empty_loop(_: &super::Params) -> PyResult<()> {
    let col = ["red", "blue", "green"];
    let mut cnt = 1;
    let queue: Queue<String> = Queue::new(0)?;
    println!("pushing items to queue:");
    for cl in col {
        println!("item no: {cnt} {cl}");
        queue.put(&cl.to_string())?;
        cnt += 1;
    }
    println!();
    println!("popping items from queue:");
    cnt = 0;
    while !queue.empty() {
        println!("item no:  {cnt}   {}", queue.get()?);
        cnt += 1;
    }
    Ok(())
}

fn square(x: i64) -> i64 {
    x * x
}

/// In [64]
pub fn pool_mixed(_: &super::Params) -> PyResult<()> {
    let pool = Pool::new(2)?;
    println!("{}", pool.map(square, 0..10, None)?.repr());
    let res = pool.apply_async(square, 2)?;
    println!("{}", res.get(None)?);
    let multi_res: Vec<_> = (0..10).map(|i| pool.apply_async(square, i)).collect::<PyResult<_>>()?;
    println!("{}", multi_res.iter().map(|r| r.get(None)).collect::<PyResult<Vec<_>>>()?.repr());
    Ok(())
}

/// What this file's processes and pools run, registered by every instance of the module
/// (`programs::register_targets`): a child finds its target by name.
pub(crate) fn registered_targets() -> Vec<pp_multiprocessing::Target> {
    use pp_multiprocessing::Target;
    vec![Target::of(rand_num), Target::of(job), Target::of(square)]
}
