//! Numbers: integers in any base and of any size, floats, and the words `float('inf')` takes.

use num_bigint::BigInt;
use num_traits::Num;

use super::{LiteralError, Parser};
use crate::value::Value;

impl Parser<'_> {
    pub(super) fn signed(&mut self) -> Result<Value, LiteralError> {
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

    pub(super) fn number(&mut self, start: usize, negative: bool) -> Result<Value, LiteralError> {
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
}

pub(super) fn parse_float_word(text: &str) -> Option<f64> {
    let trimmed = text.trim();
    match trimmed.to_ascii_lowercase().as_str() {
        "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
        "nan" | "+nan" | "-nan" => Some(f64::NAN),
        _ => trimmed.replace('_', "").parse().ok(),
    }
}
