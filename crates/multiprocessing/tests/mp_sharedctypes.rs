//! `multiprocessing.Value`, `Array`, `RawValue`, `RawArray`: shared C values that children
//! change in place. CPython's `Lib/test/_test_multiprocessing.py` (`_TestValue`,
//! `_TestArray`).
#![cfg(not(target_arch = "wasm32"))]

use pp_multiprocessing::{Array, Process, Value};
use pp_runtime::{PyErrKind, PyResult};
use pp_testing::harness::capture;

#[allow(clippy::approx_constant)] // the tutorial's value
fn change((num, arr): (Value<f64>, Array<i32>)) -> PyResult<()> {
    num.set(3.1415927);
    for i in 0..arr.len() as i64 {
        arr.set(i, -arr.get(i)?)?;
    }
    Ok(())
}

#[test]
#[allow(clippy::approx_constant)] // the tutorial's value
fn a_child_changes_a_value_and_an_array_in_place() {
    let c = capture(|| {
        let num = Value::new('d', 0.0)?;
        let arr = Array::new('i', &(0..10).collect::<Vec<i32>>())?;
        let p = Process::new(change, (num.clone(), arr.clone()));
        p.start()?;
        p.join(None)?;
        assert_eq!(num.get(), 3.1415927);
        assert_eq!(arr.to_vec(), vec![0, -1, -2, -3, -4, -5, -6, -7, -8, -9]);
        assert_eq!(num.to_string(), "<Synchronized wrapper for c_double(3.1415927)>");
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn typecodes_locks_and_indexes() {
    let c = capture(|| {
        assert_eq!(Value::new('i', 1.5f64).err().unwrap().kind, PyErrKind::TypeError);
        let v = Value::new('i', 7i32)?;
        assert!(v.get_lock().is_ok());
        let raw = Value::raw('i', 7i32)?;
        assert_eq!(raw.get_lock().unwrap_err().kind, PyErrKind::AttributeError);
        let a = Array::<u8>::zeroed('B', 4)?;
        assert_eq!(a.to_vec(), vec![0, 0, 0, 0]);
        a.set(-1, 9)?;
        assert_eq!(a.get(3)?, 9);
        assert_eq!(a.get(4).unwrap_err().kind, PyErrKind::IndexError);
        let raw = Array::<i16>::raw('h', &[1, 2])?;
        assert_eq!(raw.to_vec(), vec![1, 2]);
        let raw = Array::<f64>::raw_zeroed('d', 3)?;
        assert_eq!(raw.to_vec(), vec![0.0; 3]);
        assert!(raw.get_lock().is_err(), "RawArray(typecode, size) has no lock");
        // lock=: one existing lock guards a value and an array together.
        let lock = pp_multiprocessing::RLock::new()?;
        let v = Value::with_lock('i', 1i32, lock)?;
        let a = Array::with_lock('i', &[1i32, 2], lock)?;
        assert_eq!(format!("{:?}", v.get_lock()?), format!("{lock:?}"));
        assert_eq!(format!("{:?}", a.get_lock()?), format!("{lock:?}"));
        assert!(lock.acquire(true, None));
        v.set(2); // the same thread may take the RLock again
        lock.release()?;
        assert_eq!(v.get(), 2);
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

/// The run's segment is never freed: filling it is an `OSError` that says so, and the
/// program goes on.
#[test]
fn a_full_segment_is_a_clear_error_not_a_trap() {
    let c = capture(|| {
        let mut kept = Vec::new();
        let error = loop {
            match Array::<i32>::zeroed('i', 1 << 20) {
                Ok(a) => kept.push(a),
                Err(e) => break e,
            }
        };
        assert_eq!(error.kind, PyErrKind::OsError);
        assert!(kept.len() >= 8, "4 MiB arrays fit several times");
        pp_runtime::println!("{error}");
        Ok(())
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
    let texts = c.texts();
    assert!(texts[0].contains("shared memory (64 MiB) is full"), "{texts:?}");
}
