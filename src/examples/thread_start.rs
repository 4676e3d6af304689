// In [4]: a thread named "worker" runs `jobs`.
use pp_runtime::println;
use pp_runtime::threading::Thread;
use pp_runtime::PyResult;

fn jobs() {
    println!("i am working");
    println!("finished");
}

pub fn main(_: &super::Params) -> PyResult<()> {
    let t = Thread::new(jobs).with_name("worker");
    t.start()?;
    Ok(())
}
