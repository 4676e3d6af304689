//! The parameter form: one field per declared parameter, checked as the user types with the
//! same check the process applies (`examples::params`).

use crate::examples::Param;
use crate::i18n::{self, Lang};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ParamsProps {
    pub example: &'static str,
    pub params: &'static [Param],
    /// Current raw text of each field, in `params` order.
    pub values: Vec<String>,
    pub on_change: Callback<(usize, String)>,
}

#[function_component(ParamsForm)]
pub fn params_form(props: &ParamsProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    if props.params.is_empty() {
        return html! {};
    }
    html! {
        <fieldset class="params">
            <legend>{ i18n::PARAMETERS.get(l) }</legend>
            { for props.params.iter().enumerate().map(|(i, p)| {
                let value = props.values.get(i).cloned().unwrap_or_default();
                let label = i18n::param_label(props.example, p.name, p.label, l);
                let error = p.check(&value).err().map(|problem| i18n::param_problem(label, &problem, l));
                let on_input = {
                    let on_change = props.on_change.clone();
                    Callback::from(move |e: InputEvent| {
                        let input: HtmlInputElement = e.target_unchecked_into();
                        on_change.emit((i, input.value()));
                    })
                };
                html! {
                    <label class={classes!(error.is_some().then_some("invalid"))}>
                        <span>{ label }</span>
                        <input data-testid={format!("param-{}", p.name)} value={value} oninput={on_input}
                               aria-invalid={error.is_some().to_string()} />
                        if let Some(error) = error {
                            <span class="param-error" data-testid="param-error" role="alert">{ error }</span>
                        }
                    </label>
                }
            }) }
        </fieldset>
    }
}
