//! Where a run is, as the page says it: its `data-state` (the page contract) and, through
//! `i18n`, its words in the learner's language.

/// A run's state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    #[default]
    Idle,
    Running,
    Done,
    Failed,
    Stopped,
    Deadlock,
}

impl Status {
    /// The page contract's `data-state`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Running => "running",
            Status::Done => "done",
            Status::Failed => "failed",
            Status::Stopped => "stopped",
            Status::Deadlock => "deadlock",
        }
    }

    pub fn is_live(self) -> bool {
        matches!(self, Status::Running | Status::Deadlock)
    }
}
