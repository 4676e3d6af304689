//! Warm child processes, handed their request through the run's segment.
//!
//! A warm child is a process worker the host started ahead of time: instantiated, attached to
//! the segment, waiting. A parent that starts a child used to ask the host (a message to the
//! page's main thread), which told a warm worker who to be (a second message): 9-13 ms of a
//! 24 ms start went waiting for the main thread, which is also drawing the run. Now the warm
//! worker waits on a slot of the segment, the parent claims a slot and writes the request into
//! it, and the child tells the host who it became (`pp:became`) before it boots: no hop on the
//! start's path. The host learns of the child from the child, so its `Ready` and `Exit` come
//! after it, in that worker's order.
//!
//! A slot's state goes `FREE` -> `WAITING` (its warm worker is ready) -> `CLAIMED` (a parent
//! took it) -> `HANDED` (the request is written) -> `FREE` (the host heard `pp:became`, and may
//! give the slot to its next warm worker). A request larger than a slot, or a start when no
//! slot waits, goes through the host as before.

use crate::segment::{Header, Segment};

/// Warm workers a run can keep waiting at once (the host keeps four of the ports' module).
pub const SLOTS: u32 = 8;
/// The largest request a slot carries: a Python child's request holds its parent's globals,
/// usually a few KiB.
pub const SLOT_BYTES: u32 = 64 << 10;

// The header's layout leaves room for exactly these.
const _: () = assert!(Header::WARM_BUFFERS == Header::WARM_SLOTS + SLOTS * 8);
const _: () = assert!(Header::SIZE == Header::WARM_BUFFERS + SLOTS * SLOT_BYTES);

pub const FREE: u32 = 0;
pub const WAITING: u32 = 1;
pub const CLAIMED: u32 = 2;
pub const HANDED: u32 = 3;

/// The byte offset of a slot's state word; its request's length is the next word.
pub const fn state_at(slot: u32) -> u32 {
    Header::WARM_SLOTS + slot * 8
}

const fn len_at(slot: u32) -> u32 {
    state_at(slot) + 4
}

const fn buffer_at(slot: u32) -> u32 {
    Header::WARM_BUFFERS + slot * SLOT_BYTES
}

/// The parent's side: gives `request` to a waiting warm worker, if one waits and it fits.
pub fn hand_over(seg: &Segment, request: &[u8]) -> bool {
    let Ok(len) = u32::try_from(request.len()) else { return false };
    if len > SLOT_BYTES {
        return false;
    }
    for slot in 0..SLOTS {
        if seg.cas(state_at(slot), WAITING, CLAIMED).is_ok() {
            seg.write(buffer_at(slot), request);
            seg.store(len_at(slot), len);
            seg.store(state_at(slot), HANDED);
            seg.notify(state_at(slot), 1);
            return true;
        }
    }
    false
}

/// The warm worker's side: says it waits on `slot`, and returns the request a parent hands it.
/// Blocks (a worker may; this one has nothing else to do until then).
pub fn wait_for_request(seg: &Segment, slot: u32) -> Vec<u8> {
    seg.store(state_at(slot), WAITING);
    loop {
        let state = seg.load(state_at(slot));
        if state == HANDED {
            break;
        }
        seg.wait(state_at(slot), state, None);
    }
    let mut request = vec![0; seg.load(len_at(slot)) as usize];
    seg.read(buffer_at(slot), &mut request);
    request
}

/// Whether a parent has handed a request whose child the host has not heard of yet (its
/// records may already be on their way: the host holds the others back until it has).
pub fn unannounced(state_of: impl Fn(u32) -> u32) -> bool {
    (0..SLOTS).any(|slot| matches!(state_of(state_at(slot)), CLAIMED | HANDED))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_request_reaches_the_worker_waiting_on_a_slot_and_only_one() {
        let seg = Segment::new(Header::SIZE + 4096);
        let child = {
            let seg = seg.clone();
            std::thread::spawn(move || wait_for_request(&seg, 5))
        };
        while seg.load(state_at(5)) != WAITING {
            std::thread::yield_now();
        }
        assert!(!unannounced(|at| seg.load(at)));
        assert!(hand_over(&seg, b"who to be"));
        assert_eq!(child.join().unwrap(), b"who to be");
        assert!(unannounced(|at| seg.load(at)), "handed, until the host frees the slot");
        assert!(!hand_over(&seg, b"another"), "no other worker waits");
        assert!(!hand_over(&seg, &vec![0; SLOT_BYTES as usize + 1]), "too large for a slot");
    }
}
