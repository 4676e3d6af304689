//! `threading.Barrier`: the primitive (`primitives::Barrier`, CPython's state machine) in
//! this process's memory, watched, with its action.

use crate::errors::{BarrierError, PyErr, PyResult};
use crate::primitives::{self, Local};
use crate::watch::{ObjectKind, Watched};

/// What a barrier runs in one thread once all parties have arrived.
pub type Action = Box<dyn Fn() -> PyResult<()> + Send + Sync>;

pub struct Barrier {
    barrier: primitives::Barrier<Local<6>>,
    timeout: Option<f64>,
    action: Option<Action>,
    watch: Watched,
}

impl Barrier {
    /// `Barrier(parties)`.
    pub fn new(parties: usize) -> PyResult<Barrier> {
        Self::with(parties, None, None)
    }

    /// `Barrier(parties, action=..., timeout=...)`: `action` runs in one thread once all
    /// have arrived; `timeout` is the default of `wait`.
    pub fn with(parties: usize, action: Option<Action>, timeout: Option<f64>) -> PyResult<Barrier> {
        Self::with_name(parties, action, timeout, None)
    }

    /// A Barrier with a display name for the UI (else `barrier N`).
    pub fn named(parties: usize, name: &str) -> PyResult<Barrier> {
        Self::with_name(parties, None, None, Some(name))
    }

    /// [`with`](Self::with), with a display name for the UI (else `barrier N`).
    pub fn with_name(
        parties: usize,
        action: Option<Action>,
        timeout: Option<f64>,
        name: Option<&str>,
    ) -> PyResult<Barrier> {
        let words = primitives::Barrier::<Local<6>>::initial(parties_of(parties)?);
        Ok(Barrier {
            barrier: primitives::Barrier::new(Local::with(&words)),
            timeout,
            action,
            watch: Watched::new(ObjectKind::Barrier, name),
        })
    }

    /// `wait(timeout=None)`: the thread's arrival index, 0..parties, once all have arrived.
    pub fn wait(&self, timeout: Option<f64>) -> Result<usize, BarrierError> {
        let deadline = crate::timeout::at_most(timeout.or(self.timeout));
        let index = self.barrier.wait(deadline, self.action.as_deref(), &self.watch)?;
        Ok(index as usize)
    }

    /// `reset()`: back to empty; threads waiting now get `BrokenBarrierError`.
    pub fn reset(&self) {
        self.barrier.reset()
    }

    /// `abort()`: breaks the barrier for everyone, now and later (until `reset`).
    pub fn abort(&self) {
        self.barrier.abort()
    }

    pub fn parties(&self) -> usize {
        self.barrier.parties() as usize
    }

    pub fn n_waiting(&self) -> usize {
        self.barrier.n_waiting() as usize
    }

    pub fn broken(&self) -> bool {
        self.barrier.broken()
    }
}

/// A barrier's parties, as Python's constructors check them (`threading` and
/// `multiprocessing` alike; CPython 3.13's check: 3.11 accepted 0 and then misbehaved).
pub fn parties_of(parties: usize) -> PyResult<u32> {
    match u32::try_from(parties) {
        Ok(0) => Err(PyErr::value_error("parties must be > 0")),
        Ok(n) => Ok(n),
        Err(_) => Err(PyErr::new(crate::PyErrKind::OverflowError, "too many parties")),
    }
}

impl std::fmt::Display for Barrier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = self as *const _ as usize;
        if self.broken() {
            return write!(f, "<threading.Barrier at {at:#x}: broken>");
        }
        write!(f, "<threading.Barrier at {at:#x}: waiters={}/{}>", self.n_waiting(), self.parties())
    }
}

impl std::fmt::Debug for Barrier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Barrier").finish_non_exhaustive()
    }
}
