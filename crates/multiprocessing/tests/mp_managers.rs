//! `multiprocessing.Manager()`: proxies to objects in a server process, shared by every
//! process that holds one. CPython's `Lib/test/_test_multiprocessing.py` (`_TestList`,
//! `_TestDict`, `_TestNamespace`, manager queues and locks).
#![cfg(not(target_arch = "wasm32"))]

use pp_multiprocessing::{ListProxy, NamespaceProxy};
use pp_multiprocessing::{Manager, Process};
use pp_runtime::py::{Repr, Value};
use pp_runtime::PyResult;
use pp_testing::harness::capture;

fn append_c(l: ListProxy) -> PyResult<()> {
    l.append("c")
}

fn set_name(ns: NamespaceProxy) -> PyResult<()> {
    ns.setattr("x", 10)?;
    ns.setattr("y", "hello")
}

#[test]
fn a_managed_list_is_shared_with_a_child() {
    let c = capture(|| {
        Manager::scope(|manager| {
            let l = manager.list([Value::from("a"), Value::from("b")])?;
            let p = Process::new(append_c, l.clone());
            p.start()?;
            p.join(None)?;
            assert_eq!(l.repr()?, "['a', 'b', 'c']");
            assert_eq!(l.len()?, 3);
            assert_eq!(l.get(-1)?, Value::from("c"));
            l.set(0, 1)?;
            assert_eq!(l.to_value()?.repr(), "[1, 'b', 'c']");
            assert_eq!(l.get(10).unwrap_err().to_string(), "IndexError: list index out of range");
            Ok(())
        })
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

/// CPython's `_TestNamespace.test_namespace` (`Lib/test/_test_multiprocessing.py`): the
/// repr lists the public attributes, sorted; `_hidden` ones are not shown.
#[test]
fn namespace_repr_is_sorted_and_hides_private_names() {
    let c = capture(|| {
        Manager::scope(|manager| {
            let n = manager.namespace()?;
            n.setattr("name", "Bob")?;
            n.setattr("job", "Builder")?;
            n.setattr("_hidden", "hidden")?;
            assert_eq!((n.getattr("name")?, n.getattr("job")?), (Value::from("Bob"), Value::from("Builder")));
            assert_eq!(n.repr()?, "Namespace(job='Builder', name='Bob')");
            n.delattr("job")?;
            assert_eq!(n.repr()?, "Namespace(name='Bob')");
            assert!(n.getattr("name").is_ok());
            assert!(n.getattr("job").is_err());
            Ok(())
        })
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn dict_namespace_value_queue_and_lock() {
    let c = capture(|| {
        Manager::scope(|manager| {
            let d = manager.dict()?;
            d.set("a", 1)?;
            d.set(2, "b")?;
            assert_eq!(d.repr()?, "{'a': 1, 2: 'b'}");
            assert_eq!(d.get("zz").unwrap_err().to_string(), "KeyError: 'zz'");
            let ns = manager.namespace()?;
            let p = Process::new(set_name, ns.clone());
            p.start()?;
            p.join(None)?;
            assert_eq!(ns.repr()?, "Namespace(x=10, y='hello')");
            assert_eq!(
                ns.getattr("z").unwrap_err().to_string(),
                "AttributeError: 'Namespace' object has no attribute 'z'"
            );
            let v = manager.value(Value::from(0.0))?;
            v.set(3.5)?;
            assert_eq!(v.get()?, Value::from(3.5));
            let q = manager.queue()?;
            assert!(q.get(Some(0.05)).is_err());
            q.put(42)?;
            assert_eq!(q.get(None)?, Value::from(42));
            let lock = manager.lock()?;
            assert!(lock.acquire(None)?);
            assert!(!lock.acquire(Some(0.05))?);
            lock.release()?;
            Ok(())
        })
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}
