//! `allow`: lint warnings an exercise silences on purpose, each with its reason.
//!
//! ```toml
//! allow = [{ lint = "hidden-only", reason = "showing these would give the predictions away" }]
//! ```
//!
//! At the top of the file it covers the whole exercise; in a `[[case]]` that case, in a
//! `[[wrong]]` that wrong solution. Lint names are checked, and a reason is required: a
//! silenced warning should say why it does not apply.

/// A lint warning `kata validate` gives (its errors cannot be silenced).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lint {
    /// Two cases run exactly the same input.
    SameInput,
    /// The prompt's code calls a function neither the starter nor the reference defines.
    PromptCall,
    /// The prompt still says `TODO`.
    Todo,
    /// A case's limit is far above what the reference needs.
    RoomyLimit,
    /// A wrong solution only hidden cases catch.
    HiddenOnly,
}

impl Lint {
    pub const ALL: [Lint; 5] = [
        Lint::SameInput,
        Lint::PromptCall,
        Lint::Todo,
        Lint::RoomyLimit,
        Lint::HiddenOnly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Lint::SameInput => "same-input",
            Lint::PromptCall => "prompt-call",
            Lint::Todo => "todo",
            Lint::RoomyLimit => "roomy-limit",
            Lint::HiddenOnly => "hidden-only",
        }
    }

    pub fn parse(text: &str) -> Option<Lint> {
        Self::ALL.into_iter().find(|lint| lint.as_str() == text)
    }

    /// Where an `allow` of this lint can go, besides the top level.
    pub fn scope(self) -> Scope {
        match self {
            Lint::SameInput | Lint::RoomyLimit => Scope::Case(String::new()),
            Lint::HiddenOnly => Scope::Wrong(String::new()),
            Lint::PromptCall | Lint::Todo => Scope::Exercise,
        }
    }
}

/// What an `allow` (or a finding) is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Exercise,
    /// The case of this name.
    Case(String),
    /// The wrong solution of this name.
    Wrong(String),
}

impl Scope {
    pub fn kind(&self) -> &'static str {
        match self {
            Scope::Exercise => "the exercise",
            Scope::Case(_) => "a `[[case]]`",
            Scope::Wrong(_) => "a `[[wrong]]`",
        }
    }
}

/// One `allow` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowance {
    pub lint: Lint,
    pub scope: Scope,
    pub reason: String,
}

/// Whether `allowances` silence `lint` about `subject`: an exercise-wide entry silences it
/// everywhere, a case's or wrong solution's entry only about that one.
pub(crate) fn allows(allowances: &[Allowance], lint: Lint, subject: &Scope) -> bool {
    allowances.iter().any(|allowed| {
        allowed.lint == lint && (allowed.scope == Scope::Exercise || allowed.scope == *subject)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_scopes_nest() {
        for lint in Lint::ALL {
            assert_eq!(Lint::parse(lint.as_str()), Some(lint));
        }
        let allowances = [
            Allowance {
                lint: Lint::RoomyLimit,
                scope: Scope::Case("big".into()),
                reason: "wasm".into(),
            },
            Allowance {
                lint: Lint::HiddenOnly,
                scope: Scope::Exercise,
                reason: "answers".into(),
            },
        ];
        assert!(allows(
            &allowances,
            Lint::RoomyLimit,
            &Scope::Case("big".into())
        ));
        assert!(!allows(
            &allowances,
            Lint::RoomyLimit,
            &Scope::Case("small".into())
        ));
        assert!(allows(
            &allowances,
            Lint::HiddenOnly,
            &Scope::Wrong("any".into())
        ));
        assert!(!allows(&allowances, Lint::Todo, &Scope::Exercise));
    }
}
