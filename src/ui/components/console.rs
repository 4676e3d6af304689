//! The console: each printed line, tagged with the thread that printed it, in arrival order.
//! The runtime's and the page's own messages are notes, set apart from the program's lines.
//! A long run keeps every line; the page draws the last `SHOWN` or so unless asked for all.
//!
//! Lines are drawn in blocks of `BLOCK`: lines are only ever appended, so a full block never
//! changes and yew skips it, and a redraw costs the last block only. A program printing
//! without end redraws at every poll: with 2,000 lines drawn whole, the browser's layout of
//! them alone took 30-110 ms a frame here, and Stop's answer waited behind it (BENCHMARKS.md).

use super::copy::CopyButton;
use crate::i18n::{self, Lang};
use crate::ui::hooks::RunHandle;
use crate::ui::state::{LineKind, RunState};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Lines drawn by default: twenty screens of the console, few enough to lay out at every poll.
const SHOWN: usize = 500;
/// Lines a block draws, once it is full.
const BLOCK: usize = 100;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub run: RunHandle,
}

#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let show_all = use_state(|| false);
    let console = use_node_ref();
    {
        // The console's own box follows the output, not the window: scrolling its end into
        // view moved the whole page at every poll, taking Stop away from under a learner's
        // pointer (and a WebDriver click: WebKit's tests lost Stop that way). Only when lines
        // came: reading the box's height lays the page out at once, and a live run is redrawn
        // for its clock too.
        let console = console.clone();
        let shown = {
            let s = props.run.state.borrow();
            (s.run, s.lines.len())
        };
        use_effect_with(shown, move |_| {
            if let Some(el) = console.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let state = props.run.state.borrow();
    // Whole blocks: the first line drawn moves a block at a time, so the blocks stay the same.
    let hidden = if *show_all { 0 } else { state.lines.len().saturating_sub(SHOWN) / BLOCK * BLOCK };
    let blocks = (hidden..state.lines.len()).step_by(BLOCK).map(|from| (from, (from + BLOCK).min(state.lines.len())));
    let on_show_all = {
        let show_all = show_all.clone();
        Callback::from(move |_| show_all.set(true))
    };
    let all_text = {
        let state = props.run.state.clone();
        Callback::from(move |()| {
            let s = state.borrow();
            s.lines
                .iter()
                .map(|line| {
                    format!("[{}] {}\n", line.who, line.note.as_ref().map_or_else(|| line.text.clone(), |n| n.text(l)))
                })
                .collect()
        })
    };
    html! {
        <>
        <div class="console-actions">
            <CopyButton testid="copy-console" label={i18n::COPY} done={i18n::COPIED} text={all_text} />
        </div>
        <div class="console" data-testid="console" role="log" tabindex="0" ref={console}>
            if hidden > 0 {
                <div class="note hidden-lines">
                    { i18n::hidden_lines(hidden, l) }
                    <button data-testid="show-all-lines" onclick={on_show_all}>{ i18n::SHOW_ALL.get(l) }</button>
                </div>
            }
            { for blocks.map(|(from, to)| html! {
                <Block key={from} state={props.run.state.clone()} run={state.run} {from} {to} />
            }) }
        </div>
        </>
    }
}

#[derive(Properties)]
struct BlockProps {
    state: Rc<RefCell<RunState>>,
    /// Whose lines: a new run starts its lines again from 0.
    run: u64,
    from: usize,
    to: usize,
}

impl PartialEq for BlockProps {
    /// The same run's same lines: they are never changed once printed.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && (self.run, self.from, self.to) == (other.run, other.from, other.to)
    }
}

/// Lines `from..to` of the run.
#[function_component(Block)]
fn block(props: &BlockProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let state = props.state.borrow();
    let Some(lines) = state.lines.get(props.from..props.to) else { return html! {} };
    html! {
        { for lines.iter().map(|line| {
            let at = format!("{:.1} ms", line.at_us as f64 / 1000.0);
            match line.kind {
                LineKind::Note => html! {
                    <div class="note" data-testid="note" title={at}>
                        { line.note.as_ref().map_or_else(|| line.text.clone(), |n| n.text(l)) }
                    </div>
                },
                // The tag is drawn from data-who by CSS, so the element's text is
                // exactly what the program printed.
                kind => html! {
                    <div class={classes!("line", (kind == LineKind::Err).then_some("stderr"))}
                         data-testid="line" data-who={line.who.clone()} data-at-us={line.at_us.to_string()} title={at}>{ &line.text }</div>
                },
            }
        }) }
    }
}
