//! The Python tab: the program an example's editor starts with. For the tutorial's examples
//! it is the tutorial's own cell, as printed; what the cell takes from earlier cells (an
//! import, a variable) comes first, each line marked with the cell it comes from, and a line
//! that Python 3 cannot run as printed (the tutorial has two Python 2 cells) is changed with
//! the reason beside it. Nothing else is touched. The pitfalls, which the tutorial describes
//! without code, have programs of ours (`python/*.py`), with the Rust ports' switches as
//! constants at the top.

use super::TUTORIAL;

/// How an example's Python tab starts.
#[derive(Debug)]
pub enum PythonTab {
    /// The tutorial's cells.
    Tutorial(Cells),
    /// A program of ours.
    Own(&'static str),
}

#[derive(Debug)]
pub struct Cells {
    /// Lines of earlier cells this one relies on: (the cell, e.g. "In \[4\]", the line).
    pub context: &'static [(&'static str, &'static str)],
    /// The tutorial's lines (1-based, inclusive) of the cell's code; several for an example
    /// that spans cells.
    pub lines: &'static [(usize, usize)],
    /// Lines changed to run on Python 3: (the tutorial's line, the new text, why).
    pub changes: &'static [(usize, &'static str, &'static str)],
}

impl PythonTab {
    /// The program the editor starts with (and Reset restores).
    pub fn program(&self) -> String {
        match self {
            PythonTab::Own(source) => source.to_string(),
            PythonTab::Tutorial(cells) => cells.program(),
        }
    }

    /// The lines the program changed, as (line of the program, why): the page lists them.
    pub fn changes(&self) -> Vec<(usize, &'static str)> {
        let PythonTab::Tutorial(cells) = self else { return Vec::new() };
        let program = cells.program();
        cells
            .changes
            .iter()
            .filter_map(|(_, text, why)| program.lines().position(|l| l.starts_with(text)).map(|at| (at + 1, *why)))
            .collect()
    }
}

impl Cells {
    fn program(&self) -> String {
        let tutorial: Vec<&str> = TUTORIAL.lines().collect();
        let mut out: Vec<String> =
            self.context.iter().map(|(cell, line)| format!("{line}  # from {cell}, an earlier cell")).collect();
        if !out.is_empty() {
            out.push(String::new());
        }
        for (i, &(first, last)) in self.lines.iter().enumerate() {
            if self.lines.len() > 1 {
                if i > 0 {
                    out.push(String::new());
                }
                // The cell's label is the line above its code ("In [34]:").
                out.push(format!("# {}", tutorial[first - 2].trim_end_matches(':')));
            }
            for n in first..=last {
                match self.changes.iter().find(|(line, _, _)| *line == n) {
                    Some((_, text, why)) => out.push(format!("{text}  # {why}")),
                    None => out.push(tutorial[n - 1].trim_end().to_string()),
                }
            }
        }
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        out.join("\n") + "\n"
    }
}

const fn cells(lines: &'static [(usize, usize)]) -> PythonTab {
    PythonTab::Tutorial(Cells { context: &[], lines, changes: &[] })
}

const fn after(context: &'static [(&'static str, &'static str)], lines: &'static [(usize, usize)]) -> PythonTab {
    PythonTab::Tutorial(Cells { context, lines, changes: &[] })
}

const THREADING: &[(&str, &str)] = &[("In [4]", "import threading")];
const PY2_PRINT: &str = "Python 3: the tutorial's `print x, y` is Python 2";
const PY2_XRANGE: &str = "Python 3: the tutorial's `xrange` is Python 2";

/// The Python tab of each example that has one, by id.
pub static PYTHON_TABS: &[(&str, PythonTab)] = &[
    ("intro-threads", cells(&[(100, 118)])),
    ("intro-processes", cells(&[(124, 142)])),
    ("thread-start", cells(&[(175, 187)])),
    ("thread-signature", after(THREADING, &[(194, 194)])),
    ("thread-exit", cells(&[(229, 241)])),
    ("thread-args", after(THREADING, &[(251, 262)])),
    ("thread-active-count", after(THREADING, &[(276, 276)])),
    ("thread-current", after(THREADING, &[(286, 286)])),
    ("thread-ident", after(THREADING, &[(296, 296)])),
    ("thread-enumerate", after(THREADING, &[(306, 307)])),
    ("thread-main", after(THREADING, &[(322, 322)])),
    ("lock-add", after(THREADING, &[(339, 364)])),
    ("rlock-account", cells(&[(389, 431)])),
    ("lock-counter", after(THREADING, &[(619, 636)])),
    ("daemon-false", after(THREADING, &[(456, 472)])),
    ("daemon-true", cells(&[(484, 494)])),
    ("daemon-none", cells(&[(508, 528)])),
    ("thread-join", cells(&[(585, 595)])),
    (
        "thread-local-args",
        PythonTab::Tutorial(Cells {
            context: &[("In [4]", "import threading"), ("In [12]", "num = 10001")],
            lines: &[(642, 656)],
            changes: &[
                (643, "    print(threading.current_thread().getName(), num)", PY2_PRINT),
                (646, "    for _ in range(1000):", PY2_XRANGE),
            ],
        }),
    ),
    (
        "thread-local",
        PythonTab::Tutorial(Cells {
            context: &[("In [4]", "import threading")],
            lines: &[(665, 679)],
            changes: &[
                (667, "    print(threading.current_thread().getName(), num)", PY2_PRINT),
                (670, "    for _ in range(1000):", PY2_XRANGE),
            ],
        }),
    ),
    // 6-9: multiprocessing. The table (pool-methods) and the text (pool-errors) have no code.
    ("pool-first", cells(&[(690, 696)])),
    ("cpu-count", cells(&[(702, 704)])),
    ("process-is-alive", after(&[("In [14]", "import multiprocessing")], &[(717, 726)])),
    ("process-pids", cells(&[(734, 744)])),
    ("process-attrs", after(&[("In [5]", "import multiprocessing")], &[(765, 773)])),
    ("process-class", cells(&[(778, 795)])),
    ("process-targets", after(&[("In [58]", "import multiprocessing")], &[(807, 828)])),
    ("process-default-arg", after(&[("In [58]", "import multiprocessing")], &[(837, 852)])),
    ("ipc-queue", cells(&[(866, 875)])),
    ("ipc-pipe", cells(&[(884, 896)])),
    ("process-lock", cells(&[(907, 919)])),
    ("process-nolock", after(&[("In [27]", "from multiprocessing import Process,Lock")], &[(934, 938)])),
    ("shared-value-array", cells(&[(961, 977)])),
    ("manager-plain-list", after(&[("In [58]", "import multiprocessing")], &[(990, 1006)])),
    (
        "manager-list",
        after(
            &[
                ("In [58]", "import multiprocessing"),
                ("In [11]", "from multiprocessing import Manager,Process"),
                ("In [11]", "def ap(list):"),
                ("In [11]", "    list.append(\"c\")"),
                ("In [11]", "    print(list)"),
                ("In [11]", "    print(id(list))"),
            ],
            &[(1015, 1025)],
        ),
    ),
    ("pool-apply-async", cells(&[(1073, 1090)])),
    ("pool-apply-async-callback", cells(&[(1125, 1142)])),
    (
        "pool-map-async",
        after(
            &[
                ("In [69]", "from multiprocessing import Pool"),
                ("In [69]", "def fun(x):"),
                ("In [69]", "    return x*x"),
            ],
            &[(1165, 1174)],
        ),
    ),
    ("pool-map-async-callback", cells(&[(1181, 1197)])),
    ("pool-callback-main", cells(&[(1229, 1248)])),
    ("pool-apply-vs-async", cells(&[(1265, 1293)])),
    ("pool-apply-async-get", cells(&[(1330, 1342)])),
    ("pool-map", cells(&[(1354, 1361)])),
    ("pool-map-workers", after(&[("In [5]", "import multiprocessing as mp")], &[(1367, 1379)])),
    ("ipc-rand", cells(&[(1435, 1453)])),
    ("ipc-job-sum", cells(&[(1459, 1477)])),
    ("benchmark", cells(&[(1485, 1535)])),
    ("queue-fifo-empty-loop", after(&[("In [58]", "import multiprocessing")], &[(1546, 1560)])),
    ("pool-mixed", cells(&[(1574, 1589)])),
    ("queue-fifo", cells(&[(1609, 1618)])),
    ("queue-lifo", after(&[("In [26]", "import queue")], &[(1629, 1635)])),
    ("queue-priority", after(&[("In [26]", "import queue")], &[(1647, 1655)])),
    ("queue-simple", cells(&[(1667, 1672)])),
    ("queue-empty", cells(&[(1686, 1695)])),
    ("queue-full", cells(&[(1708, 1716)])),
    (
        "queue-sizes",
        after(
            &[("In [31]", "import queue"), ("In [31]", "q = queue.Queue(3)")],
            &[(1725, 1726), (1736, 1737), (1747, 1749)],
        ),
    ),
    ("queue-put-timeout", after(&[("In [26]", "import queue")], &[(1763, 1765)])),
    (
        "queue-put-nowait",
        after(
            &[("In [26]", "import queue"), ("In [39]", "q5 = queue.Queue(1)"), ("In [39]", "q5.put(1)")],
            &[(1776, 1776)],
        ),
    ),
    ("queue-get-timeout", after(&[("In [26]", "import queue")], &[(1789, 1790)])),
    ("queue-get-nowait", after(&[("In [26]", "import queue"), ("In [41]", "q6 = queue.Queue()")], &[(1799, 1799)])),
    ("pitfall-race", PythonTab::Own(include_str!("python/pitfall_race.py"))),
    ("pitfall-deadlock", PythonTab::Own(include_str!("python/pitfall_deadlock.py"))),
    ("pitfall-livelock", PythonTab::Own(include_str!("python/pitfall_livelock.py"))),
    ("pitfall-starvation", PythonTab::Own(include_str!("python/pitfall_starvation.py"))),
    ("gil", PythonTab::Own(include_str!("python/gil.py"))),
    ("io-bound", PythonTab::Own(include_str!("python/io_bound.py"))),
];

/// The Python tab of example `id`, if it has one.
pub fn python_tab(id: &str) -> Option<&'static PythonTab> {
    PYTHON_TABS.iter().find(|(i, _)| *i == id).map(|(_, tab)| tab)
}
