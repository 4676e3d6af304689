//! A button that copies text (a source, the console, a link) to the clipboard and says so.

use crate::i18n::{Lang, Text};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CopyProps {
    pub testid: &'static str,
    pub label: Text,
    /// What the button says once the text is on the clipboard.
    pub done: Text,
    /// The text, made when the button is pressed (a long console is not copied each render).
    pub text: Callback<(), String>,
}

#[function_component(CopyButton)]
pub fn copy_button(props: &CopyProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let copied = use_state(|| false);
    let on_click = {
        let (text, copied) = (props.text.clone(), copied.clone());
        Callback::from(move |_| {
            let text = text.emit(());
            let copied = copied.clone();
            let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else { return };
            wasm_bindgen_futures::spawn_local(async move {
                // Refused (no permission, not focused): the button simply does not say "copied".
                if wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text)).await.is_ok() {
                    copied.set(true);
                    gloo_timers::future::TimeoutFuture::new(2000).await;
                    copied.set(false);
                }
            });
        })
    };
    html! {
        <button class="copy" data-testid={props.testid} data-copied={copied.to_string()} onclick={on_click}>
            { if *copied { props.done.get(l) } else { props.label.get(l) } }
        </button>
    }
}
