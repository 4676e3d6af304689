//! # Parallel Playground
//!
//! Python's `threading`, `queue` and `multiprocessing`, in Rust, running for real on
//! shared-memory web workers in the browser (and on OS threads natively, where the tests
//! run). This crate is the playground, the top of the workspace: the tutorial's examples
//! ported against the runtime's modules, the benchmark's programs, the page. The runtime is
//! the crates below it (`crates/`, see the README's layer picture):
//!
//! | crate | what |
//! |---|---|
//! | `pp-platform` | futex wait/wake, a clock that works on wasm, workers, processes, the shared segment |
//! | `pp-runtime` | one process's state, the watch table, the GIL, `print`, `threading`, `queue` |
//! | `pp-multiprocessing` | `multiprocessing`: processes, queues, pipes, locks, shared values, managers, pools |
//! | `pp-program` | how a program runs and ends (CPython's shutdown), a child process's target |
//! | `pp-web` | (wasm only) the worker side and the host that creates workers |
//!
//! Here, each using only those above it:
//!
//! | module | what |
//! |---|---|
//! | [`params`] | an example's parameters, validated once for the form, the address and the run |
//! | [`examples`], [`bench`](mod@bench) | the tutorial's examples, ported; the benchmark's programs |
//! | [`programs`] | one registry of what a process of the playground can run |
//! | [`status`] | where a run is (the page contract's `data-state`) |
//! | [`i18n`] | the interface in English and Chinese |
//! | `ui` | the yew page (its reducer, `ui::state`, also builds natively) |

pub mod bench;
pub mod examples;
pub mod i18n;
pub mod params;
pub mod programs;
pub mod status;
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub use ui::pp_module_init;
