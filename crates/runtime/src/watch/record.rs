//! The records of the ring, as bytes: a 24-byte header (total length, kind, thread, argument,
//! timestamp in microseconds) and a payload. Little-endian, unaligned, no padding: the host
//! copies the bytes out of the process's memory and decodes them here.
//!
//! A payload with fields is written and read by one typed codec (the `encode_*` functions and
//! `Record`'s accessors below): numbers as little-endian words, strings with their length in
//! front, never text split on a separator.

use super::{ObjectKind, Why};

/// What a record says. `arg` and the payload mean what each variant's comment says.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    /// A printed line. arg: 1 stdout, 2 stderr. payload: the text, without the newline.
    Line = 1,
    /// payload: the thread's name.
    ThreadStart = 2,
    ThreadRename = 3,
    ThreadEnd = 4,
    /// arg: object id (0 for a sleep). payload: [`encode_block`].
    Block = 5,
    /// payload: empty, or [`encode_unblock`]: who woke the object the thread waited on.
    Unblock = 6,
    /// arg: object id. payload: [`encode_object_new`].
    ObjectNew = 7,
    /// A message from the runtime itself. payload: [`encode_note`].
    Note = 8,
    /// The process finished. arg: exit code.
    Exit = 9,
    /// The process's first record. arg: its pid. payload: its name.
    ProcessStart = 10,
    /// A thread's Rust code panicked (a bug in a port, or a failed assert in a test): the run
    /// fails, and a test harness reading the ring fails its test. payload: the message.
    Panic = 11,
    /// The program's first instruction: the run's time starts here, not when the process
    /// booted (a process may boot long before Run is pressed).
    RunStart = 12,
    /// The program's source does not compile: the page marks the line in its editor.
    /// arg: the line (1-based). payload: [`encode_source_error`].
    SourceError = 13,
    /// How many of the tasks given to a pool are done. arg: done; payload: [`encode_progress`].
    Progress = 14,
    /// The thread took a lock another thread held last. arg: the lock's id. payload:
    /// [`encode_hand_over`].
    HandOver = 15,
    /// Another thread than the last passed a scheduling point (see `order`): from pass `arg`
    /// on, the record's thread passes them. payload: [`encode_switch`].
    Switch = 16,
}

impl RecordKind {
    pub fn from_u8(v: u8) -> Option<Self> {
        use RecordKind::*;
        [
            Line,
            ThreadStart,
            ThreadRename,
            ThreadEnd,
            Block,
            Unblock,
            ObjectNew,
            Note,
            Exit,
            ProcessStart,
            Panic,
            RunStart,
            SourceError,
            Progress,
            HandOver,
            Switch,
        ]
        .into_iter()
        .find(|k| *k as u8 == v)
    }
}

pub const HEADER: usize = 24;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub kind: RecordKind,
    pub thread: u32,
    pub arg: u32,
    pub t_us: u64,
    pub payload: Vec<u8>,
}

impl Record {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.payload).into_owned()
    }

    /// What a [`RecordKind::SourceError`] record says.
    pub fn source_error(&self) -> Option<SourceError> {
        let mut p = self.fields(RecordKind::SourceError)?;
        Some(SourceError { line: self.arg, column: p.u32()?, message: p.str()? })
    }

    /// What a [`RecordKind::ObjectNew`] record says: the object's kind and display name.
    pub fn object_new(&self) -> Option<(ObjectKind, String)> {
        let mut p = self.fields(RecordKind::ObjectNew)?;
        Some((ObjectKind::from_u32(p.u32()?)?, p.str()?))
    }

    /// What a [`RecordKind::Block`] record says: why the thread waits, and whether with a
    /// timeout.
    pub fn block(&self) -> Option<(Why, bool)> {
        let mut p = self.fields(RecordKind::Block)?;
        Some((Why::from_u8(p.u8()?)?, p.u8()? != 0))
    }

    /// Who let an [`RecordKind::Unblock`]ed thread go on: their thread and the time they did.
    pub fn woken_by(&self) -> Option<Waker> {
        let mut p = self.fields(RecordKind::Unblock)?;
        Some(Waker { thread: p.u32()?, at_us: p.u64()?, pid: p.u32()?, generation: p.u32()? })
    }

    /// Whom a [`RecordKind::HandOver`]ed lock came from.
    pub fn hand_over(&self) -> Option<HandOver> {
        let mut p = self.fields(RecordKind::HandOver)?;
        Some(HandOver { pid: p.u32()?, thread: p.u32()?, generation: p.u32()?, slept: p.u8()? != 0 })
    }

    /// What a [`RecordKind::Progress`] record says.
    pub fn progress(&self) -> Option<Progress> {
        let mut p = self.fields(RecordKind::Progress)?;
        Some(Progress { done: self.arg, total: p.u32()?, pool: p.str()? })
    }

    /// What a [`RecordKind::Switch`] record says.
    pub fn switch(&self) -> Option<pp_platform::request::Switch> {
        let mut p = self.fields(RecordKind::Switch)?;
        Some(pp_platform::request::Switch { at: self.arg, thread: p.u32()?, point: p.u32()?, line: p.u32()? })
    }

    /// What a [`RecordKind::Note`] record says.
    pub fn note(&self) -> Option<RuntimeNote> {
        let mut p = self.fields(RecordKind::Note)?;
        match p.u8()? {
            NOTE_DAEMONS_STOPPED => {
                let n = p.u32()?;
                Some(RuntimeNote::DaemonsStopped { names: (0..n).map(|_| p.str()).collect::<Option<_>>()? })
            }
            NOTE_RUN_FAILED => Some(RuntimeNote::RunFailed { reason: p.str()? }),
            NOTE_REPLAY_DEPARTED => Some(RuntimeNote::ReplayDeparted { at: p.u32()? }),
            _ => None,
        }
    }

    fn fields(&self, kind: RecordKind) -> Option<Fields<'_>> {
        (self.kind == kind).then_some(Fields { bytes: &self.payload })
    }
}

/// A compile error of the program's source, at a line and column (1-based; 0 if unknown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Who let a waiting thread go on, and when (µs, the records' clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waker {
    pub thread: u32,
    pub at_us: u64,
    /// The waker's process; 0: the woken thread's.
    pub pid: u32,
    /// Which of the threads that had the id `thread` (from 1; 0: not known): the waker may
    /// have ended, and its id be another thread's, by the time the page reads this.
    pub generation: u32,
}

/// Whom a lock came from when it changed threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HandOver {
    /// The giver's process; 0: the taker's.
    pub pid: u32,
    pub thread: u32,
    /// Which of the threads that had the id `thread` (from 1; 0: not known, a thread of
    /// another process).
    pub generation: u32,
    /// The taker slept for it: its wait is the one just ended.
    pub slept: bool,
}

/// How many of a pool's tasks are done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub pool: String,
    pub done: u32,
    pub total: u32,
}

/// A message from the runtime itself, which the page says in the learner's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeNote {
    /// The main thread and every non-daemon thread finished: these daemon threads, still
    /// running, are stopped (as Python stops them).
    DaemonsStopped { names: Vec<String> },
    /// A thread's Rust code panicked: the run fails.
    RunFailed { reason: String },
    /// A replay found the run going another way than its record at this pass (counting
    /// from 0): from there its threads went on freely.
    ReplayDeparted { at: u32 },
}

const NOTE_DAEMONS_STOPPED: u8 = 1;
const NOTE_RUN_FAILED: u8 = 2;
const NOTE_REPLAY_DEPARTED: u8 = 3;

impl std::fmt::Display for RuntimeNote {
    /// The English (a harness prints it; the page has both languages).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RuntimeNote::DaemonsStopped { names } => write!(
                f,
                "the main thread and all non-daemon threads have finished: stopping {} daemon thread{} still running ({})",
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            ),
            RuntimeNote::RunFailed { reason } => write!(f, "the run failed: {reason}"),
            RuntimeNote::ReplayDeparted { at } => write!(
                f,
                "the replay departed from its record at step {}: from there the threads ran freely",
                at + 1
            ),
        }
    }
}

/// A [`RecordKind::Block`] payload.
pub fn encode_block(why: Why, timed: bool) -> [u8; 2] {
    [why as u8, timed as u8]
}

/// An [`RecordKind::Unblock`] payload (see [`Waker`]).
pub fn encode_unblock(waker: Waker) -> [u8; 20] {
    let mut out = [0u8; 20];
    out[..4].copy_from_slice(&waker.thread.to_le_bytes());
    out[4..12].copy_from_slice(&waker.at_us.to_le_bytes());
    out[12..16].copy_from_slice(&waker.pid.to_le_bytes());
    out[16..].copy_from_slice(&waker.generation.to_le_bytes());
    out
}

/// A [`RecordKind::HandOver`] payload (see [`HandOver`]).
pub fn encode_hand_over(pid: u32, (thread, generation): (u32, u32), slept: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(13);
    [pid, thread, generation].into_iter().for_each(|v| put_u32(&mut out, v));
    out.push(slept as u8);
    out
}

/// A [`RecordKind::ObjectNew`] payload.
pub fn encode_object_new(kind: ObjectKind, name: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + name.len());
    put_u32(&mut out, kind as u32);
    put_str(&mut out, name);
    out
}

/// A [`RecordKind::SourceError`] payload (the line is the record's argument).
pub fn encode_source_error(column: u32, message: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + message.len());
    put_u32(&mut out, column);
    put_str(&mut out, message);
    out
}

/// A [`RecordKind::Progress`] payload (how many are done is the record's argument).
pub fn encode_progress(total: u32, pool: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + pool.len());
    put_u32(&mut out, total);
    put_str(&mut out, pool);
    out
}

/// A [`RecordKind::Switch`] payload: the thread's ordinal (0: the record was cut here), the
/// point (a `step::Point` as u32) and its line.
pub fn encode_switch(ordinal: u32, point: u32, line: u32) -> [u8; 12] {
    let mut out = [0u8; 12];
    out[..4].copy_from_slice(&ordinal.to_le_bytes());
    out[4..8].copy_from_slice(&point.to_le_bytes());
    out[8..].copy_from_slice(&line.to_le_bytes());
    out
}

/// A [`RecordKind::Note`] payload.
pub fn encode_note(note: &RuntimeNote) -> Vec<u8> {
    let mut out = Vec::new();
    match note {
        RuntimeNote::DaemonsStopped { names } => {
            out.push(NOTE_DAEMONS_STOPPED);
            put_u32(&mut out, names.len() as u32);
            names.iter().for_each(|n| put_str(&mut out, n));
        }
        RuntimeNote::RunFailed { reason } => {
            out.push(NOTE_RUN_FAILED);
            put_str(&mut out, reason);
        }
        RuntimeNote::ReplayDeparted { at } => {
            out.push(NOTE_REPLAY_DEPARTED);
            put_u32(&mut out, *at);
        }
    }
    out
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

/// Reads a payload's fields in order; `None` when it is shorter than its fields say (a ring
/// cuts a too-long payload: a cut string comes back shortened, at a character boundary).
struct Fields<'a> {
    bytes: &'a [u8],
}

impl Fields<'_> {
    fn u8(&mut self) -> Option<u8> {
        let (&b, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(b)
    }

    fn u32(&mut self) -> Option<u32> {
        let word = self.bytes.get(..4)?.try_into().ok()?;
        self.bytes = &self.bytes[4..];
        Some(u32::from_le_bytes(word))
    }

    fn u64(&mut self) -> Option<u64> {
        let word = self.bytes.get(..8)?.try_into().ok()?;
        self.bytes = &self.bytes[8..];
        Some(u64::from_le_bytes(word))
    }

    fn str(&mut self) -> Option<String> {
        let len = self.u32()? as usize;
        let bytes = &self.bytes[..len.min(self.bytes.len())];
        self.bytes = &self.bytes[bytes.len()..];
        Some(String::from_utf8_lossy(bytes).into_owned())
    }
}

pub fn encode_header(kind: RecordKind, thread: u32, arg: u32, t_us: u64, payload_len: usize) -> [u8; HEADER] {
    let mut h = [0u8; HEADER];
    h[0..4].copy_from_slice(&((HEADER + payload_len) as u32).to_le_bytes());
    h[4] = kind as u8;
    h[8..12].copy_from_slice(&thread.to_le_bytes());
    h[12..16].copy_from_slice(&arg.to_le_bytes());
    h[16..24].copy_from_slice(&t_us.to_le_bytes());
    h
}

/// Splits a run of whole records. A malformed record ends the decoding with an error that
/// says where: it would mean the host and the process disagree on the format.
pub fn decode(mut bytes: &[u8]) -> Result<Vec<Record>, String> {
    let mut out = Vec::new();
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap());
    while !bytes.is_empty() {
        if bytes.len() < HEADER {
            return Err(format!("{} stray bytes after {} records", bytes.len(), out.len()));
        }
        let len = u32_at(bytes, 0) as usize;
        let kind = RecordKind::from_u8(bytes[4]);
        match kind {
            Some(kind) if len >= HEADER && len <= bytes.len() => {
                out.push(Record {
                    kind,
                    thread: u32_at(bytes, 8),
                    arg: u32_at(bytes, 12),
                    t_us: u64::from_le_bytes(bytes[16..24].try_into().unwrap()),
                    payload: bytes[HEADER..len].to_vec(),
                });
                bytes = &bytes[len..];
            }
            _ => return Err(format!("bad record (kind {}, length {len}) after {} records", bytes[4], out.len())),
        }
    }
    Ok(out)
}
