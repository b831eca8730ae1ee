//! The parser's position in the text: looking ahead, consuming, skipping whitespace and
//! comments, and errors that say where.

use super::{LiteralError, Parser};

impl Parser<'_> {
    pub(super) fn error(&self, message: impl Into<String>) -> LiteralError {
        self.error_at(self.pos, message)
    }

    pub(super) fn error_at(&self, offset: usize, message: impl Into<String>) -> LiteralError {
        LiteralError {
            offset,
            message: message.into(),
        }
    }

    pub(super) fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    pub(super) fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    pub(super) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub(super) fn skip_trivia(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                Some('\\') if self.rest().get(1..).is_some_and(|r| r.starts_with('\n')) => {
                    self.pos += 2
                }
                Some('#') => {
                    while let Some(c) = self.bump() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    pub(super) fn eat(&mut self, token: char) -> bool {
        self.skip_trivia();
        if self.peek() == Some(token) {
            self.pos += token.len_utf8();
            true
        } else {
            false
        }
    }

    pub(super) fn expect(&mut self, token: char, context: &str) -> Result<(), LiteralError> {
        if self.eat(token) {
            Ok(())
        } else {
            let found = match self.peek() {
                Some(c) => format!("`{c}`"),
                None => "the end of the value".to_string(),
            };
            Err(self.error(format!("expected `{token}` {context}, found {found}")))
        }
    }
}
