//! kata's integration tests: the real binary, on real Python.
//!
//! One test binary (faster to build and link than one per file), grouped by subject.

mod author_diagnostics;
mod authoring;
mod check;
mod ci_examples;
mod cli;
mod conventions;
mod github_actions;
mod grade;
mod growth;
mod guide;
mod hostile_names;
mod html_report;
mod learner;
mod leetcode;
mod limit_messages;
mod load_once;
mod mutants;
mod schema;
mod snapshots;
mod support;
mod validate;
mod validate_json;
mod watch;
mod workspace;
