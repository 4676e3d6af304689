//! Text with `backticked` code in it (the catalogue's "look for", the errata), drawn with
//! the code as code.

use yew::prelude::*;

pub fn prose(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| {
            // Odd pieces were between backticks.
            if i % 2 == 1 { html! { <code>{ part }</code> } } else { html! { { part } } }
        }) }
    }
}
