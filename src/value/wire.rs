//! Decoding the harness's exact-type value encoding.
//!
//! The harness encodes a returned value by its exact type (`type(v) is int`, not `isinstance`),
//! so a subclass with a rigged `__eq__` never reaches the host as a plain value. The encoding is
//! JSON, with every non-JSON-native value tagged:
//!
//! | Python            | wire                          |
//! |-------------------|-------------------------------|
//! | `None`, bools     | `null`, `true`, `false`       |
//! | `int`             | `{"i": "<decimal digits>"}`   |
//! | `float`           | `{"f": "<repr>"}`             |
//! | `str`             | `{"s": "..."}`                |
//! | `bytes`           | `{"b": "<hex>"}`              |
//! | `list` / `tuple`  | `{"l": [...]}` / `{"t": [...]}` |
//! | `set` / `frozenset` | `{"set": [...]}` / `{"fs": [...]}` |
//! | `dict`            | `{"d": [[key, value], ...]}`  |
//! | a raised exception (one ops step) | `{"raised": {"types": [...], "message": "...", "traceback": "..."}}` |
//!
//! Nothing from the sandbox is trusted: every shape is checked and anything else is an error.
//!
//! The host uses the same encoding the other way for the arguments of `ops` cases
//! ([`encode`]), so the harness needs no Python-literal parser (importing `ast` costs a fifth
//! of a case's start-up in the wasm sandbox).

use num_bigint::BigInt;
use serde_json::Value as Json;

use super::{Raised, Value};

/// The harness produced something that is not a valid encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed value at {path}: {message}")]
pub struct WireError {
    pub path: String,
    pub message: String,
}

/// Encodes a value for the harness. Raised exceptions are not values a case can pass in.
pub fn encode(value: &Value) -> Option<Json> {
    let items = |items: &[Value]| items.iter().map(encode).collect::<Option<Vec<_>>>();
    let tagged = |tag: &str, body: Json| Some(serde_json::json!({ tag: body }));
    match value {
        Value::None => Some(Json::Null),
        Value::Bool(b) => Some(Json::Bool(*b)),
        Value::Int(int) => tagged("i", Json::String(int.to_string())),
        Value::Float(float) => {
            let text = if float.is_nan() {
                "nan".to_string()
            } else if float.is_infinite() {
                if *float > 0.0 { "inf" } else { "-inf" }.to_string()
            } else {
                // Shortest text that reads back as the same float, which is what float() needs.
                format!("{float:?}")
            };
            tagged("f", Json::String(text))
        }
        Value::Str(text) => tagged("s", Json::String(text.clone())),
        Value::Bytes(bytes) => tagged(
            "b",
            Json::String(bytes.iter().map(|b| format!("{b:02x}")).collect()),
        ),
        Value::List(list) => tagged("l", Json::Array(items(list)?)),
        Value::Tuple(tuple) => tagged("t", Json::Array(items(tuple)?)),
        Value::Set(set) => tagged("set", Json::Array(items(set)?)),
        Value::FrozenSet(set) => tagged("fs", Json::Array(items(set)?)),
        Value::Dict(pairs) => {
            let pairs = pairs
                .iter()
                .map(|(key, value)| Some(Json::Array(vec![encode(key)?, encode(value)?])))
                .collect::<Option<Vec<_>>>()?;
            tagged("d", Json::Array(pairs))
        }
        Value::Raised(_) => None,
    }
}

/// A value decoded straight from the frame's bytes, with no JSON tree in between: the frame may
/// hold a million values, and a tree of them costs several times the frame's size. The checks
/// are [`decode`]'s, and the work is linear but for sorting set elements and dict keys.
#[derive(Debug)]
pub struct Decoded(pub Value);

impl<'de> serde::Deserialize<'de> for Decoded {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(Decoded)
    }
}

struct ValueVisitor;

impl<'de> serde::de::Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("null, a bool or a one-key tagged object")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::None)
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        use serde::de::Error;
        let tag: std::borrow::Cow<'de, str> = map
            .next_key()?
            .ok_or_else(|| A::Error::custom("expected a one-key tagged object"))?;
        let text = |text: String, what: &str| -> Result<Value, A::Error> {
            match what {
                "i" => parse_int(&text).map(Value::Int),
                "f" => parse_float(&text).map(Value::Float),
                "s" => Some(Value::Str(text)),
                _ => decode_hex(&text).map(Value::Bytes),
            }
            .ok_or_else(|| A::Error::custom(format!("`{what}` body is malformed")))
        };
        let value = match tag.as_ref() {
            what @ ("i" | "f" | "s" | "b") => text(map.next_value::<String>()?, what)?,
            "l" => Value::List(items(map.next_value::<Vec<Decoded>>()?)),
            "t" => Value::Tuple(items(map.next_value::<Vec<Decoded>>()?)),
            "set" => Value::set_from(hashable(items(map.next_value()?))?),
            "fs" => Value::frozenset_from(hashable(items(map.next_value()?))?),
            "d" => {
                let pairs: Vec<(Decoded, Decoded)> = map.next_value()?;
                if !pairs.iter().all(|(key, _)| key.0.is_hashable()) {
                    return Err(A::Error::custom("a dict key is unhashable"));
                }
                Value::dict_from(pairs.into_iter().map(|(k, v)| (k.0, v.0)).collect())
            }
            "raised" => {
                let body: Json = map.next_value()?;
                Value::Raised(decode_raised(&body).map_err(A::Error::custom)?)
            }
            other => return Err(A::Error::custom(format!("unknown tag `{other}`"))),
        };
        if map.next_key::<serde::de::IgnoredAny>()?.is_some() {
            return Err(A::Error::custom("a tagged object has one key"));
        }
        Ok(value)
    }
}

fn items(decoded: Vec<Decoded>) -> Vec<Value> {
    decoded.into_iter().map(|item| item.0).collect()
}

/// Set elements as Python could have made them: hashable, or the set is not a real one.
fn hashable<E: serde::de::Error>(items: Vec<Value>) -> Result<Vec<Value>, E> {
    if items.iter().all(Value::is_hashable) {
        Ok(items)
    } else {
        Err(E::custom("a set element is unhashable"))
    }
}

fn parse_int(digits: &str) -> Option<BigInt> {
    let valid = !digits.is_empty()
        && digits.len() <= 100_000
        && digits
            .strip_prefix('-')
            .unwrap_or(digits)
            .bytes()
            .all(|b| b.is_ascii_digit());
    valid.then(|| digits.parse().ok()).flatten()
}

fn parse_float(text: &str) -> Option<f64> {
    match text {
        "inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        "nan" => Some(f64::NAN),
        _ => text.parse::<f64>().ok().filter(|f| f.is_finite()),
    }
}

/// Decodes one encoded value.
pub fn decode(json: &Json) -> Result<Value, WireError> {
    decode_at(json, &mut String::from("$"))
}

fn fail(path: &str, message: impl Into<String>) -> WireError {
    WireError {
        path: path.to_string(),
        message: message.into(),
    }
}

fn decode_at(json: &Json, path: &mut String) -> Result<Value, WireError> {
    let object = match json {
        Json::Null => return Ok(Value::None),
        Json::Bool(b) => return Ok(Value::Bool(*b)),
        Json::Object(object) if object.len() == 1 => object,
        _ => {
            return Err(fail(
                path,
                "expected null, a bool or a one-key tagged object",
            ));
        }
    };
    let Some((tag, body)) = object.iter().next() else {
        return Err(fail(path, "expected a one-key tagged object"));
    };
    match tag.as_str() {
        "i" => {
            let digits = body
                .as_str()
                .ok_or_else(|| fail(path, "int digits must be a string"))?;
            parse_int(digits)
                .map(Value::Int)
                .ok_or_else(|| fail(path, "int digits are not a decimal number"))
        }
        "f" => {
            let text = body
                .as_str()
                .ok_or_else(|| fail(path, "float repr must be a string"))?;
            parse_float(text)
                .map(Value::Float)
                .ok_or_else(|| fail(path, "float repr does not parse"))
        }
        "s" => body
            .as_str()
            .map(|s| Value::Str(s.to_string()))
            .ok_or_else(|| fail(path, "str body must be a string")),
        "b" => {
            let hex = body
                .as_str()
                .ok_or_else(|| fail(path, "bytes body must be a hex string"))?;
            decode_hex(hex)
                .map(Value::Bytes)
                .ok_or_else(|| fail(path, "bytes body is not hex"))
        }
        "l" => Ok(Value::List(decode_items(body, path)?)),
        "t" => Ok(Value::Tuple(decode_items(body, path)?)),
        "set" | "fs" => {
            let items = decode_items(body, path)?;
            if !items.iter().all(Value::is_hashable) {
                return Err(fail(path, "a set element is unhashable"));
            }
            Ok(if tag == "set" {
                Value::set_from(items)
            } else {
                Value::frozenset_from(items)
            })
        }
        "d" => {
            let pairs = body
                .as_array()
                .ok_or_else(|| fail(path, "dict body must be an array"))?;
            let mut decoded = Vec::with_capacity(pairs.len());
            for (index, pair) in pairs.iter().enumerate() {
                let [key, value] = pair.as_array().map(Vec::as_slice).unwrap_or_default() else {
                    return Err(fail(path, "dict entries must be [key, value] pairs"));
                };
                let len = path.len();
                path.push_str(&format!("[{index}]"));
                let key = decode_at(key, path)?;
                if !key.is_hashable() {
                    return Err(fail(path, "a dict key is unhashable"));
                }
                let value = decode_at(value, path)?;
                path.truncate(len);
                decoded.push((key, value));
            }
            Ok(Value::dict_from(decoded))
        }
        "raised" => raised_at(body, path).map(Value::Raised),
        other => Err(fail(path, format!("unknown tag `{other}`"))),
    }
}

fn decode_items(body: &Json, path: &mut String) -> Result<Vec<Value>, WireError> {
    let items = body
        .as_array()
        .ok_or_else(|| fail(path, "container body must be an array"))?;
    let mut decoded = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let len = path.len();
        path.push_str(&format!("[{index}]"));
        decoded.push(decode_at(item, path)?);
        path.truncate(len);
    }
    Ok(decoded)
}

/// Decodes the body of a `raised` tag on its own: an exception the harness reports.
pub fn decode_raised(body: &Json) -> Result<Raised, WireError> {
    raised_at(body, "$")
}

fn raised_at(body: &Json, path: &str) -> Result<Raised, WireError> {
    let object = body
        .as_object()
        .ok_or_else(|| fail(path, "raised body must be an object"))?;
    let class_names: Vec<String> = object
        .get("types")
        .and_then(Json::as_array)
        .map(|types| {
            types
                .iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .filter(|names: &Vec<String>| !names.is_empty())
        .ok_or_else(|| fail(path, "raised needs a non-empty `types` list"))?;
    let text = |key: &str| object.get(key).and_then(Json::as_str).map(str::to_string);
    Ok(Raised {
        class_names,
        message: text("message"),
        traceback: text("traceback"),
    })
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::repr;
    use serde_json::json;

    fn decoded(json: Json) -> String {
        repr(&decode(&json).unwrap())
    }

    #[test]
    fn decodes_every_tag() {
        assert_eq!(decoded(json!(null)), "None");
        assert_eq!(
            decoded(json!({"i": "-12345678901234567890"})),
            "-12345678901234567890"
        );
        assert_eq!(decoded(json!({"f": "1e-05"})), "1e-05");
        assert_eq!(decoded(json!({"f": "-inf"})), "-inf");
        assert_eq!(decoded(json!({"s": "it's"})), "\"it's\"");
        assert_eq!(decoded(json!({"b": "00ff41"})), "b'\\x00\\xffA'");
        assert_eq!(
            decoded(json!({"l": [true, {"t": [{"i": "1"}]}, {"set": [{"i": "2"}, {"i": "1"}]}]})),
            "[True, (1,), {1, 2}]"
        );
        assert_eq!(decoded(json!({"fs": []})), "frozenset()");
        assert_eq!(decoded(json!({"d": [[{"s": "k"}, null]]})), "{'k': None}");
        assert_eq!(
            decoded(json!({"raised": {"types": ["KeyError", "LookupError"], "message": "5"}})),
            "raises(KeyError)"
        );
    }

    #[test]
    fn encoding_round_trips_through_decoding() {
        let text = "[None, True, -12345678901234567890, 1e-05, -0.0, inf, 'it\\'s', b'\\x00', \
                    (1,), {1, 2}, frozenset(), {'k': [None]}]";
        let value = crate::value::literal::parse(text).unwrap();
        let wire = encode(&value).unwrap();
        assert_eq!(repr(&decode(&wire).unwrap()), repr(&value));
        let nan = encode(&Value::Float(f64::NAN)).unwrap();
        assert_eq!(nan, json!({"f": "nan"}));
        let raised = crate::value::literal::parse("raises(KeyError)").unwrap();
        assert_eq!(encode(&raised), None);
    }

    #[test]
    fn rejects_anything_else_with_a_path() {
        let bad = [
            json!(1),
            json!("text"),
            json!({"i": 1}),
            json!({"i": "1.5"}),
            json!({"f": "1e400"}),
            json!({"b": "abc"}),
            json!({"l": [null, {"x": 1}]}),
            json!({"d": [[null]]}),
            json!({"s": "a", "i": "1"}),
            json!({"raised": {"types": []}}),
        ];
        for json in bad {
            assert!(decode(&json).is_err(), "{json} should be rejected");
        }
        let error = decode(&json!({"l": [null, {"l": [{"x": 1}]}]})).unwrap_err();
        assert_eq!(error.path, "$[1][0]");
    }
}
