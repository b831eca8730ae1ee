//! Every report writer, on class reports with arbitrary names and figures: no panic, and each
//! format stays well formed whatever the students called their folders (in HTML: no name adds
//! an element or an attribute).

use kata::classroom::Problem;
use kata::grade::Verdict;
use kata::grade::growth::{Counter, Measurement, Point};
use kata::report::model::{
    CaseDetails, CaseReport, LoadError, LoadErrorKind, NotRun, Status, SubmissionReport,
};
use kata::report::{
    ClassReport, StudentSubmission, github, gradebook, html, json, junit, markdown, summary, tap,
    terminal,
};
use proptest::prelude::*;

use crate::bounded;

/// Names a student or author could choose, weighted towards the hostile.
pub(crate) fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z]{1,8}",
        "[ -~]{0,16}",
        "(# SKIP|# TODO|\n|\r|::|%|,|:|=|\\+|-|@|\t|\u{1b}\\[2J|\u{9b}|\u{202e}|\\\\|ok 1|[a-z]){0,6}",
        "(<img src=x onerror=alert\\(1\\)>|\"><script>|</td>|&amp;|&#39;|'|\"|<!--|[a-z]){0,6}",
    ]
}

pub(crate) fn verdict() -> impl Strategy<Value = Verdict> {
    prop::sample::select(Verdict::ALL.to_vec())
}

fn details() -> impl Strategy<Value = Option<CaseDetails>> {
    prop::option::of(
        (
            prop::option::of(name()),
            prop::option::of(name()),
            prop::option::of(name()),
            prop::option::of(name()),
        )
            .prop_map(|(message, expected, actual, traceback)| CaseDetails {
                input: Some("f(1)".to_string()),
                diff: expected.as_ref().map(|e| format!("- {e}")),
                message,
                expected,
                actual,
                traceback,
                stdout: Some("printed\u{1b}[31m".to_string()),
                ..CaseDetails::default()
            }),
    )
}

/// A growth case's measurement, with an arbitrary class name (a doctored report could carry
/// anything) and arbitrary points.
fn growth() -> impl Strategy<Value = Option<Measurement>> {
    prop::option::of(
        (
            name(),
            prop::option::of(-5.0f64..10.0),
            any::<bool>(),
            prop::collection::vec((1u64..10_000_000, any::<u64>()), 0..9),
            prop::option::of(1u64..10_000_000),
        )
            .prop_map(|(allows, exponent, lower_bound, points, limit_at)| {
                let range = points.first().zip(points.last()).map(|(a, b)| (a.0, b.0));
                Measurement {
                    counter: if lower_bound {
                        Counter::Fuel
                    } else {
                        Counter::CpuTime
                    },
                    allows,
                    exponent,
                    lower_bound,
                    allowed_exponent: exponent.map(|e| e - 0.5),
                    range,
                    points: points
                        .into_iter()
                        .map(|(n, cost)| Point { n, cost })
                        .collect(),
                    limit_at,
                }
            }),
    )
}

/// A case whose totals are consistent with its verdict, as kata builds them.
fn case() -> impl Strategy<Value = CaseReport> {
    (
        name(),
        any::<bool>(),
        verdict(),
        0u32..1000,
        prop::option::of(any::<u64>()),
        details(),
        prop::option::of(prop::sample::select(vec![
            NotRun::Timeouts,
            NotRun::FailFast,
        ])),
        growth(),
    )
        .prop_map(
            |(name, hidden, verdict, max_points, time_ms, details, not_run, growth)| {
                let mut case = CaseReport {
                    name,
                    hidden,
                    status: Status::of(verdict),
                    verdict,
                    points: if verdict.is_accepted() { max_points } else { 0 },
                    max_points,
                    kind: "call".to_string(),
                    comparator: "exact".to_string(),
                    not_run: None,
                    time_ms: if hidden { None } else { time_ms },
                    cpu_ms: None,
                    memory_kb: None,
                    fuel: None,
                    growth: if hidden { None } else { growth },
                    details: if hidden { None } else { details },
                };
                if let Some(not_run) = not_run {
                    stop(&mut case, not_run, Verdict::TimeLimitExceeded);
                }
                case
            },
        )
}

/// `case` as kata reports a case that was not run.
fn stop(case: &mut CaseReport, why: NotRun, verdict: Verdict) {
    case.not_run = Some(why);
    case.verdict = verdict;
    case.status = Status::of(verdict);
    case.points = 0;
    case.time_ms = None;
    case.growth = None;
    case.details = None;
}

/// A load error with arbitrary text in it.
fn load_error() -> impl Strategy<Value = Option<LoadError>> {
    prop::option::of(
        (
            any::<bool>(),
            name(),
            prop::option::of(0u64..10_000),
            prop::option::of(0u64..200),
            prop::option::of(name()),
        )
            .prop_map(|(syntax, message, line, column, traceback)| LoadError {
                kind: if syntax {
                    LoadErrorKind::SyntaxError
                } else {
                    LoadErrorKind::ImportError
                },
                type_name: "SyntaxError".to_string(),
                message,
                line,
                column,
                traceback,
            }),
    )
}

/// A submission whose totals are what its cases add up to.
pub(crate) fn submission() -> impl Strategy<Value = StudentSubmission> {
    (
        name(),
        name(),
        prop::option::of(name()),
        prop::collection::vec(case(), 0..5),
        load_error(),
    )
        .prop_map(|(student, exercise, file, mut cases, load_error)| {
            if load_error.is_some() {
                for case in &mut cases {
                    stop(case, NotRun::NotLoaded, Verdict::SyntaxError);
                }
            }
            let passed = cases.iter().filter(|c| c.verdict.is_accepted()).count();
            let verdict = cases
                .iter()
                .map(|c| c.verdict)
                .fold(Verdict::Accepted, Verdict::worst);
            StudentSubmission {
                student,
                report: SubmissionReport {
                    schema_version: 1,
                    exercise,
                    title: "t".to_string(),
                    file,
                    sandbox: "wasm".to_string(),
                    status: Status::of(verdict),
                    verdict,
                    points: cases.iter().map(|c| c.points).sum(),
                    max_points: cases.iter().map(|c| c.max_points).sum(),
                    passed,
                    failed: cases.len() - passed,
                    not_run: cases.iter().filter(|c| c.not_run.is_some()).count(),
                    load_error,
                    cases,
                },
            }
        })
}

pub(crate) fn class() -> impl Strategy<Value = ClassReport> {
    (
        prop::collection::vec(submission(), 0..6),
        prop::collection::vec((name(), name()), 0..3),
    )
        .prop_map(|(submissions, problems)| {
            let problems = problems
                .into_iter()
                .map(|(path, message)| Problem { path, message })
                .collect();
            ClassReport::new("wasm", None, submissions, problems)
        })
}

/// No control character but newlines and tabs (and the escapes that start kata's own colours).
fn assert_inert_on_a_terminal(text: &str) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // Only kata's own styles: ESC [ digits/semicolons m.
            assert_eq!(chars.next(), Some('['), "a raw escape in {text:?}");
            let rest: String = chars
                .by_ref()
                .take_while(|c| c.is_ascii_digit() || *c == ';')
                .collect();
            assert!(rest.len() <= 12, "{text:?}");
            continue;
        }
        assert!(
            c == '\n' || c == '\t' || !(c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "a raw control {c:?} in {text:?}"
        );
    }
}

proptest! {
    #[test]
    fn every_writer_renders_any_class(class in class()) {
        let all = bounded("rendering every format", || {
            (
                json::render(&class),
                junit::render(&class),
                tap::render(&class),
                gradebook::render(&class),
                github::render(&class),
                summary::render(&class),
                markdown::render(&class),
                html::render(&class),
            )
        });
        let (json, junit, tap, csv, github, summary, markdown, html) = all;

        // JSON keeps the names exactly.
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        for (index, submission) in class.submissions.iter().enumerate() {
            prop_assert_eq!(
                back["submissions"][index]["student"].as_str(),
                Some(submission.student.as_str())
            );
        }

        // JUnit is XML that parses back, with one suite per run of a student's submissions.
        let parsed = quick_junit::Report::deserialize_from_str(&junit);
        prop_assert!(parsed.is_ok(), "{:?}\n{}", parsed.err(), junit);

        // TAP: one line per test point, none of them a directive.
        let top: Vec<&str> = tap
            .lines()
            .filter(|line| line.starts_with("ok ") || line.starts_with("not ok "))
            .collect();
        prop_assert_eq!(top.len(), class.submissions.len(), "{}", tap);
        for line in tap.lines() {
            let point = line.trim_start();
            if point.starts_with("ok ") || point.starts_with("not ok ") {
                // Only kata's own `# N/M points` comment or `# SKIP not run: ...` directive may
                // follow an unescaped `#`.
                let unescaped: Vec<usize> = point
                    .char_indices()
                    .filter(|&(i, c)| c == '#' && !escaped_at(point, i))
                    .map(|(i, _)| i)
                    .collect();
                prop_assert!(unescaped.len() <= 1, "{}", point);
                if let Some(&at) = unescaped.first() {
                    let rest = &point[at..];
                    let points = rest
                        .strip_prefix("# ")
                        .and_then(|r| r.strip_suffix(" points"))
                        .is_some_and(|r| r.split('/').all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())));
                    prop_assert!(points || rest.starts_with("# SKIP not run: "), "{}", point);
                }
            }
            prop_assert!(
                line.is_empty()
                    || line.starts_with("TAP version 13")
                    || line.starts_with('#')
                    || line.starts_with("1..")
                    || line.starts_with("ok ")
                    || line.starts_with("not ok ")
                    || line.starts_with("    ")
                    // A submission's YAML block (its load error), under its point.
                    || line.starts_with("  "),
                "a line kata did not mean to write: {:?}",
                line
            );
        }

        // CSV: no cell a spreadsheet would evaluate, and one row per submission.
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let mut rows = 0;
        for record in reader.records() {
            let record = record.unwrap();
            for cell in record.iter() {
                prop_assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{:?}", cell);
            }
            rows += 1;
        }
        prop_assert_eq!(rows, class.submissions.len());

        // GitHub: every line is a command kata wrote, starting a fresh line; no more errors
        // and warnings than GitHub shows, and a notice exactly when some were left out.
        for line in github.lines() {
            prop_assert!(
                line.starts_with("::error file=")
                    || line.starts_with("::warning file=")
                    || line.starts_with("::notice title="),
                "{:?}",
                line
            );
        }
        let failing = class.submissions.iter().filter(|s| s.report.status == Status::Fail).count();
        let warned = class.submissions.iter().filter(|s| s.report.status == Status::Error).count()
            + class.problems.len();
        let count = |prefix: &str| github.lines().filter(|l| l.starts_with(prefix)).count();
        prop_assert_eq!(count("::error "), failing.min(github::ERROR_LIMIT));
        prop_assert_eq!(count("::warning "), warned.min(github::WARNING_LIMIT));
        prop_assert_eq!(
            count("::notice "),
            usize::from(failing > github::ERROR_LIMIT || warned > github::WARNING_LIMIT)
        );

        // The step summary: a row per submission, each with exactly its seven cell borders,
        // and no raw HTML.
        let rows: Vec<&str> = markdown
            .lines()
            .filter(|line| line.starts_with("| ") && (line.contains(" | ✅ ") || line.contains(" | ❌ ") || line.contains(" | ⚠️ ")))
            .collect();
        prop_assert_eq!(rows.len(), class.submissions.len(), "{}", markdown);
        for row in &rows {
            let borders = row
                .char_indices()
                .filter(|&(i, c)| c == '|' && !escaped_at(row, i))
                .count();
            prop_assert_eq!(borders, 7, "{}", row);
        }
        prop_assert!(
            markdown.char_indices().all(|(i, c)| c != '<' || escaped_at(&markdown, i)),
            "{}",
            markdown
        );

        // HTML: only kata's own elements and attributes, whatever the names; a grid row per
        // student and an article per submission.
        let tags = html_tags(&html);
        let count = |tag: &str, class: &str| {
            tags.iter()
                .filter(|t| t.name == tag && t.attribute("class") == Some(class))
                .count()
        };
        let students: std::collections::BTreeSet<&str> =
            class.submissions.iter().map(|s| s.student.as_str()).collect();
        prop_assert_eq!(count("tr", "student"), students.len());
        prop_assert_eq!(
            tags.iter().filter(|t| t.name == "article").count(),
            class.submissions.len()
        );

                assert_inert_on_a_terminal(&summary);
        let fenced = github::fence(&summary);
        prop_assert!(fenced.starts_with("::stop-commands::"));

        for submission in &class.submissions {
            let text = bounded("the terminal report", || terminal::render(&submission.report));
            assert_inert_on_a_terminal(&text);
        }
    }
}

/// Whether the character at byte `index` follows an odd number of backslashes.
fn escaped_at(text: &str, index: usize) -> bool {
    text[..index]
        .chars()
        .rev()
        .take_while(|&c| c == '\\')
        .count()
        % 2
        == 1
}

/// The elements kata's HTML page is made of, and the attributes they carry.
const HTML_ELEMENTS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "header", "nav", "main", "footer", "section",
    "article", "div", "h1", "h2", "h3", "h4", "p", "strong", "span", "a", "br", "table", "thead",
    "tbody", "tr", "th", "td", "ul", "li", "details", "summary", "dl", "dt", "dd", "pre", "svg",
    "rect", "polyline", "circle",
];
const HTML_ATTRIBUTES: &[&str] = &[
    "lang",
    "charset",
    "http-equiv",
    "name",
    "content",
    "class",
    "id",
    "href",
    "scope",
    "viewBox",
    "preserveAspectRatio",
    "aria-hidden",
    "width",
    "height",
    "points",
    "cx",
    "cy",
    "r",
];

#[derive(Debug)]
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

impl Tag {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads the page as a browser's tokenizer would, far enough to see every tag and attribute,
/// and panics on anything kata does not write: an unknown element or attribute, an unquoted
/// or unterminated value, a link out of the page, or a bare `&` in text (an entity a name
/// started).
fn html_tags(page: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = page
        .strip_prefix("<!DOCTYPE html>\n")
        .unwrap_or_else(|| panic!("no doctype: {page:?}"));
    while let Some(open) = rest.find(['<', '&']) {
        let (text, at) = rest.split_at(open);
        assert!(!text.contains('>'), "a stray `>` in {text:?}");
        if at.starts_with('&') {
            let entity = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                .into_iter()
                .find(|e| at.starts_with(e))
                .unwrap_or_else(|| panic!("a bare `&`: {:?}", &at[..at.len().min(20)]));
            rest = &at[entity.len()..];
            continue;
        }
        let mut chars = at[1..].char_indices().peekable();
        let closing = chars.next_if(|&(_, c)| c == '/').is_some();
        let mut name = String::new();
        while let Some((_, c)) = chars.next_if(|&(_, c)| c.is_ascii_alphanumeric()) {
            name.push(c);
        }
        assert!(
            HTML_ELEMENTS.contains(&name.as_str()),
            "element <{name}> in {at:.80?}"
        );
        let mut attributes = Vec::new();
        let end = loop {
            while chars.next_if(|&(_, c)| c == ' ').is_some() {}
            match chars.next() {
                Some((i, '>')) => break i,
                Some((i, '/')) => {
                    assert_eq!(chars.next().map(|(_, c)| c), Some('>'), "{at:.80?}");
                    break i + 1;
                }
                Some((_, c)) => {
                    assert!(!closing, "attributes on a closing tag: {at:.80?}");
                    let mut attribute = String::from(c);
                    while let Some((_, c)) =
                        chars.next_if(|&(_, c)| c != '=' && c != ' ' && c != '>')
                    {
                        attribute.push(c);
                    }
                    assert!(
                        HTML_ATTRIBUTES.contains(&attribute.as_str()),
                        "attribute {attribute} in {at:.80?}"
                    );
                    let mut value = String::new();
                    if chars.next_if(|&(_, c)| c == '=').is_some() {
                        assert_eq!(
                            chars.next().map(|(_, c)| c),
                            Some('"'),
                            "unquoted: {at:.80?}"
                        );
                        loop {
                            match chars.next() {
                                Some((_, '"')) => break,
                                Some((_, c)) => {
                                    assert!(c != '<' && c != '>', "{at:.80?}");
                                    value.push(c);
                                }
                                None => panic!("an unterminated value: {at:.80?}"),
                            }
                        }
                    }
                    if attribute == "href" {
                        assert!(value.starts_with('#'), "a link out of the page: {value}");
                    }
                    attributes.push((attribute, value));
                }
                None => panic!("an unterminated tag: {at:.80?}"),
            }
        };
        rest = &at[1 + end + 1..];
        if name == "style" && !closing {
            // The style sheet is kata's own, fixed text (its hash is in the page's policy).
            let close = rest.find("</style>").expect("the style sheet ends");
            rest = &rest[close..];
        }
        if !closing {
            tags.push(Tag { name, attributes });
        }
    }
    tags
}
