//! The timeline: one lane per thread, from its start to its end; the stretches in which it
//! waited are drawn over it, labelled with what it waited on, and an arrow from the thread
//! that let a wait end (a release, a put, a set…) to the thread it woke. "Running" means runnable: a
//! browser does not tell which worker is on a core. The run can be taken away as a trace-event
//! file or the figure as SVG (`export`).

use super::export;
use crate::i18n::{self, Lang};
use crate::ui::hooks::RunHandle;
use pp_runtime::watch::Why;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub run: RunHandle,
    /// The exported files' names start with this (the example's id).
    pub file: AttrValue,
    /// A moment to mark (µs since the run's start): the replay's.
    #[prop_or_default]
    pub cursor: Option<u64>,
}

/// Lanes drawn at most: beyond, the figure says how many it leaves out.
const MAX_LANES: usize = 64;
/// Who-woke-whom arrows drawn at most (a long contended run has tens of thousands; the
/// trace export keeps them all), likewise said.
const MAX_ARROWS: usize = 3000;

const LANE: f64 = 22.0;
const LABEL: f64 = 130.0;
const WIDTH: f64 = 900.0;

#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let figure = use_node_ref();
    let export_error = use_state(|| None::<String>);
    let s = props.run.state.borrow();
    if s.lanes.is_empty() {
        return html! {};
    }
    let on_export_trace = {
        let (run, file, error) = (props.run.clone(), props.file.clone(), export_error.clone());
        Callback::from(move |_| {
            let saved = export::trace_json(&run.state.borrow(), l)
                .and_then(|json| export::save(&format!("{file}-trace.json"), "application/json", &json));
            error.set(saved.err().map(pp_web::host::describe));
        })
    };
    let on_export_svg = {
        let (figure, file, error) = (figure.clone(), props.file.clone(), export_error.clone());
        Callback::from(move |_| {
            let Some(svg) = figure.cast::<web_sys::Element>() else { return };
            let saved = export::svg_document(&svg)
                .and_then(|text| export::save(&format!("{file}-timeline.svg"), "image/svg+xml", &text));
            error.set(saved.err().map(pp_web::host::describe));
        })
    };
    let left_out = s.lanes.len().saturating_sub(MAX_LANES);
    let lanes = &s.lanes[..s.lanes.len() - left_out];
    let span = s.elapsed_us.unwrap_or(s.last_us).max(1) as f64;
    let x = |us: u64| LABEL + (us as f64 / span) * (WIDTH - LABEL - 10.0);
    let height = LANE * lanes.len() as f64 + 24.0;
    let mid = |lane: usize| lane as f64 * LANE + 4.0 + (LANE - 6.0) / 2.0;
    let wakes: Vec<_> = s.wakes.iter().filter(|w| w.from < lanes.len() && w.to < lanes.len()).collect();
    let arrows_left_out = wakes.len().saturating_sub(MAX_ARROWS);
    html! {
        <figure class="timeline" data-testid="timeline">
            <svg ref={figure} viewBox={format!("0 0 {WIDTH} {height}")} width="100%" role="img"
                 aria-label={i18n::TIMELINE_LABEL.get(l)}>
                { for lanes.iter().enumerate().map(|(i, lane)| {
                    let y = i as f64 * LANE + 4.0;
                    let end = lane.to_us.unwrap_or(s.last_us);
                    html! {
                        // The times as data too (µs from the run's start), for tests that
                        // check what ran when (the GIL: one lane running at a time).
                        <g class="lane" data-testid="lane" data-thread={lane.name.clone()}
                           data-from-us={lane.from_us.to_string()} data-to-us={end.to_string()}>
                            <text x="4" y={(y + 13.0).to_string()}>{ &lane.name }</text>
                            <rect class="run" x={x(lane.from_us).to_string()} y={y.to_string()}
                                  width={(x(end) - x(lane.from_us)).max(1.0).to_string()} height={(LANE - 6.0).to_string()}>
                                <title>{ format!("{}: {:.1}–{:.1} ms", lane.name, lane.from_us as f64 / 1e3, end as f64 / 1e3) }</title>
                            </rect>
                            { for lane.waits.iter().map(|w| {
                                let to = w.to_us.unwrap_or(end);
                                // data-what is in English (tests read it); the tooltip in the page's language.
                                let what = |l: Lang| s.wait_label(lane.pid, w, l);
                                let sleep = w.object == 0 && matches!(w.why, Some(Why::Sleep) | None);
                                html! {
                                    <rect class={classes!("wait", sleep.then_some("sleep"))} data-testid="wait"
                                          data-from-us={w.from_us.to_string()} data-to-us={to.to_string()} data-what={what(Lang::En)}
                                          x={x(w.from_us).to_string()} y={y.to_string()}
                                          width={(x(to) - x(w.from_us)).max(1.0).to_string()} height={(LANE - 6.0).to_string()}>
                                        <title>{ format!("{}: {:.1}–{:.1} ms", what(l), w.from_us as f64 / 1e3, to as f64 / 1e3) }</title>
                                    </rect>
                                }
                            }) }
                        </g>
                    }
                }) }
                <defs>
                    <marker id="pp-wake-head" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" markerHeight="6" orient="auto">
                        <path d="M0,0 L6,3 L0,6 z" class="wake-head" />
                    </marker>
                </defs>
                { for wakes.iter().take(MAX_ARROWS).map(|w| {
                    let (from_name, to_name) = (&lanes[w.from].name, &lanes[w.to].name);
                    let what = |l: Lang| s.label(lanes[w.to].pid, w.object, w.why, l);
                    html! {
                        <line class="wake-arrow" data-testid="wake-arrow" data-from={from_name.clone()} data-to={to_name.clone()}
                              data-what={what(Lang::En)} data-from-us={w.from_us.to_string()} data-to-us={w.to_us.to_string()}
                              x1={x(w.from_us).to_string()} y1={mid(w.from).to_string()}
                              x2={x(w.to_us).to_string()} y2={mid(w.to).to_string()} marker-end="url(#pp-wake-head)">
                            <title>{ i18n::woke(from_name, to_name, &what(l), w.waited_us as f64 / 1e3, l) }</title>
                        </line>
                    }
                }) }
                if let Some(at) = props.cursor {
                    <line class="replay-cursor" data-testid="replay-cursor" data-at-us={at.to_string()}
                          x1={x(at).to_string()} x2={x(at).to_string()} y1="0" y2={(height - 20.0).to_string()} />
                }
                <text x={LABEL.to_string()} y={(height - 4.0).to_string()} class="axis">{ "0 ms" }</text>
                <text x={(WIDTH - 10.0).to_string()} y={(height - 4.0).to_string()} class="axis" text-anchor="end">
                    { format!("{:.1} ms", span / 1e3) }
                </text>
            </svg>
            <figcaption>
                if left_out > 0 {
                    <span data-testid="lanes-left-out">{ i18n::lanes_left_out(left_out, MAX_LANES, l) }</span>
                }
                if arrows_left_out > 0 {
                    <span data-testid="arrows-left-out">{ i18n::arrows_left_out(arrows_left_out, MAX_ARROWS, l) }</span>
                }
                <span class="key run"></span>{ i18n::LEGEND_RUNNING.get(l) }
                <span class="key wait"></span>{ i18n::LEGEND_WAITING.get(l) }
                <span class="key sleep"></span>{ i18n::LEGEND_SLEEPING.get(l) }
                <span class="key wake"></span>{ i18n::LEGEND_WOKE.get(l) }
                <span class="exports">
                    <button data-testid="export-trace" title={i18n::EXPORT_TRACE_TITLE.get(l)} onclick={on_export_trace}>
                        { i18n::EXPORT_TRACE.get(l) }
                    </button>
                    <button data-testid="export-svg" onclick={on_export_svg}>{ i18n::EXPORT_SVG.get(l) }</button>
                </span>
                if let Some(e) = (*export_error).clone() {
                    <span class="warning" role="alert">{ i18n::EXPORT_FAILED.get(l) }{ e }</span>
                }
            </figcaption>
        </figure>
    }
}
