//! An example page's own state (which tab, the form's fields, the GIL switch, the time limit,
//! the Python module's load) as a reducer: [`ExampleForm::act`] applies an [`ExampleAction`],
//! and what the page derives from it (whether Run may run, the run's request, the address to
//! remember) is computed here. Plain Rust, built and tested natively; the component
//! (`components::example`) only renders it and dispatches.

use super::address::{Address, Mode};
use super::step::{decode_schedule, Schedule};
use crate::examples::{python_tab, Example, PythonTab};
use crate::i18n::{self, Lang};
use crate::params::parse_switch;
use pp_platform::request::{Replay, RunOptions, RunRequest};
use std::rc::Rc;

/// How a run is started: plainly, shaken with a seed (Shake, Prove it), replaying a shaken
/// run's recorded order, or stepped (the learner is the scheduler).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Launch {
    Plain,
    Shaken(u32),
    Replayed(Rc<Replay>),
    Stepped,
}

/// A run's time limit unless the learner sets another, in seconds.
pub const DEFAULT_TIME_LIMIT_S: u32 = 60;
/// The longest time limit a learner may set, in seconds.
pub const MAX_TIME_LIMIT_S: u32 = 3600;

/// The page's own address parameters, beside the example's.
/// No example's parameter may take one of these names (a test holds the catalogue to it): the
/// gil example's `steps` (of work) once shared a name with the stepped schedule.
const PAGE_KEYS: &[&str] = &["gil", "mode", "code", "lang", "limit", "shake", "schedule"];

/// The stepped schedule's key before it was `schedule`: still read from the links made then,
/// where the example has no parameter of that name.
const OLD_SCHEDULE_KEY: &str = "steps";

/// How far the Python module's load is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Progress {
    /// Bytes received of the total.
    Downloading {
        received: f64,
        total: f64,
    },
    Compiling,
}

/// Where the Python module is, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    Loading(Option<Progress>),
    Ready,
    Failed(String),
}

#[derive(Clone)]
pub struct ExampleForm {
    pub example: &'static Example,
    pub mode: Mode,
    /// The Rust port's fields, as typed.
    pub values: Vec<String>,
    pub gil: bool,
    /// The time limit's field, as typed.
    pub limit: String,
    pub load: Load,
    /// Bumped by Try again: the page loads the module once more.
    pub load_attempt: u32,
    /// Runs of a Shake or a Prove it, if the address says (`shake=N`).
    pub shake_runs: Option<u32>,
    /// A stepped run's schedule a link gave (`schedule=`), to play back.
    pub schedule: Option<Schedule>,
}

/// Two forms are the same form of the same example (by its id) holding the same values.
impl PartialEq for ExampleForm {
    fn eq(&self, other: &Self) -> bool {
        self.example.id == other.example.id
            && (&self.mode, &self.values, self.gil, &self.limit, &self.load, self.load_attempt)
                == (&other.mode, &other.values, other.gil, &other.limit, &other.load, other.load_attempt)
    }
}

impl std::fmt::Debug for ExampleForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExampleForm")
            .field("example", &self.example.id)
            .field("mode", &self.mode)
            .field("values", &self.values)
            .field("gil", &self.gil)
            .field("limit", &self.limit)
            .field("load", &self.load)
            .finish()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExampleAction {
    Param(usize, String),
    Gil(bool),
    Limit(String),
    Mode(Mode),
    Load(Load),
    /// Try loading the Python module again.
    Retry,
}

impl ExampleForm {
    /// The form as `query` (the address's pairs) opens it; `python_ready` when this page
    /// already loaded the Python module.
    pub fn new(example: &'static Example, query: &[(String, String)], python_ready: bool) -> ExampleForm {
        let url = |key: &str| url_value(query, key);
        ExampleForm {
            example,
            mode: initial_mode(python_tab(example.id), url("mode")).0,
            values: example
                .params
                .iter()
                .map(|p| url(p.name).map_or_else(|| p.default.to_string(), str::to_string))
                .collect(),
            gil: url("gil").and_then(parse_switch).unwrap_or(example.options.gil),
            limit: url("limit").and_then(parse_limit).unwrap_or(DEFAULT_TIME_LIMIT_S).to_string(),
            load: if python_ready { Load::Ready } else { Load::Loading(None) },
            load_attempt: 0,
            shake_runs: url("shake").and_then(parse_shake_runs),
            schedule: schedule_value(example, query).and_then(decode_schedule),
        }
    }

    pub fn act(&mut self, action: ExampleAction) {
        match action {
            ExampleAction::Param(i, v) => {
                if let Some(slot) = self.values.get_mut(i) {
                    *slot = v;
                }
            }
            ExampleAction::Gil(on) => self.gil = on,
            ExampleAction::Limit(text) => self.limit = text,
            ExampleAction::Mode(mode) => self.mode = mode,
            ExampleAction::Load(load) => self.load = load,
            ExampleAction::Retry => {
                self.load = Load::Loading(None);
                self.load_attempt += 1;
            }
        }
    }

    /// The time limit, if its field holds one.
    pub fn limit_s(&self) -> Option<u32> {
        parse_limit(&self.limit)
    }

    /// Whether every field of the Rust port holds a value of its parameter.
    pub fn valid(&self) -> bool {
        self.example.params.iter().zip(&self.values).all(|(p, v)| p.check(v).is_ok())
    }

    /// Whether Run may run: shared memory, a time limit, and what the tab needs.
    pub fn can_run(&self, isolated: bool) -> bool {
        isolated
            && self.limit_s().is_some()
            && match self.mode {
                Mode::Rust => self.valid(),
                Mode::Python => self.load == Load::Ready,
            }
    }

    fn param_pairs(&self) -> Vec<(String, String)> {
        self.example.params.iter().zip(&self.values).map(|(p, v)| (p.name.to_string(), v.trim().to_string())).collect()
    }

    /// The Rust port's run as the form holds it (`None` while a field is wrong).
    pub fn rust_request(&self) -> Option<RunRequest> {
        let mut pairs = self.param_pairs();
        pairs.push(("gil".to_string(), if self.gil { "on" } else { "off" }.to_string()));
        crate::programs::request(self.example.id, &pairs).ok()
    }

    /// The Python tab's run of `source`.
    pub fn python_request(&self, source: &str) -> RunRequest {
        RunRequest::source(source, RunOptions { gil: self.gil, shake: None, step: false })
    }

    /// The run the tab holds (`source`: the Python tab's program), run as `how` says;
    /// `None` while a field of the Rust port is wrong.
    pub fn request(&self, source: &str, how: Launch) -> Option<RunRequest> {
        let mut request = match self.mode {
            Mode::Rust => self.rust_request()?,
            Mode::Python => self.python_request(source),
        };
        match how {
            Launch::Plain => {}
            Launch::Shaken(seed) => request.options.shake = Some(seed),
            Launch::Replayed(replay) => request.replay = Some(Replay::clone(&replay)),
            Launch::Stepped => request.options.step = true,
        }
        Some(request)
    }

    /// The address that reproduces what the form holds: the tab (where there are two), the
    /// Rust port's parameters or the shared program, the GIL, a time limit not the default.
    pub fn address(&self, shared_program: Option<&str>) -> Address {
        let limit = self.limit_s().filter(|&s| s != DEFAULT_TIME_LIMIT_S);
        let two_tabs = python_tab(self.example.id).is_some();
        match self.mode {
            Mode::Rust => Address {
                mode: two_tabs.then_some(Mode::Rust),
                params: self.param_pairs(),
                gil: Some(self.gil),
                limit,
                ..Address::example(self.example.id)
            },
            Mode::Python => Address {
                mode: Some(Mode::Python),
                gil: Some(self.gil),
                limit,
                code: shared_program.map(str::to_string),
                ..Address::example(self.example.id)
            },
        }
    }
}

fn url_value<'q>(query: &'q [(String, String)], key: &str) -> Option<&'q str> {
    query.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn is_old_schedule_key(example: &Example, key: &str) -> bool {
    key == OLD_SCHEDULE_KEY && !example.params.iter().any(|p| p.name == key)
}

fn schedule_value<'q>(example: &Example, query: &'q [(String, String)]) -> Option<&'q str> {
    url_value(query, "schedule")
        .or_else(|| url_value(query, OLD_SCHEDULE_KEY).filter(|_| is_old_schedule_key(example, OLD_SCHEDULE_KEY)))
}

fn parse_shake_runs(raw: &str) -> Option<u32> {
    raw.trim().parse::<u32>().ok().filter(|n| (1..=crate::ui::shake::MAX_SHAKE_RUNS).contains(n))
}

fn parse_limit(raw: &str) -> Option<u32> {
    raw.trim().parse::<u32>().ok().filter(|s| (1..=MAX_TIME_LIMIT_S).contains(s))
}

/// The tab to open: the address's `mode`, else Python where the example has a Python tab,
/// else the Rust port; and what was wrong with the address's `mode`.
fn initial_mode(tab: Option<&PythonTab>, asked: Option<&str>) -> (Mode, Option<ModeProblem>) {
    let default = if tab.is_some() { Mode::Python } else { Mode::Rust };
    match asked.map(str::trim) {
        None => (default, None),
        Some("python") if tab.is_some() => (Mode::Python, None),
        Some("python") => (Mode::Rust, Some(ModeProblem::NoPython)),
        Some("rust") => (Mode::Rust, None),
        Some(other) => (default, Some(ModeProblem::Unknown(other.to_string()))),
    }
}

enum ModeProblem {
    NoPython,
    Unknown(String),
}

/// What is wrong with the address `query` of `example`, in the learner's language: unknown
/// parameters, a bad switch, limit or tab. (A bad `code=` is the editor's to say.)
pub fn address_warnings(example: &Example, query: &[(String, String)], l: Lang) -> Vec<String> {
    let mut warnings: Vec<String> = query
        .iter()
        .filter(|(k, _)| {
            !PAGE_KEYS.contains(&k.as_str())
                && !example.params.iter().any(|p| p.name == k)
                && !is_old_schedule_key(example, k)
        })
        .map(|(k, _)| i18n::url_unknown_parameter(k, l))
        .collect();
    if let Some(v) = url_value(query, "gil").filter(|v| parse_switch(v).is_none()) {
        warnings.push(i18n::url_bad_switch("gil", v, l));
    }
    if let Some(v) = url_value(query, "limit").filter(|v| parse_limit(v).is_none()) {
        warnings.push(i18n::url_bad_limit(v, l));
    }
    if let Some(v) = url_value(query, "shake").filter(|v| parse_shake_runs(v).is_none()) {
        warnings.push(i18n::url_bad_shake(v, l));
    }
    if let Some(v) = schedule_value(example, query).filter(|v| decode_schedule(v).is_none()) {
        warnings.push(i18n::url_bad_schedule(v, l));
    }
    match initial_mode(python_tab(example.id), url_value(query, "mode")).1 {
        Some(ModeProblem::NoPython) => warnings.push(i18n::url_no_python(l).into()),
        Some(ModeProblem::Unknown(mode)) => warnings.push(i18n::url_bad_mode(&mode, l)),
        None => {}
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use pp_platform::request::Program;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn example(id: &str) -> &'static Example {
        crate::examples::find(id).unwrap()
    }

    #[test]
    fn the_form_opens_as_the_address_says() {
        let form = ExampleForm::new(example("lock-counter"), &pairs(&[("threads", "8"), ("gil", "off")]), false);
        assert_eq!(form.mode, Mode::Python, "a tab that runs the cell opens first");
        assert_eq!(form.values[0], "8");
        assert!(!form.gil);
        assert_eq!(form.limit_s(), Some(DEFAULT_TIME_LIMIT_S));
        assert_eq!(form.load, Load::Loading(None));
        let rust = ExampleForm::new(example("lock-counter"), &pairs(&[("mode", "rust"), ("limit", "5")]), true);
        assert_eq!((rust.mode, rust.limit_s(), rust.load.clone()), (Mode::Rust, Some(5), Load::Ready));
    }

    #[test]
    fn a_schedule_in_the_address_is_kept_or_flagged() {
        let ex = example("pitfall-race");
        let form = ExampleForm::new(ex, &pairs(&[("schedule", "0.1.1.0")]), false);
        assert_eq!(form.schedule, Some(Schedule { picks: vec![0, 1, 1, 0], free: false }));
        let bad = pairs(&[("schedule", "0.x")]);
        assert_eq!(ExampleForm::new(ex, &bad, false).schedule, None);
        assert!(address_warnings(ex, &bad, Lang::En).iter().any(|w| w.contains("schedule")), "a bad schedule is said");
        assert_eq!(address_warnings(ex, &pairs(&[("schedule", "2.0")]), Lang::En), Vec::<String>::new());
        let old = pairs(&[("steps", "2.0")]);
        assert_eq!(ExampleForm::new(ex, &old, false).schedule, Some(Schedule { picks: vec![2, 0], free: false }));
        assert_eq!(address_warnings(ex, &old, Lang::En), Vec::<String>::new(), "a link of before is still read");
        let stepped = form.request("print(1)", Launch::Stepped).unwrap();
        assert!(stepped.options.step && stepped.options.shake.is_none());
    }

    #[test]
    fn an_example_parameter_is_never_read_as_the_page_s_own() {
        for ex in crate::examples::CATALOGUE {
            for p in ex.params {
                assert!(!PAGE_KEYS.contains(&p.name), "{}: `{}` is the page's own key", ex.id, p.name);
            }
        }
        // The gil example's steps of work, as its form writes them to the address.
        let gil = example("gil");
        let form = ExampleForm::new(gil, &pairs(&[("mode", "rust"), ("steps", "1000")]), false);
        assert_eq!((form.values[0].as_str(), form.schedule.is_none()), ("1000", true));
        assert_eq!(address_warnings(gil, &pairs(&[("steps", "1000")]), Lang::En), Vec::<String>::new());
        let stepped = Address { schedule: Some("1.0".into()), ..form.address(None) }.hash();
        assert_eq!(stepped.matches("steps=").count(), 1, "{stepped}");
        assert!(stepped.contains("schedule=1.0"), "{stepped}");
    }

    #[test]
    fn run_follows_the_fields_and_the_tab() {
        let mut form = ExampleForm::new(example("lock-counter"), &pairs(&[("mode", "rust")]), false);
        assert!(form.can_run(true) && !form.can_run(false));
        form.act(ExampleAction::Param(0, "0".into()));
        assert!(!form.can_run(true), "threads=0 is out of range");
        assert_eq!(form.rust_request(), None);
        form.act(ExampleAction::Param(0, "3".into()));
        form.act(ExampleAction::Limit("99999".into()));
        assert!(!form.can_run(true), "a limit beyond an hour");
        form.act(ExampleAction::Limit("30".into()));
        form.act(ExampleAction::Mode(Mode::Python));
        assert!(!form.can_run(true), "the Python module is not loaded");
        form.act(ExampleAction::Load(Load::Ready));
        assert!(form.can_run(true));
        form.act(ExampleAction::Retry);
        assert_eq!((form.load.clone(), form.load_attempt), (Load::Loading(None), 1));
    }

    #[test]
    fn the_request_and_the_address_are_what_the_form_holds() {
        let mut form = ExampleForm::new(example("lock-counter"), &pairs(&[("mode", "rust")]), true);
        form.act(ExampleAction::Param(0, " 4 ".into()));
        form.act(ExampleAction::Gil(false));
        let request = form.rust_request().unwrap();
        assert!(!request.options.gil);
        assert!(matches!(request.program, Program::Registered { ref id, .. } if id == "lock-counter"));
        assert_eq!(form.address(None).hash(), "#/ex/lock-counter?mode=rust&threads=4&increments=1000&gil=off");
        form.act(ExampleAction::Mode(Mode::Python));
        form.act(ExampleAction::Limit("90".into()));
        assert_eq!(form.address(None).hash(), "#/ex/lock-counter?mode=python&gil=off&limit=90");
        assert!(matches!(form.python_request("print(1)").program, Program::Source(ref s) if s == "print(1)"));
    }

    #[test]
    fn a_wrong_address_says_what_is_wrong() {
        let ex = example("lock-counter");
        let w = address_warnings(
            ex,
            &pairs(&[("thread", "3"), ("gil", "maybe"), ("limit", "0"), ("mode", "go")]),
            Lang::En,
        );
        assert_eq!(w.len(), 4, "{w:?}");
        assert!(address_warnings(ex, &pairs(&[("threads", "3"), ("gil", "on")]), Lang::En).is_empty());
    }
}
