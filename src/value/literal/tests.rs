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
