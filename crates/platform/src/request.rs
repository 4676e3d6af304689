//! What a run's first process is asked to run: decided and checked once, by the page, and
//! read as it is by the module that runs it (the playground's ports or the Python
//! interpreter). It crosses to the worker inside `pp:run`, typed: no query string is parsed
//! twice, and both modules read the same options.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRequest {
    pub program: Program,
    pub options: RunOptions,
    /// An order to replay: the run's threads pass their scheduling points in the order a
    /// shaken run of the same program recorded (`pp_runtime::watch::order`). Only the run's
    /// first process.
    #[serde(default)]
    pub replay: Option<Replay>,
}

/// A recorded order of a run's scheduling points: each time another thread than the last
/// passed one, from which pass on (counting from 0), which thread, and where it stood.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replay {
    pub switches: Vec<Switch>,
}

/// From pass `at` on, `thread` (the process's `thread`-th thread started, from 1) passes the points,
/// the first of them `point` (a `pp_runtime::watch::step::Point` as u32) on the program's
/// `line` (0: none). A switch of thread 0 ends the record (it was cut there).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Switch {
    pub at: u32,
    pub thread: u32,
    pub point: u32,
    pub line: u32,
}

/// Which program.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Program {
    /// A program of the module's registry (an example's Rust port, a benchmark), by id, with
    /// its parameters' values.
    Registered { id: String, params: Vec<ParamValue> },
    /// Source text, for a module that runs source (the Python interpreter): `__main__`.
    Source(String),
}

/// How a run runs, whatever its program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunOptions {
    /// The simulated GIL on (as the tutorial's CPython ran) or off (free-threaded).
    pub gil: bool,
    /// Shake the run with this seed (random pauses at the runtime's scheduling points, see
    /// `pp_runtime::watch::shake`); `None`: a plain run.
    #[serde(default)]
    pub shake: Option<u32>,
    /// Step the run: its threads wait at each scheduling point for the learner's go
    /// (`pp_runtime::watch::step`). Only the run's first process.
    #[serde(default)]
    pub step: bool,
}

/// A parameter's value, by the parameter's name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParamValue {
    pub name: String,
    pub value: Number,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl RunRequest {
    /// The registered program `id` with `params`.
    pub fn registered(id: impl Into<String>, params: Vec<ParamValue>, options: RunOptions) -> RunRequest {
        RunRequest { program: Program::Registered { id: id.into(), params }, options, replay: None }
    }

    /// `source` as `__main__`.
    pub fn source(text: impl Into<String>, options: RunOptions) -> RunRequest {
        RunRequest { program: Program::Source(text.into()), options, replay: None }
    }
}
