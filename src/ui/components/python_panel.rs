//! The Python tab: the Python module's load (with its progress), the editor, Reset and the
//! share link, and what the program is: which lines came from earlier cells, which were
//! changed for Python 3, and, where the cell starts processes, that they are not here yet.

use super::editor::PythonEditor;
use crate::examples::{PythonTab, Runs};
use crate::watch::record::SourceError;
use crate::web::python::Progress;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Where the Python module is, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    Loading(Option<Progress>),
    Ready,
    Failed(String),
}

#[derive(Properties)]
pub struct PythonPanelProps {
    pub example: &'static str,
    pub tab: &'static PythonTab,
    pub text: Rc<RefCell<String>>,
    pub load: Load,
    pub on_retry: Callback<()>,
    pub on_run: Callback<()>,
    pub source_error: Option<SourceError>,
}

impl PartialEq for PythonPanelProps {
    fn eq(&self, other: &Self) -> bool {
        self.example == other.example
            && Rc::ptr_eq(&self.text, &other.text)
            && self.load == other.load
            && self.on_run == other.on_run
            && self.source_error == other.source_error
    }
}

#[function_component(PythonPanel)]
pub fn python_panel(props: &PythonPanelProps) -> Html {
    let generation = use_state(|| 0u32);
    let share = use_state(|| None::<String>);
    let original = use_memo(props.example, |_| props.tab.program());
    let on_change = {
        let (text, example, original, share) = (props.text.clone(), props.example, original.clone(), share.clone());
        use_callback((), move |new: String, _| {
            crate::ui::saved::remember(example, &new, &original);
            *text.borrow_mut() = new;
            share.set(None);
        })
    };
    let on_reset = {
        let (text, generation, on_change, original) =
            (props.text.clone(), generation.clone(), on_change.clone(), original.clone());
        Callback::from(move |_| {
            on_change.emit((*original).clone());
            *text.borrow_mut() = (*original).clone();
            generation.set(*generation + 1);
        })
    };
    let on_share = {
        let (text, example, share) = (props.text.clone(), props.example, share.clone());
        Callback::from(move |_| {
            let link = share_link(example, &text.borrow());
            copy_to_clipboard(&link);
            share.set(Some(link));
        })
    };
    let on_retry = {
        let on_retry = props.on_retry.clone();
        Callback::from(move |_| on_retry.emit(()))
    };
    let changes = props.tab.changes();
    let has_context = matches!(props.tab, PythonTab::Tutorial(c) if !c.context.is_empty());
    html! {
        <section class="python-panel">
            { load_status(&props.load, on_retry) }
            if props.tab.runs() == Runs::NeedsProcesses {
                <p class="notice" data-testid="python-not-yet">
                    { "multiprocessing is not in the Python tab yet: running this program says so. \
                       The Rust port (the other tab) runs it, each process with a memory of its own." }
                </p>
            }
            if let Some(e) = &props.source_error {
                <p class="source-error" data-testid="source-error" data-line={e.line.to_string()} role="alert">
                    { format!("SyntaxError on line {}: {}", e.line, e.message) }
                </p>
            }
            <PythonEditor text={props.text.clone()} on_change={on_change} on_run={props.on_run.clone()}
                          error_line={props.source_error.as_ref().map_or(0, |e| e.line)} generation={*generation} />
            <div class="editor-actions">
                <button data-testid="reset" onclick={on_reset} title="Back to the tutorial's text (your edits are kept in this browser until then)">{ "Reset" }</button>
                <button data-testid="share" onclick={on_share}>{ "Share link" }</button>
                <span class="hint">{ "Ctrl+Enter runs. Your edits are kept in this browser." }</span>
            </div>
            if let Some(link) = (*share).clone() {
                <p class="share">
                    { "A link to this program (copied if the browser allowed it): " }
                    <input data-testid="share-link" readonly=true value={link} />
                </p>
            }
            if has_context || !changes.is_empty() {
                <ul class="program-notes" data-testid="program-notes">
                    if has_context {
                        <li>{ "Lines marked \u{201c}# from In [N], an earlier cell\u{201d} come from earlier cells of the notebook: this cell relies on them." }</li>
                    }
                    { for changes.iter().map(|(line, why)| html! {
                        <li data-testid="program-change">{ format!("Line {line} differs from the tutorial: {why}.") }</li>
                    }) }
                </ul>
            }
        </section>
    }
}

fn load_status(load: &Load, on_retry: Callback<MouseEvent>) -> Html {
    match load {
        Load::Ready => html! {},
        Load::Loading(progress) => {
            let (value, max, text) = match progress {
                Some(Progress::Downloading { received, total }) if *total > 0.0 => (
                    received.min(*total),
                    *total,
                    format!("Loading Python: {:.1} of {:.1} MB", received / 1e6, total / 1e6),
                ),
                Some(Progress::Compiling) => (1.0, 1.0, "Compiling Python…".to_string()),
                _ => (0.0, 1.0, "Loading Python…".to_string()),
            };
            html! {
                <div class="python-loading" data-testid="python-loading" role="status">
                    <progress value={value.to_string()} max={max.to_string()}></progress>
                    <span>{ text }</span>
                </div>
            }
        }
        Load::Failed(why) => html! {
            <p class="warning" data-testid="python-load-error" role="alert">
                { format!("Python could not load: {why}. ") }
                <button onclick={on_retry}>{ "Try again" }</button>
            </p>
        },
    }
}

/// This page's address, opening `example`'s Python tab with `text`.
fn share_link(example: &str, text: &str) -> String {
    let location = web_sys::window().map(|w| w.location());
    let base = location
        .and_then(|l| Some(format!("{}{}{}", l.origin().ok()?, l.pathname().ok()?, l.search().ok()?)))
        .unwrap_or_default();
    format!("{base}#/ex/{example}?mode=python&code={}", crate::ui::saved::encode_program(text))
}

fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        // Refused without a user gesture or permission: the link is shown anyway.
        let _ = window.navigator().clipboard().write_text(text);
    }
}
