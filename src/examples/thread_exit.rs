// In [6]: the program goes on until its non-daemon thread ends, after main's last line.
use pp_runtime::println;
use pp_runtime::threading::{sleep, Thread};
use pp_runtime::PyResult;

fn worker(seconds: f64) {
    let mut i = 0;
    while i < 5 {
        sleep(seconds);
        println!("i am a thread");
        i += 1;
    }
}

pub fn main(p: &super::Params) -> PyResult<()> {
    let seconds = p.float("sleep");
    let t = Thread::new(move || worker(seconds)).with_name("thread");
    t.start()?;
    println!("==end==");
    Ok(())
}
