//! One example: its two tabs, the learner's Python (run by the Python module) and the Rust
//! port (its parameters); Run and Stop, status and wall time, the console and the timeline,
//! the same for both; the tutorial's text beside.

use super::console::Console;
use super::params::ParamsForm;
use super::python_panel::{Load, PythonPanel};
use super::rust_source::RustSource;
use super::timeline::Timeline;
use super::waitfor::WaitForGraph;
use crate::examples::{python_tab, Example, PythonTab, Runs};
use crate::params::parse_switch;
use crate::ui::hooks::use_run;
use crate::ui::route::encode_query;
use crate::ui::runner::Runner;
use crate::ui::state::Status;
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
const PAGE_KEYS: &[&str] = &["gil", "mode", "code", "lang"];

#[function_component(ExamplePage)]
pub fn example_page(props: &ExampleProps) -> Html {
    let ex = props.example;
    let tab = python_tab(ex.id);
    let url = |key: &str| props.query.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let mut warnings: Vec<String> = props
        .query
        .iter()
        .filter(|(k, _)| !PAGE_KEYS.contains(&k.as_str()) && !ex.params.iter().any(|p| p.name == k))
        .map(|(k, _)| format!("this example has no parameter {k:?}: ignored"))
        .collect();

    let values = use_state(|| initial_values(ex, &props.query));
    let url_gil = url("gil");
    let gil = use_state(|| url_gil.as_deref().and_then(parse_switch).unwrap_or(ex.options.gil));
    if let Some(v) = url_gil.filter(|v| parse_switch(v).is_none()) {
        warnings.push(format!("gil must be on or off, not {v:?}: the example's default is used"));
    }
    let (first_mode, mode_warning) = initial_mode(tab, url("mode").as_deref());
    warnings.extend(mode_warning);
    let mode = use_state(|| first_mode);
    let (first_text, code_warning) = initial_text(ex.id, tab, url("code").as_deref());
    warnings.extend(code_warning);
    let python_text: Rc<RefCell<String>> = use_mut_ref(|| first_text);
    let shared = url("code").is_some();
    let load = use_state(|| if props.runner.has_python() { Load::Ready } else { Load::Loading(None) });
    let load_attempt = use_state(|| 0u32);

    let run = use_run();
    let valid = ex.params.iter().zip(values.iter()).all(|(p, v)| p.check(v).is_ok());
    let isolated = crate::web::js::cross_origin_isolated();

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
                    match crate::web::python::load_python(on_progress).await {
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
    let python_ready = *load == Load::Ready;
    let can_run = isolated
        && match *mode {
            Mode::Rust => valid,
            Mode::Python => python_ready,
        };
    let start = {
        let (values, gil, mode, runner, dispatch, text) = (
            values.clone(),
            gil.clone(),
            mode.clone(),
            props.runner.clone(),
            run.dispatch.clone(),
            python_text.clone(),
        );
        Callback::from(move |()| {
            if !can_run {
                return;
            }
            let gil_pair = ("gil".to_string(), if *gil { "on" } else { "off" }.to_string());
            match *mode {
                Mode::Rust => {
                    let mut pairs: Vec<(String, String)> = ex
                        .params
                        .iter()
                        .zip(values.iter())
                        .map(|(p, v)| (p.name.to_string(), v.trim().to_string()))
                        .collect();
                    pairs.push(gil_pair);
                    let query = encode_query(&pairs);
                    remember_in_url(ex.id, &if tab.is_some() { format!("mode=rust&{query}") } else { query.clone() });
                    runner.start(ex.id, &query, dispatch.clone());
                }
                Mode::Python => {
                    let query = encode_query(&[gil_pair]);
                    // A shared program stays in the address (it is kept nowhere else).
                    let code = if shared {
                        format!("&code={}", crate::ui::saved::encode_program(&text.borrow()))
                    } else {
                        String::new()
                    };
                    remember_in_url(ex.id, &format!("mode=python&{query}{code}"));
                    runner.start_python(text.borrow().clone(), query, dispatch.clone());
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

    let (status, elapsed_us, deadlock, source_error) = {
        let s = run.state.borrow();
        (s.status, s.elapsed_us.unwrap_or(s.last_us), s.deadlock.clone(), s.source_error.clone())
    };
    let running = status.is_live();
    let run_title = if !isolated {
        "this page is not cross-origin isolated: shared memory is off"
    } else if *mode == Mode::Python && !python_ready {
        "Python is loading"
    } else {
        ""
    };
    html! {
        <article class="example" data-mode={mode.as_str()}>
            <h2>{ ex.title }</h2>
            <p class="look-for">{ "Look for: " }{ ex.look_for }</p>
            { for warnings.iter().map(|w| html! {
                <p class="warning" data-testid="url-warning" role="alert">{ format!("The address: {w}.") }</p>
            }) }
            if tab.is_some() {
                <div class="tabs" role="tablist">
                    <button role="tab" data-testid="tab-python" aria-selected={(*mode == Mode::Python).to_string()}
                            onclick={on_mode(Mode::Python)}>{ "Python" }</button>
                    <button role="tab" data-testid="tab-rust" aria-selected={(*mode == Mode::Rust).to_string()}
                            onclick={on_mode(Mode::Rust)}>{ "Rust port" }</button>
                </div>
            }
            <div class="controls">
                if *mode == Mode::Rust {
                    <ParamsForm params={ex.params} values={(*values).clone()} on_change={on_param} />
                }
                <label class="gil" title="CPython (up to 3.12) lets one thread run Python at a time; off: free-threaded, all threads at once">
                    <input type="checkbox" data-testid="gil" checked={*gil} onchange={on_gil} />
                    { " GIL" }
                </label>
                <button data-testid="run" onclick={on_run} disabled={!can_run} title={run_title}>
                    { if running { "Run again" } else { "Run" } }
                </button>
                <button data-testid="stop" onclick={on_stop} disabled={!running}>{ "Stop" }</button>
                <span class={classes!("status", status.as_str())} data-testid="status" data-state={status.as_str()}>
                    { status.as_str() }
                </span>
                <span class="elapsed" data-testid="elapsed" data-ms={format!("{:.3}", elapsed_us as f64 / 1000.0)}>
                    { if status == Status::Idle { String::new() } else { format!("{:.1} ms", elapsed_us as f64 / 1000.0) } }
                </span>
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
                    <h3>{ if ex.has_code {
                        format!("The tutorial (lines {}–{}): the cell and what it printed", ex.lines.0, ex.lines.1)
                    } else {
                        format!("The tutorial's text (lines {}–{}): it has no code for this", ex.lines.0, ex.lines.1)
                    } }</h3>
                    <pre class="python" data-testid="python-source">{ ex.python() }</pre>
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
fn initial_mode(tab: Option<&PythonTab>, asked: Option<&str>) -> (Mode, Option<String>) {
    let default = match tab {
        Some(tab) if tab.runs() == Runs::Yes => Mode::Python,
        _ => Mode::Rust,
    };
    match asked.map(str::trim) {
        None => (default, None),
        Some("python") if tab.is_some() => (Mode::Python, None),
        Some("python") => (Mode::Rust, Some("this example has no Python program: the Rust port is shown".into())),
        Some("rust") => (Mode::Rust, None),
        Some(other) => (default, Some(format!("mode must be python or rust, not {other:?}: the default tab is shown"))),
    }
}

/// The Python tab's first text: a shared link's program, else the learner's edits kept in
/// this browser, else the tutorial's; and what was wrong with the address's `code`.
fn initial_text(example: &str, tab: Option<&PythonTab>, code: Option<&str>) -> (String, Option<String>) {
    let Some(tab) = tab else { return (String::new(), None) };
    let kept = || crate::ui::saved::edited(example).unwrap_or_else(|| tab.program());
    match code.map(crate::ui::saved::decode_program) {
        Some(Ok(program)) => (program, None),
        Some(Err(why)) => (kept(), Some(format!("{why}: the program kept for this example is shown"))),
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
