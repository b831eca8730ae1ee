//! The exercise author's commands: start an exercise file, record its expected results, prove
//! it, and the format's schema.

use std::path::PathBuf;

use clap::Args;

use super::{CaseKind, Format, RunOptions};

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Exercise files, directories of them, or exercise ids in the catalogue (default: the
    /// whole catalogue).
    #[arg(value_name = "PATH|ID")]
    pub paths: Vec<PathBuf>,
    /// Also grade mutants of each reference solution and list the ones no case catches.
    #[arg(long)]
    pub mutants: bool,
    /// With --mutants: an exercise whose mutation score is below PERCENT is invalid.
    #[arg(long, value_name = "PERCENT", requires = "mutants",
          value_parser = clap::value_parser!(u8).range(0..=100))]
    pub min_score: Option<u8>,
    /// Output format: readable lines, or one JSON object (docs/validate.schema.json).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub run: RunOptions,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new exercise's id: lowercase words joined by hyphens, e.g. `two-sum`.
    pub id: String,
    /// What the first case runs: a function call, a class's methods, a script, or a whole
    /// program reading stdin.
    #[arg(long, value_enum, default_value_t = CaseKind::Call)]
    pub kind: CaseKind,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The exercise: a `.toml` file, or an id in the exercises directory.
    pub exercise: String,
    /// Change nothing: report the cases without `expect` and those the reference disagrees with.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub run: RunOptions,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {}
