// The tutorial's use case for threads (a crawler): work that mostly waits. Each "download"
// here is a sleep, done one after another, then on threads, then on processes. Waiting
// releases the GIL, so threads overlap the waits as well as processes do, and start faster.
use pp_multiprocessing::Process;
use pp_runtime::println;
use pp_runtime::threading::{self, Thread};
use pp_runtime::PyResult;

fn download(seconds: f64) {
    threading::sleep(seconds);
}

fn timed(label: &str, sequential: Option<f64>, f: impl FnOnce() -> PyResult<()>) -> PyResult<f64> {
    let start = pp_platform::clock::Instant::now();
    f()?;
    let secs = start.elapsed().as_secs_f64();
    match sequential {
        Some(base) => println!("{label}: {secs:.3} s, {:.1}x faster than one after another", base / secs),
        None => println!("{label}: {secs:.3} s"),
    }
    Ok(secs)
}

pub fn main(p: &super::Params) -> PyResult<()> {
    let (n, seconds) = (p.int("downloads"), p.float("sleep"));
    println!("{n} downloads of {seconds} s each");
    let base = timed("one after another", None, || {
        (0..n).for_each(|_| download(seconds));
        Ok(())
    })?;
    timed("threads", Some(base), || {
        let threads: Vec<Thread> = (0..n).map(|_| Thread::new(move || download(seconds))).collect();
        threads.iter().try_for_each(Thread::start)?;
        threads.iter().try_for_each(|t| t.join(None))
    })?;
    timed("processes", Some(base), || {
        let processes: Vec<Process> = (0..n).map(|_| Process::new(download, seconds)).collect();
        processes.iter().try_for_each(Process::start)?;
        processes.iter().try_for_each(|p| p.join(None))
    })?;
    Ok(())
}

/// What this file's processes and pools run, registered by every instance of the module
/// (`programs::register_targets`): a child finds its target by name.
pub(crate) fn registered_targets() -> Vec<pp_multiprocessing::Target> {
    use pp_multiprocessing::Target;
    vec![Target::of(download)]
}
