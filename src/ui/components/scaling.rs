//! The benchmark page's scaling chart: speed-up against workers for each kind of worker
//! (`bench::scaling`), the ideal line, and Amdahl's law fitted to each kind and drawn on to
//! 16 workers: what this machine's cores measured, and what they predict for a larger one.

use crate::bench::scaling::{amdahl, Curve, Kind};
use crate::i18n::{self, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScalingProps {
    pub curves: Vec<Curve>,
}

const W: f64 = 480.0;
const H: f64 = 240.0;
const PAD: f64 = 36.0;
/// How far the fitted curves are drawn: a learner's laptop, not only this machine.
const PREDICT_TO: usize = 16;

fn kind_name(kind: Kind, l: Lang) -> &'static str {
    match kind {
        Kind::Processes => i18n::BENCH_SCALING_PROCESSES.get(l),
        Kind::Threads => i18n::BENCH_SCALING_THREADS.get(l),
        Kind::Rayon => i18n::BENCH_SCALING_RAYON.get(l),
    }
}

#[function_component(ScalingChart)]
pub fn scaling_chart(props: &ScalingProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    if props.curves.is_empty() {
        return html! {};
    }
    let measured = props.curves.iter().flat_map(|c| c.points.iter().map(|p| p.0)).max().unwrap_or(1);
    let top = measured.max(PREDICT_TO) as f64;
    let x = |k: f64| PAD + (k - 1.0) / (top - 1.0) * (W - 2.0 * PAD);
    let y = |s: f64| H - PAD - s.min(top) / top * (H - 2.0 * PAD);
    let pt = |k: f64, s: f64| format!("{:.1},{:.1}", x(k), y(s));
    let fitted = |p: f64| (1..=top as usize).map(|k| pt(k as f64, amdahl(p, k as f64))).collect::<Vec<_>>().join(" ");
    html! {
        <figure class="scaling" data-testid="bench-scaling" data-workers={measured.to_string()}>
            <figcaption>{ i18n::BENCH_SCALING.get(l) }</figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={i18n::BENCH_SCALING.get(l)}>
                <line x1={PAD.to_string()} y1={(H - PAD).to_string()} x2={(W - PAD).to_string()} y2={(H - PAD).to_string()} class="axis" />
                <line x1={PAD.to_string()} y1={PAD.to_string()} x2={PAD.to_string()} y2={(H - PAD).to_string()} class="axis" />
                <text x={PAD.to_string()} y={(H - PAD / 3.0).to_string()}>{ "1" }</text>
                <text x={x(measured as f64).to_string()} y={(H - PAD / 3.0).to_string()} text-anchor="middle">{ measured }</text>
                <text x={(W - PAD).to_string()} y={(H - PAD / 3.0).to_string()} text-anchor="end">{ format!("{top} {}", i18n::BENCH_SCALING_WORKERS.get(l)) }</text>
                <text x="2" y={(PAD - 6.0).to_string()}>{ format!("{top}x") }</text>
                <text x="2" y={(H - PAD + 4.0).to_string()}>{ "0x" }</text>
                <line class="ideal" x1={x(1.0).to_string()} y1={y(1.0).to_string()} x2={x(top).to_string()} y2={y(top).to_string()} />
                <line class="measured-edge" x1={x(measured as f64).to_string()} x2={x(measured as f64).to_string()}
                      y1={PAD.to_string()} y2={(H - PAD).to_string()} />
                { for props.curves.iter().map(|c| html! {
                    <g class={classes!("kind", c.kind.as_str())} data-kind={c.kind.as_str()} data-parallel={format!("{:.3}", c.parallel)}>
                        <polyline class="fit" points={fitted(c.parallel)} />
                        <polyline class="measured" points={c.points.iter().map(|&(k, s)| pt(k as f64, s)).collect::<Vec<_>>().join(" ")} />
                        { for c.points.iter().map(|&(k, s)| html! {
                            <circle cx={x(k as f64).to_string()} cy={y(s).to_string()} r="3">
                                <title>{ format!("{} × {k}: {s:.2}x", kind_name(c.kind, l)) }</title>
                            </circle>
                        }) }
                    </g>
                }) }
            </svg>
            <p class="legend">
                <span class="ideal">{ "— " }{ i18n::BENCH_SCALING_IDEAL.get(l) }</span>
                { for props.curves.iter().map(|c| html! {
                    <span class={classes!("kind", c.kind.as_str())}>
                        { "  — " }{ kind_name(c.kind, l) }{ ": " }
                        { i18n::bench_scaling_fit(c.parallel, amdahl(c.parallel, PREDICT_TO as f64), PREDICT_TO, l) }
                    </span>
                }) }
            </p>
        </figure>
    }
}
