//! `multiprocessing.Pipe`: send/recv, bytes, poll, duplex and simplex, EOF after the peer
//! closed, closed-handle errors. CPython's `Lib/test/_test_multiprocessing.py`
//! (`_TestConnection`).
#![cfg(not(target_arch = "wasm32"))]

use pp_multiprocessing::{Connection, Pipe, Process};
use pp_runtime::{PyErrKind, PyResult};
use pp_testing::harness::capture;

fn echo_until_eof(conn: Connection) -> PyResult<()> {
    loop {
        match conn.recv_bytes() {
            Ok(msg) => conn.send_bytes(&msg)?,
            Err(e) if e.kind == PyErrKind::EofError => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

#[test]
fn duplex_echo_with_a_child_and_eof_when_closed() {
    let c = capture(|| {
        let (conn, child_conn) = Pipe(true)?;
        let p = Process::new(echo_until_eof, child_conn);
        p.start()?;
        conn.send(&(24, "hello".to_string()))?;
        let back: (i32, String) = conn.recv()?;
        assert_eq!(back, (24, "hello".into()));
        conn.send_bytes(b"raw")?;
        assert_eq!(conn.recv_bytes()?, b"raw");
        assert!(!conn.poll(Some(0.0))?);
        conn.close(); // the child's recv sees EOF, and it ends
        p.join(None)?;
        assert_eq!(p.exitcode(), Some(0));
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

/// CPython's pipes carry a message of any size (`Lib/test/_test_multiprocessing.py`,
/// `_TestConnection.test_connection` sends `really_big_msg`, 32 MiB): here 16 MiB cross a
/// 16 KiB ring in pieces, both ways, while smaller messages keep their order around it.
#[test]
fn a_sixteen_mib_message_crosses_a_pipe_both_ways() {
    let c = capture(|| {
        let (conn, child_conn) = Pipe(true)?;
        let p = Process::new(echo_until_eof, child_conn);
        p.start()?;
        let big: Vec<u8> = (0..(16u32 << 20)).map(|i| (i % 253) as u8).collect();
        conn.send_bytes(b"before")?;
        assert_eq!(conn.recv_bytes()?, b"before");
        conn.send_bytes(&big)?;
        assert_eq!(conn.recv_bytes()?, big);
        conn.send_bytes(b"after")?;
        assert_eq!(conn.recv_bytes()?, b"after");
        conn.close();
        p.join(None)?;
        assert_eq!(p.exitcode(), Some(0));
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn poll_waits_for_data() {
    fn later(conn: Connection) -> PyResult<()> {
        pp_runtime::threading::sleep(0.1);
        conn.send(&7)
    }
    let c = capture(|| {
        let (a, b) = Pipe(true)?;
        let p = Process::new(later, b);
        p.start()?;
        assert!(!a.poll(Some(0.0))?);
        assert!(a.poll(Some(5.0))?);
        assert_eq!(a.recv::<i32>()?, 7);
        p.join(None)
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn simplex_ends_are_read_only_and_write_only() {
    let c = capture(|| {
        let (reader, writer) = Pipe(false)?;
        assert_eq!(reader.send(&1).unwrap_err().to_string(), "OSError: connection is read-only");
        assert_eq!(writer.recv::<i32>().unwrap_err().to_string(), "OSError: connection is write-only");
        writer.send(&5)?;
        assert_eq!(reader.recv::<i32>()?, 5);
        writer.close();
        assert_eq!(reader.recv::<i32>().unwrap_err().kind, PyErrKind::EofError);
        assert!(reader.poll(Some(0.0))?, "poll is true at EOF, as CPython's");
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn closed_handles_and_broken_pipes() {
    let c = capture(|| {
        let (a, b) = Pipe(true)?;
        a.close();
        assert!(a.closed());
        assert_eq!(a.send(&1).unwrap_err().to_string(), "OSError: handle is closed");
        assert_eq!(b.send(&1).unwrap_err().to_string(), "BrokenPipeError: [Errno 32] Broken pipe");
        assert_eq!(b.recv::<i32>().unwrap_err().kind, PyErrKind::EofError);
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}
