//! `multiprocessing.Manager()`: a server process that owns Python objects (list, dict,
//! Namespace, Value, Queue, Lock); other processes hold proxies and call methods on the
//! objects through it, so they all see one object (unlike a plain value passed to a child,
//! which is a copy).
//!
//! Requests go through one queue in the run's segment; each calling thread has its own reply
//! queue. As in CPython, which serves each connection in a thread of its own, a request that
//! can block (a queue's `get`, a lock's `acquire`) is served by a thread of the server, so
//! it never holds up the others.

use super::process::Process;
use super::queues::Queue;
use pp_runtime::errors::{PyErr, PyErrKind, PyResult};
use pp_runtime::py::{Repr, Value};
use pp_runtime::sync::RawMutex;
use pp_runtime::threading::{Lock, Thread};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

/// What a proxy asks of its object.
#[derive(Clone, Debug, Serialize, Deserialize)]
enum Op {
    Create(Kind, Value),
    Append(Value),
    GetItem(Value),
    SetItem(Value, Value),
    DelItem(Value),
    Len,
    Repr,
    /// The whole referent, copied (`list(proxy)`, `dict(proxy)`, `value.value`).
    Copy,
    Put(Value),
    Get(Option<f64>),
    Acquire(Option<f64>),
    Release,
    Shutdown,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
enum Kind {
    List,
    Dict,
    Namespace,
    Value,
    Queue,
    Lock,
}

#[derive(Serialize, Deserialize)]
struct Request {
    reply: Queue<Result<Value, PyErr>>,
    object: u64,
    op: Op,
}

enum Object {
    List(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    Namespace(Vec<(Value, Value)>),
    Value(Value),
    Queue(Arc<pp_runtime::queue::Queue<Value>>),
    Lock(Arc<Lock>),
}

fn key_error(key: &Value) -> PyErr {
    PyErr::new(PyErrKind::KeyError, key.repr())
}

fn index(len: usize, key: &Value) -> PyResult<usize> {
    match key {
        Value::Int(i) => {
            let i = if *i < 0 { *i + len as i64 } else { *i };
            if (0..len as i64).contains(&i) {
                Ok(i as usize)
            } else {
                Err(PyErr::new(PyErrKind::IndexError, "list index out of range"))
            }
        }
        _ => Err(PyErr::new(PyErrKind::TypeError, "list indices must be integers")),
    }
}

/// The server's objects.
#[derive(Default)]
struct Server {
    objects: RawMutex<HashMap<u64, Object>>,
    next: AtomicU64,
}

impl Server {
    fn create(&self, kind: Kind, init: Value) -> PyResult<Value> {
        let object = match (kind, init) {
            (Kind::List, Value::List(items)) => Object::List(items),
            (Kind::Dict, Value::Dict(items)) => Object::Dict(items),
            (Kind::Namespace, Value::Dict(items)) => Object::Namespace(items),
            (Kind::Value, v) => Object::Value(v),
            (Kind::Queue, _) => Object::Queue(Arc::new(pp_runtime::queue::Queue::new(0))),
            (Kind::Lock, _) => Object::Lock(Arc::new(Lock::new())),
            (kind, v) => {
                return Err(PyErr::new(PyErrKind::TypeError, format!("cannot make a {kind:?} from {}", v.repr())))
            }
        };
        let id = self.next.fetch_add(1, Relaxed) + 1;
        self.objects.lock().insert(id, object);
        Ok(Value::Int(id as i64))
    }

    /// Serves one request; blocking ones are given the object's handle and run outside the
    /// table's lock.
    fn serve(&self, id: u64, op: Op) -> PyResult<Value> {
        let blocking = {
            let objects = self.objects.lock();
            match (objects.get(&id), &op) {
                (Some(Object::Queue(q)), Op::Get(_)) => Some(Err(q.clone())),
                (Some(Object::Lock(l)), Op::Acquire(_)) => Some(Ok(l.clone())),
                _ => None,
            }
        };
        match (blocking, &op) {
            (Some(Err(q)), Op::Get(timeout)) => {
                return match timeout {
                    None => Ok(q.get()),
                    Some(t) => q.get_timeout(*t).map_err(PyErr::from),
                }
            }
            (Some(Ok(l)), Op::Acquire(timeout)) => return l.acquire(true, *timeout).map(Value::Bool),
            _ => {}
        }
        let mut objects = self.objects.lock();
        let object =
            objects.get_mut(&id).ok_or_else(|| PyErr::new(PyErrKind::KeyError, format!("no managed object {id}")))?;
        match (object, op) {
            (Object::List(items), Op::Append(v)) => {
                items.push(v);
                Ok(Value::None)
            }
            (Object::List(items), Op::GetItem(k)) => Ok(items[index(items.len(), &k)?].clone()),
            (Object::List(items), Op::SetItem(k, v)) => {
                let i = index(items.len(), &k)?;
                items[i] = v;
                Ok(Value::None)
            }
            (Object::List(items), Op::Len) => Ok(Value::Int(items.len() as i64)),
            (Object::List(items), Op::Copy | Op::Repr) => Ok(Value::List(items.clone())),
            (Object::Dict(items) | Object::Namespace(items), Op::GetItem(k)) => {
                items.iter().find(|(key, _)| *key == k).map(|(_, v)| v.clone()).ok_or_else(|| key_error(&k))
            }
            (Object::Dict(items) | Object::Namespace(items), Op::SetItem(k, v)) => {
                match items.iter_mut().find(|(key, _)| *key == k) {
                    Some(slot) => slot.1 = v,
                    None => items.push((k, v)),
                }
                Ok(Value::None)
            }
            (Object::Dict(items) | Object::Namespace(items), Op::DelItem(k)) => {
                let i = items.iter().position(|(key, _)| *key == k).ok_or_else(|| key_error(&k))?;
                items.remove(i);
                Ok(Value::None)
            }
            (Object::Dict(items), Op::Len) => Ok(Value::Int(items.len() as i64)),
            (Object::Dict(items) | Object::Namespace(items), Op::Copy | Op::Repr) => Ok(Value::Dict(items.clone())),
            (Object::Value(v), Op::Copy | Op::Repr) => Ok(v.clone()),
            (Object::Value(v), Op::SetItem(_, new)) => {
                *v = new;
                Ok(Value::None)
            }
            (Object::Queue(q), Op::Put(v)) => {
                q.put(v);
                Ok(Value::None)
            }
            (Object::Queue(q), Op::Len) => Ok(Value::Int(q.qsize() as i64)),
            (Object::Lock(l), Op::Release) => l.release().map(|()| Value::None),
            (_, op) => Err(PyErr::new(PyErrKind::AttributeError, format!("the managed object has no {op:?}"))),
        }
    }
}

/// The manager process's program.
/// The manager's own target: its server process.
pub(crate) fn targets() -> Vec<crate::target::Target> {
    vec![crate::target::Target::of(serve)]
}

fn serve(requests: Queue<Request>) -> PyResult<()> {
    let server = Arc::new(Server::default());
    loop {
        let Request { reply, object, op } = requests.get()?;
        match op {
            Op::Shutdown => {
                reply.put(&Ok(Value::None))?;
                return Ok(());
            }
            Op::Create(kind, init) => reply.put(&server.create(kind, init))?,
            op @ (Op::Get(_) | Op::Acquire(_)) => {
                let server = server.clone();
                Thread::new(move || reply.put(&server.serve(object, op))).with_daemon(true).start()?;
            }
            op => reply.put(&server.serve(object, op))?,
        }
    }
}

/// `multiprocessing.Manager()`: starts the server process.
pub struct Manager {
    requests: Queue<Request>,
    process: Process,
}

/// Where a manager's server puts the answers to one client thread.
type ReplyQueue = Queue<Result<Value, PyErr>>;

thread_local! {
    /// This thread's reply queue for each manager it has talked to (by requests queue).
    static REPLIES: RawMutex<Vec<(u32, ReplyQueue)>> = const { RawMutex::new(Vec::new()) };
}

/// Calls a method on a managed object and waits for the answer.
fn call(requests: &Queue<Request>, object: u64, op: Op) -> PyResult<Value> {
    let key = requests.ring_offset();
    let reply = REPLIES.with(|r| {
        let mut r = r.lock();
        if let Some((_, q)) = r.iter().find(|(k, _)| *k == key) {
            return Ok::<_, PyErr>(q.clone());
        }
        let q = Queue::new(0)?;
        r.push((key, q.clone()));
        Ok(q)
    })?;
    requests.put(&Request { reply: reply.clone(), object, op })?;
    reply.get()?
}

impl Manager {
    /// `Manager()`: a daemonic server process, ended when the program ends (or by
    /// `shutdown()`).
    pub fn new() -> PyResult<Manager> {
        let requests = Queue::new(0)?;
        let process = Process::new(serve, requests.clone())
            .with_name("SyncManager-1")
            .with_daemon(true)
            .with_prestarted_threads(1);
        process.start()?;
        Ok(Manager { requests, process })
    }

    /// `with Manager() as manager:`: shut down when the block ends.
    pub fn scope<R>(body: impl FnOnce(&Manager) -> PyResult<R>) -> PyResult<R> {
        let manager = Manager::new()?;
        let out = body(&manager);
        manager.shutdown();
        out
    }

    fn create(&self, kind: Kind, init: Value) -> PyResult<Proxy> {
        let id = call(&self.requests, 0, Op::Create(kind, init))?;
        match id {
            Value::Int(id) => Ok(Proxy { requests: self.requests.clone(), object: id as u64 }),
            other => Err(PyErr::runtime_error(format!("the manager answered {}", other.repr()))),
        }
    }

    /// `manager.list(items)`.
    pub fn list(&self, items: impl IntoIterator<Item = Value>) -> PyResult<ListProxy> {
        Ok(ListProxy(self.create(Kind::List, Value::List(items.into_iter().collect()))?))
    }

    /// `manager.dict()`.
    pub fn dict(&self) -> PyResult<DictProxy> {
        Ok(DictProxy(self.create(Kind::Dict, Value::Dict(Vec::new()))?))
    }

    /// `manager.Namespace()`.
    pub fn namespace(&self) -> PyResult<NamespaceProxy> {
        Ok(NamespaceProxy(self.create(Kind::Namespace, Value::Dict(Vec::new()))?))
    }

    /// `manager.Value(typecode, value)` (the typecode only documents it here).
    pub fn value(&self, value: Value) -> PyResult<ValueProxy> {
        Ok(ValueProxy(self.create(Kind::Value, value)?))
    }

    /// `manager.Queue()`.
    pub fn queue(&self) -> PyResult<QueueProxy> {
        Ok(QueueProxy(self.create(Kind::Queue, Value::None)?))
    }

    /// `manager.Lock()`.
    pub fn lock(&self) -> PyResult<LockProxy> {
        Ok(LockProxy(self.create(Kind::Lock, Value::None)?))
    }

    /// `shutdown()`: the server process ends.
    pub fn shutdown(&self) {
        if self.process.is_alive() {
            let _ = call(&self.requests, 0, Op::Shutdown);
            let _ = self.process.join(Some(5.0));
        }
    }
}

/// A reference to a managed object: crosses to a child process as such.
#[derive(Clone, Serialize, Deserialize)]
struct Proxy {
    requests: Queue<Request>,
    object: u64,
}

impl Proxy {
    fn call(&self, op: Op) -> PyResult<Value> {
        call(&self.requests, self.object, op)
    }
}

/// A proxy for a managed `list`.
#[derive(Clone, Serialize, Deserialize)]
pub struct ListProxy(Proxy);

// Python's list has `len()`, not an emptiness test; the proxy mirrors it.
#[allow(clippy::len_without_is_empty)]
impl ListProxy {
    pub fn append(&self, v: impl Into<Value>) -> PyResult<()> {
        self.0.call(Op::Append(v.into())).map(drop)
    }
    pub fn get(&self, i: i64) -> PyResult<Value> {
        self.0.call(Op::GetItem(Value::Int(i)))
    }
    pub fn set(&self, i: i64, v: impl Into<Value>) -> PyResult<()> {
        self.0.call(Op::SetItem(Value::Int(i), v.into())).map(drop)
    }
    pub fn len(&self) -> PyResult<usize> {
        match self.0.call(Op::Len)? {
            Value::Int(n) => Ok(n as usize),
            _ => Ok(0),
        }
    }
    /// `list(proxy)`: a copy of the referent.
    pub fn to_value(&self) -> PyResult<Value> {
        self.0.call(Op::Copy)
    }
    /// What `print(proxy)` prints: the referent's repr.
    pub fn repr(&self) -> PyResult<String> {
        Ok(self.0.call(Op::Repr)?.repr())
    }
}

/// A proxy for a managed `dict`.
#[derive(Clone, Serialize, Deserialize)]
pub struct DictProxy(Proxy);

#[allow(clippy::len_without_is_empty)] // as `ListProxy`
impl DictProxy {
    pub fn get(&self, k: impl Into<Value>) -> PyResult<Value> {
        self.0.call(Op::GetItem(k.into()))
    }
    pub fn set(&self, k: impl Into<Value>, v: impl Into<Value>) -> PyResult<()> {
        self.0.call(Op::SetItem(k.into(), v.into())).map(drop)
    }
    pub fn len(&self) -> PyResult<usize> {
        match self.0.call(Op::Len)? {
            Value::Int(n) => Ok(n as usize),
            _ => Ok(0),
        }
    }
    pub fn repr(&self) -> PyResult<String> {
        Ok(self.0.call(Op::Repr)?.repr())
    }
}

/// A proxy for a managed `Namespace`: attributes by name.
#[derive(Clone, Serialize, Deserialize)]
pub struct NamespaceProxy(Proxy);

impl NamespaceProxy {
    pub fn getattr(&self, name: &str) -> PyResult<Value> {
        self.0.call(Op::GetItem(name.into())).map_err(|e| match e.kind {
            PyErrKind::KeyError => {
                PyErr::new(PyErrKind::AttributeError, format!("'Namespace' object has no attribute '{name}'"))
            }
            _ => e,
        })
    }
    pub fn setattr(&self, name: &str, v: impl Into<Value>) -> PyResult<()> {
        self.0.call(Op::SetItem(name.into(), v.into())).map(drop)
    }
    /// `del ns.name`.
    pub fn delattr(&self, name: &str) -> PyResult<()> {
        self.0.call(Op::DelItem(name.into())).map(drop).map_err(|e| match e.kind {
            PyErrKind::KeyError => PyErr::new(PyErrKind::AttributeError, name.to_string()),
            _ => e,
        })
    }
    /// `str(ns)`: CPython's `Namespace.__repr__`, `Namespace(a=1, b='x')`: the attributes
    /// whose names do not start with `_`, sorted as `name=repr` texts.
    pub fn repr(&self) -> PyResult<String> {
        let Value::Dict(items) = self.0.call(Op::Repr)? else { return Ok("Namespace()".into()) };
        let mut parts: Vec<String> = items
            .iter()
            .filter(|(k, _)| !matches!(k, Value::Str(name) if name.starts_with('_')))
            .map(|(k, v)| format!("{k}={}", v.repr()))
            .collect();
        parts.sort();
        Ok(format!("Namespace({})", parts.join(", ")))
    }
}

/// A proxy for a managed `Value`.
#[derive(Clone, Serialize, Deserialize)]
pub struct ValueProxy(Proxy);

impl ValueProxy {
    pub fn get(&self) -> PyResult<Value> {
        self.0.call(Op::Copy)
    }
    pub fn set(&self, v: impl Into<Value>) -> PyResult<()> {
        self.0.call(Op::SetItem(Value::None, v.into())).map(drop)
    }
}

/// A proxy for a managed `queue.Queue`.
#[derive(Clone, Serialize, Deserialize)]
pub struct QueueProxy(Proxy);

impl QueueProxy {
    pub fn put(&self, v: impl Into<Value>) -> PyResult<()> {
        self.0.call(Op::Put(v.into())).map(drop)
    }
    pub fn get(&self, timeout: Option<f64>) -> PyResult<Value> {
        self.0.call(Op::Get(timeout))
    }
    pub fn qsize(&self) -> PyResult<usize> {
        match self.0.call(Op::Len)? {
            Value::Int(n) => Ok(n as usize),
            _ => Ok(0),
        }
    }
}

/// A proxy for a managed `threading.Lock`.
#[derive(Clone, Serialize, Deserialize)]
pub struct LockProxy(Proxy);

impl LockProxy {
    pub fn acquire(&self, timeout: Option<f64>) -> PyResult<bool> {
        match self.0.call(Op::Acquire(timeout))? {
            Value::Bool(b) => Ok(b),
            _ => Ok(false),
        }
    }
    pub fn release(&self) -> PyResult<()> {
        self.0.call(Op::Release).map(drop)
    }
}
