//! The proof model for tools: `kata validate --format json` (docs/validate.schema.json).
//!
//! A public contract like the grade report's: `schema_version` 1, problem kinds in kebab-case
//! that are never renamed; fields may be added.

use serde::Serialize;
use serde_json::{Value, json};

use super::{ExerciseProof, Proven, Status};
use crate::exercise::diagnostic::Severity;
use crate::mutation::score::ExerciseMutants;

pub(crate) const SCHEMA_VERSION: u32 = 1;

/// Every exercise `kata validate` looked at, and the totals.
#[derive(Debug, Serialize)]
pub(crate) struct ValidateReport<'a> {
    pub schema_version: u32,
    /// The sandbox the programs ran in; `None` when no file loaded, so nothing ran.
    pub sandbox: Option<&'a str>,
    /// Whether mutation testing ran (`--mutants`).
    pub mutants: bool,
    pub exercises: Vec<Value>,
    pub summary: Summary,
}

#[derive(Debug, Serialize)]
pub(crate) struct Summary {
    pub valid: usize,
    pub invalid: usize,
    pub skipped: usize,
}

/// One exercise's entry: its status, what its runs prove, and every problem with its severity.
pub(crate) fn exercise(proof: &ExerciseProof, mutants: Option<&ExerciseMutants>) -> Value {
    let problems: Vec<Value> = proof
        .problems()
        .map(|problem| {
            let mut value = serde_json::to_value(problem).expect("a problem serializes");
            if let Value::Object(fields) = &mut value {
                fields.insert("severity".to_string(), json!(severity(problem.severity())));
            }
            value
        })
        .collect();
    let proven: Vec<&Proven> = proof
        .checks
        .iter()
        .filter_map(|check| check.as_ref().ok())
        .collect();
    let mut entry = json!({
        "id": proof.id,
        "file": proof.origin,
        "status": proof.status,
        "proven": proven,
        "problems": problems,
    });
    if proof.status == Status::Skipped {
        let needs: Vec<&str> = proof.needs.iter().map(|c| c.as_str()).collect();
        entry["needs"] = json!(needs);
    }
    if proof.internal_error {
        entry["internal_error"] = json!(true);
    }
    if let Some(mutants) = mutants {
        entry["mutants"] = json!({
            "total": mutants.tested.len(),
            "caught": mutants.caught(),
            "survived": mutants.survived(),
            "equivalent": mutants.equivalent(),
            "not_judged": mutants.errors(),
            "score": mutants.score(),
        });
    }
    entry
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}
