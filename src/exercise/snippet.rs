//! The Python an exercise file carries (cases' `call` and `script`, support code, the starter,
//! the reference and the wrong solutions), each with where it is in the file, so that a syntax
//! error in it is the exercise's diagnostic, pointed at in the TOML, before anything runs.
//!
//! Parsing Python takes Python: [`crate::authoring::snippets`] compiles them all in one batch.

use std::ops::Range;
use std::sync::Arc;

use super::code::Code;
use super::diagnostic::span_in_string;
use super::diagnostic::{Diagnostic, InvalidExercise, SourceFile};

/// How a snippet is compiled: a `call` is an expression, everything else statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnippetMode {
    Eval,
    Exec,
}

impl SnippetMode {
    /// The `mode` argument of Python's `compile()`.
    pub fn as_str(self) -> &'static str {
        match self {
            SnippetMode::Eval => "eval",
            SnippetMode::Exec => "exec",
        }
    }
}

/// One piece of Python in the file.
#[derive(Debug, Clone)]
pub struct Snippet {
    /// What it is, for messages: "the `call` of case `big`".
    pub what: String,
    /// The code as it will be compiled.
    pub code: String,
    pub mode: SnippetMode,
    /// The TOML string that holds it.
    span: Range<usize>,
    /// The string's decoded text, and where `code` starts in it (a `call` is trimmed).
    decoded: String,
    start: usize,
}

/// Every snippet of one exercise, and its file.
#[derive(Debug, Clone)]
pub struct Snippets {
    file: Arc<SourceFile>,
    pub list: Vec<Snippet>,
}

impl Snippets {
    pub(super) fn new(file: &SourceFile) -> Snippets {
        Snippets {
            file: Arc::new(file.clone()),
            list: Vec::new(),
        }
    }

    /// Adds the TOML string `decoded` (at `span`), compiled in `mode`; a `call` is compiled
    /// trimmed, as the harness does.
    pub(super) fn push(
        &mut self,
        what: String,
        span: Range<usize>,
        decoded: &str,
        mode: SnippetMode,
    ) {
        let code = match mode {
            SnippetMode::Eval => decoded.trim(),
            SnippetMode::Exec => decoded,
        };
        let start = decoded.len() - decoded.trim_start().len();
        self.list.push(Snippet {
            what,
            code: code.to_string(),
            mode,
            span,
            decoded: decoded.to_string(),
            start: if mode == SnippetMode::Eval { start } else { 0 },
        });
    }

    /// The diagnostic for Python's `SyntaxError` in snippet `index`: `message` at 1-based
    /// `line` and `column` (in characters) of the snippet's code.
    pub fn syntax_error(
        &self,
        index: usize,
        message: &str,
        line: usize,
        column: usize,
    ) -> Diagnostic {
        let snippet = &self.list[index];
        let offset = snippet.start + byte_offset(&snippet.code, line, column);
        let span = span_in_string(&self.file, snippet.span.clone(), &snippet.decoded, offset);
        Diagnostic::error(
            Code::PythonSyntax,
            span,
            format!("{} is not valid Python: {message}", snippet.what),
        )
        .with_help("fix the Python in the exercise file; nothing ran")
    }

    /// The exercise's file with these problems.
    pub fn invalid(&self, diagnostics: Vec<Diagnostic>) -> InvalidExercise {
        InvalidExercise {
            file: (*self.file).clone(),
            diagnostics,
        }
    }
}

/// The byte offset of a 1-based line and character column in `code`, clamped to it.
fn byte_offset(code: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (index, text) in code.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            let within: usize = text
                .chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return offset + within;
        }
        offset += text.len();
    }
    code.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_positions_become_byte_offsets() {
        assert_eq!(byte_offset("f(1, 2", 1, 2), 1);
        assert_eq!(byte_offset("a = 1\nb = (\n", 2, 5), 10);
        assert_eq!(byte_offset("é(", 1, 2), 2);
        assert_eq!(byte_offset("x", 9, 1), 1);
    }

    #[test]
    fn a_call_error_points_into_the_toml_string() {
        let text = "call = \"  two_sum([1], 100\"\n";
        let file = SourceFile {
            name: "x.toml".into(),
            text: text.into(),
        };
        let mut snippets = Snippets::new(&file);
        snippets.push(
            "the `call` of case `a`".into(),
            7..text.len() - 1,
            "  two_sum([1], 100",
            SnippetMode::Eval,
        );
        assert_eq!(snippets.list[0].code, "two_sum([1], 100");
        // Python: "'(' was never closed" at column 8 of the trimmed call.
        let diagnostic = snippets.syntax_error(0, "'(' was never closed", 1, 8);
        let span = diagnostic.span.unwrap();
        assert_eq!(&text[span.clone()], "(");
        assert_eq!(file.line_column(span.start), (1, 18));
    }
}
