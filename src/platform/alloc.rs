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

unsafe impl GlobalAlloc for ThreadCachedAlloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some((class, real)) = class_of(layout) else { return unsafe { System.alloc(layout) } };
        let cached = bin(class, |bin| {
            (bin.len > 0).then(|| {
                bin.len -= 1;
                bin.blocks[bin.len]
            })
        });
        cached.flatten().unwrap_or_else(|| unsafe { System.alloc(real) })
    }

    /// Large blocks as std zeroes them (fresh pages from `memory.grow` need no zeroing).
    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if class_of(layout).is_none() {
            return unsafe { System.alloc_zeroed(layout) };
        }
        let ptr = unsafe { self.alloc(layout) };
        if !ptr.is_null() {
            unsafe { ptr.write_bytes(0, layout.size()) };
        }
        ptr
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some((class, real)) = class_of(layout) else { return unsafe { System.dealloc(ptr, layout) } };
        let kept = bin(class, |bin| {
            (bin.len < DEPTH).then(|| {
                bin.blocks[bin.len] = ptr;
                bin.len += 1;
            })
        });
        if kept.flatten().is_none() {
            unsafe { System.dealloc(ptr, real) }
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY (of the layout): `realloc`'s contract makes `new_size` valid with this alignment.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (class_of(layout), class_of(new)) {
            (None, None) => unsafe { System.realloc(ptr, layout, new_size) },
            (Some((a, _)), Some((b, _))) if a == b => ptr,
            _ => {
                let fresh = unsafe { self.alloc(new) };
                if !fresh.is_null() {
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
