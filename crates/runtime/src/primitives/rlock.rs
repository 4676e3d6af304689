//! `RLock`: lock_api's `ReentrantMutex` idea as a layer on top of the lock word: an owner
//! (a thread of some process: its pid and its `threading.get_ident()`) and a count. Only the
//! owner may release.

use super::lock::{acquire_word, release_word};
use super::Space;
use crate::runtime::Runtime;
use crate::sync::{mutex, FutexWord};
use crate::timeout::Deadline;
use crate::watch::Watched;

pub struct RLock<S> {
    space: S,
}

/// The lock word, the owner (pid, ident in two halves) and the count. The owner's words are
/// only written by the owner, under the lock; another thread reading them sees either the
/// owner or a thread that is not itself, which is all `is_owned` needs.
const STATE: u32 = 0;
const OWNER_PID: u32 = 1;
const OWNER_LO: u32 = 2;
const OWNER_HI: u32 = 3;
const COUNT: u32 = 4;
/// Who held it last (see `lock`): the lock word's pair.
const LAST: u32 = 5;
const LOCK: [u32; 2] = [STATE, LAST];

/// A release by a thread that does not own the lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotOwned;

impl<S: Space> RLock<S> {
    pub const WORDS: u32 = 6;

    pub fn new(space: S) -> Self {
        RLock { space }
    }

    fn set_owner(&self, ident: u64, count: u32) {
        let pid = if count == 0 { 0 } else { Runtime::current().process.pid };
        self.space.word(OWNER_PID).store(pid);
        self.space.word(OWNER_LO).store(ident as u32);
        self.space.word(OWNER_HI).store((ident >> 32) as u32);
        self.space.word(COUNT).store(count);
    }

    /// Whether the thread `ident` (of this process) owns it (`RLock._is_owned`).
    pub fn is_owned(&self, ident: u64) -> bool {
        self.space.word(COUNT).load() > 0
            && self.space.word(OWNER_PID).load() == Runtime::current().process.pid
            && self.owner() == ident
    }

    /// The owner's ident, 0 when free (CPython's repr shows it).
    pub fn owner(&self) -> u64 {
        u64::from(self.space.word(OWNER_LO).load()) | u64::from(self.space.word(OWNER_HI).load()) << 32
    }

    /// How many times the owner holds it.
    pub fn count(&self) -> u32 {
        self.space.word(COUNT).load()
    }

    pub fn locked(&self) -> bool {
        self.space.word(STATE).load() != mutex::UNLOCKED
    }

    /// Takes it for the calling thread `ident` (again, if it owns it already).
    pub fn acquire(&self, ident: u64, blocking: bool, deadline: Deadline, watch: &Watched) -> bool {
        if self.is_owned(ident) {
            self.space.word(COUNT).fetch_add(1);
            return true;
        }
        if !acquire_word(&self.space, LOCK, blocking, deadline, watch) {
            return false;
        }
        self.set_owner(ident, 1);
        true
    }

    pub fn release(&self, ident: u64) -> Result<(), NotOwned> {
        if !self.is_owned(ident) {
            return Err(NotOwned);
        }
        let count = self.count() - 1;
        if count == 0 {
            self.set_owner(0, 0);
            let _ = release_word(&self.space, LOCK);
        } else {
            self.space.word(COUNT).store(count);
        }
        Ok(())
    }

    /// Lets go of it however many times it is held; returns the count to restore (a
    /// Condition's wait; Python's `RLock._release_save`).
    pub fn release_save(&self) -> u32 {
        let count = self.count();
        self.set_owner(0, 0);
        let _ = release_word(&self.space, LOCK);
        count
    }

    /// Takes it back as many times as [`release_save`](Self::release_save) let it go.
    pub fn acquire_restore(&self, ident: u64, count: u32, watch: &Watched) {
        acquire_word(&self.space, LOCK, true, None, watch);
        self.set_owner(ident, count);
    }
}
