//! `[[wrong]]`: known-wrong solutions, with the verdict and cases that should catch them.

use std::collections::HashSet;

use super::Checker;
use crate::exercise::code::Code;
use crate::exercise::diagnostic::Diagnostic;
use crate::exercise::manifest::RawWrong;
use crate::exercise::model::WrongSolution;
use crate::verdict::Verdict;

impl Checker<'_> {
    pub(super) fn wrongs(
        &mut self,
        raw: Vec<RawWrong>,
        case_names: &[String],
    ) -> Vec<WrongSolution> {
        let mut names = HashSet::new();
        let case_names: Vec<&str> = case_names.iter().map(String::as_str).collect();
        let mut wrongs = Vec::with_capacity(raw.len());
        for wrong in raw {
            let name = wrong.name.get_ref().trim().to_string();
            if name.is_empty() {
                self.push(Diagnostic::error(
                    Code::EmptyWrongName,
                    wrong.name.span(),
                    "a wrong solution needs a name",
                ));
            } else if !names.insert(name.clone()) {
                self.push(Diagnostic::error(
                    Code::DuplicateWrongName,
                    wrong.name.span(),
                    format!("there is already a wrong solution named `{name}`"),
                ));
            }
            self.not_blank(&wrong.code, "code");
            let verdict =
                wrong
                    .verdict
                    .as_ref()
                    .and_then(|raw| match Verdict::parse(raw.get_ref()) {
                        Some(Verdict::Accepted) => {
                            self.push(Diagnostic::error(
                                Code::WrongExpectedAccepted,
                                raw.span(),
                                "a wrong solution cannot be expected to be accepted",
                            ));
                            None
                        }
                        Some(verdict) => Some(verdict),
                        None => {
                            let names: Vec<&str> =
                                Verdict::ALL.iter().map(|v| v.as_str()).collect();
                            self.unknown_name(Code::UnknownVerdict, raw, "verdict", &names);
                            None
                        }
                    });
            for case in &wrong.caught_by {
                if !case_names.contains(&case.get_ref().as_str()) {
                    self.unknown_name(
                        Code::UnknownCase,
                        case,
                        "case of this exercise",
                        &case_names,
                    );
                }
            }
            wrongs.push(WrongSolution {
                name,
                why: wrong.why.clone(),
                code: wrong.code.get_ref().clone(),
                verdict,
                caught_by: wrong
                    .caught_by
                    .iter()
                    .map(|c| c.get_ref().clone())
                    .collect(),
            });
        }
        wrongs
    }
}
