// In [13]: add1 and add2 each hold the lock for their whole loop: their lines never mix.
use super::support::Global;
use pp_runtime::println;
use pp_runtime::threading::{Lock, Thread};
use pp_runtime::PyResult;
use std::sync::Arc;

fn add(name: &str, step: i64, num: &Global, lock: &Lock) -> PyResult<()> {
    lock.acquire(true, None)?;
    for _ in 0..10 {
        num.add(step);
        println!("{name} {}", num.get());
    }
    lock.release()
}

pub fn main(_: &super::Params) -> PyResult<()> {
    let num = Arc::new(Global::new(1));
    let lock = Arc::new(Lock::new());
    let (n, l) = (num.clone(), lock.clone());
    let t1 = Thread::new(move || add("add1", 1, &n, &l));
    let (n, l) = (num.clone(), lock.clone());
    let t2 = Thread::new(move || add("add2", 10, &n, &l));
    t1.start()?;
    t2.start()?;
    t1.join(None)?;
    t2.join(None)?;
    Ok(())
}
