//! The tutorial's examples, ported. Each is one small file whose text is also what the UI
//! shows as the Rust port (`include_str!` of the very file that is compiled), beside the
//! tutorial's Python, sliced from the tutorial itself by line numbers.

pub mod params;
pub mod support;

mod daemons;
mod lock_add;
mod lock_counter;
mod pitfall_deadlock;
mod queue_lifo;
mod queues;
mod rlock_account;
mod thread_args;
mod thread_exit;
mod thread_join;
mod thread_local;
mod thread_module_functions;
mod thread_signature;
mod thread_start;

pub use params::{Param, ParamKind, Params, RunOptions};

use crate::PyResult;

/// The tutorial, verbatim (`../shared/seed`), so the Python shown is the Python taught.
pub const TUTORIAL: &str = include_str!("tutorial.txt");

pub struct Example {
    /// The URL id: `#/ex/<id>`.
    pub id: &'static str,
    pub chapter: Chapter,
    pub title: &'static str,
    /// The tutorial's lines (1-based, inclusive) holding this example and its output (for
    /// the pitfalls, which the tutorial describes without code, the describing text).
    pub lines: (usize, usize),
    /// Whether those lines hold Python code (false for the pitfalls).
    pub has_code: bool,
    /// What a learner should look for in the run.
    pub look_for: &'static str,
    pub rust_source: &'static str,
    pub params: &'static [Param],
    /// The run options it starts with (the GIL on for the tutorial's CPython examples).
    pub options: RunOptions,
    pub main: fn(&Params) -> PyResult<()>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chapter {
    pub number: u8,
    pub title: &'static str,
}

pub const CHAPTERS: &[Chapter] = &[
    Chapter { number: 2, title: "The threading module" },
    Chapter { number: 3, title: "Locks" },
    Chapter { number: 4, title: "Daemon threads and join" },
    Chapter { number: 5, title: "Thread-local data" },
    Chapter { number: 10, title: "The queue module" },
    Chapter { number: 11, title: "The pitfalls, made visible" },
];

/// As the tutorial ran: CPython, with its GIL.
pub const CPYTHON: RunOptions = RunOptions { gil: true };

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

/// An example with no parameters, run as the tutorial's CPython ran it.
const fn ex(
    id: &'static str,
    ch: u8,
    title: &'static str,
    lines: (usize, usize),
    look_for: &'static str,
    rust_source: &'static str,
    main: fn(&Params) -> PyResult<()>,
) -> Example {
    Example {
        id,
        chapter: chapter(ch),
        title,
        lines,
        has_code: true,
        look_for,
        rust_source,
        params: &[],
        options: CPYTHON,
        main,
    }
}

impl Example {
    const fn with_params(self, params: &'static [Param]) -> Example {
        Example { params, ..self }
    }

    /// The tutorial only describes it: `lines` are text, not code.
    const fn without_code(self) -> Example {
        Example { has_code: false, ..self }
    }

    /// The tutorial's text of this example: its cell and the output it printed.
    pub fn python(&self) -> String {
        let (first, last) = self.lines;
        TUTORIAL.lines().skip(first - 1).take(last + 1 - first).collect::<Vec<_>>().join("\n")
    }
}

const fn seconds(name: &'static str, label: &'static str, default: &'static str) -> Param {
    Param { name, label, kind: ParamKind::Float { min: 0.0, max: 3600.0 }, default }
}

const SLEEP_1S: &[Param] = &[seconds("sleep", "sleep (s)", "1")];

pub static CATALOGUE: &[Example] = &[
    // 2. The threading module
    ex("thread-start", 2, "Starting a thread", (155, 193), "`i am working` then `finished`, printed by the thread named worker.", include_str!("thread_start.rs"), thread_start::main),
    ex("thread-signature", 2, "Thread's parameters", (159, 218), "What each of group, target, name, args, kwargs and daemon means, and how the Rust port spells it.", include_str!("thread_signature.rs"), thread_signature::main),
    ex("thread-exit", 2, "A thread outlives the main thread's last line", (221, 243), "`==end==` first; then five `i am a thread`, one every `sleep` seconds: the run ends only when the thread does.", include_str!("thread_exit.rs"), thread_exit::main)
        .with_params(&[seconds("sleep", "sleep (s)", "2")]),
    ex("thread-args", 2, "Passing arguments", (246, 266), "`cgatcgat`, then the thread's repr with the name chenzhi, then the main thread's.", include_str!("thread_args.rs"), thread_args::main),
    ex("thread-active-count", 2, "active_count()", (271, 278), "1: a fresh process has only its main thread (the tutorial's 6 counted Jupyter's own threads).", include_str!("thread_module_functions.rs"), thread_module_functions::active_count),
    ex("thread-current", 2, "current_thread()", (281, 288), "`<_MainThread(MainThread, started N)>`.", include_str!("thread_module_functions.rs"), thread_module_functions::current_thread),
    ex("thread-ident", 2, "get_ident()", (291, 298), "An integer, and `True`: it is the main thread's ident.", include_str!("thread_module_functions.rs"), thread_module_functions::get_ident),
    ex("thread-enumerate", 2, "enumerate()", (301, 314), "Every live thread, one line each: the main thread and the thread named thread.", include_str!("thread_module_functions.rs"), thread_module_functions::enumerate),
    ex("thread-main", 2, "main_thread()", (317, 324), "The main thread's repr.", include_str!("thread_module_functions.rs"), thread_module_functions::main_thread),
    // 3. Locks
    ex("lock-add", 3, "Two threads, one lock", (332, 385), "`add1 2` … `add1 11` as one block, `add2 21` … `add2 111` as another, never mixed.", include_str!("lock_add.rs"), lock_add::main),
    ex("rlock-account", 3, "An account guarded by an RLock", (388, 435), "One draw succeeds and leaves 100; the other fails with 余额不足.", include_str!("rlock_account.rs"), rlock_account::main),
    ex("lock-counter", 3, "Ten threads, one lock, one counter", (618, 638), "`10001` with the defaults: every increment happened under the lock, none was lost.", include_str!("lock_counter.rs"), lock_counter::main)
        .with_params(&[
            Param { name: "threads", label: "threads", kind: ParamKind::Int { min: 1, max: 64 }, default: "10" },
            Param { name: "increments", label: "increments per thread", kind: ParamKind::Int { min: 0, max: 1_000_000 }, default: "1000" },
        ]),
    // 4. Daemon threads and join
    ex("daemon-false", 4, "daemon=False", (451, 476), "The main thread's lines come early, yet the run goes on until the thread's three lines are out.", include_str!("daemons.rs"), daemons::daemon_false)
        .with_params(SLEEP_1S),
    ex("daemon-true", 4, "daemon=True", (479, 500), "The run ends with the main thread: the daemon's other lines never come, and the console says it was stopped.", include_str!("daemons.rs"), daemons::daemon_true)
        .with_params(SLEEP_1S),
    ex("daemon-none", 4, "daemon=None inherits", (503, 573), "The bar threads are daemons (they inherit from foo) and loop until the main thread ends after 2 sleeps.", include_str!("daemons.rs"), daemons::daemon_none)
        .with_params(SLEEP_1S),
    ex("thread-join", 4, "join()", (576, 607), "`==end==` only after all ten `hello world`.", include_str!("thread_join.rs"), thread_join::main)
        .with_params(SLEEP_1S),
    // 5. Thread-local data
    ex("thread-local-args", 5, "Passing a local count around", (641, 660), "Each of the 10 threads prints its own name and 1000.", include_str!("thread_local.rs"), thread_local::with_args),
    ex("thread-local", 5, "threading.local()", (662, 679), "The same, through one threading.local() object: each thread sees its own num.", include_str!("thread_local.rs"), thread_local::with_local),
    // 10. The queue module
    ex("queue-fifo", 10, "Queue (FIFO)", (1600, 1621), "The dict, then the list: first in, first out.", include_str!("queues.rs"), queues::fifo),
    ex("queue-lifo", 10, "LifoQueue", (1624, 1639), "`2`, `1`, `0`: last in, first out.", include_str!("queue_lifo.rs"), queue_lifo::main),
    ex("queue-priority", 10, "PriorityQueue", (1642, 1659), "`(1, 'python')`, `(2, '-')`, `(3, '100')`: smallest first.", include_str!("queues.rs"), queues::priority),
    ex("queue-simple", 10, "SimpleQueue", (1662, 1676), "`0`, `1`, `2`.", include_str!("queues.rs"), queues::simple),
    ex("queue-empty", 10, "queue.Empty", (1681, 1700), "The three items, then `queue.Empty`.", include_str!("queues.rs"), queues::empty),
    ex("queue-full", 10, "queue.Full", (1703, 1715), "`queue.Full` (the tutorial's text says Empty by mistake).", include_str!("queues.rs"), queues::full),
    ex("queue-sizes", 10, "qsize(), empty(), full()", (1718, 1751), "`1`, `True`, `True`.", include_str!("queues.rs"), queues::sizes),
    ex("queue-put-timeout", 10, "put(timeout=...)", (1754, 1766), "`queue.Full`, raised after the timeout: the wall time shows it waited.", include_str!("queues.rs"), queues::put_timeout)
        .with_params(&[seconds("timeout", "timeout (s)", "2")]),
    ex("queue-put-nowait", 10, "put_nowait()", (1769, 1777), "`queue.Full` at once.", include_str!("queues.rs"), queues::put_nowait),
    ex("queue-get-timeout", 10, "get(timeout=...)", (1780, 1791), "`queue.Empty`, raised after the timeout.", include_str!("queues.rs"), queues::get_timeout)
        .with_params(&[seconds("timeout", "timeout (s)", "1")]),
    ex("queue-get-nowait", 10, "get_nowait()", (1794, 1800), "`queue.Empty` at once.", include_str!("queues.rs"), queues::get_nowait),
    // 11. The pitfalls
    ex("pitfall-deadlock", 11, "Deadlock", (37, 39), "fix 0: A holds record 1 and waits for record 2, B the reverse; the page detects the deadlock and draws who waits for whom; Stop ends it. fix 1 (one lock order) and fix 2 (timeout and back off) finish.", include_str!("pitfall_deadlock.rs"), pitfall_deadlock::main)
        .with_params(&[Param { name: "fix", label: "fix (0 none, 1 lock order, 2 timeout)", kind: ParamKind::Int { min: 0, max: 2 }, default: "0" }])
        .without_code(),
];

pub fn find(id: &str) -> Option<&'static Example> {
    CATALOGUE.iter().find(|e| e.id == id)
}

/// What a process can run: an example, or one of these programs that are not examples.
pub struct Program {
    pub params: &'static [Param],
    pub options: RunOptions,
    pub main: fn(&Params) -> PyResult<()>,
}

/// The benchmarks (`#/bench`, `scripts/bench.sh`): measured with the GIL off, as the bare
/// primitives.
static PROGRAMS: &[(&str, Program)] = &[(
    "bench-threading",
    Program {
        params: &[Param {
            name: "spin",
            label: "futex spin iterations (-1: the platform's default)",
            kind: ParamKind::Int { min: -1, max: 1_000_000 },
            default: "-1",
        }],
        options: RunOptions { gil: false },
        main: crate::bench::threading_program,
    },
)];

/// The program a process runs for `id`.
pub fn program(id: &str) -> Option<Program> {
    find(id).map(|e| Program { params: e.params, options: e.options, main: e.main }).or_else(|| {
        PROGRAMS.iter().find(|(name, _)| *name == id).map(|(_, p)| Program {
            params: p.params,
            options: p.options,
            main: p.main,
        })
    })
}
