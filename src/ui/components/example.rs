//! One example: the tutorial's Python beside the Rust port, its parameters, Run and Stop,
//! status and wall time, the console and the timeline.

use super::console::Console;
use super::params::ParamsForm;
use super::rust_source::RustSource;
use super::timeline::Timeline;
use super::waitfor::WaitForGraph;
use crate::examples::Example;
use crate::params::parse_switch;
use crate::ui::hooks::use_run;
use crate::ui::route::encode_query;
use crate::ui::runner::Runner;
use crate::ui::state::Status;
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

#[function_component(ExamplePage)]
pub fn example_page(props: &ExampleProps) -> Html {
    let ex = props.example;
    let values = use_state(|| initial_values(ex, &props.query));
    let url_gil = props.query.iter().rev().find(|(k, _)| k == "gil").map(|(_, v)| v.clone());
    let gil = use_state(|| url_gil.as_deref().and_then(parse_switch).unwrap_or(ex.options.gil));
    let mut warnings: Vec<String> = props
        .query
        .iter()
        .filter(|(k, _)| k != "gil" && !ex.params.iter().any(|p| p.name == k))
        .map(|(k, _)| format!("this example has no parameter {k:?}: ignored"))
        .collect();
    if let Some(v) = url_gil.filter(|v| parse_switch(v).is_none()) {
        warnings.push(format!("gil must be on or off, not {v:?}: the example's default is used"));
    }
    let run = use_run();
    let valid = ex.params.iter().zip(values.iter()).all(|(p, v)| p.check(v).is_ok());
    let isolated = crate::web::js::cross_origin_isolated();

    // Leaving the page ends its run.
    {
        let runner = props.runner.clone();
        use_effect_with((), move |_| move || runner.stop());
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
    let on_run = {
        let (values, gil, runner, dispatch) = (values.clone(), gil.clone(), props.runner.clone(), run.dispatch.clone());
        Callback::from(move |_| {
            let mut pairs: Vec<(String, String)> =
                ex.params.iter().zip(values.iter()).map(|(p, v)| (p.name.to_string(), v.trim().to_string())).collect();
            pairs.push(("gil".into(), if *gil { "on" } else { "off" }.into()));
            let query = encode_query(&pairs);
            remember_in_url(ex.id, &query);
            runner.start(ex.id, &query, dispatch.clone());
        })
    };
    let on_stop = {
        let runner = props.runner.clone();
        Callback::from(move |_| runner.stop())
    };

    let (status, elapsed_us, deadlock) = {
        let s = run.state.borrow();
        (s.status, s.elapsed_us.unwrap_or(s.last_us), s.deadlock.clone())
    };
    let running = status.is_live();
    html! {
        <article class="example">
            <h2>{ ex.title }</h2>
            <p class="look-for">{ "Look for: " }{ ex.look_for }</p>
            { for warnings.iter().map(|w| html! {
                <p class="warning" data-testid="url-warning" role="alert">{ format!("The address: {w}.") }</p>
            }) }
            <div class="controls">
                <ParamsForm params={ex.params} values={(*values).clone()} on_change={on_param} />
                <label class="gil" title="CPython (up to 3.12) lets one thread run Python at a time; off: free-threaded, all threads at once">
                    <input type="checkbox" data-testid="gil" checked={*gil} onchange={on_gil} />
                    { " GIL" }
                </label>
                <button data-testid="run" onclick={on_run} disabled={!valid || !isolated}
                        title={if !isolated { "this page is not cross-origin isolated: shared memory is off" } else { "" }}>
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
            <Console run={run.clone()} />
            if let Some(cycle) = deadlock {
                <WaitForGraph {cycle} run={run.clone()} />
            }
            <Timeline {run} />
            <div class="sources">
                <section>
                    <h3>{ if ex.has_code {
                        format!("Python (the tutorial, lines {}–{})", ex.lines.0, ex.lines.1)
                    } else {
                        format!("The tutorial's text (lines {}–{}): it has no code for this", ex.lines.0, ex.lines.1)
                    } }</h3>
                    <pre class="python" data-testid="python-source">{ ex.python() }</pre>
                </section>
                <RustSource port={ex.rust} />
            </div>
        </article>
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

/// Puts the parameters of a run in the address, so the link reproduces it.
fn remember_in_url(id: &str, query: &str) {
    let hash = if query.is_empty() { format!("#/ex/{id}") } else { format!("#/ex/{id}?{query}") };
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash));
    }
}
