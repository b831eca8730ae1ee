//! Every exercise's proof as it is decided, the exit status they add up to, and the closing
//! summary line or JSON report.

use anstream::{eprint, println};

use crate::cli::ValidateArgs;
use crate::exercise::InvalidExercise;
use crate::exit::ExitStatus;
use crate::mutation::score::ExerciseMutants;
use crate::proof::{self, ExerciseProof, json as proof_json};
use crate::style::{GREEN, RED, paint};

/// Every exercise's proof, in the order they are reported, and the exit status so far.
pub(super) struct Proofs {
    pub(super) list: Vec<ExerciseProof>,
    pub(super) status: ExitStatus,
    pub(super) mutants: Vec<Option<ExerciseMutants>>,
}

impl Default for Proofs {
    fn default() -> Self {
        Proofs {
            list: Vec::new(),
            status: ExitStatus::Success,
            mutants: Vec::new(),
        }
    }
}

impl Proofs {
    /// Files that do not load or whose Python does not compile: their diagnostics.
    pub(super) fn add_invalid(&mut self, invalid: &[InvalidExercise], human: bool) {
        for problems in invalid {
            if human {
                eprint!("{}", problems.render());
            }
            self.list.push(ExerciseProof::invalid(problems));
            self.status = ExitStatus::Usage;
        }
    }

    pub(super) fn add_validated(&mut self, validated: Vec<ExerciseProof>) {
        for proof in validated {
            self.status = self.status.max(if proof.internal_error {
                ExitStatus::Internal
            } else if proof.has_errors() {
                ExitStatus::Usage
            } else {
                ExitStatus::Success
            });
            self.list.push(proof);
        }
    }

    /// The summary line, or the whole JSON report.
    /// `ran`: whether anything was run (then a blank line sets the summary apart).
    pub(super) fn finish(
        &mut self,
        args: &ValidateArgs,
        sandbox: Option<&str>,
        human: bool,
        ran: bool,
    ) {
        let count = |status| self.list.iter().filter(|p| p.status == status).count();
        let summary = proof_json::Summary {
            valid: count(proof::Status::Valid),
            invalid: count(proof::Status::Invalid),
            skipped: count(proof::Status::Skipped),
        };
        if human {
            let line = summary_line(summary.valid, summary.invalid, summary.skipped);
            println!("{}{line}", if ran { "\n" } else { "" });
            return;
        }
        self.mutants.resize(self.list.len(), None);
        let exercises = self
            .list
            .iter()
            .zip(&self.mutants)
            .map(|(proof, mutants)| proof_json::exercise(proof, mutants.as_ref()))
            .collect();
        let report = proof_json::ValidateReport {
            schema_version: proof_json::SCHEMA_VERSION,
            sandbox,
            mutants: args.mutants,
            exercises,
            summary,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("the report serializes")
        );
    }
}

/// `N exercises valid, M invalid`, and how many the sandbox could not run, if any.
fn summary_line(valid: usize, invalid: usize, skipped: usize) -> String {
    let valid = format!("{valid} exercise{} valid", plural(valid));
    let invalid = format!("{invalid} invalid");
    let mut line = if invalid.starts_with('0') {
        format!("{}, {invalid}", paint(GREEN.bold(), valid))
    } else {
        format!("{valid}, {}", paint(RED.bold(), invalid))
    };
    if skipped > 0 {
        line.push_str(&format!(", {skipped} skipped (see above)"));
    }
    line
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
