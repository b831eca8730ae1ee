//! A growth case's checked table: the sizes to measure at and the growth rate allowed.

/// A checked growth case: where to measure, and what it may cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Growth {
    /// The case's call, an expression of `n`. A growth table exists only for a `call` case, and
    /// holding the call here says so in the type: whoever runs the sizes needs nothing else.
    pub call: String,
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
