//! Replay a finished run: a scrubber over the moments something happened (left/right step,
//! Home/End, as a range input does), and the run at that moment: the lines printed so far,
//! each thread's state and what it waited for, and who waited for whom (`ui::replay`). The
//! timeline draws the moment as a cursor.

use crate::i18n::{self, Lang};
use crate::ui::hooks::RunHandle;
use crate::ui::replay::{moment, printed, steps, ThreadAt};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReplayProps {
    pub run: RunHandle,
    /// The moment shown (µs since the run's start), for the timeline's cursor.
    pub on_cursor: Callback<u64>,
}

/// Lines of the console shown at a moment (the count says how many there were).
const LAST_LINES: usize = 8;

#[function_component(ReplayPanel)]
pub fn replay_panel(props: &ReplayProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let s = props.run.state.borrow();
    let times = steps(&s);
    let last = times.len().saturating_sub(1);
    // The run's end first; the panel is made anew for each run (its key).
    let index = use_state(|| usize::MAX);
    let i = (*index).min(last);
    let at = times.get(i).copied().unwrap_or(0);
    {
        // Until the learner moves, the page draws the cursor at the run's end itself: an
        // emit here would draw the whole example again as the run ends.
        let on_cursor = props.on_cursor.clone();
        let moved = *index != usize::MAX;
        use_effect_with(at, move |at| {
            if moved {
                on_cursor.emit(*at)
            }
        });
    }
    let go = |to: usize| {
        let index = index.clone();
        Callback::from(move |_| index.set(to.min(last)))
    };
    let on_input = {
        let index = index.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            if let Ok(v) = value.parse::<usize>() {
                index.set(v.min(last));
            }
        })
    };
    let m = moment(&s, at);
    let shown: Vec<_> = printed(&s).take(m.lines).skip(m.lines.saturating_sub(LAST_LINES)).collect();
    html! {
        <details class="replay" data-testid="replay" open=true>
            <summary>{ i18n::REPLAY.get(l) }</summary>
            <div class="replay-controls">
                <button data-testid="replay-prev" onclick={go(i.saturating_sub(1))} disabled={i == 0}
                        aria-label={i18n::REPLAY_PREV.get(l)} translate="no">{ "◀" }</button>
                <input type="range" data-testid="replay-scrubber" min="0" max={last.to_string()} value={i.to_string()}
                       oninput={on_input} aria-label={i18n::REPLAY.get(l)} />
                <button data-testid="replay-next" onclick={go(i + 1)} disabled={i == last}
                        aria-label={i18n::REPLAY_NEXT.get(l)} translate="no">{ "▶" }</button>
                <span data-testid="replay-time" data-at-us={at.to_string()} data-step={i.to_string()}>
                    { i18n::replay_moment(at as f64 / 1e3, i + 1, last + 1, l) }
                </span>
            </div>
            <div class="replay-console" data-testid="replay-console" data-lines={m.lines.to_string()} translate="no">
                { for shown.iter().map(|line| html! {
                    <div class="line" data-testid="replay-line" data-who={line.who.clone()}>{ &line.text }</div>
                }) }
            </div>
            <table class="replay-threads">
                { for m.threads.iter().enumerate().filter(|(_, t)| **t != ThreadAt::NotStarted).map(|(lane, t)| {
                    let name = &s.lanes[lane].name;
                    let what = match t {
                        ThreadAt::Waiting { object, why } => s.label(s.lanes[lane].pid, *object, *why, Lang::En),
                        _ => String::new(),
                    };
                    let said = match t {
                        ThreadAt::Waiting { object, why } => s.label(s.lanes[lane].pid, *object, *why, l),
                        ThreadAt::Running => i18n::REPLAY_RUNNING.get(l).to_string(),
                        ThreadAt::Sleeping => i18n::REPLAY_SLEEPING.get(l).to_string(),
                        ThreadAt::Done | ThreadAt::NotStarted => i18n::REPLAY_DONE.get(l).to_string(),
                    };
                    let waiting = !what.is_empty();
                    html! {
                        <tr data-testid="replay-thread" data-thread={name.clone()} data-state={t.as_str()} data-what={what}>
                            // A wait is said with the method and the object's name, as on the
                            // timeline: the program's words, not translated.
                            <th translate="no">{ name }</th>
                            <td class={t.as_str()} translate={if waiting { "no" } else { "yes" }}>{ said }</td>
                        </tr>
                    }
                }) }
            </table>
            if !m.waits_for.is_empty() {
                <ul class="replay-waits">
                    { for m.waits_for.iter().map(|&(lane, (pid, object), taker)| {
                        let (who, what) = (&s.lanes[lane].name, s.object_name(pid, object));
                        let by = taker.map(|t| s.lanes[t].name.clone());
                        html! {
                            <li data-testid="replay-edge" data-from={who.clone()} data-object={what.clone()}
                                data-to={by.clone().unwrap_or_default()}>
                                { i18n::replay_waits_for(who, &what, by.as_deref(), l) }
                            </li>
                        }
                    }) }
                </ul>
            }
        </details>
    }
}
