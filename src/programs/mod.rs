//! Every program a process of the playground can run, by id: the tutorial's examples, the
//! benchmark's programs, and (in test builds) the browser tests' own. One registry above
//! `examples` and `bench`, so neither knows the other; `run` is what a run's first process
//! does with `pp:run` (the playground registers it as its program runner: see `ui`).

#[cfg(feature = "fixtures")]
mod fixtures;

use crate::params::{self, Param, ParamKind, Params, RunOptions};
use pp_platform::request::{self, RunRequest};
use pp_runtime::runtime::Runtime;
use pp_runtime::{PyErr, PyResult};

/// A runnable program: its parameters, how it starts (the GIL on or off), its code.
#[derive(Clone, Copy)]
pub struct Program {
    pub params: &'static [Param],
    pub options: RunOptions,
    pub main: fn(&Params) -> PyResult<()>,
}

/// The benchmarks measure the bare primitives.
const NO_GIL: RunOptions = RunOptions { gil: false, shake: None, step: false };

/// The CPU job's size (`bench::job`; below 2^32, where its terms' squares fit in 64 bits).
const fn job_size(default: &'static str) -> Param {
    Param { name: "n", label: "n", kind: ParamKind::Int { min: 1, max: 2_000_000_000 }, default }
}

/// How many passes a measurement's median is taken over.
const fn passes(default: &'static str) -> Param {
    Param { name: "passes", label: "passes", kind: ParamKind::Int { min: 1, max: 50 }, default }
}

/// A fixture: no parameters, GIL off.
#[cfg(feature = "fixtures")]
const fn bare(main: fn(&Params) -> PyResult<()>) -> Program {
    Program { params: &[], options: NO_GIL, main }
}

/// The benchmarks (`#/bench`, `scripts/bench.sh`), measured with the GIL off.
static BENCHMARKS: &[(&str, Program)] = &[
    (
        "bench-processes",
        Program {
            params: &[Param {
                name: "warm",
                label: "warm child processes the host keeps",
                kind: ParamKind::Int { min: 0, max: 64 },
                default: "0",
            }],
            options: NO_GIL,
            main: crate::bench::processes_program,
        },
    ),
    (
        "bench-cpu",
        Program { params: &[job_size("20000000"), passes("1")], options: NO_GIL, main: crate::bench::cpu_program },
    ),
    (
        "bench-crossover",
        Program {
            params: &[
                Param {
                    name: "from",
                    label: "smallest n, as a power of 2",
                    kind: ParamKind::Int { min: 1, max: 30 },
                    default: "14",
                },
                Param {
                    name: "top",
                    label: "largest n, as a power of 2",
                    kind: ParamKind::Int { min: 1, max: 30 },
                    default: "23",
                },
                passes("3"),
                Param {
                    name: "pause",
                    label: "pause before a pass (s)",
                    kind: ParamKind::Float { min: 0.0, max: 10.0 },
                    default: "1.2",
                },
            ],
            options: NO_GIL,
            main: crate::bench::crossover_program,
        },
    ),
    (
        "bench-scaling",
        Program {
            params: &[
                job_size("30000000"),
                Param {
                    name: "max",
                    label: "most workers (0: the machine's cores)",
                    kind: ParamKind::Int { min: 0, max: 64 },
                    default: "0",
                },
                passes("3"),
            ],
            options: NO_GIL,
            main: crate::bench::scaling_program,
        },
    ),
    (
        "bench-threading",
        Program {
            params: &[Param {
                name: "spin",
                label: "futex spin iterations (-1: the platform's default)",
                kind: ParamKind::Int { min: -1, max: 1_000_000 },
                default: "-1",
            }],
            options: NO_GIL,
            main: crate::bench::threading_program,
        },
    ),
];

/// The browser tests' programs.
#[cfg(feature = "fixtures")]
static FIXTURES: &[(&str, Program)] = &[
    ("test-terminate-busy", bare(fixtures::terminate_busy_program)),
    ("test-pool-trap", bare(fixtures::pool_trap_program)),
    ("test-process-modes", bare(fixtures::process_modes_program)),
    ("test-child-assert", bare(fixtures::child_assert_program)),
    ("test-other-module", bare(fixtures::other_module_program)),
];
#[cfg(not(feature = "fixtures"))]
static FIXTURES: &[(&str, Program)] = &[];

/// Registers what every program of the playground may run in a child process or a pool's
/// worker (each instance of the module does this when it starts: a child finds its target
/// by name), and from then on only that: a target missing from the lists fails `start()`
/// where the run would have needed it, with a message, natively as in the browser.
pub fn register_targets() {
    let targets = crate::examples::registered_targets().into_iter().chain(crate::bench::registered_targets());
    #[cfg(feature = "fixtures")]
    let targets = targets.chain(fixtures::registered_targets());
    pp_multiprocessing::register_targets(targets);
}

/// The program a process runs for `id`.
pub fn program(id: &str) -> Option<Program> {
    if let Some(e) = crate::examples::find(id) {
        return Some(Program { params: e.params, options: e.options, main: e.main });
    }
    BENCHMARKS.iter().chain(FIXTURES).find(|(name, _)| *name == id).map(|(_, p)| *p)
}

/// The request for program `id` with an address's `raw` (name, value) pairs: the run's options
/// (`gil=on|off`, else the program's own) and its parameters, each checked and typed here, once
/// (the page's form and address, the benchmark and the browser tests all ask through this).
pub fn request(id: &str, raw: &[(String, String)]) -> Result<RunRequest, Vec<(String, String)>> {
    let program = program(id).ok_or_else(|| vec![(String::new(), format!("no example {id:?}"))])?;
    let (options, raw) = params::split_run_options(raw, program.options).map_err(|e| vec![("gil".to_string(), e)])?;
    let params = params::parse(program.params, &raw)?;
    Ok(RunRequest::registered(id, params.to_values(), options))
}

/// [`request()`] from a query string (`a=1&b=2`).
pub fn request_from_query(id: &str, query: &str) -> Result<RunRequest, Vec<(String, String)>> {
    request(id, &params::parse_query(query))
}

/// Runs the program a run's first process was asked for (`pp:run`); returns the exit code.
/// Parameters that do not fit the program end the run with a ValueError that says why (the
/// page checks them first; the program's declaration is checked here again).
pub fn run(rt: &'static Runtime, request: &RunRequest) -> i32 {
    let exit = pp_program::run_main_on(rt, request.options, request.replay.clone(), || {
        let (id, given) = match &request.program {
            request::Program::Registered { id, params } => (id, params),
            request::Program::Source(_) => {
                return Err(PyErr::value_error("the playground's module runs no source text"))
            }
        };
        let program = program(id).ok_or_else(|| PyErr::value_error(format!("no example {id:?}")))?;
        let params = params::from_values(program.params, given).map_err(PyErr::value_error)?;
        (program.main)(&params)
    });
    exit.code
}
