//! The shared segment: memory that every process of a run can reach, while each keeps its
//! own wasm memory. In the browser it is a SharedArrayBuffer that the host creates with the
//! run's first process and gives to every worker of every process of the run; wasm cannot
//! address it, so each access is a call to JS `Atomics` or a typed-array copy. Natively it
//! is a block of atomics shared by the threads that stand in for processes.
//!
//! Everything in it is addressed by byte offset (each process would map it elsewhere). It
//! starts with a small header ([`Header`]); objects are carved out of the rest by a bump
//! allocator and never freed: a run is short, and the segment says clearly when it is full.

use std::time::Duration;

/// Bytes of a run's segment: queues, pipes, shared values and arrays, pool task rings. Never
/// freed, so sized for a program that makes a few thousand queues and pipes (16 KiB rings):
/// CPython's own `_test_multiprocessing` port makes several hundred in one run. The host
/// allocates it once per run; untouched pages cost the browser nothing.
pub const SEGMENT_BYTES: u32 = 64 << 20;

/// Word offsets of the header.
pub struct Header;
impl Header {
    pub const MAGIC: u32 = 0;
    /// Next free byte for [`Segment::alloc`].
    pub const BUMP: u32 = 4;
    /// Next pid to hand out.
    pub const NEXT_PID: u32 = 8;
    /// The run's clock origin (µs, low and high words), set by the segment's creator.
    pub const CLOCK_BASE: u32 = 12;
    /// The latest printed line's stamp, µs after the origin: see [`Segment::line_stamp`].
    pub const LAST_LINE: u32 = 20;
    /// The last number given to a lock of the segment (its name in every process's view).
    pub const LAST_SHARED_NUMBER: u32 = 24;
    pub const SIZE: u32 = 64;
}

const MAGIC: u32 = 0x5050_5347; // "PPSG"
/// The first pid of a run's child processes (the root's pid comes from the host).
const FIRST_CHILD_PID: u32 = 2000;

/// The run's shared segment is full: a clear error instead of a trap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentFull {
    /// Bytes asked for, and the segment's size.
    pub asked: u32,
    pub size: u32,
}

impl std::fmt::Display for SegmentFull {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the run's shared memory ({} MiB) is full: could not allocate {} bytes", self.size >> 20, self.asked)
    }
}
impl std::error::Error for SegmentFull {}

pub use imp::Segment;

/// The stamp of a line printed now: on the run's clock in the browser (see
/// [`Segment::line_stamp`]); natively every thread, those standing in for processes included,
/// reads one clock already.
pub fn line_stamp() -> u64 {
    imp::line_stamp()
}

impl Segment {
    /// Formats a fresh segment's header (once, by its creator).
    pub fn init_header(&self) {
        if self.cas(Header::MAGIC, 0, MAGIC).is_ok() {
            self.store(Header::BUMP, Header::SIZE);
            self.store(Header::NEXT_PID, FIRST_CHILD_PID);
            let origin = crate::clock::stamp_us();
            self.store(Header::CLOCK_BASE, origin as u32);
            self.store(Header::CLOCK_BASE + 4, (origin >> 32) as u32);
        }
    }

    /// The stamp of a line printed now (`local_us` on this worker's clock), later than every
    /// line stamped before it in any process of the run.
    ///
    /// Each worker's clock is `timeOrigin + now()`, and two workers' `timeOrigin`s can
    /// disagree by a millisecond or more: a parent's line printed just after `join()` came out
    /// stamped before its child's last line, and the console showed it first. So the run
    /// keeps its latest line stamp here, a Lamport clock in µs: a stamp is the later of the
    /// local clock and that + 1. What a process saw happen (a child's end, a message) was
    /// stamped before, so its lines come after. Runs past 71 minutes fall back to the local
    /// clock (the word holds 32 bits of µs).
    pub fn line_stamp(&self, local_us: u64) -> u64 {
        let origin = u64::from(self.load(Header::CLOCK_BASE)) | u64::from(self.load(Header::CLOCK_BASE + 4)) << 32;
        let Ok(local) = u32::try_from(local_us.saturating_sub(origin)) else { return local_us };
        let mut last = self.load(Header::LAST_LINE);
        loop {
            let stamp = local.max(last.saturating_add(1));
            match self.cas(Header::LAST_LINE, last, stamp) {
                Ok(_) => return origin + u64::from(stamp),
                Err(seen) => last = seen,
            }
        }
    }

    /// `bytes` of zeroed segment memory, 8-aligned; never freed.
    pub fn alloc(&self, bytes: u32) -> Result<u32, SegmentFull> {
        let full = SegmentFull { asked: bytes, size: self.len() };
        let rounded = bytes.checked_add(7).ok_or(full.clone())? & !7;
        let at = self.fetch_add(Header::BUMP, rounded);
        if at.checked_add(rounded).is_none_or(|end| end > self.len()) {
            return Err(full);
        }
        Ok(at)
    }

    /// A number for a new lock of the segment, the same in every process (`mp lock 1`).
    pub fn next_shared_number(&self) -> u32 {
        self.fetch_add(Header::LAST_SHARED_NUMBER, 1) + 1
    }

    /// A pid for a new process of this run.
    pub fn next_pid(&self) -> u32 {
        self.fetch_add(Header::NEXT_PID, 1)
    }

    /// Watches the word at `at` for a few microseconds; `true` as soon as it no longer holds
    /// `expected` (the futex pattern of `platform::futex`, on the segment).
    pub fn spin(&self, at: u32, expected: u32) -> bool {
        // A look is a call into JS in the browser (tens of ns): fewer looks, same window.
        for _ in 0..super::futex::DEFAULT_SPIN / 16 {
            if self.load(at) != expected {
                return true;
            }
            std::hint::spin_loop();
        }
        false
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::*;
    use crate::futex;
    use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
    use std::sync::Arc;

    /// Natively: words shared by the threads that stand in for a run's processes.
    #[derive(Clone)]
    pub struct Segment {
        words: Arc<[AtomicU32]>,
    }

    pub fn line_stamp() -> u64 {
        crate::clock::stamp_us()
    }

    impl Segment {
        /// A run's first process makes the run's segment.
        pub fn for_new_run() -> Segment {
            Segment::new(SEGMENT_BYTES)
        }

        pub fn new(bytes: u32) -> Segment {
            let words: Arc<[AtomicU32]> = (0..bytes / 4).map(|_| AtomicU32::new(0)).collect();
            let s = Segment { words };
            s.init_header();
            s
        }

        fn word(&self, at: u32) -> &AtomicU32 {
            debug_assert!(at.is_multiple_of(4), "unaligned segment word {at}");
            &self.words[(at / 4) as usize]
        }

        #[allow(clippy::len_without_is_empty)] // a segment is never empty
        pub fn len(&self) -> u32 {
            (self.words.len() * 4) as u32
        }

        /// Tells segments apart (natively, several runs' segments coexist).
        pub fn identity(&self) -> usize {
            self.words.as_ptr() as usize
        }

        pub fn load(&self, at: u32) -> u32 {
            self.word(at).load(SeqCst)
        }
        pub fn store(&self, at: u32, v: u32) {
            self.word(at).store(v, SeqCst)
        }
        pub fn swap(&self, at: u32, v: u32) -> u32 {
            self.word(at).swap(v, SeqCst)
        }
        pub fn fetch_add(&self, at: u32, v: u32) -> u32 {
            self.word(at).fetch_add(v, SeqCst)
        }
        pub fn fetch_sub(&self, at: u32, v: u32) -> u32 {
            self.word(at).fetch_sub(v, SeqCst)
        }
        pub fn cas(&self, at: u32, old: u32, new: u32) -> Result<u32, u32> {
            self.word(at).compare_exchange(old, new, SeqCst, SeqCst)
        }
        /// Natively a thread standing in for a process cannot be killed: it must see its stop
        /// word (`platform::stop`) while it waits, so a wait returns at least every
        /// `STOP_POLL` (a spurious wake-up, which the futex contract allows; callers loop and
        /// call the stop check).
        pub fn wait(&self, at: u32, expected: u32, timeout: Option<Duration>) -> bool {
            const STOP_POLL: Duration = Duration::from_millis(50);
            let capped = timeout.is_none_or(|t| t > STOP_POLL);
            futex::wait(self.word(at), expected, Some(timeout.map_or(STOP_POLL, |t| t.min(STOP_POLL)))) || capped
        }
        pub fn notify(&self, at: u32, count: u32) {
            futex::wake(self.word(at), count)
        }

        fn bytes(&self) -> *mut u8 {
            self.words.as_ptr() as *mut u8
        }

        /// Copies bytes out. Readers and writers order themselves with the atomics around
        /// (a ring publishes its head after writing), as with any shared buffer.
        pub fn read(&self, at: u32, out: &mut [u8]) {
            assert!(at as usize + out.len() <= self.len() as usize, "segment read out of bounds");
            // SAFETY: in bounds (checked); the words are plain memory shared by design, and
            // the protocols above make these bytes quiescent while they are copied.
            unsafe { std::ptr::copy_nonoverlapping(self.bytes().add(at as usize), out.as_mut_ptr(), out.len()) }
        }

        pub fn write(&self, at: u32, bytes: &[u8]) {
            assert!(at as usize + bytes.len() <= self.len() as usize, "segment write out of bounds");
            // SAFETY: as in `read`.
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.bytes().add(at as usize), bytes.len()) }
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use js_sys::{Atomics, Int32Array, SharedArrayBuffer, Uint8Array};
    use std::cell::RefCell;

    /// The segment's views in this worker. JS objects cannot cross workers, so each worker
    /// of every process gets the SharedArrayBuffer in its init message and makes its own.
    struct Views {
        words: Int32Array,
        bytes: Uint8Array,
        len: u32,
    }

    thread_local! {
        static VIEWS: RefCell<Option<Views>> = const { RefCell::new(None) };
    }

    /// Gives this worker the run's segment (worker start-up).
    pub fn attach(buffer: &SharedArrayBuffer) {
        let views = Views { words: Int32Array::new(buffer), bytes: Uint8Array::new(buffer), len: buffer.byte_length() };
        VIEWS.with(|v| *v.borrow_mut() = Some(views));
    }

    /// Whether this worker has a run's segment (a browser test's own worker may not).
    pub fn attached() -> bool {
        VIEWS.with(|v| v.borrow().is_some())
    }

    fn with<R>(f: impl FnOnce(&Views) -> R) -> R {
        VIEWS.with(|v| f(v.borrow().as_ref().expect("this worker was started without the run's shared segment")))
    }

    /// In the browser a handle is just a name for this worker's views (`Clone`, not `Copy`,
    /// like the native handle, so code above is written once).
    #[derive(Clone)]
    pub struct Segment;

    pub fn line_stamp() -> u64 {
        let local = crate::clock::stamp_us();
        if attached() {
            Segment.line_stamp(local)
        } else {
            local
        }
    }

    impl Segment {
        /// The buffer the host gave this worker (a run's segment is made by its host).
        pub fn for_new_run() -> Segment {
            Segment
        }

        #[allow(clippy::len_without_is_empty)] // a segment is never empty
        pub fn len(&self) -> u32 {
            with(|v| v.len)
        }
        /// A worker has one run's segment: nothing to tell apart.
        pub fn identity(&self) -> usize {
            0
        }
        pub fn load(&self, at: u32) -> u32 {
            with(|v| Atomics::load(&v.words, at / 4).unwrap_or(0) as u32)
        }
        pub fn store(&self, at: u32, x: u32) {
            with(|v| {
                let _ = Atomics::store(&v.words, at / 4, x as i32);
            })
        }
        pub fn swap(&self, at: u32, x: u32) -> u32 {
            with(|v| Atomics::exchange(&v.words, at / 4, x as i32).unwrap_or(0) as u32)
        }
        pub fn fetch_add(&self, at: u32, x: u32) -> u32 {
            with(|v| Atomics::add(&v.words, at / 4, x as i32).unwrap_or(0) as u32)
        }
        pub fn fetch_sub(&self, at: u32, x: u32) -> u32 {
            with(|v| Atomics::sub(&v.words, at / 4, x as i32).unwrap_or(0) as u32)
        }
        pub fn cas(&self, at: u32, old: u32, new: u32) -> Result<u32, u32> {
            let seen =
                with(|v| Atomics::compare_exchange(&v.words, at / 4, old as i32, new as i32).unwrap_or(0) as u32);
            if seen == old {
                Ok(seen)
            } else {
                Err(seen)
            }
        }
        pub fn wait(&self, at: u32, expected: u32, timeout: Option<Duration>) -> bool {
            with(|v| {
                let r = match timeout {
                    None => Atomics::wait(&v.words, at / 4, expected as i32),
                    Some(d) => Atomics::wait_with_timeout(&v.words, at / 4, expected as i32, d.as_secs_f64() * 1000.0),
                };
                r.map_or(true, |s| s != "timed-out")
            })
        }
        pub fn notify(&self, at: u32, count: u32) {
            with(|v| {
                let _ = Atomics::notify_with_count(&v.words, at / 4, count);
            })
        }
        pub fn read(&self, at: u32, out: &mut [u8]) {
            if !out.is_empty() {
                with(|v| v.bytes.subarray(at, at + out.len() as u32).copy_to(out))
            }
        }
        pub fn write(&self, at: u32, bytes: &[u8]) {
            if !bytes.is_empty() {
                with(|v| v.bytes.subarray(at, at + bytes.len() as u32).copy_from(bytes))
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use imp::attach;
