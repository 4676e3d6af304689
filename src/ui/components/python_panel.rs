//! The Python tab: the Python module's load (with its progress), the editor, Reset and the
//! share link, and what the program is: which lines came from earlier cells, which were
//! changed for Python 3, and, where the cell starts processes, that they are not here yet.

use super::editor::PythonEditor;
use crate::examples::PythonTab;
use crate::i18n::{self, Lang};
use crate::ui::address::{Address, Mode};
pub use crate::ui::example_state::Load;
use crate::ui::example_state::Progress;
use pp_runtime::watch::record::SourceError;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

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
    let l = use_context::<Lang>().unwrap_or_default();
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
            { load_status(&props.load, on_retry, l) }
            if let Some(e) = &props.source_error {
                <p class="source-error" data-testid="source-error" data-line={e.line.to_string()} role="alert">
                    { i18n::syntax_error(e.line, &e.message, l) }
                </p>
            }
            <PythonEditor text={props.text.clone()} on_change={on_change} on_run={props.on_run.clone()}
                          error_line={props.source_error.as_ref().map_or(0, |e| e.line)} generation={*generation} />
            <div class="editor-actions">
                <button data-testid="reset" onclick={on_reset} title={i18n::RESET_TITLE.get(l)}>{ i18n::RESET.get(l) }</button>
                <button data-testid="share" onclick={on_share}>{ i18n::SHARE_LINK.get(l) }</button>
                <span class="hint">{ i18n::EDITOR_HINT.get(l) }</span>
            </div>
            if let Some(link) = (*share).clone() {
                <p class="share">
                    { i18n::SHARE_LINK_SHOWN.get(l) }
                    <input data-testid="share-link" readonly=true value={link} />
                </p>
            }
            if has_context || !changes.is_empty() {
                <ul class="program-notes" data-testid="program-notes">
                    if has_context {
                        <li>{ i18n::FROM_EARLIER_CELLS.get(l) }</li>
                    }
                    { for changes.iter().map(|(line, why)| html! {
                        <li data-testid="program-change">{ i18n::line_differs(*line, i18n::python_change(why, l), l) }</li>
                    }) }
                </ul>
            }
        </section>
    }
}

fn load_status(load: &Load, on_retry: Callback<MouseEvent>, l: Lang) -> Html {
    match load {
        Load::Ready => html! {},
        Load::Loading(progress) => {
            let (value, max, text) = match progress {
                Some(Progress::Downloading { received, total }) if *total > 0.0 => {
                    (received.min(*total), *total, i18n::loading_python_mb(*received, *total, l))
                }
                Some(Progress::Compiling) => (1.0, 1.0, i18n::COMPILING_PYTHON.get(l).to_string()),
                _ => (0.0, 1.0, i18n::LOADING_PYTHON.get(l).to_string()),
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
                { i18n::python_failed(why, l) }
                <button onclick={on_retry}>{ i18n::TRY_AGAIN.get(l) }</button>
            </p>
        },
    }
}

/// This page's address, opening `example`'s Python tab with `text`.
fn share_link(example: &str, text: &str) -> String {
    let address = Address { mode: Some(Mode::Python), code: Some(text.to_string()), ..Address::example(example) };
    crate::ui::route::page_link(&address.hash())
}

fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        // Refused without a user gesture or permission: the link is shown anyway.
        let _ = window.navigator().clipboard().write_text(text);
    }
}
