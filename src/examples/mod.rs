//! The tutorial's examples, ported. Each is one small file whose text is also what the UI
//! shows as the Rust port (`include_str!` of the very file that is compiled), beside the
//! tutorial's Python, sliced from the tutorial itself by line numbers.

pub mod excerpt;
pub mod support;

mod daemons;
mod gil_demo;
mod intro;
mod io_bound;
mod lock_add;
mod lock_counter;
mod mp_ipc;
mod mp_more;
mod mp_pools;
mod mp_processes;
mod pitfall_deadlock;
mod pitfall_livelock;
mod pitfall_race;
mod pitfall_starvation;
mod python;
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

/// What the examples' processes and pools run: the targets every instance of the module
/// registers (a child process finds its target by name, `pp_multiprocessing::target`).
pub fn registered_targets() -> Vec<pp_multiprocessing::Target> {
    [
        intro::registered_targets(),
        io_bound::registered_targets(),
        mp_ipc::registered_targets(),
        mp_more::registered_targets(),
        mp_pools::registered_targets(),
        mp_processes::registered_targets(),
        pitfall_deadlock::registered_targets(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub use crate::params::{Param, ParamKind, Params, RunOptions};
pub use python::{python_tab, Cells, PythonTab, PYTHON_TABS};

use pp_runtime::PyResult;

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
    /// The Rust port: the file it is in, and its entry function there.
    pub rust: RustPort,
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
    Chapter { number: 1, title: "Threads and processes: the first comparison" },
    Chapter { number: 2, title: "The threading module" },
    Chapter { number: 3, title: "Locks" },
    Chapter { number: 4, title: "Daemon threads and join" },
    Chapter { number: 5, title: "Thread-local data" },
    Chapter { number: 6, title: "Processes" },
    Chapter { number: 7, title: "Talking between processes" },
    Chapter { number: 8, title: "Pools" },
    Chapter { number: 9, title: "Queues between processes, and the benchmark" },
    Chapter { number: 10, title: "The queue module" },
    Chapter { number: 11, title: "The pitfalls, made visible" },
];

/// As the tutorial ran: CPython, with its GIL.
pub const CPYTHON: RunOptions = RunOptions { gil: true, shake: None, step: false };

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
/// An example file's text (`include_str!` of the very file that is compiled), and the
/// function of it that runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RustPort {
    pub file: &'static str,
    pub source: &'static str,
    pub entry: &'static str,
}

impl RustPort {
    /// What the page shows first: the entry function and what it uses (see [`excerpt`]).
    pub fn excerpt(&self) -> String {
        excerpt::excerpt(self.source, self.entry).unwrap_or_else(|| self.source.to_string())
    }
}

/// `port!("file.rs", file::function)`: the port and the function, as `ex` takes them.
macro_rules! port {
    ($file:literal, $module:ident :: $entry:ident) => {
        (RustPort { file: $file, source: include_str!($file), entry: stringify!($entry) }, $module::$entry)
    };
}

const fn ex(
    id: &'static str,
    ch: u8,
    title: &'static str,
    lines: (usize, usize),
    look_for: &'static str,
    (rust, main): (RustPort, fn(&Params) -> PyResult<()>),
) -> Example {
    Example {
        id,
        chapter: chapter(ch),
        title,
        lines,
        has_code: true,
        look_for,
        rust,
        params: &[],
        options: CPYTHON,
        main,
    }
}

impl Example {
    const fn with_params(self, params: &'static [Param]) -> Example {
        Example { params, ..self }
    }

    /// Starts with the GIL off (the page's switch turns it back on).
    const fn gil_off(self) -> Example {
        Example { options: RunOptions { gil: false, shake: None, step: false }, ..self }
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

const NUMBER: &[Param] = &[Param {
    name: "number",
    label: "numbers multiplied",
    kind: ParamKind::Int { min: 1, max: 200_000 },
    default: "50000",
}];

pub static CATALOGUE: &[Example] = &[
    // 1. Threads and processes
    ex("intro-threads", 1, "A CPU-bound job in two threads", (96, 119), "The wall time: with the GIL on, the two threads take turns (see the timeline); compare with two processes.", port!("intro.rs", intro::threads))
        .with_params(NUMBER),
    ex("intro-processes", 1, "The same job in two processes", (121, 143), "About half the two threads' time on two cores: each process has its own memory and its own GIL.", port!("intro.rs", intro::processes))
        .with_params(NUMBER),
    // 2. The threading module
    ex("thread-start", 2, "Starting a thread", (155, 193), "`i am working` then `finished`, printed by the thread named worker.", port!("thread_start.rs", thread_start::main)),
    ex("thread-signature", 2, "Thread's parameters", (159, 218), "What each of group, target, name, args, kwargs and daemon means, and how the Rust port spells it.", port!("thread_signature.rs", thread_signature::main)),
    ex("thread-exit", 2, "A thread outlives the main thread's last line", (221, 243), "`==end==` first; then five `i am a thread`, one every `sleep` seconds: the run ends only when the thread does.", port!("thread_exit.rs", thread_exit::main))
        .with_params(&[seconds("sleep", "sleep (s)", "2")]),
    ex("thread-args", 2, "Passing arguments", (246, 266), "`cgatcgat`, then the thread's repr with the name chenzhi, then the main thread's.", port!("thread_args.rs", thread_args::main)),
    ex("thread-active-count", 2, "active_count()", (271, 278), "1: a fresh process has only its main thread (the tutorial's 6 counted Jupyter's own threads).", port!("thread_module_functions.rs", thread_module_functions::active_count)),
    ex("thread-current", 2, "current_thread()", (281, 288), "`<_MainThread(MainThread, started N)>`.", port!("thread_module_functions.rs", thread_module_functions::current_thread)),
    ex("thread-ident", 2, "get_ident()", (291, 298), "An integer, and `True`: it is the main thread's ident.", port!("thread_module_functions.rs", thread_module_functions::get_ident)),
    ex("thread-enumerate", 2, "enumerate()", (301, 314), "Every live thread, one line each: the main thread and the thread named thread.", port!("thread_module_functions.rs", thread_module_functions::enumerate)),
    ex("thread-main", 2, "main_thread()", (317, 324), "The main thread's repr.", port!("thread_module_functions.rs", thread_module_functions::main_thread)),
    // 3. Locks
    ex("lock-add", 3, "Two threads, one lock", (332, 385), "`add1 2` … `add1 11` as one block, `add2 21` … `add2 111` as another, never mixed.", port!("lock_add.rs", lock_add::main)),
    ex("rlock-account", 3, "An account guarded by an RLock", (388, 435), "One draw succeeds and leaves 100; the other fails with 余额不足.", port!("rlock_account.rs", rlock_account::main)),
    ex("lock-counter", 3, "Ten threads, one lock, one counter", (618, 638), "`10001` with the defaults: every increment happened under the lock, none was lost.", port!("lock_counter.rs", lock_counter::main))
        .with_params(&[
            Param { name: "threads", label: "threads", kind: ParamKind::Int { min: 1, max: 64 }, default: "10" },
            Param { name: "increments", label: "increments per thread", kind: ParamKind::Int { min: 0, max: 1_000_000 }, default: "1000" },
        ]),
    // 4. Daemon threads and join
    ex("daemon-false", 4, "daemon=False", (451, 476), "The main thread's lines come early, yet the run goes on until the thread's three lines are out.", port!("daemons.rs", daemons::daemon_false))
        .with_params(SLEEP_1S),
    ex("daemon-true", 4, "daemon=True", (479, 500), "The run ends with the main thread: the daemon's other lines never come, and the console says it was stopped.", port!("daemons.rs", daemons::daemon_true))
        .with_params(SLEEP_1S),
    ex("daemon-none", 4, "daemon=None inherits", (503, 573), "The bar threads are daemons (they inherit from foo) and loop until the main thread ends after 2 sleeps.", port!("daemons.rs", daemons::daemon_none))
        .with_params(SLEEP_1S),
    ex("thread-join", 4, "join()", (576, 607), "`==end==` only after all ten `hello world`.", port!("thread_join.rs", thread_join::main))
        .with_params(SLEEP_1S),
    // 5. Thread-local data
    ex("thread-local-args", 5, "Passing a local count around", (641, 660), "Each of the 10 threads prints its own name and 1000.", port!("thread_local.rs", thread_local::with_args)),
    ex("thread-local", 5, "threading.local()", (662, 679), "The same, through one threading.local() object: each thread sees its own num.", port!("thread_local.rs", thread_local::with_local)),
    // 6. Processes
    ex("pool-first", 6, "with Pool(5) as p", (689, 698), "`[1, 4, 9]`.", port!("mp_processes.rs", mp_processes::pool_first)),
    ex("cpu-count", 6, "cpu_count()", (701, 706), "The browser's logical cores (navigator.hardwareConcurrency).", port!("mp_processes.rs", mp_processes::cpu_count)),
    ex("process-is-alive", 6, "is_alive()", (714, 730), "`True` inside the child, `False` after join.", port!("mp_processes.rs", mp_processes::is_alive)),
    ex("process-pids", 6, "getpid() and getppid()", (732, 757), "One parent id, four distinct child ids.", port!("mp_processes.rs", mp_processes::pids)),
    ex("process-attrs", 6, "A process's attributes", (760, 772), "The child's name (Process-1), pid, daemon flag and authkey.", port!("mp_processes.rs", mp_processes::attrs)),
    ex("process-class", 6, "A Process class overriding run()", (775, 803), "The time, five times, `interval` seconds apart.", port!("mp_processes.rs", mp_processes::class))
        .with_params(&[seconds("interval", "interval (s)", "3")]),
    ex("process-targets", 6, "Three processes, three targets", (806, 831), "`49`, `125`, `works` (in any order), then `we are done`.", port!("mp_processes.rs", mp_processes::targets)),
    ex("process-default-arg", 6, "A target's default argument", (834, 856), "asia, africa, latein.", port!("mp_processes.rs", mp_processes::default_arg)),
    // 7. Talking between processes
    ex("ipc-queue", 7, "A Queue between processes", (863, 875), "`[42, None, 'hello']`, put by the child, got by the parent.", port!("mp_ipc.rs", mp_ipc::queue)),
    ex("ipc-pipe", 7, "A Pipe", (877, 899), "`[24, 'hello']`, then `hello`.", port!("mp_ipc.rs", mp_ipc::pipe)),
    ex("process-lock", 7, "A Lock across processes", (902, 928), "`hello 0` … `hello 9`, whole lines, in any order.", port!("mp_ipc.rs", mp_ipc::lock)),
    ex("process-nolock", 7, "Printing without a lock", (931, 943), "`hello 0` … `hello 3`.", port!("mp_ipc.rs", mp_ipc::nolock)),
    ex("shared-value-array", 7, "Value and Array in shared memory", (956, 982), "`0.0`, then `3.14` and `[0, -1, … -9]`: the child changed them in place.", port!("mp_ipc.rs", mp_ipc::shared_value_array)),
    ex("manager-plain-list", 7, "A plain list is copied", (985, 1012), "The child sees `['a', 'b', 'c']`; the parent still has `['a', 'b']`: separate memory, for real.", port!("mp_ipc.rs", mp_ipc::plain_list)),
    ex("manager-list", 7, "A Manager's list is shared", (1013, 1029), "The parent sees `['a', 'b', 'c']`.", port!("mp_ipc.rs", mp_ipc::managed_list)),
    // 8. Pools
    ex("pool-methods", 8, "The Pool's methods", (1041, 1050), "The table, corrected where the tutorial is wrong.", port!("mp_pools.rs", mp_pools::methods))
        .without_code(),
    ex("pool-apply-async", 8, "apply_async on Pool(9)", (1060, 1122), "Ten running/ending pairs from at most nine worker ids: the tenth task reuses one.", port!("mp_pools.rs", mp_pools::apply_async))
        .with_params(SLEEP_1S),
    ex("pool-apply-async-callback", 8, "apply_async with a callback", (1124, 1146), "All six squares, in the order they finished.", port!("mp_pools.rs", mp_pools::apply_async_callback)),
    ex("pool-map-async", 8, "map_async and get()", (1149, 1178), "A MapResult's repr, then `[9, 16, 25, 1]`.", port!("mp_pools.rs", mp_pools::map_async)),
    ex("pool-map-async-callback", 8, "map_async with a callback", (1180, 1199), "`[[9, 16, 25, 1]]`: one call with the whole list.", port!("mp_pools.rs", mp_pools::map_async_callback)),
    ex("pool-errors", 8, "When a task raises", (1202, 1206), "apply_async: the other results stand; map_async: the whole map fails; error_callback hears each.", port!("mp_pools.rs", mp_pools::errors))
        .without_code(),
    ex("pool-callback-main", 8, "Callbacks run in the main process", (1208, 1249), "The callback's lines, printed in the main process (the output the tutorial shows is a TypeError from apply(..., callback=a): apply has no callback; the code as printed, with apply_async, is right).", port!("mp_pools.rs", mp_pools::callback_main)),
    ex("pool-apply-vs-async", 8, "apply vs apply_async", (1252, 1320), "apply_async ends after about the longest sleep per worker; apply after about their sum.", port!("mp_pools.rs", mp_pools::apply_vs_async))
        .with_params(&[seconds("max_sleep", "longest sleep (s)", "3")]),
    ex("pool-apply-async-get", 8, "apply_async then get()", (1322, 1344), "`[9, 9, 9, 9, 9, 9]`.", port!("mp_pools.rs", mp_pools::apply_async_get)),
    ex("pool-map", 8, "map()", (1347, 1362), "`[1, 1, 4, 27, 256, 3125, 46656, 823543, 16777216, 387420489]`.", port!("mp_pools.rs", mp_pools::map)),
    ex("pool-map-workers", 8, "Who ran each item", (1364, 1427), "Each item's worker, then the two lists, 23**23 included, exact.", port!("mp_pools.rs", mp_pools::map_workers)),
    // 9. Queues between processes, and the benchmark
    ex("ipc-rand", 9, "Four processes, four random numbers", (1430, 1456), "Four numbers in [0, 1).", port!("mp_more.rs", mp_more::rand)),
    ex("ipc-job-sum", 9, "A sum in two processes", (1458, 1482), "`499667166000`.", port!("mp_more.rs", mp_more::job_sum)),
    ex("benchmark", 9, "normal vs multithread vs multicore", (1484, 1542), "Three results of 499999666667166666000000 (for n = 1000000) and their times: with the GIL on, multithread is no faster than normal; then multithread with the GIL off, and rayon. At n = 1000000 the sum takes about 10 ms here, less than starting two processes: with n = 50000000, multicore comes out nearly twice as fast as normal.", port!("mp_more.rs", mp_more::benchmark))
        .with_params(&[Param { name: "n", label: "n (terms per process)", kind: ParamKind::Int { min: 1, max: 2_000_000_000 }, default: "1000000" }]),
    ex("queue-fifo-empty-loop", 9, "Pop while not empty", (1545, 1571), "Items 1-3 pushed, then popped in order.", port!("mp_more.rs", mp_more::fifo_empty_loop)),
    ex("pool-mixed", 9, "map, apply_async, and ten apply_async", (1573, 1594), "`[0, 1, 4, … 81]`, `4`, `[0, 1, … 81]`.", port!("mp_more.rs", mp_more::pool_mixed)),
    // 10. The queue module
    ex("queue-fifo", 10, "Queue (FIFO)", (1600, 1621), "The dict, then the list: first in, first out.", port!("queues.rs", queues::fifo)),
    ex("queue-lifo", 10, "LifoQueue", (1624, 1639), "`2`, `1`, `0`: last in, first out.", port!("queue_lifo.rs", queue_lifo::main)),
    ex("queue-priority", 10, "PriorityQueue", (1642, 1659), "`(1, 'python')`, `(2, '-')`, `(3, '100')`: smallest first.", port!("queues.rs", queues::priority)),
    ex("queue-simple", 10, "SimpleQueue", (1662, 1676), "`0`, `1`, `2`.", port!("queues.rs", queues::simple)),
    ex("queue-empty", 10, "queue.Empty", (1681, 1700), "The three items, then `queue.Empty`.", port!("queues.rs", queues::empty)),
    ex("queue-full", 10, "queue.Full", (1703, 1715), "`queue.Full` (the tutorial's text says Empty by mistake).", port!("queues.rs", queues::full)),
    ex("queue-sizes", 10, "qsize(), empty(), full()", (1718, 1751), "`1`, `True`, `True`.", port!("queues.rs", queues::sizes)),
    ex("queue-put-timeout", 10, "put(timeout=...)", (1754, 1766), "`queue.Full`, raised after the timeout: the wall time shows it waited.", port!("queues.rs", queues::put_timeout))
        .with_params(&[seconds("timeout", "timeout (s)", "2")]),
    ex("queue-put-nowait", 10, "put_nowait()", (1769, 1777), "`queue.Full` at once.", port!("queues.rs", queues::put_nowait)),
    ex("queue-get-timeout", 10, "get(timeout=...)", (1780, 1791), "`queue.Empty`, raised after the timeout.", port!("queues.rs", queues::get_timeout))
        .with_params(&[seconds("timeout", "timeout (s)", "1")]),
    ex("queue-get-nowait", 10, "get_nowait()", (1794, 1800), "`queue.Empty` at once.", port!("queues.rs", queues::get_nowait)),
    // 11. The pitfalls
    ex("pitfall-race", 11, "Race condition", (28, 30), "fix 0: the count comes out short, by a different number each run: threads read the counter, another writes it, and the first write overwrites the second. fix 1 (a Lock around each change) is exact. With the GIL on, the switch comes only between statements here (as in CPython 3.10+), so nothing is lost either.", port!("pitfall_race.rs", pitfall_race::main))
        .with_params(&[
            Param { name: "threads", label: "threads", kind: ParamKind::Int { min: 1, max: 64 }, default: "4" },
            Param { name: "increments", label: "increments per thread", kind: ParamKind::Int { min: 1, max: 10_000_000 }, default: "5000000" },
            Param { name: "fix", label: "fix (0 none, 1 a Lock)", kind: ParamKind::Int { min: 0, max: 1 }, default: "0" },
        ])
        .without_code()
        .gil_off(),
    ex("pitfall-deadlock", 11, "Deadlock", (37, 39), "fix 0: A holds record 1 and waits for record 2, B the reverse; the page detects the deadlock and draws who waits for whom; Stop ends it. fix 1 (one lock order) and fix 2 (timeout and back off) finish. With processes 1 the same happens between two processes on multiprocessing locks, and is drawn the same way.", port!("pitfall_deadlock.rs", pitfall_deadlock::main))
        .with_params(&[
            Param { name: "fix", label: "fix (0 none, 1 lock order, 2 timeout)", kind: ParamKind::Int { min: 0, max: 2 }, default: "0" },
            Param { name: "processes", label: "A and B are (0 threads, 1 processes)", kind: ParamKind::Int { min: 0, max: 1 }, default: "0" },
        ])
        .without_code(),
    ex("pitfall-livelock", 11, "Livelock", (41, 45), "fix 0: A and B each take their own record, find the other's taken, give theirs back and try again, in step: their tries climb (a line every 25) and no transfer is done, while neither is blocked. Stop ends it (or give_up tries). fix 1 (a random wait before each try) lets one through within a few tries.", port!("pitfall_livelock.rs", pitfall_livelock::main))
        .with_params(&[
            Param { name: "fix", label: "fix (0 none, 1 random back-off)", kind: ParamKind::Int { min: 0, max: 1 }, default: "0" },
            Param { name: "give_up", label: "give up after (tries, 0 never)", kind: ParamKind::Int { min: 0, max: 1_000_000 }, default: "0" },
        ])
        .without_code()
        .gil_off(),
    ex("pitfall-starvation", 11, "Starvation", (32, 34), "fix 0: on an unfair Lock the greedy thread, which asks again the moment it lets go, gets most of the turns (about three in four in Chromium here) while the polite one waits (see the timeline). fix 1 (a fair, first-come-first-served lock) shares them about evenly.", port!("pitfall_starvation.rs", pitfall_starvation::main))
        .with_params(&[
            seconds("seconds", "run for (s)", "1"),
            Param { name: "fix", label: "fix (0 unfair Lock, 1 fair lock)", kind: ParamKind::Int { min: 0, max: 1 }, default: "0" },
        ])
        .without_code()
        .gil_off(),
    ex("gil", 11, "The GIL, run", (69, 83), "With the GIL on, 2 and 4 threads take as long as one (about 1.0x): the timeline shows one thread running at a time, the others waiting for the GIL. With it off, 2 threads are faster on two cores (1.6-1.7x here), and 4 no faster than 2.", port!("gil_demo.rs", gil_demo::main))
        .with_params(&[Param { name: "steps", label: "steps of work", kind: ParamKind::Int { min: 1, max: 2_000_000_000 }, default: "400000000" }])
        .without_code(),
    ex("io-bound", 11, "Waiting work: threads win too", (85, 89), "Threads finish the downloads (sleeps) about n times faster than one after another, GIL or not: a waiting thread lets go of the GIL. Processes overlap them as well, but pay their start.", port!("io_bound.rs", io_bound::main))
        .with_params(&[
            Param { name: "downloads", label: "downloads", kind: ParamKind::Int { min: 1, max: 32 }, default: "8" },
            seconds("sleep", "each download (s)", "0.2"),
        ])
        .without_code(),
];

pub fn find(id: &str) -> Option<&'static Example> {
    CATALOGUE.iter().find(|e| e.id == id)
}
