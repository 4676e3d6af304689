//! Where a primitive's state lives: this process's memory ([`Local`]) or the run's shared
//! segment ([`Shared`]), which every process of the run reaches. A primitive is a few 32-bit
//! words and a queue of waiting threads; the algorithms (`super::semaphore` and its siblings)
//! are written once over [`Space`], as the lock algorithm is over `FutexWord`.

use super::waiters::{LocalWaiters, SegWaiters, WaitList, WaitQueue};
use crate::errors::PyResult;
use crate::runtime::Runtime;
use crate::sync::{FutexWord, SegWord};
use crate::watch::Watched;
use pp_platform::segment::Segment;
use std::sync::atomic::AtomicU32;

/// The memory of one primitive: its words, by index, and its queue of waiters.
pub trait Space {
    type Word<'a>: FutexWord
    where
        Self: 'a;
    type Waiters<'a>: WaitQueue
    where
        Self: 'a;

    fn word(&self, index: u32) -> Self::Word<'_>;
    fn waiters(&self) -> Self::Waiters<'_>;

    /// The id a lock of this memory stores for the calling thread while it holds it: the
    /// page reads the holder from the lock word (the wait-for graph's edges).
    fn holder_id(&self) -> u32;

    /// The calling thread, told apart from every thread that had its id before it: a lock
    /// keeps its last holder's (see `lock`).
    fn token(&self) -> u32;

    /// The thread a [`token`](Self::token) names: its process's pid (0: the calling
    /// thread's process) and its (watch id, generation) there (generation 0: not known).
    fn thread_of(&self, token: u32) -> (u32, (u32, u32));

    /// Tells the watch table where the lock word `index` of the primitive `watch` is, so
    /// that a deadlock through it can be drawn.
    fn show_lock_word(&self, watch: &Watched, index: u32);
}

/// `N` words of this process's memory and an in-process queue of parked waiters.
pub struct Local<const N: usize> {
    words: [AtomicU32; N],
    waiters: LocalWaiters,
}

impl<const N: usize> Default for Local<N> {
    fn default() -> Self {
        Local { words: std::array::from_fn(|_| AtomicU32::new(0)), waiters: LocalWaiters::default() }
    }
}

impl<const N: usize> Local<N> {
    /// Words holding `initial` (index by index), the rest 0.
    pub fn with(initial: &[(u32, u32)]) -> Self {
        let space = Self::default();
        for &(index, value) in initial {
            FutexWord::store(&space.word(index), value);
        }
        space
    }
}

impl<const N: usize> Space for Local<N> {
    type Word<'a> = &'a AtomicU32;
    type Waiters<'a> = &'a LocalWaiters;

    #[inline]
    fn word(&self, index: u32) -> &AtomicU32 {
        &self.words[index as usize]
    }

    fn waiters(&self) -> &LocalWaiters {
        &self.waiters
    }

    #[inline]
    fn holder_id(&self) -> u32 {
        crate::watch::my_id()
    }

    #[inline]
    fn token(&self) -> u32 {
        crate::watch::my_token()
    }

    fn thread_of(&self, token: u32) -> (u32, (u32, u32)) {
        (0, crate::watch::split_token(token))
    }

    fn show_lock_word(&self, watch: &Watched, index: u32) {
        watch.set_state_word(self.word(index));
    }
}

/// Where a primitive of the segment is: `words` 32-bit words at `at`, and a wait list (if it
/// has one) at `waiters`. Plain offsets, so it crosses to a child process as it is; every
/// process reaches the words through its own view of the segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SharedAt {
    at: u32,
    waiters: Option<WaitList>,
}

impl SharedAt {
    /// Zeroed room in the run's segment for `words` words (and a wait list if `waiters`),
    /// holding `initial`.
    pub fn alloc(words: u32, waiters: bool, initial: &[(u32, u32)]) -> PyResult<SharedAt> {
        let seg = Runtime::current().segment();
        let at = seg.alloc(4 * words)?;
        let waiters = if waiters { Some(WaitList::alloc(&seg)?) } else { None };
        for &(index, value) in initial {
            seg.store(at + 4 * index, value);
        }
        Ok(SharedAt { at, waiters })
    }

    /// The segment offset of word `index` (a lock's name in every process's watch table).
    pub fn offset(&self, index: u32) -> u32 {
        self.at + 4 * index
    }

    /// The primitive, as the calling thread reaches it.
    pub fn space(&self) -> Shared {
        Shared { seg: Runtime::current().segment(), at: *self }
    }
}

/// A primitive of the segment, with the calling process's view of it.
pub struct Shared {
    seg: Segment,
    at: SharedAt,
}

impl Space for Shared {
    type Word<'a> = SegWord<'a>;
    type Waiters<'a> = SegWaiters<'a>;

    fn word(&self, index: u32) -> SegWord<'_> {
        SegWord { segment: &self.seg, at: self.at.offset(index) }
    }

    fn waiters(&self) -> SegWaiters<'_> {
        let list = self.at.waiters.expect("this primitive of the segment has no wait list");
        SegWaiters { seg: &self.seg, list }
    }

    /// The thread across the run: its process and its watch id.
    fn holder_id(&self) -> u32 {
        run_thread_id()
    }

    /// The run's thread id: the pid takes the bits a generation would (a child's thread
    /// ids are rarely reused within one lock's life).
    fn token(&self) -> u32 {
        run_thread_id()
    }

    fn thread_of(&self, token: u32) -> (u32, (u32, u32)) {
        let (pid, thread) = crate::watch::graph::run_thread(token);
        (if pid == Runtime::current().process.pid { 0 } else { pid }, (thread, 0))
    }

    fn show_lock_word(&self, watch: &Watched, index: u32) {
        watch.set_shared(self.at.offset(index));
    }
}

/// The calling thread's id across the run: its process and its watch id. A lock of the
/// segment holds it while held, so the page can tell who holds a lock another process waits
/// for.
pub fn run_thread_id() -> u32 {
    Runtime::current().process.pid << 10 | crate::watch::my_id()
}
