// In [None], [16], [27], [23], [29], [11], [12]: queues and pipes between processes, a
// lock across processes, shared memory, and a manager.
use pp_multiprocessing::ListProxy;
use pp_multiprocessing::{Array, Connection, Lock, Manager, Pipe, Process, Queue, Value};
use pp_runtime::println;
use pp_runtime::py::{self, Repr};
use pp_runtime::PyResult;

fn f(q: Queue<py::Value>) -> PyResult<()> {
    q.put(&py::Value::list([py::Value::from(42), py::Value::None, py::Value::from("hello")]))
}

/// In [None]: a Queue
pub fn queue(_: &super::Params) -> PyResult<()> {
    let q = Queue::new(0)?;
    let p = Process::new(f, q.clone());
    p.start()?;
    println!("{}", q.get()?.repr());
    p.join(None)
}

fn send(conn: Connection) -> PyResult<()> {
    conn.send(&py::Value::list([py::Value::from(24), py::Value::from("hello")]))?;
    conn.close();
    Ok(())
}

/// In [16]: a Pipe
pub fn pipe(_: &super::Params) -> PyResult<()> {
    let (parent_conn, child_conn) = Pipe(true)?;
    let p = Process::new(send, child_conn);
    p.start()?;
    println!("{}", parent_conn.recv::<py::Value>()?.repr());
    p.join(None)?;
    println!("hello");
    Ok(())
}

fn hello_locked((l, i): (Lock, i64)) -> PyResult<()> {
    let _with = l.enter(); // l.acquire() ... finally: l.release()
    println!("hello {i}");
    Ok(())
}

/// In [27]
pub fn lock(_: &super::Params) -> PyResult<()> {
    let lock = Lock::new()?;
    for num in 0..10 {
        Process::new(hello_locked, (lock, num)).start()?;
    }
    Ok(())
}

fn hello(i: i64) {
    println!("hello {i}");
}

/// In [23]
pub fn nolock(_: &super::Params) -> PyResult<()> {
    for num in 0..4 {
        Process::new(hello, num).start()?;
    }
    Ok(())
}

// The tutorial's own value, not an approximation of pi.
#[allow(clippy::approx_constant)]
fn change((n, a): (Value<f64>, Array<i32>)) -> PyResult<()> {
    n.set(3.14);
    for i in 0..a.len() as i64 {
        a.set(i, -a.get(i)?)?;
    }
    Ok(())
}

/// In [29]
pub fn shared_value_array(_: &super::Params) -> PyResult<()> {
    let num = Value::new('d', 0.0)?;
    println!("{}", num.get().repr());
    let arr = Array::new('i', &(0..10).collect::<Vec<i32>>())?;
    let p = Process::new(change, (num.clone(), arr.clone()));
    p.start()?;
    p.join(None)?;
    println!("{}", num.get().repr());
    println!("{}", arr.to_vec().iter().map(|&x| i64::from(x)).collect::<Vec<_>>().repr());
    Ok(())
}

fn ap(mut list: Vec<String>) {
    list.push("c".into());
    println!("{}", list.repr());
    println!("{}", list.as_ptr() as usize); // id(list): where the list lives in this process
}

/// In [11]: a plain list given to a child is a copy, in the child's own memory.
pub fn plain_list(_: &super::Params) -> PyResult<()> {
    let li = vec!["a".to_string(), "b".to_string()];
    let p = Process::new(ap, &li); // pickled for the child: it changes its own copy
    p.start()?;
    p.join(None)?;
    println!("{}", li.repr());
    println!("{}", li.as_ptr() as usize);
    Ok(())
}

fn ap_managed(list: ListProxy) -> PyResult<()> {
    list.append("c")?;
    println!("{}", list.repr()?);
    Ok(())
}

/// In [12]: a managed list is one list, in the manager's process.
pub fn managed_list(_: &super::Params) -> PyResult<()> {
    let m = Manager::new()?;
    let my_list = m.list([py::Value::from("a"), py::Value::from("b")])?;
    let p = Process::new(ap_managed, my_list.clone());
    p.start()?;
    p.join(None)?;
    println!("{}", my_list.repr()?);
    Ok(())
}

/// What this file's processes and pools run, registered by every instance of the module
/// (`programs::register_targets`): a child finds its target by name.
pub(crate) fn registered_targets() -> Vec<pp_multiprocessing::Target> {
    use pp_multiprocessing::Target;
    vec![
        Target::of(f),
        Target::of(send),
        Target::of(hello_locked),
        Target::of(hello),
        Target::of(change),
        Target::of(ap),
        Target::of(ap_managed),
    ]
}
