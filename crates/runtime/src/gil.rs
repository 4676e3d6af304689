//! A simulated global interpreter lock, as CPython's (the "new GIL" of Python 3.2+, see
//! `Python/ceval_gil.c`), so that examples can run the way the tutorial's CPython ran them.
//!
//! When a process runs with the GIL on, a Python thread holds it while it runs and lets go
//! only when it blocks (a lock wait, a sleep, a join, a queue wait: every blocking path of
//! the primitives calls [`unlocked`]) or when another thread has waited a switch interval
//! (5 ms, CPython's default) and asked for it: the holder then hands over at its next
//! [`checkpoint`], which the ports call where Python's eval loop would (`print`, the inner
//! loops of CPU-bound code). Only one thread runs Python at a time, and the timeline shows
//! the others waiting for the GIL.
//!
//! With the GIL off (free-threaded Python) every call here does nothing.
//!
//! An interpreter whose eval loop polls a flag of ours (the Python module gives one per
//! thread, which its patched safepoint checks) gives it here ([`set_thread_poke`]): a thread
//! that asks the holder to hand over also sets the holder's flag, so the holder reaches its
//! [`checkpoint`] at its very next instruction. `sys.setswitchinterval` sets the interval
//! ([`Gil::set_switch_interval`]).

use crate::runtime::Runtime;
use crate::watch::order;
use crate::watch::step::{self, Point};
use crate::watch::{Table, Why};
use pp_platform::futex;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, Ordering::*};
use std::time::Duration;

/// CPython's `sys.getswitchinterval()` default.
pub const SWITCH_INTERVAL: Duration = Duration::from_millis(5);

pub struct Gil {
    /// Decided when the program starts (a process may boot before it knows).
    enabled: AtomicBool,
    /// 0 free, 1 held.
    locked: AtomicU32,
    /// 1 when a waiter has waited a whole interval: the holder should hand over.
    drop_request: AtomicU32,
    /// Bumped on every take: a holder that handed over waits until someone took it
    /// (CPython's FORCE_SWITCHING), so it cannot just take it straight back.
    switches: AtomicU32,
    /// The GIL as a watched object: waits for it show in the timeline.
    watch_id: AtomicU32,
    /// How long a waiter waits before it asks the holder to hand over (µs).
    interval_us: AtomicU64,
    /// The holder's poke flag, if its interpreter gave one (see [`set_thread_poke`]).
    holder_poke: AtomicPtr<AtomicBool>,
    /// Not 0 while a thread waits to take it, or has handed it over and will, from a point of
    /// the learner's program (a shaken run hands over at its own points only to such a
    /// thread: see [`point_checkpoint`]). A thread that handed over is counted twice once it
    /// waits: only zero or not is read.
    waiting_in_program: AtomicU32,
}

thread_local! {
    /// The GIL this thread holds, if any.
    static HELD: Cell<*const Gil> = const { Cell::new(std::ptr::null()) };
    /// This thread's poke flag (see [`set_thread_poke`]).
    static POKE: Cell<*const AtomicBool> = const { Cell::new(std::ptr::null()) };
}

/// Gives the calling thread's poke flag: set when another thread asks this one to hand the
/// GIL over, so that an eval loop polling it reaches [`checkpoint`] at once. `'static`: the
/// flag must outlive every thread that may set it.
pub fn set_thread_poke(flag: Option<&'static AtomicBool>) {
    let flag = flag.map_or(std::ptr::null(), |f| f as *const AtomicBool);
    POKE.with(|p| p.set(flag));
    // A thread that holds the GIL already (it took it when it started, before it had a flag
    // to give) is poked through this one from now on.
    let held = HELD.with(Cell::get);
    if !held.is_null() {
        // SAFETY: a held GIL belongs to a leaked (static) runtime.
        unsafe { &*held }.holder_poke.store(flag as *mut AtomicBool, Release);
    }
}

impl Default for Gil {
    fn default() -> Self {
        Self::new()
    }
}

impl Gil {
    /// The process's GIL (a [`Runtime`] extension: off until the program turns it on).
    pub fn of(rt: &Runtime) -> &'static Gil {
        rt.extension::<Gil>()
    }

    pub const fn new() -> Gil {
        Gil {
            enabled: AtomicBool::new(false),
            locked: AtomicU32::new(0),
            drop_request: AtomicU32::new(0),
            switches: AtomicU32::new(0),
            watch_id: AtomicU32::new(0),
            interval_us: AtomicU64::new(SWITCH_INTERVAL.as_micros() as u64),
            holder_poke: AtomicPtr::new(std::ptr::null_mut()),
            waiting_in_program: AtomicU32::new(0),
        }
    }

    /// `sys.setswitchinterval(seconds)`: how long a waiting thread lets the holder run.
    pub fn set_switch_interval(&self, interval: Duration) {
        self.interval_us.store(interval.as_micros().clamp(1, u128::from(u64::MAX)) as u64, Relaxed);
    }

    /// `sys.getswitchinterval()`.
    pub fn switch_interval(&self) -> Duration {
        Duration::from_micros(self.interval_us.load(Relaxed))
    }

    /// Turns the GIL on, before the program's first thread takes it.
    pub fn enable(&self, table: &Table) {
        let id = table.object_created(crate::watch::ObjectKind::Gil, Some("the GIL"));
        self.watch_id.store(id, Relaxed);
        self.enabled.store(true, Release);
    }

    pub fn enabled(&self) -> bool {
        self.enabled.load(Acquire)
    }

    /// Takes the GIL for the calling thread (a thread starting, or coming back from a wait).
    pub fn take(&'static self) {
        if !self.enabled() {
            return;
        }
        if self.locked.compare_exchange(0, 1, Acquire, Relaxed).is_err() {
            self.take_contended();
        }
        self.took();
    }

    /// The calling thread has just taken the GIL.
    fn took(&'static self) {
        self.drop_request.store(0, Relaxed);
        self.holder_poke.store(POKE.with(Cell::get) as *mut AtomicBool, Release);
        self.switches.fetch_add(1, Release);
        futex::wake_all(&self.switches);
        HELD.with(|h| h.set(self));
    }

    #[cold]
    fn take_contended(&self) {
        self.take_contended_shown(None)
    }

    /// [`Self::take_contended`], the wait already in the timeline if `shown`.
    fn take_contended_shown(&self, shown: Option<crate::watch::Blocked>) {
        let _wants = Wanting::count(&self.waiting_in_program);
        let mut blocked = shown;
        loop {
            let seen = self.switches.load(Acquire);
            if futex::spin(&self.locked, 1) && self.locked.compare_exchange(0, 1, Acquire, Relaxed).is_ok() {
                return;
            }
            if blocked.is_none() {
                blocked = Some(crate::watch::blocked_on_id(self.watch_id.load(Relaxed), Why::Acquire, false));
            }
            // Shaken, the interval is the seed's, different each time.
            let interval = crate::watch::shake::switch_interval(self.switch_interval());
            let woken = futex::wait(&self.locked, 1, Some(interval));
            if self.locked.compare_exchange(0, 1, Acquire, Relaxed).is_ok() {
                return;
            }
            // A whole interval without a switch: ask the holder to hand over.
            if !woken && self.switches.load(Acquire) == seen {
                self.drop_request.store(1, Relaxed);
                let poke = self.holder_poke.load(Acquire);
                if !poke.is_null() {
                    // SAFETY: a poke flag is `'static` (`set_thread_poke`).
                    unsafe { &*poke }.store(true, Release);
                }
            }
        }
    }

    fn drop_gil(&self) {
        HELD.with(|h| h.set(std::ptr::null()));
        self.holder_poke.store(std::ptr::null_mut(), Release);
        self.locked.store(0, Release);
        futex::wake(&self.locked, 1);
    }

    /// Hands over if another thread asked; the holder calls it often.
    #[inline]
    pub fn checkpoint(&'static self) {
        if self.drop_request.load(Relaxed) != 0 && self.held_by_me() {
            self.hand_over();
        }
    }

    #[cold]
    fn hand_over(&'static self) {
        // In the timeline the thread waits from before it lets go: drawn running until after,
        // it would overlap the next holder, and the GIL would seem to let two threads run.
        let shown = crate::watch::blocked_on_id(self.watch_id.load(Relaxed), Why::Acquire, false);
        let seen = self.switches.load(Acquire);
        // Counted from before it lets go: the thread it hands to sees at once that this one
        // wants the GIL back (a shaken run's switch at a point waits for that), not only once
        // this one has woken and found it taken.
        let _wants = Wanting::count(&self.waiting_in_program);
        self.drop_gil();
        while self.switches.load(Acquire) == seen {
            if !futex::wait(&self.switches, seen, Some(self.switch_interval())) {
                break; // nobody took it after all
            }
        }
        if self.locked.compare_exchange(0, 1, Acquire, Relaxed).is_err() {
            self.take_contended_shown(Some(shown));
        }
        self.took();
    }

    fn held_by_me(&self) -> bool {
        HELD.with(|h| std::ptr::eq(h.get(), self))
    }
}

/// The calling thread counted in [`Gil::waiting_in_program`] until it has taken the GIL, if it
/// waits in the learner's program.
struct Wanting<'a>(Option<&'a AtomicU32>);

impl<'a> Wanting<'a> {
    fn count(waiting: &'a AtomicU32) -> Wanting<'a> {
        if !step::in_program() {
            return Wanting(None);
        }
        waiting.fetch_add(1, Relaxed);
        Wanting(Some(waiting))
    }
}

impl Drop for Wanting<'_> {
    fn drop(&mut self) {
        if let Some(waiting) = self.0 {
            waiting.fetch_sub(1, Relaxed);
        }
    }
}

/// Releases the calling thread's GIL, if it holds one, until the guard drops. Every
/// blocking wait of the primitives sits inside one.
pub fn unlocked() -> Unlocked {
    let gil = HELD.with(Cell::get);
    if !gil.is_null() {
        // SAFETY: a held GIL belongs to a leaked (static) runtime.
        unsafe { &*gil }.drop_gil();
    }
    Unlocked { gil }
}

#[must_use = "the GIL is taken back when the guard drops"]
pub struct Unlocked {
    gil: *const Gil,
}

impl Drop for Unlocked {
    fn drop(&mut self) {
        if !self.gil.is_null() {
            // SAFETY: see `unlocked`.
            unsafe { &*self.gil }.take();
        }
    }
}

/// A scheduling point of the runtime (before and after an acquire, before a release, a wait,
/// a notify, a set, a print): in a shaken run (`watch::shake`) the thread pauses here as its
/// seed says, and in a stepped run (`watch::step`) it waits for the learner's go; either way
/// with the GIL let go, so that another thread may run here.
#[inline]
pub fn scheduling_point(point: Point) {
    if crate::watch::ever_paused() {
        paused(point);
    }
}

#[cold]
fn paused(point: Point) {
    if step::active() {
        step_point(point, 0);
        return;
    }
    // The take of a lock and its `Acquired` point are one step of a recorded order
    // (`primitives::lock`): that point's pass is counted before its pause, every other
    // point's after (the pass is where the thread goes on).
    if point == Point::Acquired {
        order_point(point, 0);
    }
    if crate::watch::shake::active() {
        shaken_pause();
    }
    if point != Point::Acquired {
        order_point(point, 0);
    }
}

/// Passes `point` (of the program's `line`) in a run that records or replays its order
/// (`watch::order`): counted there, and in a replay first waited for, the GIL let go
/// meanwhile. The Python module's own points (a new line, a write) come here too.
pub fn order_point(point: Point, line: u32) {
    let Some(pass) = order::at(point, line) else { return };
    if pass.replaying() {
        let _gil = unlocked();
        pass.wait_turn();
    }
    pass.count();
}

/// Waits at `point` (of the program's `line`, 0 for none) for the learner's go, the GIL let
/// go meanwhile: a stepped run's point (see `watch::step`). The Python module's own points (a
/// new line, a write) come here too.
pub fn step_point(point: Point, line: u32) {
    let _gil = unlocked();
    step::park(point, line);
}

#[cold]
fn shaken_pause() {
    use crate::watch::shake::Pause;
    let pause = match crate::watch::shake::next_pause() {
        None | Some(Pause::None) => return,
        Some(pause) => pause,
    };
    let _gil = unlocked();
    pp_platform::stop::check();
    if let Pause::Sleep(us) = pause {
        // A wait nobody wakes: a sleep that is not drawn as one (it is the runtime's, not
        // the program's).
        let word = AtomicU32::new(0);
        futex::wait(&word, 0, Some(Duration::from_micros(u64::from(us))));
    }
}

/// At a point of the learner's program in a run that records its order (where such a run's
/// GIL changes hands, see `watch::order`): hands over if another thread asked and, in a
/// shaken run, also where the seed says (`watch::shake::switch_here`) if another thread
/// wants it at a point of the learner's program too. A check and the write that follows it
/// are two points, so a seed can put the other thread between them on any machine; a switch
/// interval running out lands there only as the machine's timing has it (a busy flag checked
/// and then set went unproved in 20 shaken runs on a slow machine when that was all). A thread
/// that wants the GIL in the standard library's code (starting or joining a thread), where no
/// pass is counted, gets it as in a plain run, when its switch interval runs out.
pub fn point_checkpoint() {
    let gil = HELD.with(Cell::get);
    if gil.is_null() {
        return;
    }
    // SAFETY: see `unlocked`.
    let gil = unsafe { &*gil };
    if gil.waiting_in_program.load(Relaxed) != 0 && crate::watch::shake::switch_here() {
        gil.hand_over();
    } else {
        gil.checkpoint();
    }
}

/// Lets another thread in if one has waited a switch interval: where CPython's eval loop
/// would check (`print`, a port's inner loop).
#[inline]
pub fn checkpoint() {
    let gil = HELD.with(Cell::get);
    if !gil.is_null() {
        // SAFETY: see `unlocked`.
        unsafe { &*gil }.checkpoint();
    }
}

impl Gil {
    /// Runs `f` with this GIL off (a benchmark row beside the GIL-on ones): the caller gives
    /// the GIL up, threads started meanwhile run free, and the caller takes it back.
    pub fn without<R>(&'static self, f: impl FnOnce() -> R) -> R {
        if !self.enabled() {
            return f();
        }
        release_for_good();
        self.enabled.store(false, Release);
        let out = f();
        self.enabled.store(true, Release);
        self.take();
        out
    }
}

/// [`Gil::without`] on the calling thread's process.
pub fn without<R>(f: impl FnOnce() -> R) -> R {
    Gil::of(Runtime::current()).without(f)
}

/// Whether the calling thread's process runs with the GIL on.
pub fn enabled() -> bool {
    Gil::of(Runtime::current()).enabled()
}

/// Gives up the GIL for good (a thread ending).
pub fn release_for_good() {
    let gil = HELD.with(Cell::get);
    if !gil.is_null() {
        // SAFETY: see `unlocked`.
        unsafe { &*gil }.drop_gil();
    }
}
