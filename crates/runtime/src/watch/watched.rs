//! How a thread and an object report to their process's table: which table and slot the
//! calling thread reports to, a watched object's registration ([`Watched`], embedded in each
//! primitive), and a thread marked blocked on it while it waits ([`Blocked`]).

use super::record::{self, RecordKind, Waker};
use super::table::{ObjectKind, Table, Why};
use std::cell::Cell;
use std::sync::atomic::{AtomicU32, Ordering::*};

/// Which table and slot the calling thread reports to. Set by the thread machinery while a
/// Python-level thread runs on this worker; unset on bare std threads (tests of the
/// primitives), where watching is skipped.
#[derive(Clone, Copy)]
struct Me {
    table: *const Table,
    thread: u32,
    /// Which of the threads that had this slot this one is (see [`my_token`]).
    generation: u32,
}

thread_local! {
    static ME: Cell<Me> = const { Cell::new(Me { table: std::ptr::null(), thread: 0, generation: 0 }) };
    /// Objects made now are not watched (see [`unwatched`]).
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// The object id of an unwatched object (made in [`unwatched`], or where no run watches): it
/// has no slot in the table, and a wait on it is drawn as a wait inside the interpreter.
pub const INTERNAL: u32 = u32::MAX;

/// Runs `f` with the objects it makes unwatched: an interpreter's own (`threading.py`'s
/// per-thread events) would otherwise take the numbers the learner's objects are named by
/// (`lock 1`) and crowd the timeline. A thread that waits on one is still drawn waiting.
pub fn unwatched<R>(f: impl FnOnce() -> R) -> R {
    let was = QUIET.with(|q| q.replace(true));
    let out = f();
    QUIET.with(|q| q.set(was));
    out
}

/// Makes the calling thread report to `table` as `thread` until the returned guard drops.
///
/// # Safety
/// `table` must outlive the guard (the thread machinery keeps its process alive while a
/// thread runs).
pub unsafe fn enter(table: *const Table, thread: u32) -> Entered {
    // SAFETY: the caller promises `table` is alive.
    let generation = unsafe { &*table }.thread(thread).map_or(0, |s| s.starts.load(Relaxed));
    let previous = ME.with(|me| me.replace(Me { table, thread, generation }));
    Entered { previous }
}

pub struct Entered {
    previous: Me,
}

impl Drop for Entered {
    fn drop(&mut self) {
        ME.with(|me| me.set(self.previous));
    }
}

/// The calling thread's watch id (0 outside a watched thread).
#[inline]
pub fn my_id() -> u32 {
    ME.with(Cell::get).thread
}

/// The calling thread, told apart from every other thread of its process's run (a thread's
/// slot, and so its id, is reused once it ends): `generation << 10 | id`. A lock keeps the
/// last holder's, so that the next taker knows whether the lock changed threads.
#[inline]
pub fn my_token() -> u32 {
    let me = ME.with(Cell::get);
    me.generation << 10 | me.thread
}

/// The calling thread's table and [`my_token`], if it reports to one.
pub(super) fn current() -> Option<(&'static Table, u32)> {
    let me = ME.with(Cell::get);
    // SAFETY: a thread reports to a table only while its process lives (see `enter`), and
    // tables are never freed.
    (!me.table.is_null()).then(|| (unsafe { &*me.table }, me.generation << 10 | me.thread))
}

/// Turns the recording of who woke whom on or off for the calling thread's process (see
/// [`Table::set_recording`]); nothing outside a watched thread.
pub fn set_recording(on: bool) {
    if let Some((table, _)) = current() {
        table.set_recording(on);
    }
}

/// The id and generation a [`my_token`] holds.
pub const fn split_token(token: u32) -> (u32, u32) {
    (token & 0x3ff, token >> 10)
}

/// A watched object's registration; unregisters on drop. Embed one in each primitive.
pub struct Watched {
    id: u32,
    table: *const Table,
    /// Aliases report as the object but do not unregister it.
    owned: bool,
    /// A lock the learner sees, whose hand-overs are recorded (a queue's inner lock changes
    /// threads on every put and get: its arrows are the put's and the get's).
    hand_overs: bool,
}

// SAFETY: the table pointer is only dereferenced while the owning process is alive (tables
// are leaked), and the table is all atomics, so any thread may use it.
unsafe impl Send for Watched {}
// SAFETY: as above; `Watched` has no interior state of its own.
unsafe impl Sync for Watched {}

impl Watched {
    pub fn new(kind: ObjectKind, name: Option<&str>) -> Self {
        let me = ME.with(Cell::get);
        // Made where no run watches (an interpreter's boot, before Run: `threading.py`'s own
        // locks) or quietly: the runtime's own, not the program's. Not 0, which is a wait
        // between processes: a run's thread waiting for it would be drawn as one.
        if me.table.is_null() || QUIET.with(Cell::get) {
            return Watched { id: INTERNAL, table: std::ptr::null(), owned: false, hand_overs: false };
        }
        // SAFETY: see `with_me`.
        let id = unsafe { &*me.table }.object_created(kind, name);
        Watched { id, table: me.table, owned: true, hand_overs: kind.has_holder() }
    }

    /// Another handle reporting as the same object; it must not outlive the original.
    pub fn alias(&self) -> Watched {
        Watched { id: self.id, table: self.table, owned: false, hand_overs: self.hand_overs }
    }

    pub fn id(&self) -> u32 {
        self.id
    }

    fn table(&self) -> Option<&Table> {
        // SAFETY: objects created inside a process live no longer than its memory; natively
        // the process's table is leaked for exactly this reason (see `process`).
        (!self.table.is_null()).then(|| unsafe { &*self.table })
    }

    /// Tells the table where the lock's state word (holder inside) is now. Called before a
    /// wait: a lock value may have moved since it was made.
    pub fn set_state_word(&self, word: &AtomicU32) {
        if let Some(t) = self.table() {
            if let Some(slot) = t.object(self.id) {
                slot.state_word.store(word as *const AtomicU32 as usize, Relaxed);
            }
        }
    }

    /// Tells the table that this object is one of the run's segment, whose lock word is at
    /// `at` there (a cross-process lock: its holder may be a thread of another process).
    pub fn set_shared(&self, at: u32) {
        if let Some(t) = self.table() {
            if let Some(slot) = t.object(self.id) {
                slot.shared_at.store(at, Relaxed);
            }
        }
    }

    /// Records that nobody holds it.
    #[inline]
    pub fn released(&self) {
        if let Some(t) = self.table() {
            t.set_holder(self.id, 0);
        }
    }

    /// Records that the calling thread lets a waiter of this object go on (the timeline's
    /// "who woke whom"). Called on slow paths only: where a sleeper is woken.
    pub fn woke(&self) {
        let me = ME.with(Cell::get);
        // Only a thread of the object's own process: ids are per table.
        if me.table == self.table {
            self.woke_by(me.thread);
        }
    }

    /// Whether a notify by the calling thread is to tell the waiters it wakes who woke them
    /// (they record it as they go on, from their parkers: see `primitives::waiters`): as for
    /// [`woke`](Self::woke), only a thread of the object's own process, and only while it
    /// records.
    #[inline]
    pub fn records_wakers(&self) -> bool {
        current().is_some_and(|(table, _)| std::ptr::eq(table, self.table) && table.recording())
    }

    /// [`woke`](Self::woke) on behalf of `thread` (a thread whose end wakes its joiners has
    /// stopped reporting by then).
    pub fn woke_by(&self, thread: u32) {
        if let Some(t) = self.table() {
            t.woke(self.id, thread);
        }
    }

    /// Whether this change of threads is to be recorded: for a lock, its first
    /// [`HAND_OVERS_RECORDED`](super::table::HAND_OVERS_RECORDED) (counted whether the taker
    /// waited or not, so that the recorded ones chain); for anything else, always (a queue's
    /// inner lock: the arrows of its waits).
    pub fn hand_over_recorded(&self) -> bool {
        // An interpreter's own object has no table: its waits are drawn on the thread's.
        let table = self.table().or_else(|| current().map(|(t, _)| t));
        if !table.is_some_and(Table::recording) {
            return false;
        }
        if !self.hand_overs {
            return true;
        }
        let Some(slot) = table.and_then(|t| t.object(self.id)) else { return false };
        // Past the cap, a load and no write: two threads passing the lock do not also pass
        // this counter's cache line.
        let cap = super::table::HAND_OVERS_RECORDED;
        slot.hand_overs.load(Relaxed) < cap && slot.hand_overs.fetch_add(1, Relaxed) < cap
    }

    /// Records that the calling thread took this lock from thread `thread` of process `pid`
    /// (0: this one), after sleeping for it if `slept` (the wait just recorded), if it is a
    /// lock the learner sees and within its cap.
    pub fn handed_over(&self, pid: u32, (thread, generation): (u32, u32), slept: bool) {
        let me = ME.with(Cell::get);
        if !self.hand_overs || me.table != self.table || me.thread == 0 || !self.hand_over_recorded() {
            return;
        }
        if let Some(t) = self.table() {
            t.ring.push(
                RecordKind::HandOver,
                me.thread,
                self.id,
                &record::encode_hand_over(pid, (thread, generation), slept),
            );
        }
    }

    /// Marks the calling thread blocked on this object until the guard drops.
    pub fn block(&self, why: Why, timed: bool) -> Blocked {
        block_on(self.id, self.table, why, timed)
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        if !self.owned {
            return;
        }
        if let Some(t) = self.table() {
            t.object_dropped(self.id);
        }
    }
}

/// Marks the calling thread blocked on `object` of `table` until dropped.
fn block_on(object: u32, table: *const Table, why: Why, timed: bool) -> Blocked {
    let me = ME.with(Cell::get);
    // A thread reports to its own process's table only: an object of another table (a
    // native test's thread reaching into another "process") is not drawn.
    if me.table.is_null() || me.thread == 0 || (object != 0 && object != INTERNAL && me.table != table) {
        return Blocked { me: None, waker: None };
    }
    // SAFETY: see `with_me`.
    unsafe { &*me.table }.block(me.thread, object, why, timed);
    Blocked { me: Some(me), waker: None }
}

/// Marks the calling thread blocked on the object `id` of its own table until dropped.
pub fn blocked_on_id(id: u32, why: Why, timed: bool) -> Blocked {
    let me = ME.with(Cell::get);
    block_on(id, me.table, why, timed)
}

/// Marks the calling thread asleep (blocked on no object) until dropped.
pub fn sleeping() -> Blocked {
    block_on(0, std::ptr::null(), Why::Sleep, true)
}

#[must_use]
pub struct Blocked {
    me: Option<Me>,
    /// Who woke the thread, if its wait learned it itself (between processes).
    waker: Option<Waker>,
}

impl Blocked {
    /// The wait ends woken by thread `thread` of process `pid` at `at_us`: said when it ends.
    pub fn woken_by(&mut self, waker: Waker) {
        self.waker = Some(waker);
    }
}

impl Drop for Blocked {
    fn drop(&mut self) {
        if let Some(me) = self.me {
            // SAFETY: see `with_me`.
            unsafe { &*me.table }.unblock_woken(me.thread, self.waker);
        }
    }
}
