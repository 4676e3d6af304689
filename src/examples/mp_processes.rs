// In [13], [14], [54], [5], [None], [58], [16], [18]: processes, their methods and
// attributes, a process class, and several targets.
use pp_multiprocessing::{self as mp, Pool, Process, Run};
use pp_runtime::println;
use pp_runtime::py::Repr;
use pp_runtime::PyResult;
use serde::{Deserialize, Serialize};

fn f(x: i64) -> i64 {
    x * x
}

/// In [13]: `with Pool(5) as p: print(p.map(f, [1, 2, 3]))`
pub fn pool_first(_: &super::Params) -> PyResult<()> {
    Pool::scope(5, |p| {
        println!("{}", p.map(f, [1, 2, 3], None)?.repr());
        Ok(())
    })
}

/// In [14]
pub fn cpu_count(_: &super::Params) -> PyResult<()> {
    println!("{}", mp::cpu_count());
    Ok(())
}

fn fun2(_: ()) {
    println!("hello, i am a child process");
    println!("{}", mp::current_process().is_alive().repr());
}

/// In [54]
pub fn is_alive(_: &super::Params) -> PyResult<()> {
    let p = Process::new(fun2, ());
    p.start()?;
    p.join(None)?;
    println!("{}", p.is_alive().repr());
    Ok(())
}

fn foo(_: ()) {
    println!("父进程id: {}", mp::getppid());
    println!("当前子进程id: {}", mp::getpid());
    println!("-----------------");
}

/// In [5]
pub fn pids(_: &super::Params) -> PyResult<()> {
    for _ in 0..4 {
        let p = Process::new(foo, ());
        p.start()?;
    }
    Ok(())
}

fn fun3(_: ()) {
    let me = mp::current_process();
    println!("hello, i am a child process");
    println!("{}", me.is_alive().repr());
    println!("{}", me.name());
    // Added: the other attributes the tutorial lists (authkey, pid, daemon).
    println!("pid={} daemon={} authkey={} bytes", me.pid(), me.daemon().repr(), me.authkey().len());
}

/// In [None] (attributes)
pub fn attrs(_: &super::Params) -> PyResult<()> {
    let p = Process::new(fun3, ());
    p.start()?;
    p.join(None)
}

/// In [58]: a Process subclass overriding run().
#[derive(Serialize, Deserialize)]
struct ClockProcess {
    interval: f64,
}

impl Run for ClockProcess {
    fn run(self) -> PyResult<()> {
        let mut n = 5;
        while n > 0 {
            println!("the time is {}", pp_runtime::py::ctime());
            pp_runtime::threading::sleep(self.interval);
            n -= 1;
        }
        Ok(())
    }
}

pub fn class(p: &super::Params) -> PyResult<()> {
    let p = Process::with_run(ClockProcess { interval: p.float("interval") });
    p.start() // run() is called in the child
}

fn testing(_: ()) {
    println!("works");
}

fn square(n: i64) {
    println!("the number squares to {}", n * n);
}

fn cube(n: i64) {
    println!("the number cubes to {}", n * n * n);
}

/// In [16]
pub fn targets(_: &super::Params) -> PyResult<()> {
    let p1 = Process::new(square, 7);
    let p2 = Process::new(cube, 5);
    let p3 = Process::new(testing, ());
    p1.start()?;
    p2.start()?;
    p3.start()?;
    p1.join(None)?;
    p2.join(None)?;
    p3.join(None)?;
    println!("we are done");
    Ok(())
}

/// `prin(string="asia")`: Python's default argument is an `Option` here.
fn prin(string: Option<String>) {
    println!("the name of continent is: {}", string.as_deref().unwrap_or("asia"));
}

/// In [18]
pub fn default_arg(_: &super::Params) -> PyResult<()> {
    let mut pro = Vec::new();
    let name = ["africa", "latein"];
    let pro2 = Process::new(prin, None);
    pro2.start()?;
    pro.push(pro2);
    for ne in name {
        let pro1 = Process::new(prin, Some(ne.to_string()));
        pro1.start()?;
        pro.push(pro1);
    }
    for p in &pro {
        p.join(None)?;
    }
    Ok(())
}

/// What this file's processes and pools run, registered by every instance of the module
/// (`programs::register_targets`): a child finds its target by name.
pub(crate) fn registered_targets() -> Vec<pp_multiprocessing::Target> {
    use pp_multiprocessing::Target;
    vec![
        Target::of(f),
        Target::of(fun2),
        Target::of(foo),
        Target::of(fun3),
        Target::of(testing),
        Target::of(square),
        Target::of(cube),
        Target::of(prin),
        Target::run::<ClockProcess>(),
    ]
}
