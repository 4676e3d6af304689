//! A child process as its parent describes it and as it starts: the request (who it is,
//! where its record is in the segment, which target with which arguments), the record the
//! parent and child share (state and exit code), and the launch (a worker the host starts in
//! the browser; a thread with a state of its own natively). How the child's program runs and
//! ends is the layer above's (`pp-program`), which registers it ([`set_child_main`]).

use crate::target::TargetId;
use pp_platform::module::ModuleName;
use pp_platform::segment::Segment;
use pp_runtime::errors::PyResult;
use pp_runtime::runtime::{ProcessConfig, ProcessIdentity, Runtime};
use serde::{Deserialize, Serialize};

/// Record words: state, exit code (an i32), pid, and a "please stop" word (native terminate,
/// see `platform::stop`).
pub const R_STATE: u32 = 0;
pub const R_EXIT: u32 = 4;
pub(crate) const R_PID: u32 = 8;
pub(crate) const R_STOP: u32 = 12;
/// When the child finished (µs, two words; 0 if the host wrote the exit code, not the child):
/// where a joiner's who-woke-whom arrow starts.
pub(crate) const R_EXIT_AT: u32 = 16;
pub(crate) const RECORD_BYTES: u32 = 24;

pub const STARTED: u32 = 1;
pub const EXITED: u32 = 2;
/// Between the two, while the exit code is written (joiners wait for `EXITED`).
pub const EXITING: u32 = 3;

/// What a child needs to start: who it is, where its record is, what to run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChildRequest {
    pub identity: ProcessIdentity,
    pub record: u32,
    pub gil: bool,
    /// The parent's shake seed, if its run is shaken (the child mixes in its pid).
    pub shake: Option<u32>,
    /// Thread workers the host starts with it. None by default: a worker booting beside a
    /// CPU-bound child takes a slice of a core from it (and from its sibling) just when the
    /// tutorial times it; a child that starts a thread gets one on demand.
    pub prestart: u32,
    /// The module it is an instance of, by name: `None` for its parent's (the host knows
    /// the modules by name; natively, one binary, it is only carried).
    pub module: Option<ModuleName>,
    /// What it runs, by name, and its serialized arguments.
    pub target: TargetId,
    pub args: Vec<u8>,
}

impl ChildRequest {
    /// Runs the child's target (in the child).
    pub fn call(&self) -> PyResult<()> {
        crate::target::run_process(self.target, &self.args)
    }

    pub fn encode(&self) -> Vec<u8> {
        postcard::to_stdvec(self).expect("a child request serializes")
    }

    /// (The browser's host and worker side, `pp-web`, read it.)
    pub fn decode(bytes: &[u8]) -> Result<ChildRequest, String> {
        postcard::from_bytes(bytes).map_err(|e| format!("unreadable child request: {e}"))
    }
}

/// Runs a child process's program in the child: how a program runs and ends is the layer
/// above's (`pp-program`), which registers this once, before any program can start a child
/// (natively, where the child is a thread this crate starts; in the browser the worker side
/// calls it itself).
pub type ChildMain = fn(&'static Runtime, &ChildRequest) -> i32;

static CHILD_MAIN: std::sync::OnceLock<ChildMain> = std::sync::OnceLock::new();

/// Registers what a child process runs (the first registration stays).
pub fn set_child_main(main: ChildMain) {
    let _ = CHILD_MAIN.set(main);
}

fn child_main() -> ChildMain {
    *CHILD_MAIN.get().expect("no child main registered: a program runs through pp-program, which registers it")
}

/// Records a process's end: its exit code, then the state its joiners wait for. The first
/// writer wins (the program's own end, or the host's terminate).
pub fn finish_record(seg: &Segment, record: u32, code: i32) {
    if seg.cas(record + R_STATE, STARTED, EXITING).is_ok() {
        let at_us = pp_platform::clock::stamp_us();
        seg.store(record + R_EXIT_AT, at_us as u32);
        seg.store(record + R_EXIT_AT + 4, (at_us >> 32) as u32);
        seg.store(record + R_EXIT, code as u32);
        seg.store(record + R_STATE, EXITED);
        seg.notify(record + R_STATE, u32::MAX);
    }
}

/// How a child boots: its state, in a memory of its own in the browser (the segment and the
/// ring's consumer come with the worker), natively beside its parent's (sharing its segment,
/// its family of rings, and a terminate word, since a thread cannot be killed).
pub fn child_config(
    request: &ChildRequest,
    inherited: Option<(Segment, pp_runtime::runtime::Family)>,
    consumer: bool,
) -> ProcessConfig {
    ProcessConfig {
        process: request.identity.clone(),
        ring_capacity: if inherited.is_some() { 64 << 10 } else { 1 << 20 },
        consumer,
        inherited,
        terminate_word: pp_platform::process::COOPERATIVE_TERMINATE.then_some(request.record + R_STOP),
    }
}

/// Starts the child: in the browser the host creates its worker (which runs the child main);
/// natively a thread with a state of its own stands in for it.
pub(crate) fn launch(parent: &'static Runtime, request: ChildRequest) {
    let consumer = parent.table.ring.attached.load(std::sync::atomic::Ordering::Relaxed) != 0;
    let config = child_config(&request, Some((parent.segment(), parent.family.clone())), consumer);
    let bytes = request.encode();
    pp_platform::process::launch(&request.identity.name.clone(), &bytes, move || {
        let rt = Runtime::boot(&config);
        let seg = rt.segment();
        let record = request.record;
        // A terminated child unwinds from its next blocking point or print (`platform::stop`).
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| child_main()(rt, &request))).is_err() {
            let signal = rt.stop.terminated().unwrap_or(0);
            finish_record(&seg, record, if signal != 0 { -(signal as i32) } else { 1 });
        }
    });
}
