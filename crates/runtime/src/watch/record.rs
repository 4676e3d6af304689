//! The records of the ring, as bytes: a 24-byte header (total length, kind, thread, argument,
//! timestamp in microseconds) and a payload. Little-endian, unaligned, no padding: the host
//! copies the bytes out of the process's memory and decodes them here.

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
    /// arg: object id (0 for a sleep). payload: [`super::Why`], timed (0/1).
    Block = 5,
    Unblock = 6,
    /// arg: object id. payload: "<kind>:<display name>".
    ObjectNew = 7,
    /// A message from the runtime itself (daemon threads stopped, ...). payload: the text.
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
    /// arg: the line (1-based). payload: "<column>:<message>".
    SourceError = 13,
    /// How many of the tasks given to a pool are done. arg: done; payload: "<total>:<pool>".
    Progress = 14,
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
        if self.kind != RecordKind::SourceError {
            return None;
        }
        let text = self.text();
        let (column, message) = text.split_once(':').unwrap_or(("0", &text));
        Some(SourceError { line: self.arg, column: column.parse().unwrap_or(0), message: message.to_string() })
    }
}

/// A compile error of the program's source, at a line and column (1-based; 0 if unknown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    pub line: u32,
    pub column: u32,
    pub message: String,
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
