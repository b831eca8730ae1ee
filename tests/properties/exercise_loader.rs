//! The exercise loader: any bytes, and well-formed TOML whose fields hold anything, give an
//! exercise or diagnostics, never a panic.

use kata::exercise::SourceFile;
use kata::exercise::load::{parse, parse_draft};
use proptest::prelude::*;

use crate::bounded;

/// A TOML string literal holding `text` exactly.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Any text, weighted towards what trips parsers: multi-byte characters, controls, quotes.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,12}",
        "[0-9a-fA-F é\u{0}\n'\"\\\\]{0,9}",
        "(\\.\\./|/|[a-zé]){0,6}",
    ]
}

fn integer() -> impl Strategy<Value = i64> {
    prop_oneof![any::<i64>(), -3i64..5000]
}

/// An exercise file with every field chosen by the strategy.
#[derive(Debug, Clone)]
struct Fields {
    title: String,
    difficulty: String,
    starter: String,
    limits: (i64, i64, i64, i64),
    compare: String,
    tolerance: f64,
    fixture_path: String,
    fixture: (u8, String),
    case_name: String,
    input_kind: u8,
    input: String,
    expect: String,
    points: i64,
    wrong_verdict: String,
}

fn fields() -> impl Strategy<Value = Fields> {
    (
        (field(), field(), field()),
        (integer(), integer(), integer(), integer()),
        (field(), any::<f64>()),
        (field(), 0u8..4, field()),
        (field(), 0u8..4, field(), field(), integer(), field()),
    )
        .prop_map(
            |(
                (title, difficulty, starter),
                limits,
                (compare, tolerance),
                (fixture_path, fixture_kind, fixture_body),
                (case_name, input_kind, input, expect, points, wrong_verdict),
            )| Fields {
                title,
                difficulty,
                starter,
                limits,
                compare,
                tolerance,
                fixture_path,
                fixture: (fixture_kind, fixture_body),
                case_name,
                input_kind,
                input,
                expect,
                points,
                wrong_verdict,
            },
        )
}

fn render(f: &Fields) -> String {
    let fixture = match f.fixture.0 {
        0 => format!("text = {}", quoted(&f.fixture.1)),
        1 => format!("hex = {}", quoted(&f.fixture.1)),
        2 => "dir = true".to_string(),
        _ => format!("hex = {}\ndir = true", quoted(&f.fixture.1)),
    };
    let input = match f.input_kind {
        0 => format!("call = {}", quoted(&f.input)),
        1 => format!("script = {}", quoted(&f.input)),
        2 => format!("stdin = {}", quoted(&f.input)),
        _ => format!("ops = [{}]\nargs = [[]]", quoted(&f.input)),
    };
    let tolerance = if f.tolerance.is_finite() {
        f.tolerance.to_string()
    } else {
        "nan".to_string()
    };
    format!(
        "format = 1\ntitle = {title}\ndifficulty = {difficulty}\nprompt = \"p\"\n\
         starter = {starter}\nreference = \"def f(x):\\n    return x\\n\"\n\n\
         [limits]\ncpu_ms = {}\nwall_ms = {}\nmemory_mb = {}\noutput_kb = {}\n\n\
         [compare]\nvalue = {compare}\nrel_tol = {tolerance}\n\n\
         [[fixture]]\npath = {path}\n{fixture}\n\n\
         [[case]]\nname = {name}\n{input}\nexpect = {expect}\npoints = {}\n\n\
         [[wrong]]\nname = \"w\"\ncode = \"def f(x):\\n    return 0\\n\"\nverdict = {verdict}\n",
        f.limits.0,
        f.limits.1,
        f.limits.2,
        f.limits.3,
        f.points,
        title = quoted(&f.title),
        difficulty = quoted(&f.difficulty),
        starter = quoted(&f.starter),
        compare = quoted(&f.compare),
        path = quoted(&f.fixture_path),
        name = quoted(&f.case_name),
        expect = quoted(&f.expect),
        verdict = quoted(&f.wrong_verdict),
    )
}

fn load(text: String) {
    let file = || SourceFile {
        name: "prop.toml".to_string(),
        text: text.clone(),
    };
    bounded("parsing an exercise", || {
        if let Err(invalid) = parse("prop", file()) {
            // Rendering the diagnostics walks the spans: that must not panic either.
            let _ = invalid.render();
            assert!(
                !invalid.diagnostics.is_empty(),
                "refused without a diagnostic"
            );
        }
        let _ = parse_draft("prop", file());
    });
}

proptest! {
    #[test]
    fn any_bytes_load_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        load(String::from_utf8_lossy(&bytes).into_owned());
    }

    #[test]
    fn any_field_contents_load_without_panicking(fields in fields()) {
        load(render(&fields));
    }

    #[test]
    fn a_real_exercise_cut_anywhere_loads_without_panicking(
        cut in any::<prop::sample::Index>(),
        insert in field(),
    ) {
        let text = include_str!("../fixtures/exercises/echo.toml");
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let at = boundaries[cut.index(boundaries.len())];
        load(format!("{}{insert}{}", &text[..at], &text[at..]));
        load(text[..at].to_string());
    }
}

#[test]
fn a_non_ascii_hex_fixture_is_a_diagnostic() {
    let text = "format = 1\ntitle = \"t\"\ndifficulty = \"easy\"\nprompt = \"p\"\n\
                starter = \"\"\nreference = \"def f(x):\\n    return x\\n\"\n\
                [[fixture]]\npath = \"a.bin\"\nhex = \"aéb\"\n\
                [[case]]\nname = \"c\"\ncall = \"f(1)\"\nexpect = \"1\"\n";
    let invalid = parse(
        "prop",
        SourceFile {
            name: "prop.toml".to_string(),
            text: text.to_string(),
        },
    )
    .expect_err("a non-ASCII hex fixture is refused");
    assert!(
        invalid
            .render()
            .contains("`hex` must be pairs of hexadecimal digits"),
        "{invalid:?}"
    );
}
