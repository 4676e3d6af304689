//! The console: each printed line, tagged with the thread that printed it, in arrival order.
//! The runtime's and the page's own messages are notes, set apart from the program's lines.
//! A long run keeps every line; the page draws the last `SHOWN` unless asked for all.

use crate::ui::hooks::RunHandle;
use crate::ui::state::LineKind;
use yew::prelude::*;

/// Lines drawn by default: enough to read, few enough to redraw 60 times a second.
const SHOWN: usize = 2000;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub run: RunHandle,
}

#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let show_all = use_state(|| false);
    let end = use_node_ref();
    {
        let end = end.clone();
        use_effect_with(props.run.version, move |_| {
            if let Some(el) = end.cast::<web_sys::Element>() {
                el.scroll_into_view_with_bool(false);
            }
        });
    }
    let state = props.run.state.borrow();
    let hidden = if *show_all { 0 } else { state.lines.len().saturating_sub(SHOWN) };
    let on_show_all = {
        let show_all = show_all.clone();
        Callback::from(move |_| show_all.set(true))
    };
    html! {
        <div class="console" data-testid="console">
            if hidden > 0 {
                <div class="note hidden-lines">
                    { format!("{hidden} earlier lines are not drawn. ") }
                    <button data-testid="show-all-lines" onclick={on_show_all}>{ "Show all" }</button>
                </div>
            }
            { for state.lines[hidden..].iter().map(|l| {
                let at = format!("{:.1} ms", l.at_us as f64 / 1000.0);
                match l.kind {
                    LineKind::Note => html! {
                        <div class="note" data-testid="note" title={at}>{ &l.text }</div>
                    },
                    // The tag is drawn from data-who by CSS, so the element's text is
                    // exactly what the program printed.
                    kind => html! {
                        <div class={classes!("line", (kind == LineKind::Err).then_some("stderr"))}
                             data-testid="line" data-who={l.who.clone()} title={at}>{ &l.text }</div>
                    },
                }
            }) }
            <div ref={end}></div>
        </div>
    }
}
