//! The benchmark page's crossover chart: the CPU job twice in turn against on two processes,
//! by n (log scales), and where two processes start to pay (`bench::crossover`).

use crate::bench::crossover::{crossover_n, Point};
use crate::i18n::{self, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CrossoverProps {
    pub points: Vec<Point>,
}

const W: f64 = 480.0;
const H: f64 = 200.0;
const PAD: f64 = 36.0;

#[function_component(CrossoverChart)]
pub fn crossover_chart(props: &CrossoverProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let ps = &props.points;
    let (Some(first), Some(last)) = (ps.first(), ps.last()) else { return html! {} };
    let at = crossover_n(ps);
    let ms = |ns: f64| (ns / 1e6).max(1e-3).log10();
    let (lo, hi) = ps
        .iter()
        .flat_map(|p| [ms(p.sequential_ns), ms(p.two_processes_ns)])
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let span_x = f64::from((last.log2_n - first.log2_n).max(1));
    let x = |k: u32| PAD + f64::from(k - first.log2_n) / span_x * (W - 2.0 * PAD);
    let y = |v: f64| H - PAD - (v - lo) / (hi - lo).max(1e-9) * (H - 2.0 * PAD);
    let line = |f: fn(&Point) -> f64| {
        ps.iter().map(|p| format!("{:.1},{:.1}", x(p.log2_n), y(ms(f(p))))).collect::<Vec<_>>().join(" ")
    };
    let label = |k: u32| format!("2^{k}");
    html! {
        <figure class="crossover" data-testid="bench-crossover" data-n={at.map_or("none".into(), |n| n.to_string())}>
            <figcaption>{ i18n::BENCH_CROSSOVER.get(l) }{ ": " }{ i18n::bench_crossover_at(at, l) }</figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={i18n::BENCH_CROSSOVER.get(l)}>
                <line x1={PAD.to_string()} y1={(H - PAD).to_string()} x2={(W - PAD).to_string()} y2={(H - PAD).to_string()} class="axis" />
                <line x1={PAD.to_string()} y1={PAD.to_string()} x2={PAD.to_string()} y2={(H - PAD).to_string()} class="axis" />
                <text x={PAD.to_string()} y={(H - PAD / 3.0).to_string()}>{ label(first.log2_n) }</text>
                <text x={(W - PAD).to_string()} y={(H - PAD / 3.0).to_string()} text-anchor="end">{ label(last.log2_n) }</text>
                <text x="2" y={(PAD - 6.0).to_string()}>{ format!("{:.1} ms", 10f64.powf(hi)) }</text>
                <text x="2" y={(H - PAD + 4.0).to_string()}>{ format!("{:.1} ms", 10f64.powf(lo)) }</text>
                <polyline class="sequential" points={line(|p| p.sequential_ns)} />
                <polyline class="two-processes" points={line(|p| p.two_processes_ns)} />
                if let Some(n) = at {
                    <line class="crossing" x1={x(n.trailing_zeros()).to_string()} x2={x(n.trailing_zeros()).to_string()}
                          y1={PAD.to_string()} y2={(H - PAD).to_string()} />
                }
            </svg>
            <p class="legend">
                <span class="sequential">{ "— " }{ i18n::BENCH_CROSSOVER_SEQUENTIAL.get(l) }</span>{ "  " }
                <span class="two-processes">{ "— " }{ i18n::BENCH_CROSSOVER_TWO.get(l) }</span>
            </p>
        </figure>
    }
}
