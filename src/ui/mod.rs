//! The page: a yew app of function components over a reducer.
//!
//! - `app`: routing (`#/ex/<id>?name=value`), layout, the catalogue sidebar
//! - `components/example`: one example: sources, parameters, Run/Stop, console, timeline
//! - `runner`: starts, polls and stops runs through `pp_web::host`
//! - `lazy`: the Python tab's lazy loads (the Python module, the editor; `www/python.js`)
//! - `state`: a run as the page sees it (a `Reducible`), `example_state` an example page's own
//!   state (its reducer) and `address` the page's addresses: plain Rust, so they are also built
//!   and tested natively, as are `trace` (a run as a Chrome trace-event file) and `shake` (many
//!   shaken runs of one program, and what came of them) `split` (where each thread's time
//!   went, which objects were fought over), `replay` (a finished run at any moment) and `pace`
//!   (how often a live run is redrawn); everything else here is the browser's.

// Public so that their native tests (and a reader) see them: the page's model is plain Rust.
pub mod address;
pub mod compare;
pub mod example_state;
pub mod pace;
pub mod replay;
pub mod shake;
pub mod split;
pub mod state;
pub mod step;
pub mod trace;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod hooks;
#[cfg(target_arch = "wasm32")]
mod lazy;
#[cfg(target_arch = "wasm32")]
mod route;
#[cfg(target_arch = "wasm32")]
pub mod runner;
#[cfg(target_arch = "wasm32")]
mod saved;
#[cfg(target_arch = "wasm32")]
pub use browser::pp_module_init;

#[cfg(target_arch = "wasm32")]
mod browser {

    use super::app;
    use crate::i18n::{Lang, PAGE_PANICKED};
    use wasm_bindgen::prelude::*;

    /// Called by the worker bootstrap in every worker of this module, before anything else: a
    /// run's first process runs one of the playground's programs (`programs`), by id. (Not the
    /// start function: the browser tests' runner does not call that in their workers.)
    #[wasm_bindgen]
    pub fn pp_module_init() {
        crate::programs::register_targets();
        pp_web::worker::set_program_runner(crate::programs::run);
    }

    /// Runs once per memory: on the page, where it starts the app, and again in each process
    /// worker (a fresh memory), where there is no window and nothing to do.
    #[wasm_bindgen(start)]
    pub fn start() {
        if web_sys::window().is_none() {
            return;
        }
        std::panic::set_hook(Box::new(|info| {
            web_sys::console::error_1(&format!("the page panicked: {info}").into());
            show_panic(&info.to_string());
        }));
        yew::Renderer::<app::App>::new().render();
    }

    /// A panic on the page leaves the app's state half-changed and its next callbacks trapping,
    /// so the page says so where the learner looks instead of going on silently wrong: that it is
    /// the playground's bug, that a reload keeps their edits (`saved` writes them as they type),
    /// and where it happened, for a bug report. Written with the DOM directly: yew may be the
    /// part that broke.
    fn show_panic(detail: &str) -> Option<()> {
        let document = web_sys::window()?.document()?;
        if document.get_element_by_id("page-panic").is_some() {
            return Some(());
        }
        let lang = document.document_element()?.get_attribute("lang").and_then(|tag| Lang::parse(&tag));
        let banner = document.create_element("p").ok()?;
        banner.set_id("page-panic");
        banner.set_class_name("banner bad");
        banner.set_attribute("role", "alert").ok()?;
        banner.set_attribute("data-testid", "page-panic").ok()?;
        banner.set_text_content(Some(&format!("{} {detail}", PAGE_PANICKED.get(lang.unwrap_or(Lang::En)))));
        document.body()?.prepend_with_node_1(&banner).ok()
    }
}
