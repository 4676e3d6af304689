//! The stop check: where a thread ends because its program no longer wants it.
//!
//! Two things end a thread from outside: its program finished while it is a daemon (CPython
//! stops daemon threads when they next need the interpreter), and, natively, its process was
//! terminated (a child process is a thread there and cannot be killed; in the browser the host
//! terminates the process's workers, which is the real thing). Every blocking point and every
//! print calls [`check`]; it sits below everything (the watch ring and the segment call it), so
//! it knows nothing of threads or processes: only a process's [`StopFlags`] and whether the
//! calling thread is a daemon, which the thread machinery tells it ([`enter`]).

use super::segment::Segment;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering::*};

/// What ends a process's threads from outside: part of each process's state.
pub struct StopFlags {
    /// The program has finished: daemon threads stop at their next check.
    finalizing: AtomicBool,
    /// Natively, a segment word a parent sets to terminate this process (a child).
    terminate: Option<(Segment, u32)>,
}

impl StopFlags {
    /// `terminate` is the segment word a parent writes to terminate this process natively;
    /// `None` for the run's first process, and in the browser, where the host ends workers.
    pub fn new(terminate: Option<(Segment, u32)>) -> StopFlags {
        StopFlags { finalizing: AtomicBool::new(false), terminate }
    }

    pub fn set_finalizing(&self) {
        self.finalizing.store(true, Release);
    }

    pub fn is_finalizing(&self) -> bool {
        self.finalizing.load(Acquire)
    }

    /// The signal a parent terminated this process with, if it did (natively).
    pub fn terminated(&self) -> Option<u32> {
        self.terminate.as_ref().map(|(seg, at)| seg.load(*at)).filter(|&signal| signal != 0)
    }
}

/// The unwinding payload that ends a stopped thread natively; the thread's wrapper catches it
/// and ends the thread quietly. (In the browser nothing unwinds: the thread parks for good
/// and the host terminates its worker.)
pub struct Stopped;

#[derive(Clone, Copy)]
struct Mine {
    flags: *const StopFlags,
    daemon: bool,
}

thread_local! {
    static MINE: Cell<Mine> = const { Cell::new(Mine { flags: std::ptr::null(), daemon: false }) };
}

/// Makes [`check`] on the calling thread look at `flags` until the guard drops.
pub fn enter(flags: &'static StopFlags, daemon: bool) -> Entered {
    Entered { previous: MINE.with(|m| m.replace(Mine { flags, daemon })) }
}

#[must_use]
pub struct Entered {
    previous: Mine,
}

impl Drop for Entered {
    fn drop(&mut self) {
        MINE.with(|m| m.set(self.previous));
    }
}

/// Ends the calling thread if its process was terminated, or if its program finished and it
/// is a daemon. Returns otherwise. Never call it while holding a lock others need.
#[inline]
pub fn check() {
    let mine = MINE.with(Cell::get);
    if mine.flags.is_null() {
        return;
    }
    // SAFETY: `enter` takes a `&'static StopFlags` (process states are leaked).
    let flags = unsafe { &*mine.flags };
    if flags.terminated().is_some() || (mine.daemon && flags.is_finalizing()) {
        stop_this_thread();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn stop_this_thread() -> ! {
    std::panic::resume_unwind(Box::new(Stopped))
}

#[cfg(target_arch = "wasm32")]
fn stop_this_thread() -> ! {
    // panic=abort: no unwinding. Park for good; the host terminates the worker. A parked
    // daemon may hold the simulated GIL: nothing needs it once the program has finished.
    let never = std::sync::atomic::AtomicU32::new(0);
    loop {
        super::futex::wait(&never, 0, None);
    }
}
