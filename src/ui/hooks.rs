//! Hooks of the page.

use super::state::{RunAction, RunState};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// A run's state, shared with the components that draw it. `version` changes with every
/// action, so props that carry it redraw exactly when the run changed.
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

#[hook]
pub fn use_run() -> RunHandle {
    let state = use_mut_ref(RunState::default);
    let redraw = use_force_update();
    let dispatch = {
        let state = state.clone();
        use_memo((), move |_| {
            Callback::from(move |action: RunAction| {
                state.borrow_mut().act(action);
                redraw.force_update();
            })
        })
    };
    let version = state.borrow().version;
    RunHandle { state, version, dispatch: (*dispatch).clone() }
}
