//! Asking a serde struct which fields it has, so unknown keys can be reported (all of them, with
//! suggestions) without keeping a second list of field names that could drift from the types.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// The field names `T` declares, as serde passes them to `deserialize_struct`.
pub(super) fn field_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut probe = Probe { fields: None };
    let _ = T::deserialize(&mut probe);
    probe.fields.unwrap_or(&[])
}

struct Probe {
    fields: Option<&'static [&'static str]>,
}

#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field names captured")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Stop
    }
}

impl<'de> Deserializer<'de> for &mut Probe {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        self.fields = Some(fields);
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// The known name closest to a misspelt one, if any is close enough to be a likely typo.
pub(super) fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(name, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 3))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Sample {
        alpha: u8,
        #[serde(rename = "beta-key")]
        beta: String,
    }

    #[test]
    fn captures_serialized_names() {
        assert_eq!(field_names::<Sample>(), &["alpha", "beta-key"]);
    }

    #[test]
    fn suggestions_catch_typos_only() {
        let known = ["title", "prompt", "starter", "reference"];
        assert_eq!(closest("titel", &known), Some("title"));
        assert_eq!(closest("refrence", &known), Some("reference"));
        assert_eq!(closest("colour", &known), None);
    }
}
