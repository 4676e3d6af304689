//! `multiprocessing`'s Lock, RLock, Semaphore, BoundedSemaphore, Event, Condition and
//! Barrier: `threading`'s algorithms (`pp_runtime::primitives`) over words of the run's
//! segment, so threads of any process of the run share them. Each is its place in the
//! segment (plain offsets: it crosses to a child as it is) and a number, the same in every
//! process, that names it in each process's watch table (`mp lock 1`).
//!
//! Timeouts follow CPython's `SemLock.acquire(block, timeout)`: not blocking, the timeout is
//! ignored; blocking, a timeout of zero or less does not wait (`timeout::at_most`).

use super::shared::{segment, SharedObjects};
use pp_runtime::errors::{BarrierError, PyErr, PyErrKind, PyResult};
use pp_runtime::primitives::{self, ReleaseSave, SharedAt, Woken};
use pp_runtime::threading::{get_ident, parties_of, semaphore_value};
use pp_runtime::timeout::{self, Deadline};
use pp_runtime::watch::{ObjectKind, Watched, Why};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

fn released_too_many() -> PyErr {
    PyErr::value_error("semaphore or lock released too many times")
}

/// A SemLock's deadline: none when not blocking (it does not wait at all).
/// What every object here is: its words in the segment and its number in the run.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct Place {
    at: SharedAt,
    number: u32,
}

impl Place {
    fn alloc(words: u32, waiters: bool, initial: &[(u32, u32)]) -> PyResult<Place> {
        Ok(Place { at: SharedAt::alloc(words, waiters, initial)?, number: segment().next_shared_number() })
    }

    /// This process's watched view of it, made when first needed.
    fn watch(&self, kind: ObjectKind, label: impl FnOnce() -> String) -> Arc<Watched> {
        SharedObjects::watch(self.at.offset(0), kind, label)
    }
}

/// `multiprocessing.Lock()`: any process may release it.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Lock {
    place: Place,
    /// A display name given at creation, in the segment (offset, length; 0 for none), so
    /// that every process shows it.
    name: (u32, u32),
}

impl Lock {
    pub fn new() -> PyResult<Lock> {
        Ok(Lock { place: Place::alloc(primitives::Lock::<primitives::Shared>::WORDS, false, &[])?, name: (0, 0) })
    }

    /// A Lock with a display name for the UI, the same in every process (`record 1` in the
    /// deadlock pitfall).
    pub fn named(name: &str) -> PyResult<Lock> {
        let seg = segment();
        let at = seg.alloc(name.len() as u32)?;
        seg.write(at, name.as_bytes());
        Ok(Lock { name: (at, name.len() as u32), ..Lock::new()? })
    }

    fn lock(&self) -> primitives::Lock<primitives::Shared> {
        primitives::Lock::new(self.place.at.space())
    }

    fn watch(&self) -> Arc<Watched> {
        self.place.watch(ObjectKind::Lock, || match self.name {
            (_, 0) => format!("mp lock {}", self.place.number),
            (at, len) => {
                let mut bytes = vec![0u8; len as usize];
                segment().read(at, &mut bytes);
                String::from_utf8_lossy(&bytes).into_owned()
            }
        })
    }

    /// `acquire(block=True, timeout=None)`.
    pub fn acquire(&self, block: bool, timeout: Option<f64>) -> bool {
        self.lock().acquire(block, timeout::at_most_if(block, timeout), &self.watch())
    }

    pub fn release(&self) -> PyResult<()> {
        self.lock().release().map_err(|_| released_too_many())
    }

    /// `with lock:`
    pub fn enter(&self) -> Guard<'_> {
        self.acquire(true, None);
        Guard { release: Box::new(move || drop(self.release())) }
    }
}

/// Releases on every path out of a `with` block.
#[must_use = "released when the guard drops"]
pub struct Guard<'a> {
    release: Box<dyn Fn() + 'a>,
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        (self.release)()
    }
}

/// `multiprocessing.RLock()`: the owner (a thread of some process) may take it again.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct RLock {
    place: Place,
}

impl RLock {
    pub fn new() -> PyResult<RLock> {
        Ok(RLock { place: Place::alloc(primitives::RLock::<primitives::Shared>::WORDS, false, &[])? })
    }

    fn lock(&self) -> primitives::RLock<primitives::Shared> {
        primitives::RLock::new(self.place.at.space())
    }

    fn watch(&self) -> Arc<Watched> {
        let number = self.place.number;
        self.place.watch(ObjectKind::RLock, || format!("mp rlock {number}"))
    }

    pub fn acquire(&self, block: bool, timeout: Option<f64>) -> bool {
        self.lock().acquire(get_ident(), block, timeout::at_most_if(block, timeout), &self.watch())
    }

    pub fn release(&self) -> PyResult<()> {
        self.lock()
            .release(get_ident())
            .map_err(|_| PyErr::new(PyErrKind::AssertionError, "attempt to release recursive lock not owned by thread"))
    }

    fn owned_by_me(&self) -> bool {
        self.lock().is_owned(get_ident())
    }

    pub fn enter(&self) -> Guard<'_> {
        self.acquire(true, None);
        Guard { release: Box::new(move || drop(self.release())) }
    }
}

/// A Condition's wait lets its RLock go entirely and takes it back.
impl ReleaseSave for RLock {
    type Saved = u32;

    fn release_save(&self) -> u32 {
        self.lock().release_save()
    }

    fn acquire_restore(&self, count: u32) {
        self.lock().acquire_restore(get_ident(), count, &self.watch());
    }
}

/// `multiprocessing.Semaphore(value)` and `BoundedSemaphore(value)`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Semaphore {
    place: Place,
}

/// `multiprocessing.BoundedSemaphore`: a [`Semaphore`] (it derefs to one) whose releases
/// above the initial value are a `ValueError`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct BoundedSemaphore {
    sem: Semaphore,
}

impl BoundedSemaphore {
    pub fn new(value: i64) -> PyResult<BoundedSemaphore> {
        Ok(BoundedSemaphore { sem: Semaphore::build(value, true)? })
    }
}

impl std::ops::Deref for BoundedSemaphore {
    type Target = Semaphore;
    fn deref(&self) -> &Semaphore {
        &self.sem
    }
}

type SharedSemaphore = primitives::Semaphore<primitives::Shared>;

impl Semaphore {
    pub fn new(value: i64) -> PyResult<Semaphore> {
        Self::build(value, false)
    }

    /// `Semaphore(value)`, or (`bounded`) `BoundedSemaphore(value)`: an interpreter makes both
    /// kinds through one class.
    pub fn build(value: i64, bounded: bool) -> PyResult<Semaphore> {
        let value = semaphore_value(value)?;
        let initial = SharedSemaphore::initial(value, bounded.then_some(value));
        Ok(Semaphore { place: Place::alloc(SharedSemaphore::WORDS, true, &initial)? })
    }

    fn sem(&self) -> SharedSemaphore {
        primitives::Semaphore::new(self.place.at.space())
    }

    fn watch(&self) -> Arc<Watched> {
        let number = self.place.number;
        self.place.watch(ObjectKind::Semaphore, || format!("mp semaphore {number}"))
    }

    pub fn acquire(&self, block: bool, timeout: Option<f64>) -> PyResult<bool> {
        self.sem().acquire(block, timeout::at_most_if(block, timeout), &self.watch())
    }

    pub fn release(&self) -> PyResult<()> {
        self.sem().release(1, &self.watch()).map_err(|_| released_too_many())
    }

    pub fn get_value(&self) -> u32 {
        self.sem().value()
    }
}

/// `multiprocessing.Event()`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Event {
    place: Place,
}

type SharedEvent = primitives::Event<primitives::Shared>;

impl Event {
    pub fn new() -> PyResult<Event> {
        Ok(Event { place: Place::alloc(SharedEvent::WORDS, false, &[])? })
    }

    fn event(&self) -> SharedEvent {
        primitives::Event::new(self.place.at.space())
    }

    pub fn is_set(&self) -> bool {
        self.event().is_set()
    }

    fn watch(&self) -> Arc<Watched> {
        let number = self.place.number;
        self.place.watch(ObjectKind::Event, || format!("mp event {number}"))
    }

    pub fn set(&self) {
        self.event().set(&self.watch())
    }

    pub fn clear(&self) {
        self.event().clear()
    }

    pub fn wait(&self, timeout: Option<f64>) -> bool {
        self.event().wait(timeout::at_most(timeout), &self.watch())
    }
}

/// `multiprocessing.Condition(lock=None)`: over an RLock, as CPython's.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Condition {
    lock: RLock,
    place: Place,
}

impl Condition {
    pub fn new() -> PyResult<Condition> {
        Ok(Condition { lock: RLock::new()?, place: Place::alloc(0, true, &[])? })
    }

    fn cond(&self) -> primitives::Condition<primitives::Shared> {
        primitives::Condition::new(self.place.at.space())
    }

    pub fn acquire(&self, block: bool, timeout: Option<f64>) -> bool {
        self.lock.acquire(block, timeout)
    }

    pub fn release(&self) -> PyResult<()> {
        self.lock.release()
    }

    pub fn enter(&self) -> Guard<'_> {
        self.lock.enter()
    }

    fn check_owned(&self, what: &str) -> PyResult<()> {
        if self.lock.owned_by_me() {
            Ok(())
        } else {
            Err(PyErr::new(PyErrKind::AssertionError, format!("must acquire() condition before using {what}()")))
        }
    }

    /// `wait(timeout=None)`: `true` unless the timeout expired.
    pub fn wait(&self, timeout: Option<f64>) -> PyResult<bool> {
        self.wait_deadline(timeout::at_most(timeout))
    }

    fn watch(&self) -> Arc<Watched> {
        let number = self.place.number;
        self.place.watch(ObjectKind::Condition, || format!("mp condition {number}"))
    }

    fn wait_deadline(&self, deadline: Deadline) -> PyResult<bool> {
        self.check_owned("wait")?;
        Ok(self.cond().wait(&self.lock, deadline, &self.watch(), Why::Wait)? == Woken::Notified)
    }

    /// `wait_for(predicate, timeout=None)`, as `threading`'s.
    pub fn wait_for(&self, mut predicate: impl FnMut() -> bool, timeout: Option<f64>) -> PyResult<bool> {
        let wait = |deadline| self.wait_deadline(deadline).map(drop);
        primitives::wait_for(timeout::at_most(timeout), || Ok(predicate()), wait)
    }

    pub fn notify(&self, n: u32) -> PyResult<()> {
        self.check_owned("notify")?;
        self.cond().notify(n as usize, &self.watch());
        Ok(())
    }

    pub fn notify_all(&self) -> PyResult<()> {
        self.notify(u32::MAX)
    }
}

/// `multiprocessing.Barrier(parties, timeout=None)`. (The `action` of a process-shared
/// barrier would have to be a plain function; the ports have no use for one.)
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Barrier {
    place: Place,
    timeout: Option<f64>,
}

type SharedBarrier = primitives::Barrier<primitives::Shared>;

impl Barrier {
    pub fn new(parties: usize, timeout: Option<f64>) -> PyResult<Barrier> {
        let initial = SharedBarrier::initial(parties_of(parties)?);
        Ok(Barrier { place: Place::alloc(SharedBarrier::WORDS, false, &initial)?, timeout })
    }

    fn barrier(&self) -> SharedBarrier {
        primitives::Barrier::new(self.place.at.space())
    }

    /// `wait(timeout=None)`: this party's index once all have arrived.
    pub fn wait(&self, timeout: Option<f64>) -> PyResult<u32> {
        let number = self.place.number;
        let watch = self.place.watch(ObjectKind::Barrier, || format!("mp barrier {number}"));
        let deadline = timeout::at_most(timeout.or(self.timeout));
        self.barrier().wait(deadline, None, &watch).map_err(|e: BarrierError| e.into())
    }

    pub fn abort(&self) {
        self.barrier().abort()
    }

    pub fn reset(&self) {
        self.barrier().reset()
    }

    pub fn parties(&self) -> u32 {
        self.barrier().parties()
    }

    pub fn n_waiting(&self) -> u32 {
        self.barrier().n_waiting()
    }

    pub fn broken(&self) -> bool {
        self.barrier().broken()
    }
}
