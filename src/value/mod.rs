//! Python values as the host sees them.
//!
//! The main type is [`Value`]. Expected values are written by authors as Python literals and
//! parsed here ([`literal`]); returned values come out of the sandbox in the harness's
//! exact-type encoding and are decoded here ([`wire`]). Both end up as the same `Value`, so the
//! comparators in `grade::compare` never see Python objects and never run Python code.

// Everything here handles what the sandbox sent: no panicking shortcuts outside tests.
#![cfg_attr(
    not(test),
    deny(
        clippy::string_slice,
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo
    )
)]

pub mod literal;
mod order;
mod repr;
pub mod wire;

use num_bigint::BigInt;

pub use order::total_cmp;
pub use repr::{count_values, pretty, pretty_capped, repr, repr_capped};

/// A Python value restricted to what can be compared without running Python: literals and the
/// built-in containers, plus [`Raised`] for "this call raised".
#[derive(Debug, Clone)]
pub enum Value {
    None,
    Bool(bool),
    /// Python ints are unbounded, so these are too.
    Int(BigInt),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    /// Elements are kept in canonical order (see [`total_cmp`]), so equal sets look equal.
    Set(Vec<Value>),
    /// Elements are kept in canonical order, like [`Value::Set`].
    FrozenSet(Vec<Value>),
    /// Pairs in insertion order (what `repr` shows); equality ignores the order, as in Python.
    Dict(Vec<(Value, Value)>),
    /// A call that raised instead of returning: expected as `raises(KeyError)`, or reported by the
    /// harness for one step of an ops case.
    Raised(Raised),
}

/// An exception in place of a value.
#[derive(Debug, Clone)]
pub struct Raised {
    /// The exception's class first, then its bases in method-resolution order. An expected
    /// `raises(LookupError)` carries just `["LookupError"]` and matches any class whose MRO
    /// names it, as `except LookupError` would.
    pub class_names: Vec<String>,
    /// `str(exception)`, when the sandbox reported one.
    pub message: Option<String>,
    /// The candidate's own traceback lines, when the sandbox reported them.
    pub traceback: Option<String>,
}

impl Raised {
    /// The exception's own class name.
    pub fn class_name(&self) -> &str {
        self.class_names.first().map_or("Exception", String::as_str)
    }
}

impl Value {
    /// The Python type name, as `type(v).__name__` would print it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::Bytes(_) => "bytes",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Set(_) => "set",
            Value::FrozenSet(_) => "frozenset",
            Value::Dict(_) => "dict",
            Value::Raised(_) => "exception",
        }
    }

    /// Whether Python would accept this value as a set element or dict key.
    pub fn is_hashable(&self) -> bool {
        match self {
            Value::List(_) | Value::Set(_) | Value::Dict(_) | Value::Raised(_) => false,
            Value::Tuple(items) => items.iter().all(Value::is_hashable),
            _ => true,
        }
    }

    /// Builds a set, putting the elements in canonical order and dropping duplicates.
    pub fn set_from(items: Vec<Value>) -> Value {
        Value::Set(canonical_set(items))
    }

    /// Builds a frozenset, like [`Value::set_from`].
    pub fn frozenset_from(items: Vec<Value>) -> Value {
        Value::FrozenSet(canonical_set(items))
    }

    /// Builds a dict; a repeated key keeps its first position and its last value, as in Python.
    ///
    /// Sort-based, `O(n log n)`: the pairs come from the sandbox and may number a million.
    pub fn dict_from(pairs: Vec<(Value, Value)>) -> Value {
        let mut order: Vec<usize> = (0..pairs.len()).collect();
        // Stable, so the pairs of one key stay in the order they were given.
        order.sort_by(|&a, &b| match (pairs.get(a), pairs.get(b)) {
            (Some((a, _)), Some((b, _))) => order::key_cmp(a, b),
            _ => std::cmp::Ordering::Equal,
        });
        // For each distinct key: where it first appeared, and where its last value is.
        let mut groups: Vec<(usize, usize)> = Vec::new();
        for &index in &order {
            match groups.last_mut() {
                Some((first, last))
                    if pairs
                        .get(*first)
                        .zip(pairs.get(index))
                        .is_some_and(|((a, _), (b, _))| order::same_key(a, b)) =>
                {
                    *last = index;
                }
                _ => groups.push((index, index)),
            }
        }
        groups.sort_unstable_by_key(|&(first, _)| first);
        let mut slots: Vec<Option<(Value, Value)>> = pairs.into_iter().map(Some).collect();
        let mut out = Vec::with_capacity(groups.len());
        for (first, last) in groups {
            let mut take = |index: usize| slots.get_mut(index).and_then(Option::take);
            let pair = if first == last {
                take(first)
            } else {
                take(first)
                    .zip(take(last))
                    .map(|((key, _), (_, value))| (key, value))
            };
            out.extend(pair);
        }
        Value::Dict(out)
    }
}

fn canonical_set(mut items: Vec<Value>) -> Vec<Value> {
    items.sort_by(total_cmp);
    items.dedup_by(|a, b| order::same_key(a, b));
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_are_canonical_and_deduplicated() {
        let set = Value::set_from(vec![
            Value::Int(3.into()),
            Value::Int(1.into()),
            Value::Int(3.into()),
        ]);
        assert_eq!(repr(&set), "{1, 3}");
    }

    #[test]
    fn dict_keeps_first_position_and_last_value() {
        let dict = Value::dict_from(vec![
            (Value::Str("a".into()), Value::Int(1.into())),
            (Value::Str("b".into()), Value::Int(2.into())),
            (Value::Str("a".into()), Value::Int(3.into())),
        ]);
        assert_eq!(repr(&dict), "{'a': 3, 'b': 2}");
    }

    #[test]
    fn hashability_follows_python() {
        let tuple_of_list = Value::Tuple(vec![Value::List(vec![])]);
        assert!(!tuple_of_list.is_hashable());
        assert!(Value::Tuple(vec![Value::Int(1.into())]).is_hashable());
        assert!(Value::frozenset_from(vec![]).is_hashable());
    }

    #[test]
    fn equal_numbers_are_one_dict_key_whatever_their_order() {
        let dict =
            crate::value::literal::parse("{1: 'a', 'x': 0, True: 'b', 1.0: 'c', 2: 'd'}").unwrap();
        assert_eq!(repr(&dict), "{1: 'c', 'x': 0, 2: 'd'}");
    }

    #[test]
    fn large_dicts_are_built_in_n_log_n() {
        // 200,000 distinct keys: a quadratic build would take minutes here, not milliseconds.
        let pairs = (0..200_000)
            .map(|i| (Value::Int(i.into()), Value::None))
            .collect();
        let Value::Dict(pairs) = Value::dict_from(pairs) else {
            panic!("not a dict")
        };
        assert_eq!(pairs.len(), 200_000);
        assert!(matches!(&pairs[199_999].0, Value::Int(i) if *i == 199_999.into()));
    }
}
