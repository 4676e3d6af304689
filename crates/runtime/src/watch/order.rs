//! A shaken run's order, recorded and replayed exactly. A shaken run (`shake`) finds an
//! interleaving that breaks a program, but its seed only makes that interleaving likely to come
//! back (the pauses are the seed's, the machine's timing is not). So the run's first process
//! also records the order in which its threads passed their scheduling points (the ones a
//! stepped run parks at, see `step`), and a replay of that record makes each thread wait at
//! its point until the record says it is its turn: the same grants, in the same order.
//!
//! Only *switches* are recorded (a [`RecordKind::Switch`] each time another thread than the
//! last passes a point): under the GIL a thread passes many points in a row. A pass is counted
//! in the learner's code once the process has started a second thread, so a replay counts the
//! same passes. Not only while another thread is alive, as a stepped run parks: a thread's end
//! is not ordered with the others' passes, so a pass made as another thread ended counted in
//! the record and not in its replay, or the other way round, and the replay departed (the
//! busy-flag program's, 4 of 150 natively, where the main thread came back from starting a
//! thread as the first one ended).
//!
//! Two more things make a record an order a replay can follow. A thread is named by its
//! ordinal (the order it was started in), not its slot, which depends on when others ended.
//! And a lock's take and its `Acquired` point are one step (`primitives::lock`): a woken
//! waiter tries only in its turn, and a release wakes every waiter, so the futex's choice of
//! whom to wake does not decide who gets the lock.
//!
//! What a replay cannot enforce: the order of what threads do between their points without
//! the runtime. With the Python module and the GIL on, a shaken run hands the GIL over only
//! at a point (a new line, a write of a shared name), so that is exact too; a Rust port's
//! plain memory, or a run without the GIL, is not. A replay that finds the run going another
//! way than the record (a thread at another point than recorded, or the thread whose turn it
//! is ended or stuck) says so ([`RuntimeNote::ReplayDeparted`]) and lets every thread go on
//! freely from there: it never hangs a run.

use super::record::{encode_switch, RuntimeNote};
use super::step::Point;
use super::table::{Order, Table, ThreadState};
use super::watched::{current, my_id};
use super::RecordKind;
use pp_platform::clock::Instant;
use pp_platform::futex;
use pp_platform::request::Replay;
use std::sync::atomic::Ordering::*;
use std::time::Duration;

/// The most switches one run records; the record then ends with a switch of thread 0, and a
/// replay lets the threads go on freely from there.
pub const SWITCHES_RECORDED: u32 = 100_000;

/// How long the thread whose turn it is may wait, untimed, with no pass made, before a
/// replay gives up its order (it waits for a thread that waits for its own turn).
const STUCK: Duration = Duration::from_secs(1);
/// How often a waiting thread looks for a stop of its run and for a stuck replay.
const LOOK: Duration = Duration::from_millis(50);

const OFF: u32 = 0;
const RECORDING: u32 = 1;
const REPLAYING: u32 = 2;

impl Order {
    /// Records the run's order (a shaken run's first process).
    pub fn record(&self) {
        self.mode.store(RECORDING, Relaxed);
    }

    /// Replays `replay` (and records the run's own order as it goes). Before the program
    /// starts; once per process.
    pub fn replay(&self, replay: Replay) {
        if self.replay.set(replay).is_ok() {
            self.mode.store(REPLAYING, Relaxed);
        }
    }

    #[inline]
    fn on(&self) -> bool {
        self.mode.load(Relaxed) != OFF
    }

    fn replaying(&self) -> bool {
        self.mode.load(Relaxed) == REPLAYING && !self.departed.load(Acquire)
    }

    /// Counts a pass of `me`; a switch is recorded. Returns the pass's number.
    fn count(&self, table: &Table, me: u32, point: Point, line: u32) -> u32 {
        let mut seen = self.passes.load(Relaxed);
        loop {
            let (last, n) = ((seen >> 32) as u32, seen as u32);
            let next = u64::from(me) << 32 | u64::from(n.wrapping_add(1));
            match self.passes.compare_exchange_weak(seen, next, AcqRel, Relaxed) {
                Ok(_) => {
                    if last != me {
                        self.switched(table, n, me, point, line);
                    }
                    return n;
                }
                Err(now) => seen = now,
            }
        }
    }

    fn switched(&self, table: &Table, at: u32, me: u32, point: Point, line: u32) {
        let made = self.switches.fetch_add(1, Relaxed);
        if made + 1 < SWITCHES_RECORDED {
            table.ring.push(RecordKind::Switch, my_id(), at, &encode_switch(me, point as u32, line));
        } else if made + 1 == SWITCHES_RECORDED {
            table.ring.push(RecordKind::Switch, my_id(), at, &encode_switch(0, 0, 0));
        }
    }

    /// Waits until the replay's record gives `me` the next pass at `point`, or the replay
    /// departs from its record.
    fn wait_turn(&self, table: &Table, me: u32, point: Point, line: u32) {
        let Some(replay) = self.replay.get() else { return };
        let mut last_progress = (self.passes.load(Acquire) as u32, Instant::now());
        while self.replaying() {
            let tick = self.tick.load(Acquire);
            let n = self.passes.load(Acquire) as u32;
            let Some(k) = replay.switches.partition_point(|s| s.at <= n).checked_sub(1) else {
                self.depart(table, n);
                return;
            };
            let turn = replay.switches[k];
            if turn.thread == 0 {
                // The record was cut here: from now on every thread goes freely.
                self.depart_silently();
                return;
            }
            if turn.thread == me {
                if turn.at == n && (turn.point, turn.line) != (point as u32, line) {
                    self.depart(table, n);
                }
                return;
            }
            if n != last_progress.0 {
                last_progress = (n, Instant::now());
            }
            if self.turn_is_lost(table, turn.thread, last_progress.1) {
                self.depart(table, n);
                return;
            }
            futex::wait(&self.tick, tick, Some(LOOK));
            pp_platform::stop::check();
        }
    }

    /// Whether the thread whose turn it is can no longer take it: no pass was made for
    /// [`STUCK`] while it neither ran nor waited for the clock (it ended, it never started,
    /// or it waits untimed, for a thread that itself waits for its turn). A thread about to
    /// be started, or one a waiter is about to wake, is back well within that.
    fn turn_is_lost(&self, table: &Table, thread: u32, since: Instant) -> bool {
        let slot = table
            .threads
            .iter()
            .find(|s| s.ordinal.load(Relaxed) == thread && s.state.load(Acquire) != ThreadState::Free as u32);
        let (state, timed) = slot.map_or((ThreadState::Done as u32, false), |s| {
            let state = s.state.load(Acquire);
            (state, state == ThreadState::Blocked as u32 && s.timed.load(Relaxed) != 0)
        });
        state != ThreadState::Running as u32 && !timed && since.elapsed() >= STUCK
    }

    fn depart(&self, table: &Table, at: u32) {
        if !self.departed.swap(true, AcqRel) {
            table.ring.push(
                RecordKind::Note,
                my_id(),
                0,
                &super::record::encode_note(&RuntimeNote::ReplayDeparted { at }),
            );
        }
        self.tick.fetch_add(1, Release);
        futex::wake(&self.tick, u32::MAX);
    }

    fn depart_silently(&self) {
        self.departed.store(true, Release);
        self.tick.fetch_add(1, Release);
        futex::wake(&self.tick, u32::MAX);
    }

    /// After pass `n` of a replay: if the record gives the next pass to another thread, the
    /// waiting threads look.
    fn passed(&self, n: u32) {
        let Some(replay) = self.replay.get() else { return };
        let next = n.wrapping_add(1);
        if replay.switches.binary_search_by_key(&next, |s| s.at).is_ok() {
            self.tick.fetch_add(1, Release);
            futex::wake(&self.tick, u32::MAX);
        }
    }
}

/// Whether the calling thread's run records or replays its order (the Python module looks
/// at every instruction while it does).
#[inline]
pub fn run_ordered() -> bool {
    super::ever_paused() && current().is_some_and(|(table, _)| table.order.on())
}

/// Whether the calling thread's run replays a record (and so may wait at its points).
pub fn replaying() -> bool {
    super::ever_paused() && current().is_some_and(|(table, _)| table.order.replaying())
}

/// The calling thread's pass at a point, when it counts: in a run that records or replays
/// its order, in the learner's code, once the process has started a second thread.
pub struct Pass {
    table: &'static Table,
    /// The thread's ordinal (`ThreadSlot::ordinal`): a record's name for it.
    me: u32,
    point: Point,
    line: u32,
}

/// The calling thread's pass at `point` (on the program's `line`, 0 for none), if it
/// counts. In a replay the caller lets the GIL go, [`Pass::wait_turn`]s, takes the GIL back
/// and only then [`Pass::count`]s: the pass and what the thread does after it are one step
/// (another thread let go meanwhile could otherwise take the GIL, and a lock, first).
pub fn at(point: Point, line: u32) -> Option<Pass> {
    let (table, _) = current()?;
    let id = my_id();
    if !table.order.on() || id == 0 || !super::step::in_program() || !table.went_multithreaded() {
        return None;
    }
    let me = table.thread(id)?.ordinal.load(Relaxed);
    Some(Pass { table, me, point, line })
}

impl Pass {
    pub fn replaying(&self) -> bool {
        self.table.order.replaying()
    }

    /// Whether the replay's record gives this thread the next pass now.
    pub fn turn_is_mine(&self) -> bool {
        let order = &self.table.order;
        let Some(replay) = order.replay.get() else { return true };
        let n = order.passes.load(Acquire) as u32;
        let k = replay.switches.partition_point(|s| s.at <= n);
        k.checked_sub(1).is_some_and(|k| replay.switches[k].thread == self.me)
    }

    /// Waits until the replay's record gives this thread the next pass (or the replay
    /// departs from its record).
    pub fn wait_turn(&self) {
        self.table.order.wait_turn(self.table, self.me, self.point, self.line)
    }

    /// Counts the pass (a switch is recorded); in a replay the thread whose turn comes next
    /// is told.
    pub fn count(self) {
        let order = &self.table.order;
        let n = order.count(self.table, self.me, self.point, self.line);
        if order.replaying() {
            order.passed(n);
        }
    }
}
