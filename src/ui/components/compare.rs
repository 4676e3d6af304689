//! Two finished runs of the example side by side, told as the order things happened in
//! (`ui::compare`), from a little before the step where they first part.

use crate::i18n::{self, CompareStep, Lang};
use crate::ui::address::Mode;
use crate::ui::compare::{first_difference, story, Step, Story, What};
use crate::ui::hooks::RunHandle;
use crate::ui::state::Status;
use std::rc::Rc;
use yew::prelude::*;

/// The example's last two finished runs in the tab `mode`, told, once there are two: (the
/// run before, this run). Switching tabs starts again (a port and a Python program are not
/// the same program). A run is told once `ended` (the page has shown its end).
#[hook]
pub fn use_last_two_runs(run: &RunHandle, mode: Mode, ended: bool) -> Option<(Rc<Story>, Rc<Story>)> {
    let kept = use_mut_ref(|| (mode, None::<Rc<Story>>, None::<Rc<Story>>));
    let s = run.state.borrow();
    let mut k = kept.borrow_mut();
    if k.0 != mode {
        *k = (mode, None, None);
    }
    let finished = ended && !s.status.is_live() && s.status != Status::Idle;
    if finished && k.2.as_ref().is_none_or(|now| now.run != s.run) {
        k.1 = k.2.replace(Rc::new(story(&s)));
    }
    match (&k.1, &k.2) {
        (Some(before), Some(now)) if now.run == s.run => Some((before.clone(), now.clone())),
        _ => None,
    }
}

#[derive(Properties)]
pub struct CompareProps {
    pub before: Rc<Story>,
    pub now: Rc<Story>,
}

impl PartialEq for CompareProps {
    /// By identity: a story is made once per finished run (`use_last_two_runs`), and
    /// comparing thousands of steps on every redraw of the example would be wasted.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.before, &other.before) && Rc::ptr_eq(&self.now, &other.now)
    }
}

/// Steps shown before the first difference, and in all.
const CONTEXT: usize = 3;
const SHOWN: usize = 16;

#[function_component(ComparePanel)]
pub fn compare_panel(props: &CompareProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let (before, now) = (&props.before, &props.now);
    let differs = first_difference(before, now);
    let from = differs.map_or(0, |d| d.saturating_sub(CONTEXT));
    let column = |story: &Story, testid: &'static str, title: &'static str| {
        html! {
            <div class="compare-run">
                <h4>{ title }{ format!(" (#{})", story.run) }</h4>
                <ol data-testid={testid} start={(from + 1).to_string()} translate="no">
                    { for story.steps.iter().enumerate().skip(from).take(SHOWN).map(|(i, step)| {
                        let first = differs == Some(i);
                        html! {
                            <li data-testid="compare-step" data-index={i.to_string()} data-who={step.who.clone()}
                                class={classes!(first.then_some("differs"))}
                                data-differs={first.then_some("true")}>
                                { told(step, l) }
                            </li>
                        }
                    }) }
                </ol>
                if story.cut {
                    <p class="compare-cut">{ format!("… (> {})", crate::ui::compare::MAX_STEPS) }</p>
                }
            </div>
        }
    };
    html! {
        <details class="compare" data-testid="compare" open=true>
            <summary>{ i18n::COMPARE.get(l) }</summary>
            <p data-testid="compare-summary"
               data-first-difference={differs.map(|d| d.to_string()).unwrap_or_default()}
               data-before-run={before.run.to_string()} data-now-run={now.run.to_string()}>
                { i18n::compare_summary(differs, before.steps.len().max(now.steps.len()), l) }
            </p>
            <p class="compare-note">{ i18n::COMPARE_TIMES_LEFT_OUT.get(l) }</p>
            <div class="compare-runs">
                { column(before, "compare-before", i18n::COMPARE_BEFORE.get(l)) }
                { column(now, "compare-now", i18n::COMPARE_NOW.get(l)) }
            </div>
        </details>
    }
}

fn told(step: &Step, l: Lang) -> String {
    let what = match &step.what {
        What::Started => CompareStep::Started,
        What::Ended => CompareStep::Ended,
        What::Printed(text) => CompareStep::Printed(text),
        What::WokenBy { by, object, why } => {
            CompareStep::WokenBy { by, verb: why.map_or("wait", |w| w.verb()), object }
        }
    };
    i18n::compare_step(&step.who, what, l)
}
