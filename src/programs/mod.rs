//! Every program a process of the playground can run, by id: the tutorial's examples, the
//! benchmark's programs, and (in test builds) the browser tests' own. One registry above
//! `examples` and `bench`, so neither knows the other; `run` is what a run's first process
//! does with `pp:run` (the playground registers it as its program runner: see `ui`).

#[cfg(feature = "fixtures")]
mod fixtures;

use crate::params::{self, Param, ParamKind, Params, RunOptions};
use pp_runtime::runtime::Runtime;
use pp_runtime::PyResult;

/// A runnable program: its parameters, how it starts (the GIL on or off), its code.
#[derive(Clone, Copy)]
pub struct Program {
    pub params: &'static [Param],
    pub options: RunOptions,
    pub main: fn(&Params) -> PyResult<()>,
}

/// The benchmarks measure the bare primitives.
const NO_GIL: RunOptions = RunOptions { gil: false };

const fn bare(main: fn(&Params) -> PyResult<()>) -> Program {
    Program { params: &[], options: NO_GIL, main }
}

/// The benchmarks (`#/bench`, `scripts/bench.sh`), measured with the GIL off.
static BENCHMARKS: &[(&str, Program)] = &[
    ("bench-processes", bare(crate::bench::processes_program)),
    (
        "bench-cpu",
        Program {
            params: &[
                Param {
                    name: "n",
                    label: "n",
                    kind: ParamKind::Int { min: 1, max: 2_000_000_000 },
                    default: "20000000",
                },
                Param { name: "passes", label: "passes", kind: ParamKind::Int { min: 1, max: 50 }, default: "1" },
            ],
            options: NO_GIL,
            main: crate::bench::cpu_program,
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
];
#[cfg(not(feature = "fixtures"))]
static FIXTURES: &[(&str, Program)] = &[];

/// The program a process runs for `id`.
pub fn program(id: &str) -> Option<Program> {
    if let Some(e) = crate::examples::find(id) {
        return Some(Program { params: e.params, options: e.options, main: e.main });
    }
    BENCHMARKS.iter().chain(FIXTURES).find(|(name, _)| *name == id).map(|(_, p)| *p)
}

/// Runs the program `id` with the parameters of `query` as the process's program; returns the
/// exit code. Bad parameters end the run with a ValueError that says why (the page validates
/// first; an address can still carry anything).
pub fn run(rt: &'static Runtime, id: &str, query: &str) -> i32 {
    let query = params::parse_query(query);
    let program = program(id);
    let options = program.as_ref().map_or(crate::examples::CPYTHON, |p| p.options);
    let split = params::split_run_options(&query, options);
    let gil = split.as_ref().is_ok_and(|(o, _)| o.gil);
    let exit = pp_program::run_main_on(rt, gil, || {
        let program = program.ok_or_else(|| pp_runtime::PyErr::value_error(format!("no example {id:?}")))?;
        let (_, raw) = split.map_err(pp_runtime::PyErr::value_error)?;
        let params = params::parse(program.params, &raw).map_err(|errors| {
            pp_runtime::PyErr::value_error(errors.into_iter().map(|(_, e)| e).collect::<Vec<_>>().join("; "))
        })?;
        (program.main)(&params)
    });
    exit.code
}
