//! Comparators: does what came back match what was expected?
//!
//! All of this runs on the host, over [`Value`]s and strings. No Python `==` is involved, so a
//! returned object cannot vouch for itself.

use std::cmp::Ordering;

use num_traits::ToPrimitive;

use crate::exercise::{Sequences, TextComparator, ValueComparator};
use crate::value::{Value, repr_capped, total_cmp};

/// The most of a dict key shown in a note's path.
const KEY_BYTES: usize = 100;

/// The outcome of comparing two values.
#[derive(Debug, Clone)]
pub(crate) struct ValueComparison {
    pub equal: bool,
    /// The values as the comparator saw them (sorted, for the unordered comparators), which is
    /// what a diff should show.
    pub expected: Value,
    pub actual: Value,
    /// A hint about the first difference when a diff alone would not make it obvious, such as
    /// `3` against `'3'`.
    pub note: Option<String>,
}

/// Compares a returned value with the expected one; a list and a tuple always differ.
pub(crate) fn compare_values(
    expected: &Value,
    actual: &Value,
    comparator: ValueComparator,
) -> ValueComparison {
    compare_sequences(expected, actual, comparator, Sequences::Typed)
}

/// Compares a returned value with the expected one, lists and tuples interchangeable as
/// `sequences` says. When they are not, and the container type is the only difference, the
/// note says exactly that.
///
/// Each side is copied once (to sort it, or to turn its tuples into lists), as before there were
/// sequence settings: a returned value can hold a million nodes.
pub(crate) fn compare_sequences(
    expected: &Value,
    actual: &Value,
    comparator: ValueComparator,
    sequences: Sequences,
) -> ValueComparison {
    let copy = |value: &Value| match sequences {
        Sequences::Typed => value.clone(),
        Sequences::AnyTop => tuple_as_list(value, false),
        Sequences::Any => tuple_as_list(value, true),
    };
    let mut comparison = compare_owned(copy(expected), copy(actual), comparator);
    let tolerance = match comparator {
        ValueComparator::Float { abs_tol, rel_tol } => Some(Tolerance { abs_tol, rel_tol }),
        _ => None,
    };
    // The values as compared (sorted, for the unordered comparators) are equal once lists and
    // tuples are not told apart: the container type is all that differs.
    if !comparison.equal
        && sequences != Sequences::Any
        && equal(&comparison.expected, &comparison.actual, tolerance, true)
    {
        let types = comparison
            .note
            .take()
            .unwrap_or_else(|| "the container types differ".to_string());
        comparison.note = Some(format!(
            "{types}; only the container type differs, and this exercise counts a list and a \
             tuple as different values there because its prompt asks for one of them"
        ));
    }
    comparison
}

/// A tuple as the list of the same items: only the value itself, or at every depth.
fn tuple_as_list(value: &Value, deep: bool) -> Value {
    let inner = |items: &Vec<Value>| -> Vec<Value> {
        if deep {
            items.iter().map(|item| tuple_as_list(item, true)).collect()
        } else {
            items.clone()
        }
    };
    match value {
        Value::List(items) | Value::Tuple(items) => Value::List(inner(items)),
        Value::Dict(pairs) if deep => Value::Dict(
            pairs
                .iter()
                .map(|(key, item)| (key.clone(), tuple_as_list(item, true)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn compare_owned(expected: Value, actual: Value, comparator: ValueComparator) -> ValueComparison {
    let (expected, actual, tolerance) = match comparator {
        ValueComparator::Exact => (expected, actual, None),
        ValueComparator::Unordered => (sort_top(expected), sort_top(actual), None),
        ValueComparator::UnorderedDeep => (sort_deep(expected), sort_deep(actual), None),
        ValueComparator::Float { abs_tol, rel_tol } => {
            (expected, actual, Some(Tolerance { abs_tol, rel_tol }))
        }
    };
    let equal = equal(&expected, &actual, tolerance, false);
    let note = if equal {
        None
    } else {
        type_difference(
            &expected,
            &actual,
            tolerance.is_some(),
            &mut String::from("$"),
        )
    };
    ValueComparison {
        equal,
        expected,
        actual,
        note,
    }
}

#[derive(Debug, Clone, Copy)]
struct Tolerance {
    abs_tol: f64,
    rel_tol: f64,
}

impl Tolerance {
    /// `math.isclose`, except that NaN is close to NaN (an author who expects NaN means it).
    fn close(self, a: f64, b: f64) -> bool {
        if a.is_nan() || b.is_nan() {
            return a.is_nan() && b.is_nan();
        }
        if a == b {
            return true; // also equal infinities
        }
        if a.is_infinite() || b.is_infinite() {
            return false;
        }
        let diff = (a - b).abs();
        diff <= self.abs_tol || diff <= self.rel_tol * a.abs().max(b.abs())
    }
}

/// Sorts the top-level elements of a list or tuple.
fn sort_top(value: Value) -> Value {
    match value {
        Value::List(items) => Value::List(sorted(items)),
        Value::Tuple(items) => Value::Tuple(sorted(items)),
        other => other,
    }
}

/// Sorts every list and tuple, innermost first, so order never matters at any depth.
fn sort_deep(value: Value) -> Value {
    match value {
        Value::List(items) => Value::List(sorted(items.into_iter().map(sort_deep).collect())),
        Value::Tuple(items) => Value::Tuple(sorted(items.into_iter().map(sort_deep).collect())),
        Value::Dict(pairs) => {
            Value::Dict(pairs.into_iter().map(|(k, v)| (k, sort_deep(v))).collect())
        }
        other => other,
    }
}

/// A dict's pairs sorted by key, for comparing two dicts in `O(n log n)`. Keys within one dict
/// are distinct, so equal dicts line up pair by pair.
fn by_key(pairs: &[(Value, Value)]) -> Vec<(&Value, &Value)> {
    let mut sorted: Vec<(&Value, &Value)> = pairs.iter().map(|(k, v)| (k, v)).collect();
    sorted.sort_by(|(a, _), (b, _)| total_cmp(a, b));
    sorted
}

/// The keys two dicts share, with both values, in `a`'s order: a merge of the sorted pairs.
fn matching_keys<'a>(
    a: &'a [(Value, Value)],
    b: &'a [(Value, Value)],
) -> Vec<(&'a Value, &'a Value, &'a Value)> {
    let theirs = by_key(b);
    a.iter()
        .filter_map(|(key, x)| {
            let found = theirs
                .binary_search_by(|(other, _)| total_cmp(other, key))
                .ok()?;
            theirs.get(found).map(|(_, y)| (key, x, *y))
        })
        .collect()
}

fn sorted(mut items: Vec<Value>) -> Vec<Value> {
    items.sort_by(total_cmp);
    items
}

/// Whether the values are equal; with `loose`, a list and a tuple with the same items are too.
fn equal(expected: &Value, actual: &Value, tolerance: Option<Tolerance>, loose: bool) -> bool {
    let all_equal = |a: &[Value], b: &[Value]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equal(x, y, tolerance, loose))
    };
    match (expected, actual) {
        (Value::Raised(expected), Value::Raised(actual)) => actual
            .class_names
            .iter()
            .any(|name| name == expected.class_name()),
        (Value::None, Value::None) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Int(a), Value::Int(b)) => a == b,
        (Value::Float(a), Value::Float(b)) => match tolerance {
            Some(tolerance) => tolerance.close(*a, *b),
            None => (a.is_nan() && b.is_nan()) || a == b,
        },
        (Value::Int(i), Value::Float(f)) | (Value::Float(f), Value::Int(i)) => match tolerance {
            Some(tolerance) => i.to_f64().is_some_and(|i| tolerance.close(i, *f)),
            None => false,
        },
        (Value::Str(a), Value::Str(b)) => a == b,
        (Value::Bytes(a), Value::Bytes(b)) => a == b,
        (Value::List(a), Value::List(b))
        | (Value::Tuple(a), Value::Tuple(b))
        | (Value::Set(a), Value::Set(b))
        | (Value::FrozenSet(a), Value::FrozenSet(b)) => all_equal(a, b),
        (Value::List(a), Value::Tuple(b)) | (Value::Tuple(a), Value::List(b)) if loose => {
            all_equal(a, b)
        }
        (Value::Dict(a), Value::Dict(b)) => {
            a.len() == b.len()
                && by_key(a).iter().zip(by_key(b)).all(|((ka, va), (kb, vb))| {
                    total_cmp(ka, kb) == Ordering::Equal && equal(va, vb, tolerance, loose)
                })
        }
        _ => false,
    }
}

/// Describes the first place where the two values have different types, if there is one.
fn type_difference(
    expected: &Value,
    actual: &Value,
    numeric: bool,
    path: &mut String,
) -> Option<String> {
    let numbers = |v: &Value| matches!(v, Value::Int(_) | Value::Float(_));
    let same_type = std::mem::discriminant(expected) == std::mem::discriminant(actual)
        || (numeric && numbers(expected) && numbers(actual));
    if !same_type {
        let place = path
            .strip_prefix('$')
            .filter(|rest| !rest.is_empty())
            .map(|rest| format!(" at {rest}"))
            .unwrap_or_default();
        return Some(format!(
            "types differ{place}: expected {}, got {}",
            describe(expected),
            describe(actual),
        ));
    }
    let pairs: Vec<(String, &Value, &Value)> = match (expected, actual) {
        (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => a
            .iter()
            .zip(b)
            .enumerate()
            .map(|(i, (x, y))| (format!("[{i}]"), x, y))
            .collect(),
        (Value::Dict(a), Value::Dict(b)) => matching_keys(a, b)
            .into_iter()
            .map(|(key, x, y)| (format!("[{}]", repr_capped(key, KEY_BYTES)), x, y))
            .collect(),
        _ => Vec::new(),
    };
    for (step, x, y) in pairs {
        let len = path.len();
        path.push_str(&step);
        if let Some(note) = type_difference(x, y, numeric, path) {
            return Some(note);
        }
        path.truncate(len);
    }
    None
}

/// `None`, or the type with an article and the value: `an int 3`.
fn describe(value: &Value) -> String {
    if let Value::None = value {
        return "None".to_string();
    }
    let type_name = value.type_name();
    let vowel = type_name.starts_with(['a', 'e', 'i', 'o', 'u']);
    let article = if vowel { "an" } else { "a" };
    format!("{article} {type_name} {}", shorten(value))
}

/// The start of the value's repr: at most 40 characters, ending in `…` when cut.
fn shorten(value: &Value) -> String {
    const MAX: usize = 40;
    // Only the first few hundred bytes are ever rendered, whatever the value's size.
    let text = repr_capped(value, 4 * MAX);
    if text.chars().count() <= MAX {
        text
    } else {
        let cut: String = text.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

/// The outcome of comparing printed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TextComparison {
    pub equal: bool,
    /// Not equal, but the same once whitespace is ignored: worth saying so, and showing
    /// whitespace in the diff.
    pub whitespace_only: bool,
}

/// Compares printed text with the expected text.
pub(crate) fn compare_text(
    expected: &str,
    actual: &str,
    comparator: TextComparator,
) -> TextComparison {
    let equal = match comparator {
        TextComparator::Exact => expected == actual,
        TextComparator::Rstrip => rstrip_lines(expected) == rstrip_lines(actual),
        TextComparator::Tokens => tokens_equal(expected, actual),
    };
    TextComparison {
        equal,
        whitespace_only: !equal && tokens_equal(expected, actual),
    }
}

/// Trailing whitespace removed from every line, and trailing blank lines dropped.
pub(crate) fn rstrip_lines(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    let keep = lines
        .iter()
        .rposition(|line| !line.is_empty())
        .map_or(0, |i| i + 1);
    lines.get(..keep).unwrap_or_default().join("\n")
}

fn tokens_equal(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::literal::parse;
    use crate::value::repr;

    fn check(expected: &str, actual: &str, comparator: ValueComparator) -> ValueComparison {
        compare_values(
            &parse(expected).unwrap(),
            &parse(actual).unwrap(),
            comparator,
        )
    }

    const FLOAT: ValueComparator = ValueComparator::Float {
        abs_tol: 1e-9,
        rel_tol: 1e-9,
    };

    #[test]
    fn exact_requires_same_types_and_values() {
        assert!(check("[1, (2, 'x')]", "[1, (2, 'x')]", ValueComparator::Exact).equal);
        assert!(!check("[1, 2]", "[2, 1]", ValueComparator::Exact).equal);
        assert!(!check("1", "1.0", ValueComparator::Exact).equal);
        assert!(!check("1", "True", ValueComparator::Exact).equal);
        assert!(!check("[1]", "(1,)", ValueComparator::Exact).equal);
        assert!(
            check(
                "{'a': 1, 'b': 2}",
                "{'b': 2, 'a': 1}",
                ValueComparator::Exact
            )
            .equal
        );
        assert!(check("{1, 2}", "{2, 1}", ValueComparator::Exact).equal);
        assert!(check("nan", "float('nan')", ValueComparator::Exact).equal);
        assert!(!check("{'a': 1}", "{'a': 1, 'b': 2}", ValueComparator::Exact).equal);
    }

    #[test]
    fn unordered_sorts_only_the_top_level() {
        assert!(check("[[1, 2], [3]]", "[[3], [1, 2]]", ValueComparator::Unordered).equal);
        assert!(!check("[[1, 2], [3]]", "[[3], [2, 1]]", ValueComparator::Unordered).equal);
        // A multiset: duplicates count.
        assert!(!check("[1, 1, 2]", "[1, 2, 2]", ValueComparator::Unordered).equal);
        assert!(!check("[1, 2]", "[1, 2, 2]", ValueComparator::Unordered).equal);
    }

    #[test]
    fn unordered_deep_sorts_at_every_depth() {
        let three_sum = check(
            "[[-1, -1, 2], [-1, 0, 1]]",
            "[[0, 1, -1], [2, -1, -1]]",
            ValueComparator::UnorderedDeep,
        );
        assert!(three_sum.equal);
        assert_eq!(repr(&three_sum.actual), "[[-1, -1, 2], [-1, 0, 1]]");
        // A repeated triplet still fails.
        assert!(
            !check(
                "[[-1, 0, 1]]",
                "[[-1, 0, 1], [1, 0, -1]]",
                ValueComparator::UnorderedDeep
            )
            .equal
        );
    }

    #[test]
    fn float_tolerance_is_absolute_or_relative() {
        assert!(check("0.3", "0.30000000000000004", FLOAT).equal);
        assert!(check("[1.0, {'x': 2}]", "[1, {'x': 2.0000000001}]", FLOAT).equal);
        assert!(!check("1.0", "1.001", FLOAT).equal);
        assert!(check("1e20", "1.00000000001e20", FLOAT).equal);
        assert!(check("inf", "inf", FLOAT).equal);
        assert!(!check("inf", "-inf", FLOAT).equal);
        assert!(!check("nan", "1.0", FLOAT).equal);
        assert!(!check("1.0", "True", FLOAT).equal);
        let loose = ValueComparator::Float {
            abs_tol: 0.01,
            rel_tol: 0.0,
        };
        assert!(check("3.14", "3.141592", loose).equal);
    }

    #[test]
    fn raised_matches_by_class_hierarchy() {
        use crate::value::Raised;
        let actual = Value::Raised(Raised {
            class_names: vec!["KeyError".into(), "LookupError".into(), "Exception".into()],
            message: Some("5".into()),
            traceback: None,
        });
        let expect =
            |text: &str| compare_values(&parse(text).unwrap(), &actual, ValueComparator::Exact);
        assert!(expect("raises(KeyError)").equal);
        assert!(expect("raises(LookupError)").equal);
        assert!(!expect("raises(IndexError)").equal);
        assert!(!expect("-1").equal);
    }

    #[test]
    fn notes_point_at_the_first_type_difference() {
        let note = check("[1, [2, 3]]", "[1, [2, '3']]", ValueComparator::Exact).note;
        assert_eq!(
            note.as_deref(),
            Some("types differ at [1][1]: expected an int 3, got a str '3'")
        );
        let note = check("[[1, 2]]", "[(1, 2)]", ValueComparator::Exact).note;
        assert!(
            note.as_deref().is_some_and(|note| note
                .starts_with("types differ at [0]: expected a list [1, 2], got a tuple (1, 2); ")),
            "{note:?}"
        );
        assert_eq!(check("[1, 2]", "[1, 3]", ValueComparator::Exact).note, None);
        let note = check("[1]", "[None]", ValueComparator::Exact).note;
        assert_eq!(
            note.as_deref(),
            Some("types differ at [0]: expected an int 1, got None")
        );
    }

    #[test]
    fn lists_and_tuples_are_interchangeable_only_where_declared() {
        let with = |expected: &str, actual: &str, sequences| {
            compare_sequences(
                &parse(expected).unwrap(),
                &parse(actual).unwrap(),
                ValueComparator::UnorderedDeep,
                sequences,
            )
        };
        let triplets = ("[[-1, -1, 2], [-1, 0, 1]]", "[(-1, 0, 1), (2, -1, -1)]");
        assert!(with(triplets.0, triplets.1, Sequences::Any).equal);
        assert!(!with(triplets.0, triplets.1, Sequences::AnyTop).equal);
        assert!(with("[[1]]", "([1],)", Sequences::AnyTop).equal);
        assert!(!with("[[1]]", "((1,),)", Sequences::AnyTop).equal);
        // Interchangeable containers still hold the same items.
        assert!(!with(triplets.0, "[(-1, 0, 1)]", Sequences::Any).equal);
        assert!(!with("[1]", "{1}", Sequences::Any).equal);

        let typed = with(triplets.0, triplets.1, Sequences::Typed);
        assert!(!typed.equal);
        let note = typed.note.unwrap();
        assert!(
            note.starts_with("types differ at [0]: expected a list [-1, -1, 2], got a tuple")
                && note.contains("only the container type differs"),
            "{note}"
        );
        // A wrong value in the wrong container is not called a container difference.
        let wrong = with("[[1, 2]]", "[(1, 3)]", Sequences::Typed).note.unwrap();
        assert!(!wrong.contains("only the container type"), "{wrong}");
        assert!(
            compare_values(
                &parse("(1, 2)").unwrap(),
                &parse("[1, 2]").unwrap(),
                ValueComparator::Exact
            )
            .note
            .unwrap()
            .contains("only the container type differs")
        );
    }

    #[test]
    fn text_comparators() {
        let rstrip = TextComparator::Rstrip;
        assert!(compare_text("a\nb\n", "a  \nb", rstrip).equal);
        assert!(compare_text("a\nb", "a\nb\n\n\n", rstrip).equal);
        assert!(!compare_text("a b", "a  b", rstrip).equal);
        assert!(compare_text("a b", "a  b", rstrip).whitespace_only);
        assert!(
            !compare_text("\na", "a", rstrip).equal,
            "leading blank lines matter"
        );
        assert!(!compare_text("a\n", "a", TextComparator::Exact).equal);
        assert!(compare_text("1 2\n3", " 1\n2 3 ", TextComparator::Tokens).equal);
        assert!(!compare_text("1 2", "1 2 3", TextComparator::Tokens).whitespace_only);
    }
}
