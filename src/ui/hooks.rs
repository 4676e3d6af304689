//! Hooks of the page.

use super::pace::Pace;
use super::state::{RunAction, RunState};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// A run's state, shared with the components that draw it. `version` changes with every
/// action, so props that carry it redraw exactly when the run changed (and the page chose
/// to redraw it: see [`use_run`]).
#[derive(Clone)]
pub struct RunHandle {
    pub state: Rc<RefCell<RunState>>,
    pub version: u64,
    /// Where the runner reports.
    pub dispatch: Callback<RunAction>,
}

impl PartialEq for RunHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.version == other.version
    }
}

/// The page redraws a live run at the pace `ui::pace` sets, not at every action.
#[hook]
pub fn use_run() -> RunHandle {
    let state = use_mut_ref(RunState::default);
    let redraw = use_force_update();
    let pace = use_mut_ref(Pace::default);
    let dispatch = {
        let state = state.clone();
        use_memo((), move |_| {
            Callback::from(move |action: RunAction| {
                let (version, may_wait) = {
                    let mut s = state.borrow_mut();
                    let before = (s.run, s.status);
                    s.act(action);
                    (s.version, s.status.is_live() && (s.run, s.status) == before)
                };
                if pace.borrow_mut().draw(version, may_wait, pp_web::js::now_ms()) {
                    redraw.force_update();
                    // A zero timeout runs after the task in which yew redraws and the effects
                    // run: what the redraw cost sets when the next may come.
                    let pace = pace.clone();
                    gloo_timers::callback::Timeout::new(0, move || pace.borrow_mut().drawn(pp_web::js::now_ms()))
                        .forget();
                }
            })
        })
    };
    let version = state.borrow().version;
    RunHandle { state, version, dispatch: (*dispatch).clone() }
}

/// Listens to every key pressed on the page (`keydown` on the document) for the component's
/// life. `on_key` is set up once: what it needs from later renders it reads through shared
/// cells.
#[hook]
pub fn use_document_keydown(on_key: impl FnMut(web_sys::KeyboardEvent) + 'static) {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    let on_key = std::cell::RefCell::new(Some(on_key));
    use_effect_with((), move |_| {
        let handler = on_key.borrow_mut().take().expect("the effect runs once");
        let on_key = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(handler);
        let document = web_sys::window().and_then(|w| w.document()).expect("the page has a document");
        let _ = document.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
        move || {
            let _ = document.remove_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
            drop(on_key);
        }
    });
}
