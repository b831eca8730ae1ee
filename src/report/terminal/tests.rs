use unicode_width::UnicodeWidthStr;

use super::case_line::{MIN_NAME_COLUMNS, NAME_COLUMNS, NAME_MARGINS, fit};
use super::*;

fn case(name: &str, verdict: Verdict, hidden: bool) -> CaseReport {
    CaseReport {
        name: name.to_string(),
        hidden,
        status: Status::of(verdict),
        verdict,
        points: 0,
        max_points: 1,
        kind: "call".to_string(),
        comparator: "exact".to_string(),
        not_run: None,
        time_ms: None,
        cpu_ms: None,
        memory_kb: None,
        fuel: None,
        growth: None,
        details: None,
    }
}

/// The line as a terminal shows it, without styles.
fn plain(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // A style is `ESC [ … m`.
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn short_names_are_padded_and_long_ones_cut_to_the_column() {
    assert_eq!(fit("abc", 5), "abc  ");
    assert_eq!(fit("abcde", 5), "abcde");
    assert_eq!(fit("abcdef", 5), "abcd…");
    // A wide character that would straddle the cut is left out, and the gap padded.
    assert_eq!(fit("ab漢字", 4), "ab… ");
    assert_eq!(fit("anything", 0), "");
}

#[test]
fn the_name_column_is_capped_without_a_terminal() {
    let long = "x".repeat(100);
    let cases = [case(&long, Verdict::Accepted, false)];
    assert_eq!(name_column(&cases, None), NAME_COLUMNS);
    let short = [case("short", Verdict::Accepted, false)];
    assert_eq!(name_column(&short, None), 5);
}

#[test]
fn the_name_column_leaves_room_for_the_widest_verdict_on_a_narrow_terminal() {
    let long = "x".repeat(100);
    let cases = [
        case(&long, Verdict::Accepted, true),
        case("b", Verdict::OutputLimitExceeded, true),
    ];
    let rest = "output-limit-exceeded  (hidden)".len();
    assert_eq!(name_column(&cases, Some(60)), 60 - NAME_MARGINS - rest);
    assert_eq!(name_column(&cases, Some(200)), NAME_COLUMNS);
    assert_eq!(name_column(&cases, Some(20)), MIN_NAME_COLUMNS);
    for columns in [60, 80] {
        let width = name_column(&cases, Some(columns));
        for case in &cases {
            let line = plain(&case_line(case, width));
            assert!(
                line.trim_end().width() <= columns,
                "{line:?} is wider than {columns}"
            );
        }
    }
}

#[test]
fn verdicts_line_up_after_cut_names_hidden_or_not() {
    let long = "a very long case name ".repeat(5);
    let cases = [
        case(&long, Verdict::WrongAnswer, false),
        case(&long, Verdict::Accepted, true),
        case("short", Verdict::RuntimeError, false),
    ];
    let width = name_column(&cases, Some(80));
    for case in &cases {
        let line: Vec<char> = plain(&case_line(case, width)).chars().collect();
        let name: String = line[4..4 + width].iter().collect();
        let gap: String = line[4 + width..4 + width + 2].iter().collect();
        assert!(case.name == "short" || name.ends_with('…'), "{name:?}");
        assert_eq!(gap, "  ", "{line:?}");
        assert_ne!(line[4 + width + 2], ' ', "{line:?}");
    }
}
