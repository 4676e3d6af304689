// In [12]: ten threads each add 1 a thousand times to a global, under one Lock.
use super::support::Global;
use pp_runtime::println;
use pp_runtime::threading::{Lock, Thread};
use pp_runtime::PyResult;
use std::sync::Arc;

fn cal(num: &Global, l: &Lock, increments: i64) -> PyResult<()> {
    l.acquire(true, None)?;
    for _ in 0..increments {
        num.add(1); // num += 1
    }
    l.release()
}

pub fn main(p: &super::Params) -> PyResult<()> {
    let num = Arc::new(Global::new(1));
    let l = Arc::new(Lock::new());
    let mut threads = Vec::new();
    for i in 0..p.int("threads") as usize {
        let (num, l, n) = (num.clone(), l.clone(), p.int("increments"));
        threads.push(Thread::new(move || cal(&num, &l, n)));
        threads[i].start()?;
    }
    for t in &threads {
        t.join(None)?;
    }
    println!("{}", num.get());
    Ok(())
}
