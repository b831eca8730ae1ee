//! Verdicts: what happened to one case.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The outcome of one case, kebab-case on the wire.
///
/// The variants are declared in order of precedence, most severe first: when several apply,
/// the earliest wins, and an exercise's overall verdict is its most severe case's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The grader failed (or the exercise is broken); never blamed on the submission.
    InternalError,
    OutputLimitExceeded,
    TimeLimitExceeded,
    MemoryLimitExceeded,
    SyntaxError,
    RuntimeError,
    WrongAnswer,
    Accepted,
}

impl Verdict {
    pub const ALL: [Verdict; 8] = [
        Verdict::InternalError,
        Verdict::OutputLimitExceeded,
        Verdict::TimeLimitExceeded,
        Verdict::MemoryLimitExceeded,
        Verdict::SyntaxError,
        Verdict::RuntimeError,
        Verdict::WrongAnswer,
        Verdict::Accepted,
    ];

    /// The kebab-case name used in files, JSON and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::InternalError => "internal-error",
            Verdict::OutputLimitExceeded => "output-limit-exceeded",
            Verdict::TimeLimitExceeded => "time-limit-exceeded",
            Verdict::MemoryLimitExceeded => "memory-limit-exceeded",
            Verdict::SyntaxError => "syntax-error",
            Verdict::RuntimeError => "runtime-error",
            Verdict::WrongAnswer => "wrong-answer",
            Verdict::Accepted => "accepted",
        }
    }

    /// Words for people: "wrong answer".
    pub fn label(self) -> &'static str {
        match self {
            Verdict::InternalError => "internal error",
            Verdict::OutputLimitExceeded => "output limit exceeded",
            Verdict::TimeLimitExceeded => "time limit exceeded",
            Verdict::MemoryLimitExceeded => "memory limit exceeded",
            Verdict::SyntaxError => "syntax error",
            Verdict::RuntimeError => "runtime error",
            Verdict::WrongAnswer => "wrong answer",
            Verdict::Accepted => "accepted",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == text)
    }

    pub fn is_accepted(self) -> bool {
        self == Verdict::Accepted
    }

    /// The more severe of two verdicts.
    pub fn worst(self, other: Verdict) -> Verdict {
        self.min(other)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_follows_the_design() {
        assert_eq!(
            Verdict::WrongAnswer.worst(Verdict::TimeLimitExceeded),
            Verdict::TimeLimitExceeded
        );
        assert_eq!(
            Verdict::Accepted.worst(Verdict::RuntimeError),
            Verdict::RuntimeError
        );
        assert_eq!(
            Verdict::InternalError.worst(Verdict::OutputLimitExceeded),
            Verdict::InternalError
        );
        let mut sorted = Verdict::ALL;
        sorted.sort();
        assert_eq!(sorted, Verdict::ALL);
    }

    #[test]
    fn names_round_trip_through_serde_and_parse() {
        for verdict in Verdict::ALL {
            let json = serde_json::to_string(&verdict).unwrap();
            assert_eq!(json, format!("\"{}\"", verdict.as_str()));
            assert_eq!(Verdict::parse(verdict.as_str()), Some(verdict));
        }
    }
}
