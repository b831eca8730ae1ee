//! Judging a growth case by how its cost grows with `n`: pure functions over the measured
//! points, so the same points give the same verdict everywhere.
//!
//! The exponent is the least-squares slope of `ln cost` over `ln n`, on the sizes whose cost is
//! above the counter's floor (cheaper ones are mostly noise). When a size ran into the time
//! limit after a measured one, the cost there was at least what the limit allowed, which bounds
//! the growth from below; the larger of fit and bound is the exponent. It may exceed the
//! allowed class's own exponent over the same range by [`SLACK`].

use serde::{Deserialize, Serialize};

use crate::exercise::GrowthClass;
use crate::runner::Usage;
use crate::runner::wasm_budget::FUEL_PER_CPU_MS;
use crate::units::thousands;

/// How much faster than the allowed class a cost may seem to grow: covers noise, caches and the
/// interpreter's own constant-factor changes with size, and is far below the gap of 1 between
/// neighbouring polynomial classes.
pub const SLACK: f64 = 0.5;

/// Below this much CPU time a run's cost is too small to measure reliably, in microseconds.
pub const CPU_FLOOR_MICROS: u64 = 5_000;
/// Below this much fuel (about a millisecond of native work) a run's cost is too small to tell
/// from the harness's own bookkeeping.
pub const FUEL_FLOOR: u64 = FUEL_PER_CPU_MS;

/// What a growth case's cost was counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Counter {
    /// The wasm sandbox's fuel: exact, the same on every run.
    Fuel,
    /// CPU time in microseconds, the least of a few runs (noise only ever adds).
    CpuTime,
}

impl Counter {
    pub fn as_str(self) -> &'static str {
        match self {
            Counter::Fuel => "fuel",
            Counter::CpuTime => "cpu-time",
        }
    }

    /// The least cost that is fitted.
    pub fn floor(self) -> u64 {
        match self {
            Counter::Fuel => FUEL_FLOOR,
            Counter::CpuTime => CPU_FLOOR_MICROS,
        }
    }

    /// Runs per size: fuel is exact, CPU time is the minimum of three.
    pub fn repetitions(self) -> usize {
        match self {
            Counter::Fuel => 1,
            Counter::CpuTime => 3,
        }
    }

    /// The counter a run's usage offers (fuel when there is any), and its reading.
    pub fn read(usage: &Usage) -> Option<(Counter, u64)> {
        match (usage.fuel, usage.cpu) {
            (Some(fuel), _) => Some((Counter::Fuel, fuel)),
            (None, Some(cpu)) => Some((
                Counter::CpuTime,
                u64::try_from(cpu.as_micros()).unwrap_or(u64::MAX),
            )),
            (None, None) => None,
        }
    }
}

/// One size's cost, with the baseline taken off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    pub n: u64,
    /// In the counter's unit: fuel, or microseconds of CPU.
    pub cost: u64,
}

/// What was measured of a growth case and what the fit made of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    pub counter: Counter,
    /// The growth class the exercise allows, as written (`n log n`).
    pub allows: String,
    /// How fast the cost grows (`n^exponent`); absent when too few sizes cost enough to fit.
    pub exponent: Option<f64>,
    /// The exponent is a lower bound from a size that hit the time limit.
    #[serde(default)]
    pub lower_bound: bool,
    /// The most the exponent may be over the fitted range: the class's own, plus the slack.
    pub allowed_exponent: Option<f64>,
    /// The range of `n` the exponent describes.
    pub range: Option<(u64, u64)>,
    /// Every size that finished, in order.
    pub points: Vec<Point>,
    /// The size that ran into the time limit, if one did.
    pub limit_at: Option<u64>,
}

/// The judgement: the measurement, and why the case fails when its growth is too fast.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub measurement: Measurement,
    /// Set when the cost grows faster than allowed: the message for the learner.
    pub too_fast: Option<String>,
}

/// Judges the points of one growth case. `limit` is the size that hit the CPU or fuel limit, if
/// one did, with what it had cost when it was stopped.
pub fn assess(
    counter: Counter,
    allows: GrowthClass,
    points: &[Point],
    limit: Option<Point>,
) -> Assessment {
    let measured: Vec<Point> = points
        .iter()
        .copied()
        .filter(|point| point.cost >= counter.floor())
        .collect();
    let fit = fit_exponent(&measured);
    let (first, last) = (measured.first().copied(), measured.last().copied());
    let bound = match (last, limit) {
        (Some(last), Some(limit)) => lower_bound(last, limit),
        _ => None,
    };
    let (exponent, lower_bound, range) = match (fit, bound, first.zip(last), limit) {
        (_, Some(bound), Some((_, last)), Some(limit)) if fit.is_none_or(|fit| bound > fit) => {
            (Some(bound), true, Some((last.n, limit.n)))
        }
        (Some(fit), _, Some((first, last)), _) => (Some(fit), false, Some((first.n, last.n))),
        _ => (None, false, None),
    };
    let allowed_exponent =
        range.map(|(low, high)| allows.effective_exponent(low as f64, high as f64) + SLACK);
    let too_fast = match (exponent, allowed_exponent, range) {
        (Some(exponent), Some(allowed), Some((low, high))) if exponent > allowed => {
            let at_least = if lower_bound { "at least " } else { "" };
            let why = if lower_bound {
                format!(
                    "{}; the run at n = {} hit the time limit",
                    counter.as_str(),
                    thousands(high)
                )
            } else {
                counter.as_str().to_string()
            };
            Some(format!(
                "cost grows like {at_least}n^{exponent:.1} between n = {} and n = {} ({why}); \
                 this exercise asks for {} or better",
                thousands(low),
                thousands(high),
                allows.as_str()
            ))
        }
        _ => None,
    };
    Assessment {
        measurement: Measurement {
            counter,
            allows: allows.as_str().to_string(),
            exponent,
            lower_bound,
            allowed_exponent,
            range,
            points: points.to_vec(),
            limit_at: limit.map(|point| point.n),
        },
        too_fast,
    }
}

/// The least-squares slope of `ln cost` over `ln n`; `None` with fewer than two points.
pub fn fit_exponent(points: &[Point]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let logs: Vec<(f64, f64)> = points
        .iter()
        .map(|point| ((point.n as f64).ln(), (point.cost.max(1) as f64).ln()))
        .collect();
    let count = logs.len() as f64;
    let mean_x = logs.iter().map(|(x, _)| x).sum::<f64>() / count;
    let mean_y = logs.iter().map(|(_, y)| y).sum::<f64>() / count;
    let spread: f64 = logs.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    if spread <= 0.0 {
        return None;
    }
    let covariance: f64 = logs.iter().map(|(x, y)| (x - mean_x) * (y - mean_y)).sum();
    Some(covariance / spread)
}

/// The growth between the last measured size and a larger one stopped at the limit: the cost
/// there was at least `limit.cost`, so the exponent is at least this. `None` when nothing is
/// known of the stopped run's cost.
pub fn lower_bound(last: Point, limit: Point) -> Option<f64> {
    if limit.n <= last.n || last.cost == 0 || limit.cost == 0 {
        return None;
    }
    let ratio = limit.cost as f64 / last.cost as f64;
    Some(ratio.ln() / (limit.n as f64 / last.n as f64).ln())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn points(sizes: &[u64], cost: impl Fn(f64) -> f64) -> Vec<Point> {
        sizes
            .iter()
            .map(|&n| Point {
                n,
                cost: cost(n as f64) as u64,
            })
            .collect()
    }

    #[test]
    fn the_fit_recovers_a_power() {
        for k in [0.0, 1.0, 1.5, 2.0, 3.0] {
            let fitted = fit_exponent(&points(&[100, 200, 400, 800], |n| 1e4 * n.powf(k))).unwrap();
            assert!((fitted - k).abs() < 0.01, "{k} fitted as {fitted}");
        }
    }

    #[test]
    fn a_linear_cost_passes_n_and_a_quadratic_one_does_not() {
        let sizes = [1_000, 2_000, 4_000, 8_000, 16_000];
        let linear = assess(
            Counter::CpuTime,
            GrowthClass::Linear,
            &points(&sizes, |n| 10.0 * n),
            None,
        );
        assert_eq!(linear.too_fast, None);
        assert_eq!(linear.measurement.range, Some((1_000, 16_000)));
        let quadratic = assess(
            Counter::CpuTime,
            GrowthClass::Linearithmic,
            &points(&sizes, |n| 0.01 * n * n),
            None,
        );
        assert_eq!(
            quadratic.too_fast.as_deref(),
            Some(
                "cost grows like n^2.0 between n = 1,000 and n = 16,000 (cpu-time); this \
                 exercise asks for n log n or better"
            )
        );
        let allowed = quadratic.measurement.allowed_exponent.unwrap();
        assert!((allowed - 1.62).abs() < 0.005, "{allowed}");
    }

    #[test]
    fn sizes_below_the_floor_are_not_fitted() {
        // Only the last size costs enough: nothing to fit, so the case passes.
        let cheap = assess(
            Counter::CpuTime,
            GrowthClass::Linear,
            &[
                Point { n: 10, cost: 10 },
                Point { n: 20, cost: 400 },
                Point {
                    n: 40,
                    cost: 90_000,
                },
            ],
            None,
        );
        assert_eq!(cheap.measurement.exponent, None);
        assert_eq!(cheap.too_fast, None);
        let fuel = assess(
            Counter::Fuel,
            GrowthClass::Linear,
            &[
                Point { n: 10, cost: 1_000 },
                Point {
                    n: 20,
                    cost: 2 * FUEL_FLOOR,
                },
                Point {
                    n: 40,
                    cost: 4 * FUEL_FLOOR,
                },
            ],
            None,
        );
        assert_eq!(fuel.measurement.range, Some((20, 40)));
        assert!((fuel.measurement.exponent.unwrap() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_size_stopped_by_the_limit_bounds_the_growth_from_below() {
        let measured = [
            Point {
                n: 100,
                cost: 10_000,
            },
            Point {
                n: 200,
                cost: 80_000,
            },
        ];
        // 80 ms at 200, still running at 2 s at 400: at least 25x for 2x, n^4.6.
        let limit = Point {
            n: 400,
            cost: 2_000_000,
        };
        let judged = assess(
            Counter::CpuTime,
            GrowthClass::Quadratic,
            &measured,
            Some(limit),
        );
        let bound = lower_bound(measured[1], limit).unwrap();
        assert!((bound - 25f64.log2()).abs() < 1e-9);
        assert!(judged.measurement.lower_bound);
        assert_eq!(judged.measurement.exponent, Some(bound));
        assert_eq!(judged.measurement.range, Some((200, 400)));
        assert_eq!(
            judged.too_fast.as_deref(),
            Some(
                "cost grows like at least n^4.6 between n = 200 and n = 400 (cpu-time; the run \
                 at n = 400 hit the time limit); this exercise asks for n^2 or better"
            )
        );
        // A single measured size is enough for a bound.
        let one = assess(
            Counter::CpuTime,
            GrowthClass::Quadratic,
            &measured[1..],
            Some(limit),
        );
        assert!(one.too_fast.is_some());
        // A bound below the fit does not decide.
        let gentle = Point {
            n: 400,
            cost: 100_000,
        };
        let fitted = assess(
            Counter::CpuTime,
            GrowthClass::Cubic,
            &measured,
            Some(gentle),
        );
        assert!(!fitted.measurement.lower_bound);
        assert!((fitted.measurement.exponent.unwrap() - 3.0).abs() < 1e-9);
        assert_eq!(fitted.too_fast, None);
    }

    #[test]
    fn a_stopped_size_whose_cost_is_unknown_leaves_the_fit_to_decide() {
        let measured = points(&[100, 200], |n| n * n);
        let unknown = Point { n: 400, cost: 0 };
        let judged = assess(
            Counter::CpuTime,
            GrowthClass::Linear,
            &measured,
            Some(unknown),
        );
        assert!(!judged.measurement.lower_bound);
        assert_eq!(judged.measurement.limit_at, Some(400));
        assert!((judged.measurement.exponent.unwrap() - 2.0).abs() < 1e-9);
        assert!(judged.too_fast.is_some());
    }

    proptest! {
        #[test]
        fn the_fit_recovers_k_from_c_n_to_the_k(
            k in 0.0f64..3.2,
            c in 1.0f64..10.0,
            first in 50u64..1_000,
        ) {
            let sizes: Vec<u64> = (0..5).map(|i| first << i).collect();
            let fitted = fit_exponent(&points(&sizes, |n| c * 1e3 * n.powf(k))).unwrap();
            prop_assert!((fitted - k).abs() < 0.01, "{} fitted as {}", k, fitted);
        }

        /// ±20 % on every point never turns a linear cost into a rejection of `n`, nor lets a
        /// quadratic one pass it, over the narrowest spread a file may give.
        #[test]
        fn noise_does_not_flip_linear_against_quadratic(
            noise in proptest::collection::vec(0.8f64..1.2, 3..=8),
            first in 100u64..5_000,
            c in 1.0f64..100.0,
        ) {
            let count = noise.len();
            let sizes: Vec<u64> = (0..count as u64)
                .map(|i| first + first * 3 * i / (count as u64 - 1))
                .collect();
            for (k, passes) in [(1, true), (2, false)] {
                let noisy: Vec<Point> = sizes
                    .iter()
                    .zip(&noise)
                    .map(|(&n, factor)| Point {
                        n,
                        cost: (1e4 * c * (n as f64 / first as f64).powi(k) * factor) as u64,
                    })
                    .collect();
                let judged = assess(Counter::CpuTime, GrowthClass::Linear, &noisy, None);
                prop_assert_eq!(judged.too_fast.is_none(), passes, "k = {}: {:?}", k, judged);
            }
        }
    }
}
