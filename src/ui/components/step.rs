//! Be the scheduler: the Step button, and while a stepped run goes on the threads the learner
//! may let go (click, or keys 1-9), the schedule made so far, and after the run a replay of
//! that schedule. The runs themselves are started by the example page, which owns the runner.

use super::copy::CopyButton;
use crate::i18n::{self, Lang};
use crate::ui::hooks::{use_document_keydown, RunHandle};
use crate::ui::replay::moment;
use crate::ui::step::{encode_schedule, is_line, key_of, Playback, Schedule, StepChoice};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StepProps {
    pub run: RunHandle,
    pub can_run: bool,
    /// The Python tab's program, to show the line a thread waits at.
    pub source: Option<Rc<str>>,
    /// A schedule a link gave (`schedule=`), to play back.
    pub shared: Option<Schedule>,
    pub on_start: Callback<()>,
    /// Lets a thread (its id in the first process) go on, the choice at a place.
    pub on_choose: Callback<(u32, usize)>,
    pub on_free: Callback<()>,
    /// The page's link to a schedule (with the program it was made on).
    pub link: Callback<Schedule, String>,
}

#[function_component(StepPanel)]
pub fn step_panel(props: &StepProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    // A schedule being played back, kept across the runs it starts.
    let playback: Rc<RefCell<Option<Playback>>> = use_mut_ref(|| None);
    let s = props.run.state.borrow();
    let live = s.status.is_live();
    let step = s.step.clone().filter(|st| !st.schedule.free || !live);
    let choices: Vec<StepChoice> = step.as_ref().filter(|_| live).and_then(|st| st.choices.clone()).unwrap_or_default();
    // Who waits for whom now, and who last took what they wait for: the replay's view of the
    // run's latest moment, following the run as the learner steps it.
    let waits: Vec<(String, String, Option<String>)> = if step.is_some() && live {
        moment(&s, s.last_us)
            .waits_for
            .iter()
            .map(|&(lane, (pid, object), taker)| {
                (s.lanes[lane].name.clone(), s.object_name(pid, object), taker.map(|t| s.lanes[t].name.clone()))
            })
            .collect()
    } else {
        Vec::new()
    };
    drop(s);
    {
        // Plays the schedule back: at each settled moment its next thread goes on.
        let (playback, on_choose, on_free, choices) =
            (playback.clone(), props.on_choose.clone(), props.on_free.clone(), choices.clone());
        use_effect_with(props.run.version, move |_| {
            let mut slot = playback.borrow_mut();
            if let Some(p) = slot.as_mut().filter(|p| !p.done()) {
                if let Some(chosen) = p.next(&choices) {
                    on_choose.emit(chosen);
                } else if !choices.is_empty() && p.take_free() {
                    on_free.emit(());
                }
            }
        });
    }
    // Keys 1-9 choose, unless the learner is typing (the editor, a field).
    let keyed = use_mut_ref(|| (Vec::<u32>::new(), Callback::<(u32, usize)>::noop()));
    *keyed.borrow_mut() = (choices.iter().map(|c| c.choice.thread).collect(), props.on_choose.clone());
    use_document_keydown(move |e: web_sys::KeyboardEvent| {
        let typing = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("input, textarea, [contenteditable]").ok().flatten())
            .is_some();
        // A held key would step on by itself: one press, one step.
        if e.default_prevented() || typing || e.repeat() || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        let (threads, on_choose) = keyed.borrow().clone();
        let index = e.key().chars().next().and_then(|c| c.to_digit(10)).filter(|&d| d >= 1).map(|d| d as usize - 1);
        if let Some((place, &thread)) = index.and_then(|i| threads.get(i).map(|t| (i, t))) {
            e.prevent_default();
            on_choose.emit((thread, place));
        }
    });

    let on_start = {
        let (on_start, playback) = (props.on_start.clone(), playback.clone());
        Callback::from(move |_| {
            playback.borrow_mut().take();
            on_start.emit(())
        })
    };
    let play = |schedule: Schedule| {
        let (on_start, playback) = (props.on_start.clone(), playback.clone());
        Callback::from(move |_| {
            *playback.borrow_mut() = Some(Playback::new(&schedule));
            on_start.emit(())
        })
    };
    let made = step.as_ref().map(|st| st.schedule.clone()).unwrap_or_default();
    let on_replay = play(made.clone());
    let share = {
        let link = props.link.clone();
        Callback::from(move |()| link.emit(made.clone()))
    };
    let on_free = props.on_free.reform(|_| ());
    let line_text = |line: u32| {
        let source = props.source.as_deref()?;
        let text = source.lines().nth((line as usize).checked_sub(1)?)?.trim();
        (!text.is_empty()).then(|| text.to_string())
    };
    let diverged = playback.borrow().as_ref().and_then(|p| p.diverged_at);
    html! {
        <section class="step" data-testid="step-panel">
            <div class="step-controls">
                <button data-testid="step" title={i18n::STEP_TITLE.get(l)} onclick={on_start}
                        disabled={!props.can_run}>{ i18n::STEP.get(l) }</button>
                if let Some(st) = step.as_ref().filter(|st| !live && !st.order.is_empty()) {
                    <button data-testid="step-replay" data-steps={st.order.len().to_string()} onclick={on_replay}
                            disabled={!props.can_run}>{ i18n::STEP_REPLAY.get(l) }</button>
                    <CopyButton testid="step-share" label={i18n::STEP_SHARE} done={i18n::STEP_SHARE_COPIED} text={share} />
                }
                if let Some(shared) = props.shared.clone().filter(|_| !live) {
                    <button data-testid="step-shared" data-steps={shared.picks.len().to_string()} onclick={play(shared)}
                            disabled={!props.can_run}>{ i18n::STEP_SHARED.get(l) }</button>
                }
            </div>
            if let Some(st) = step.as_ref().filter(|_| live) {
                <div class="step-live" role="group" aria-label={i18n::STEP_HEADING.get(l)}>
                    <p>{ i18n::STEP_HEADING.get(l) }</p>
                    { match &st.choices {
                        None => html! { <p class="step-wait" data-testid="step-state" data-state="running">{ i18n::STEP_RUNNING.get(l) }</p> },
                        Some(cs) if cs.is_empty() => html! {
                            <p class="step-wait" data-testid="step-state" data-state="none">{ i18n::STEP_NONE.get(l) }</p>
                        },
                        Some(cs) => html! {
                            <ol class="step-choices" data-testid="step-state" data-state="choose">
                                { for cs.iter().enumerate().map(|(i, c)| {
                                    let (on_choose, thread) = (props.on_choose.clone(), c.choice.thread);
                                    let code = is_line(c.choice.point).then(|| line_text(c.choice.line)).flatten();
                                    html! {
                                        <li>
                                            <button data-testid="step-choice" data-thread={c.name.clone()}
                                                    data-point={format!("{:?}", c.choice.point).to_lowercase()}
                                                    data-line={c.choice.line.to_string()}
                                                    aria-keyshortcuts={key_of(i).map(String::from)}
                                                    onclick={Callback::from(move |_| on_choose.emit((thread, i)))}>
                                                if let Some(k) = key_of(i) { <kbd>{ k }</kbd>{ " " } }
                                                <strong>{ &c.name }</strong>{ " · " }
                                                { i18n::step_point(c.choice.point, c.choice.line, l) }
                                                if let Some(code) = code { { " " }<code>{ code }</code> }
                                            </button>
                                        </li>
                                    }
                                }) }
                            </ol>
                        },
                    } }
                    if !waits.is_empty() {
                        <ul class="replay-waits">
                            { for waits.iter().map(|(who, what, by)| html! {
                                <li data-testid="step-edge" data-from={who.clone()} data-object={what.clone()}
                                    data-to={by.clone().unwrap_or_default()}>
                                    { i18n::replay_waits_for(who, what, by.as_deref(), l) }
                                </li>
                            }) }
                        </ul>
                    }
                    <button data-testid="step-free" onclick={on_free}>{ i18n::STEP_FREE.get(l) }</button>
                    <p class="step-note">{ i18n::STEP_ONE_PROCESS.get(l) }</p>
                </div>
            }
            if let Some(at) = diverged {
                <p class="step-diverged" data-testid="step-diverged" role="status">{ i18n::step_diverged(at, l) }</p>
            }
            if let Some(st) = step.as_ref().filter(|st| !st.order.is_empty()) {
                <p class="step-order" data-testid="step-order" data-steps={st.order.len().to_string()}
                   data-schedule={encode_schedule(&st.schedule)}>
                    { i18n::STEP_ORDER.get(l) }{ shown_order(&st.order) }
                </p>
            }
        </section>
    }
}

/// The schedule as text: its last steps, if it is long.
fn shown_order(order: &[String]) -> String {
    const SHOWN: usize = 40;
    let from = order.len().saturating_sub(SHOWN);
    let text = order[from..].join(" → ");
    if from > 0 {
        format!("… {text}")
    } else {
        text
    }
}
