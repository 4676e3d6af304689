//! The browser tests' way to run a program of the playground: the typed request the page
//! would send (`programs::request`, which checks the address's parameters), in a process of
//! its own.
#![cfg(target_arch = "wasm32")]

use parallel_playground::programs;
use pp_web::testing::{run_request, ProcessRun};

/// Runs example (or program) `id` with the parameters of `query`, as the page does.
pub async fn run_example(id: &str, query: &str, timeout_ms: f64) -> ProcessRun {
    let request = programs::request_from_query(id, query).unwrap_or_else(|e| panic!("{id}?{query}: {e:?}"));
    run_request(request, timeout_ms).await
}
