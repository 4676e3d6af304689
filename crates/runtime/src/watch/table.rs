//! The table's fixed layout (`repr(C)`: the host reads it out of another memory, by the
//! offsets of these fields) and what it records: thread slots, object slots, their kinds and
//! the reasons a thread waits.

use super::record::{self, RecordKind};
use super::ring::Ring;
use pp_platform::clock;
use pp_platform::request::Replay;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering::*};
use std::sync::OnceLock;

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
    /// The object's `wakes` when this wait began: a different count at its end means someone
    /// woke the object meanwhile, and the object's `woken_by` says who.
    pub wakes_seen: AtomicU32,
    /// How many threads have had this slot: the current one's generation (from 1), which the
    /// page counts too, from the slot's `ThreadStart` records.
    pub starts: AtomicU32,
    /// In a stepped run, the [`super::step::Point`] the thread waits at for the learner's
    /// go (0: not parked), and the program's line there (0 when the point has none).
    pub parked: AtomicU32,
    pub parked_line: AtomicU32,
    /// The current wait's [`Why`] as u32 (0 when not waiting): a stepped run is not settled
    /// while a thread waits for a thread it starts.
    pub why: AtomicU32,
    /// Which thread of its process this one is, in the order they were started (from 1): a
    /// recorded order names threads so (`order`), since which slot a thread gets depends on
    /// when the threads before it ended.
    pub ordinal: AtomicU32,
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
    /// How many times a thread let a waiter of this object go on (an event's set, a
    /// barrier's last arrival, a thread's end), and the last one's thread and time: the "who
    /// woke whom" of the timeline. Written only on those slow paths, best effort (two wakers
    /// at once may leave one's thread with the other's time). A condition's and a semaphore's
    /// waiters (a queue's get and put) learn theirs exactly, from their parkers
    /// (`primitives::waiters`).
    pub wakes: AtomicU32,
    pub woken_by: AtomicU32,
    pub woken_at_us: AtomicU64,
    /// How many times the lock changed threads without a wait (each a `HandOver` record, up
    /// to [`HAND_OVERS_RECORDED`]).
    pub hand_overs: AtomicU32,
}

/// A process's order of points, recorded or replayed (`order`, which holds the logic): part
/// of its [`Table`], never read by the host.
#[derive(Default)]
pub struct Order {
    pub(super) mode: AtomicU32,
    /// The last thread that passed a point (upper half) and how many passes were made.
    pub(super) passes: AtomicU64,
    pub(super) switches: AtomicU32,
    pub(super) replay: OnceLock<Replay>,
    /// Bumped where the turn goes to another thread: the futex word waiting threads sleep on.
    pub(super) tick: AtomicU32,
    /// The replay went another way than its record: every thread goes on freely.
    pub(super) departed: AtomicBool,
}

/// Whether any run of this instance was ever shaken or stepped: a scheduling point's first
/// check, one load of a global (in the browser an instance is one process; natively it only
/// makes the points of plain runs look at their table).
static EVER_PAUSED: AtomicBool = AtomicBool::new(false);

#[inline]
pub(crate) fn ever_paused() -> bool {
    EVER_PAUSED.load(Relaxed)
}

/// A lock records its first this many hand-overs: a lock two threads pass back and forth a
/// million times would otherwise pay a record each time (15x a hand-off natively), and a
/// thousand arrows on one lock already show its pattern. Later ones are only counted.
pub const HAND_OVERS_RECORDED: u32 = 1024;

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
    /// The run's shake seed, 0 when it is not shaken (see `shake`).
    shake_seed: AtomicU32,
    /// 1 while the run is stepped: its threads park at scheduling points (see `step`).
    pub stepping: AtomicU32,
    /// The thread the learner let go from its point, until it takes its turn (0: none).
    pub turn: AtomicU32,
    /// How many threads the process started (see [`ThreadSlot::ordinal`]).
    threads_started: AtomicU32,
    /// The order the run's threads pass their points in, recorded or replayed (`order`):
    /// the process's own, never read by the host.
    pub order: Order,
    /// Whether who woke whom is recorded (wakers, hand-overs): always in a run of the page;
    /// the benchmark turns it off to measure its cost side by side (`set_recording`).
    recording: AtomicBool,
}

pub const VERSION: u32 = 8;

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
                wakes_seen: AtomicU32::new(0),
                starts: AtomicU32::new(0),
                parked: AtomicU32::new(0),
                parked_line: AtomicU32::new(0),
                why: AtomicU32::new(0),
                ordinal: AtomicU32::new(0),
            }),
            objects: std::array::from_fn(|_| ObjectSlot {
                kind: AtomicU32::new(0),
                holder: AtomicU32::new(0),
                state_word: AtomicUsize::new(0),
                shared_at: AtomicU32::new(0),
                wakes: AtomicU32::new(0),
                woken_by: AtomicU32::new(0),
                woken_at_us: AtomicU64::new(0),
                hand_overs: AtomicU32::new(0),
            }),
            ring: Ring::new(ring_capacity),
            counters: std::array::from_fn(|_| AtomicU32::new(0)),
            shake_seed: AtomicU32::new(0),
            stepping: AtomicU32::new(0),
            turn: AtomicU32::new(0),
            threads_started: AtomicU32::new(0),
            order: Order::default(),
            recording: AtomicBool::new(true),
        })
    }

    /// Shakes the run with `seed` (see `shake`); `None` or 0: not shaken. Before the
    /// program starts.
    pub fn set_shake(&self, seed: Option<u32>) {
        if seed.is_some_and(|s| s != 0) {
            EVER_PAUSED.store(true, Relaxed);
        }
        self.shake_seed.store(seed.unwrap_or(0), Relaxed);
    }

    /// Steps the run (see `step`): its threads wait at each scheduling point for the
    /// learner's go. Before the program starts.
    pub fn set_stepping(&self, on: bool) {
        if on {
            EVER_PAUSED.store(true, Relaxed);
        }
        self.stepping.store(on as u32, Release);
    }

    /// Records the order of the run's points (a shaken run's first process), or replays
    /// one (see `order`). Before the program starts.
    pub fn set_order(&self, record: bool, replay: Option<Replay>) {
        if let Some(replay) = replay {
            EVER_PAUSED.store(true, Relaxed);
            self.order.replay(replay);
        } else if record {
            EVER_PAUSED.store(true, Relaxed);
            self.order.record();
        }
    }

    /// Whether another thread than `me` runs or waits: alone, a thread leaves a scheduler
    /// nothing to choose, and its points are not steps.
    pub(crate) fn others_alive(&self, me: u32) -> bool {
        self.threads.iter().enumerate().any(|(i, s)| {
            let state = s.state.load(Acquire);
            i as u32 + 1 != me && (state == ThreadState::Running as u32 || state == ThreadState::Blocked as u32)
        })
    }

    /// Whether the process has started a thread besides its first: from then on every pass
    /// of an ordered run counts (`order::at`).
    pub(crate) fn went_multithreaded(&self) -> bool {
        self.threads_started.load(Acquire) > 1
    }

    /// The run's shake seed, 0 when not shaken.
    #[inline]
    pub fn shake_seed(&self) -> u32 {
        self.shake_seed.load(Relaxed)
    }

    /// Claims a thread slot and announces the thread; 0 when the table is full.
    pub fn thread_started(&self, name: &str) -> u32 {
        for (i, slot) in self.threads.iter().enumerate() {
            let s = slot.state.load(Relaxed);
            if (s == ThreadState::Free as u32 || s == ThreadState::Done as u32)
                && slot.state.compare_exchange(s, ThreadState::Running as u32, AcqRel, Relaxed).is_ok()
            {
                slot.waits_on.store(0, Relaxed);
                // A thread that ended parked (stopped there) leaves its point behind.
                slot.parked.store(0, Relaxed);
                slot.parked_line.store(0, Relaxed);
                slot.why.store(0, Relaxed);
                slot.ordinal.store(self.threads_started.fetch_add(1, Relaxed) + 1, Relaxed);
                slot.starts.fetch_add(1, Relaxed);
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
                slot.hand_overs.store(0, Relaxed);
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

    /// Turns the recording of who woke whom on or off (on when made): off, a wake and a
    /// hand-over are not recorded, and a wait's end says nobody woke it. Only the benchmark
    /// turns it off, to put recording's cost beside the same work unrecorded in one run.
    pub fn set_recording(&self, on: bool) {
        self.recording.store(on, Relaxed);
    }

    #[inline]
    pub fn recording(&self) -> bool {
        self.recording.load(Relaxed)
    }

    /// Records that `thread` lets a waiter of `object` go on (see [`ObjectSlot::wakes`]).
    pub fn woke(&self, object: u32, thread: u32) {
        if !self.recording() {
            return;
        }
        if let (Some(slot), true) = (self.object(object), thread != 0) {
            slot.woken_by.store(thread, Relaxed);
            slot.woken_at_us.store(clock::stamp_us(), Relaxed);
            slot.wakes.fetch_add(1, Release);
        }
    }

    pub fn block(&self, thread: u32, object: u32, why: Why, timed: bool) {
        if let Some(slot) = self.thread(thread) {
            let wakes = self.object(object).map_or(0, |o| o.wakes.load(Acquire));
            slot.wakes_seen.store(wakes, Relaxed);
            slot.waits_on.store(object, Relaxed);
            slot.timed.store(timed as u32, Relaxed);
            slot.blocks.fetch_add(1, Relaxed);
            slot.why.store(why as u32, Relaxed);
            slot.state.store(ThreadState::Blocked as u32, Release);
            self.ring.push(RecordKind::Block, thread, object, &record::encode_block(why, timed));
        }
    }

    /// Ends `thread`'s wait; its record says who woke the object meanwhile, if anyone did
    /// (a wait that timed out, or a sleep, says nobody).
    pub fn unblock(&self, thread: u32) {
        self.unblock_woken(thread, None)
    }

    /// [`unblock`](Self::unblock), saying who woke the thread if the caller knows (a wait
    /// between processes, woken through the run's segment).
    pub fn unblock_woken(&self, thread: u32, known: Option<record::Waker>) {
        if let Some(slot) = self.thread(thread) {
            let now = clock::stamp_us();
            // A waker that could not say when (it woke a parker and the waiter went on before
            // it wrote the time) is given the wait's end.
            let known = known
                .filter(|_| self.recording())
                .map(|w| record::Waker { at_us: if w.at_us == 0 { now } else { w.at_us }, ..w });
            let waker = known.or_else(|| {
                let o = self.object(slot.waits_on.load(Relaxed))?;
                (o.wakes.load(Acquire) != slot.wakes_seen.load(Relaxed))
                    .then(|| record::Waker {
                        thread: o.woken_by.load(Relaxed),
                        at_us: o.woken_at_us.load(Relaxed),
                        pid: 0,
                        generation: 0,
                    })
                    .filter(|w| w.thread != thread)
            });
            slot.waits_on.store(0, Relaxed);
            slot.why.store(0, Relaxed);
            slot.state.store(ThreadState::Running as u32, Release);
            match waker {
                Some(w) => self.ring.push_stamped(RecordKind::Unblock, thread, 0, now, &record::encode_unblock(w)),
                None => self.ring.push_stamped(RecordKind::Unblock, thread, 0, now, &[]),
            }
        }
    }
}
