// In [None] (two cells): a count kept per thread, first passed around as an argument,
// then in a threading.local(). (The tutorial's cells are Python 2: print statements,
// xrange; and the first one ends with print(num), a global of an earlier cell, left out.)
use pp_runtime::println;
use pp_runtime::threading::{self, Local, Thread};
use pp_runtime::PyResult;
use std::sync::Arc;

fn show(num: i64) {
    println!("{} {num}", threading::current_thread().name());
}

fn start_and_join(threads: Vec<Thread>) -> PyResult<()> {
    threads.iter().try_for_each(Thread::start)?;
    threads.iter().try_for_each(|t| t.join(None))
}

/// The first cell: a local variable passed to show().
pub fn with_args(_: &super::Params) -> PyResult<()> {
    let thread_cal = || {
        let mut local_num = 0;
        for _ in 0..1000 {
            local_num += 1;
        }
        show(local_num);
    };
    start_and_join((0..10).map(|_| Thread::new(thread_cal)).collect())
}

/// `data.num`: the attribute the cell sets on its local() object.
#[derive(Default)]
struct Data {
    num: i64,
}

/// The second cell: data = threading.local().
pub fn with_local(_: &super::Params) -> PyResult<()> {
    let data = Arc::new(Local::<Data>::new());
    let threads = (0..10)
        .map(|_| {
            let data = data.clone();
            Thread::new(move || {
                data.with(|d| d.num = 0);
                for _ in 0..1000 {
                    data.with(|d| d.num += 1);
                }
                show(data.with(|d| d.num));
            })
        })
        .collect();
    start_and_join(threads)
}
