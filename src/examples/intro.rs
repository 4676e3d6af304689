// In [2] and In [3]: the same CPU-bound job (the product of `number` random numbers below a
// million, a big integer) in two threads, then in two processes. With the GIL on, the two
// threads take turns; the two processes each have their own GIL and run at once.
use num_bigint::BigUint;
use pp_multiprocessing::Process;
use pp_runtime::println;
use pp_runtime::threading::Thread;
use pp_runtime::PyResult;

fn func(number: i64) -> BigUint {
    // random.sample(range(1000000), number)
    let mut rng = fastrand::Rng::new();
    let mut pool: Vec<u32> = (0..1_000_000).collect();
    for i in 0..number as usize {
        let j = rng.usize(i..pool.len());
        pool.swap(i, j);
    }
    // reduce(lambda x, y: x*y, random_list): one multiplication per step, as Python's.
    pool[..number as usize].iter().fold(BigUint::from(1u32), |x, &y| {
        pp_runtime::gil::checkpoint();
        x * y
    })
}

/// Added to the tutorial's cells: say how big the product was, so the run shows its work.
fn report(product: &BigUint) {
    println!("product has {} bits", product.bits());
}

pub fn threads(p: &super::Params) -> PyResult<()> {
    let number = p.int("number");
    let thread1 = Thread::new(move || report(&func(number)));
    let thread2 = Thread::new(move || report(&func(number)));
    thread1.start()?;
    thread2.start()?;
    thread1.join(None)?;
    thread2.join(None)?;
    Ok(())
}

fn job(number: i64) {
    report(&func(number));
}

pub fn processes(p: &super::Params) -> PyResult<()> {
    let number = p.int("number");
    let process1 = Process::new(job, number);
    let process2 = Process::new(job, number);
    process1.start()?;
    process2.start()?;
    process1.join(None)?;
    process2.join(None)?;
    Ok(())
}

/// What this file's processes and pools run, registered by every instance of the module
/// (`programs::register_targets`): a child finds its target by name.
pub(crate) fn registered_targets() -> Vec<pp_multiprocessing::Target> {
    use pp_multiprocessing::Target;
    vec![Target::of(job)]
}
