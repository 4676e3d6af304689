//! The tutorial's examples, ported. Each is one small file whose text is also what the UI
//! shows as the Rust port (`include_str!` of the very file that is compiled), beside the
//! tutorial's Python, sliced from the tutorial itself by line numbers.

pub mod params;
pub mod support;

mod lock_counter;
mod queue_lifo;
mod thread_exit;
mod thread_start;

pub use params::{Param, ParamKind, Params};

use crate::PyResult;

/// The tutorial, verbatim (`../shared/seed`), so the Python shown is the Python taught.
pub const TUTORIAL: &str = include_str!("tutorial.txt");

pub struct Example {
    /// The URL id: `#/ex/<id>`.
    pub id: &'static str,
    pub chapter: Chapter,
    pub title: &'static str,
    /// The tutorial's lines (1-based, inclusive) holding this example and its output.
    pub lines: (usize, usize),
    /// What a learner should look for in the run.
    pub look_for: &'static str,
    pub rust_source: &'static str,
    pub params: &'static [Param],
    pub main: fn(&Params) -> PyResult<()>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chapter {
    pub number: u8,
    pub title: &'static str,
}

pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        number: 2,
        title: "The threading module",
    },
    Chapter {
        number: 3,
        title: "Locks",
    },
    Chapter {
        number: 10,
        title: "The queue module",
    },
];

const fn chapter(number: u8) -> Chapter {
    let mut i = 0;
    while i < CHAPTERS.len() {
        if CHAPTERS[i].number == number {
            return CHAPTERS[i];
        }
        i += 1;
    }
    panic!("no such chapter")
}

pub static CATALOGUE: &[Example] = &[
    Example {
        id: "thread-start",
        chapter: chapter(2),
        title: "Starting a thread",
        lines: (155, 193),
        look_for: "`i am working` then `finished`, printed by the thread named worker.",
        rust_source: include_str!("thread_start.rs"),
        params: &[],
        main: thread_start::main,
    },
    Example {
        id: "thread-exit",
        chapter: chapter(2),
        title: "A thread outlives the main thread's last line",
        lines: (221, 243),
        look_for: "`==end==` first; then five `i am a thread`, one every `sleep` seconds: the run ends only when the thread does.",
        rust_source: include_str!("thread_exit.rs"),
        params: &[Param { name: "sleep", label: "sleep (s)", kind: ParamKind::Float { min: 0.0, max: 3600.0 }, default: "2" }],
        main: thread_exit::main,
    },
    Example {
        id: "lock-counter",
        chapter: chapter(3),
        title: "Ten threads, one lock, one counter",
        lines: (618, 638),
        look_for: "`10001` with the defaults: every increment happened under the lock, none was lost.",
        rust_source: include_str!("lock_counter.rs"),
        params: &[
            Param { name: "threads", label: "threads", kind: ParamKind::Int { min: 1, max: 64 }, default: "10" },
            Param { name: "increments", label: "increments per thread", kind: ParamKind::Int { min: 0, max: 1_000_000 }, default: "1000" },
        ],
        main: lock_counter::main,
    },
    Example {
        id: "queue-lifo",
        chapter: chapter(10),
        title: "LifoQueue",
        lines: (1624, 1639),
        look_for: "`2`, `1`, `0`: last in, first out.",
        rust_source: include_str!("queue_lifo.rs"),
        params: &[],
        main: queue_lifo::main,
    },
];

impl Example {
    /// The tutorial's text of this example: its cell and the output it printed.
    pub fn python(&self) -> String {
        let (first, last) = self.lines;
        TUTORIAL
            .lines()
            .skip(first - 1)
            .take(last + 1 - first)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

pub fn find(id: &str) -> Option<&'static Example> {
    CATALOGUE.iter().find(|e| e.id == id)
}
