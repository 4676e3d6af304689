//! `threading.local()`: data that each thread sees its own copy of.
//!
//! Python's local holds arbitrary attributes; here it holds one value of a type the port
//! chooses (a struct with the attributes as fields), created by `Default` on a thread's
//! first access and dropped when that thread ends, as CPython drops a thread's dict.

use super::registry::{current_inner, get_ident};
use crate::sync::RawMutex;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Weak};

pub struct Local<T> {
    /// Keyed by the thread's serial (idents are reused, serials never).
    values: Arc<RawMutex<HashMap<u64, Box<RefCell<T>>>>>,
}

impl<T: Default + Send + 'static> Default for Local<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Default + Send + 'static> Local<T> {
    pub fn new() -> Self {
        Local { values: Arc::new(RawMutex::new(HashMap::new())) }
    }

    /// Runs `f` on the calling thread's own value. Calling `with` on the same `Local` inside
    /// `f` panics (it would be a second `&mut` to one value).
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let current = current_inner();
        let key = current.as_ref().map_or_else(get_ident, |t| t.serial);
        let mut values = self.values.lock();
        if !values.contains_key(&key) {
            if let Some(t) = &current {
                let weak: Weak<RawMutex<HashMap<u64, Box<RefCell<T>>>>> = Arc::downgrade(&self.values);
                t.at_exit.lock().push(Box::new(move || {
                    if let Some(values) = weak.upgrade() {
                        values.lock().remove(&key);
                    }
                }));
            }
        }
        let mine: *const RefCell<T> = &**values.entry(key).or_default();
        drop(values);
        // SAFETY: the box is this thread's alone: only this thread looks it up, and it is
        // removed only when this thread ends (at_exit runs on the ending thread) or when the
        // Local is dropped (impossible while `&self` is borrowed). The map may move the Box
        // pointer around, never what it points to. Releasing the map's lock first lets other
        // threads reach their values meanwhile; the RefCell refuses a nested `with`.
        let cell = unsafe { &*mine };
        f(&mut cell.borrow_mut())
    }

    /// How many threads hold a value now (finished threads' values are gone).
    pub fn len(&self) -> usize {
        self.values.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
