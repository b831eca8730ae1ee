//! A checked case: what it runs and what it must produce, tied together so that a case can
//! only pair a kind of input with the kind of result it gives and a comparator for that result.
//!
//! [`CaseInput`] is the part that enters the sandbox (the runner's request is built from it);
//! [`Expectation`] is the whole case as the judge sees it, built once by the loader.

use std::time::Duration;

use super::growth::Growth;
use crate::value::{Value, repr};

#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    /// The 1-based line of the case's `name` in the exercise file, for annotations.
    pub line: usize,
    /// What it runs, what it must produce and how that is compared.
    pub expectation: Expectation,
    pub hidden: bool,
    pub points: u32,
    pub limits: Limits,
    /// What the working directory holds when the case starts.
    pub fixtures: Vec<Fixture>,
    /// Set for a growth case (always a `call`): the call is run at each size and judged by how
    /// its cost grows.
    pub growth: Option<Growth>,
}

impl Case {
    /// The most points one case may give.
    pub const POINTS_MAX: i64 = 1_000;

    /// What the sandbox runs for this case.
    pub fn input(&self) -> CaseInput {
        self.expectation.input()
    }

    /// The kind's name as written in files and reports.
    pub fn kind(&self) -> &'static str {
        self.expectation.kind()
    }

    /// Whether the result is a value (compared structurally) rather than printed text.
    pub fn returns_value(&self) -> bool {
        self.expectation.returns_value()
    }
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

/// A case's input and what it must produce: each kind of input with its kind of result.
#[derive(Debug, Clone)]
pub enum Expectation {
    /// A `call` or `ops` case: the returned value, compared structurally.
    Returns {
        input: ValueInput,
        /// For `ops`, a list of one result per step (checked by the loader).
        expected: Value,
        comparator: ValueComparator,
        sequences: Sequences,
    },
    /// A `script` or `stdin` case: what it printed.
    Prints {
        input: TextInput,
        expected: String,
        comparator: TextComparator,
    },
    /// A `call` whose value is not compared: any returned value passes. The loader builds it
    /// only for a growth case without `expect`, which is judged on its cost (and the session
    /// for that case's baseline run).
    CostOnly { expr: String },
}

impl Expectation {
    /// What the sandbox runs.
    pub fn input(&self) -> CaseInput {
        match self {
            Expectation::Returns { input, .. } => input.clone().into(),
            Expectation::Prints { input, .. } => input.clone().into(),
            Expectation::CostOnly { expr } => CaseInput::Call { expr: expr.clone() },
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Expectation::Returns { input, .. } => input.kind(),
            Expectation::Prints { input, .. } => input.kind(),
            Expectation::CostOnly { .. } => "call",
        }
    }

    pub fn returns_value(&self) -> bool {
        !matches!(self, Expectation::Prints { .. })
    }

    /// The comparator, or `None` when nothing is compared.
    pub fn comparison(&self) -> Option<Comparison> {
        match self {
            Expectation::Returns { comparator, .. } => Some(Comparison::Value(*comparator)),
            Expectation::Prints { comparator, .. } => Some(Comparison::Text(*comparator)),
            Expectation::CostOnly { .. } => None,
        }
    }

    /// The name reports show, e.g. `unordered-deep`, `text (rstrip)` or `none (cost only)`.
    pub fn describe_comparison(&self) -> String {
        self.comparison()
            .map_or_else(|| "none (cost only)".to_string(), Comparison::describe)
    }
}

/// The input of a case that returns a value.
#[derive(Debug, Clone)]
pub enum ValueInput {
    /// A Python expression evaluated against the candidate's module.
    Call { expr: String },
    /// A class driven by method calls, the first step its constructor.
    Ops { steps: Vec<OpStep> },
}

impl ValueInput {
    pub fn kind(&self) -> &'static str {
        match self {
            ValueInput::Call { .. } => "call",
            ValueInput::Ops { .. } => "ops",
        }
    }
}

/// The input of a case that prints its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextInput {
    /// A snippet run after the candidate's code; its stdout is the result.
    Script { code: String },
    /// The candidate runs as the main program with this stdin; its stdout is the result.
    Stdin { text: String },
}

impl TextInput {
    pub fn kind(&self) -> &'static str {
        match self {
            TextInput::Script { .. } => "script",
            TextInput::Stdin { .. } => "stdin",
        }
    }
}

/// One step of an `ops` case: a method (the class itself for the first) and its arguments,
/// parsed once by the loader.
#[derive(Debug, Clone)]
pub struct OpStep {
    pub method: String,
    pub args: Vec<Value>,
}

impl OpStep {
    /// The call as Python would write it: `LRUCache(2)`, `put(1, 1)`.
    pub fn call(&self) -> String {
        let args: Vec<String> = self.args.iter().map(repr).collect();
        format!("{}({})", self.method, args.join(", "))
    }

    /// Every step's argument list, as one value (a list of lists): what the harness reads.
    pub fn argument_lists(steps: &[OpStep]) -> Value {
        Value::List(
            steps
                .iter()
                .map(|step| Value::List(step.args.clone()))
                .collect(),
        )
    }
}

/// What the sandbox runs for a case: the only part of a case that ever enters it.
#[derive(Debug, Clone)]
pub enum CaseInput {
    Call { expr: String },
    Ops { steps: Vec<OpStep> },
    Script { code: String },
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

impl From<ValueInput> for CaseInput {
    fn from(input: ValueInput) -> Self {
        match input {
            ValueInput::Call { expr } => CaseInput::Call { expr },
            ValueInput::Ops { steps } => CaseInput::Ops { steps },
        }
    }
}

impl From<TextInput> for CaseInput {
    fn from(input: TextInput) -> Self {
        match input {
            TextInput::Script { code } => CaseInput::Script { code },
            TextInput::Stdin { text } => CaseInput::Stdin { text },
        }
    }
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
