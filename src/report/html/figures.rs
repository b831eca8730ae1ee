//! The class at a glance: the page's header with the totals, the distribution of scores, each
//! exercise's pass rate, the student × exercise grid and the cases that catch the most students.

use std::fmt::Write;

use super::CATCHES_SHOWN;
use super::markup::{bar, line, outcome, status_word};
use crate::report::class::ClassReport;
use crate::report::overview::{BUCKETS, Catch, Overview};
use crate::words;

pub(super) fn header(out: &mut String, class: &ClassReport, overview: &Overview<'_>) {
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
pub(super) fn scores(out: &mut String, overview: &Overview<'_>) {
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

pub(super) fn pass_rates(out: &mut String, overview: &Overview<'_>) {
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

pub(super) fn grid(out: &mut String, class: &ClassReport, overview: &Overview<'_>) {
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

pub(super) fn catches(out: &mut String, overview: &Overview<'_>) {
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
