//! The class as one HTML page (`kata grade --html`, `kata report html`): the totals, the
//! distribution of the students' scores, each exercise's pass rate, a student × exercise grid,
//! the cases that catch the most students, and every submission with its failing cases, each
//! visible one's diff behind a click (`<details>`). Hidden cases show their verdict only: the
//! model holds nothing else for them.
//!
//! The page is self-contained and works offline, without JavaScript: one inline style sheet,
//! bars drawn as inline SVG, no script, no external resource. Its Content-Security-Policy
//! allows that style sheet (by hash) and nothing else, so even text that slipped through the
//! escaping could not run a script, load an image or apply a style. Every string from the
//! report goes through [`escape::html`] after its control characters are made visible. Status
//! is shown by a symbol and a word, never by colour alone.
//!
//! The page holds no timestamp: the same report renders to the same bytes, whether it comes
//! from `kata grade` or is read back from JSON.

use std::borrow::Cow;
use std::fmt::Write;

use sha2::{Digest, Sha256};

use super::class::{ClassReport, StudentSubmission};
use super::escape::{self, visible_block, visible_line};
use super::model::{CaseDetails, CaseReport, LoadError, NotRun, Status, SubmissionReport};
use super::overview::{BUCKETS, Catch, Overview};
use crate::grade::growth::Measurement;
use crate::words;

/// How many of the cases that catch students are listed.
pub const CATCHES_SHOWN: usize = 20;

/// The page's only style sheet, inlined (its hash is in the page's policy).
const STYLE: &str = include_str!("html.css");

/// The page for a class.
pub fn render(class: &ClassReport) -> String {
    let overview = Overview::of(class);
    let mut out = String::with_capacity(16 * 1024 + class.submissions.len() * 1024);
    head(&mut out, class);
    out.push_str("<body>\n");
    header(&mut out, class, &overview);
    out.push_str("<main>\n<div class=\"overview\">\n");
    scores(&mut out, &overview);
    pass_rates(&mut out, &overview);
    out.push_str("</div>\n");
    grid(&mut out, class, &overview);
    catches(&mut out, &overview);
    submissions(&mut out, class);
    not_graded(&mut out, class);
    out.push_str("</main>\n");
    let _ = writeln!(
        out,
        "<footer>Written by kata {}. Hidden cases show their verdict only.</footer>",
        env!("CARGO_PKG_VERSION")
    );
    out.push_str("</body>\n</html>\n");
    out
}

/// The Content-Security-Policy: nothing may load or run; only the page's own style sheet
/// applies (by its hash, so an injected `<style>` or `style` attribute would not).
fn content_security_policy() -> String {
    let digest = Sha256::digest(STYLE.as_bytes());
    format!(
        "default-src 'none'; style-src 'sha256-{}'; base-uri 'none'; form-action 'none'",
        base64(&digest)
    )
}

fn head(out: &mut String, class: &ClassReport) {
    let title = match &class.shard {
        Some(shard) => format!("kata: class report (shard {})", line(shard)),
        None => "kata: class report".to_string(),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n",
        content_security_policy()
    );
}

fn header(out: &mut String, class: &ClassReport, overview: &Overview<'_>) {
    let summary = &class.summary;
    out.push_str("<header>\n<h1>Class report</h1>\n<p>");
    if let Some(shard) = &class.shard {
        let _ = write!(out, "Shard {} of the class. ", line(shard));
    }
    let _ = write!(
        out,
        "{}, {}: <strong>{} passed</strong>, {} failed",
        words::count(overview.students.len(), "student", "students"),
        words::count(summary.submissions, "submission", "submissions"),
        summary.passed,
        summary.failed,
    );
    if summary.errors > 0 {
        let _ = write!(
            out,
            ", {} on kata's own error",
            words::count(summary.errors, "submission", "submissions")
        );
    }
    let _ = write!(
        out,
        "; {}/{} points; graded in the {}.",
        summary.points,
        summary.max_points,
        line(&class.sandboxes())
    );
    if !class.problems.is_empty() {
        let _ = write!(
            out,
            " <a href=\"#not-graded\">{} not graded</a>.",
            words::count(class.problems.len(), "file", "files")
        );
    }
    out.push_str("</p>\n<p class=\"legend\">");
    for (status, label) in [
        ("pass", "✓ pass: every case accepted"),
        ("fail", "✗ fail: some case not accepted"),
        ("error", "⚠ error: kata itself failed"),
        ("missing", "– missing: not handed in"),
    ] {
        let _ = write!(out, "<span class=\"{status}\">{label}</span>");
    }
    out.push_str(
        "</p>\n<nav><a href=\"#scores\">Scores</a><a href=\"#exercises\">Exercises</a>\
        <a href=\"#grid\">Students × exercises</a><a href=\"#catches\">Cases that catch the most \
        students</a><a href=\"#submissions\">Submissions</a>",
    );
    if !class.problems.is_empty() {
        out.push_str("<a href=\"#not-graded\">Not graded</a>");
    }
    out.push_str("</nav>\n</header>\n");
}

/// How many students scored in each band, highest band first.
fn scores(out: &mut String, overview: &Overview<'_>) {
    out.push_str("<section id=\"scores\">\n<h2>Scores</h2>\n");
    if overview.students.is_empty() {
        out.push_str("<p class=\"note\">No submissions.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"note\">Each student's points out of {} (every exercise in the class; a \
         missing submission scores 0).</p>",
        overview.max_points
    );
    out.push_str(
        "<table class=\"distribution\">\n<thead><tr><th scope=\"col\">score</th>\
         <th scope=\"col\" class=\"num\">students</th><th scope=\"col\"></th></tr></thead>\n\
         <tbody>\n",
    );
    let most = overview.distribution.iter().copied().max().unwrap_or(0);
    for band in (0..BUCKETS).rev() {
        let range = if band == BUCKETS - 1 {
            "100 %".to_string()
        } else {
            format!("{}–{} %", band * 10, band * 10 + 9)
        };
        let count = overview.distribution[band];
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{range}</th><td class=\"num\">{count}</td><td class=\"bar\">{}</td></tr>",
            bar(count as u64, most as u64)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn pass_rates(out: &mut String, overview: &Overview<'_>) {
    out.push_str("<section id=\"exercises\">\n<h2>Pass rate per exercise</h2>\n");
    if overview.exercises.is_empty() {
        out.push_str("<p class=\"note\">No submissions.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<table class=\"exercises\">\n<thead><tr><th scope=\"col\">exercise</th>\
         <th scope=\"col\" class=\"num\">passed</th><th scope=\"col\" class=\"num\">rate</th>\
         <th scope=\"col\"></th><th scope=\"col\" class=\"num\">mean</th></tr></thead>\n\
         <tbody>\n",
    );
    for exercise in &overview.exercises {
        let mean = if exercise.submitted == 0 {
            0.0
        } else {
            exercise.points as f64 / exercise.submitted as f64
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><span class=\"id\">{}</span><br><span class=\"note\">{}</span></th>\
             <td class=\"num\">{} of {}</td><td class=\"num\">{} %</td><td class=\"bar\">{}</td>\
             <td class=\"num\">{mean:.1}<br>of {}</td></tr>",
            line(exercise.id),
            line(exercise.title),
            exercise.passed,
            exercise.submitted,
            exercise.pass_percent(),
            bar(exercise.passed as u64, exercise.submitted as u64),
            exercise.max_points
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn grid(out: &mut String, class: &ClassReport, overview: &Overview<'_>) {
    out.push_str("<section id=\"grid\">\n<h2>Students × exercises</h2>\n");
    if overview.students.is_empty() {
        out.push_str("<p class=\"note\">No submissions.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<p class=\"note\">Each cell links to the submission and its failing cases.</p>\n\
         <div class=\"scroll\">\n<table class=\"grid\">\n<thead><tr><th scope=\"col\">student</th>",
    );
    for exercise in &overview.exercises {
        let _ = write!(out, "<th scope=\"col\">{}</th>", line(exercise.id));
    }
    out.push_str("<th scope=\"col\" class=\"num\">points</th></tr></thead>\n<tbody>\n");
    for row in &overview.students {
        let _ = write!(
            out,
            "<tr class=\"student\"><th scope=\"row\">{}</th>",
            line(row.student)
        );
        for cell in &row.cells {
            match cell {
                Some(index) => {
                    let report = &class.submissions[*index].report;
                    let (status, _) = status_word(report.status);
                    let _ = write!(
                        out,
                        "<td class=\"{status}\"><a href=\"#s{index}\">{}<span class=\"pts\">{}/{}</span></a></td>",
                        outcome(report),
                        report.points,
                        report.max_points
                    );
                }
                None => out.push_str("<td class=\"missing\">– missing</td>"),
            }
        }
        let _ = writeln!(
            out,
            "<td class=\"num\">{}/{}<span class=\"pts\">{} %</span></td></tr>",
            row.points, overview.max_points, row.percent
        );
    }
    out.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

fn catches(out: &mut String, overview: &Overview<'_>) {
    out.push_str("<section id=\"catches\">\n<h2>Cases that catch the most students</h2>\n");
    if overview.catches.is_empty() {
        out.push_str("<p class=\"note\">No case failed any submission.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<table class=\"catches\">\n<thead><tr><th scope=\"col\">case</th>\
         <th scope=\"col\">exercise</th><th scope=\"col\" class=\"num\">students caught</th>\
         <th scope=\"col\">verdicts</th></tr></thead>\n<tbody>\n",
    );
    for catch in overview.catches.iter().take(CATCHES_SHOWN) {
        let _ = writeln!(
            out,
            "<tr><td>{}{}</td><td>{}</td><td class=\"num\">{} of {}</td><td>{}</td></tr>",
            line(catch.case),
            if catch.hidden {
                " <span class=\"hidden-case\">hidden</span>"
            } else {
                ""
            },
            line(catch.exercise),
            catch.caught,
            catch.ran,
            verdict_counts(catch)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    let more = overview.catches.len().saturating_sub(CATCHES_SHOWN);
    if more > 0 {
        let _ = writeln!(
            out,
            "<p class=\"note\">{} more caught some student; each submission below lists its \
             failing cases.</p>",
            words::count(more, "case", "cases")
        );
    }
    out.push_str("</section>\n");
}

fn verdict_counts(catch: &Catch<'_>) -> String {
    catch
        .verdicts
        .iter()
        .map(|(verdict, count)| format!("{} ({count})", verdict.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn submissions(out: &mut String, class: &ClassReport) {
    out.push_str("<section id=\"submissions\">\n<h2>Submissions</h2>\n");
    if class.submissions.is_empty() {
        out.push_str("<p class=\"note\">No submissions.</p>\n");
    }
    // Submissions are sorted by student; a heading starts each student's.
    let mut previous: Option<&str> = None;
    for (index, submission) in class.submissions.iter().enumerate() {
        if previous != Some(submission.student.as_str()) {
            let _ = writeln!(out, "<h3>{}</h3>", line(&submission.student));
            previous = Some(&submission.student);
        }
        article(out, index, submission);
    }
    out.push_str("</section>\n");
}

fn article(out: &mut String, index: usize, submission: &StudentSubmission) {
    let report = &submission.report;
    let (status, _) = status_word(report.status);
    let _ = writeln!(
        out,
        "<article id=\"s{index}\" class=\"{status}\">\n<h4><span class=\"badge {status}\">{}</span> \
         {} <span class=\"note\">{}</span> · {}/{} points</h4>",
        outcome(report),
        line(&report.exercise),
        line(&report.title),
        report.points,
        report.max_points
    );
    let cases = report.cases.len();
    let _ = write!(out, "<p class=\"note\">");
    if let Some(file) = &report.file {
        let _ = write!(out, "{} · ", line(file));
    }
    let passed = report
        .cases
        .iter()
        .filter(|c| c.verdict.is_accepted())
        .count();
    let _ = writeln!(
        out,
        "{passed} of {} passed · {} sandbox</p>",
        words::count(cases, "case", "cases"),
        line(&report.sandbox)
    );
    if let Some(error) = &report.load_error {
        load_error(out, error);
    }
    // Cases that ran and failed, one by one; those that did not run, counted by the reason.
    let failing: Vec<&CaseReport> = report
        .cases
        .iter()
        .filter(|case| !case.verdict.is_accepted() && case.not_run.is_none())
        .collect();
    let mut not_run: Vec<(NotRun, usize)> = Vec::new();
    for reason in report.cases.iter().filter_map(|case| case.not_run) {
        match not_run.iter_mut().find(|(seen, _)| *seen == reason) {
            Some((_, count)) => *count += 1,
            None => not_run.push((reason, 1)),
        }
    }
    if !failing.is_empty() || !not_run.is_empty() {
        out.push_str("<ul class=\"cases\">\n");
        for case in failing {
            case_item(out, case);
        }
        for (reason, count) in not_run {
            let _ = writeln!(
                out,
                "<li class=\"note\">{} not run: {}</li>",
                words::count(count, "case", "cases"),
                reason.explain()
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</article>\n");
}

/// Why the submission did not load, said once: the exception and where, with its traceback a
/// click away.
fn load_error(out: &mut String, error: &LoadError) {
    let place = match (error.line, error.column) {
        (Some(line), Some(column)) => format!(" (line {line}, column {column})"),
        (Some(line), None) => format!(" (line {line})"),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "<p class=\"load-error\"><strong>Did not load:</strong> {}{place}</p>",
        block(&error.message)
    );
    if let Some(traceback) = &error.traceback {
        let _ = writeln!(
            out,
            "<details><summary>traceback</summary><pre>{}</pre></details>",
            block(traceback)
        );
    }
}

/// A case that was not accepted: a visible one opens onto what went wrong; a hidden one says
/// its verdict and nothing more.
fn case_item(out: &mut String, case: &CaseReport) {
    let class = if case.status == Status::Error {
        "verdict error"
    } else {
        "verdict"
    };
    let mark = if case.status == Status::Error {
        "⚠"
    } else {
        "✗"
    };
    let verdict = format!(
        "<span class=\"{class}\">{mark} {}</span>",
        case.verdict.label()
    );
    // A report read back from JSON has empty details where the model had none.
    match (&case.details, case.hidden) {
        (Some(details), false) if *details != CaseDetails::default() => {
            let _ = writeln!(
                out,
                "<li><details><summary>{verdict} {}</summary>",
                line(&case.name)
            );
            case_details(out, details, case.growth.as_ref());
            out.push_str("</details></li>\n");
        }
        _ => {
            let _ = writeln!(
                out,
                "<li>{verdict} {}{}</li>",
                line(&case.name),
                if case.hidden {
                    " <span class=\"hidden-case\">hidden case: verdict only</span>"
                } else {
                    ""
                }
            );
        }
    }
}

fn case_details(out: &mut String, details: &CaseDetails, growth: Option<&Measurement>) {
    out.push_str("<dl>\n");
    if let Some(message) = &details.message {
        let _ = writeln!(
            out,
            "<dt>what went wrong</dt><dd class=\"message\">{}</dd>",
            block(message)
        );
    }
    if let Some(growth) = growth {
        let _ = writeln!(
            out,
            "<dt>growth</dt><dd>{}<br>{}</dd>",
            line(&super::growth::summary(growth)),
            super::growth::svg(growth)
        );
    }
    if let Some(input) = &details.input {
        let _ = writeln!(out, "<dt>input</dt><dd><pre>{}</pre></dd>", block(input));
    }
    match &details.diff {
        Some(diff) => {
            out.push_str(
                "<dt>diff <span class=\"note\">(- expected, + actual)</span></dt><dd><pre>",
            );
            for text in diff.lines() {
                let kind = if text.starts_with("- ") {
                    "exp"
                } else if text.starts_with("+ ") {
                    "act"
                } else {
                    ""
                };
                // The line breaks stay in the text, so that a copied diff keeps its lines.
                if kind.is_empty() {
                    let _ = writeln!(out, "{}", block(text));
                } else {
                    let _ = writeln!(out, "<span class=\"{kind}\">{}</span>", block(text));
                }
            }
            out.push_str("</pre></dd>\n");
        }
        None => {
            for (label, text) in [("expected", &details.expected), ("actual", &details.actual)] {
                if let Some(text) = text {
                    let _ = writeln!(out, "<dt>{label}</dt><dd><pre>{}</pre></dd>", block(text));
                }
            }
        }
    }
    if details.whitespace_only {
        out.push_str("<dt>note</dt><dd>only whitespace differs</dd>\n");
    }
    let labelled = [
        ("note", &details.note),
        ("traceback", &details.traceback),
        ("printed (stdout)", &details.stdout),
        ("stderr", &details.stderr),
    ];
    for (label, text) in labelled {
        if let Some(text) = text {
            let _ = writeln!(out, "<dt>{label}</dt><dd><pre>{}</pre></dd>", block(text));
        }
    }
    out.push_str("</dl>\n");
}

fn not_graded(out: &mut String, class: &ClassReport) {
    if class.problems.is_empty() {
        return;
    }
    out.push_str(
        "<section id=\"not-graded\">\n<h2>Not graded</h2>\n<table>\n<thead><tr>\
         <th scope=\"col\">file</th><th scope=\"col\">why</th></tr></thead>\n<tbody>\n",
    );
    for problem in &class.problems {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>",
            line(&problem.path),
            line(&problem.message)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// A status's CSS class and mark.
fn status_word(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Pass => ("pass", "✓"),
        Status::Fail => ("fail", "✗"),
        Status::Error => ("error", "⚠"),
    }
}

/// A submission's outcome in words: `✓ pass`, `✗ did not load`, or the mark and the verdict
/// that failed it.
fn outcome(report: &SubmissionReport) -> String {
    let (word, mark) = status_word(report.status);
    match report.status {
        Status::Pass => format!("{mark} {word}"),
        _ if report.load_error.is_some() => format!("{mark} did not load"),
        _ => format!("{mark} {}", report.verdict.label()),
    }
}

/// A horizontal bar, `part` of `whole` long, drawn in SVG so that it needs no style attribute.
/// Decorative: the figure is always written next to it.
fn bar(part: u64, whole: u64) -> String {
    let width = if whole == 0 {
        0.0
    } else {
        part.min(whole) as f64 * 100.0 / whole as f64
    };
    format!(
        "<svg class=\"bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" \
         aria-hidden=\"true\"><rect width=\"{width:.1}\" height=\"10\"/></svg>"
    )
}

/// One line of report text for HTML: controls shown, markup escaped.
fn line(text: &str) -> String {
    into_html(visible_line(text))
}

/// Report text over several lines, for HTML.
fn block(text: &str) -> String {
    into_html(visible_block(text))
}

fn into_html(text: Cow<'_, str>) -> String {
    escape::html(&text).into_owned()
}

/// Standard base64, padded (for the CSP hash; not worth a dependency).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classroom::Problem;
    use crate::grade::Verdict;
    use crate::report::fixtures;
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
}
