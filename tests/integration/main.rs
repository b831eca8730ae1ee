//! kata's integration tests: the real binary, on real Python.
//!
//! One test binary (faster to build and link than one per file), grouped by subject.

mod check;
mod ci_examples;
mod cli;
mod grade;
mod guide;
mod snapshots;
mod support;
mod validate;
