// In [8] to [12]: the module functions active_count(), current_thread(), get_ident(),
// enumerate() and main_thread().
use pp_runtime::println;
use pp_runtime::threading::{self, Event, Thread};
use pp_runtime::PyResult;
use std::sync::Arc;

/// In [8]. A fresh process has only its main thread: the tutorial's 6 counted Jupyter's own.
pub fn active_count(_: &super::Params) -> PyResult<()> {
    println!("{}", threading::active_count());
    Ok(())
}

/// In [9].
pub fn current_thread(_: &super::Params) -> PyResult<()> {
    println!("{}", threading::current_thread());
    Ok(())
}

/// In [10], and (added) the check that it is the main thread's ident.
pub fn get_ident(_: &super::Params) -> PyResult<()> {
    println!("{}", threading::get_ident());
    println!("{}", pp_runtime::py::Repr::repr(&(threading::main_thread().ident() == Some(threading::get_ident()))));
    Ok(())
}

/// In [11]. The notebook still ran the thread named "thread" of In [6]; so does this run,
/// so that there is more than the main thread to list.
pub fn enumerate(_: &super::Params) -> PyResult<()> {
    let done = Arc::new(Event::new());
    let d = done.clone();
    let t = Thread::new(move || {
        d.wait(None);
    })
    .with_name("thread");
    t.start()?;
    for thread in threading::enumerate() {
        println!("{thread}");
    }
    done.set();
    Ok(())
}

/// In [12].
pub fn main_thread(_: &super::Params) -> PyResult<()> {
    println!("{}", threading::main_thread());
    Ok(())
}
