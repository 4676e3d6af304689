//! A read-only source (the tutorial's cell, the Rust port), highlighted and with line
//! numbers once the editor's bundle is in (it is fetched after the page is up); plain text
//! until then, or if it cannot load. Yew draws the element; its children are the
//! highlighter's, so Yew is given none to keep.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CodeProps {
    pub text: AttrValue,
    /// `python` or `rust`.
    pub language: &'static str,
    pub testid: &'static str,
    #[prop_or_default]
    pub whole: Option<bool>,
}

#[function_component(Code)]
pub fn code(props: &CodeProps) -> Html {
    let pre = use_node_ref();
    {
        let pre = pre.clone();
        use_effect_with((props.text.clone(), props.language), move |(text, language)| {
            let Some(el) = pre.cast::<web_sys::Element>() else { return };
            el.set_text_content(Some(text));
            let (text, language) = (text.to_string(), *language);
            wasm_bindgen_futures::spawn_local(async move {
                // Not highlighted is still readable: the failure is only logged.
                if let Err(e) = crate::ui::lazy::highlight_into(&el, &text, language).await {
                    web_sys::console::warn_1(&format!("the source is shown without highlighting: {e}").into());
                }
            });
        });
    }
    html! {
        <pre ref={pre} class={classes!("code", props.language)} data-testid={props.testid} translate="no"
             data-whole={props.whole.map(|w| w.to_string())}></pre>
    }
}
