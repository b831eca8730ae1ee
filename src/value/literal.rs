//! A parser for expected values written as Python literals.
//!
//! Authors write expected results the way `repr` prints them: `None`, `True`, `-3`, `1.5`,
//! `inf`, `'text'`, `b'\x00'`, `(1,)`, `[1, [2]]`, `{'k': v}`, `{1, 2}`, `set()`,
//! `frozenset({1})`. One addition covers calls that must raise: `raises(KeyError)`.
//! Comments (`# ...`) and any whitespace, including newlines, may appear between tokens.
//!
//! This runs on the host: expected values never enter the sandbox.

use num_bigint::BigInt;
use num_traits::Num;

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
    fn error(&self, message: impl Into<String>) -> LiteralError {
        self.error_at(self.pos, message)
    }

    fn error_at(&self, offset: usize, message: impl Into<String>) -> LiteralError {
        LiteralError {
            offset,
            message: message.into(),
        }
    }

    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn skip_trivia(&mut self) {
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

    fn eat(&mut self, token: char) -> bool {
        self.skip_trivia();
        if self.peek() == Some(token) {
            self.pos += token.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: char, context: &str) -> Result<(), LiteralError> {
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

    fn signed(&mut self) -> Result<Value, LiteralError> {
        let start = self.pos;
        let negative = self.bump() == Some('-');
        self.skip_trivia();
        match self.peek() {
            Some(c) if c.is_ascii_digit() || c == '.' => {
                let number_start = self.pos;
                self.number(number_start, negative)
            }
            Some('i') if self.rest().starts_with("inf") => {
                self.pos += 3;
                Ok(Value::Float(if negative {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }))
            }
            Some('n') if self.rest().starts_with("nan") => {
                self.pos += 3;
                Ok(Value::Float(f64::NAN))
            }
            _ => Err(self.error_at(start, "a sign must be followed by a number")),
        }
    }

    fn number(&mut self, start: usize, negative: bool) -> Result<Value, LiteralError> {
        let rest = self.rest();
        let lower = rest.get(..2).map(str::to_ascii_lowercase);
        if let Some(radix) = match lower.as_deref() {
            Some("0x") => Some(16),
            Some("0o") => Some(8),
            Some("0b") => Some(2),
            _ => None,
        } {
            self.pos += 2;
            let digits_start = self.pos;
            while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '_') {
                self.bump();
            }
            let digits = self
                .text
                .get(digits_start..self.pos)
                .unwrap_or_default()
                .replace('_', "");
            let value = BigInt::from_str_radix(&digits, radix)
                .map_err(|_| self.error_at(start, "not a valid integer literal"))?;
            return Ok(Value::Int(if negative { -value } else { value }));
        }
        let mut is_float = false;
        while let Some(c) = self.peek() {
            match c {
                '0'..='9' | '_' => {}
                '.' => is_float = true,
                'e' | 'E' => {
                    is_float = true;
                    self.bump();
                    if matches!(self.peek(), Some('+' | '-')) {
                        self.bump();
                    }
                    continue;
                }
                _ => break,
            }
            self.bump();
        }
        if matches!(self.peek(), Some('j' | 'J')) {
            return Err(self.error_at(start, "complex numbers are not supported"));
        }
        let raw = self.text.get(start..self.pos).unwrap_or_default();
        if raw.starts_with('_') || raw.ends_with('_') || raw.contains("__") {
            return Err(self.error_at(start, format!("`{raw}` is not a valid number")));
        }
        let digits = raw.replace('_', "");
        if is_float {
            let value: f64 = digits
                .parse()
                .map_err(|_| self.error_at(start, format!("`{raw}` is not a valid float")))?;
            Ok(Value::Float(if negative { -value } else { value }))
        } else {
            if digits.len() > 1 && digits.starts_with('0') && digits.bytes().any(|b| b != b'0') {
                return Err(self.error_at(
                    start,
                    format!("`{raw}`: leading zeros are not allowed in Python ints"),
                ));
            }
            let value: BigInt = digits
                .parse()
                .map_err(|_| self.error_at(start, format!("`{raw}` is not a valid integer")))?;
            Ok(Value::Int(if negative { -value } else { value }))
        }
    }

    /// One or more adjacent string literals, concatenated as Python does.
    fn strings(&mut self) -> Result<Value, LiteralError> {
        let start = self.pos;
        let mut text = String::new();
        let mut bytes: Vec<u8> = Vec::new();
        let mut kind: Option<bool> = None; // Some(true) = bytes
        loop {
            self.skip_trivia();
            let piece_start = self.pos;
            let prefix_len = self
                .rest()
                .find(['\'', '"'])
                .filter(|&n| n <= 2 && self.rest().get(..n).is_some_and(is_string_prefix));
            let Some(prefix_len) = prefix_len else { break };
            let prefix = self
                .rest()
                .get(..prefix_len)
                .unwrap_or_default()
                .to_ascii_lowercase();
            let is_bytes = prefix.contains('b');
            let is_raw = prefix.contains('r');
            if prefix.contains('f') {
                return Err(self.error("f-strings are not literals"));
            }
            if kind.is_some_and(|k| k != is_bytes) {
                return Err(self.error_at(piece_start, "cannot mix bytes and str literals"));
            }
            kind = Some(is_bytes);
            self.pos += prefix_len;
            let piece = self.quoted(is_raw, is_bytes)?;
            if is_bytes {
                bytes.extend(piece.into_iter().map(|unit| unit as u8));
            } else {
                // quoted() only yields valid scalar values for str literals.
                text.extend(piece.into_iter().filter_map(char::from_u32));
            }
        }
        match kind {
            None => Err(self.error_at(start, "expected a string")),
            Some(true) => Ok(Value::Bytes(bytes)),
            Some(false) => Ok(Value::Str(text)),
        }
    }

    /// The body of one quoted literal, as code points (or byte values for bytes literals).
    fn quoted(&mut self, raw: bool, bytes: bool) -> Result<Vec<u32>, LiteralError> {
        let open = self.pos;
        let Some(quote) = self.bump() else {
            return Err(self.error_at(open, "expected a quote"));
        };
        let triple = self.rest().starts_with(&format!("{quote}{quote}"));
        if triple {
            self.pos += 2;
        }
        let mut out = Vec::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(self.error_at(open, "this string is never closed"));
            };
            if c == quote {
                if !triple {
                    return Ok(out);
                }
                if self.rest().starts_with(&format!("{quote}{quote}")) {
                    self.pos += 2;
                    return Ok(out);
                }
                out.push(c as u32);
                continue;
            }
            if c == '\n' && !triple {
                return Err(self.error_at(open, "this string is never closed on its line"));
            }
            if bytes && !c.is_ascii() {
                return Err(self.error("bytes literals may only contain ASCII characters"));
            }
            if c != '\\' {
                out.push(c as u32);
                continue;
            }
            let escape_start = self.pos - 1;
            let Some(next) = self.bump() else {
                return Err(self.error_at(open, "this string is never closed"));
            };
            if raw {
                out.push('\\' as u32);
                out.push(next as u32);
                continue;
            }
            match next {
                '\n' => {}
                '\\' | '\'' | '"' => out.push(next as u32),
                'n' => out.push(0x0a),
                't' => out.push(0x09),
                'r' => out.push(0x0d),
                'a' => out.push(0x07),
                'b' => out.push(0x08),
                'f' => out.push(0x0c),
                'v' => out.push(0x0b),
                '0'..='7' => {
                    let mut code = next.to_digit(8).unwrap_or(0);
                    for _ in 0..2 {
                        match self.peek().and_then(|c| c.to_digit(8)) {
                            Some(d) => {
                                code = code * 8 + d;
                                self.bump();
                            }
                            None => break,
                        }
                    }
                    out.push(code);
                }
                'x' => out.push(self.hex_escape(2, escape_start)?),
                'u' | 'U' if !bytes => {
                    let width = if next == 'u' { 4 } else { 8 };
                    let code = self.hex_escape(width, escape_start)?;
                    if char::from_u32(code).is_none() {
                        return Err(self.error_at(
                            escape_start,
                            "this escape is not a valid Unicode scalar value",
                        ));
                    }
                    out.push(code);
                }
                'N' if !bytes => {
                    return Err(self.error_at(
                        escape_start,
                        "`\\N{...}` escapes are not supported; write the character or a `\\u` escape",
                    ));
                }
                other => {
                    // Python keeps unknown escapes as written (and warns).
                    out.push('\\' as u32);
                    out.push(other as u32);
                }
            }
        }
    }

    fn hex_escape(&mut self, width: usize, escape_start: usize) -> Result<u32, LiteralError> {
        let digits = self.rest().get(..width).unwrap_or("");
        if digits.len() != width || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(self.error_at(
                escape_start,
                format!("this escape needs exactly {width} hex digits"),
            ));
        }
        let code = u32::from_str_radix(digits, 16)
            .map_err(|_| self.error_at(escape_start, "bad hex digits"))?;
        self.pos += width;
        Ok(code)
    }

    /// Items up to `close`, separated by commas, with an optional trailing comma.
    fn items(
        &mut self,
        close: char,
        depth: usize,
        context: &str,
    ) -> Result<Vec<Value>, LiteralError> {
        let mut items = Vec::new();
        loop {
            if self.eat(close) {
                return Ok(items);
            }
            items.push(self.value(depth + 1)?);
            if !self.eat(',') {
                self.expect(close, &format!("or `,` {context}"))?;
                return Ok(items);
            }
        }
    }

    fn parenthesised(&mut self, depth: usize) -> Result<Value, LiteralError> {
        self.bump();
        if self.eat(')') {
            return Ok(Value::Tuple(Vec::new()));
        }
        let first = self.value(depth + 1)?;
        if self.eat(')') {
            return Ok(first); // a parenthesised value, not a tuple
        }
        self.expect(',', "or `)` in this tuple")?;
        let mut items = vec![first];
        items.extend(self.items(')', depth, "in this tuple")?);
        Ok(Value::Tuple(items))
    }

    fn braced(&mut self, depth: usize) -> Result<Value, LiteralError> {
        let start = self.pos;
        self.bump();
        if self.eat('}') {
            return Ok(Value::Dict(Vec::new()));
        }
        let first_start = self.pos;
        let first = self.value(depth + 1)?;
        if self.eat(':') {
            self.check_key(&first, first_start)?;
            let mut pairs = vec![(first, self.value(depth + 1)?)];
            while self.eat(',') {
                if self.eat('}') {
                    return Ok(Value::dict_from(pairs));
                }
                self.skip_trivia();
                let key_start = self.pos;
                let key = self.value(depth + 1)?;
                self.check_key(&key, key_start)?;
                self.expect(':', "after this dict key")?;
                pairs.push((key, self.value(depth + 1)?));
            }
            self.expect('}', "or `,` in this dict")?;
            return Ok(Value::dict_from(pairs));
        }
        let mut items = vec![first];
        if self.eat(',') {
            items.extend(self.items('}', depth, "in this set")?);
        } else {
            self.expect('}', "or `,` in this set")?;
        }
        self.check_hashable(&items, start)?;
        Ok(Value::set_from(items))
    }

    fn check_key(&self, key: &Value, offset: usize) -> Result<(), LiteralError> {
        if key.is_hashable() {
            Ok(())
        } else {
            Err(self.error_at(
                offset,
                format!("unhashable type `{}` cannot be a dict key", key.type_name()),
            ))
        }
    }

    fn check_hashable(&self, items: &[Value], offset: usize) -> Result<(), LiteralError> {
        match items.iter().find(|item| !item.is_hashable()) {
            Some(item) => Err(self.error_at(
                offset,
                format!(
                    "unhashable type `{}` cannot be a set element",
                    item.type_name()
                ),
            )),
            None => Ok(()),
        }
    }
}

fn is_string_prefix(prefix: &str) -> bool {
    let lower = prefix.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "" | "r" | "b" | "rb" | "br" | "u" | "f" | "rf" | "fr"
    )
}

fn parse_float_word(text: &str) -> Option<f64> {
    let trimmed = text.trim();
    match trimmed.to_ascii_lowercase().as_str() {
        "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
        "nan" | "+nan" | "-nan" => Some(f64::NAN),
        _ => trimmed.replace('_', "").parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::repr;

    fn ok(text: &str) -> String {
        repr(&parse(text).unwrap_or_else(|e| panic!("{text:?}: {e} at {}", e.offset)))
    }

    fn err(text: &str) -> (usize, String) {
        let e = parse(text).expect_err(text);
        (e.offset, e.message)
    }

    #[test]
    fn scalars() {
        assert_eq!(ok("None"), "None");
        assert_eq!(ok(" True "), "True");
        assert_eq!(ok("-42"), "-42");
        assert_eq!(ok("1_000_000"), "1000000");
        assert_eq!(ok("0x_ff"), "255");
        assert_eq!(ok("0b101"), "5");
        assert_eq!(
            ok("123456789012345678901234567890"),
            "123456789012345678901234567890"
        );
        assert_eq!(ok("2.50"), "2.5");
        assert_eq!(ok("1e3"), "1000.0");
        assert_eq!(ok(".5"), "0.5");
        assert_eq!(ok("-inf"), "-inf");
        assert_eq!(ok("float('nan')"), "nan");
        assert_eq!(ok("0"), "0");
    }

    #[test]
    fn strings_and_bytes() {
        assert_eq!(ok(r#"'a\'b'"#), r#""a'b""#);
        assert_eq!(ok(r"'\x41\u00e9\n\101'"), r"'Aé\nA'");
        assert_eq!(ok(r"r'\d+'"), r"'\\d+'");
        assert_eq!(ok("'ab' \"cd\""), "'abcd'");
        assert_eq!(ok("'''multi\nline'''"), r"'multi\nline'");
        assert_eq!(ok(r"b'\xff\x00a'"), r"b'\xff\x00a'");
        assert_eq!(ok("'naïve ✓'"), "'naïve ✓'");
    }

    #[test]
    fn containers() {
        assert_eq!(ok("[1, [2, 3], (4,), ()]"), "[1, [2, 3], (4,), ()]");
        assert_eq!(ok("(1)"), "1");
        assert_eq!(ok("[1, 2,]"), "[1, 2]");
        assert_eq!(ok("{}"), "{}");
        assert_eq!(ok("{'a': 1, 'b': [None]}"), "{'a': 1, 'b': [None]}");
        assert_eq!(ok("{(1, 2): 'pair'}"), "{(1, 2): 'pair'}");
        assert_eq!(ok("{2, 1, 2}"), "{1, 2}");
        assert_eq!(ok("set([3, 1])"), "{1, 3}");
        assert_eq!(ok("[\n  1,  # one\n  2,\n]"), "[1, 2]");
    }

    #[test]
    fn raises_marker() {
        assert_eq!(ok("raises(KeyError)"), "raises(KeyError)");
        assert_eq!(
            ok("[None, raises( IndexError ), 3]"),
            "[None, raises(IndexError), 3]"
        );
        assert_eq!(
            ok("raises(json.JSONDecodeError)"),
            "raises(JSONDecodeError)"
        );
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(
            err("[1, 2"),
            (
                5,
                "expected `]` or `,` in this list, found the end of the value".into()
            )
        );
        assert_eq!(
            err("[1 2]"),
            (3, "expected `]` or `,` in this list, found `2`".into())
        );
        assert_eq!(
            err("null"),
            (0, "`null` is not Python; write `None`".into())
        );
        assert_eq!(
            err("[true]"),
            (1, "`true` is not Python; write `True`".into())
        );
        assert_eq!(
            err("x + 1"),
            (
                0,
                "`x` is not a literal (expected values cannot refer to names)".into()
            )
        );
        assert_eq!(err("'open"), (0, "this string is never closed".into()));
        assert_eq!(
            err("{[1]: 2}"),
            (1, "unhashable type `list` cannot be a dict key".into())
        );
        assert_eq!(
            err("{[1], 2}"),
            (0, "unhashable type `list` cannot be a set element".into())
        );
        assert_eq!(err("1 2"), (2, "unexpected text after the value".into()));
        assert_eq!(
            err("007"),
            (
                0,
                "`007`: leading zeros are not allowed in Python ints".into()
            )
        );
        assert_eq!(err("1j"), (0, "complex numbers are not supported".into()));
        assert_eq!(
            err("b'é'").1,
            "bytes literals may only contain ASCII characters"
        );
        assert_eq!(
            err("raises()").1,
            "`raises(...)` takes an exception class name, like `raises(KeyError)`"
        );
        assert_eq!(err("").1, "expected a value, found the end of the text");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(10_000);
        assert!(err(&text).1.contains("nested more than"));
    }
}
