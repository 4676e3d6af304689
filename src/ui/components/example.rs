//! One example: its two tabs, the learner's Python (run by the Python module) and the Rust
//! port (its parameters); Run and Stop, status and wall time, the console and the timeline,
//! the same for both; the tutorial's text beside. The page's own state is a reducer
//! (`ui::example_state`), which this component renders and dispatches to.

use super::breakdown::Breakdown;
use super::code::Code;
use super::compare::{use_last_two_runs, ComparePanel};
use super::console::Console;
use super::copy::CopyButton;
use super::params::ParamsForm;
use super::prose::prose;
use super::python_panel::PythonPanel;
use super::replay::ReplayPanel;
use super::rust_source::RustSource;
use super::shake::ShakePanel;
use super::step::StepPanel;
use super::timeline::Timeline;
use super::waitfor::WaitForGraph;
use crate::examples::{python_tab, Example, PythonTab};
use crate::i18n::{self, Lang};
use crate::ui::address::{decode_program, Address, Mode};
use crate::ui::example_state::{address_warnings, ExampleAction, ExampleForm, Launch, Load};
use crate::ui::hooks::{use_document_keydown, use_run};
use crate::ui::route::page_link;
use crate::ui::runner::{Runner, DEFAULT_TIME_LIMIT_S};
use crate::ui::shake::{self, Purpose, Replaying, Shake};
use crate::ui::state::Status;
use crate::ui::step::{encode_schedule, Schedule, STEPPED_RUN_LIMIT_S};
use pp_web::js::SharedMemory;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct ExampleProps {
    pub example: &'static Example,
    /// Parameters from the URL.
    pub query: Vec<(String, String)>,
    pub runner: Rc<Runner>,
}

impl PartialEq for ExampleProps {
    fn eq(&self, other: &Self) -> bool {
        self.example.id == other.example.id && self.query == other.query && Rc::ptr_eq(&self.runner, &other.runner)
    }
}

impl Reducible for ExampleForm {
    type Action = ExampleAction;

    fn reduce(self: Rc<Self>, action: ExampleAction) -> Rc<Self> {
        let mut next = (*self).clone();
        next.act(action);
        Rc::new(next)
    }
}

#[function_component(ExamplePage)]
pub fn example_page(props: &ExampleProps) -> Html {
    let ex = props.example;
    let l = use_context::<Lang>().unwrap_or_default();
    let tab = python_tab(ex.id);
    let code = props.query.iter().rev().find(|(k, _)| k == "code").map(|(_, v)| v.clone());
    let mut warnings = address_warnings(ex, &props.query, l);
    if let (Some(Err(why)), Some(_)) = (code.as_deref().map(decode_program), tab) {
        warnings.push(i18n::url_bad_code(why.get(l), l));
    }
    let form = use_reducer(|| ExampleForm::new(ex, &props.query, props.runner.has_python()));
    let python_text: Rc<RefCell<String>> = use_mut_ref(|| initial_text(ex.id, tab, code.as_deref()));
    let shared = code.is_some();
    let run = use_run();
    let memory = pp_web::js::shared_memory();
    let isolated = memory == SharedMemory::Works;

    // Leaving the page ends its run.
    {
        let runner = props.runner.clone();
        use_effect_with((), move |_| move || runner.stop());
    }
    // The Python tab loads the Python module, once per page (a retry after a failure).
    {
        let (runner, form) = (props.runner.clone(), form.clone());
        let wanted = form.mode == Mode::Python && isolated;
        use_effect_with((wanted, form.load_attempt), move |(wanted, _)| {
            if *wanted && !runner.has_python() {
                let progress = form.dispatcher();
                wasm_bindgen_futures::spawn_local(async move {
                    let on_progress = {
                        let progress = progress.clone();
                        move |p| progress.dispatch(ExampleAction::Load(Load::Loading(Some(p))))
                    };
                    match crate::ui::lazy::load_python(on_progress).await {
                        Ok(module) => {
                            runner.set_python(module);
                            progress.dispatch(ExampleAction::Load(Load::Ready));
                        }
                        Err(e) => progress.dispatch(ExampleAction::Load(Load::Failed(e))),
                    }
                });
            }
        });
    }

    let on_param = {
        let form = form.dispatcher();
        Callback::from(move |(i, v): (usize, String)| form.dispatch(ExampleAction::Param(i, v)))
    };
    let on_gil = {
        let form = form.dispatcher();
        Callback::from(move |e: Event| {
            form.dispatch(ExampleAction::Gil(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))
        })
    };
    let on_limit = {
        let form = form.dispatcher();
        Callback::from(move |e: InputEvent| {
            form.dispatch(ExampleAction::Limit(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
        })
    };
    let python_ready = form.load == Load::Ready;
    let can_run = form.can_run(isolated);
    let limit_s = form.limit_s();
    // A Shake or Prove it going on (or the last one made), and the redraw its results need
    // (they change after the run's last action was drawn).
    let shaking: Rc<RefCell<Option<Shake>>> = use_mut_ref(|| None);
    // The replay's moment, of which run (the timeline marks it).
    let cursor = use_state(|| (0u64, 0u64));
    let redraw = use_force_update();
    // Starts a run of what the tab holds: plainly, shaken with a seed, or stepped.
    let launch = {
        let (form, runner, dispatch, text) =
            (form.clone(), props.runner.clone(), run.dispatch.clone(), python_text.clone());
        Callback::from(move |how: Launch| {
            let Some(limit_s) = form.limit_s().filter(|_| form.can_run(isolated)) else { return };
            runner.set_time_limit(match how {
                Launch::Plain => limit_s,
                Launch::Shaken(_) | Launch::Replayed(_) => limit_s.min(shake::SHAKEN_RUN_LIMIT_S),
                // The learner thinks between steps: the form's limit is for a program alone.
                Launch::Stepped => STEPPED_RUN_LIMIT_S,
            });
            let text = text.borrow();
            // A shared program stays in the address (it is kept nowhere else).
            let shared_program = (form.mode == Mode::Python && shared).then_some(text.as_str());
            remember_in_url(&form.address(shared_program));
            // The form was checked (Run is disabled otherwise): there is a request.
            let Some(request) = form.request(&text, how) else { return };
            match form.mode {
                Mode::Rust => runner.start(request, dispatch.clone()),
                Mode::Python => runner.start_python(request, dispatch.clone()),
            }
        })
    };
    // Run and Stop end a Shake going on.
    let start = {
        let (launch, shaking) = (launch.clone(), shaking.clone());
        Callback::from(move |()| {
            shaking.borrow_mut().take();
            launch.emit(Launch::Plain)
        })
    };
    let stop = {
        let (runner, shaking) = (props.runner.clone(), shaking.clone());
        Callback::from(move |()| {
            shaking.borrow_mut().take();
            runner.stop()
        })
    };
    let on_run = start.reform(|_| ());
    let on_stop = stop.reform(|_| ());
    let lab = shake::lab(ex.id);
    let on_shake = {
        let (launch, shaking, run, form) = (launch.clone(), shaking.clone(), run.clone(), form.clone());
        Callback::from(move |purpose: Purpose| {
            let default = if purpose == Purpose::Prove { shake::DEFAULT_PROVE_RUNS } else { shake::DEFAULT_SHAKE_RUNS };
            let check = lab.map_or(shake::Check::Ends, |lab| lab.check);
            let mut s = Shake::new(purpose, form.shake_runs.unwrap_or(default), check);
            launch.emit(s.next_seed().map_or(Launch::Plain, Launch::Shaken));
            s.current = Some(run.state.borrow().run);
            *shaking.borrow_mut() = Some(s);
        })
    };
    let on_shake_cancel = stop.clone();
    // The program a stepped run runs, as it was when Step was pressed: its lines are shown
    // beside the choices and its link carries it, whatever the editor holds by then.
    let stepped_program: Rc<RefCell<Option<Rc<str>>>> = use_mut_ref(|| None);
    let on_step = {
        let (launch, shaking, text, program, mode) =
            (launch.clone(), shaking.clone(), python_text.clone(), stepped_program.clone(), form.mode);
        Callback::from(move |()| {
            shaking.borrow_mut().take();
            *program.borrow_mut() = (mode == Mode::Python).then(|| Rc::from(text.borrow().as_str()));
            launch.emit(Launch::Stepped)
        })
    };
    let on_step_choose = {
        let runner = props.runner.clone();
        Callback::from(move |(thread, place): (u32, usize)| runner.step(thread, place))
    };
    // A schedule's link keeps the program it was made on.
    let step_link = {
        let (form, program) = (form.clone(), stepped_program.clone());
        Callback::from(move |schedule: Schedule| {
            let program = program.borrow().clone();
            let address = Address { schedule: Some(encode_schedule(&schedule)), ..form.address(program.as_deref()) };
            page_link(&address.hash())
        })
    };
    // Let it run: from here the program runs alone, under the form's time limit.
    let on_step_free = {
        let (runner, limit_s) = (props.runner.clone(), form.limit_s());
        Callback::from(move |()| runner.run_freely(limit_s.unwrap_or(DEFAULT_TIME_LIMIT_S)))
    };
    let step_source = stepped_program.borrow().clone().filter(|_| form.mode == Mode::Python);
    // A failed run again: its recorded order replayed (the results stay on the page; this
    // run is not one of them).
    let replay = {
        let (launch, shaking, run) = (launch.clone(), shaking.clone(), run.clone());
        Callback::from(move |seed: u32| {
            let recorded = {
                let mut slot = shaking.borrow_mut();
                let Some(s) = slot.as_mut() else { return };
                s.current = None;
                s.replaying = None;
                s.recorded(seed)
            };
            match recorded {
                Some(recorded) => {
                    launch.emit(Launch::Replayed(Rc::new(recorded.replay.clone())));
                    if let Some(s) = shaking.borrow_mut().as_mut() {
                        s.replaying = Some(Replaying { seed, run: run.state.borrow().run, verdict: None });
                    }
                }
                None => launch.emit(Launch::Shaken(seed)),
            }
        })
    };
    let on_replay = {
        let (replay, redraw) = (replay.clone(), redraw.clone());
        Callback::from(move |seed: u32| {
            replay.emit(seed);
            redraw.force_update();
        })
    };
    // When a shaken run ends (or deadlocks), its outcome is taken and the next run starts;
    // a Prove it that failed runs its first failing seed once more, to be looked at.
    {
        let (shaking, runner, launch, state, replay) =
            (shaking.clone(), props.runner.clone(), launch.clone(), run.state.clone(), replay.clone());
        use_effect_with(run.version, move |_| {
            enum Then {
                Next(u32),
                ShowFailure(u32),
                Nothing,
            }
            let then = {
                let mut slot = shaking.borrow_mut();
                let Some(s) = slot.as_mut() else { return };
                let current = state.borrow();
                if current.status == Status::Running {
                    return;
                }
                // A replay that ended: did it do what the run did?
                let check = s.check;
                if let Some(r) = s.replaying.as_mut().filter(|r| r.run == current.run && r.verdict.is_none()) {
                    let recorded = s.outcomes.iter().find(|o| o.seed == r.seed).and_then(|o| o.recorded.clone());
                    r.verdict = recorded.map(|rec| rec.check(&current, check));
                    drop(current);
                    drop(slot);
                    if state.borrow().status == Status::Deadlock {
                        runner.stop();
                    }
                    redraw.force_update();
                    return;
                }
                if s.current != Some(current.run) {
                    return;
                }
                s.record(&current);
                match s.next_seed() {
                    Some(seed) => Then::Next(seed),
                    None if s.purpose == Purpose::Prove => {
                        s.first_failure().map_or(Then::Nothing, |o| Then::ShowFailure(o.seed))
                    }
                    None => Then::Nothing,
                }
            };
            if state.borrow().status == Status::Deadlock {
                runner.stop();
            }
            match then {
                Then::Next(seed) => {
                    launch.emit(Launch::Shaken(seed));
                    if let Some(s) = shaking.borrow_mut().as_mut() {
                        s.current = Some(state.borrow().run);
                    }
                }
                Then::ShowFailure(seed) => replay.emit(seed),
                Then::Nothing => {}
            }
            redraw.force_update();
        });
    }
    // Ctrl+Enter runs and Escape stops from anywhere on the page (the editor handles its
    // own Ctrl+Enter and marks the event handled). The listener is added once and reads
    // the newest callbacks from here.
    let keys = use_mut_ref(|| (Callback::<()>::noop(), Callback::<()>::noop()));
    *keys.borrow_mut() = (start.clone(), stop.clone());
    use_document_keydown(move |e: web_sys::KeyboardEvent| {
        if e.default_prevented() {
            return;
        }
        let (run, stop) = keys.borrow().clone();
        match e.key().as_str() {
            "Enter" if e.ctrl_key() || e.meta_key() => {
                e.prevent_default();
                run.emit(());
            }
            "Escape" => stop.emit(()),
            _ => {}
        }
    });
    let on_mode = |to: Mode| {
        let (form, runner) = (form.clone(), props.runner.clone());
        Callback::from(move |_| {
            if form.mode != to {
                runner.stop();
                form.dispatch(ExampleAction::Mode(to));
            }
        })
    };
    let on_retry = {
        let form = form.dispatcher();
        Callback::from(move |()| form.dispatch(ExampleAction::Retry))
    };

    let (status, elapsed_us, deadlock, source_error, printed, pools) = {
        let s = run.state.borrow();
        (
            s.status,
            s.elapsed_us.unwrap_or(s.last_us),
            s.deadlock.clone(),
            s.source_error.clone(),
            s.printed,
            s.pools.clone(),
        )
    };
    let running = status.is_live();
    // A finished run can be replayed (not while a Shake makes more runs), from the redraw after
    // the one that shows it ended: its replay and its story are made from every line and wait
    // of the run, and a run that printed without end held "stopped" back hundreds of ms.
    let run_id = run.state.borrow().run;
    let ended = !running && status != Status::Idle;
    let settled = use_state(|| None::<u64>);
    {
        let settled = settled.clone();
        use_effect_with((run_id, ended), move |&(run_id, ended)| {
            if ended {
                settled.set(Some(run_id));
            }
        });
    }
    let ended_before = ended && *settled == Some(run_id);
    let replaying = ended_before && !shaking.borrow().as_ref().is_some_and(|s| !s.finished());
    let compared = use_last_two_runs(&run, form.mode, ended_before).filter(|_| replaying);
    let on_cursor = {
        let cursor = cursor.clone();
        Callback::from(move |at: u64| cursor.set((run_id, at)))
    };
    let run_title = if memory == SharedMemory::NotIsolated {
        i18n::RUN_NOT_ISOLATED.get(l)
    } else if memory == SharedMemory::Unavailable {
        i18n::RUN_NO_SHARED_MEMORY.get(l)
    } else if form.mode == Mode::Python && !python_ready {
        i18n::RUN_PYTHON_LOADING.get(l)
    } else {
        ""
    };
    // The Rust tab's Share (the Python tab's is beside its editor, with the program).
    let share_link = {
        let form = form.clone();
        move || page_link(&form.address(None).hash())
    };
    html! {
        <article class="example" data-testid="example" data-id={ex.id} data-mode={form.mode.as_str()}>
            <h2>
                if i18n::title_is_code(ex) { <code>{ ex.title }</code> } else { { i18n::example_title(ex, l) } }
            </h2>
            <p class="look-for">{ i18n::LOOK_FOR.get(l) }{ prose(i18n::look_for(ex, l)) }</p>
            if let Some(note) = i18n::erratum(ex.id, l) {
                <p class="erratum" data-testid="erratum">{ i18n::TUTORIAL_IS_WRONG.get(l) }{ prose(note) }</p>
            }
            { for warnings.iter().map(|w| html! {
                <p class="warning" data-testid="url-warning" role="alert">{ w }</p>
            }) }
            if tab.is_some() {
                <div class="tabs" role="tablist">
                    <button role="tab" data-testid="tab-python" aria-selected={(form.mode == Mode::Python).to_string()}
                            onclick={on_mode(Mode::Python)}>{ i18n::TAB_PYTHON.get(l) }</button>
                    <button role="tab" data-testid="tab-rust" aria-selected={(form.mode == Mode::Rust).to_string()}
                            onclick={on_mode(Mode::Rust)}>{ i18n::TAB_RUST.get(l) }</button>
                </div>
            }
            <div class="controls">
                if form.mode == Mode::Rust {
                    <ParamsForm example={ex.id} params={ex.params} values={form.values.clone()} on_change={on_param} />
                }
                <label class="gil" title={i18n::GIL_TITLE.get(l)}>
                    <input type="checkbox" data-testid="gil" checked={form.gil} onchange={on_gil} />
                    { " GIL" }
                </label>
                <label class={classes!("limit", limit_s.is_none().then_some("invalid"))}>
                    { i18n::TIME_LIMIT.get(l) }
                    <input data-testid="time-limit" inputmode="numeric" size="4" value={form.limit.clone()} oninput={on_limit}
                           aria-invalid={limit_s.is_none().to_string()} />
                    if limit_s.is_none() {
                        <span class="param-error" data-testid="param-error" role="alert">{ i18n::TIME_LIMIT_RANGE.get(l) }</span>
                    }
                </label>
                <button data-testid="run" onclick={on_run} disabled={!can_run} title={run_title} aria-keyshortcuts="Control+Enter">
                    { if running { i18n::RUN_AGAIN.get(l) } else { i18n::RUN.get(l) } }
                </button>
                <button data-testid="stop" onclick={on_stop} disabled={!running} aria-keyshortcuts="Escape">{ i18n::STOP.get(l) }</button>
                <span class={classes!("status", status.as_str())} data-testid="status" data-state={status.as_str()} role="status">
                    { i18n::status(status, l) }
                </span>
                <span class="elapsed" data-testid="elapsed" data-ms={format!("{:.3}", elapsed_us as f64 / 1000.0)}>
                    { if status == Status::Idle { String::new() } else { format!("{:.1} ms", elapsed_us as f64 / 1000.0) } }
                </span>
                if status != Status::Idle {
                    <span class="line-count" data-testid="line-count" data-lines={printed.to_string()}>
                        { format!("{printed} {}", i18n::LINES.get(l)) }
                    </span>
                }
                { for pools.iter().map(|p| html! {
                    <span class="pool-progress" data-testid="pool-progress" data-done={p.done.to_string()} data-total={p.total.to_string()}>
                        <progress value={p.done.to_string()} max={p.total.max(1).to_string()}></progress>
                        { i18n::pool_progress(&p.name, p.done, p.total, l) }
                    </span>
                }) }
                if form.mode == Mode::Rust {
                    <CopyButton testid="share-params" label={i18n::SHARE} done={i18n::SHARE_COPIED} text={Callback::from(move |()| share_link())} />
                }
            </div>
            if let (Mode::Python, Some(tab)) = (form.mode, tab) {
                <PythonPanel example={ex.id} {tab} text={python_text.clone()} load={form.load.clone()}
                             {on_retry} on_run={start.clone()} {source_error} />
            }
            <ShakePanel shake={shaking.borrow().clone()} {lab} {can_run} on_start={on_shake} on_cancel={on_shake_cancel}
                        {on_replay} exact={form.mode == Mode::Python && form.gil} />
            <StepPanel run={run.clone()} {can_run} source={step_source} shared={form.schedule.clone()} on_start={on_step}
                       on_choose={on_step_choose} on_free={on_step_free} link={step_link} />
            <Console run={run.clone()} />
            if let Some(cycle) = deadlock {
                <WaitForGraph {cycle} run={run.clone()} />
            }
            <Timeline run={run.clone()} file={ex.id} cursor={replaying.then_some(if cursor.0 == run_id { cursor.1 } else { elapsed_us })} />
            if replaying {
                <ReplayPanel key={run_id.to_string()} run={run.clone()} on_cursor={on_cursor} />
            }
            if let Some((before, now)) = compared {
                <ComparePanel {before} {now} />
            }
            <Breakdown {run} />
            <div class="sources">
                <section>
                    <h3>
                        { i18n::tutorial_heading(ex.lines.0, ex.lines.1, ex.has_code, l) }
                        <CopyButton testid="copy-source" label={i18n::COPY} done={i18n::COPIED} text={Callback::from(move |()| ex.python())} />
                    </h3>
                    <Code text={ex.python()} language="python" testid="python-source" />
                </section>
                if form.mode == Mode::Rust {
                    <RustSource port={ex.rust} />
                }
            </div>
        </article>
    }
}

/// The Python tab's first text: a shared link's program, else the learner's edits kept in
/// this browser, else the tutorial's. (What is wrong with a bad `code=` is said above.)
fn initial_text(example: &str, tab: Option<&PythonTab>, code: Option<&str>) -> String {
    let Some(tab) = tab else { return String::new() };
    match code.map(decode_program) {
        Some(Ok(program)) => program,
        _ => crate::ui::saved::edited(example).unwrap_or_else(|| tab.program()),
    }
}

/// Puts the options of a run in the address, so the link reproduces it.
fn remember_in_url(address: &Address) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address.hash()));
    }
}
