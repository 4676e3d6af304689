//! The Python tab's editor: CodeMirror, loaded when the tab first opens. Until it is there,
//! and if it cannot load, a plain text area stands in (same test id, same text): the program
//! is never out of reach.

use crate::i18n::{self, Lang};
use crate::ui::lazy::Editor;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[derive(Properties)]
pub struct EditorProps {
    /// The program's text, shared with the page (Run reads it).
    pub text: Rc<RefCell<String>>,
    /// Hears every edit.
    pub on_change: Callback<String>,
    /// Ctrl/Cmd+Enter.
    pub on_run: Callback<()>,
    /// The line a SyntaxError is on (0: none).
    pub error_line: u32,
    /// Changes when the page replaces the text (Reset): the editor takes `text` again.
    pub generation: u32,
}

impl PartialEq for EditorProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.text, &other.text)
            && self.error_line == other.error_line
            && self.generation == other.generation
            && self.on_change == other.on_change
            && self.on_run == other.on_run
    }
}

#[function_component(PythonEditor)]
pub fn python_editor(props: &EditorProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let host = use_node_ref();
    let editor: Rc<RefCell<Option<Editor>>> = use_mut_ref(|| None);
    let failed = use_state(|| None::<String>);
    let loaded = use_state(|| false);
    // The editor's callbacks live as long as it does: they call the latest props.
    let on_change = use_mut_ref(|| props.on_change.clone());
    let on_run = use_mut_ref(|| props.on_run.clone());
    *on_change.borrow_mut() = props.on_change.clone();
    *on_run.borrow_mut() = props.on_run.clone();

    {
        let (host, editor, failed, loaded, text) =
            (host.clone(), editor.clone(), failed.clone(), loaded.clone(), props.text.clone());
        let (on_change, on_run) = (on_change.clone(), on_run.clone());
        use_effect_with((), move |_| {
            let alive = Rc::new(std::cell::Cell::new(true));
            let still = alive.clone();
            let slot = editor.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let Some(parent) = host.cast::<web_sys::Element>() else { return };
                let changed = Closure::<dyn Fn(String)>::new(move |t: String| on_change.borrow().emit(t));
                let run = Closure::<dyn Fn()>::new(move || on_run.borrow().emit(()));
                let initial = text.borrow().clone();
                match Editor::create(&parent, &initial, i18n::EDITOR_LABEL.get(l), changed, run).await {
                    Ok(made) if still.get() => {
                        // Typed into the stand-in while the editor loaded: kept.
                        let now = text.borrow().clone();
                        if now != initial {
                            made.set_text(&now);
                        }
                        *slot.borrow_mut() = Some(made);
                        loaded.set(true);
                    }
                    Ok(made) => made.destroy(),
                    Err(e) if still.get() => failed.set(Some(e)),
                    Err(_) => {}
                }
            });
            move || {
                alive.set(false);
                if let Some(made) = editor.borrow_mut().take() {
                    made.destroy();
                }
            }
        });
    }
    {
        let (editor, text) = (editor.clone(), props.text.clone());
        use_effect_with(props.generation, move |_| {
            if let Some(made) = editor.borrow().as_ref() {
                let wanted = text.borrow().clone();
                if made.text() != wanted {
                    made.set_text(&wanted);
                }
            }
        });
    }
    {
        let editor = editor.clone();
        use_effect_with(props.error_line, move |line| {
            if let Some(made) = editor.borrow().as_ref() {
                made.mark_line(*line);
            }
        });
    }

    let ready = *loaded;
    let on_input = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            on_change.emit(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value());
        })
    };
    let on_keydown = {
        let on_run = props.on_run.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                on_run.emit(());
            }
        })
    };
    html! {
        <div class="editor">
            <div ref={host} class="editor-host"></div>
            if !ready {
                if let Some(why) = (*failed).clone() {
                    <p class="warning" data-testid="editor-fallback">
                        { i18n::editor_failed(&why, l) }
                    </p>
                }
                <textarea class="editor-plain" data-testid="editor" spellcheck="false" aria-label={i18n::EDITOR_LABEL.get(l)}
                          value={props.text.borrow().clone()} oninput={on_input} onkeydown={on_keydown} />
            }
        </div>
    }
}
