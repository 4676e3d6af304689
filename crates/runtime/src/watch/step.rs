//! Step mode, "be the scheduler": in a stepped run every thread waits at each scheduling
//! point (the ones shake pauses at, see `gil::scheduling_point`, and in the Python module
//! each new line of the learner's program and each write of a shared name) until the learner
//! lets it go, and then runs alone to its next point. The learner does what the GIL and the
//! OS do: decide who runs next, one step at a time, and so can make by hand the interleaving
//! that loses an update or deadlocks.
//!
//! The protocol is two words of the table and two of each thread slot, so the page drives it
//! with plain atomic stores from the main thread, which never waits:
//! - a thread at a point writes where it is to its slot (`parked`, `parked_line`) and waits
//!   on the table's `turn` until `turn` names it, then takes the turn (sets it back to 0);
//! - the page waits until the run has *settled* ([`Settle`]: every thread parked, blocked or
//!   done, no turn outstanding, and the table still for a moment), shows the parked threads,
//!   and writes the chosen one's id to `turn`;
//! - `stepping` back to 0 lets every thread go on freely (the learner's "let it run").
//!
//! A thread waits with the GIL let go (the caller's `gil::unlocked`), so the one the learner
//! chose can take it. Only the run's first process is stepped: its children run freely.

use super::graph::Snapshot;
use super::table::{ever_paused, ObjectKind, ThreadState, Why};
use super::watched::{current, my_id};
use pp_platform::futex;
use std::cell::Cell;
use std::sync::atomic::Ordering::*;
use std::time::Duration;

/// Where a thread stands when it parks.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Point {
    /// Before an acquire (a lock, a semaphore).
    Acquire = 1,
    /// Just after an acquire returned.
    Acquired = 2,
    Release = 3,
    /// Before a wait (a condition, an event, a barrier).
    Wait = 4,
    Notify = 5,
    Set = 6,
    Print = 7,
    /// The learner's program is about to run a new line (the Python module).
    Line = 8,
    /// The learner's program is about to write a shared name (a global, an attribute, an
    /// item), having computed what to write: between a read and this write another thread
    /// may write, and its update is lost.
    Store = 9,
}

impl Point {
    pub fn from_u32(v: u32) -> Option<Point> {
        use Point::*;
        [Acquire, Acquired, Release, Wait, Notify, Set, Print, Line, Store].into_iter().find(|p| *p as u32 == v)
    }
}

thread_local! {
    /// Whether the calling thread's points count: the Python module turns them off while a
    /// thread runs the standard library's code (an import's locks are not the learner's).
    static IN_PROGRAM: Cell<bool> = const { Cell::new(true) };
}

/// Whether the calling thread runs the learner's own code (see `IN_PROGRAM`).
pub fn set_in_program(yes: bool) {
    IN_PROGRAM.with(|c| c.set(yes));
}

/// Whether the calling thread runs the learner's own code (see `IN_PROGRAM`).
#[inline]
pub fn in_program() -> bool {
    IN_PROGRAM.with(Cell::get)
}

/// Whether the calling thread's run is stepped and its points count now.
#[inline]
pub fn active() -> bool {
    IN_PROGRAM.with(Cell::get) && run_stepped()
}

/// Whether the calling thread's run is stepped, wherever the thread is (the Python module
/// asks at every instruction while it is).
#[inline]
pub fn run_stepped() -> bool {
    ever_paused() && current().is_some_and(|(table, _)| table.stepping.load(Relaxed) != 0)
}

/// How often a parked thread looks for a stop of its run (a Stop, the time limit).
const STOP_CHECK: Duration = Duration::from_millis(50);

/// Waits at `point` until the learner lets this thread go (or lets the run go freely). The
/// caller has let the GIL go.
pub fn park(point: Point, line: u32) {
    let Some((table, _)) = current() else { return };
    let me = my_id();
    let Some(slot) = table.thread(me) else { return };
    // Alone, a thread leaves the scheduler nothing to choose: it goes on (a program's
    // definitions before it starts a thread are not steps).
    if !table.others_alive(me) {
        return;
    }
    slot.parked_line.store(line, Relaxed);
    slot.parked.store(point as u32, Release);
    loop {
        if table.stepping.load(Acquire) == 0 {
            break;
        }
        let seen = table.turn.load(Acquire);
        if seen == me {
            // Unparked before the turn is given back: a snapshot between the two sees a
            // thread running, never this one still offered at its old point with no turn
            // outstanding. (Only the page sets `turn`, and only once the run has settled.)
            slot.parked.store(0, Release);
            table.turn.store(0, Release);
            return;
        }
        futex::wait(&table.turn, seen, Some(STOP_CHECK));
        // A daemon of a finished program, a terminated child: ended here (its slot is then
        // done, and no longer a choice).
        pp_platform::stop::check();
    }
    slot.parked.store(0, Release);
}

/// A thread the learner may let go: where it is parked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    pub thread: u32,
    pub point: Point,
    /// The program's line (0 when the point has none).
    pub line: u32,
}

/// The threads the learner may choose from, once the run has settled; `None` while a thread
/// still runs towards its next point (or the run is not stepped). An empty list: every
/// thread waits for something only another process or the clock can end (or the run is
/// deadlocked). One snapshot can only say "settled as far as the table shows": see
/// [`Settle`] for what the callers use.
pub fn choices(s: &Snapshot) -> Option<Vec<Choice>> {
    if !s.stepping || s.turn != 0 {
        return None;
    }
    let mut out = Vec::new();
    for t in &s.threads {
        match t.state {
            x if x == ThreadState::Running as u32 => {
                let point = Point::from_u32(t.parked)?;
                out.push(Choice { thread: t.id, point, line: t.parked_line });
            }
            x if x == ThreadState::Blocked as u32 => {
                // The thread it starts is on its way to its first point, and a thread waiting
                // for the GIL is about to run. (A thread whose wait was just ended is back
                // within a moment: `Settle` waits for that; an object's wake count cannot say
                // which of its waiters was woken.)
                let on_gil = s.objects.iter().any(|o| o.id == t.waits_on && o.kind == ObjectKind::Gil as u32);
                if t.why == Why::Start as u32 || on_gil {
                    return None;
                }
            }
            _ => {}
        }
    }
    Some(out)
}

/// How long a settled run must stay as it is before its choices are offered (ms).
pub const SETTLE_MS: f64 = 25.0;

/// Settledness over time: [`choices`] as long as the table has not changed for
/// [`SETTLE_MS`]. The table does not say whether a wait was just ended (a wake count is the
/// object's, not the waiter's, and the standard library's own locks and events are not
/// watched at all); a thread woken is back within a millisecond or so (every other thread is
/// parked, the cores are free), so a table that stays the same that long has settled.
#[derive(Clone, Debug, Default)]
pub struct Settle {
    /// What the threads looked like, and since when (ms).
    seen: Option<(Vec<[u32; 6]>, f64)>,
}

impl Settle {
    /// The choices of `s`, seen at `now_ms`, if the run has settled.
    pub fn offer(&mut self, s: &Snapshot, now_ms: f64) -> Option<Vec<Choice>> {
        let Some(choices) = choices(s) else {
            self.seen = None;
            return None;
        };
        let look: Vec<[u32; 6]> =
            s.threads.iter().map(|t| [t.id, t.state, t.waits_on, t.blocks, t.parked, t.parked_line]).collect();
        match &self.seen {
            Some((seen, since)) if *seen == look => (now_ms - since >= SETTLE_MS).then_some(choices),
            _ => {
                self.seen = Some((look, now_ms));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::watch::graph::{ObjectView, ThreadView};

    fn thread(id: u32, state: ThreadState, parked: u32, waits_on: u32) -> ThreadView {
        ThreadView { id, state: state as u32, waits_on, parked, parked_line: 7, ..ThreadView::default() }
    }

    fn stepped(threads: Vec<ThreadView>, objects: Vec<ObjectView>) -> Snapshot {
        Snapshot { threads, objects, stepping: true, turn: 0 }
    }

    #[test]
    fn settled_when_every_thread_is_parked_blocked_or_done() {
        let lock = ObjectView { id: 3, kind: ObjectKind::Lock as u32, ..ObjectView::default() };
        let s = stepped(
            vec![
                thread(1, ThreadState::Running, Point::Line as u32, 0),
                thread(2, ThreadState::Blocked, 0, 3),
                thread(3, ThreadState::Done, 0, 0),
            ],
            vec![lock],
        );
        assert_eq!(choices(&s), Some(vec![Choice { thread: 1, point: Point::Line, line: 7 }]));
    }

    #[test]
    fn not_settled_while_a_thread_runs_a_turn_is_outstanding_or_a_wait_was_ended() {
        let running = stepped(vec![thread(1, ThreadState::Running, 0, 0)], vec![]);
        assert_eq!(choices(&running), None, "a thread between points");
        let mut granted = stepped(vec![thread(1, ThreadState::Running, Point::Print as u32, 0)], vec![]);
        granted.turn = 1;
        assert_eq!(choices(&granted), None, "the chosen thread has not taken its turn");
        // A waiter of a queue: settled as far as one snapshot can say (see `Settle`).
        let queue = ObjectView { id: 3, kind: ObjectKind::Queue as u32, ..ObjectView::default() };
        let waiting = stepped(vec![thread(2, ThreadState::Blocked, 0, 3)], vec![queue]);
        assert_eq!(choices(&waiting), Some(vec![]), "a waiter");
        let gil = ObjectView { id: 4, kind: ObjectKind::Gil as u32, ..ObjectView::default() };
        assert_eq!(choices(&stepped(vec![thread(2, ThreadState::Blocked, 0, 4)], vec![gil])), None, "wants the GIL");
        let unstepped = Snapshot { stepping: false, ..stepped(vec![], vec![]) };
        assert_eq!(choices(&unstepped), None);
        let starting = ThreadView { why: Why::Start as u32, ..thread(1, ThreadState::Blocked, 0, 3) };
        let lock = ObjectView { id: 3, kind: ObjectKind::Lock as u32, ..ObjectView::default() };
        assert_eq!(choices(&stepped(vec![starting], vec![lock])), None, "a thread it starts is on its way");
    }

    #[test]
    fn choices_are_offered_once_the_table_has_stayed_the_same() {
        let parked = stepped(vec![thread(1, ThreadState::Running, Point::Line as u32, 0)], vec![]);
        let mut settle = Settle::default();
        assert_eq!(settle.offer(&parked, 0.0), None, "just seen");
        assert_eq!(settle.offer(&parked, SETTLE_MS / 2.0), None);
        assert!(settle.offer(&parked, SETTLE_MS).is_some());
        let moved = stepped(vec![thread(1, ThreadState::Running, Point::Print as u32, 0)], vec![]);
        assert_eq!(settle.offer(&moved, SETTLE_MS + 1.0), None, "another point: wait again");
        assert!(settle.offer(&moved, 2.0 * SETTLE_MS + 1.0).is_some());
    }
}
