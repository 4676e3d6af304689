//! Another instance's memory, read through JS `Atomics` on its buffer: how the host reads a
//! process's watch table without sharing its instance (and never waiting: only loads,
//! stores and `Atomics.notify`, all allowed on the page's main thread).

use js_sys::{Atomics, Int32Array, Uint8Array, WebAssembly};
use pp_runtime::watch::reader::Memory;
use wasm_bindgen::JsCast;

pub struct JsMemory {
    memory: WebAssembly::Memory,
    words: Int32Array,
    bytes: Uint8Array,
    /// The views' length in bytes, read once.
    len: usize,
}

impl JsMemory {
    /// A view of the memory as it is now. The buffer object changes when the memory grows,
    /// so take a fresh view for each poll.
    pub fn new(memory: &WebAssembly::Memory) -> JsMemory {
        let buffer = memory.buffer();
        let bytes = Uint8Array::new(&buffer);
        let len = bytes.length() as usize;
        JsMemory { memory: memory.clone(), words: Int32Array::new(&buffer), bytes, len }
    }

    pub fn from_value(memory: &wasm_bindgen::JsValue) -> JsMemory {
        Self::new(memory.unchecked_ref())
    }
}

impl JsMemory {
    /// `f` over the word view, a fresh one if the instance grew past this one since it was
    /// taken.
    fn with_words<R>(&self, addr: usize, f: impl FnOnce(&Int32Array) -> R) -> R {
        if addr + 4 <= self.len {
            f(&self.words)
        } else {
            f(&Int32Array::new(&self.memory.buffer()))
        }
    }
}

impl Memory for JsMemory {
    fn load_u32(&self, addr: usize) -> u32 {
        self.with_words(addr, |words| Atomics::load(words, (addr / 4) as u32).unwrap_or(0) as u32)
    }

    fn load_ptr(&self, addr: usize) -> usize {
        self.load_u32(addr) as usize
    }

    fn store_u32(&self, addr: usize, value: u32) {
        let _ = self.with_words(addr, |words| Atomics::store(words, (addr / 4) as u32, value as i32));
    }

    fn notify(&self, addr: usize) {
        let _ = self.with_words(addr, |words| Atomics::notify(words, (addr / 4) as u32));
    }

    fn read(&self, addr: usize, out: &mut [u8]) -> bool {
        let end = addr + out.len();
        if out.is_empty() {
            return true;
        }
        if end <= self.len {
            self.bytes.subarray(addr as u32, end as u32).copy_to(out);
            return true;
        }
        // The instance grew since this view was taken (its other threads allocate): a fresh
        // one. `copy_to` would panic on a range past the view's end (subarray clamps it).
        let bytes = Uint8Array::new(&self.memory.buffer());
        if end > bytes.length() as usize {
            return false;
        }
        bytes.subarray(addr as u32, end as u32).copy_to(out);
        true
    }
}
