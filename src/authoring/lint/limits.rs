//! Limits raised far above what the reference needs: a much slower (or bigger) solution passes.

use std::time::Duration;

use super::Flagged;
use crate::exercise::allow::{Lint, Scope};
use crate::exercise::{Exercise, Limits};
use crate::grade::CaseOutcome;
use crate::units::{bytes, duration};

/// A limit this many times what the reference used is "far above" it.
const LIMIT_RATIO: u32 = 20;

pub(super) fn findings(exercise: &Exercise, reference: &[&CaseOutcome]) -> Vec<Flagged> {
    let defaults = Limits::default();
    let mut findings = Vec::new();
    for (case, outcome) in exercise.cases.iter().zip(reference) {
        if !outcome.verdict.is_accepted() {
            continue;
        }
        if let Some(used) = outcome.usage.cpu
            && case.limits.cpu > defaults.cpu
            && case.limits.cpu > used.max(Duration::from_millis(1)) * LIMIT_RATIO
        {
            findings.push(Flagged::warning(
                Lint::RoomyLimit,
                Scope::Case(case.name.clone()),
                format!(
                    "case `{}` allows {} of CPU time, but the reference needs {}",
                    case.name,
                    duration(case.limits.cpu),
                    duration(used)
                ),
                format!(
                    "a solution {}× slower than the reference passes it: lower `cpu_ms`",
                    (case.limits.cpu.as_secs_f64() / used.as_secs_f64().max(0.001)) as u64
                ),
            ));
        }
        if let Some(peak_kb) = outcome.usage.peak_memory_kb
            && case.limits.memory_bytes > defaults.memory_bytes
            && case.limits.memory_bytes > (peak_kb.max(1) << 10) * u64::from(LIMIT_RATIO)
        {
            findings.push(Flagged::warning(
                Lint::RoomyLimit,
                Scope::Case(case.name.clone()),
                format!(
                    "case `{}` allows {} of memory, but the reference needs {}",
                    case.name,
                    bytes(case.limits.memory_bytes),
                    bytes(peak_kb << 10)
                ),
                "lower `memory_mb`, or say in the prompt why it is this high",
            ));
        }
    }
    findings
}
