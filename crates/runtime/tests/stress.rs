//! Stress natively: 8 producers and 8 consumers move 100,000 items through each queue kind
//! with nothing lost or duplicated; 8 threads x 100,000 increments under a Lock are exact.
//! (The browser runs the same programs in `tests/web.rs`.)
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::queue::{LifoQueue, PriorityQueue, Queue, SimpleQueue};
use pp_testing::stress::{locked_increments, move_items, StressQueue};
use std::sync::Arc;

const ITEMS: u64 = 100_000;

fn check(q: Arc<dyn StressQueue>) {
    let got = move_items(q, 8, 8, ITEMS);
    assert_eq!(got.len() as u64, ITEMS, "items lost or duplicated");
    assert!(got.iter().copied().eq(0..ITEMS), "items lost or duplicated");
}

#[test]
fn bounded_fifo_queue() {
    check(Arc::new(Queue::new(64)));
}

#[test]
fn unbounded_fifo_queue() {
    check(Arc::new(Queue::new(0)));
}

#[test]
fn lifo_queue() {
    check(Arc::new(LifoQueue::new(64)));
}

#[test]
fn priority_queue() {
    check(Arc::new(PriorityQueue::new(64)));
}

#[test]
fn simple_queue() {
    check(Arc::new(SimpleQueue::new()));
}

#[test]
fn lock_increments_are_exact() {
    assert_eq!(locked_increments(8, 100_000), 800_000);
}
