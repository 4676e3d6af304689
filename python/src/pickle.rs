//! `_pp_pickle`: what `multiprocessing` sends through its pipes and queues, pickled and
//! unpickled in Rust when it is made of the plain shapes a pool's tasks and results have:
//! `None`, bools, ints, floats, strings, bytes, tuples, lists and dicts of them, and
//! functions and classes by their module and name. RustPython has no `_pickle`, and
//! `pickle.py` in its interpreter was most of a tiny `Pool.map` task's time (about 70 of 100
//! µs natively: see BENCHMARKS.md, issue 15).
//!
//! Both sides write and read the standard format (protocol 4's opcodes), so either can take
//! the other's bytes: anything else, and anything unusual (a subclass, a recursive tuple, a
//! function that cannot be found by its name, an opcode not listed here, an error of any
//! kind), goes whole to the `fallback` it is given, `pickle.py`, which pickles it or raises
//! CPython's error. What is written is what `pickle.py` would write, but for its frames
//! (optional for a reader) and copyreg's extension registry, which the caller consults.

use std::collections::HashMap;

use rustpython_vm::builtins::{PyBytes, PyDict, PyFloat, PyInt, PyList, PyModule, PyStr, PyTuple};
use rustpython_vm::identifier;
use rustpython_vm::{AsObject, PyObject, PyObjectRef, PyResult, VirtualMachine};

// pickle.py's opcodes, those this module writes or reads.
const MARK: u8 = b'(';
const STOP: u8 = b'.';
const NONE: u8 = b'N';
const BININT: u8 = b'J';
const BININT1: u8 = b'K';
const BININT2: u8 = b'M';
const BINFLOAT: u8 = b'G';
const BINUNICODE: u8 = b'X';
const BINBYTES: u8 = b'B';
const SHORT_BINBYTES: u8 = b'C';
const EMPTY_TUPLE: u8 = b')';
const TUPLE: u8 = b't';
const EMPTY_LIST: u8 = b']';
const APPEND: u8 = b'a';
const APPENDS: u8 = b'e';
const EMPTY_DICT: u8 = b'}';
const SETITEM: u8 = b's';
const SETITEMS: u8 = b'u';
const BINGET: u8 = b'h';
const LONG_BINGET: u8 = b'j';
const BINPUT: u8 = b'q';
const LONG_BINPUT: u8 = b'r';
const PROTO: u8 = 0x80;
const TUPLE1: u8 = 0x85;
const TUPLE2: u8 = 0x86;
const TUPLE3: u8 = 0x87;
const NEWTRUE: u8 = 0x88;
const NEWFALSE: u8 = 0x89;
const LONG1: u8 = 0x8a;
const LONG4: u8 = 0x8b;
const SHORT_BINUNICODE: u8 = 0x8c;
const BINUNICODE8: u8 = 0x8d;
const BINBYTES8: u8 = 0x8e;
const STACK_GLOBAL: u8 = 0x93;
const MEMOIZE: u8 = 0x94;
const FRAME: u8 = 0x95;

/// pickle.py's batch of appends and set-items.
const BATCH: usize = 1000;
/// Deeper than this goes to pickle.py, which has the interpreter's recursion limit: Rust's
/// own stack is small on a wasm worker.
const MAX_DEPTH: usize = 100;

/// The module's two functions, each with the pure-Python path it falls back to.
#[rustpython_vm::pymodule(name = "_pp_pickle")]
pub mod module {
    use super::*;
    use rustpython_vm::function::ArgBytesLike;
    use rustpython_vm::TryFromObject;

    /// `fallback(obj)` unless `obj` is made of the shapes this module writes.
    #[pyfunction]
    fn dumps(obj: PyObjectRef, fallback: PyObjectRef, vm: &VirtualMachine) -> PyResult {
        match Writer::new(vm).dump(&obj) {
            Some(bytes) => Ok(vm.ctx.new_bytes(bytes).into()),
            None => fallback.call((obj,), vm),
        }
    }

    /// `fallback(data)` unless `data` holds only what this module reads.
    #[pyfunction]
    fn loads(data: PyObjectRef, fallback: PyObjectRef, vm: &VirtualMachine) -> PyResult {
        let loaded = ArgBytesLike::try_from_object(vm, data.clone())
            .ok()
            .and_then(|bytes| Reader::new(&bytes.borrow_buf(), vm).load());
        match loaded {
            Some(obj) => Ok(obj),
            None => fallback.call((data,), vm),
        }
    }
}

fn addr(obj: &PyObject) -> usize {
    obj as *const PyObject as usize
}

struct Writer<'vm> {
    vm: &'vm VirtualMachine,
    out: Vec<u8>,
    /// Each object written that a later reference reads back, by its address, held as
    /// pickle.py's `memo[id(obj)] = (index, obj)` holds it: a string made while pickling
    /// (a name) must not die and leave its address to another object.
    memo: HashMap<usize, (u32, PyObjectRef)>,
    depth: usize,
}

impl<'vm> Writer<'vm> {
    fn new(vm: &'vm VirtualMachine) -> Self {
        Writer { vm, out: Vec::with_capacity(64), memo: HashMap::new(), depth: 0 }
    }

    fn dump(mut self, obj: &PyObject) -> Option<Vec<u8>> {
        self.out.extend([PROTO, 4]);
        self.save(obj)?;
        self.out.push(STOP);
        Some(self.out)
    }

    fn save(&mut self, obj: &PyObject) -> Option<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let saved = self.save_any(obj);
        self.depth -= 1;
        saved
    }

    fn save_any(&mut self, obj: &PyObject) -> Option<()> {
        let vm = self.vm;
        if vm.is_none(obj) {
            self.out.push(NONE);
            return Some(());
        }
        if obj.class().is(vm.ctx.types.bool_type) {
            self.out.push(if obj.is(&vm.ctx.true_value) { NEWTRUE } else { NEWFALSE });
            return Some(());
        }
        if let Some(int) = obj.downcast_ref_if_exact::<PyInt>(vm) {
            self.int(int.as_bigint());
            return Some(());
        }
        if let Some(float) = obj.downcast_ref_if_exact::<PyFloat>(vm) {
            self.out.push(BINFLOAT);
            self.out.extend(float.to_f64().to_be_bytes());
            return Some(());
        }
        if let Some(&(index, _)) = self.memo.get(&addr(obj)) {
            self.get(index);
            return Some(());
        }
        if let Some(s) = obj.downcast_ref_if_exact::<PyStr>(vm) {
            self.sized(s.to_str()?.as_bytes(), SHORT_BINUNICODE, BINUNICODE, BINUNICODE8);
        } else if let Some(b) = obj.downcast_ref_if_exact::<PyBytes>(vm) {
            self.sized(b.as_bytes(), SHORT_BINBYTES, BINBYTES, BINBYTES8);
        } else if let Some(t) = obj.downcast_ref_if_exact::<PyTuple>(vm) {
            return self.tuple(obj, t.as_slice());
        } else if let Some(list) = obj.downcast_ref_if_exact::<PyList>(vm) {
            self.out.push(EMPTY_LIST);
            self.memoize(obj);
            let items = list.borrow_vec().to_vec();
            return self.batches(&items, |w, item| w.save(item), APPEND, APPENDS);
        } else if let Some(dict) = obj.downcast_ref_if_exact::<PyDict>(vm) {
            self.out.push(EMPTY_DICT);
            self.memoize(obj);
            let items = dict.items_vec();
            let pair = |w: &mut Self, (k, v): &(PyObjectRef, PyObjectRef)| {
                w.save(k)?;
                w.save(v)
            };
            return self.batches(&items, pair, SETITEM, SETITEMS);
        } else if obj.class().is(vm.ctx.types.function_type) || obj.class().is(vm.ctx.types.type_type) {
            return self.global(obj);
        } else {
            return None;
        }
        self.memoize(obj);
        Some(())
    }

    fn int(&mut self, value: &malachite_bigint::BigInt) {
        use num_traits::ToPrimitive;
        match value.to_i64() {
            Some(v @ 0..=0xff) => self.out.extend([BININT1, v as u8]),
            Some(v @ 0..=0xffff) => {
                self.out.push(BININT2);
                self.out.extend((v as u16).to_le_bytes());
            }
            Some(v) if i32::try_from(v).is_ok() => {
                self.out.push(BININT);
                self.out.extend((v as i32).to_le_bytes());
            }
            _ => {
                // pickle.py's encode_long: the shortest two's complement, little-endian.
                let bytes = value.to_signed_bytes_le();
                if bytes.len() < 256 {
                    self.out.extend([LONG1, bytes.len() as u8]);
                } else {
                    self.out.push(LONG4);
                    self.out.extend((bytes.len() as u32).to_le_bytes());
                }
                self.out.extend(bytes);
            }
        }
    }

    /// A string's or bytes' opcode by its length, then the length and the bytes.
    fn sized(&mut self, bytes: &[u8], short: u8, long: u8, long8: u8) {
        match u32::try_from(bytes.len()) {
            Ok(n) if n < 256 => self.out.extend([short, n as u8]),
            Ok(n) => {
                self.out.push(long);
                self.out.extend(n.to_le_bytes());
            }
            Err(_) => {
                self.out.push(long8);
                self.out.extend((bytes.len() as u64).to_le_bytes());
            }
        }
        self.out.extend(bytes);
    }

    fn tuple(&mut self, obj: &PyObject, items: &[PyObjectRef]) -> Option<()> {
        if items.is_empty() {
            self.out.push(EMPTY_TUPLE);
            return Some(());
        }
        if items.len() > 3 {
            self.out.push(MARK);
        }
        for item in items {
            self.save(item)?;
        }
        // Memoized while its items were written: the tuple holds itself through a list or a
        // dict, which pickle.py writes with POP and a get; not here.
        if self.memo.contains_key(&addr(obj)) {
            return None;
        }
        self.out.push(match items.len() {
            1 => TUPLE1,
            2 => TUPLE2,
            3 => TUPLE3,
            _ => TUPLE,
        });
        self.memoize(obj);
        Some(())
    }

    /// A list's or a dict's items after the empty container, in pickle.py's batches.
    fn batches<T>(
        &mut self,
        items: &[T],
        mut save: impl FnMut(&mut Self, &T) -> Option<()>,
        one: u8,
        many: u8,
    ) -> Option<()> {
        for batch in items.chunks(BATCH) {
            if batch.len() > 1 {
                self.out.push(MARK);
            }
            for item in batch {
                save(self, item)?;
            }
            self.out.push(if batch.len() > 1 { many } else { one });
        }
        Some(())
    }

    /// A function or a class by reference, as pickle.py's `save_global`: only one found again
    /// by its `__module__` (already imported) and `__qualname__`.
    fn global(&mut self, obj: &PyObject) -> Option<()> {
        let vm = self.vm;
        let module_name = obj.get_attr(identifier!(vm, __module__), vm).ok()?;
        let qualname = obj.get_attr(identifier!(vm, __qualname__), vm).ok()?;
        let text = |o: &PyObjectRef| Some(o.downcast_ref_if_exact::<PyStr>(vm)?.to_str()?.to_owned());
        let (module_text, qualname_text) = (text(&module_name)?, text(&qualname)?);
        let (found, parent_is_module) = find(vm, &module_text, &qualname_text)?;
        if !found.is(obj) {
            return None;
        }
        // As pickle.py: the module's name and the object's name as strings, each memoized (a
        // second function of `__main__` reads its module's name back).
        self.save(&module_name)?;
        match qualname_text.rsplit_once('.') {
            Some((_, last)) if parent_is_module => self.save(vm.ctx.new_str(last).as_object())?,
            _ => self.save(&qualname)?,
        }
        self.out.push(STACK_GLOBAL);
        self.memoize(obj);
        Some(())
    }

    fn memoize(&mut self, obj: &PyObject) {
        self.memo.insert(addr(obj), (self.memo.len() as u32, obj.to_owned()));
        self.out.push(MEMOIZE);
    }

    fn get(&mut self, index: u32) {
        match u8::try_from(index) {
            Ok(i) => self.out.extend([BINGET, i]),
            Err(_) => {
                self.out.push(LONG_BINGET);
                self.out.extend(index.to_le_bytes());
            }
        }
    }
}

/// `module.qualname` in an imported module, and whether its parent is the module itself
/// (pickle.py's `_getattribute`, which refuses a function's `<locals>`).
fn find(vm: &VirtualMachine, module_name: &str, qualname: &str) -> Option<(PyObjectRef, bool)> {
    let modules = vm.sys_module.dict().get_item_opt(identifier!(vm, modules), vm).ok()??;
    let module = modules.downcast_ref_if_exact::<PyDict>(vm)?.get_item_opt(module_name, vm).ok()??;
    let (mut parent, mut found) = (module.clone(), module.clone());
    for part in qualname.split('.') {
        if part.starts_with('<') {
            return None;
        }
        parent = found;
        // A module's own names straight from its dict: a tiny task names two functions, and
        // the attribute protocol was most of their cost.
        let in_dict = match parent.downcast_ref::<PyModule>() {
            Some(m) => m.dict().get_item_opt(part, vm).ok()?,
            None => None,
        };
        found = match in_dict {
            Some(found) => found,
            None => parent.get_attr(&vm.ctx.new_str(part), vm).ok()?,
        };
    }
    Some((found, parent.is(&module)))
}

struct Reader<'a, 'vm> {
    vm: &'vm VirtualMachine,
    data: &'a [u8],
    at: usize,
    stack: Vec<PyObjectRef>,
    marks: Vec<usize>,
    memo: HashMap<u32, PyObjectRef>,
}

impl<'a, 'vm> Reader<'a, 'vm> {
    fn new(data: &'a [u8], vm: &'vm VirtualMachine) -> Self {
        Reader { vm, data, at: 0, stack: Vec::new(), marks: Vec::new(), memo: HashMap::new() }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let bytes = self.data.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(bytes)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<usize> {
        usize::try_from(u64::from_le_bytes(self.take(8)?.try_into().ok()?)).ok()
    }

    fn push(&mut self, obj: impl Into<PyObjectRef>) {
        self.stack.push(obj.into());
    }

    fn items_since_mark(&mut self) -> Option<Vec<PyObjectRef>> {
        let mark = self.marks.pop()?;
        (mark <= self.stack.len()).then(|| self.stack.split_off(mark))
    }

    fn load(mut self) -> Option<PyObjectRef> {
        // Only what protocols 4 and 5 write: older ones map module names (fix_imports).
        if self.byte()? != PROTO || !(4..=5).contains(&self.byte()?) {
            return None;
        }
        loop {
            let vm = self.vm;
            match self.byte()? {
                STOP => return self.stack.pop(),
                FRAME => {
                    self.u64()?;
                }
                NONE => self.push(vm.ctx.none()),
                NEWTRUE => self.push(vm.ctx.new_bool(true)),
                NEWFALSE => self.push(vm.ctx.new_bool(false)),
                BININT1 => {
                    let v = self.byte()?;
                    self.push(vm.ctx.new_int(v));
                }
                BININT2 => {
                    let v = u16::from_le_bytes(self.take(2)?.try_into().ok()?);
                    self.push(vm.ctx.new_int(v));
                }
                BININT => {
                    let v = self.u32()? as i32;
                    self.push(vm.ctx.new_int(v));
                }
                op @ (LONG1 | LONG4) => {
                    let n = if op == LONG1 { self.byte()? as usize } else { i32::try_from(self.u32()?).ok()? as usize };
                    let v = malachite_bigint::BigInt::from_signed_bytes_le(self.take(n)?);
                    self.push(vm.ctx.new_bigint(&v));
                }
                BINFLOAT => {
                    let v = f64::from_be_bytes(self.take(8)?.try_into().ok()?);
                    self.push(vm.ctx.new_float(v));
                }
                op @ (SHORT_BINUNICODE | BINUNICODE | BINUNICODE8) => {
                    let bytes = self.sized(op == SHORT_BINUNICODE, op == BINUNICODE8)?;
                    self.push(vm.ctx.new_str(std::str::from_utf8(bytes).ok()?));
                }
                op @ (SHORT_BINBYTES | BINBYTES | BINBYTES8) => {
                    let bytes = self.sized(op == SHORT_BINBYTES, op == BINBYTES8)?;
                    self.push(vm.ctx.new_bytes(bytes.to_vec()));
                }
                EMPTY_TUPLE => self.push(vm.ctx.empty_tuple.clone()),
                op @ (TUPLE1 | TUPLE2 | TUPLE3) => {
                    let n = (op - TUPLE1 + 1) as usize;
                    let items = self.stack.split_off(self.stack.len().checked_sub(n)?);
                    self.push(vm.ctx.new_tuple(items));
                }
                MARK => self.marks.push(self.stack.len()),
                TUPLE => {
                    let items = self.items_since_mark()?;
                    self.push(vm.ctx.new_tuple(items));
                }
                EMPTY_LIST => self.push(vm.ctx.new_list(Vec::new())),
                APPEND => {
                    let item = self.stack.pop()?;
                    self.stack.last()?.downcast_ref_if_exact::<PyList>(vm)?.borrow_vec_mut().push(item);
                }
                APPENDS => {
                    let items = self.items_since_mark()?;
                    self.stack.last()?.downcast_ref_if_exact::<PyList>(vm)?.borrow_vec_mut().extend(items);
                }
                EMPTY_DICT => self.push(vm.ctx.new_dict()),
                SETITEM => {
                    let value = self.stack.pop()?;
                    let key = self.stack.pop()?;
                    let dict = self.stack.last()?.downcast_ref_if_exact::<PyDict>(vm)?;
                    dict.set_item(&*key, value, vm).ok()?;
                }
                SETITEMS => {
                    let items = self.items_since_mark()?;
                    if items.len() % 2 != 0 {
                        return None;
                    }
                    let dict = self.stack.last()?.downcast_ref_if_exact::<PyDict>(vm)?;
                    for pair in items.chunks(2) {
                        dict.set_item(&*pair[0], pair[1].clone(), vm).ok()?;
                    }
                }
                MEMOIZE => {
                    let index = self.memo.len() as u32;
                    let top = self.stack.last()?.clone();
                    self.memo.insert(index, top);
                }
                op @ (BINPUT | LONG_BINPUT) => {
                    let index = if op == BINPUT { self.byte()? as u32 } else { self.u32()? };
                    let top = self.stack.last()?.clone();
                    self.memo.insert(index, top);
                }
                op @ (BINGET | LONG_BINGET) => {
                    let index = if op == BINGET { self.byte()? as u32 } else { self.u32()? };
                    let obj = self.memo.get(&index)?.clone();
                    self.push(obj);
                }
                STACK_GLOBAL => {
                    let name = self.stack.pop()?;
                    let module = self.stack.pop()?;
                    let text = |o: &PyObjectRef| Some(o.downcast_ref_if_exact::<PyStr>(vm)?.to_str()?.to_owned());
                    // A module not imported yet is pickle.py's to import.
                    let (found, _) = find(vm, &text(&module)?, &text(&name)?)?;
                    self.push(found);
                }
                _ => return None,
            }
        }
    }

    /// A string's or bytes' length (a byte, four or eight) and its bytes.
    fn sized(&mut self, short: bool, long8: bool) -> Option<&'a [u8]> {
        let n = if short {
            self.byte()? as usize
        } else if long8 {
            self.u64()?
        } else {
            self.u32()? as usize
        };
        self.take(n)
    }
}
