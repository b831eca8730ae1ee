//! Deriving mutants of a reference solution: `sandbox/mutants.py`, run in the sandbox.
//!
//! The generator is loaded by the harness like a submission and called by a `call` case with the
//! reference as a fixture file, so it runs with the same limits, environment and isolation as
//! any case. It returns text edits; the host checks them, applies them to the reference it
//! already has, and names each mutant with an id that stays the same when other lines move.

use std::sync::Arc;
use std::time::Duration;

use crate::exercise::{CaseInput, Fixture, FixtureContents, Limits, Support};
use crate::runner::{Finished, HarnessOutcome, ProcessEnd, Program, RunRequest, Runner};
use crate::value::{Value, repr};

use super::Mutant;

/// The generator, shipped in the binary like the harness.
const GENERATOR: &str = include_str!("../../sandbox/mutants.py");

/// What a generator run gave.
#[derive(Debug, Clone)]
pub struct Generated {
    pub mutants: Vec<Mutant>,
    /// Candidate edits the generator threw away because they did not parse as intended.
    pub dropped: u64,
}

/// The generator's run as a sandbox request: the reference goes in as a file, never as code
/// the harness would run.
fn request(reference: &str) -> RunRequest {
    RunRequest {
        program: Program {
            source: GENERATOR.into(),
            display_name: "kata-mutants.py".to_string(),
        },
        support: Arc::new(Support::default()),
        input: CaseInput::Call {
            expr: "generate('reference.py')".to_string(),
        },
        limits: Limits {
            cpu: Duration::from_secs(30),
            wall: Duration::from_secs(60),
            memory_bytes: 1 << 30,
            output_bytes: 64 << 20,
        },
        fixtures: vec![Fixture {
            path: "reference.py".to_string(),
            contents: FixtureContents::File(reference.as_bytes().to_vec()),
        }],
        requires: Vec::new(),
    }
}

/// Runs the generator on `reference` and returns its mutants.
pub async fn generate<R: Runner>(runner: &R, reference: &str) -> Result<Generated, String> {
    let output = runner
        .run(request(reference))
        .await
        .map_err(|error| format!("could not run the mutant generator: {error}"))?;
    if let Some(limit) = output.limit {
        return Err(format!("the mutant generator hit a limit ({limit:?})"));
    }
    let frame = output
        .frame
        .map_err(|error| format!("the mutant generator gave no result: {error}"))?;
    let value = match frame.outcome {
        HarnessOutcome::Finished(Finished::Returned(value))
            if output.exit == ProcessEnd::Code(0) =>
        {
            value
        }
        HarnessOutcome::Raised { exception, .. } => {
            return Err(format!(
                "the mutant generator failed: {}: {}",
                exception.class_name(),
                exception.message.as_deref().unwrap_or_default()
            ));
        }
        other => return Err(format!("the mutant generator failed: {other:?}")),
    };
    decode(reference, &value)
}

/// Checks and applies the generator's edits.
fn decode(reference: &str, value: &Value) -> Result<Generated, String> {
    let bad = || {
        format!(
            "the mutant generator returned something unexpected: {}",
            short(value)
        )
    };
    let Value::Tuple(parts) = value else {
        return Err(bad());
    };
    let [Value::List(edits), Value::Int(dropped)] = parts.as_slice() else {
        return Err(bad());
    };
    let mut mutants: Vec<Mutant> = Vec::with_capacity(edits.len());
    for edit in edits {
        let Value::Tuple(fields) = edit else {
            return Err(bad());
        };
        let [
            Value::Str(operator),
            Value::Int(_line),
            Value::Int(start),
            Value::Int(end),
            Value::Str(replacement),
        ] = fields.as_slice()
        else {
            return Err(bad());
        };
        let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end)) else {
            return Err(bad());
        };
        let mutant =
            Mutant::from_edit(reference, operator, start, end, replacement).ok_or_else(bad)?;
        mutants.push(mutant);
    }
    name_mutants(&mut mutants);
    Ok(Generated {
        mutants,
        dropped: u64::try_from(dropped).unwrap_or(0),
    })
}

fn short(value: &Value) -> String {
    let text = repr(value);
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}

/// Gives every mutant its id: a hash of what it changes (the operator and the lines before and
/// after, without indentation), numbered when the same change appears more than once. Moving
/// code around or editing other lines keeps an id; editing the mutated line makes a new one.
fn name_mutants(mutants: &mut [Mutant]) {
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for mutant in mutants {
        let squeeze = |text: &str| text.lines().map(str::trim).collect::<Vec<_>>().join("\n");
        let key = format!(
            "{}\0{}\0{}",
            mutant.operator,
            squeeze(&mutant.before),
            squeeze(&mutant.after)
        );
        let occurrence = seen.entry(key.clone()).or_insert(0);
        *occurrence += 1;
        mutant.id = format!("{:08x}", short_hash(&format!("{key}\0{occurrence}")));
    }
}

/// FNV-1a, folded to 32 bits: stable across platforms and versions, which the ids in exercise
/// files rely on.
fn short_hash(text: &str) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash ^ (hash >> 32)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(operator: &str, start: i64, end: i64, replacement: &str) -> Value {
        Value::Tuple(vec![
            Value::Str(operator.into()),
            Value::Int(1.into()),
            Value::Int(start.into()),
            Value::Int(end.into()),
            Value::Str(replacement.into()),
        ])
    }

    #[test]
    fn edits_become_mutants_with_stable_ids() {
        let reference = "def f(x):\n    return x < 1\n";
        let value = Value::Tuple(vec![
            Value::List(vec![edit("compare-boundary", 23, 24, "<=")]),
            Value::Int(0.into()),
        ]);
        let generated = decode(reference, &value).unwrap();
        let mutant = &generated.mutants[0];
        assert_eq!(mutant.source, "def f(x):\n    return x <= 1\n");
        assert_eq!(mutant.line, 2);
        assert_eq!(mutant.before, "    return x < 1");
        assert_eq!(mutant.after, "    return x <= 1");
        // Another line above, and other indentation: the same mutant, the same id.
        let moved = "import os\n\ndef f(x):\n        return x < 1\n";
        let value = Value::Tuple(vec![
            Value::List(vec![edit("compare-boundary", 38, 39, "<=")]),
            Value::Int(0.into()),
        ]);
        assert_eq!(decode(moved, &value).unwrap().mutants[0].id, mutant.id);
        assert_eq!(mutant.id.len(), 8);
    }

    #[test]
    fn edits_outside_the_reference_are_refused() {
        let value = Value::Tuple(vec![
            Value::List(vec![edit("constant", 5, 99, "2")]),
            Value::Int(0.into()),
        ]);
        assert!(decode("x = 1\n", &value).is_err());
        let value = Value::Tuple(vec![
            Value::List(vec![edit("constant", 1, 2, "2")]),
            Value::Int(0.into()),
        ]);
        // Byte 1 is inside the two-byte `é`.
        assert!(decode("é = 1\n", &value).is_err());
    }
}
