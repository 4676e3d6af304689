//! One example: its two tabs, the learner's Python (run by the Python module) and the Rust
//! port (its parameters); Run and Stop, status and wall time, the console and the timeline,
//! the same for both; the tutorial's text beside.

use super::code::Code;
use super::console::Console;
use super::copy::CopyButton;
use super::params::ParamsForm;
use super::prose::prose;
use super::python_panel::{Load, PythonPanel};
use super::rust_source::RustSource;
use super::timeline::Timeline;
use super::waitfor::WaitForGraph;
use crate::examples::{python_tab, Example, PythonTab, Runs};
use crate::i18n::{self, Lang};
use crate::params::parse_switch;
use crate::ui::hooks::{use_document_keydown, use_run};
use crate::ui::route::{encode_query, page_link};
use crate::ui::runner::{Runner, DEFAULT_TIME_LIMIT_S};
use crate::ui::state::Status;
use pp_platform::request::{RunOptions, RunRequest};
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

/// Which tab the example shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Python,
    Rust,
}

impl Mode {
    fn as_str(self) -> &'static str {
        match self {
            Mode::Python => "python",
            Mode::Rust => "rust",
        }
    }
}

/// The page's own address parameters, beside the example's.
const PAGE_KEYS: &[&str] = &["gil", "mode", "code", "lang", "limit"];

/// The time limit a learner may set, in seconds.
const MAX_TIME_LIMIT_S: u32 = 3600;

fn parse_limit(raw: &str) -> Option<u32> {
    raw.trim().parse::<u32>().ok().filter(|s| (1..=MAX_TIME_LIMIT_S).contains(s))
}

#[function_component(ExamplePage)]
pub fn example_page(props: &ExampleProps) -> Html {
    let ex = props.example;
    let l = use_context::<Lang>().unwrap_or_default();
    let tab = python_tab(ex.id);
    let url = |key: &str| props.query.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let mut warnings: Vec<String> = props
        .query
        .iter()
        .filter(|(k, _)| !PAGE_KEYS.contains(&k.as_str()) && !ex.params.iter().any(|p| p.name == k))
        .map(|(k, _)| i18n::url_unknown_parameter(k, l))
        .collect();

    let values = use_state(|| initial_values(ex, &props.query));
    let url_gil = url("gil");
    let gil = use_state(|| url_gil.as_deref().and_then(parse_switch).unwrap_or(ex.options.gil));
    if let Some(v) = url_gil.filter(|v| parse_switch(v).is_none()) {
        warnings.push(i18n::url_bad_switch("gil", &v, l));
    }
    let url_limit = url("limit");
    let limit = use_state(|| url_limit.as_deref().and_then(parse_limit).unwrap_or(DEFAULT_TIME_LIMIT_S).to_string());
    if let Some(v) = url_limit.filter(|v| parse_limit(v).is_none()) {
        warnings.push(i18n::url_bad_limit(&v, l));
    }
    let (first_mode, mode_warning) = initial_mode(tab, url("mode").as_deref(), l);
    warnings.extend(mode_warning);
    let mode = use_state(|| first_mode);
    let (first_text, code_warning) = initial_text(ex.id, tab, url("code").as_deref(), l);
    warnings.extend(code_warning);
    let python_text: Rc<RefCell<String>> = use_mut_ref(|| first_text);
    let shared = url("code").is_some();
    let load = use_state(|| if props.runner.has_python() { Load::Ready } else { Load::Loading(None) });
    let load_attempt = use_state(|| 0u32);

    let run = use_run();
    let limit_s = parse_limit(&limit);
    let valid = ex.params.iter().zip(values.iter()).all(|(p, v)| p.check(v).is_ok());
    let isolated = pp_web::js::cross_origin_isolated();

    // Leaving the page ends its run.
    {
        let runner = props.runner.clone();
        use_effect_with((), move |_| move || runner.stop());
    }
    // The Python tab loads the Python module, once per page (a retry after a failure).
    {
        let (runner, load) = (props.runner.clone(), load.clone());
        let wanted = *mode == Mode::Python && isolated;
        use_effect_with((wanted, *load_attempt), move |(wanted, _)| {
            if *wanted && !runner.has_python() {
                let progress = load.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let on_progress = move |p| progress.set(Load::Loading(Some(p)));
                    match crate::ui::lazy::load_python(on_progress).await {
                        Ok(module) => {
                            runner.set_python(module);
                            load.set(Load::Ready);
                        }
                        Err(e) => load.set(Load::Failed(e)),
                    }
                });
            }
        });
    }

    let on_param = {
        let values = values.clone();
        Callback::from(move |(i, v): (usize, String)| {
            let mut next = (*values).clone();
            next[i] = v;
            values.set(next);
        })
    };
    let on_gil = {
        let gil = gil.clone();
        Callback::from(move |e: Event| gil.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))
    };
    let on_limit = {
        let limit = limit.clone();
        Callback::from(move |e: InputEvent| limit.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let python_ready = *load == Load::Ready;
    let can_run = isolated
        && limit_s.is_some()
        && match *mode {
            Mode::Rust => valid,
            Mode::Python => python_ready,
        };
    let rust_query = {
        let (values, gil) = (values.clone(), *gil);
        move || {
            let mut pairs: Vec<(String, String)> =
                ex.params.iter().zip(values.iter()).map(|(p, v)| (p.name.to_string(), v.trim().to_string())).collect();
            pairs.push(("gil".to_string(), if gil { "on" } else { "off" }.to_string()));
            encode_query(&pairs)
        }
    };
    let start = {
        let (gil, mode, runner, dispatch, text, rust_query) = (
            gil.clone(),
            mode.clone(),
            props.runner.clone(),
            run.dispatch.clone(),
            python_text.clone(),
            rust_query.clone(),
        );
        Callback::from(move |()| {
            let Some(limit_s) = limit_s.filter(|_| can_run) else { return };
            runner.set_time_limit(limit_s);
            let gil_pair = ("gil".to_string(), if *gil { "on" } else { "off" }.to_string());
            let limit = if limit_s == DEFAULT_TIME_LIMIT_S { String::new() } else { format!("&limit={limit_s}") };
            match *mode {
                Mode::Rust => {
                    let query = rust_query();
                    let mode = if tab.is_some() { "mode=rust&" } else { "" };
                    remember_in_url(ex.id, &format!("{mode}{query}{limit}"));
                    // The form was checked (Run is disabled otherwise): this cannot fail.
                    if let Ok(request) = crate::programs::request_from_query(ex.id, &query) {
                        runner.start(request, dispatch.clone());
                    }
                }
                Mode::Python => {
                    let query = encode_query(&[gil_pair]);
                    // A shared program stays in the address (it is kept nowhere else).
                    let code = if shared {
                        format!("&code={}", crate::ui::saved::encode_program(&text.borrow()))
                    } else {
                        String::new()
                    };
                    remember_in_url(ex.id, &format!("mode=python&{query}{limit}{code}"));
                    let request = RunRequest::source(text.borrow().clone(), RunOptions { gil: *gil });
                    runner.start_python(request, dispatch.clone());
                }
            }
        })
    };
    let on_run = {
        let start = start.clone();
        Callback::from(move |_| start.emit(()))
    };
    let on_stop = {
        let runner = props.runner.clone();
        Callback::from(move |_| runner.stop())
    };
    // Ctrl+Enter runs and Escape stops from anywhere on the page (the editor handles its
    // own Ctrl+Enter and marks the event handled). The listener is added once and reads
    // the newest callbacks from here.
    let keys = use_mut_ref(|| (Callback::<()>::noop(), Callback::<()>::noop()));
    *keys.borrow_mut() = (start.clone(), {
        let runner = props.runner.clone();
        Callback::from(move |()| runner.stop())
    });
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
        let (mode, runner) = (mode.clone(), props.runner.clone());
        Callback::from(move |_| {
            if *mode != to {
                runner.stop();
                mode.set(to);
            }
        })
    };
    let on_retry = {
        let (load, attempt) = (load.clone(), load_attempt.clone());
        Callback::from(move |()| {
            load.set(Load::Loading(None));
            attempt.set(*attempt + 1);
        })
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
    let run_title = if !isolated {
        i18n::RUN_NOT_ISOLATED.get(l)
    } else if *mode == Mode::Python && !python_ready {
        i18n::RUN_PYTHON_LOADING.get(l)
    } else {
        ""
    };
    // The Rust tab's Share (the Python tab's is beside its editor, with the program).
    let share_link = {
        let rust_query = rust_query.clone();
        move || page_link(&format!("#/ex/{}?{}{}", ex.id, if tab.is_some() { "mode=rust&" } else { "" }, rust_query()))
    };
    html! {
        <article class="example" data-mode={mode.as_str()}>
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
                    <button role="tab" data-testid="tab-python" aria-selected={(*mode == Mode::Python).to_string()}
                            onclick={on_mode(Mode::Python)}>{ i18n::TAB_PYTHON.get(l) }</button>
                    <button role="tab" data-testid="tab-rust" aria-selected={(*mode == Mode::Rust).to_string()}
                            onclick={on_mode(Mode::Rust)}>{ i18n::TAB_RUST.get(l) }</button>
                </div>
            }
            <div class="controls">
                if *mode == Mode::Rust {
                    <ParamsForm example={ex.id} params={ex.params} values={(*values).clone()} on_change={on_param} />
                }
                <label class="gil" title={i18n::GIL_TITLE.get(l)}>
                    <input type="checkbox" data-testid="gil" checked={*gil} onchange={on_gil} />
                    { " GIL" }
                </label>
                <label class={classes!("limit", limit_s.is_none().then_some("invalid"))}>
                    { i18n::TIME_LIMIT.get(l) }
                    <input data-testid="time-limit" inputmode="numeric" size="4" value={(*limit).clone()} oninput={on_limit}
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
                if *mode == Mode::Rust {
                    <CopyButton testid="share-params" label={i18n::SHARE} done={i18n::SHARE_COPIED} text={Callback::from(move |()| share_link())} />
                }
            </div>
            if let (Mode::Python, Some(tab)) = (*mode, tab) {
                <PythonPanel example={ex.id} {tab} text={python_text.clone()} load={(*load).clone()}
                             {on_retry} on_run={start.clone()} {source_error} />
            }
            <Console run={run.clone()} />
            if let Some(cycle) = deadlock {
                <WaitForGraph {cycle} run={run.clone()} />
            }
            <Timeline {run} />
            <div class="sources">
                <section>
                    <h3>
                        { i18n::tutorial_heading(ex.lines.0, ex.lines.1, ex.has_code, l) }
                        <CopyButton testid="copy-source" label={i18n::COPY} done={i18n::COPIED} text={Callback::from(move |()| ex.python())} />
                    </h3>
                    <Code text={ex.python()} language="python" testid="python-source" />
                </section>
                if *mode == Mode::Rust {
                    <RustSource port={ex.rust} />
                }
            </div>
        </article>
    }
}

/// The tab to open: the address's `mode`, else Python where the tab runs the program, else
/// the Rust port; and what was wrong with the address's `mode`.
fn initial_mode(tab: Option<&PythonTab>, asked: Option<&str>, l: Lang) -> (Mode, Option<String>) {
    let default = match tab {
        Some(tab) if tab.runs() == Runs::Yes => Mode::Python,
        _ => Mode::Rust,
    };
    match asked.map(str::trim) {
        None => (default, None),
        Some("python") if tab.is_some() => (Mode::Python, None),
        Some("python") => (Mode::Rust, Some(i18n::url_no_python(l).into())),
        Some("rust") => (Mode::Rust, None),
        Some(other) => (default, Some(i18n::url_bad_mode(other, l))),
    }
}

/// The Python tab's first text: a shared link's program, else the learner's edits kept in
/// this browser, else the tutorial's; and what was wrong with the address's `code`.
fn initial_text(example: &str, tab: Option<&PythonTab>, code: Option<&str>, l: Lang) -> (String, Option<String>) {
    let Some(tab) = tab else { return (String::new(), None) };
    let kept = || crate::ui::saved::edited(example).unwrap_or_else(|| tab.program());
    match code.map(crate::ui::saved::decode_program) {
        Some(Ok(program)) => (program, None),
        Some(Err(why)) => (kept(), Some(i18n::url_bad_code(why.get(l), l))),
        None => (kept(), None),
    }
}

/// Field texts: the URL's value where it names the parameter, else the default.
fn initial_values(ex: &Example, query: &[(String, String)]) -> Vec<String> {
    ex.params
        .iter()
        .map(|p| {
            query.iter().rev().find(|(k, _)| k == p.name).map_or_else(|| p.default.to_string(), |(_, v)| v.clone())
        })
        .collect()
}

/// Puts the options of a run in the address, so the link reproduces it.
fn remember_in_url(id: &str, query: &str) {
    let hash = format!("#/ex/{id}?{query}");
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash));
    }
}
