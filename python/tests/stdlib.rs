//! The standard library beyond the frozen modules (python/src/stdlib.rs): a module not
//! frozen is read at its first import (natively from python/vendor/pylib-lazy/, as the
//! browser fetches it from the site), and the runtime's own paths import none of them.
#![cfg(not(target_arch = "wasm32"))]

use pp_testing::harness::capture_with;

/// Runs `program`; its printed lines and exit code.
fn run(program: &str) -> (Vec<String>, i32) {
    let c = capture_with(true, || pp_python::interp::run_in_this_process(program));
    (c.texts(), c.exit.code)
}

/// Prints the modules a program imported through the lazy finder, last.
const PRINT_LAZY: &str = "\nimport sys\n\
    print('lazy:', sorted(n for n, m in list(sys.modules.items())\n\
    \x20   if getattr(getattr(m, '__spec__', None), 'loader', None).__class__.__name__ == 'type'\n\
    \x20   and m.__spec__.loader.__name__ == 'LazyStdlib'))\n";

#[test]
fn the_runtimes_own_paths_import_nothing_lazily() {
    // What python/frozen-modules.txt was made from: a plain program, threads, a Process, a
    // Pool, a ProcessPoolExecutor (their children's imports are the parent's, and more).
    for program in [
        "",
        "import threading, queue, time, random\nthreading.Thread(target=print, args=('t',)).start()",
        "import multiprocessing\np = multiprocessing.Process(target=print, args=('child',))\np.start(); p.join()",
        "import multiprocessing\nwith multiprocessing.Pool(2) as pool:\n    print(pool.map(abs, [-1, -2]))",
        "import concurrent.futures\nwith concurrent.futures.ProcessPoolExecutor(2) as ex:\n    print(list(ex.map(abs, [-1, -2])))",
    ] {
        let (texts, code) = run(&format!("{program}{PRINT_LAZY}"));
        assert_eq!(code, 0, "{program}: {texts:?}");
        assert_eq!(texts.last().map(String::as_str), Some("lazy: []"), "{program}: {texts:?}");
    }
}

#[test]
fn a_module_not_frozen_is_imported_at_its_first_use() {
    let (texts, code) = run(&format!(
        "import json, xml.dom.minidom, statistics\n\
         print(json.dumps({{'a': [1, 2]}}), statistics.mean([1, 2, 6]))\n\
         print(json.__file__, json.decoder.__name__)\n\
         print(xml.dom.minidom.parseString('<a><b/></a>').documentElement.tagName){PRINT_LAZY}"
    ));
    assert_eq!(code, 0, "{texts:?}");
    assert_eq!(texts[0], r#"{"a": [1, 2]} 3"#);
    assert_eq!(texts[1], "Lib/json/__init__.py json.decoder");
    assert_eq!(texts[2], "a");
    for module in ["json", "json.decoder", "statistics", "xml", "xml.dom", "xml.dom.minidom"] {
        assert!(texts[3].contains(&format!("'{module}'")), "{module}: {texts:?}");
    }
}

#[test]
fn a_traceback_through_a_fetched_module_shows_its_lines() {
    let (texts, code) = run("import json\njson.loads('{')\n");
    assert_eq!(code, 1, "{texts:?}");
    let text = texts.join("\n");
    assert!(text.contains(r#"File "Lib/json/decoder.py", line"#), "{text}");
    assert!(text.contains("obj, end = self.scan_once(s, idx)"), "the module's source line: {text}");
    assert!(
        text.ends_with(
            "json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
        ),
        "{text}"
    );
}

#[test]
fn a_name_the_library_lacks_is_module_not_found() {
    let (texts, code) = run("import numpy\n");
    assert_eq!(code, 1, "{texts:?}");
    assert_eq!(texts.last().map(String::as_str), Some("ModuleNotFoundError: No module named 'numpy'"), "{texts:?}");
    // A package left out of the module (scripts/python-deps.sh) is not in the lazy tree either.
    let (texts, _) = run("import tkinter\n");
    assert_eq!(texts.last().map(String::as_str), Some("ModuleNotFoundError: No module named 'tkinter'"), "{texts:?}");
}
