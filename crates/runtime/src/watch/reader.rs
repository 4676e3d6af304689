//! Reading a process's [`Table`] from outside: the host holds the process's memory but not its
//! instance, so it reads through a [`Memory`] (JS `Atomics` on the memory's buffer in the
//! browser, plain pointers in native tests). Offsets come from this very build's layout, the
//! same build that wrote the table.

use super::graph::{ObjectView, Snapshot, ThreadView};
use super::record::{self, Record};
use super::{ObjectSlot, Ring, Table, ThreadSlot};
use std::mem::{offset_of, size_of};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering::SeqCst};

/// A view of another instance's memory. Addresses are that memory's.
pub trait Memory {
    fn load_u32(&self, addr: usize) -> u32;
    /// A pointer-sized field (4 bytes on wasm32, 8 natively).
    fn load_ptr(&self, addr: usize) -> usize;
    fn store_u32(&self, addr: usize, value: u32);
    /// Wakes waiters on the word at `addr` (a producer waiting for room in the ring).
    fn notify(&self, addr: usize);
    /// Copies `out.len()` bytes from `addr`; false (and `out` unspecified) when this view of
    /// the memory does not reach that far yet: the browser's view of another instance's memory
    /// may lag behind its growth (WebKit's did), and the reader then tries again next poll.
    fn read(&self, addr: usize, out: &mut [u8]) -> bool;
}

/// Where a process's table is, and how to read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableReader {
    pub table: usize,
}

impl TableReader {
    pub fn new(table: usize) -> Self {
        TableReader { table }
    }

    fn ring_field(&self, field: usize) -> usize {
        self.table + offset_of!(Table, ring) + field
    }

    /// Checks the magic and version: a mismatch means a stale page or a foreign address.
    pub fn check(&self, mem: &impl Memory) -> Result<(), String> {
        let magic = mem.load_u32(self.table + offset_of!(Table, magic));
        let version = mem.load_u32(self.table + offset_of!(Table, version));
        if magic != super::MAGIC || version != super::VERSION {
            return Err(format!("no watch table at {:#x} (magic {magic:#x}, version {version})", self.table));
        }
        Ok(())
    }

    pub fn attach(&self, mem: &impl Memory, attached: bool) {
        let at = self.ring_field(offset_of!(Ring, attached));
        mem.store_u32(at, attached as u32);
        mem.notify(self.ring_field(offset_of!(Ring, tail)));
    }

    /// Takes every whole record written so far and frees their room.
    pub fn drain(&self, mem: &impl Memory) -> Result<Vec<Record>, String> {
        let head = mem.load_u32(self.ring_field(offset_of!(Ring, head)));
        let tail_at = self.ring_field(offset_of!(Ring, tail));
        let tail = mem.load_u32(tail_at);
        if head == tail {
            return Ok(Vec::new());
        }
        let cap = mem.load_u32(self.ring_field(offset_of!(Ring, capacity))) as usize;
        let buf = mem.load_ptr(self.ring_field(offset_of!(Ring, buf)));
        let len = head.wrapping_sub(tail) as usize;
        let start = tail as usize & (cap - 1);
        let first = len.min(cap - start);
        if len > cap {
            return Err(format!("the ring holds {len} bytes, more than its {cap}"));
        }
        let mut bytes = vec![0u8; len];
        if !(mem.read(buf + start, &mut bytes[..first]) && mem.read(buf, &mut bytes[first..])) {
            // Left in the ring, whole: read at the next poll.
            return Ok(Vec::new());
        }
        mem.store_u32(tail_at, head);
        mem.notify(tail_at);
        record::decode(&bytes)
    }

    /// Step mode: lets `thread` go from the point it is parked at (see `super::step`).
    pub fn grant_turn(&self, mem: &impl Memory, thread: u32) {
        let at = self.table + offset_of!(Table, turn);
        mem.store_u32(at, thread);
        mem.notify(at);
    }

    /// Step mode off: every parked thread goes on, and the run runs freely.
    pub fn stop_stepping(&self, mem: &impl Memory) {
        mem.store_u32(self.table + offset_of!(Table, stepping), 0);
        mem.notify(self.table + offset_of!(Table, turn));
    }

    /// Reads the threads in use, and the objects the blocked ones wait on: all the wait-for
    /// graph needs. The thread slots come in one copy (a call into JS in the browser, not
    /// thousands); a snapshot is not atomic across slots, so the caller compares two (see
    /// [`super::graph`]).
    pub fn snapshot(&self, mem: &impl Memory) -> Snapshot {
        let mut s = Snapshot {
            stepping: mem.load_u32(self.table + offset_of!(Table, stepping)) != 0,
            turn: mem.load_u32(self.table + offset_of!(Table, turn)),
            ..Snapshot::default()
        };
        let size = size_of::<ThreadSlot>();
        let mut bytes = vec![0u8; super::THREAD_SLOTS * size];
        if !mem.read(self.table + offset_of!(Table, threads), &mut bytes) {
            return s;
        }
        let word = |slot: &[u8], at: usize| u32::from_le_bytes(slot[at..at + 4].try_into().unwrap());
        for (i, slot) in bytes.chunks_exact(size).enumerate() {
            let state = word(slot, offset_of!(ThreadSlot, state));
            if state == 0 {
                continue;
            }
            s.threads.push(ThreadView {
                id: i as u32 + 1,
                state,
                waits_on: word(slot, offset_of!(ThreadSlot, waits_on)),
                timed: word(slot, offset_of!(ThreadSlot, timed)) != 0,
                blocks: word(slot, offset_of!(ThreadSlot, blocks)),
                parked: word(slot, offset_of!(ThreadSlot, parked)),
                parked_line: word(slot, offset_of!(ThreadSlot, parked_line)),
                why: word(slot, offset_of!(ThreadSlot, why)),
            });
        }
        let mut wanted: Vec<u32> = s.threads.iter().map(|t| t.waits_on).filter(|&o| o != 0).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let objects = self.table + offset_of!(Table, objects);
        for id in wanted.into_iter().filter(|&id| id as usize <= super::OBJECT_SLOTS) {
            let slot = objects + (id as usize - 1) * size_of::<ObjectSlot>();
            let kind = mem.load_u32(slot + offset_of!(ObjectSlot, kind));
            if kind != 0 {
                // A lock's holder is in its state word (`sync::mutex`).
                let word = mem.load_ptr(slot + offset_of!(ObjectSlot, state_word));
                let holder = if word != 0 {
                    crate::sync::mutex::holder_of(mem.load_u32(word))
                } else {
                    mem.load_u32(slot + offset_of!(ObjectSlot, holder))
                };
                let shared_at = mem.load_u32(slot + offset_of!(ObjectSlot, shared_at));
                s.objects.push(ObjectView { id, kind, holder, shared_at });
            }
        }
        s
    }
}

/// A [`Memory`] that is our own address space: the native harness reads a table of its own
/// process through it, as the page reads another instance's through JS.
pub struct LocalMemory {
    _private: (),
}

impl LocalMemory {
    /// # Safety
    /// Every address given to this memory must be one a [`TableReader`] derived from a live
    /// [`Table`] of this address space (its fields, its ring's bytes), and the table must
    /// outlive the reads. (Tables are leaked: a runtime's lives as long as the process.)
    pub unsafe fn new() -> LocalMemory {
        LocalMemory { _private: () }
    }
}

impl Memory for LocalMemory {
    fn load_u32(&self, addr: usize) -> u32 {
        // SAFETY: by `new`'s contract the address is a live table's 4-byte atomic field.
        unsafe { (*(addr as *const AtomicU32)).load(SeqCst) }
    }
    fn load_ptr(&self, addr: usize) -> usize {
        // SAFETY: as above, a pointer-sized atomic field (`ObjectSlot::state_word`, the ring's
        // `buf`), read atomically: another thread may store it meanwhile.
        unsafe { (*(addr as *const AtomicUsize)).load(SeqCst) }
    }
    fn store_u32(&self, addr: usize, value: u32) {
        // SAFETY: as in `load_u32`.
        unsafe { (*(addr as *const AtomicU32)).store(value, SeqCst) }
    }
    fn notify(&self, addr: usize) {
        // SAFETY: as in `load_u32`.
        pp_platform::futex::wake_all(unsafe { &*(addr as *const AtomicU32) })
    }
    fn read(&self, addr: usize, out: &mut [u8]) -> bool {
        // SAFETY: by `new`'s contract the range is the ring's readable part, which producers
        // do not touch until the reader moves the tail.
        unsafe { std::ptr::copy_nonoverlapping(addr as *const u8, out.as_mut_ptr(), out.len()) };
        true
    }
}
