//! kata: a command-line grader for Python coding exercises.
//!
//! Where things are:
//!
//! - [`exercise`]: the TOML exercise format, checked into an [`exercise::Exercise`];
//! - [`runner`]: sandboxes that run one case and report what happened (never a verdict);
//!   `sandbox/harness.py` is the driver inside them. The native sandbox, with its namespaces,
//!   seccomp and Landlock layers and the box helper process, is all in
//!   [`runner::subprocess`] (Linux only: `runner::native` says what happens elsewhere); the
//!   WebAssembly one in [`runner::wasm`];
//! - `runtime`: the WebAssembly Python the wasm sandbox runs, and its installer;
//! - [`grade`]: where a verdict is decided (`grade::judge`) and output is compared
//!   (`grade::compare`, `grade::diff`);
//! - `session`: runs many cases at once;
//! - [`report`]: one report model, rendered for terminals and as JSON;
//! - `authoring` and [`mutation`]: tools for exercise authors (`new`, `record`, lint, and
//!   mutation testing of test sets); `proof`: what `kata validate` concludes from them;
//! - [`classroom`]: a class's submissions (discovery, shards) for `kata grade`;
//! - [`cli`], [`settings`] and `commands`: arguments → resolved settings → a command;
//! - `workspace`, `curriculum` and `watch`: the learner's loop (a folder with progress, the
//!   order exercises come in, and grading on every save);
//! - leaf modules every layer may use: [`verdict`] (what happened to a case), [`value`],
//!   [`sandbox_files`] (what goes into every sandbox), `words` (counted nouns), `units`
//!   (durations, sizes, fuel) and `style` (the terminal palette).
//!
//! `tests/layers.rs` keeps the imports one-way; docs/architecture.md ("Layers") draws them.
//!
//! # The public API
//!
//! kata is a command-line tool; [`run`] is what `main` calls. Beyond it the library exposes
//! only what its own integration tests, property tests and benchmarks drive from outside: load
//! a catalogue, run a program in either sandbox, judge and compare, parse values and frames,
//! and build and render reports. Everything else is `pub(crate)`, and `unreachable_pub` is
//! denied, so an item marked `pub` that nothing outside can reach fails the build, and code
//! nothing uses shows up as dead.

mod authoring;
pub mod classroom;
pub mod cli;
mod commands;
mod curriculum;
mod error;
pub mod exercise;
mod exit;
pub mod grade;
pub mod mutation;
mod proof;
pub mod report;
pub mod runner;
mod runtime;
pub mod sandbox_files;
mod session;
pub mod settings;
mod style;
mod submission;
mod units;
pub mod value;
pub mod verdict;
mod watch;
mod words;
mod workspace;

use std::ffi::OsString;

use anstream::eprintln;
use clap::Parser;

use crate::cli::{Cli, ColorChoice};
use crate::error::Error;
use crate::exercise::CatalogueError;
pub use crate::exit::ExitStatus;
use crate::style::{BOLD, RED, paint};

/// Parses `args`, runs the command and returns its exit status. Never panics on bad input and
/// never exits the process itself.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> ExitStatus {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitStatus::Usage
            } else {
                ExitStatus::Success
            };
        }
    };
    match cli.color {
        ColorChoice::Auto => anstream::ColorChoice::Auto,
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
    }
    .write_global();
    match commands::dispatch(cli) {
        Ok(status) => status,
        Err(error) => {
            report_error(&error);
            error.exit_status()
        }
    }
}

fn report_error(error: &Error) {
    if let Error::Catalogue(CatalogueError::Invalid(invalid)) = error {
        eprintln!("{}", invalid.render().trim_end());
        let problems = invalid.error_count();
        eprintln!(
            "{} {} has {}; fix {} and try again",
            paint(RED.bold(), "error:"),
            invalid.file.name,
            words::count(problems, "problem", "problems"),
            if problems == 1 { "it" } else { "them" }
        );
        return;
    }
    eprintln!("{} {error}", paint(RED.bold(), "error:"));
    if let Some(help) = error.help() {
        eprintln!("  {} {help}", paint(BOLD, "help:"));
    }
}
