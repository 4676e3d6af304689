//! The page (wasm only): a yew app of function components over a reducer.
//!
//! - `app`: routing (`#/ex/<id>?name=value`), layout, the catalogue sidebar
//! - `components/example`: one example: sources, parameters, Run/Stop, console, timeline
//! - `runner`: starts, polls and stops runs through `web::host`
//! - `state`: a run as the page sees it (a `Reducible`)

mod app;
mod components;
mod hooks;
mod route;
pub mod runner;
pub mod state;

use wasm_bindgen::prelude::*;

/// Runs once per memory: on the page, and again in each process worker (a fresh memory),
/// where there is no window and nothing to do.
#[wasm_bindgen(start)]
pub fn start() {
    if web_sys::window().is_none() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("the page panicked: {info}").into());
    }));
    yew::Renderer::<app::App>::new().render();
}
