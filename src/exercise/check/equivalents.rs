//! `[[equivalent]]`: mutants the author marks as behaving like the reference.

use std::collections::HashSet;

use super::Checker;
use crate::exercise::code::Code;
use crate::exercise::diagnostic::Diagnostic;
use crate::exercise::manifest::RawEquivalent;
use crate::exercise::model::EquivalentMutant;

impl Checker<'_> {
    pub(super) fn equivalents(&mut self, raw: &[RawEquivalent]) -> Vec<EquivalentMutant> {
        let mut seen = HashSet::new();
        let mut equivalents = Vec::with_capacity(raw.len());
        for entry in raw {
            let id = entry.mutant.get_ref().trim();
            let well_formed = id.len() == 8
                && id
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            if !well_formed {
                self.push(
                    Diagnostic::error(Code::BadMutantId,
                        entry.mutant.span(),
                        format!("`{id}` is not a mutant id"),
                    )
                    .with_help("copy the 8-digit id `kata validate --mutants` prints next to the surviving mutant"),
                );
                continue;
            }
            if !seen.insert(id.to_string()) {
                self.push(Diagnostic::error(
                    Code::DuplicateEquivalent,
                    entry.mutant.span(),
                    format!("mutant `{id}` is marked equivalent twice"),
                ));
                continue;
            }
            let why = self.required_text(&entry.why, "why");
            equivalents.push(EquivalentMutant {
                id: id.to_string(),
                why,
                line: self.file.line_column(entry.mutant.span().start).0,
            });
        }
        equivalents
    }
}
