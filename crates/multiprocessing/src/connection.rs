//! `multiprocessing.Pipe()` and its `Connection`s: one byte ring per direction in the run's
//! segment.
//!
//! Ends are counted as CPython's file descriptors are: a connection handed to a child
//! process (serialized) is one more open end, counted when it is serialized (as a
//! descriptor is duplicated when the child is made), and an end is closed for good when its
//! last handle is closed or dropped. Then the other side gets `EOFError` (reading, once the
//! ring is empty) or `BrokenPipeError` (writing).

use super::pickle::{decode, encode};
use super::ring::{SegRing, READER_CLOSED, WRITER_CLOSED};
use super::shared::segment;
use pp_runtime::errors::{PyErr, PyErrKind, PyResult};
use pp_runtime::errors::{RecvError, SendError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering::*};

/// Bytes of each direction's ring (a larger message crosses in pieces; see
/// `queues::DEFAULT_RING_BYTES`).
pub const PIPE_RING_BYTES: u32 = 16 << 10;

/// One direction: the ring, and the open counts of its two ends (readers, writers).
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct Channel {
    ring: SegRing,
    /// Words: open reading handles, open writing handles.
    ends: u32,
}

impl Channel {
    fn create() -> PyResult<Channel> {
        let seg = segment();
        let ring = SegRing::create(&seg, PIPE_RING_BYTES)?;
        let ends = seg.alloc(8)?;
        seg.store(ends, 1);
        seg.store(ends + 4, 1);
        Ok(Channel { ring, ends })
    }

    fn end_word(&self, writing: bool) -> u32 {
        self.ends + if writing { 4 } else { 0 }
    }

    fn open_one(&self, writing: bool) {
        segment().fetch_add(self.end_word(writing), 1);
    }

    fn close_one(&self, writing: bool) {
        let seg = segment();
        if seg.fetch_sub(self.end_word(writing), 1) == 1 {
            self.ring.close(&seg, if writing { WRITER_CLOSED } else { READER_CLOSED });
        }
    }
}

/// `multiprocessing.connection.Connection`.
#[derive(Debug)]
pub struct Connection {
    reads: Option<Channel>,
    writes: Option<Channel>,
    closed: AtomicBool,
}

/// `Pipe(duplex=True)`: two connected ends. With `duplex` false the first end only
/// receives and the second only sends.
#[allow(non_snake_case)]
pub fn Pipe(duplex: bool) -> PyResult<(Connection, Connection)> {
    let a = Channel::create()?;
    if duplex {
        let b = Channel::create()?;
        Ok((Connection::new(Some(a), Some(b)), Connection::new(Some(b), Some(a))))
    } else {
        Ok((Connection::new(Some(a), None), Connection::new(None, Some(a))))
    }
}

fn os_error(message: &str) -> PyErr {
    PyErr::new(PyErrKind::OsError, message)
}

impl Connection {
    fn new(reads: Option<Channel>, writes: Option<Channel>) -> Connection {
        Connection { reads, writes, closed: AtomicBool::new(false) }
    }

    fn check_open(&self) -> PyResult<()> {
        if self.closed.load(Relaxed) {
            return Err(os_error("handle is closed"));
        }
        Ok(())
    }

    fn writing(&self) -> PyResult<Channel> {
        self.check_open()?;
        self.writes.ok_or_else(|| os_error("connection is read-only"))
    }

    fn reading(&self) -> PyResult<Channel> {
        self.check_open()?;
        self.reads.ok_or_else(|| os_error("connection is write-only"))
    }

    /// `send(obj)`: serialized, as pickled.
    pub fn send<T: Serialize>(&self, obj: &T) -> PyResult<()> {
        self.send_bytes(&encode(obj)?)
    }

    /// `recv()`: the next object; `EOFError` once the other end is closed and all is read.
    pub fn recv<T: DeserializeOwned>(&self) -> PyResult<T> {
        decode(&self.recv_bytes()?)
    }

    pub fn send_bytes(&self, bytes: &[u8]) -> PyResult<()> {
        let channel = self.writing()?;
        match channel.ring.send(&segment(), bytes.to_vec(), true, None, 0) {
            Ok(()) => Ok(()),
            Err(SendError::Closed(_)) => Err(PyErr::new(PyErrKind::BrokenPipeError, "[Errno 32] Broken pipe")),
            Err(SendError::Segment(e)) => Err(e.into()),
            Err(SendError::Full(_)) => unreachable!("a blocking send without deadline"),
        }
    }

    pub fn recv_bytes(&self) -> PyResult<Vec<u8>> {
        let channel = self.reading()?;
        match channel.ring.recv(&segment(), true, None) {
            Ok(bytes) => Ok(bytes),
            Err(RecvError::Closed) | Err(RecvError::Empty) => Err(PyErr::new(PyErrKind::EofError, "")),
            Err(RecvError::Segment(e)) => Err(e.into()),
        }
    }

    /// `poll(timeout=0.0)`: whether there is something to read (or the end of it); `None`
    /// waits as long as it takes.
    pub fn poll(&self, timeout: Option<f64>) -> PyResult<bool> {
        let channel = self.reading()?;
        Ok(channel.ring.poll(&segment(), pp_runtime::timeout::at_most(timeout)))
    }

    /// `close()`: this handle is closed; the end is, once its last handle is.
    pub fn close(&self) {
        if !self.closed.swap(true, Relaxed) {
            if let Some(c) = self.reads {
                c.close_one(false);
            }
            if let Some(c) = self.writes {
                c.close_one(true);
            }
        }
    }

    pub fn closed(&self) -> bool {
        self.closed.load(Relaxed)
    }

    pub fn readable(&self) -> bool {
        self.reads.is_some()
    }

    pub fn writable(&self) -> bool {
        self.writes.is_some()
    }
}

impl Drop for Connection {
    /// As CPython's `__del__`: a dropped handle is a closed one.
    fn drop(&mut self) {
        self.close();
    }
}

/// What crosses to a child: the two channels. Serializing counts a new open handle (the
/// child's), as duplicating a descriptor does; the child's copy closes it when dropped.
#[derive(Serialize, Deserialize)]
struct Wire {
    reads: Option<Channel>,
    writes: Option<Channel>,
}

impl Serialize for Connection {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if let Some(c) = self.reads {
            c.open_one(false);
        }
        if let Some(c) = self.writes {
            c.open_one(true);
        }
        Wire { reads: self.reads, writes: self.writes }.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Connection {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Connection, D::Error> {
        let w = Wire::deserialize(d)?;
        Ok(Connection::new(w.reads, w.writes))
    }
}
