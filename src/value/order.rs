//! A total order over values, so that sets, dicts and "any order" comparisons have one canonical
//! form. Python itself has no order across types; this one only has to be deterministic and agree
//! with Python's `==` on numbers (`1 == 1.0 == True`), because that is what set and dict keys use.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_traits::FromPrimitive;

use super::Value;

/// Orders any two values: by kind first, then by content. Numbers of different types compare by
/// value, ties broken by type (`bool` < `int` < `float`).
pub fn total_cmp(a: &Value, b: &Value) -> Ordering {
    compare(a, b, true)
}

/// Whether two values are the same set element or dict key in Python's eyes.
pub(super) fn same_key(a: &Value, b: &Value) -> bool {
    key_cmp(a, b) == Ordering::Equal
}

/// The order [`same_key`] agrees with: like [`total_cmp`], but numbers of equal value tie
/// whatever their types, so sorting by it puts every set of equal keys next to each other.
pub(super) fn key_cmp(a: &Value, b: &Value) -> Ordering {
    compare(a, b, false)
}

fn rank(value: &Value) -> u8 {
    match value {
        Value::None => 0,
        Value::Bool(_) | Value::Int(_) | Value::Float(_) => 1,
        Value::Str(_) => 2,
        Value::Bytes(_) => 3,
        Value::Tuple(_) => 4,
        Value::List(_) => 5,
        Value::Set(_) => 6,
        Value::FrozenSet(_) => 7,
        Value::Dict(_) => 8,
        Value::Raised(_) => 9,
    }
}

fn compare(a: &Value, b: &Value, strict_types: bool) -> Ordering {
    let by_rank = rank(a).cmp(&rank(b));
    if by_rank != Ordering::Equal {
        return by_rank;
    }
    match (a, b) {
        (Value::None, Value::None) => Ordering::Equal,
        (Value::Str(x), Value::Str(y)) => x.cmp(y),
        (Value::Bytes(x), Value::Bytes(y)) => x.cmp(y),
        (Value::Tuple(x), Value::Tuple(y))
        | (Value::List(x), Value::List(y))
        | (Value::Set(x), Value::Set(y))
        | (Value::FrozenSet(x), Value::FrozenSet(y)) => compare_seq(x, y, strict_types),
        (Value::Dict(x), Value::Dict(y)) => {
            let (x, y) = (sorted_pairs(x), sorted_pairs(y));
            for ((kx, vx), (ky, vy)) in x.iter().zip(&y) {
                let ord = compare(kx, ky, strict_types).then_with(|| compare(vx, vy, strict_types));
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            x.len().cmp(&y.len())
        }
        (Value::Raised(x), Value::Raised(y)) => x.class_name().cmp(y.class_name()),
        _ => {
            let numeric = compare_numbers(a, b);
            if numeric == Ordering::Equal && strict_types {
                number_type_rank(a).cmp(&number_type_rank(b))
            } else {
                numeric
            }
        }
    }
}

fn compare_seq(x: &[Value], y: &[Value], strict_types: bool) -> Ordering {
    for (a, b) in x.iter().zip(y) {
        let ord = compare(a, b, strict_types);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    x.len().cmp(&y.len())
}

fn sorted_pairs(pairs: &[(Value, Value)]) -> Vec<(&Value, &Value)> {
    let mut sorted: Vec<(&Value, &Value)> = pairs.iter().map(|(k, v)| (k, v)).collect();
    sorted.sort_by(|(a, _), (b, _)| total_cmp(a, b));
    sorted
}

fn number_type_rank(value: &Value) -> u8 {
    match value {
        Value::Bool(_) => 0,
        Value::Int(_) => 1,
        _ => 2,
    }
}

enum Number<'a> {
    Int(std::borrow::Cow<'a, BigInt>),
    Float(f64),
}

fn as_number(value: &Value) -> Number<'_> {
    match value {
        Value::Bool(b) => Number::Int(std::borrow::Cow::Owned(BigInt::from(u8::from(*b)))),
        Value::Int(i) => Number::Int(std::borrow::Cow::Borrowed(i)),
        Value::Float(f) => Number::Float(*f),
        // Only numbers share rank 1, so nothing else gets here; NaN keeps the order total.
        _ => Number::Float(f64::NAN),
    }
}

/// Numeric order; NaN sorts after every other number and equal to itself.
pub(crate) fn compare_numbers(a: &Value, b: &Value) -> Ordering {
    match (as_number(a), as_number(b)) {
        (Number::Int(x), Number::Int(y)) => x.cmp(&y),
        (Number::Float(x), Number::Float(y)) => compare_floats(x, y),
        (Number::Int(x), Number::Float(y)) => compare_int_float(&x, y),
        (Number::Float(x), Number::Int(y)) => compare_int_float(&y, x).reverse(),
    }
}

fn compare_floats(x: f64, y: f64) -> Ordering {
    match (x.is_nan(), y.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        // partial_cmp is total for non-NaN and treats -0.0 == 0.0, as Python does.
        (false, false) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
    }
}

/// Compares an int with a float exactly, without rounding the int to a float.
fn compare_int_float(int: &BigInt, float: f64) -> Ordering {
    if float.is_nan() {
        return Ordering::Less;
    }
    if float.is_infinite() {
        return if float > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    let floor = float.floor();
    // A finite float always has an integer floor.
    let Some(floor_int) = BigInt::from_f64(floor) else {
        return Ordering::Less;
    };
    match int.cmp(&floor_int) {
        Ordering::Equal if float > floor => Ordering::Less,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(i: i64) -> Value {
        Value::Int(i.into())
    }

    #[test]
    fn numbers_compare_by_value_across_types() {
        assert_eq!(total_cmp(&int(2), &Value::Float(1.5)), Ordering::Greater);
        assert_eq!(total_cmp(&int(1), &Value::Float(1.5)), Ordering::Less);
        assert_eq!(
            total_cmp(&Value::Float(f64::NAN), &int(10)),
            Ordering::Greater
        );
        assert_eq!(
            total_cmp(&Value::Float(f64::NEG_INFINITY), &int(-10)),
            Ordering::Less
        );
    }

    #[test]
    fn equal_numbers_of_different_types_are_ordered_by_type_but_are_the_same_key() {
        assert_eq!(total_cmp(&Value::Bool(true), &int(1)), Ordering::Less);
        assert_eq!(total_cmp(&int(1), &Value::Float(1.0)), Ordering::Less);
        assert!(same_key(&Value::Bool(true), &Value::Float(1.0)));
        assert!(!same_key(&int(1), &Value::Float(1.5)));
    }

    #[test]
    fn huge_ints_compare_exactly_with_floats() {
        let big: BigInt = "9007199254740993".parse().unwrap(); // 2**53 + 1
        let float = 9007199254740992.0; // 2**53
        assert_eq!(
            compare_numbers(&Value::Int(big), &Value::Float(float)),
            Ordering::Greater
        );
    }

    #[test]
    fn containers_compare_lexicographically() {
        let short = Value::List(vec![int(1), int(2)]);
        let long = Value::List(vec![int(1), int(2), int(0)]);
        assert_eq!(total_cmp(&short, &long), Ordering::Less);
        assert_eq!(
            total_cmp(&Value::Tuple(vec![]), &Value::List(vec![])),
            Ordering::Less
        );
    }
}
