//! Problems found in an exercise file, with where they are.

use std::fmt;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;

use super::code::Code;

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Which kind of problem this is, stable across versions.
    pub code: Code,
    pub severity: Severity,
    /// Byte range in the file; `None` when the problem is about the file as a whole.
    pub span: Option<Range<usize>>,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Diagnostic {
    pub fn error(
        code: Code,
        span: impl Into<Option<Range<usize>>>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            span: span.into(),
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(
        code: Code,
        span: impl Into<Option<Range<usize>>>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A file's text with its name, for locating spans.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// How to name the file in messages, e.g. `exercises/lru-cache.toml`.
    pub name: String,
    pub text: String,
}

impl SourceFile {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }
}

/// Maps an offset in a string's decoded text to the file, when the string's body is verbatim
/// (literal strings, and basic strings without escapes); otherwise points at the whole string.
// Author input of any content must give a span, never a panic (as in `check`).
#[deny(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used
)]
pub(super) fn span_in_string(
    file: &SourceFile,
    string_span: Range<usize>,
    decoded: &str,
    offset: usize,
) -> Range<usize> {
    let Some(raw) = file.text.get(string_span.clone()) else {
        return string_span;
    };
    let delimiter = if raw.starts_with("'''") || raw.starts_with("\"\"\"") {
        3
    } else {
        1
    };
    if raw.len() < 2 * delimiter {
        return string_span;
    }
    let mut body_start = string_span.start + delimiter;
    let Some(mut body) = raw.get(delimiter..raw.len() - delimiter) else {
        return string_span;
    };
    if delimiter == 3 {
        // TOML drops a newline right after the opening delimiter.
        for newline in ["\r\n", "\n"] {
            if let Some(rest) = body.strip_prefix(newline) {
                body = rest;
                body_start += newline.len();
                break;
            }
        }
    }
    if body != decoded {
        return string_span;
    }
    let start = body_start + offset.min(body.len());
    let width = body
        .get(offset.min(body.len())..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    start..start + width
}

/// An exercise file with problems: every problem found, not just the first.
#[derive(Debug, Clone)]
pub struct InvalidExercise {
    pub file: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}

impl InvalidExercise {
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Renders every diagnostic with the offending source lines, in ANSI colours (callers print
    /// through `anstream`, which strips them when colour is off).
    pub fn render(&self) -> String {
        let files = SimpleFile::new(self.file.name.as_str(), self.file.text.as_str());
        let config = term::Config::default();
        let mut out = termcolor::Ansi::new(Vec::new());
        for diagnostic in &self.diagnostics {
            let severity = match diagnostic.severity {
                Severity::Error => ReportSeverity::Error,
                Severity::Warning => ReportSeverity::Warning,
            };
            let mut report = Report::new(severity)
                .with_code(diagnostic.code.as_str())
                .with_message(&diagnostic.message);
            match &diagnostic.span {
                Some(span) => {
                    report = report.with_labels(vec![Label::primary((), span.clone())]);
                }
                None => {
                    report = report.with_notes(vec![format!("in {}", self.file.name)]);
                }
            }
            if let Some(help) = &diagnostic.help {
                report = report.with_notes(vec![format!("help: {help}")]);
            }
            // Rendering into memory cannot fail for spans inside the file.
            let _ = term::emit_to_write_style(&mut out, &config, &files, &report);
        }
        String::from_utf8_lossy(&out.into_inner()).into_owned()
    }
}

impl fmt::Display for InvalidExercise {
    /// One line per problem: `file:line:column: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.diagnostics.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            let kind = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            match &diagnostic.span {
                Some(span) => {
                    let (line, column) = self.file.line_column(span.start);
                    write!(
                        f,
                        "{}:{line}:{column}: {kind}[{}]: {}",
                        self.file.name, diagnostic.code, diagnostic.message
                    )?;
                }
                None => write!(
                    f,
                    "{}: {kind}[{}]: {}",
                    self.file.name, diagnostic.code, diagnostic.message
                )?,
            }
            if let Some(help) = &diagnostic.help {
                write!(f, " (help: {help})")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for InvalidExercise {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_errors_point_into_verbatim_strings() {
        let text = "expect = '[1, 2'\n";
        let file = SourceFile {
            name: "x.toml".into(),
            text: text.into(),
        };
        let string_span = 9..16;
        assert_eq!(&text[string_span.clone()], "'[1, 2'");
        assert_eq!(span_in_string(&file, string_span, "[1, 2", 5), 15..15);
        let escaped = "expect = \"a\\tb\"\n";
        let file = SourceFile {
            name: "x.toml".into(),
            text: escaped.into(),
        };
        assert_eq!(span_in_string(&file, 9..15, "a\tb", 2), 9..15);
    }

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let file = SourceFile {
            name: "x.toml".into(),
            text: "a = 1\nbé = 2\n".into(),
        };
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(6), (2, 1));
        assert_eq!(file.line_column(9), (2, 3)); // after "bé": 'é' is two bytes
    }

    #[test]
    fn display_lists_every_problem_with_its_location() {
        let invalid = InvalidExercise {
            file: SourceFile {
                name: "x.toml".into(),
                text: "a = 1\nb = 2\n".into(),
            },
            diagnostics: vec![
                Diagnostic::error(Code::UnknownKey, 0..1, "first"),
                Diagnostic::error(Code::EmptyText, 6..7, "second").with_help("fix it"),
                Diagnostic::error(Code::NoCases, None, "third"),
            ],
        };
        assert_eq!(
            invalid.to_string(),
            "x.toml:1:1: error[E0105]: first\nx.toml:2:1: error[E0202]: second (help: fix it)\nx.toml: error[E0301]: third"
        );
        assert!(invalid.render().contains("second"));
        assert!(invalid.render().contains("E0202"), "{}", invalid.render());
    }
}
