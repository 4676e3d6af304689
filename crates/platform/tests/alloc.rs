//! The per-thread block cache the browser build allocates through (`platform::alloc`),
//! driven directly: sizes across and beyond its classes, growth and shrinking that cross
//! classes, blocks freed by another thread than the one that allocated them, and threads
//! not yet armed.
#![cfg(not(target_arch = "wasm32"))]

use pp_platform::alloc::{arm_this_thread, ThreadCachedAlloc};
use std::alloc::{GlobalAlloc, Layout};

const A: ThreadCachedAlloc = ThreadCachedAlloc;

// The tests' only unsafe code: each block is used with the layout it was allocated with, and
// freed once (the tests keep (pointer, layout) pairs together), sizes are never zero.

fn free(p: *mut u8, layout: Layout) {
    // SAFETY: `p` was allocated by `A` with `layout` and is not used after this.
    unsafe { A.dealloc(p, layout) }
}

fn grow(p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
    // SAFETY: as in `free`; `new_size` is not zero.
    unsafe { A.realloc(p, layout, new_size) }
}

fn zeroed(layout: Layout) -> *mut u8 {
    // SAFETY: the layout's size is not zero.
    unsafe { A.alloc_zeroed(layout) }
}

fn fill(p: *mut u8, len: usize, byte: u8) {
    // SAFETY: `p` is a live block of at least `len` bytes.
    unsafe { p.write_bytes(byte, len) }
}

fn filled(size: usize, align: usize, byte: u8) -> (*mut u8, Layout) {
    let layout = Layout::from_size_align(size, align).unwrap();
    // SAFETY: the sizes used here are not zero.
    let p = unsafe { A.alloc(layout) };
    assert!(!p.is_null());
    assert_eq!(p as usize % align, 0, "alignment {align} for {size} bytes");
    fill(p, size, byte);
    (p, layout)
}

fn holds(p: *mut u8, len: usize, byte: u8) -> bool {
    // SAFETY: `p` is a live block of at least `len` initialized bytes.
    unsafe { std::slice::from_raw_parts(p, len) }.iter().all(|&b| b == byte)
}

#[test]
fn live_blocks_never_overlap_and_keep_their_bytes() {
    arm_this_thread();
    let sizes = [1, 8, 16, 17, 100, 256, 1000, 2048, 2049, 10_000];
    let mut live = Vec::new();
    for round in 0..3u8 {
        for (i, &size) in sizes.iter().enumerate() {
            for align in [1, 8, 16, 64] {
                let byte = round * 40 + i as u8;
                let (p, l) = filled(size, align, byte);
                live.push((p, l, byte));
            }
        }
        for &(p, l, byte) in &live {
            assert!(holds(p, l.size(), byte), "a block was handed out twice");
        }
        // Free every other block: they go to the bins and come back in the next round.
        let (gone, kept): (Vec<_>, Vec<_>) = live.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
        gone.into_iter().for_each(|(_, (p, l, _))| free(p, l));
        live = kept.into_iter().map(|(_, b)| b).collect();
    }
    live.into_iter().for_each(|(p, l, _)| free(p, l));
}

#[test]
fn realloc_keeps_the_prefix_within_and_across_classes() {
    arm_this_thread();
    let (mut p, mut layout) = filled(5, 8, 7);
    for new_size in [9, 16, 17, 500, 2048, 4096, 100_000, 3000, 40, 3] {
        let keep = layout.size().min(new_size);
        p = grow(p, layout, new_size);
        assert!(holds(p, keep, 7), "lost bytes growing or shrinking to {new_size}");
        layout = Layout::from_size_align(new_size, 8).unwrap();
        fill(p, new_size, 7);
    }
    free(p, layout);
}

#[test]
fn blocks_freed_by_another_thread_are_reused_safely() {
    arm_this_thread();
    let blocks: Vec<(usize, Layout)> =
        (0..1000).map(|i| filled(24 + i % 200, 8, 1)).map(|(p, l)| (p as usize, l)).collect();
    std::thread::spawn(move || {
        arm_this_thread();
        blocks.into_iter().for_each(|(p, l)| free(p as *mut u8, l));
        // The freeing thread's bins now hold some of them; allocating hands those out.
        let again: Vec<_> = (0..100).map(|i| filled(24 + i, 8, i as u8)).collect();
        for (i, &(p, l)) in again.iter().enumerate() {
            assert!(holds(p, l.size(), i as u8));
        }
        again.into_iter().for_each(|(p, l)| free(p, l));
    })
    .join()
    .unwrap();
}

/// Before a thread is armed (a new worker, while wasm-bindgen allocates its thread-local
/// block), blocks come from std's allocator, the same size a bin would hold: an armed
/// thread may later keep them in its bins.
#[test]
fn an_unarmed_thread_allocates_without_its_bins_and_an_armed_one_takes_its_blocks() {
    let blocks: Vec<(usize, Layout)> =
        std::thread::spawn(|| (0..100).map(|i| filled(10 + i, 8, 3)).map(|(p, l)| (p as usize, l)).collect())
            .join()
            .unwrap();
    arm_this_thread();
    for (p, l) in blocks {
        assert!(holds(p as *mut u8, l.size(), 3));
        free(p as *mut u8, l);
    }
    let (p, l) = filled(50, 8, 9);
    assert!(holds(p, 50, 9));
    free(p, l);
}

#[test]
fn zeroed_blocks_are_zero_small_and_large_even_when_reused() {
    arm_this_thread();
    for size in [24, 2000, 100_000] {
        let (p, l) = filled(size, 8, 0xAB);
        free(p, l); // a small one goes to the bin, dirty
        let z = zeroed(l);
        assert!(holds(z, size, 0), "{size} bytes zeroed");
        free(z, l);
    }
}
