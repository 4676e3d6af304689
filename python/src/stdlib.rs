//! The standard library beyond the frozen modules (python/frozen-modules.txt): fetched at a
//! module's first import and compiled then, so that what a program does not import is not in
//! the Python tab's first download (issue 18: the frozen library was two thirds of it).
//!
//! `_pp_stdlib` answers which names it has (from the lazy tree's index, embedded at build
//! time: an unknown name costs no request) and their source (`crate::read_stdlib_file`: read
//! from python/vendor/pylib-lazy/ natively, fetched from the site's python/lib/ in the
//! browser). [`FINDER`] is the `sys.meta_path` entry over it, after the interpreter's own
//! (built-in and frozen modules come first).

/// The lazy tree's index (scripts/split-stdlib.py): a version line, then one file a line.
const INDEX: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/vendor/pylib-lazy/index.txt"));

/// The finder and loader, installed by set-up. A module it loads names its file as
/// `Lib/<path>`, which tracebacks show; `get_source` gives linecache the lines.
pub const FINDER: &str = r#"
import sys, _pp_stdlib
from _frozen_importlib import ModuleSpec

class LazyStdlib:
    """The standard library's modules that are not frozen: fetched at their first import."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        found = _pp_stdlib.lookup(name)
        if found is None:
            return None
        origin, is_package = found
        return ModuleSpec(name, LazyStdlib, origin=origin, is_package=is_package)

    @staticmethod
    def create_module(spec):
        return None

    @staticmethod
    def exec_module(module):
        spec = module.__spec__
        module.__file__ = spec.origin
        code = compile(_pp_stdlib.source(spec.name), spec.origin, "exec")
        exec(code, module.__dict__)

    @staticmethod
    def get_source(name):
        return _pp_stdlib.source(name)

sys.meta_path.append(LazyStdlib)
"#;

/// The lazy tree, as the index says: its version (a hash of its files) and its modules.
struct Index {
    /// In a fetch's address: a changed file is a new address.
    version: String,
    modules: std::collections::HashMap<String, Module>,
}

/// A module of the lazy tree: its file, and whether it is a package.
struct Module {
    file: String,
    package: bool,
}

fn index() -> &'static Index {
    static PARSED: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| {
        let mut lines = INDEX.lines();
        let version = lines.next().and_then(|l| l.strip_prefix("version ")).unwrap_or_default().to_owned();
        let modules = lines
            .filter_map(|file| {
                let stem = file.strip_suffix(".py")?;
                let (dotted, package) = match stem.strip_suffix("/__init__") {
                    Some(package) => (package, true),
                    None => (stem, false),
                };
                Some((dotted.replace('/', "."), Module { file: file.to_owned(), package }))
            })
            .collect();
        Index { version, modules }
    })
}

#[rustpython_vm::pymodule(name = "_pp_stdlib")]
pub mod module {
    use rustpython_vm::{PyResult, VirtualMachine};

    /// `(origin, is_package)` of a module the lazy tree has, or None.
    #[pyfunction]
    fn lookup(name: String) -> Option<(String, bool)> {
        super::index().modules.get(&name).map(|m| (format!("Lib/{}", m.file), m.package))
    }

    /// The module's source; an ImportError (naming the module) when it cannot be had.
    #[pyfunction]
    fn source(name: String, vm: &VirtualMachine) -> PyResult<String> {
        let Some(module) = super::index().modules.get(&name) else {
            return Err(
                vm.new_import_error(format!("no module named '{name}' in the standard library"), vm.ctx.new_str(name))
            );
        };
        crate::read_stdlib_file(&module.file, &super::index().version).map_err(|why| {
            vm.new_import_error(
                format!("could not load the standard library's '{name}' (fetched at its first import): {why}"),
                vm.ctx.new_str(name.clone()),
            )
        })
    }
}
