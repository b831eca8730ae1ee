//! `allow`: lint warnings an author silences, where, and why.

use super::Checker;
use crate::exercise::allow::{Allowance, Lint, Scope};
use crate::exercise::code::Code;
use crate::exercise::diagnostic::Diagnostic;
use crate::exercise::manifest::{RawAllow, RawCase, RawHeader, RawWrong};

impl Checker<'_> {
    /// Every `allow` in the file, checked: known lint names, in a place the lint is about, with
    /// a reason.
    pub(super) fn allowances(
        &mut self,
        header: &RawHeader,
        cases: &[RawCase],
        wrongs: &[RawWrong],
    ) -> Vec<Allowance> {
        let mut places: Vec<(&[RawAllow], Scope)> = vec![(&header.allow, Scope::Exercise)];
        for case in cases {
            places.push((
                &case.allow,
                Scope::Case(case.name.get_ref().trim().to_string()),
            ));
        }
        for wrong in wrongs {
            places.push((
                &wrong.allow,
                Scope::Wrong(wrong.name.get_ref().trim().to_string()),
            ));
        }
        let names: Vec<&str> = Lint::ALL.iter().map(|lint| lint.as_str()).collect();
        let mut allowed = Vec::new();
        for (entries, scope) in places {
            for entry in entries {
                let Some(lint) = Lint::parse(entry.lint.get_ref()) else {
                    self.unknown_name(Code::UnknownLint, &entry.lint, "lint", &names);
                    continue;
                };
                if scope != Scope::Exercise
                    && std::mem::discriminant(&scope) != std::mem::discriminant(&lint.scope())
                {
                    self.push(
                        Diagnostic::error(
                            Code::MisplacedAllow,
                            entry.lint.span(),
                            format!("`{}` is never about {}", lint.as_str(), scope.kind()),
                        )
                        .with_help(match lint.scope() {
                            Scope::Exercise => "allow it at the top of the file".to_string(),
                            about => format!(
                                "allow it in {} it is about, or at the top of the file",
                                about.kind().replacen("a ", "the ", 1)
                            ),
                        }),
                    );
                    continue;
                }
                if entry.reason.get_ref().trim().is_empty() {
                    self.push(
                        Diagnostic::error(
                            Code::AllowWithoutReason,
                            entry.reason.span(),
                            "an `allow` needs a reason",
                        )
                        .with_help("say why the warning does not apply here"),
                    );
                    continue;
                }
                allowed.push(Allowance {
                    lint,
                    scope: scope.clone(),
                    reason: entry.reason.get_ref().trim().to_string(),
                });
            }
        }
        allowed
    }
}
