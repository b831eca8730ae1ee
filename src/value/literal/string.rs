//! String and bytes literals: prefixes, quotes, escapes, and adjacent literals concatenated.

use super::{LiteralError, Parser};
use crate::value::Value;

impl Parser<'_> {
    /// One or more adjacent string literals, concatenated as Python does.
    pub(super) fn strings(&mut self) -> Result<Value, LiteralError> {
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
}

pub(super) fn is_string_prefix(prefix: &str) -> bool {
    let lower = prefix.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "" | "r" | "b" | "rb" | "br" | "u" | "f" | "rf" | "fr"
    )
}
