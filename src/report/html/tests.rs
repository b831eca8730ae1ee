use sha2::{Digest, Sha256};

use super::head::base64;
use super::*;
use crate::classroom::Problem;
use crate::grade::Verdict;
use crate::report::class::StudentSubmission;
use crate::report::fixtures;
use crate::report::model::CaseReport;
use serde_json::json;

const HOSTILE: &str = "<img src=x onerror=alert(1)>";
const SECRET: &str = "secret-input-4242";

/// A case; a failing one carries details with the secret input and hostile text.
fn case(name: &str, verdict: Verdict, hidden: bool) -> CaseReport {
    let mut case = fixtures::case_json(name, verdict, hidden);
    if !verdict.is_accepted() {
        let details = json!({
            "input": format!("echo({SECRET:?})"),
            "message": "returned the wrong value",
            "expected": "1", "actual": "None", "diff": "- 1\n+ None\n",
            "traceback": format!("Traceback:\n  {HOSTILE}\n\u{1b}[2J"),
        });
        case.as_object_mut()
            .unwrap()
            .extend(details.as_object().unwrap().clone());
    }
    serde_json::from_value(case).unwrap()
}

fn submission(student: &str, exercise: &str, cases: Vec<CaseReport>) -> StudentSubmission {
    let file = format!("class/{student}/{exercise}.py");
    fixtures::submission(student, exercise, "Echo", Some(&file), cases)
}

/// Three students: one passes, one fails a visible case, and one, named to inject markup,
/// fails only a hidden case (whose details a doctored model still carries).
fn class() -> ClassReport {
    let submissions = vec![
        submission(
            "ada",
            "echo",
            vec![
                case("a number", Verdict::Accepted, false),
                case("the secret one", Verdict::Accepted, true),
            ],
        ),
        submission(
            "bob",
            "echo",
            vec![
                case("a number", Verdict::WrongAnswer, false),
                case("the secret one", Verdict::Accepted, true),
            ],
        ),
        submission(
            HOSTILE,
            "echo",
            vec![
                case("a number", Verdict::Accepted, false),
                case("the secret one", Verdict::TimeLimitExceeded, true),
            ],
        ),
    ];
    let problems = vec![Problem {
        path: format!("class/{HOSTILE}.py"),
        message: "\"><script>alert(1)</script>".into(),
    }];
    ClassReport::new("wasm", None, submissions, problems)
}

#[test]
fn base64_encodes_as_the_rfc_says() {
    for (bytes, encoded) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64(bytes.as_bytes()), encoded);
    }
}

#[test]
fn the_policy_allows_exactly_the_style_sheet_on_the_page() {
    let page = render(&class());
    let style = &page[page.find("<style>").unwrap() + 7..page.find("</style>").unwrap()];
    let hash = base64(&Sha256::digest(style.as_bytes()));
    let policy = format!(
        "content=\"default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; \
         form-action 'none'\""
    );
    assert!(page.contains(&policy), "{page}");
    // The policy comes before anything it governs.
    assert!(page.find(&policy) < page.find("<style>"));
    assert_eq!(page.matches("<style>").count(), 1);
    assert!(!page.contains("<script") && !page.contains(" style="));
}

#[test]
fn student_text_is_escaped_everywhere() {
    let page = render(&class());
    assert!(!page.contains("<img"), "{page}");
    assert!(!page.contains("<script>alert"), "{page}");
    // Shown as text: in the grid, as a heading, in a file path, in bob's traceback and in
    // the files not graded.
    assert_eq!(
        page.matches("&lt;img src=x onerror=alert(1)&gt;").count(),
        5,
        "{page}"
    );
    assert!(page.contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Controls are shown, not passed to the browser.
    assert!(!page.contains('\u{1b}') && page.contains("\\x1b[2J"));
}

#[test]
fn a_growth_case_shows_its_fit_and_a_plot_with_its_class_escaped() {
    let mut slow = case("grows", Verdict::TimeLimitExceeded, false);
    slow.growth = Some(
        serde_json::from_value(json!({
            "counter": "cpu-time", "allows": HOSTILE, "exponent": 2.0, "lower_bound": false,
            "allowed_exponent": 1.5, "range": [100, 400],
            "points": [{"n": 100, "cost": 10000}, {"n": 200, "cost": 40000},
                       {"n": 400, "cost": 160000}],
        }))
        .unwrap(),
    );
    let submissions = vec![submission("ada", "echo", vec![slow])];
    let page = render(&ClassReport::new("wasm", None, submissions, Vec::new()));
    assert!(
        page.contains("cost grows like n^2.0 between n = 100 and n = 400"),
        "{page}"
    );
    assert_eq!(page.matches("<svg class=\"growth\"").count(), 1, "{page}");
    assert_eq!(page.matches("<circle").count(), 3);
    assert!(
        !page.contains("<img") && !page.contains(" style="),
        "{page}"
    );
}

#[test]
fn hidden_cases_show_their_verdict_only() {
    let page = render(&class());
    // bob's visible failure shows its input, diff and traceback; the hostile student's
    // hidden one shows none of them, though the (doctored) model has them.
    assert_eq!(page.matches(SECRET).count(), 1, "{page}");
    assert_eq!(page.matches("<details>").count(), 1, "{page}");
    assert!(page.contains(
        "<li><span class=\"verdict\">✗ time limit exceeded</span> the secret one \
         <span class=\"hidden-case\">hidden case: verdict only</span></li>"
    ));
}

#[test]
fn the_grid_has_a_row_per_student_linking_each_submission() {
    let page = render(&class());
    assert_eq!(page.matches("<tr class=\"student\">").count(), 3);
    for index in 0..3 {
        assert!(page.contains(&format!("<a href=\"#s{index}\">")));
        assert!(page.contains(&format!("<article id=\"s{index}\"")));
    }
}

#[test]
fn the_page_for_a_small_class() {
    let page = render(&class());
    let body = &page[page.find("<body>").unwrap()..];
    insta::assert_snapshot!("html_small_class", body);
}

#[test]
fn an_empty_class_renders() {
    let page = render(&ClassReport::new("wasm", None, Vec::new(), Vec::new()));
    assert!(page.contains("0 students, 0 submissions"));
    assert!(!page.contains("<tr class=\"student\">"));
    assert!(page.ends_with("</html>\n"));
}
