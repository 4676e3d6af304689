//! `Lock`: the one futex mutex (`sync::mutex`) on a word of its memory, whose state word
//! holds the holder's id: the acquire that takes the lock records who holds it. The watch
//! table learns where that word is when someone first has to wait for it (the only time the
//! wait-for graph needs a holder), and the slow path marks the thread blocked before it
//! sleeps. Any thread (of any process, in the segment) may release it.
//!
//! A second word keeps who held it last, so that the acquire that takes it from another
//! thread (after a wait or not) records the hand-over: the timeline's who-woke-whom arrow
//! from the thread that let it go. It costs the release one store and the acquire one load
//! and a compare; the record is written only when the lock changes threads.

use super::Space;
use crate::errors::NotLocked;
use crate::sync::{mutex, FutexWord};
use crate::timeout::Deadline;
use crate::watch::record::Waker;
use crate::watch::step::Point;
use crate::watch::{Watched, Why};

pub struct Lock<S> {
    space: S,
}

/// The lock word, and who held it last (a holder id, as in the lock word).
const STATE: u32 = 0;
const LAST: u32 = 1;

impl<S: Space> Lock<S> {
    pub const WORDS: u32 = 2;

    pub fn new(space: S) -> Self {
        Lock { space }
    }

    /// Takes it, waiting until `deadline` when `blocking`; `false` if it was not taken.
    #[inline]
    pub fn acquire(&self, blocking: bool, deadline: Deadline, watch: &Watched) -> bool {
        acquire_word(&self.space, [STATE, LAST], blocking, deadline, watch)
    }

    /// Lets it go; an error if it was not held (each module raises what Python names).
    #[inline]
    pub fn release(&self) -> Result<(), NotLocked> {
        release_word(&self.space, [STATE, LAST])
    }

    pub fn locked(&self) -> bool {
        self.space.word(STATE).load() != mutex::UNLOCKED
    }
}

/// The lock algorithm on the words `[state, last]` of `space` (an RLock's lock is such a
/// pair): takes it, and records a hand-over if another thread held it last.
#[inline]
pub(super) fn acquire_word<S: Space>(
    space: &S,
    [index, last]: [u32; 2],
    blocking: bool,
    deadline: Deadline,
    watch: &Watched,
) -> bool {
    crate::gil::scheduling_point(Point::Acquire);
    let me = space.holder_id();
    let took = if crate::watch::order::run_ordered() {
        acquire_in_turns(space, [index, last], me, blocking, deadline, watch)
    } else if mutex::try_lock(&space.word(index), me) {
        note_hand_over(space, watch, last, false);
        true
    } else {
        blocking && acquire_contended(space, [index, last], me, deadline, watch)
    };
    crate::gil::scheduling_point(Point::Acquired);
    took
}

/// Takes the lock in a run that records or replays its order (`watch::order`): the take and
/// the `Acquired` point after it are one step. Recording, every try is made holding the GIL
/// (a woken waiter never races the GIL's holder for the lock) and the `Acquired` pass is
/// counted before any pause; replaying, a thread tries only when the record gives it its
/// `Acquired` pass, so the lock goes to the threads in the recorded order, whoever the futex
/// woke first. A lock another thread holds is slept on as usual (a deadlock stays one).
#[cold]
fn acquire_in_turns<S: Space>(
    space: &S,
    [index, last]: [u32; 2],
    me: u32,
    blocking: bool,
    deadline: Deadline,
    watch: &Watched,
) -> bool {
    use crate::watch::order;
    let mut blocked = None;
    // A try that may fail and return (replayed, it is made in its recorded turn, whatever
    // the lock's state then: a timeout's moment cannot be replayed, its outcome can).
    let once = !blocking || deadline.is_some();
    loop {
        let free = space.word(index).load() == mutex::UNLOCKED;
        let replaying = order::replaying();
        if free || (once && replaying) {
            if let Some(pass) = order::at(Point::Acquired, 0).filter(|p| replaying && !p.turn_is_mine()) {
                let _gil = crate::gil::unlocked();
                if blocked.is_none() {
                    blocked = Some(watch.block(Why::Acquire, deadline.is_some()));
                }
                pass.wait_turn();
            }
            // Taken marked contended once slept: other waiters may sleep too (std's rule).
            let took = if blocked.is_some() {
                mutex::try_lock_marked(&space.word(index), me)
            } else {
                mutex::try_lock(&space.word(index), me)
            };
            if took {
                let slept = blocked.is_some();
                drop(blocked);
                note_hand_over(space, watch, last, slept);
                return true;
            }
            if once && replaying {
                return false;
            }
        }
        if !blocking || crate::timeout::expired(deadline) {
            return false;
        }
        let _gil = crate::gil::unlocked();
        mutex::sleep_while_held(&space.word(index), pp_platform::clock::remaining(deadline), || {
            if blocked.is_none() {
                space.show_lock_word(watch, index);
                blocked = Some(watch.block(Why::Acquire, deadline.is_some()));
            }
            pp_platform::stop::check();
        });
    }
}

/// Lets the lock of `[state, last]` go, keeping who let it go (its holder, unless Python's
/// "any thread may release a Lock" was used).
#[inline]
pub(super) fn release_word<S: Space>(space: &S, [index, last]: [u32; 2]) -> Result<(), NotLocked> {
    crate::gil::scheduling_point(Point::Release);
    space.word(last).store(space.token());
    mutex::unlock(&space.word(index))?;
    if crate::watch::order::run_ordered() {
        // Every waiter looks: which of them takes it is the recorded order's to say, not the
        // futex's (see `acquire_in_turns`).
        space.word(index).wake(u32::MAX);
    }
    Ok(())
}

/// Records a hand-over if the lock just taken was another thread's last (`slept`: the taker
/// waited for it).
fn note_hand_over<S: Space>(space: &S, watch: &Watched, last: u32, slept: bool) {
    let before = space.word(last).load();
    if before != 0 && before != space.token() {
        handed_over(space, watch, before, slept);
    }
}

#[cold]
fn handed_over<S: Space>(space: &S, watch: &Watched, from: u32, slept: bool) {
    let (pid, thread) = space.thread_of(from);
    watch.handed_over(pid, thread, slept);
}

/// Waits for the lock. A thread that slept for it and got it from a thread of its own
/// process says who that was as its wait ends (the wait's arrow); else it records the
/// hand-over, if the lock changed threads.
#[cold]
fn acquire_contended<S: Space>(
    space: &S,
    [index, last]: [u32; 2],
    me: u32,
    deadline: Deadline,
    watch: &Watched,
) -> bool {
    let mut blocked = None;
    let _gil = crate::gil::unlocked();
    let took = mutex::lock(&space.word(index), me, deadline, |first| {
        if first {
            space.show_lock_word(watch, index);
            blocked = Some(watch.block(Why::Acquire, deadline.is_some()));
        }
        pp_platform::stop::check();
    });
    let before = space.word(last).load();
    if took && before != 0 && before != space.token() {
        match (space.thread_of(before), blocked.is_some()) {
            // The wait's own record says who it was (not the lock's slot, which another
            // waiter's hand-over may have stamped meanwhile).
            ((0, (thread, generation)), true) => {
                if let (Some(b), true) = (blocked.as_mut(), watch.hand_over_recorded()) {
                    b.woken_by(Waker { thread, generation, at_us: pp_platform::clock::stamp_us(), pid: 0 });
                }
            }
            (_, slept) => handed_over(space, watch, before, slept),
        }
    }
    // The wait ends here, before the GIL is taken again: a wait for the GIL is a wait of
    // its own, not part of this one.
    drop(blocked);
    took
}
