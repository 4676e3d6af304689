//! The watch table: who runs, who waits on what, who holds what, in each process.
//!
//! It is part of the primitives, not a wrapper: `threading::Lock` stores its holder here on
//! every acquire (one relaxed store), and every blocking slow path marks its thread blocked
//! on an object before it waits. A host that does not share the process's memory (the UI's
//! main thread) reads it with plain atomic loads, never a wait:
//!
//! - [`Table`] is a fixed-layout (`repr(C)`) array of thread slots and object slots, a
//!   snapshot of *now*: enough to find a cycle in the wait-for graph (see [`graph`]).
//! - [`ring::Ring`] is a byte ring of records (console lines, thread start/end, block and
//!   unblock, object names), the *history*: the console and the timeline are built from it.
//!
//! A thread slot's id is its index + 1; an object's too. 0 means "none" or "not watched"
//! (the table is full): watching is best effort and says so (`Table::untracked`), the
//! program's behaviour never depends on it.

// The host's side (reading another memory's table, decoding, the console's order, the
// wait-for graph) serves the page (`pp-web`) and the native harness (`pp-testing`).
pub mod console;
pub mod graph;
pub mod order;
pub mod reader;
pub mod record;
pub mod ring;
pub mod shake;
pub mod step;

mod table;
mod watched;

pub use record::{Record, RecordKind};
pub use ring::Ring;
pub(crate) use table::ever_paused;
pub use table::{
    ObjectKind, ObjectSlot, Table, ThreadSlot, ThreadState, Why, HAND_OVERS_RECORDED, MAGIC, OBJECT_SLOTS,
    THREAD_SLOTS, VERSION,
};
pub use watched::{
    blocked_on_id, enter, my_id, my_token, set_recording, sleeping, split_token, unwatched, Blocked, Entered, Watched,
    INTERNAL,
};
