//! The browser tests' way to run a program of the playground: the typed request the page
//! would send (`programs::request`, which checks the address's parameters), in a process of
//! its own.
#![cfg(target_arch = "wasm32")]

use parallel_playground::programs;
use pp_web::testing::{run_request_with, Panics, ProcessRun};

/// Runs example (or program) `id` with the parameters of `query`, as the page does; a thread
/// that panics fails the run at once, unless `panics` says the run is about one.
pub async fn run_example(id: &str, query: &str, timeout_ms: f64) -> ProcessRun {
    run_example_with(id, query, timeout_ms, Panics::FailTheRun).await
}

pub async fn run_example_with(id: &str, query: &str, timeout_ms: f64, panics: Panics) -> ProcessRun {
    let request = programs::request_from_query(id, query).unwrap_or_else(|e| panic!("{id}?{query}: {e:?}"));
    run_request_with(request, timeout_ms, panics).await
}
