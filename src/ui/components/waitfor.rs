//! The wait-for graph of a deadlock: threads and the locks they hold and wait for, drawn
//! around a circle in the order of the cycle (thread → lock it waits for → thread holding
//! it → ...).

use crate::i18n::{self, Lang};
use crate::ui::hooks::RunHandle;
use pp_runtime::watch::graph::WaitEdge;
use std::f64::consts::PI;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WaitForProps {
    /// The cycle, in wait order (its threads may be of several processes).
    pub cycle: Vec<WaitEdge>,
    pub run: RunHandle,
}

const SIZE: f64 = 320.0;
const RADIUS: f64 = 110.0;

#[function_component(WaitForGraph)]
pub fn wait_for_graph(props: &WaitForProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let s = props.run.state.borrow();
    // Nodes in cycle order: each edge gives its thread, then the object it waits for.
    let nodes: Vec<(String, bool)> = props
        .cycle
        .iter()
        .flat_map(|e| [(s.thread_name(e.thread.0, e.thread.1), true), (s.object_name(e.thread.0, e.object), false)])
        .collect();
    let n = nodes.len().max(1) as f64;
    let at = |i: usize| {
        let a = -PI / 2.0 + 2.0 * PI * i as f64 / n;
        (SIZE / 2.0 + RADIUS * a.cos(), SIZE / 2.0 + RADIUS * a.sin())
    };
    let arrows = (0..nodes.len()).map(|i| {
        let j = (i + 1) % nodes.len();
        let ((x1, y1), (x2, y2)) = (at(i), at(j));
        // Stop short of the nodes' labels.
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (ux, uy) = (dx / len * 34.0, dy / len * 34.0);
        let (label, shown) = if nodes[i].1 { ("waits for", i18n::WAITS_FOR) } else { ("held by", i18n::HELD_BY) };
        html! {
            <g data-testid="waitfor-edge" data-from={nodes[i].0.clone()} data-to={nodes[j].0.clone()} data-label={label}>
                <line x1={(x1 + ux).to_string()} y1={(y1 + uy).to_string()} x2={(x2 - ux).to_string()} y2={(y2 - uy).to_string()}
                      marker-end="url(#arrow)" />
                <text x={((x1 + x2) / 2.0).to_string()} y={((y1 + y2) / 2.0 - 4.0).to_string()} text-anchor="middle" class="edge">{ shown.get(l) }</text>
            </g>
        }
    });
    html! {
        <figure class="waitfor" data-testid="waitfor-graph">
            <svg viewBox={format!("0 0 {SIZE} {SIZE}")} width={SIZE.to_string()} role="img" aria-label={i18n::WAITFOR_LABEL.get(l)}>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" />
                    </marker>
                </defs>
                { for arrows }
                { for nodes.iter().enumerate().map(|(i, (name, is_thread))| {
                    let (x, y) = at(i);
                    html! {
                        <g class={classes!("node", if *is_thread { "thread" } else { "object" })}>
                            if *is_thread {
                                <circle cx={x.to_string()} cy={y.to_string()} r="26" />
                            } else {
                                <rect x={(x - 34.0).to_string()} y={(y - 16.0).to_string()} width="68" height="32" rx="4" />
                            }
                            <text x={x.to_string()} y={(y + 4.0).to_string()} text-anchor="middle">{ name }</text>
                        </g>
                    }
                }) }
            </svg>
            <figcaption>{ i18n::WAITFOR_CAPTION.get(l) }</figcaption>
        </figure>
    }
}
