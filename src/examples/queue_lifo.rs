// In [28]: a LifoQueue gives back the last item first.
use pp_runtime::println;
use pp_runtime::queue::LifoQueue;
use pp_runtime::PyResult;

pub fn main(_: &super::Params) -> PyResult<()> {
    let q1 = LifoQueue::new(0);
    for i in 0..3 {
        q1.put(i);
    }
    for _ in 0..3 {
        println!("{}", q1.get());
    }
    Ok(())
}
