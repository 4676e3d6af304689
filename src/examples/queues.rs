// In [26] to [42]: the queue module's four queues, its two exceptions, and the methods.
use pp_runtime::println;
use pp_runtime::py::{Repr, Value};
use pp_runtime::queue::{self, PriorityQueue, Queue, SimpleQueue};
use pp_runtime::PyResult;

/// In [26]: a Queue of capacity 10 holding a dict and a list.
pub fn fifo(_: &super::Params) -> PyResult<()> {
    let q = Queue::new(10);
    q.put(Value::dict([("name", Value::from("chenzhi")), ("age", Value::from(14))]));
    q.put(Value::list(["a", "b", "c"]));
    println!("{}", q.get());
    println!("{}", q.get());
    Ok(())
}

/// In [29]: smallest first; tuples compare item by item, as in Python.
pub fn priority(_: &super::Params) -> PyResult<()> {
    let q2 = PriorityQueue::new(0);
    let data1 = (1, "python");
    let data2 = (2, "-");
    let data3 = (3, "100");
    for i in [data2, data3, data1] {
        q2.put(i);
    }
    for _ in 0..3 {
        println!("{}", q2.get().repr());
    }
    Ok(())
}

/// In [30]
pub fn simple(_: &super::Params) -> PyResult<()> {
    let q3 = SimpleQueue::new();
    for i in 0..3 {
        q3.put(i);
    }
    for _ in 0..3 {
        println!("{}", q3.get());
    }
    Ok(())
}

/// The three strings In [31] and In [None] put in a Queue(3).
fn full_queue() -> Queue<&'static str> {
    let q = Queue::new(3);
    q.put("python");
    q.put("-");
    q.put("100");
    q
}

/// In [31]: four non-blocking gets from three items.
pub fn empty(_: &super::Params) -> PyResult<()> {
    let q = full_queue();
    let attempt = || -> Result<(), queue::Empty> {
        for _ in 0..4 {
            println!("{}", q.get_nowait()?);
        }
        Ok(())
    };
    if let Err(queue::Empty) = attempt() {
        println!("queue.Empty");
    }
    Ok(())
}

/// In [None]: a fourth put into a Queue(3). (The tutorial's text says Empty; it is Full.)
pub fn full(_: &super::Params) -> PyResult<()> {
    let q = full_queue();
    if let Err(queue::Full(_)) = q.put_nowait("stay hungry, stay foolish") {
        println!("queue.Full");
    }
    Ok(())
}

/// In [34], [35], [38]: qsize(), empty(), full().
pub fn sizes(_: &super::Params) -> PyResult<()> {
    let q = Queue::new(3);
    q.put("string");
    println!("{}", q.qsize());
    q.get();
    println!("{}", q.empty().repr());
    let q4 = Queue::new(1);
    q4.put("a");
    println!("{}", q4.full().repr());
    Ok(())
}

/// In [39]: a put that waits `timeout` seconds for room, then raises queue.Full.
pub fn put_timeout(p: &super::Params) -> PyResult<()> {
    let q5 = Queue::new(1);
    q5.put(1);
    q5.put_timeout(2, p.float("timeout"))?;
    Ok(())
}

/// In [40]: put_nowait on a full queue raises at once.
pub fn put_nowait(_: &super::Params) -> PyResult<()> {
    let q5 = Queue::new(1);
    q5.put(1);
    q5.put_nowait(2)?;
    Ok(())
}

/// In [41]: a get that waits `timeout` seconds for an item, then raises queue.Empty.
pub fn get_timeout(p: &super::Params) -> PyResult<()> {
    let q6: Queue<i64> = Queue::new(0);
    q6.get_timeout(p.float("timeout"))?;
    Ok(())
}

/// In [42]
pub fn get_nowait(_: &super::Params) -> PyResult<()> {
    let q6: Queue<i64> = Queue::new(0);
    q6.get_nowait()?;
    Ok(())
}
