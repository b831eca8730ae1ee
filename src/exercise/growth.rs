//! Growth cases: a `call` case run at several sizes `n`, judged by how its cost grows.
//!
//! This file holds the case's `growth = { sizes = [...], allows = "..." }` as written, its check
//! and the checked [`Growth`]; the fit that decides the verdict is in `grade::growth`.

use std::ops::Range;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use super::diagnostic::Diagnostic;
use super::load::closest;
use super::model::CaseInput;
use super::schema::GrowthClassName;

/// A case's `growth` table as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields, inline)]
pub struct RawGrowth {
    /// The values of `n` to run the case at: 3 to 8 positive integers, strictly increasing,
    /// the largest at least 4 times the smallest.
    #[schemars(with = "Vec<u64>", length(min = 3, max = 8))]
    pub sizes: Spanned<Vec<Spanned<i64>>>,
    /// The fastest growth of cost in `n` the exercise allows: `1`, `log n`, `n`, `n log n`,
    /// `n^2`, `n^2 log n` or `n^3`.
    #[schemars(with = "GrowthClassName")]
    pub allows: Spanned<String>,
}

/// A checked growth case: where to measure, and what it may cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Growth {
    /// Strictly increasing, 3 to 8 of them, the last at least 4 times the first.
    pub sizes: Vec<u64>,
    pub allows: GrowthClass,
}

impl Growth {
    pub const SIZES_MIN: usize = 3;
    pub const SIZES_MAX: usize = 8;
    /// How much larger the largest size must be than the smallest: less would make the fitted
    /// exponent mostly noise.
    pub const SPREAD_MIN: u64 = 4;

    /// The expression run at size `n`: the case's call with `n` bound to it, so that a call
    /// written `f(n)` needs no other machinery in the sandbox.
    pub fn expression(call: &str, n: u64) -> String {
        format!("(lambda n: {call})({n})")
    }

    /// The expression of the baseline run, which measures everything but the call itself.
    pub const BASELINE: &'static str = "None";
}

/// A growth rate an exercise allows: `n^power · (log n)^logs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GrowthClass {
    Constant,
    Log,
    Linear,
    Linearithmic,
    Quadratic,
    QuadraticLog,
    Cubic,
}

impl GrowthClass {
    pub const ALL: [GrowthClass; 7] = [
        GrowthClass::Constant,
        GrowthClass::Log,
        GrowthClass::Linear,
        GrowthClass::Linearithmic,
        GrowthClass::Quadratic,
        GrowthClass::QuadraticLog,
        GrowthClass::Cubic,
    ];

    /// The name as written in files and shown in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            GrowthClass::Constant => "1",
            GrowthClass::Log => "log n",
            GrowthClass::Linear => "n",
            GrowthClass::Linearithmic => "n log n",
            GrowthClass::Quadratic => "n^2",
            GrowthClass::QuadraticLog => "n^2 log n",
            GrowthClass::Cubic => "n^3",
        }
    }

    /// Reads a class name, forgiving spacing and `²`/`³` for `^2`/`^3`.
    pub fn parse(text: &str) -> Option<Self> {
        let normal = text
            .replace('²', "^2")
            .replace('³', "^3")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        Self::ALL.into_iter().find(|class| class.as_str() == normal)
    }

    /// `(power, logs)`: the class is `n^power · (log n)^logs`.
    fn shape(self) -> (i32, i32) {
        match self {
            GrowthClass::Constant => (0, 0),
            GrowthClass::Log => (0, 1),
            GrowthClass::Linear => (1, 0),
            GrowthClass::Linearithmic => (1, 1),
            GrowthClass::Quadratic => (2, 0),
            GrowthClass::QuadraticLog => (2, 1),
            GrowthClass::Cubic => (3, 0),
        }
    }

    /// The class's cost at `n`, up to a constant factor. `log n` is kept at least `ln 2` so that
    /// `n = 1` still has a positive cost.
    pub fn cost(self, n: f64) -> f64 {
        let (power, logs) = self.shape();
        n.powi(power) * n.ln().max(std::f64::consts::LN_2).powi(logs)
    }

    /// The exponent `k` such that `n^k` grows as much as this class between `low` and `high`:
    /// `n log n` between 1 000 and 16 000 is about 1.12.
    pub fn effective_exponent(self, low: f64, high: f64) -> f64 {
        if high <= low {
            return f64::from(self.shape().0);
        }
        (self.cost(high) / self.cost(low)).ln() / (high / low).ln()
    }
}

/// Checks a case's `growth` table; `case_span` is the case's name, where a misplaced table is
/// reported. Problems go to `problems`.
pub(super) fn check(
    raw: &Spanned<RawGrowth>,
    input: &CaseInput,
    problems: &mut Vec<Diagnostic>,
) -> Option<Growth> {
    let span: Range<usize> = raw.span();
    let raw = raw.get_ref();
    if !matches!(input, CaseInput::Call { .. }) {
        problems.push(
            Diagnostic::error(
                span,
                format!("a `{}` case cannot have `growth`", input.kind()),
            )
            .with_help("only `call` cases can be grown: write the input as an expression of `n`"),
        );
        return None;
    }
    let sizes = sizes(&raw.sizes, problems);
    let allows = GrowthClass::parse(raw.allows.get_ref());
    if allows.is_none() {
        let names: Vec<&str> = GrowthClass::ALL.iter().map(|c| c.as_str()).collect();
        // `nlogn` is closer to `log n` by edit distance; spacing is the likelier slip.
        let squashed = |text: &str| text.replace(' ', "").replace('²', "^2");
        let respaced = names
            .iter()
            .copied()
            .find(|name| squashed(name) == squashed(raw.allows.get_ref()));
        let help = match respaced.or_else(|| closest(raw.allows.get_ref(), &names)) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => format!("use one of: {}", names.join(", ")),
        };
        problems.push(
            Diagnostic::error(
                raw.allows.span(),
                format!("`{}` is not a growth class", raw.allows.get_ref()),
            )
            .with_help(help),
        );
    }
    Some(Growth {
        sizes: sizes?,
        allows: allows?,
    })
}

fn sizes(raw: &Spanned<Vec<Spanned<i64>>>, problems: &mut Vec<Diagnostic>) -> Option<Vec<u64>> {
    let count = raw.get_ref().len();
    if !(Growth::SIZES_MIN..=Growth::SIZES_MAX).contains(&count) {
        problems.push(
            Diagnostic::error(
                raw.span(),
                format!(
                    "`sizes` has {count} sizes; a growth case needs {} to {}",
                    Growth::SIZES_MIN,
                    Growth::SIZES_MAX
                ),
            )
            .with_help("for example `sizes = [100, 200, 400, 800]`"),
        );
        return None;
    }
    let mut sizes: Vec<u64> = Vec::with_capacity(count);
    for size in raw.get_ref() {
        let Ok(value) = u64::try_from(*size.get_ref()) else {
            problems.push(Diagnostic::error(size.span(), "a size must be positive"));
            return None;
        };
        if value == 0 {
            problems.push(Diagnostic::error(size.span(), "a size must be positive"));
            return None;
        }
        if let Some(&last) = sizes.last()
            && value <= last
        {
            problems.push(
                Diagnostic::error(
                    size.span(),
                    format!("sizes must be strictly increasing, and {value} follows {last}"),
                )
                .with_help("list the sizes from smallest to largest, each once"),
            );
            return None;
        }
        sizes.push(value);
    }
    let (first, last) = (sizes[0], sizes[count - 1]);
    if last < first.saturating_mul(Growth::SPREAD_MIN) {
        problems.push(
            Diagnostic::error(
                raw.span(),
                format!(
                    "the largest size ({last}) must be at least {} times the smallest ({first})",
                    Growth::SPREAD_MIN
                ),
            )
            .with_help("over a narrower range, growth cannot be told from noise"),
        );
        return None;
    }
    Some(sizes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_read_back_and_forgive_spacing() {
        for class in GrowthClass::ALL {
            assert_eq!(GrowthClass::parse(class.as_str()), Some(class));
        }
        assert_eq!(GrowthClass::parse("n²"), Some(GrowthClass::Quadratic));
        assert_eq!(
            GrowthClass::parse(" n  log n"),
            Some(GrowthClass::Linearithmic)
        );
        assert_eq!(GrowthClass::parse("n^4"), None);
    }

    #[test]
    fn effective_exponents_come_from_the_class_itself() {
        let close = |a: f64, b: f64| (a - b).abs() < 0.005;
        let n_log_n = GrowthClass::Linearithmic.effective_exponent(1_000.0, 16_000.0);
        assert!(close(n_log_n, 1.12), "{n_log_n}");
        for (class, k) in [
            (GrowthClass::Constant, 0.0),
            (GrowthClass::Linear, 1.0),
            (GrowthClass::Quadratic, 2.0),
            (GrowthClass::Cubic, 3.0),
        ] {
            assert!(
                close(class.effective_exponent(100.0, 800.0), k),
                "{class:?}"
            );
        }
        let log = GrowthClass::Log.effective_exponent(100.0, 800.0);
        assert!(log > 0.0 && log < 0.25, "{log}");
        let quadratic_log = GrowthClass::QuadraticLog.effective_exponent(100.0, 800.0);
        assert!(
            quadratic_log > 2.0 && quadratic_log < 2.25,
            "{quadratic_log}"
        );
    }
}
