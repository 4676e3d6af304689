//! Starts, watches and stops runs for the page. Everything here is called on the page's
//! main thread and never waits: it posts to workers, reads the run's memory, and polls on a
//! timer.
//!
//! A run's first process runs one of two modules ([`Engine`]): this one (the Rust ports)
//! or the Python interpreter (the Python tab; loaded when first needed). For each, a warm
//! spare process (booted, its workers requested; for Python, its interpreter built) is kept
//! ready, so that Run starts the program at once; the next spare boots when the run ends.

use super::state::RunAction;
use pp_runtime::watch::graph::{self, WaitEdge};
use pp_runtime::watch::step::{self, Choice};
use pp_web::host::{Host, Module, ProcessEvent, Run};
use pp_web::js;
use pp_web::RunRequest;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::Callback;

/// How often the page reads a running process (ms).
const POLL_MS: i32 = 16;
/// How often it reads it in the run's first `QUICK_POLLS` reads: a run's first line, which a
/// learner waits for, shows without waiting for the next 16 ms tick (a read that finds
/// nothing costs a few µs). Browsers make a timeout nested this deep at least 4 ms.
const QUICK_POLL_MS: i32 = 4;
const QUICK_POLLS: u32 = 25;
/// How often a live run's wall time is redrawn when nothing else changes (ms). Each redraw
/// is the page's (the timeline's scale moves), on cores the program wants: through the
/// tutorial's benchmark cell the main thread was busy 15% of the time at 100 ms, 11% at 250
/// and at once a second (BENCHMARKS.md, the twelfth session).
const CLOCK_MS: f64 = 250.0;
/// How often the page looks for a deadlock (ms): reading the processes' tables is cheap, and
/// a deadlock is reported `DEADLOCK_AFTER_MS` after it formed, give or take this.
const WATCH_MS: f64 = 100.0;
/// A wait-for cycle must stay, with the very same waits, this long to be a deadlock (ms):
/// one snapshot is not atomic across the table's slots.
const DEADLOCK_AFTER_MS: f64 = 500.0;

/// This module's name for the host: a child process of a Python run may name it
/// (`Process::in_module`), as a port's may name [`super::lazy::PYTHON_MODULE`].
pub const PORTS_MODULE: &str = "playground";

type Events = Rc<RefCell<Vec<ProcessEvent>>>;

/// What a run's first process runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// This module: the catalogue's Rust ports and the benchmark.
    Ports,
    /// The Python module: a program's source.
    Python,
}

struct Booting {
    process: Run,
    events: Events,
}

struct Current {
    run: u64,
    process: Run,
    events: Events,
    engine: Engine,
    /// Posted to the process once it is ready.
    pending: Option<RunRequest>,
    /// Programs to run after this one, each in a fresh process (the benchmark page).
    rest: VecDeque<RunRequest>,
    dispatch: Callback<RunAction>,
    cycle: Option<(Vec<(graph::ThreadKey, u32)>, f64)>,
    deadlock_reported: bool,
    last_tick: f64,
    last_watch: f64,
    timer: i32,
    _tick: Closure<dyn FnMut()>,
    /// When Run was pressed (`js::now_ms`), and the run's time limit.
    started_ms: f64,
    limit_s: u32,
    /// A stepped run (the learner is the scheduler), and the choices last shown: `None`
    /// until first shown.
    stepping: bool,
    step_shown: Option<Option<Vec<Choice>>>,
    settle: step::Settle,
}

pub struct Runner {
    /// Itself, for what runs later (a timer's callback).
    me: std::rc::Weak<Runner>,
    host: Host,
    /// The warm spares: the ports' and the Python module's.
    spares: RefCell<[Option<Booting>; 2]>,
    /// The Python module, once loaded.
    python: RefCell<Option<Module>>,
    current: RefCell<Option<Current>>,
    next_run: Cell<u64>,
    /// Seconds a run may take before it is stopped (the page's Time limit).
    time_limit_s: Cell<u32>,
}

pub use crate::ui::example_state::DEFAULT_TIME_LIMIT_S;

impl Engine {
    fn slot(self) -> usize {
        self as usize
    }
}

impl Runner {
    pub fn new() -> Rc<Runner> {
        let runner = Rc::new_cyclic(|me| Runner {
            me: me.clone(),
            host: Host::new(),
            spares: RefCell::new([None, None]),
            python: RefCell::new(None),
            current: RefCell::new(None),
            next_run: Cell::new(1),
            time_limit_s: Cell::new(DEFAULT_TIME_LIMIT_S),
        });
        // Without shared memory (no isolation, or a browser without it) a process cannot share
        // its memory with the page: the page says so and disables Run; booting would only fail.
        if js::can_run() {
            runner.boot_spare(Engine::Ports);
        }
        runner
    }

    fn module(&self, engine: Engine) -> Option<Module> {
        match engine {
            Engine::Ports => Some(Module::this(PORTS_MODULE)),
            Engine::Python => self.python.borrow().clone(),
        }
    }

    fn boot_spare(&self, engine: Engine) {
        let Some(module) = self.module(engine) else { return };
        let events: Events = Rc::default();
        let sink = events.clone();
        let me = self.me.clone();
        let on_event = move |e| {
            sink.borrow_mut().push(e);
            // A run's end is drawn at once, not at the next poll (up to 16 ms later).
            poll_soon(&me);
        };
        match self.host.start_process("MainProcess", &module, on_event) {
            Ok(process) => self.spares.borrow_mut()[engine.slot()] = Some(Booting { process, events }),
            Err(e) => web_sys::console::error_1(&format!("could not boot a spare process: {e}").into()),
        }
    }

    /// The time limit of the runs started from now on.
    pub fn set_time_limit(&self, seconds: u32) {
        self.time_limit_s.set(seconds.max(1));
    }

    /// Whether the Python module is loaded (Python runs can start).
    pub fn has_python(&self) -> bool {
        self.python.borrow().is_some()
    }

    /// Takes the loaded Python module; its spare boots now (the interpreter builds while the
    /// learner reads), unless a run is going on (then when it ends).
    pub fn set_python(&self, module: Module) {
        if self.python.borrow().is_some() {
            return;
        }
        *self.python.borrow_mut() = Some(module);
        if self.current.borrow().is_none() && js::can_run() {
            self.boot_spare(Engine::Python);
        }
    }

    /// Starts a program of the playground (a request the page checked: `programs::request`)
    /// and reports through `dispatch`. A run still going is stopped first.
    pub fn start(self: &Rc<Self>, request: RunRequest, dispatch: Callback<RunAction>) {
        self.start_sequence(vec![request], dispatch)
    }

    /// Runs Python source as `__main__` (a `Program::Source` request), once the Python module
    /// is loaded ([`Runner::set_python`]).
    pub fn start_python(self: &Rc<Self>, request: RunRequest, dispatch: Callback<RunAction>) {
        self.begin(Engine::Python, vec![request], dispatch)
    }

    /// Runs programs one after another as one run, each in a fresh process, as long as each
    /// exits with 0.
    pub fn start_sequence(self: &Rc<Self>, requests: Vec<RunRequest>, dispatch: Callback<RunAction>) {
        self.begin(Engine::Ports, requests, dispatch)
    }

    fn begin(self: &Rc<Self>, engine: Engine, requests: Vec<RunRequest>, dispatch: Callback<RunAction>) {
        let mut programs: VecDeque<RunRequest> = requests.into();
        let Some(first) = programs.pop_front() else { return };
        let stepping = first.options.step;
        self.stop();
        let run = self.next_run.get();
        self.next_run.set(run + 1);
        let Some(Booting { process, events }) = self.take_spare(engine) else {
            dispatch.emit(RunAction::Begin { run });
            dispatch.emit(RunAction::Failed {
                run,
                message: "no process could be started (see the browser console)".into(),
            });
            return;
        };
        // A spare that is ready gets its program before the page draws the run's start: the
        // drawing took 8-10 ms of a fresh page's Run to its first line (BENCHMARKS.md, the
        // thirteenth session). Posting can fail only as a closed worker does: told as its error.
        let pending = if take_ready(&events) {
            if let Err(message) = process.run(first) {
                events.borrow_mut().push(ProcessEvent::Error(message));
            }
            None
        } else {
            Some(first)
        };
        dispatch.emit(RunAction::Begin { run });
        let weak = Rc::downgrade(self);
        let tick = Closure::<dyn FnMut()>::new(move || {
            if let Some(runner) = weak.upgrade() {
                runner.poll();
            }
        });
        let timer = web_sys::window()
            .and_then(|w| {
                w.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), POLL_MS).ok()
            })
            .unwrap_or(0);
        *self.current.borrow_mut() = Some(Current {
            run,
            process,
            events,
            engine,
            pending,
            rest: programs,
            dispatch,
            cycle: None,
            deadlock_reported: false,
            last_tick: 0.0,
            last_watch: 0.0,
            timer,
            _tick: tick,
            started_ms: js::now_ms(),
            limit_s: self.time_limit_s.get(),
            stepping,
            step_shown: None,
            settle: step::Settle::default(),
        });
        // The next spare boots when this run ends: booting now would take a core from it.
        self.poll();
        poll_quickly(Rc::downgrade(self), run, QUICK_POLLS);
    }

    /// The warm spare, or a process booting now if there is none (it runs once ready).
    fn take_spare(&self, engine: Engine) -> Option<Booting> {
        if self.spares.borrow()[engine.slot()].is_none() {
            self.boot_spare(engine);
        }
        self.spares.borrow_mut()[engine.slot()].take()
    }

    /// A stepped run: lets `thread` (of the first process, the choice at `place`) go on to
    /// its next point.
    pub fn step(&self, thread: u32, place: usize) {
        if let Some(current) = self.current.borrow_mut().as_mut().filter(|c| c.stepping) {
            current.process.step(Some(thread));
            // Shown as running until it parks again, where it may offer the very same choices.
            current.step_shown = Some(None);
            current.settle = step::Settle::default();
            current.dispatch.emit(RunAction::Stepped { run: current.run, thread, place });
        }
    }

    /// A stepped run goes on by itself from here, for at most `limit_s` more seconds.
    pub fn run_freely(&self, limit_s: u32) {
        if let Some(current) = self.current.borrow_mut().as_mut().filter(|c| c.stepping) {
            current.process.step(None);
            current.stepping = false;
            let elapsed_s = ((js::now_ms() - current.started_ms) / 1000.0).ceil() as u32;
            current.limit_s = elapsed_s.saturating_add(limit_s);
            current.dispatch.emit(RunAction::StepChoices { run: current.run, choices: None, free: true });
        }
    }

    /// Ends the current run at once: all its workers are terminated.
    pub fn stop(&self) {
        if let Some(current) = self.current.borrow_mut().take() {
            if let Ok(processes) = current.process.drain_all() {
                current.dispatch.emit(RunAction::Records { run: current.run, processes });
            }
            finish(&current);
            current.dispatch.emit(RunAction::Stopped { run: current.run });
            // After the page has drawn "stopped": booting the spares in this turn held Stop's
            // answer back (the worst of Stop while printing without end).
            self.restock_next_turn();
        }
    }

    /// Ends a finished run's process and boots the next spares once the page has drawn the
    /// run's end: terminating its workers and booting a spare (workers, memory) take the main
    /// thread a while, and in the same turn they delayed the drawing (a run's first line came
    /// 38 ms after Run).
    fn finish_after_this_turn(&self, current: Current) {
        if let Some(w) = web_sys::window() {
            // No more polls of this run meanwhile.
            w.clear_interval_with_handle(current.timer);
        }
        next_turn(move || finish(&current));
        self.restock_next_turn();
    }

    /// The next runs' spares, in the next turn (the timeouts run in order: after a finished
    /// run's workers ended), unless a run started meanwhile (a Shake's next run, or Run
    /// pressed again): its own end restocks, and booting beside it would take a core from it.
    fn restock_next_turn(&self) {
        let me = self.me.clone();
        next_turn(move || {
            if let Some(runner) = me.upgrade() {
                if runner.current.borrow().is_none() {
                    runner.restock();
                }
            }
        });
    }

    /// After a run: the next runs' spares.
    fn restock(&self) {
        for engine in [Engine::Ports, Engine::Python] {
            if self.spares.borrow()[engine.slot()].is_none() && js::can_run() {
                self.boot_spare(engine);
            }
        }
    }

    fn poll(&self) {
        let mut slot = self.current.borrow_mut();
        let Some(current) = slot.as_mut() else { return };
        let run = current.run;
        let happened: Vec<ProcessEvent> = current.events.borrow_mut().drain(..).collect();
        let mut ended: Option<RunAction> = None;
        for event in happened {
            match event {
                ProcessEvent::Ready => {
                    if let Some(request) = current.pending.take() {
                        if let Err(e) = current.process.run(request) {
                            ended = Some(RunAction::Failed { run, message: e });
                        }
                    }
                }
                ProcessEvent::Exit(0) if !current.rest.is_empty() => {
                    if let Ok(processes) = current.process.drain_all() {
                        current.dispatch.emit(RunAction::Records { run, processes });
                    }
                    match self.take_spare(current.engine) {
                        Some(Booting { process, events }) => {
                            current.process.terminate();
                            current.process = process;
                            current.events = events;
                            current.pending = current.rest.pop_front();
                        }
                        None => {
                            ended = Some(RunAction::Failed { run, message: "no process for the next program".into() })
                        }
                    }
                    // The new process may be ready already: look again at the next tick.
                    break;
                }
                ProcessEvent::Exit(code) => ended = ended.or(Some(RunAction::Exit { run, code })),
                ProcessEvent::Error(message) => ended = ended.or(Some(RunAction::Failed { run, message })),
            }
        }
        let drained = if ended.is_some() { current.process.drain_all() } else { current.process.drain() };
        match drained {
            Ok(processes) if processes.iter().any(|p| !p.records.is_empty()) => {
                current.dispatch.emit(RunAction::Records { run, processes })
            }
            Ok(_) => {}
            Err(e) => ended = ended.or(Some(RunAction::Failed { run, message: format!("unreadable output: {e}") })),
        }
        if current.stepping && ended.is_none() {
            // After the records: the choices name threads the page has just heard of.
            let now = js::now_ms();
            let choices = current.process.root_snapshot().and_then(|s| current.settle.offer(&s, now));
            if current.step_shown.as_ref() != Some(&choices) {
                current.step_shown = Some(choices.clone());
                current.dispatch.emit(RunAction::StepChoices { run, choices, free: false });
            }
        }
        let now = js::now_ms();
        if ended.is_none() && now - current.started_ms >= f64::from(current.limit_s) * 1000.0 {
            ended = Some(RunAction::TimeLimit { run, seconds: current.limit_s });
        }
        if ended.is_none() && now - current.last_tick >= CLOCK_MS {
            current.last_tick = now;
            current.dispatch.emit(RunAction::Tick { run, now_us: pp_platform::clock::stamp_us() });
        }
        if ended.is_none() && now - current.last_watch >= WATCH_MS {
            current.last_watch = now;
            if !current.deadlock_reported {
                if let Some(cycle) = watch_deadlock(current) {
                    current.deadlock_reported = true;
                    current.dispatch.emit(RunAction::Deadlock { run, cycle });
                }
            }
        }
        if let Some(action) = ended {
            let current = slot.take().expect("checked above");
            drop(slot);
            current.dispatch.emit(action);
            self.finish_after_this_turn(current);
        }
    }
}

/// A cycle seen with the same waits for `DEADLOCK_AFTER_MS`, through any processes of the
/// run (a lock of the run's segment is held by a thread of any process).
fn watch_deadlock(current: &mut Current) -> Option<Vec<WaitEdge>> {
    let snapshots = current.process.snapshots();
    let found = graph::deadlock(&snapshots, |at| current.process.segment_word(at))
        .map(|cycle| (graph::signature(&snapshots, &cycle), cycle));
    let Some((signature, cycle)) = found else {
        current.cycle = None;
        return None;
    };
    let now = js::now_ms();
    match &current.cycle {
        Some((seen, since)) if *seen == signature => (now - since >= DEADLOCK_AFTER_MS).then_some(cycle),
        _ => {
            current.cycle = Some((signature, now));
            None
        }
    }
}

/// Takes the `Ready` a booted process told, if it did.
fn take_ready(events: &Events) -> bool {
    let mut events = events.borrow_mut();
    let ready = events.iter().position(|e| matches!(e, ProcessEvent::Ready));
    ready.map(|at| events.remove(at)).is_some()
}

/// Polls in the next turn (not here: an event may come from inside a poll).
fn poll_soon(runner: &std::rc::Weak<Runner>) {
    let me = runner.clone();
    next_turn(move || {
        if let Some(runner) = me.upgrade() {
            runner.poll();
        }
    });
}

/// Polls run `run` every `QUICK_POLL_MS`, `left` times, while it is the current run.
fn poll_quickly(runner: std::rc::Weak<Runner>, run: u64, left: u32) {
    if left == 0 {
        return;
    }
    after_ms(QUICK_POLL_MS, move || {
        let Some(me) = runner.upgrade() else { return };
        if me.current.borrow().as_ref().is_some_and(|c| c.run == run) {
            me.poll();
            poll_quickly(runner, run, left - 1);
        }
    });
}

/// Runs `f` in a later turn of the page's event loop (a zero timeout).
fn next_turn(f: impl FnOnce() + 'static) {
    after_ms(0, f);
}

/// Runs `f` once `ms` have passed, in a turn of the page's event loop of its own.
fn after_ms(ms: i32, f: impl FnOnce() + 'static) {
    let callback = Closure::once_into_js(f);
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms);
    }
}

fn finish(current: &Current) {
    if let Some(w) = web_sys::window() {
        w.clear_interval_with_handle(current.timer);
    }
    current.process.terminate();
}
