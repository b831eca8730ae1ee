//! Property tests: random and structured input to the parts of kata that read what others wrote
//! (result frames, returned values, Python literals, the exercise loader, the shard-report reader) and to every report writer. None may panic,
//! each call must finish within a generous bound, and the writers must keep their formats
//! intact whatever the names.
//!
//! Each property runs 256 cases by default; `PROPTEST_CASES=20000 cargo test --release --test
//! properties` is the long run (docs/security.md has its latest result).

mod exercise_loader;
mod frame_boundary;
mod report_writers;
mod shard_reader;

use std::time::{Duration, Instant};

/// How long one call may take before it counts as hanging: a safety bound on a noisy machine,
/// not a speed target.
pub const BOUND: Duration = Duration::from_secs(10);

/// Runs `work`, failing if it takes longer than [`BOUND`].
pub fn bounded<T>(what: &str, work: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let result = work();
    let took = start.elapsed();
    assert!(took < BOUND, "{what} took {took:?}");
    result
}
