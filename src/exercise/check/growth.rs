//! A growth case's table: `growth = { sizes = [...], allows = "..." }` on a `call` case, checked
//! into [`Growth`]. The fit that decides the verdict is in `grade::growth`.

use std::ops::Range;

use toml::Spanned;

use crate::exercise::code::Code;
use crate::exercise::diagnostic::Diagnostic;
use crate::exercise::field_names::closest;
use crate::exercise::manifest::RawGrowth;
use crate::exercise::model::{CaseInput, Growth, GrowthClass};

/// Checks a case's `growth` table; `case_span` is the case's name, where a misplaced table is
/// reported. Problems go to `problems`.
pub(super) fn check(
    raw: &Spanned<RawGrowth>,
    input: &CaseInput,
    problems: &mut Vec<Diagnostic>,
) -> Option<Growth> {
    let span: Range<usize> = raw.span();
    let raw = raw.get_ref();
    let CaseInput::Call { expr: call } = input else {
        problems.push(
            Diagnostic::error(
                Code::GrowthNotCall,
                span,
                format!("a `{}` case cannot have `growth`", input.kind()),
            )
            .with_help("only `call` cases can be grown: write the input as an expression of `n`"),
        );
        return None;
    };
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
                Code::UnknownGrowthClass,
                raw.allows.span(),
                format!("`{}` is not a growth class", raw.allows.get_ref()),
            )
            .with_help(help),
        );
    }
    Some(Growth {
        call: call.clone(),
        sizes: sizes?,
        allows: allows?,
    })
}

fn sizes(raw: &Spanned<Vec<Spanned<i64>>>, problems: &mut Vec<Diagnostic>) -> Option<Vec<u64>> {
    let count = raw.get_ref().len();
    if !(Growth::SIZES_MIN..=Growth::SIZES_MAX).contains(&count) {
        problems.push(
            Diagnostic::error(
                Code::GrowthSizeCount,
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
            problems.push(Diagnostic::error(
                Code::GrowthSizeNotPositive,
                size.span(),
                "a size must be positive",
            ));
            return None;
        };
        if value == 0 {
            problems.push(Diagnostic::error(
                Code::GrowthSizeNotPositive,
                size.span(),
                "a size must be positive",
            ));
            return None;
        }
        if let Some(&last) = sizes.last()
            && value <= last
        {
            problems.push(
                Diagnostic::error(
                    Code::GrowthSizesNotIncreasing,
                    size.span(),
                    format!("sizes must be strictly increasing, and {value} follows {last}"),
                )
                .with_help("list the sizes from smallest to largest, each once"),
            );
            return None;
        }
        sizes.push(value);
    }
    let (Some(&first), Some(&last)) = (sizes.first(), sizes.last()) else {
        return None;
    };
    if last < first.saturating_mul(Growth::SPREAD_MIN) {
        problems.push(
            Diagnostic::error(
                Code::GrowthSizesTooClose,
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
