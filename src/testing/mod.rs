//! Test helpers, and the internals the tests look into. Behind the `testing` feature, which
//! this crate's own tests turn on through a dev-dependency on the crate itself: no build of
//! the playground contains it, and the public API stays only the API.

pub mod harness;
pub mod stress;

pub use crate::platform;
pub use crate::sync;
pub use crate::watch;
