// In [15], [5] and [6]: daemon=False keeps the program alive, daemon=True does not, and
// daemon=None inherits from the thread that creates it.
use super::support::py_bool;
use pp_runtime::println;
use pp_runtime::threading::{self, Thread};
use pp_runtime::PyResult;

fn is_daemon() -> &'static str {
    py_bool(threading::current_thread().is_daemon())
}

fn foo(name: &str, seconds: f64) {
    for i in 0..3 {
        println!("i={i},{name} thread daemon is {}", is_daemon());
        threading::sleep(seconds);
    }
}

/// In [15]
pub fn daemon_false(p: &super::Params) -> PyResult<()> {
    let seconds = p.float("sleep");
    let t = Thread::new(move || foo("foo", seconds)).with_daemon(false);
    t.start()?;
    println!("Main thread daemon is {}", is_daemon());
    println!("Main thread Exit");
    Ok(())
}

/// In [5]
pub fn daemon_true(p: &super::Params) -> PyResult<()> {
    let seconds = p.float("sleep");
    let t = Thread::new(move || foo("foo1", seconds)).with_daemon(true);
    t.start()?;
    println!("Main thread daemon is {}", is_daemon());
    println!("Main thread Exit");
    Ok(())
}

fn bar(seconds: f64) {
    loop {
        println!("【bar】 daemon is {}", is_daemon());
        threading::sleep(seconds);
    }
}

/// In [6]
#[allow(clippy::disallowed_names)] // the tutorial's own names: foo and bar
pub fn daemon_none(p: &super::Params) -> PyResult<()> {
    let seconds = p.float("sleep");
    let foo = move || -> PyResult<()> {
        for i in 0..3 {
            println!("i={i},【foo】 thread daemon is {}", is_daemon());
            // daemon=None: leave it out, and the thread inherits foo's daemon flag.
            let t1 = Thread::new(move || bar(seconds));
            t1.start()?;
        }
        Ok(())
    };
    let t = Thread::new(foo).with_daemon(true);
    t.start()?;
    println!("Main thread daemon is {}", is_daemon());
    threading::sleep(2.0 * seconds);
    println!("Main Thread Exit.");
    Ok(())
}
