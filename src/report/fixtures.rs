//! Report models for the writers' unit tests, built from JSON as a report read back is, so
//! that fields the model gains later take their defaults here too.

use serde_json::{Value, json};

use super::model::{CaseReport, SCHEMA_VERSION, Status};
use super::{ClassReport, StudentSubmission};
use crate::grade::Verdict;

/// A case worth one point, as JSON (to add details to before [`case`] reads it).
pub(super) fn case_json(name: &str, verdict: Verdict, hidden: bool) -> Value {
    json!({
        "name": name, "hidden": hidden, "status": Status::of(verdict), "verdict": verdict,
        "points": u32::from(verdict.is_accepted()), "max_points": 1,
        "kind": "call", "comparator": "exact",
    })
}

pub(super) fn case(name: &str, verdict: Verdict, hidden: bool) -> CaseReport {
    serde_json::from_value(case_json(name, verdict, hidden)).unwrap()
}

/// A submission whose totals and verdict add up from `cases`.
pub(super) fn submission(
    student: &str,
    exercise: &str,
    title: &str,
    file: Option<&str>,
    cases: Vec<CaseReport>,
) -> StudentSubmission {
    let passed = cases.iter().filter(|c| c.verdict.is_accepted()).count();
    let verdict = cases
        .iter()
        .map(|c| c.verdict)
        .fold(Verdict::Accepted, Verdict::worst);
    let mut submission = json!({
        "student": student, "schema_version": SCHEMA_VERSION, "exercise": exercise,
        "title": title, "sandbox": "wasm",
        "status": Status::of(verdict), "verdict": verdict,
        "points": cases.iter().map(|c| c.points).sum::<u32>(),
        "max_points": cases.iter().map(|c| c.max_points).sum::<u32>(),
        "passed": passed, "failed": cases.len() - passed, "cases": cases,
    });
    if let Some(file) = file {
        submission["file"] = json!(file);
    }
    serde_json::from_value(submission).unwrap()
}

/// A class of one submission with one failing visible growth case: quadratic where `n` is
/// allowed.
pub(super) fn class_with_a_growth_case() -> ClassReport {
    let submission = submission("ada", "echo", "Echo", None, vec![growth_case("grows")]);
    ClassReport::new("subprocess", None, vec![submission], Vec::new())
}

fn growth_case(name: &str) -> CaseReport {
    let mut case = case_json(name, Verdict::TimeLimitExceeded, false);
    let extra = json!({
        "input": "f(n)",
        "message": "cost grows like n^2.0 between n = 100 and n = 400 (cpu-time); this exercise asks for n or better",
        "growth": {
            "counter": "cpu-time", "allows": "n", "exponent": 2.0, "lower_bound": false,
            "allowed_exponent": 1.5, "range": [100, 400],
            "points": [{"n": 100, "cost": 10000}, {"n": 200, "cost": 40000},
                       {"n": 400, "cost": 160000}],
        },
    });
    case.as_object_mut()
        .expect("an object")
        .extend(extra.as_object().expect("an object").clone());
    serde_json::from_value(case).expect("a case report")
}
