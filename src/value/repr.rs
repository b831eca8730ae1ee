//! Printing values the way Python's `repr` does, and a pretty form for diffs.

use std::fmt::Write;

use super::Value;

/// The value as Python's `repr` would print it (for the types kata knows).
pub fn repr(value: &Value) -> String {
    let mut out = String::new();
    write_repr(&mut out, value, usize::MAX);
    out
}

/// The start of the `repr`, at most about `max_bytes` long, ending in `…` when cut. Costs
/// `O(max_bytes)` whatever the value's size.
pub fn repr_capped(value: &Value, max_bytes: usize) -> String {
    let mut out = String::new();
    write_repr(&mut out, value, max_bytes);
    if out.len() > max_bytes {
        cut_at(&mut out, max_bytes);
        out.push('…');
    }
    out
}

/// How many values make up this one, counting itself and every element, key and value.
pub fn count_values(value: &Value) -> usize {
    1 + match value {
        Value::List(items) | Value::Tuple(items) | Value::Set(items) | Value::FrozenSet(items) => {
            items.iter().map(count_values).sum()
        }
        Value::Dict(pairs) => pairs
            .iter()
            .map(|(key, item)| count_values(key) + count_values(item))
            .sum(),
        _ => 0,
    }
}

/// A diff-friendly rendering: the `repr` when it fits in `width` columns, otherwise one element
/// per line with a trailing comma, so a line diff points at the element that differs.
pub fn pretty(value: &Value, width: usize) -> String {
    pretty_capped(value, width, usize::MAX)
}

/// [`pretty`], for values from the sandbox. At most about `max_bytes` are rendered; a longer rendering is cut, with a last line saying
/// how large the value is. The work is bounded by `max_bytes` and `width`, not by the value.
pub fn pretty_capped(value: &Value, width: usize, max_bytes: usize) -> String {
    let mut printer = Pretty {
        out: String::new(),
        width,
        max_bytes,
    };
    printer.value(value, 0);
    let mut out = printer.out;
    if out.len() > max_bytes {
        cut_at(&mut out, max_bytes);
        let _ = write!(
            out,
            "\n… (cut: kata shows the first {max_bytes} bytes; the value holds {} values)",
            count_values(value)
        );
    }
    out
}

/// Cuts `out` to at most `max` bytes, at a character boundary.
fn cut_at(out: &mut String, max: usize) {
    let mut end = max.min(out.len());
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    out.truncate(end);
}

struct Pretty {
    out: String,
    width: usize,
    max_bytes: usize,
}

impl Pretty {
    fn full(&self) -> bool {
        self.out.len() > self.max_bytes
    }

    fn value(&mut self, value: &Value, indent: usize) {
        const PAD: &str = "    ";
        if self.full() {
            return;
        }
        // Whether the repr fits on the line: rendering stops one byte past the room left.
        let room = self.width.saturating_sub(indent * PAD.len());
        let mut flat = String::new();
        write_repr(&mut flat, value, room);
        let broken = flat.len() > room;
        let (open, close) = match value {
            Value::List(items) if broken && !items.is_empty() => ("[", "]"),
            Value::Tuple(items) if broken && !items.is_empty() => ("(", ")"),
            Value::Set(items) if broken && !items.is_empty() => ("{", "}"),
            Value::Dict(pairs) if broken && !pairs.is_empty() => ("{", "}"),
            Value::FrozenSet(items) if broken && !items.is_empty() => ("frozenset({", "})"),
            _ if broken => {
                // A long scalar: as much of it as the rendering has room for.
                write_repr(&mut self.out, value, self.max_bytes);
                return;
            }
            _ => {
                self.out.push_str(&flat);
                return;
            }
        };
        self.out.push_str(open);
        self.out.push('\n');
        let line = |printer: &mut Pretty| {
            for _ in 0..=indent {
                printer.out.push_str(PAD);
            }
        };
        match value {
            Value::Dict(pairs) => {
                for (key, item) in pairs {
                    if self.full() {
                        return;
                    }
                    line(self);
                    write_repr(&mut self.out, key, self.max_bytes);
                    self.out.push_str(": ");
                    self.value(item, indent + 1);
                    self.out.push_str(",\n");
                }
            }
            Value::List(items)
            | Value::Tuple(items)
            | Value::Set(items)
            | Value::FrozenSet(items) => {
                for item in items {
                    if self.full() {
                        return;
                    }
                    line(self);
                    self.value(item, indent + 1);
                    self.out.push_str(",\n");
                }
            }
            _ => {}
        }
        for _ in 0..indent {
            self.out.push_str(PAD);
        }
        self.out.push_str(close);
    }
}

/// Writes the repr into `out`, stopping soon after `out` grows past `limit` bytes.
fn write_repr(out: &mut String, value: &Value, limit: usize) {
    if out.len() > limit {
        return;
    }
    match value {
        Value::None => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&float_repr(*f)),
        Value::Str(s) => write_str_repr(out, s, limit),
        Value::Bytes(b) => write_bytes_repr(out, b, limit),
        Value::List(items) => write_items(out, "[", items, "]", limit),
        Value::Tuple(items) if items.len() == 1 => {
            write_items(out, "(", items, ",)", limit);
        }
        Value::Tuple(items) => write_items(out, "(", items, ")", limit),
        Value::Set(items) if items.is_empty() => out.push_str("set()"),
        Value::Set(items) => write_items(out, "{", items, "}", limit),
        Value::FrozenSet(items) if items.is_empty() => out.push_str("frozenset()"),
        Value::FrozenSet(items) => write_items(out, "frozenset({", items, "})", limit),
        Value::Dict(pairs) => {
            out.push('{');
            for (index, (key, item)) in pairs.iter().enumerate() {
                if out.len() > limit {
                    return;
                }
                if index > 0 {
                    out.push_str(", ");
                }
                write_repr(out, key, limit);
                out.push_str(": ");
                write_repr(out, item, limit);
            }
            out.push('}');
        }
        Value::Raised(raised) => {
            let _ = write!(out, "raises({})", raised.class_name());
        }
    }
}

fn write_items(out: &mut String, open: &str, items: &[Value], close: &str, limit: usize) {
    out.push_str(open);
    for (index, item) in items.iter().enumerate() {
        if out.len() > limit {
            return;
        }
        if index > 0 {
            out.push_str(", ");
        }
        write_repr(out, item, limit);
    }
    out.push_str(close);
}

/// Python's float repr: the shortest digits that round-trip, positional for exponents in
/// [-4, 16), scientific with a signed two-digit exponent otherwise.
pub(crate) fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits, e.g. "1.5e2" or "-1e-7".
    let sci = format!("{f:e}");
    // `{:e}` always writes an integer exponent; Rust's own form is the fallback.
    let Some((mantissa, Ok(exponent))) = sci
        .split_once('e')
        .map(|(mantissa, exponent)| (mantissa, exponent.parse::<i32>()))
    else {
        return format!("{f:?}");
    };
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if negative { "-" } else { "" };
    if (-4..16).contains(&exponent) {
        let point = exponent + 1; // digits before the decimal point
        let body = if point <= 0 {
            format!("0.{}{}", "0".repeat((-point) as usize), digits)
        } else if point as usize >= digits.len() {
            format!("{}{}.0", digits, "0".repeat(point as usize - digits.len()))
        } else {
            let (whole, frac) = digits.split_at(point as usize);
            format!("{whole}.{frac}")
        };
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1);
        let mantissa = if rest.is_empty() {
            first.to_string()
        } else {
            format!("{first}.{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{exp_sign}{:02}", exponent.abs())
    }
}

#[cfg(test)]
fn str_repr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_str_repr(&mut out, s, usize::MAX);
    out
}

/// Python's str repr: single quotes unless the text has a single quote and no double quote.
fn write_str_repr(out: &mut String, s: &str, limit: usize) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        if out.len() > limit {
            return;
        }
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push(quote);
}

/// An approximation of `str.isprintable` that covers what shows up in practice: controls,
/// the Unicode line and paragraph separators and non-characters are escaped.
fn is_printable(c: char) -> bool {
    !(c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{ad}')
        || (c as u32 >= 0xfff0 && c as u32 <= 0xffff))
        && (c == ' ' || !c.is_whitespace())
}

fn write_bytes_repr(out: &mut String, bytes: &[u8], limit: usize) {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    out.push('b');
    out.push(quote as char);
    for &b in bytes {
        if out.len() > limit {
            return;
        }
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b if b == quote => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            b => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push(quote as char);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::literal::parse;

    fn round_trip(text: &str) -> String {
        repr(&parse(text).unwrap())
    }

    #[test]
    fn floats_print_like_python() {
        let cases = [
            (1.5, "1.5"),
            (2.0, "2.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5e-7, "-2.5e-07"),
            (123456789.125, "123456789.125"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (-0.0, "-0.0"),
        ];
        for (value, expected) in cases {
            assert_eq!(float_repr(value), expected, "repr of {value}");
        }
    }

    #[test]
    fn strings_choose_quotes_like_python() {
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("say \"hi\" it's"), "'say \"hi\" it\\'s'");
        assert_eq!(str_repr("tab\there\n"), "'tab\\there\\n'");
        assert_eq!(str_repr("\u{7}é\u{2028}"), "'\\x07é\\u2028'");
    }

    #[test]
    fn containers_print_like_python() {
        assert_eq!(round_trip("(1,)"), "(1,)");
        assert_eq!(round_trip("()"), "()");
        assert_eq!(round_trip("set()"), "set()");
        assert_eq!(round_trip("{3, 1, 2}"), "{1, 2, 3}");
        assert_eq!(round_trip("frozenset({2, 1})"), "frozenset({1, 2})");
        assert_eq!(
            round_trip("{'b': [1, (2, None)], 'a': b'\\x00'}"),
            "{'b': [1, (2, None)], 'a': b'\\x00'}"
        );
        assert_eq!(
            round_trip("[raises(KeyError), True]"),
            "[raises(KeyError), True]"
        );
    }

    #[test]
    fn pretty_breaks_long_values_one_element_per_line() {
        let value = parse("[[1, 2, 3], [4, 5, 6], {'key': 'value'}]").unwrap();
        assert_eq!(
            pretty(&value, 80),
            "[[1, 2, 3], [4, 5, 6], {'key': 'value'}]"
        );
        assert_eq!(
            pretty(&value, 20),
            "[\n    [1, 2, 3],\n    [4, 5, 6],\n    {'key': 'value'},\n]"
        );
    }

    #[test]
    fn pretty_output_is_capped_and_says_how_large_the_value_is() {
        let mut value = Value::List(vec![]);
        for _ in 0..58 {
            let mut items = vec![Value::None; 9_480];
            items.push(value);
            value = Value::List(items);
        }
        let text = pretty_capped(&value, 72, 8 << 10);
        assert!(text.len() < (8 << 10) + 200, "{} bytes", text.len());
        assert!(
            text.ends_with("(cut: kata shows the first 8192 bytes; the value holds 549899 values)"),
            "{}",
            &text[text.len() - 100..]
        );
        assert_eq!(repr_capped(&value, 10), "[None, Non…");
        let small = parse("[1, 2]").unwrap();
        assert_eq!(pretty_capped(&small, 72, 8 << 10), "[1, 2]");
    }
}
