//! What the watch table calls a learner's object: the variable its line assigns it to
//! (`lock = threading.Lock()` is `lock`; `self.lock = threading.RLock()` is `lock`), else its
//! kind and number (`lock 2`). Objects that the standard library makes for itself
//! (`threading.py`'s per-thread events) are not watched at all, so that the numbers count the
//! learner's objects only.

use rustpython_vm::VirtualMachine;
use std::sync::OnceLock;

/// The file name the learner's program runs as.
pub const MAIN_FILE: &str = "main.py";

/// The learner's source, for reading the line that makes an object (a runtime extension:
/// each process runs one program).
#[derive(Default)]
struct Source(OnceLock<String>);

fn source_cell() -> &'static OnceLock<String> {
    &pp_runtime::runtime::Runtime::current().extension::<Source>().0
}

/// The program's source (empty before a program runs).
pub fn source() -> String {
    source_cell().get().cloned().unwrap_or_default()
}

/// Keeps the program's source.
pub fn set_source(text: &str) {
    let _ = source_cell().set(text.to_string());
}

/// The learner's line being run now, if the innermost Python frame is the program's.
fn learners_line(vm: &VirtualMachine) -> Option<&'static str> {
    let frame = vm.current_frame()?;
    if frame.f_code().source_path().as_str() != MAIN_FILE {
        return None;
    }
    let line = usize::try_from(frame.lineno()).ok()?;
    source_cell().get()?.lines().nth(line.checked_sub(1)?)
}

/// The name the learner's current line gives the object being made, if the line reads
/// `name = ...` or `something.name = ...`.
pub fn assigned_name(vm: &VirtualMachine) -> Option<String> {
    target_of(learners_line(vm)?)
}

/// The variable a line of the form `target = value` assigns to (its last dotted part).
fn target_of(line: &str) -> Option<String> {
    let (left, right) = line.split_once('=')?;
    if right.starts_with('=') || left.ends_with(['!', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^']) {
        return None; // `==`, `!=`, `<=`, an augmented assignment
    }
    let name = left.trim().rsplit('.').next()?.trim();
    let is_identifier = name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    is_identifier.then(|| name.to_string())
}

/// Makes an object with `make`, unwatched unless the learner's program makes it.
pub fn made_quietly<R>(vm: &VirtualMachine, make: impl FnOnce() -> R) -> R {
    if learners_line(vm).is_some() {
        make()
    } else {
        pp_runtime::threading::unwatched(make)
    }
}

#[cfg(test)]
mod tests {
    use super::target_of;

    #[test]
    fn the_assigned_variable_names_the_object() {
        assert_eq!(target_of("lock = threading.Lock()").as_deref(), Some("lock"));
        assert_eq!(target_of("        self.lock = threading.RLock()").as_deref(), Some("lock"));
        assert_eq!(target_of("q = queue.Queue(10)").as_deref(), Some("q"));
        assert_eq!(target_of("    if a == threading.Lock(): pass"), None);
        assert_eq!(target_of("n += threading.active_count()"), None);
        assert_eq!(target_of("threads.append(threading.Thread(target=cal))"), None);
        assert_eq!(target_of("x[0] = threading.Event()"), None);
    }
}
