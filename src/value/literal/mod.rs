//! A parser for expected values written as Python literals.
//!
//! Authors write expected results the way `repr` prints them: `None`, `True`, `-3`, `1.5`,
//! `inf`, `'text'`, `b'\x00'`, `(1,)`, `[1, [2]]`, `{'k': v}`, `{1, 2}`, `set()`,
//! `frozenset({1})`. One addition covers calls that must raise: `raises(KeyError)`.
//! Comments (`# ...`) and any whitespace, including newlines, may appear between tokens.
//!
//! This runs on the host: expected values never enter the sandbox.

mod container;
mod cursor;
mod number;
mod string;
#[cfg(test)]
mod tests;

use self::number::parse_float_word;
use self::string::is_string_prefix;
use super::{Raised, Value};

/// Why a literal could not be parsed, and where (a byte offset into the literal's text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LiteralError {
    pub offset: usize,
    pub message: String,
}

/// Parses one Python literal; anything after it other than whitespace and comments is an error.
pub fn parse(text: &str) -> Result<Value, LiteralError> {
    let mut parser = Parser { text, pos: 0 };
    let value = parser.value(0)?;
    parser.skip_trivia();
    if parser.pos < text.len() {
        return Err(parser.error("unexpected text after the value"));
    }
    Ok(value)
}

/// Deep enough for any realistic expected value, shallow enough never to overflow the stack.
const MAX_DEPTH: usize = 200;

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn value(&mut self, depth: usize) -> Result<Value, LiteralError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("nested more than {MAX_DEPTH} levels deep")));
        }
        self.skip_trivia();
        let start = self.pos;
        match self.peek() {
            None => Err(self.error("expected a value, found the end of the text")),
            Some('[') => {
                self.bump();
                let items = self.items(']', depth, "in this list")?;
                Ok(Value::List(items))
            }
            Some('(') => self.parenthesised(depth),
            Some('{') => self.braced(depth),
            Some('-' | '+') => self.signed(),
            Some(c) if c.is_ascii_digit() || c == '.' => self.number(start, false),
            Some(c) if c == '\'' || c == '"' => self.strings(),
            Some(c) if c.is_alphabetic() || c == '_' => {
                let name = self.identifier().to_string();
                if self.quote_follows() && is_string_prefix(&name) {
                    self.pos = start;
                    return self.strings();
                }
                self.named(&name, start, depth)
            }
            Some(c) => Err(self.error(format!("`{c}` cannot start a value"))),
        }
    }

    fn identifier(&mut self) -> &str {
        let start = self.pos;
        while matches!(self.peek(), Some(c) if c.is_alphanumeric() || c == '_') {
            self.bump();
        }
        self.text.get(start..self.pos).unwrap_or_default()
    }

    fn quote_follows(&self) -> bool {
        matches!(self.peek(), Some('\'' | '"'))
    }

    fn named(&mut self, name: &str, start: usize, depth: usize) -> Result<Value, LiteralError> {
        match name {
            "None" => Ok(Value::None),
            "True" => Ok(Value::Bool(true)),
            "False" => Ok(Value::Bool(false)),
            "inf" => Ok(Value::Float(f64::INFINITY)),
            "nan" => Ok(Value::Float(f64::NAN)),
            "set" | "frozenset" => {
                self.expect('(', &format!("after `{name}`"))?;
                let items = if self.eat(')') {
                    Vec::new()
                } else {
                    let inner_start = self.pos;
                    let inner = self.value(depth + 1)?;
                    self.eat(',');
                    self.expect(')', &format!("to close `{name}(`"))?;
                    match inner {
                        Value::List(items) | Value::Tuple(items) | Value::Set(items) => items,
                        Value::FrozenSet(items) => items,
                        other => {
                            return Err(self.error_at(
                                inner_start,
                                format!(
                                    "`{name}(...)` takes a list, tuple or set literal, not {}",
                                    other.type_name()
                                ),
                            ));
                        }
                    }
                };
                self.check_hashable(&items, start)?;
                Ok(if name == "set" {
                    Value::set_from(items)
                } else {
                    Value::frozenset_from(items)
                })
            }
            "float" => {
                self.expect('(', "after `float`")?;
                self.skip_trivia();
                let arg_start = self.pos;
                let arg = self.strings()?;
                self.expect(')', "to close `float(`")?;
                match arg {
                    Value::Str(s) => parse_float_word(&s).map(Value::Float).ok_or_else(|| {
                        self.error_at(arg_start, format!("`float({s:?})` is not a number"))
                    }),
                    _ => Err(self.error_at(arg_start, "`float(...)` takes a string")),
                }
            }
            "raises" => {
                self.expect('(', "after `raises`")?;
                self.skip_trivia();
                let class_start = self.pos;
                let mut class = self.identifier().to_string();
                while self.peek() == Some('.') {
                    // Allow dotted names such as `json.JSONDecodeError`; the last part is the class.
                    self.bump();
                    class = self.identifier().to_string();
                }
                if class.is_empty() {
                    return Err(self.error_at(
                        class_start,
                        "`raises(...)` takes an exception class name, like `raises(KeyError)`",
                    ));
                }
                self.expect(')', "to close `raises(`")?;
                Ok(Value::Raised(Raised {
                    class_names: vec![class],
                    message: None,
                    traceback: None,
                }))
            }
            "null" | "none" | "true" | "false" | "NaN" | "Infinity" => {
                let python = match name {
                    "null" | "none" => "None",
                    "true" => "True",
                    "false" => "False",
                    "NaN" => "nan",
                    _ => "inf",
                };
                Err(self.error_at(start, format!("`{name}` is not Python; write `{python}`")))
            }
            _ => Err(self.error_at(
                start,
                format!("`{name}` is not a literal (expected values cannot refer to names)"),
            )),
        }
    }
}
