//! `Lock`: the one futex mutex (`sync::mutex`) on a word of its memory, whose state word
//! holds the holder's id: the acquire that takes the lock records who holds it. The watch
//! table learns where that word is when someone first has to wait for it (the only time the
//! wait-for graph needs a holder), and the slow path marks the thread blocked before it
//! sleeps. Any thread (of any process, in the segment) may release it.

use super::Space;
use crate::errors::NotLocked;
use crate::sync::{mutex, FutexWord};
use crate::timeout::Deadline;
use crate::watch::{Watched, Why};

pub struct Lock<S> {
    space: S,
}

/// The lock word.
const STATE: u32 = 0;

impl<S: Space> Lock<S> {
    pub const WORDS: u32 = 1;

    pub fn new(space: S) -> Self {
        Lock { space }
    }

    /// Takes it, waiting until `deadline` when `blocking`; `false` if it was not taken.
    #[inline]
    pub fn acquire(&self, blocking: bool, deadline: Deadline, watch: &Watched) -> bool {
        acquire_word(&self.space, STATE, blocking, deadline, watch)
    }

    /// Lets it go; an error if it was not held (each module raises what Python names).
    #[inline]
    pub fn release(&self) -> Result<(), NotLocked> {
        mutex::unlock(&self.space.word(STATE))
    }

    pub fn locked(&self) -> bool {
        self.space.word(STATE).load() != mutex::UNLOCKED
    }
}

/// The lock algorithm on word `index` of `space` (an RLock's lock is one such word).
#[inline]
pub(super) fn acquire_word<S: Space>(
    space: &S,
    index: u32,
    blocking: bool,
    deadline: Deadline,
    watch: &Watched,
) -> bool {
    let me = space.holder_id();
    mutex::try_lock(&space.word(index), me) || (blocking && acquire_contended(space, index, me, deadline, watch))
}

#[cold]
fn acquire_contended<S: Space>(space: &S, index: u32, me: u32, deadline: Deadline, watch: &Watched) -> bool {
    let mut blocked = None;
    let _gil = crate::gil::unlocked();
    mutex::lock(&space.word(index), me, deadline, |first| {
        if first {
            space.show_lock_word(watch, index);
            blocked = Some(watch.block(Why::Acquire, deadline.is_some()));
        }
        pp_platform::stop::check();
    })
}
