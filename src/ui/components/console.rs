//! The console: each printed line, tagged with the thread that printed it, in arrival order.
//! The runtime's and the page's own messages are notes, set apart from the program's lines.

use crate::ui::state::{ConsoleLine, LineKind};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub lines: Vec<ConsoleLine>,
}

#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let end = use_node_ref();
    {
        let end = end.clone();
        use_effect_with(props.lines.len(), move |_| {
            if let Some(el) = end.cast::<web_sys::Element>() {
                el.scroll_into_view_with_bool(false);
            }
        });
    }
    html! {
        <div class="console" data-testid="console">
            { for props.lines.iter().map(|l| {
                let at = format!("{:.1} ms", l.at_us as f64 / 1000.0);
                match l.kind {
                    LineKind::Note => html! {
                        <div class="note" data-testid="note" title={at}>{ &l.text }</div>
                    },
                    kind => html! {
                        // The tag is drawn from data-who by CSS, so the element's text is
                        // exactly what the program printed.
                        <div class={classes!("line", (kind == LineKind::Err).then_some("stderr"))}
                             data-testid="line" data-who={l.who.clone()} title={at}>{ &l.text }</div>
                    },
                }
            }) }
            <div ref={end}></div>
        </div>
    }
}
