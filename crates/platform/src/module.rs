//! Which compiled module a process is an instance of, by name: the browser's host knows the
//! modules a run may start a process in (the playground's ports, the Python interpreter) by
//! name, and a child request names one.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// A compiled module's name. A child request names its module so (`None`: its parent's),
/// never by a URL or a module object, which mean nothing in another instance. Natively a
/// child is a thread of the one binary and the name is only carried.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ModuleName(String);

impl ModuleName {
    pub fn new(name: &str) -> ModuleName {
        ModuleName(name.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ModuleName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

static THIS_MODULE: OnceLock<ModuleName> = OnceLock::new();

/// Says which module this process's memory runs (the browser's worker side, when a process
/// boots; the first call in a memory stays).
pub fn set_this_module(name: ModuleName) {
    let _ = THIS_MODULE.set(name);
}

/// The module this process runs, as its host named it; `None` natively and in a browser
/// test's own memory, where no host started the process.
pub fn this_module() -> Option<&'static ModuleName> {
    THIS_MODULE.get()
}
