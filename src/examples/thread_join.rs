// In [4]: join() makes the main thread wait for the thread.
use crate::println;
use crate::threading::{sleep, Thread};
use crate::PyResult;

fn job(seconds: f64) {
    for _ in 0..10 {
        println!("hello world");
        sleep(seconds);
    }
}

pub fn main(p: &super::Params) -> PyResult<()> {
    let seconds = p.float("sleep");
    let t = Thread::new(move || job(seconds));
    t.start()?;
    t.join(None)?;
    println!("==end==");
    Ok(())
}
