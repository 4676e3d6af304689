//! The watch table: who runs, who waits on what, who holds what, in each process.
//!
//! It is part of the primitives, not a wrapper: `threading::Lock` stores its holder here on
//! every acquire (one relaxed store), and every blocking slow path marks its thread blocked
//! on an object before it waits. A host that does not share the process's memory (the UI's
//! main thread) reads it with plain atomic loads, never a wait:
//!
//! - [`Table`] is a fixed-layout (`repr(C)`) array of thread slots and object slots, a
//!   snapshot of *now*: enough to find a cycle in the wait-for graph (see [`graph`]).
//! - [`ring::Ring`] is a byte ring of records (console lines, thread start/end, block and
//!   unblock, object names), the *history*: the console and the timeline are built from it.
//!
//! A thread slot's id is its index + 1; an object's too. 0 means "none" or "not watched"
//! (the table is full): watching is best effort and says so (`Table::untracked`), the
//! program's behaviour never depends on it.

// The host's side (reading another memory's table, decoding, the console's order, the
// wait-for graph) serves the page (`pp-web`) and the native harness (`pp-testing`).
pub mod console;
pub mod graph;
pub mod reader;
pub mod record;
pub mod ring;

use std::cell::Cell;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering::*};

pub use record::{Record, RecordKind};
pub use ring::Ring;

pub const MAGIC: u32 = 0x5050_5754; // "PPWT"

pub const THREAD_SLOTS: usize = 512;
pub const OBJECT_SLOTS: usize = 2048;

/// What a thread is doing, as the UI draws it. `Running` means runnable: a browser does not
/// say which worker is on a core.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreadState {
    Free = 0,
    Running = 1,
    Blocked = 2,
    Done = 3,
}

/// The kinds of watched objects; the UI names them `lock 1`, `queue 2`, ...
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    Lock = 1,
    RLock = 2,
    Condition = 3,
    Semaphore = 4,
    Event = 5,
    Barrier = 6,
    Queue = 7,
    Thread = 8,
    Sleep = 9,
    Pipe = 10,
    Process = 11,
    Pool = 12,
    Result = 13,
    Gil = 14,
}

impl ObjectKind {
    pub fn from_u32(v: u32) -> Option<Self> {
        use ObjectKind::*;
        Some(match v {
            1 => Lock,
            2 => RLock,
            3 => Condition,
            4 => Semaphore,
            5 => Event,
            6 => Barrier,
            7 => Queue,
            8 => Thread,
            9 => Sleep,
            10 => Pipe,
            11 => Process,
            12 => Pool,
            13 => Result,
            14 => Gil,
            _ => return None,
        })
    }

    /// The word the UI uses for an object of this kind.
    pub fn noun(self) -> &'static str {
        use ObjectKind::*;
        match self {
            Lock => "lock",
            RLock => "rlock",
            Condition => "condition",
            Semaphore => "semaphore",
            Event => "event",
            Barrier => "barrier",
            Queue => "queue",
            Thread => "thread",
            Sleep => "sleep",
            Pipe => "pipe",
            Process => "process",
            Pool => "pool",
            Result => "result",
            Gil => "GIL",
        }
    }

    /// Objects with one holder, the only ones that give wait-for edges.
    pub fn has_holder(self) -> bool {
        matches!(self, ObjectKind::Lock | ObjectKind::RLock)
    }
}

/// What a blocked thread is doing, shown beside the object it waits on.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    Acquire = 1,
    Wait = 2,
    Get = 3,
    Put = 4,
    Join = 5,
    Sleep = 6,
    Recv = 7,
    Send = 8,
    /// `Thread.start()` waiting for the new thread to begin.
    Start = 9,
}

impl Why {
    pub fn from_u8(v: u8) -> Option<Self> {
        use Why::*;
        [Acquire, Wait, Get, Put, Join, Sleep, Recv, Send, Start].into_iter().find(|w| *w as u8 == v)
    }

    pub fn verb(self) -> &'static str {
        use Why::*;
        match self {
            Acquire => "acquire",
            Wait => "wait",
            Get => "get",
            Put => "put",
            Join => "join",
            Sleep => "sleep",
            Recv => "recv",
            Send => "send",
            Start => "start",
        }
    }
}

#[repr(C)]
pub struct ThreadSlot {
    /// [`ThreadState`] as u32.
    pub state: AtomicU32,
    /// Object id this thread is blocked on, 0 when running.
    pub waits_on: AtomicU32,
    /// 1 when the current wait has a timeout (so it will end by itself: never a deadlock).
    pub timed: AtomicU32,
    /// How many times the thread has blocked: unchanged over a while means "still the same
    /// wait", which the deadlock check needs.
    pub blocks: AtomicU32,
}

#[repr(C)]
pub struct ObjectSlot {
    /// [`ObjectKind`] as u32, 0 when the slot is free.
    pub kind: AtomicU32,
    /// Thread id "holding" it, for objects that say so themselves (a running thread holds
    /// its own completion: joiners wait for it). 0 when none.
    pub holder: AtomicU32,
    /// Address of a lock's state word, whose upper bits are its holder's id (see
    /// `sync::mutex`); 0 until someone first waited for the lock.
    pub state_word: AtomicUsize,
    /// For an object in the run's shared segment (a `multiprocessing.Lock`), the offset of
    /// its lock word there, whose holder is a thread of any process (`pid << 10 | id`); 0
    /// for an object of this process alone.
    pub shared_at: AtomicU32,
}

/// The fixed layout the host reads. Field offsets are the protocol; `VERSION` changes with them.
#[repr(C)]
pub struct Table {
    pub magic: u32,
    pub version: u32,
    pub thread_slots: u32,
    pub object_slots: u32,
    /// Objects and threads that found the table full and are not watched.
    pub untracked: AtomicU32,
    pub threads: [ThreadSlot; THREAD_SLOTS],
    pub objects: [ObjectSlot; OBJECT_SLOTS],
    pub ring: Ring,
    /// Next object number per kind, for display names (`lock 1`, `lock 2`, ...).
    counters: [AtomicU32; 16],
}

pub const VERSION: u32 = 4;

impl Table {
    /// A table and its ring, at a stable address (the host is told this address).
    pub fn new_boxed(ring_capacity: usize) -> Box<Table> {
        Box::new(Table {
            magic: MAGIC,
            version: VERSION,
            thread_slots: THREAD_SLOTS as u32,
            object_slots: OBJECT_SLOTS as u32,
            untracked: AtomicU32::new(0),
            threads: std::array::from_fn(|_| ThreadSlot {
                state: AtomicU32::new(0),
                waits_on: AtomicU32::new(0),
                timed: AtomicU32::new(0),
                blocks: AtomicU32::new(0),
            }),
            objects: std::array::from_fn(|_| ObjectSlot {
                kind: AtomicU32::new(0),
                holder: AtomicU32::new(0),
                state_word: AtomicUsize::new(0),
                shared_at: AtomicU32::new(0),
            }),
            ring: Ring::new(ring_capacity),
            counters: std::array::from_fn(|_| AtomicU32::new(0)),
        })
    }

    /// Claims a thread slot and announces the thread; 0 when the table is full.
    pub fn thread_started(&self, name: &str) -> u32 {
        for (i, slot) in self.threads.iter().enumerate() {
            let s = slot.state.load(Relaxed);
            if (s == ThreadState::Free as u32 || s == ThreadState::Done as u32)
                && slot.state.compare_exchange(s, ThreadState::Running as u32, AcqRel, Relaxed).is_ok()
            {
                slot.waits_on.store(0, Relaxed);
                let id = i as u32 + 1;
                self.ring.push(RecordKind::ThreadStart, id, 0, name.as_bytes());
                return id;
            }
        }
        self.untracked.fetch_add(1, Relaxed);
        0
    }

    pub fn thread_renamed(&self, id: u32, name: &str) {
        if id != 0 {
            self.ring.push(RecordKind::ThreadRename, id, 0, name.as_bytes());
        }
    }

    pub fn thread_finished(&self, id: u32) {
        if let Some(slot) = self.thread(id) {
            slot.waits_on.store(0, Relaxed);
            slot.state.store(ThreadState::Done as u32, Release);
            self.ring.push(RecordKind::ThreadEnd, id, 0, &[]);
        }
    }

    pub fn thread(&self, id: u32) -> Option<&ThreadSlot> {
        id.checked_sub(1).and_then(|i| self.threads.get(i as usize))
    }

    pub fn object(&self, id: u32) -> Option<&ObjectSlot> {
        id.checked_sub(1).and_then(|i| self.objects.get(i as usize))
    }

    /// Registers an object; its display name is `name` or `<noun> <n>` (the n-th unnamed one of
    /// its kind). 0 when full.
    pub fn object_created(&self, kind: ObjectKind, name: Option<&str>) -> u32 {
        for (i, slot) in self.objects.iter().enumerate() {
            if slot.kind.compare_exchange(0, kind as u32, AcqRel, Relaxed).is_ok() {
                slot.holder.store(0, Relaxed);
                slot.state_word.store(0, Relaxed);
                slot.shared_at.store(0, Relaxed);
                let id = i as u32 + 1;
                // A named object takes no number, as a named thread takes no Thread-N.
                let label = match name {
                    Some(name) => name.to_owned(),
                    None => format!("{} {}", kind.noun(), self.counters[kind as usize].fetch_add(1, Relaxed) + 1),
                };
                self.ring.push(RecordKind::ObjectNew, 0, id, &record::encode_object_new(kind, &label));
                return id;
            }
        }
        self.untracked.fetch_add(1, Relaxed);
        0
    }

    pub fn object_dropped(&self, id: u32) {
        if let Some(slot) = self.object(id) {
            slot.holder.store(0, Relaxed);
            slot.state_word.store(0, Relaxed);
            slot.kind.store(0, Release);
        }
    }

    #[inline]
    pub fn set_holder(&self, object: u32, thread: u32) {
        if let Some(slot) = self.object(object) {
            slot.holder.store(thread, Relaxed);
        }
    }

    pub fn block(&self, thread: u32, object: u32, why: Why, timed: bool) {
        if let Some(slot) = self.thread(thread) {
            slot.waits_on.store(object, Relaxed);
            slot.timed.store(timed as u32, Relaxed);
            slot.blocks.fetch_add(1, Relaxed);
            slot.state.store(ThreadState::Blocked as u32, Release);
            self.ring.push(RecordKind::Block, thread, object, &record::encode_block(why, timed));
        }
    }

    pub fn unblock(&self, thread: u32) {
        if let Some(slot) = self.thread(thread) {
            slot.waits_on.store(0, Relaxed);
            slot.state.store(ThreadState::Running as u32, Release);
            self.ring.push(RecordKind::Unblock, thread, 0, &[]);
        }
    }
}

/// Which table and slot the calling thread reports to. Set by the thread machinery while a
/// Python-level thread runs on this worker; unset on bare std threads (tests of the
/// primitives), where watching is skipped.
#[derive(Clone, Copy)]
struct Me {
    table: *const Table,
    thread: u32,
}

thread_local! {
    static ME: Cell<Me> = const { Cell::new(Me { table: std::ptr::null(), thread: 0 }) };
    /// Objects made now are not watched (see [`unwatched`]).
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// The object id of an unwatched object (see [`unwatched`]): it has no slot in the table,
/// and a wait on it is drawn as a wait inside the interpreter.
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
    let previous = ME.with(|me| me.replace(Me { table, thread }));
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

/// A watched object's registration; unregisters on drop. Embed one in each primitive.
pub struct Watched {
    id: u32,
    table: *const Table,
    /// Aliases report as the object but do not unregister it.
    owned: bool,
}

// SAFETY: the table pointer is only dereferenced while the owning process is alive (tables
// are leaked), and the table is all atomics, so any thread may use it.
unsafe impl Send for Watched {}
// SAFETY: as above; `Watched` has no interior state of its own.
unsafe impl Sync for Watched {}

impl Watched {
    pub fn new(kind: ObjectKind, name: Option<&str>) -> Self {
        let me = ME.with(Cell::get);
        if me.table.is_null() {
            return Watched { id: 0, table: std::ptr::null(), owned: false };
        }
        if QUIET.with(Cell::get) {
            return Watched { id: INTERNAL, table: std::ptr::null(), owned: false };
        }
        // SAFETY: see `with_me`.
        let id = unsafe { &*me.table }.object_created(kind, name);
        Watched { id, table: me.table, owned: true }
    }

    /// Another handle reporting as the same object; it must not outlive the original.
    pub fn alias(&self) -> Watched {
        Watched { id: self.id, table: self.table, owned: false }
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
        return Blocked { me: None };
    }
    // SAFETY: see `with_me`.
    unsafe { &*me.table }.block(me.thread, object, why, timed);
    Blocked { me: Some(me) }
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
}

impl Drop for Blocked {
    fn drop(&mut self) {
        if let Some(me) = self.me {
            // SAFETY: see `with_me`.
            unsafe { &*me.table }.unblock(me.thread);
        }
    }
}
