//! The Rust port beside the Python: first the part of its file that this example runs (see
//! `examples::excerpt`), and the whole file on request, since several cells share one.

use super::code::Code;
use super::copy::CopyButton;
use crate::examples::RustPort;
use crate::i18n::{self, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RustSourceProps {
    pub port: RustPort,
}

#[function_component(RustSource)]
pub fn rust_source(props: &RustSourceProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let port = props.port;
    let whole = use_state(|| false);
    let excerpt = use_memo(port.entry, move |_| port.excerpt());
    let shows_all = *whole || excerpt.as_str() == port.source;
    let toggle = {
        let whole = whole.clone();
        Callback::from(move |_| whole.set(!*whole))
    };
    html! {
        <section>
            <h3>
                { i18n::rust_heading(l) }
                <code>{ format!("src/examples/{}", port.file) }</code>
                { if shows_all { String::new() } else { i18n::rust_part(port.entry, l) } }
                <button class="link" data-testid="rust-whole-file" onclick={toggle}>
                    { if *whole { i18n::ONLY_THIS_EXAMPLE.get(l) } else { i18n::WHOLE_FILE.get(l) } }
                </button>
                <CopyButton testid="copy-rust" label={i18n::COPY} done={i18n::COPIED} text={{
                    let (whole, excerpt) = (*whole, excerpt.clone());
                    Callback::from(move |()| if whole { port.source.to_string() } else { (*excerpt).clone() })
                }} />
            </h3>
            <Code text={if *whole { AttrValue::Static(port.source) } else { AttrValue::from((*excerpt).clone()) }}
                  language="rust" testid="rust-source" whole={Some(shows_all)} />
        </section>
    }
}
