//! Shake and Prove it: the buttons, the progress of the runs, and what came of them (a
//! histogram of outcomes, the failing seeds, a pitfall lab's verdict). The runs themselves are
//! started by the example page (`example`), which owns the runner.

use crate::i18n::{self, Lang};
use crate::ui::shake::{Lab, Label, Purpose, Shake};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShakeProps {
    /// The shake going on or last made, if any.
    pub shake: Option<Shake>,
    pub lab: Option<Lab>,
    pub can_run: bool,
    pub on_start: Callback<Purpose>,
    pub on_cancel: Callback<()>,
    /// Replays the run of one seed, once.
    pub on_replay: Callback<u32>,
    /// Whether a replay orders everything the threads share (the Python tab with the GIL
    /// on), or only the runtime's objects.
    pub exact: bool,
}

#[function_component(ShakePanel)]
pub fn shake_panel(props: &ShakeProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let going = props.shake.as_ref().is_some_and(|s| !s.finished());
    let start = |purpose| {
        let on_start = props.on_start.clone();
        Callback::from(move |_| on_start.emit(purpose))
    };
    let on_cancel = props.on_cancel.reform(|_| ());
    html! {
        <section class="shake" data-testid="shake-panel">
            if let Some(lab) = props.lab {
                <p class="task" data-testid="lab-task">{ lab.task.get(l) }</p>
            }
            <div class="shake-controls">
                <button data-testid="shake" title={i18n::SHAKE_TITLE.get(l)} onclick={start(Purpose::Shake)}
                        disabled={!props.can_run || going}>{ i18n::SHAKE.get(l) }</button>
                if props.lab.is_some() {
                    <button data-testid="prove" title={i18n::PROVE_TITLE.get(l)} onclick={start(Purpose::Prove)}
                            disabled={!props.can_run || going}>{ i18n::PROVE.get(l) }</button>
                }
                if let Some(s) = props.shake.as_ref().filter(|_| going) {
                    <progress value={s.outcomes.len().to_string()} max={s.runs.to_string()}></progress>
                    <span data-testid="shake-progress">{ i18n::shake_progress(s.outcomes.len(), s.runs as usize, l) }</span>
                    <button data-testid="shake-cancel" onclick={on_cancel}>{ i18n::SHAKE_CANCEL.get(l) }</button>
                }
            </div>
            if let Some(s) = props.shake.as_ref().filter(|s| s.finished()) {
                { result(s, l, &props.on_replay, props.exact) }
            }
        </section>
    }
}

fn result(s: &Shake, l: Lang, on_replay: &Callback<u32>, exact: bool) -> Html {
    let (runs, failures) = (s.runs.to_string(), s.failures().to_string());
    let bars = s.histogram();
    let most = bars.first().map_or(1, |b| b.1).max(1);
    let testid = if s.purpose == Purpose::Prove { "prove-result" } else { "shake-result" };
    let verdict = (s.purpose == Purpose::Prove).then(|| if s.failures() == 0 { "fixed" } else { "not-fixed" });
    let replay = s.first_failure().map(|o| {
        let (on_replay, seed) = (on_replay.clone(), o.seed);
        html! {
            <button data-testid="shake-replay" data-seed={seed.to_string()} onclick={Callback::from(move |_| on_replay.emit(seed))}>
                { format!("{}{seed}", i18n::SHAKE_REPLAY.get(l)) }
            </button>
        }
    });
    html! {
        <div class={classes!("shake-result", verdict)} data-testid={testid} data-runs={runs} data-failures={failures}
             data-verdict={verdict.unwrap_or_default()} role="status">
            <p>
                { match s.purpose {
                    Purpose::Prove => crate::ui::shake::verdict(s, l),
                    Purpose::Shake => i18n::shake_summary(s.runs as usize, s.failures(), l),
                } }
            </p>
            <table class="histogram" aria-label={i18n::SHAKE_OUTCOMES.get(l)}>
                { for bars.iter().map(|(label, count, failed)| html! {
                    <tr class={classes!(failed.then_some("failed"))} data-testid="shake-bar" data-count={count.to_string()}
                        data-failed={failed.to_string()}>
                        <td class="count">{ count }</td>
                        <td class="bar"><span style={format!("width: {:.0}%", 100.0 * *count as f64 / most as f64)}></span></td>
                        // What the program printed is its own, not translated.
                        <td class="label" translate={if matches!(label, Label::Printed(_)) { "no" } else { "yes" }}>{ label.text(l) }</td>
                    </tr>
                }) }
            </table>
            if let Some(replay) = replay {
                <p>
                    { replay }
                    <small>{ " " }{ if exact { i18n::SHAKE_REPLAY_EXACT.get(l) } else { i18n::SHAKE_REPLAY_OBJECTS.get(l) } }</small>
                </p>
            }
            if let Some((r, v)) = s.replaying.as_ref().and_then(|r| r.verdict.as_ref().map(|v| (r, v))) {
                <p data-testid="shake-replay-verdict" data-seed={r.seed.to_string()} data-same={v.same.to_string()}
                   data-departed-at={v.departed_at.map(|a| a.to_string()).unwrap_or_default()}>
                    { i18n::replay_verdict(r.seed, v.same, v.departed_at, l) }
                </p>
            }
            <p><small>{ i18n::SHAKE_PLAIN_MEMORY.get(l) }</small></p>
        </div>
    }
}
