//! The Rust port beside the Python: first the part of its file that this example runs (see
//! `examples::excerpt`), and the whole file on request, since several cells share one.

use crate::examples::RustPort;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RustSourceProps {
    pub port: RustPort,
}

#[function_component(RustSource)]
pub fn rust_source(props: &RustSourceProps) -> Html {
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
                { "Rust port (the code that runs): " }
                <code>{ format!("src/examples/{}", port.file) }</code>
                { if shows_all { String::new() } else { format!(", {}() and what it uses", port.entry) } }
                <button class="link" data-testid="rust-whole-file" onclick={toggle}>
                    { if *whole { "only this example" } else { "whole file" } }
                </button>
            </h3>
            <pre class="rust" data-testid="rust-source" data-whole={shows_all.to_string()}>
                { if *whole { port.source.to_string() } else { (*excerpt).clone() } }
            </pre>
        </section>
    }
}
