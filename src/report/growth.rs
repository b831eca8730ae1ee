//! A growth case's measurement for people: one line for the formats with little room, a small
//! log-scale bar plot for the terminal and an inline SVG for HTML.
//!
//! Nothing here is student-controlled text (sizes, costs and the exercise's class), but a report
//! read back from a file could carry anything in `allows`, so it is escaped like the rest.

use std::fmt::Write as _;

use super::escape::visible_line;
use crate::grade::growth::{Counter, Measurement, Point};
use crate::units;
use crate::units::thousands;

/// The longest bar of the terminal plot, in columns.
const BAR_COLUMNS: f64 = 24.0;

/// One line: how the cost grew and what was allowed, e.g. `cost grows like n^2.0 between
/// n = 500 and n = 4,000 (cpu-time); allowed: n (up to n^1.5)`.
pub fn summary(growth: &Measurement) -> String {
    let allows = visible_line(&growth.allows);
    let counter = growth.counter.as_str();
    match (growth.exponent, growth.range, growth.allowed_exponent) {
        (Some(exponent), Some((low, high)), Some(allowed)) => format!(
            "cost grows like {}n^{exponent:.1} between n = {} and n = {} ({counter}); \
             allowed: {allows} (up to n^{allowed:.1})",
            if growth.lower_bound { "at least " } else { "" },
            thousands(low),
            thousands(high),
        ),
        _ => format!("too cheap to measure at these sizes ({counter}); allowed: {allows}"),
    }
}

/// A cost in its counter's unit, for people.
pub fn cost(counter: Counter, cost: u64) -> String {
    match counter {
        Counter::Fuel => units::fuel(cost),
        Counter::CpuTime if cost >= 100_000 => format!("{} ms CPU", cost / 1_000),
        Counter::CpuTime => format!("{:.1} ms CPU", cost as f64 / 1_000.0),
    }
}

/// Every point to plot: the finished sizes, then the one stopped by the limit (whose cost is
/// not known, only that it reached the limit).
fn plotted(growth: &Measurement) -> Vec<(Point, bool)> {
    let mut points: Vec<(Point, bool)> = growth.points.iter().map(|p| (*p, false)).collect();
    if let Some(n) = growth.limit_at {
        let top = growth.points.iter().map(|p| p.cost).max().unwrap_or(1);
        points.push((Point { n, cost: top }, true));
    }
    points
}

/// Where `cost` falls between the smallest and the largest, on a log scale, from 0 to 1.
fn scale(cost: u64, low: u64, high: u64) -> f64 {
    let (cost, low, high) = (cost.max(1) as f64, low.max(1) as f64, high.max(1) as f64);
    if high <= low {
        return 1.0;
    }
    ((cost / low).ln() / (high / low).ln()).clamp(0.0, 1.0)
}

/// The terminal plot: a title line, then one bar per size (log scale), indented by `indent`.
pub fn bars(growth: &Measurement, indent: &str) -> Vec<String> {
    let fitted = match (growth.exponent, growth.allowed_exponent) {
        (Some(exponent), Some(allowed)) => format!(
            "{}n^{exponent:.1}, allowed up to n^{allowed:.1} ({})",
            if growth.lower_bound { "at least " } else { "" },
            visible_line(&growth.allows)
        ),
        _ => "too cheap to measure at these sizes".to_string(),
    };
    let mut lines = vec![format!(
        "{indent}cost ({}, log scale): {fitted}",
        growth.counter.as_str()
    )];
    let points = plotted(growth);
    let costs = || growth.points.iter().map(|p| p.cost.max(1));
    let (low, high) = (
        costs().min().unwrap_or(1),
        costs().max().unwrap_or(1).max(1),
    );
    let width = points
        .iter()
        .map(|(p, _)| thousands(p.n).len())
        .max()
        .unwrap_or(1);
    for (point, stopped) in points {
        let label = format!("{:>width$}", thousands(point.n));
        if stopped {
            lines.push(format!(
                "{indent}  n = {label} {} time limit",
                "▶".repeat(BAR_COLUMNS as usize + 2)
            ));
            continue;
        }
        let columns = 1 + (scale(point.cost, low, high) * BAR_COLUMNS).round() as usize;
        lines.push(format!(
            "{indent}  n = {label} {} {}",
            "█".repeat(columns),
            cost(growth.counter, point.cost)
        ));
    }
    lines
}

/// A small inline SVG: cost against `n`, both on log scales, one dot per size (a hollow one
/// for the size stopped by the limit). Only numbers go into it; its colours come from the
/// page's style sheet (`svg.growth`), as the page allows no style attributes. Decorative: the
/// summary is written next to it, and each dot's figure is in its tooltip.
pub fn svg(growth: &Measurement) -> String {
    const WIDTH: f64 = 240.0;
    const HEIGHT: f64 = 100.0;
    const PAD: f64 = 8.0;
    let points = plotted(growth);
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return String::new();
    };
    let costs = || points.iter().map(|(p, _)| p.cost.max(1));
    let (low, high) = (costs().min().unwrap_or(1), costs().max().unwrap_or(1));
    let place = |point: &Point| {
        let x = PAD + scale(point.n, first.0.n, last.0.n) * (WIDTH - 2.0 * PAD);
        let y = HEIGHT - PAD - scale(point.cost, low, high) * (HEIGHT - 2.0 * PAD);
        (x, y)
    };
    let mut out = format!(
        "<svg class=\"growth\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" \
         height=\"{HEIGHT}\" aria-hidden=\"true\">"
    );
    let line: Vec<String> = points
        .iter()
        .filter(|(_, stopped)| !stopped)
        .map(|(point, _)| {
            let (x, y) = place(point);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ = write!(out, "<polyline points=\"{}\"/>", line.join(" "));
    for (point, stopped) in &points {
        let (x, y) = place(point);
        let (class, figure) = if *stopped {
            (
                " class=\"stopped\"",
                "stopped by the time limit".to_string(),
            )
        } else {
            ("", cost(growth.counter, point.cost))
        };
        let _ = write!(
            out,
            "<circle{class} cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\"><title>n = {}: {figure}</title></circle>",
            thousands(point.n),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(lower_bound: bool, limit_at: Option<u64>) -> Measurement {
        Measurement {
            counter: Counter::CpuTime,
            allows: "n".into(),
            exponent: Some(2.04),
            lower_bound,
            allowed_exponent: Some(1.5),
            range: Some((500, 4_000)),
            points: [
                (500, 2_600),
                (1_000, 10_100),
                (2_000, 40_300),
                (4_000, 172_000),
            ]
            .map(|(n, cost)| Point { n, cost })
            .to_vec(),
            limit_at,
        }
    }

    #[test]
    fn the_summary_names_the_exponent_the_range_and_the_allowance() {
        assert_eq!(
            summary(&measured(false, None)),
            "cost grows like n^2.0 between n = 500 and n = 4,000 (cpu-time); allowed: n (up to n^1.5)"
        );
        assert!(summary(&measured(true, Some(8_000))).contains("like at least n^2.0"));
        let cheap = Measurement {
            exponent: None,
            range: None,
            allowed_exponent: None,
            ..measured(false, None)
        };
        assert_eq!(
            summary(&cheap),
            "too cheap to measure at these sizes (cpu-time); allowed: n"
        );
    }

    #[test]
    fn bars_grow_on_a_log_scale_and_a_stopped_size_says_so() {
        let lines = bars(&measured(false, Some(8_000)), "");
        assert_eq!(lines.len(), 6);
        assert_eq!(
            lines[0],
            "cost (cpu-time, log scale): n^2.0, allowed up to n^1.5 (n)"
        );
        assert_eq!(lines[1], "  n =   500 █ 2.6 ms CPU");
        assert_eq!(
            lines[4],
            format!("  n = 4,000 {} 172 ms CPU", "█".repeat(25))
        );
        assert!(lines[5].starts_with("  n = 8,000 ▶") && lines[5].ends_with("time limit"));
        let widths: Vec<usize> = lines[1..5]
            .iter()
            .map(|line| line.matches('█').count())
            .collect();
        assert!(widths.windows(2).all(|w| w[0] < w[1]), "{widths:?}");
    }

    #[test]
    fn the_svg_holds_one_dot_per_size_and_no_text_but_numbers() {
        let svg = svg(&measured(false, Some(8_000)));
        assert_eq!(svg.matches("<circle").count(), 5);
        assert_eq!(svg.matches("<circle class=\"stopped\"").count(), 1);
        assert!(svg.contains("<title>n = 8,000: stopped by the time limit</title>"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("style=") && !svg.contains("fill="));
    }
}
