//! A checked exercise: what the rest of kata works with.
//!
//! Everything here has been validated by [`super::load`]: names are unique, literals parse,
//! comparators fit their case kinds and limits are in range.

use std::time::Duration;

use super::allow::Allowance;
use super::snippet::Snippets;
use crate::value::Value;
use crate::verdict::Verdict;

/// The exercise format this kata reads (`format = 1`).
pub const FORMAT: i64 = 1;

/// One exercise, loaded from `<id>.toml`.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// The file stem, e.g. `lru-cache`.
    pub id: String,
    /// Where it was loaded from, for messages (`exercises/lru-cache.toml`).
    pub origin: String,
    pub title: String,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    /// One line: what solving it teaches.
    pub teaches: Option<String>,
    /// Where the question comes from.
    pub sources: Vec<String>,
    /// Markdown.
    pub prompt: String,
    pub starter: String,
    pub hints: Vec<String>,
    pub reference: String,
    pub requires: Vec<Capability>,
    pub support: Support,
    /// Its Python, with where each piece is in the file (for the syntax check).
    pub snippets: Snippets,
    /// Lint warnings it silences on purpose.
    pub allowed: Vec<Allowance>,
    pub cases: Vec<Case>,
    pub wrong_solutions: Vec<WrongSolution>,
    /// Mutants of the reference the author has shown to behave exactly like it.
    pub equivalent_mutants: Vec<EquivalentMutant>,
    /// The LeetCode problem this exercise corresponds to, if any (`[leetcode]`).
    pub leetcode: Option<LeetCode>,
}

impl Exercise {
    /// The file name `kata start` writes: the id with underscores, so Python can import it.
    pub fn file_name(&self) -> String {
        format!("{}.py", self.id.replace('-', "_"))
    }

    /// The most points a submission can get.
    pub fn max_points(&self) -> u32 {
        self.cases.iter().map(|case| case.points).sum()
    }

    pub fn case(&self, name: &str) -> Option<&Case> {
        self.cases.iter().find(|case| case.name == name)
    }
}

/// An exercise as authoring tools load it, before every case has its expected result.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The exercise, without the cases that have no `expect` yet.
    pub exercise: Exercise,
    /// The cases without `expect`, in file order.
    pub unrecorded: Vec<UnrecordedCase>,
}

/// A case whose expected result is still to be written (or recorded from the reference).
#[derive(Debug, Clone)]
pub struct UnrecordedCase {
    pub name: String,
    /// The 1-based line of the case's `name` in the exercise file.
    pub line: usize,
    pub input: CaseInput,
    pub limits: Limits,
    pub fixtures: Vec<Fixture>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == text)
    }
}

/// Something an exercise needs from the sandbox beyond pure computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capability {
    Threads,
    Processes,
    Subprocess,
    Sockets,
    /// An asyncio event loop (it needs a socket pair, which WASI does not have).
    Asyncio,
}

impl Capability {
    pub const ALL: [Capability; 5] = [
        Capability::Threads,
        Capability::Processes,
        Capability::Subprocess,
        Capability::Sockets,
        Capability::Asyncio,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Threads => "threads",
            Capability::Processes => "processes",
            Capability::Subprocess => "subprocess",
            Capability::Sockets => "sockets",
            Capability::Asyncio => "asyncio",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// Code the exercise provides inside the sandbox.
#[derive(Debug, Clone, Default)]
pub struct Support {
    /// Stock modules shipped in `sandbox/support/`, by name.
    pub modules: Vec<String>,
    /// Visible to the candidate as globals, and to the cases.
    pub code: String,
    /// Visible to the cases only.
    pub cases: String,
    /// How a submission written for LeetCode is called instead of kata's entry points.
    pub leetcode: Option<LeetCodeEntry>,
}

/// The LeetCode problem an exercise corresponds to: `[leetcode]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeetCode {
    /// LeetCode's problem number, e.g. 15.
    pub problem: u32,
    /// The problem's slug, e.g. `3sum`.
    pub slug: String,
    pub entry: LeetCodeEntry,
}

/// Which of LeetCode's names stand for kata's entry points. Every name is a Python identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeetCodeEntry {
    /// kata's functions, each with the method of LeetCode's `class Solution` it corresponds to.
    Solution { functions: Vec<(String, String)> },
    /// A design problem: kata's class, LeetCode's name for it, and the methods whose names
    /// differ (kata's name, LeetCode's).
    Design {
        class: String,
        leetcode_class: String,
        methods: Vec<(String, String)>,
    },
}

impl LeetCodeEntry {
    /// kata's entry-point names this maps.
    pub fn kata_names(&self) -> Vec<&str> {
        match self {
            LeetCodeEntry::Solution { functions } => {
                functions.iter().map(|(ours, _)| ours.as_str()).collect()
            }
            LeetCodeEntry::Design { class, .. } => vec![class.as_str()],
        }
    }
}

#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    /// The 1-based line of the case's `name` in the exercise file, for annotations.
    pub line: usize,
    pub input: CaseInput,
    pub expected: Expected,
    pub comparison: Comparison,
    /// Whether a list and a tuple holding the same items count as equal.
    pub sequences: Sequences,
    pub hidden: bool,
    pub points: u32,
    pub limits: Limits,
    /// What the working directory holds when the case starts.
    pub fixtures: Vec<Fixture>,
    /// Set for a growth case: the call is run at each size and judged by how its cost grows.
    pub growth: Option<Growth>,
}

impl Case {
    /// The most points one case may give.
    pub const POINTS_MAX: i64 = 1_000;
}

/// A file or directory placed in the sandbox's working directory before a case runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// Relative, normalised, never leaving the working directory.
    pub path: String,
    pub contents: FixtureContents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixtureContents {
    File(Vec<u8>),
    Directory,
}

/// What the sandbox runs for a case: the only part of a case that ever enters it.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseInput {
    /// A Python expression evaluated against the candidate's module.
    Call { expr: String },
    /// A class driven by method calls; `args` is the Python literal text of the argument lists.
    Ops { ops: Vec<String>, args: String },
    /// A snippet run after the candidate's code; its stdout is the result.
    Script { code: String },
    /// The candidate runs as the main program with this stdin; its stdout is the result.
    Stdin { text: String },
}

impl CaseInput {
    /// The kind's name as written in files and reports.
    pub fn kind(&self) -> &'static str {
        match self {
            CaseInput::Call { .. } => "call",
            CaseInput::Ops { .. } => "ops",
            CaseInput::Script { .. } => "script",
            CaseInput::Stdin { .. } => "stdin",
        }
    }

    /// Whether the result is a value (compared structurally) rather than printed text.
    pub fn returns_value(&self) -> bool {
        matches!(self, CaseInput::Call { .. } | CaseInput::Ops { .. })
    }
}

/// The expected result, parsed on the host.
#[derive(Debug, Clone)]
pub enum Expected {
    Value(Value),
    Text(String),
    /// Whatever the call returns: a growth case without `expect` is judged on its cost alone.
    Any,
}

/// How a result is compared with what was expected.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Comparison {
    Value(ValueComparator),
    Text(TextComparator),
}

impl Comparison {
    /// The name reports show, e.g. `unordered-deep` or `text (rstrip)`.
    pub fn describe(self) -> String {
        match self {
            Comparison::Value(ValueComparator::Float { abs_tol, rel_tol }) => {
                format!("float (abs {abs_tol:e}, rel {rel_tol:e})")
            }
            Comparison::Value(comparator) => comparator.name().to_string(),
            Comparison::Text(comparator) => format!("text ({})", comparator.name()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueComparator {
    /// Same types and same values (dicts and sets ignore order, as in Python).
    Exact,
    /// The top-level sequence is a multiset: any order of the same elements.
    Unordered,
    /// Every list and tuple, at every depth, may come in any order.
    UnorderedDeep,
    /// Floats (and ints against floats) equal within `math.isclose`-style tolerances.
    Float { abs_tol: f64, rel_tol: f64 },
}

impl ValueComparator {
    pub const NAMES: [&'static str; 4] = ["exact", "unordered", "unordered-deep", "float"];
    pub const DEFAULT_TOLERANCE: f64 = 1e-9;

    pub fn name(self) -> &'static str {
        match self {
            ValueComparator::Exact => "exact",
            ValueComparator::Unordered => "unordered",
            ValueComparator::UnorderedDeep => "unordered-deep",
            ValueComparator::Float { .. } => "float",
        }
    }
}

/// Whether lists and tuples are interchangeable in a returned value (`sequences = ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sequences {
    /// A list and a tuple differ, as in Python (the default).
    #[default]
    Typed,
    /// The returned value itself may be a list or a tuple; inside it, types must match.
    AnyTop,
    /// Lists and tuples are interchangeable at every depth.
    Any,
}

impl Sequences {
    pub const ALL: [Sequences; 3] = [Sequences::Typed, Sequences::AnyTop, Sequences::Any];

    pub fn as_str(self) -> &'static str {
        match self {
            Sequences::Typed => "typed",
            Sequences::AnyTop => "any-top",
            Sequences::Any => "any",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextComparator {
    /// Byte-for-byte (after decoding as UTF-8).
    Exact,
    /// Trailing whitespace on each line and trailing blank lines are ignored.
    Rstrip,
    /// Whitespace-separated tokens must match; spacing and line breaks are free.
    Tokens,
}

impl TextComparator {
    pub const NAMES: [&'static str; 3] = ["exact", "rstrip", "tokens"];

    pub fn name(self) -> &'static str {
        match self {
            TextComparator::Exact => "exact",
            TextComparator::Rstrip => "rstrip",
            TextComparator::Tokens => "tokens",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "exact" => Some(TextComparator::Exact),
            "rstrip" => Some(TextComparator::Rstrip),
            "tokens" => Some(TextComparator::Tokens),
            _ => None,
        }
    }
}

/// Resource limits for one run of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub cpu: Duration,
    pub wall: Duration,
    pub memory_bytes: u64,
    pub output_bytes: u64,
}

impl Limits {
    pub const DEFAULT_CPU_MS: u64 = 2_000;
    pub const DEFAULT_MEMORY_MB: u64 = 256;
    pub const DEFAULT_OUTPUT_KB: u64 = 1_024;

    // The ranges an exercise file may set (checked by the loader, stated in the schema).
    pub const CPU_MS_MAX: i64 = 600_000;
    pub const WALL_MS_MAX: i64 = 1_800_000;
    /// Below this, Python cannot start.
    pub const MEMORY_MB_MIN: i64 = 16;
    pub const MEMORY_MB_MAX: i64 = 65_536;
    pub const OUTPUT_KB_MAX: i64 = 1_048_576;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            cpu: Duration::from_millis(Self::DEFAULT_CPU_MS),
            wall: Duration::from_millis(2 * Self::DEFAULT_CPU_MS),
            memory_bytes: Self::DEFAULT_MEMORY_MB << 20,
            output_bytes: Self::DEFAULT_OUTPUT_KB << 10,
        }
    }
}

/// A known-wrong solution and what must happen to it.
#[derive(Debug, Clone)]
pub struct WrongSolution {
    pub name: String,
    pub why: Option<String>,
    pub code: String,
    /// Some case must give exactly this verdict; `None` means any rejection will do.
    pub verdict: Option<Verdict>,
    /// These cases must each reject it.
    pub caught_by: Vec<String>,
}

/// A mutant of the reference solution that no case can catch, with the author's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EquivalentMutant {
    /// The id `kata validate --mutants` prints.
    pub id: String,
    pub why: String,
    /// The 1-based line of the entry in the exercise file.
    pub line: usize,
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
