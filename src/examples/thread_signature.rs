// In [5]: help(threading.Thread): the constructor's parameters, and how this port spells them.
use pp_runtime::println;
use pp_runtime::PyResult;

const PARAMETERS: &[(&str, &str, &str)] = &[
    ("group=None", "reserved for a future ThreadGroup; always None", "(none)"),
    ("target=None", "the callable run() invokes", "Thread::new(target)"),
    ("name=None", "the thread's name; by default \"Thread-N\"", ".with_name(\"worker\")"),
    ("args=()", "positional arguments for the target", "the closure's captures: move || f(a, b)"),
    ("kwargs=None", "keyword arguments for the target", "the closure's captures too"),
    (
        "daemon=None",
        "daemon thread or not; None inherits from the creating thread",
        ".with_daemon(true) (leave out: inherit)",
    ),
];

pub fn main(_: &super::Params) -> PyResult<()> {
    println!("Thread(group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None)");
    for (parameter, meaning, port) in PARAMETERS {
        println!("  {parameter:<12} {meaning}");
        println!("  {:<12} Rust: {port}", "");
    }
    Ok(())
}
