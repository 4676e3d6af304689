//! Where the time went: under the timeline, each thread's wall time as one bar split into
//! running, waiting for the GIL, blocked and sleeping, and the objects the threads waited for,
//! each with its waits, their total and longest, who waited, and its hand-overs (`ui::split`).

use crate::i18n::{self, Lang};
use crate::ui::hooks::RunHandle;
use crate::ui::split::{contention, thread_splits};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BreakdownProps {
    pub run: RunHandle,
}

/// Threads and objects shown at most (the timeline's own limit for threads).
const MAX_ROWS: usize = 64;

fn ms(us: u64) -> String {
    format!("{:.1} ms", us as f64 / 1e3)
}

fn pct(part: u64, whole: u64) -> f64 {
    100.0 * part as f64 / whole.max(1) as f64
}

#[function_component(Breakdown)]
pub fn breakdown(props: &BreakdownProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let s = props.run.state.borrow();
    if s.lanes.is_empty() {
        return html! {};
    }
    let splits = thread_splits(&s);
    let objects = contention(&s);
    let most = objects.first().map_or(1, |c| c.total_us).max(1);
    html! {
        <details class="breakdown" data-testid="breakdown" open=true>
            <summary>{ i18n::BREAKDOWN.get(l) }</summary>
            // Names of the program's threads and objects are not translated (translate=no), as
            // on the timeline; the tables scroll within themselves on a narrow screen.
            <div class="table-scroll">
            <table class="splits">
                { for splits.iter().take(MAX_ROWS).map(|t| {
                    let lane = &s.lanes[t.lane];
                    let total = t.total_us();
                    let parts = [
                        ("run", t.running_us, i18n::SPLIT_RUNNING),
                        ("gil", t.gil_us, i18n::SPLIT_GIL),
                        ("wait", t.blocked_us, i18n::SPLIT_BLOCKED),
                        ("sleep", t.sleeping_us, i18n::SPLIT_SLEEPING),
                    ];
                    let on: Vec<String> = t.blocked_on.iter().take(3).map(|&((pid, id), us)| {
                        format!("{} {}", s.object_name(pid, id), ms(us))
                    }).collect();
                    html! {
                        <tr data-testid="thread-split" data-thread={lane.name.clone()} data-running-us={t.running_us.to_string()}
                            data-gil-us={t.gil_us.to_string()} data-blocked-us={t.blocked_us.to_string()}
                            data-sleeping-us={t.sleeping_us.to_string()}>
                            <th translate="no">{ &lane.name }</th>
                            <td class="stack-cell">
                                <div class="stack">
                                    { for parts.iter().filter(|p| p.1 > 0).map(|(class, us, _)| html! {
                                        <span class={*class} style={format!("width: {:.2}%", pct(*us, total))}></span>
                                    }) }
                                </div>
                            </td>
                            <td class="numbers">
                                { parts.iter().filter(|p| p.1 > 0).map(|(_, us, name)| {
                                    format!("{} {:.0}%", name.get(l), pct(*us, total))
                                }).collect::<Vec<_>>().join(" · ") }
                                if !on.is_empty() {
                                    <small translate="no">{ format!(" ({})", on.join(", ")) }</small>
                                }
                            </td>
                        </tr>
                    }
                }) }
            </table>
            </div>
            if !objects.is_empty() {
                <div class="table-scroll">
                <table class="contention">
                    <tr>
                        <th>{ i18n::CONTENTION_OBJECT.get(l) }</th><th>{ i18n::CONTENTION_WAITS.get(l) }</th>
                        <th>{ i18n::CONTENTION_TOTAL.get(l) }</th><th></th><th>{ i18n::CONTENTION_LONGEST.get(l) }</th>
                        <th>{ i18n::CONTENTION_HAND_OVERS.get(l) }</th><th>{ i18n::CONTENTION_WHO.get(l) }</th>
                    </tr>
                    { for objects.iter().take(MAX_ROWS).map(|c| {
                        let name = s.object_name(c.object.0, c.object.1);
                        let who: Vec<&str> = c.waiters.iter().map(|&i| s.lanes[i].name.as_str()).collect();
                        html! {
                            <tr data-testid="contention" data-object={name.clone()} data-waits={c.waits.to_string()}
                                data-total-us={c.total_us.to_string()} data-longest-us={c.longest_us.to_string()}
                                data-hand-overs={c.hand_overs.to_string()}>
                                <td translate="no">{ name }</td>
                                <td class="n">{ c.waits }</td>
                                <td class="n">{ ms(c.total_us) }</td>
                                <td class="bar"><span style={format!("width: {:.1}%", pct(c.total_us, most))}></span></td>
                                <td class="n">{ ms(c.longest_us) }</td>
                                <td class="n">{ c.hand_overs }</td>
                                <td class="who" translate="no">{ who.join(", ") }</td>
                            </tr>
                        }
                    }) }
                </table>
                </div>
            }
        </details>
    }
}
