// In [4]: join() makes the main thread wait for the thread.
use pp_runtime::println;
use pp_runtime::threading::{sleep, Thread};
use pp_runtime::PyResult;

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
