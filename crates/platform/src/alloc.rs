//! A per-thread cache of small blocks in front of std's wasm allocator.
//!
//! With atomics, std's wasm allocator is dlmalloc behind one global *spin* lock (it cannot
//! sleep: the browser's main thread may not wait). When a thread holding it is preempted,
//! every other thread that allocates spins until the holder runs again, a scheduler slice
//! of milliseconds. A pool's small tasks allocate a few buffers each on three threads at
//! once, and the benchmark showed it: a ThreadPool.map at chunksize 1 took 0.3 us per task
//! in some passes and 0.9 in others. glibc's malloc avoids this with per-thread caches
//! (tcache); this is the same idea at its smallest: each thread keeps up to `DEPTH` freed
//! blocks per size class and takes the global lock only when its bin is empty or full.
//!
//! A block freed by another thread than the one that allocated it simply joins the freeing
//! thread's bin, as in tcache.
//!
//! A thread uses its bins only once armed ([`arm_this_thread`], which the worker entry points
//! call): wasm-bindgen allocates a new worker's thread-local block with this very allocator,
//! before that block exists, so the bins' address is meaningless until then. An unarmed
//! thread reads one word there and finds it is not the magic value, and goes to std's
//! allocator directly. A worker's cache outlives the Python thread it ran (the
//! worker is reused), and goes away with its process's memory: at most
//! `DEPTH * (16 + 32 + ... + MAX)` bytes, about 130 KiB, per worker.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;

/// Size classes 16, 32, ..., 2048 bytes: the serialized tasks, results and their vectors.
const CLASSES: usize = 8;
const MIN: usize = 16;
const MAX: usize = MIN << (CLASSES - 1);
const DEPTH: usize = 32;

struct Bin {
    len: usize,
    blocks: [*mut u8; DEPTH],
}

struct Bins {
    /// `ARMED` once this thread may use its bins.
    armed: u64,
    bins: [Bin; CLASSES],
}

const ARMED: u64 = 0x9E37_79B9_7F4A_7C15;

thread_local! {
    // `const` and no destructor: no lazy initialization, so no allocation from in here.
    static BINS: UnsafeCell<Bins> = const {
        UnsafeCell::new(Bins { armed: 0, bins: [const { Bin { len: 0, blocks: [std::ptr::null_mut(); DEPTH] } }; CLASSES] })
    };
}

/// Lets the calling thread cache its small blocks. Call it once the thread runs Rust code of
/// its own (its thread-local block is set up by then).
pub fn arm_this_thread() {
    // SAFETY: this thread's own bins.
    BINS.with(|b| unsafe { (*b.get()).armed = ARMED });
}

/// This thread's bin for `class`, if the thread is armed.
fn bin<R>(class: usize, f: impl FnOnce(&mut Bin) -> R) -> Option<R> {
    BINS.with(|b| {
        // SAFETY: this thread's own bins; the allocator is not re-entered while we hold them.
        let bins = unsafe { &mut *b.get() };
        (bins.armed == ARMED).then(|| f(&mut bins.bins[class]))
    })
}

/// The class of a layout the cache serves, with the layout the block really has.
fn class_of(layout: Layout) -> Option<(usize, Layout)> {
    if layout.size() > MAX || layout.align() > MIN {
        return None;
    }
    let size = layout.size().max(MIN).next_power_of_two();
    let class = (size / MIN).trailing_zeros() as usize;
    // SAFETY: a power of two up to MAX, aligned to MIN (a power of two).
    Some((class, unsafe { Layout::from_size_align_unchecked(size, MIN) }))
}

pub struct ThreadCachedAlloc;

// SAFETY: every block handed out comes from `System` with the layout it is freed with: a
// cached block is one `System` gave for its class's `real` layout, reused only for layouts of
// the same class (size at most the class size, alignment at most `MIN`), and returned to
// `System` with that same `real` layout. The bins are per thread, so no two threads touch one.
unsafe impl GlobalAlloc for ThreadCachedAlloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some((class, real)) = class_of(layout) else {
            // SAFETY: the caller's contract (`layout` has a non-zero size) passes on to `System`.
            return unsafe { System.alloc(layout) };
        };
        let cached = bin(class, |bin| {
            (bin.len > 0).then(|| {
                bin.len -= 1;
                bin.blocks[bin.len]
            })
        });
        // SAFETY: `real` is a valid layout with a non-zero size (see `class_of`).
        cached.flatten().unwrap_or_else(|| unsafe { System.alloc(real) })
    }

    /// Large blocks as std zeroes them (fresh pages from `memory.grow` need no zeroing).
    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if class_of(layout).is_none() {
            // SAFETY: the caller's contract passes on to `System`.
            return unsafe { System.alloc_zeroed(layout) };
        }
        // SAFETY: as the caller's, `layout` has a non-zero size.
        let ptr = unsafe { self.alloc(layout) };
        if !ptr.is_null() {
            // SAFETY: the block holds at least `layout.size()` bytes and is ours alone.
            unsafe { ptr.write_bytes(0, layout.size()) };
        }
        ptr
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some((class, real)) = class_of(layout) else {
            // SAFETY: a block of this layout came from `System` with it (`alloc` above).
            return unsafe { System.dealloc(ptr, layout) };
        };
        let kept = bin(class, |bin| {
            (bin.len < DEPTH).then(|| {
                bin.blocks[bin.len] = ptr;
                bin.len += 1;
            })
        });
        if kept.flatten().is_none() {
            // SAFETY: every block of this class came from `System` with the layout `real`.
            unsafe { System.dealloc(ptr, real) }
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `realloc`'s contract makes `new_size` valid with this alignment.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (class_of(layout), class_of(new)) {
            // SAFETY: neither layout is cached, so the block came from `System` with `layout`.
            (None, None) => unsafe { System.realloc(ptr, layout, new_size) },
            // The block's real size is its class's: it already fits.
            (Some((a, _)), Some((b, _))) if a == b => ptr,
            _ => {
                // SAFETY: `new` has a non-zero size (the contract of `realloc`).
                let fresh = unsafe { self.alloc(new) };
                if !fresh.is_null() {
                    // SAFETY: both blocks hold at least the smaller size and do not overlap
                    // (`fresh` is a new block); `ptr` was allocated here with `layout`.
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, fresh, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                fresh
            }
        }
    }
}

/// The playground's allocator in the browser; natively the system allocator already caches
/// per thread (glibc's tcache).
#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
#[global_allocator]
static ALLOCATOR: ThreadCachedAlloc = ThreadCachedAlloc;
