//! The benchmark page (`#/bench`): the primitives measured in this browser, beside plain
//! JavaScript doing the same through the platform alone. `scripts/bench.sh` drives it and
//! adds the native and CPython figures.

use super::crossover::CrossoverChart;
use super::scaling::ScalingChart;
use crate::i18n::{self, Lang, Text};
use crate::ui::hooks::use_run;
use crate::ui::runner::Runner;
use crate::ui::state::{LineKind, Status};
use pp_platform::request::RunRequest;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

#[wasm_bindgen(module = "/www/anchors.js")]
extern "C" {
    #[wasm_bindgen(js_name = atomicsPingPong)]
    fn atomics_ping_pong(rounds: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = postMessagePingPong)]
    fn post_message_ping_pong(rounds: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = postMessagePool)]
    fn post_message_pool(tasks: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = atomicsPool)]
    fn atomics_pool(tasks: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = workerStart)]
    fn worker_start(module: JsValue, memory: JsValue) -> js_sys::Promise;
}

#[derive(Clone, Debug, PartialEq)]
struct Row {
    name: String,
    median_ns: f64,
    what: Text,
}

#[derive(Properties)]
pub struct BenchProps {
    pub runner: Rc<Runner>,
}

impl PartialEq for BenchProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.runner, &other.runner)
    }
}

async fn anchor(promise: js_sys::Promise) -> Result<f64, String> {
    let value = JsFuture::from(promise).await.map_err(pp_web::host::describe)?;
    pp_web::js::get_f64(&value, "medianNs").ok_or_else(|| "no medianNs in the anchor's result".into())
}

/// The benchmark's programs, one after another, with what the address asks for
/// (`#/bench?spin=N&n=M`: another futex spin count, another CPU job size, by default one
/// whose sequential run takes about a second here); a bad value is an error the page shows.
fn bench_requests() -> Result<Vec<RunRequest>, String> {
    let address = crate::ui::route::Route::current();
    let pick = |name: &str| address.query.iter().rev().find(|(k, _)| k == name).cloned();
    let n = pick("n").unwrap_or(("n".into(), "240000000".into()));
    let runs = [
        ("bench-threading", pick("spin").into_iter().collect::<Vec<_>>()),
        ("bench-processes", vec![("warm".to_string(), pp_web::host::WARM_CHILDREN.to_string())]),
        ("bench-cpu", vec![("passes".to_string(), "3".to_string()), n.clone()]),
        // `#/bench?top=K&pause=S`: a shorter crossover sweep (the test command's smoke run).
        ("bench-crossover", ["top", "pause"].into_iter().filter_map(pick).collect()),
        // `#/bench?max=K`: the sweep to K workers rather than the machine's cores.
        ("bench-scaling", [Some(n.clone()), pick("max")].into_iter().flatten().collect()),
    ];
    runs.into_iter()
        .map(|(id, raw)| {
            crate::programs::request(id, &raw)
                .map_err(|errors| errors.into_iter().map(|(_, e)| e).collect::<Vec<_>>().join("; "))
        })
        .collect()
}

#[function_component(BenchPage)]
pub fn bench_page(props: &BenchProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let anchors = use_state(Vec::<Row>::new);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let run = use_run();

    let on_click = {
        let (anchors, error, busy, runner, dispatcher) =
            (anchors.clone(), error.clone(), busy.clone(), props.runner.clone(), run.dispatch.clone());
        Callback::from(move |_| {
            let (anchors, error, busy, runner, dispatcher) =
                (anchors.clone(), error.clone(), busy.clone(), runner.clone(), dispatcher.clone());
            busy.set(true);
            error.set(None);
            spawn_local(async move {
                let mut rows = Vec::new();
                // One after the other: started together they would share the two cores.
                type Anchor = (&'static str, fn() -> js_sys::Promise);
                let anchors_js: [Anchor; 5] = [
                    ("js_atomics_ping_pong", || atomics_ping_pong(10_000)),
                    ("js_postmessage_ping_pong", || post_message_ping_pong(2_000)),
                    ("js_postmessage_pool_per_task", || post_message_pool(2_000)),
                    // Pool.map's 10,000 tasks, as the Rust row it anchors.
                    ("js_atomics_pool_per_task", || atomics_pool(10_000)),
                    // A cold process start's limit: a worker and this very module in it.
                    ("js_worker_instantiate", || worker_start(wasm_bindgen::module(), wasm_bindgen::memory())),
                ];
                for (name, start) in anchors_js {
                    match anchor(start()).await {
                        Ok(median_ns) => {
                            let what = if name.ends_with("per_task") {
                                i18n::BENCH_JS_TASK
                            } else if name.ends_with("instantiate") {
                                i18n::BENCH_JS_WORKER_START
                            } else {
                                i18n::BENCH_JS_ROUND_TRIP
                            };
                            rows.push(Row { name: name.into(), median_ns, what })
                        }
                        Err(e) => error.set(Some(format!("{name}: {e}"))),
                    }
                }
                anchors.set(rows);
                // Then the Rust primitives, in a process of their own; on a slow machine
                // they take minutes.
                runner.set_time_limit(600);
                match bench_requests() {
                    Ok(requests) => runner.start_sequence(requests, dispatcher),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };

    let status = run.state.borrow().status;
    let rust_rows: Vec<Row> = run
        .state
        .borrow()
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Out)
        .filter_map(|l| crate::bench::parse_line(&l.text))
        .map(|(name, median_ns)| Row { name, median_ns, what: i18n::BENCH_RUST_ROW })
        .collect();
    let named = || rust_rows.iter().map(|r| (r.name.as_str(), r.median_ns));
    let points = crate::bench::crossover::points(named());
    let curves = crate::bench::scaling::curves(named());
    let state = if *busy || status == Status::Running {
        Status::Running
    } else if status == Status::Done {
        Status::Done
    } else if status == Status::Failed || error.is_some() {
        Status::Failed
    } else {
        Status::Idle
    };
    html! {
        <article class="bench">
            <h2>{ i18n::BENCH_TITLE.get(l) }</h2>
            <p>{ i18n::BENCH_WHAT.get(l) }</p>
            <button data-testid="bench-run" onclick={on_click} disabled={state == Status::Running}>{ i18n::BENCH_RUN.get(l) }</button>
            <span class="status" data-testid="bench-status" data-state={state.as_str()}>{ i18n::status(state, l) }</span>
            if let Some(e) = (*error).clone() {
                <p class="warning" role="alert">{ e }</p>
            }
            <table>
                <thead><tr><th>{ i18n::BENCH_NAME.get(l) }</th><th>{ i18n::BENCH_MEDIAN.get(l) }</th><th>{ i18n::BENCH_WHAT_COLUMN.get(l) }</th></tr></thead>
                <tbody>
                    { for anchors.iter().chain(rust_rows.iter()).map(|r| html! {
                        <tr data-testid="bench-row" data-name={r.name.clone()} data-ns={format!("{:.1}", r.median_ns)}>
                            <td>{ &r.name }</td><td class="num">{ format!("{:.1}", r.median_ns) }</td><td>{ r.what.get(l) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <CrossoverChart {points} />
            <ScalingChart {curves} />
        </article>
    }
}
