// In [42], [69], [84], [85], [40], [32], [54], [5], [45]: the Pool's methods, blocking and
// not, with callbacks; and which worker ran what.
use num_bigint::BigUint;
use pp_multiprocessing::{self as mp, Pool};
use pp_runtime::println;
use pp_runtime::py::Repr;
use pp_runtime::{PyErr, PyResult};
use std::sync::{Arc, Mutex};

/// The tutorial's table of the methods, corrected where it is wrong (starmap blocks and its
/// results are ordered; starmap_async's results are ordered too).
pub fn methods(_: &super::Params) -> PyResult<()> {
    println!("                  | Multi-args   Concurrence    Blocking     Ordered-results");
    println!("---------------------------------------------------------------------");
    for (method, multi, conc, blocking, ordered) in [
        ("Pool.map", "no", "yes", "yes", "yes"),
        ("Pool.map_async", "no", "yes", "no", "yes"),
        ("Pool.apply", "yes", "no", "yes", "no"),
        ("Pool.apply_async", "yes", "yes", "no", "no"),
        ("Pool.starmap", "yes", "yes", "yes", "yes"),
        ("Pool.starmap_async", "yes", "yes", "no", "yes"),
    ] {
        println!("{method:<18}| {multi:<13}{conc:<15}{blocking:<13}{ordered}");
    }
    println!("(corrected: the tutorial says starmap does not block and starmap_async is unordered)");
    Ok(())
}

fn test((n, seconds): (i64, f64)) {
    println!("This is fun{n} running");
    println!("My id is {}", mp::getpid());
    pp_runtime::threading::sleep(seconds);
    println!("This is fun{n} ending");
}

/// In [42]
pub fn apply_async(p: &super::Params) -> PyResult<()> {
    let seconds = p.float("sleep");
    let pool = Pool::new(9)?;
    for i in 0..10 {
        pool.apply_async(test, (i, seconds))?;
    }
    pool.close();
    pool.join()
}

fn fun(x: i64) -> i64 {
    x * x
}

/// In [69]: the callback runs in this (the main) process and collects results as they come.
pub fn apply_async_callback(_: &super::Params) -> PyResult<()> {
    let li = Arc::new(Mutex::new(Vec::new()));
    let p = Pool::new(4)?;
    for i in 0..6 {
        let li = li.clone();
        p.apply_async_with(fun, i, Some(Box::new(move |x: &i64| li.lock().unwrap().push(*x))), None)?;
    }
    p.close();
    p.join()?;
    println!("{}", li.lock().unwrap().repr());
    Ok(())
}

/// In [84]
pub fn map_async(_: &super::Params) -> PyResult<()> {
    let p = Pool::new(4)?;
    let res = p.map_async(fun, [3, 4, 5, 1], None)?;
    p.close();
    p.join()?;
    println!("{res}");
    println!("{}", res.get(None)?.repr());
    Ok(())
}

/// In [85]: the callback gets the whole list, once.
pub fn map_async_callback(_: &super::Params) -> PyResult<()> {
    let li = Arc::new(Mutex::new(Vec::new()));
    let p = Pool::new(4)?;
    let l = li.clone();
    p.map_async_with(
        fun,
        [3, 4, 5, 1],
        None,
        Some(Box::new(move |x: &Vec<i64>| l.lock().unwrap().push(x.clone()))),
        None,
    )?;
    p.close();
    p.join()?;
    println!("{}", li.lock().unwrap().repr());
    Ok(())
}

fn risky(x: i64) -> PyResult<i64> {
    if x == 2 {
        Err(PyErr::value_error(format!("task {x} failed")))
    } else {
        Ok(x * 10)
    }
}

/// The tutorial's text (no code): a failing apply_async task fails only itself; a failing
/// item fails the whole map_async. The error callback hears of each failure.
pub fn errors(_: &super::Params) -> PyResult<()> {
    let pool = Pool::new(2)?;
    println!("apply_async, one task each:");
    let results: Vec<_> = (0..4)
        .map(|i| {
            pool.apply_async_with(
                risky,
                i,
                None,
                Some(Box::new(|e: &PyErr| pp_runtime::println!("  error_callback: {e}"))),
            )
        })
        .collect::<PyResult<_>>()?;
    for (i, r) in results.iter().enumerate() {
        match r.get(None) {
            Ok(v) => println!("  task {i}: {v}"),
            Err(e) => println!("  task {i}: get() raises {e}"),
        }
    }
    println!("map_async, one map of four items:");
    let r = pool.map_async_with(
        risky,
        0..4,
        Some(1),
        None,
        Some(Box::new(|e: &PyErr| pp_runtime::println!("  error_callback: {e}"))),
    )?;
    match r.get(None) {
        Ok(v) => println!("  {}", v.repr()),
        Err(e) => println!("  get() raises {e}: no result at all"),
    }
    Ok(())
}

fn b(num: i64) -> i64 {
    num
}

/// In [40]: with apply_async the callback `a` runs in the main process. (The output the
/// tutorial prints under it, a TypeError, is that of `apply(..., callback=a)`: apply has none.)
pub fn callback_main(_: &super::Params) -> PyResult<()> {
    let p = Pool::new(5)?;
    for i in 0..10 {
        let a = Box::new(move |x: &i64| {
            println!("this is a start");
            println!("{x}");
            println!("this is a stop (in {}, pid {})", mp::current_process().name(), mp::getpid());
        });
        p.apply_async_with(b, i, Some(a), None)?;
    }
    p.close();
    p.join()
}

fn sleepy((name, max): (String, f64)) {
    println!("running,pid={},parent={} ({name})", mp::getpid(), mp::getppid());
    let t_start = pp_platform::clock::Instant::now();
    pp_runtime::threading::sleep(fastrand::f64() * max);
    println!("time is {}", t_start.elapsed().as_secs_f64().repr());
}

/// In [32]: apply_async runs the tasks at once (about the longest sleep per worker);
/// apply runs them one after another (about the sum of the sleeps).
pub fn apply_vs_async(p: &super::Params) -> PyResult<()> {
    let max = p.float("max_sleep");
    let start = pp_platform::clock::Instant::now();
    let pool = Pool::new(4)?;
    for i in 0..7 {
        pool.apply_async(sleepy, (format!("mark{i}"), max))?;
    }
    println!("--start1--");
    pool.close();
    pool.join()?;
    println!("--end1-- after {:.2} s (apply_async)", start.elapsed().as_secs_f64());
    let start = pp_platform::clock::Instant::now();
    let pool = Pool::new(4)?;
    for i in 0..7 {
        pool.apply(sleepy, (format!("mark{i}"), max))?;
    }
    println!("--start2--");
    pool.close();
    pool.join()?;
    println!("--end2-- after {:.2} s (apply)", start.elapsed().as_secs_f64());
    Ok(())
}

fn job(n: i64) -> i64 {
    n - 1
}

/// In [54]
pub fn apply_async_get(_: &super::Params) -> PyResult<()> {
    let pool = Pool::new(4)?;
    let n = 10;
    let l: Vec<_> = (0..6).map(|_| pool.apply_async(job, n)).collect::<PyResult<_>>()?;
    println!("{}", l.iter().map(|x| x.get(None)).collect::<PyResult<Vec<_>>>()?.repr());
    Ok(())
}

/// `x**x`, a Python int: exact at any size.
fn func(x: u32) -> BigUint {
    BigUint::from(x).pow(x)
}

/// In [5]
pub fn map(_: &super::Params) -> PyResult<()> {
    let pool = Pool::new(2)?;
    let result = pool.map(func, 0..10, None)?;
    println!("[{}]", result.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "));
    Ok(())
}

fn my_func(x: u32) -> BigUint {
    println!("{}", mp::current_process());
    BigUint::from(x).pow(x)
}

/// In [45]: which worker ran each item.
pub fn map_workers(_: &super::Params) -> PyResult<()> {
    let pool = Pool::new(3)?;
    let result = pool.map(my_func, [4, 2, 3, 5, 3, 2, 1, 2], None)?;
    let result_set_2 = pool.map(my_func, [4, 6, 5, 4, 6, 3, 23, 4, 6], None)?;
    let show = |v: &[BigUint]| format!("[{}]", v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "));
    println!("{}", show(&result));
    println!("{}", show(&result_set_2));
    Ok(())
}

/// What this file's processes and pools run, registered by every instance of the module
/// (`programs::register_targets`): a child finds its target by name.
pub(crate) fn registered_targets() -> Vec<pp_multiprocessing::Target> {
    use pp_multiprocessing::Target;
    vec![
        Target::of(test),
        Target::of(fun),
        Target::of(risky),
        Target::of(b),
        Target::of(sleepy),
        Target::of(job),
        Target::of(func),
        Target::of(my_func),
    ]
}
