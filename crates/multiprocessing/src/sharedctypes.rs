//! `multiprocessing.Value`, `Array`, `RawValue`, `RawArray`: C values in the run's segment,
//! which every process reads and writes in place (no copy crosses), guarded by an RLock
//! unless raw.
//!
//! The typecodes are the `array` module's: 'b' 'B' 'h' 'H' 'i' 'I' 'l' 'L' 'q' 'Q' 'f' 'd',
//! and 'c' (one byte). The Rust type must match the code ('i' is `i32`, 'd' is `f64`...).

use super::shared::segment;
use super::synchronize::{Guard, RLock};
use pp_runtime::errors::{PyErr, PyErrKind, PyResult};
use pp_runtime::py::Repr;
use serde::{Deserialize, Serialize};
use std::marker::PhantomData;

/// A C type a shared value can hold, with the typecodes that mean it.
pub trait CType: Copy + Repr + 'static {
    const CODES: &'static [char];
    const SIZE: u32;
    /// The C type's name, for reprs (`c_double`).
    const C_NAME: &'static str;
    fn to_le(self) -> [u8; 8];
    fn from_le(bytes: [u8; 8]) -> Self;
}

macro_rules! ctype {
    ($t:ty, $codes:expr, $c:literal) => {
        impl CType for $t {
            const CODES: &'static [char] = $codes;
            const SIZE: u32 = std::mem::size_of::<$t>() as u32;
            const C_NAME: &'static str = $c;
            fn to_le(self) -> [u8; 8] {
                let mut out = [0u8; 8];
                out[..std::mem::size_of::<$t>()].copy_from_slice(&self.to_le_bytes());
                out
            }
            fn from_le(bytes: [u8; 8]) -> Self {
                <$t>::from_le_bytes(bytes[..std::mem::size_of::<$t>()].try_into().unwrap())
            }
        }
    };
}

ctype!(i8, &['b'], "c_byte");
ctype!(u8, &['B', 'c'], "c_ubyte");
ctype!(i16, &['h'], "c_short");
ctype!(u16, &['H'], "c_ushort");
ctype!(i32, &['i'], "c_int");
ctype!(u32, &['I'], "c_uint");
ctype!(i64, &['l', 'q'], "c_long");
ctype!(u64, &['L', 'Q'], "c_ulong");
ctype!(f32, &['f'], "c_float");
ctype!(f64, &['d'], "c_double");

fn check_code<T: CType>(typecode: char) -> PyResult<()> {
    if T::CODES.contains(&typecode) {
        Ok(())
    } else {
        Err(PyErr::new(
            PyErrKind::TypeError,
            format!("typecode {typecode:?} does not hold a {} (use one of {:?})", std::any::type_name::<T>(), T::CODES),
        ))
    }
}

/// `Value(typecode, v, lock=True)`: one shared C value.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Value<T> {
    at: u32,
    lock: Option<RLock>,
    #[serde(skip)]
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Value<T> {
    fn clone(&self) -> Self {
        Value { at: self.at, lock: self.lock, _t: PhantomData }
    }
}

impl<T: CType> Value<T> {
    /// `Value(typecode, value)`, with its own RLock.
    pub fn new(typecode: char, value: T) -> PyResult<Value<T>> {
        Self::build(typecode, value, true)
    }

    /// `RawValue(typecode, value)`: no lock.
    pub fn raw(typecode: char, value: T) -> PyResult<Value<T>> {
        Self::build(typecode, value, false)
    }

    /// `Value(typecode, value, lock=lock)`: guarded by an existing lock (one lock can guard
    /// several values).
    pub fn with_lock(typecode: char, value: T, lock: RLock) -> PyResult<Value<T>> {
        let mut v = Self::build(typecode, value, false)?;
        v.lock = Some(lock);
        Ok(v)
    }

    fn build(typecode: char, value: T, lock: bool) -> PyResult<Value<T>> {
        check_code::<T>(typecode)?;
        let v = Value {
            at: segment().alloc(T::SIZE)?,
            lock: if lock { Some(RLock::new()?) } else { None },
            _t: PhantomData,
        };
        v.set(value);
        Ok(v)
    }

    /// `.value`
    pub fn get(&self) -> T {
        let _with = self.lock.as_ref().map(RLock::enter);
        let mut bytes = [0u8; 8];
        segment().read(self.at, &mut bytes[..T::SIZE as usize]);
        T::from_le(bytes)
    }

    /// `.value = v`
    pub fn set(&self, value: T) {
        let _with = self.lock.as_ref().map(RLock::enter);
        segment().write(self.at, &value.to_le()[..T::SIZE as usize]);
    }

    /// `get_lock()`: the RLock guarding it (an error for a RawValue, which has none).
    pub fn get_lock(&self) -> PyResult<RLock> {
        self.lock.ok_or_else(|| PyErr::new(PyErrKind::AttributeError, "'RawValue' object has no attribute 'get_lock'"))
    }

    /// `with v.get_lock():` for a read-modify-write such as `v.value += 1`.
    pub fn enter(&self) -> Option<Guard<'_>> {
        self.lock.as_ref().map(RLock::enter)
    }
}

impl<T: CType> std::fmt::Display for Value<T> {
    /// CPython's repr: `<Synchronized wrapper for c_double(3.14)>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = format!("{}({})", T::C_NAME, self.get().repr());
        if self.lock.is_some() {
            write!(f, "<Synchronized wrapper for {c}>")
        } else {
            f.write_str(&c)
        }
    }
}

/// `Array(typecode, size_or_initializer, lock=True)`.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Array<T> {
    at: u32,
    len: u32,
    lock: Option<RLock>,
    #[serde(skip)]
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Array<T> {
    fn clone(&self) -> Self {
        Array { at: self.at, len: self.len, lock: self.lock, _t: PhantomData }
    }
}

impl<T: CType> Array<T> {
    /// `Array(typecode, values)`.
    pub fn new(typecode: char, values: &[T]) -> PyResult<Array<T>> {
        Self::build(typecode, values, true)
    }

    /// `Array(typecode, size)`: zeroed.
    pub fn zeroed(typecode: char, size: u32) -> PyResult<Array<T>> {
        check_code::<T>(typecode)?;
        Self::alloc(size, true)
    }

    /// `RawArray(typecode, values)`.
    pub fn raw(typecode: char, values: &[T]) -> PyResult<Array<T>> {
        Self::build(typecode, values, false)
    }

    /// `RawArray(typecode, size)`: zeroed, no lock.
    pub fn raw_zeroed(typecode: char, size: u32) -> PyResult<Array<T>> {
        check_code::<T>(typecode)?;
        Self::alloc(size, false)
    }

    /// `Array(typecode, values, lock=lock)`: guarded by an existing lock.
    pub fn with_lock(typecode: char, values: &[T], lock: RLock) -> PyResult<Array<T>> {
        let mut a = Self::build(typecode, values, false)?;
        a.lock = Some(lock);
        Ok(a)
    }

    fn alloc(len: u32, lock: bool) -> PyResult<Array<T>> {
        let bytes = len.checked_mul(T::SIZE).ok_or_else(|| PyErr::value_error("array too large"))?;
        Ok(Array {
            at: segment().alloc(bytes)?,
            len,
            lock: if lock { Some(RLock::new()?) } else { None },
            _t: PhantomData,
        })
    }

    fn build(typecode: char, values: &[T], lock: bool) -> PyResult<Array<T>> {
        check_code::<T>(typecode)?;
        let a = Self::alloc(values.len() as u32, lock)?;
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le()[..T::SIZE as usize].to_vec()).collect();
        segment().write(a.at, &bytes);
        Ok(a)
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn index(&self, i: i64) -> PyResult<u32> {
        let i = if i < 0 { i + i64::from(self.len) } else { i };
        if (0..i64::from(self.len)).contains(&i) {
            Ok(i as u32)
        } else {
            Err(PyErr::new(PyErrKind::IndexError, "invalid index"))
        }
    }

    /// `arr[i]` (negative indexes count from the end).
    pub fn get(&self, i: i64) -> PyResult<T> {
        let i = self.index(i)?;
        let _with = self.lock.as_ref().map(RLock::enter);
        let mut bytes = [0u8; 8];
        segment().read(self.at + i * T::SIZE, &mut bytes[..T::SIZE as usize]);
        Ok(T::from_le(bytes))
    }

    /// `arr[i] = v`
    pub fn set(&self, i: i64, value: T) -> PyResult<()> {
        let i = self.index(i)?;
        let _with = self.lock.as_ref().map(RLock::enter);
        segment().write(self.at + i * T::SIZE, &value.to_le()[..T::SIZE as usize]);
        Ok(())
    }

    /// `arr[:]`
    pub fn to_vec(&self) -> Vec<T> {
        let _with = self.lock.as_ref().map(RLock::enter);
        let mut bytes = vec![0u8; (self.len * T::SIZE) as usize];
        segment().read(self.at, &mut bytes);
        bytes
            .chunks(T::SIZE as usize)
            .map(|c| {
                let mut b = [0u8; 8];
                b[..c.len()].copy_from_slice(c);
                T::from_le(b)
            })
            .collect()
    }

    pub fn get_lock(&self) -> PyResult<RLock> {
        self.lock.ok_or_else(|| PyErr::new(PyErrKind::AttributeError, "'RawArray' object has no attribute 'get_lock'"))
    }
}

/// Bytes of the segment that every process of the run reaches, read and written as they are:
/// an interpreter's `Value` and `Array` (which pack their items themselves).
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct SharedBytes {
    at: u32,
    size: u32,
}

impl SharedBytes {
    /// `size` zeroed bytes.
    pub fn new(size: u32) -> PyResult<SharedBytes> {
        Ok(SharedBytes { at: segment().alloc(size.max(1))?, size })
    }

    pub fn size(&self) -> u32 {
        self.size
    }

    fn check(&self, offset: u32, len: u32) -> PyResult<()> {
        match offset.checked_add(len) {
            Some(end) if end <= self.size => Ok(()),
            _ => Err(PyErr::new(PyErrKind::IndexError, "shared memory access out of range")),
        }
    }

    pub fn read(&self, offset: u32, len: u32) -> PyResult<Vec<u8>> {
        self.check(offset, len)?;
        let mut out = vec![0u8; len as usize];
        segment().read(self.at + offset, &mut out);
        Ok(out)
    }

    pub fn write(&self, offset: u32, bytes: &[u8]) -> PyResult<()> {
        self.check(offset, bytes.len() as u32)?;
        segment().write(self.at + offset, bytes);
        Ok(())
    }
}
