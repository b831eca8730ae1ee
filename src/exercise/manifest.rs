//! The exercise file as written: `format = 1` TOML, deserialized as-is.
//!
//! These types mirror the file one to one and are documented for authors; nothing here is
//! validated beyond TOML types. [`super::load`] turns them into the checked model in
//! [`super::model`]. `docs/exercise-format.md` is the prose version of this file, and
//! `docs/exercise.schema.json` the JSON Schema generated from it (see [`super::schema`]): the
//! doc comments below are what an editor shows while an author types.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use super::field_schema::{
    CapabilityName, ComparatorName, DifficultyName, FormatVersion, GrowthClassName, Identifier,
    LintName, MutantId, SequencesName, StockModuleName, TagName, TextComparatorName,
    ValueComparatorName, VerdictName,
};
use super::model::{Case, Limits};

/// Everything parsed from one file, before meaning is checked.
pub(super) struct RawExercise {
    pub header: RawHeader,
    pub cases: Vec<RawCase>,
    pub wrongs: Vec<RawWrong>,
    pub equivalents: Vec<RawEquivalent>,
}

/// The top of an exercise file, without its `[[case]]`, `[[wrong]]` and `[[equivalent]]` arrays
/// (those are deserialized one element at a time, so that one bad case does not hide problems
/// in others).
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields, inline)]
pub(crate) struct RawHeader {
    /// Version of the exercise format; this kata reads `1`.
    #[schemars(with = "FormatVersion")]
    #[expect(
        dead_code,
        reason = "checked first, on the raw table (load::check_format); declared for the schema and unknown keys"
    )]
    pub format: Spanned<i64>,
    /// Human title, e.g. "LRU cache".
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    /// `easy`, `medium` or `hard`.
    #[schemars(with = "DifficultyName")]
    pub difficulty: Spanned<String>,
    /// Lowercase topic tags, e.g. `["linked-list", "pointers"]`.
    #[serde(default)]
    #[schemars(with = "Vec<TagName>")]
    pub tags: Vec<Spanned<String>>,
    /// One line: what solving it teaches (for the catalogue's index).
    #[schemars(with = "Option<String>")]
    pub teaches: Option<Spanned<String>>,
    /// Where the question comes from, e.g. an article's title and question number.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub sources: Vec<Spanned<String>>,
    /// The task, in Markdown.
    #[schemars(with = "String")]
    pub prompt: Spanned<String>,
    /// The candidate-solution slot: code a learner starts from. It must run and must fail.
    #[schemars(with = "String")]
    pub starter: Spanned<String>,
    /// Hints, revealed one at a time.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub hints: Vec<Spanned<String>>,
    /// A correct solution; `kata validate` proves it passes every case.
    #[schemars(with = "String")]
    pub reference: Spanned<String>,
    /// What the sandbox must provide, e.g. `["threads"]`.
    #[serde(default)]
    #[schemars(with = "Vec<CapabilityName>")]
    pub requires: Vec<Spanned<String>>,
    /// Code the exercise provides to the candidate and to the cases.
    #[serde(default)]
    pub support: RawSupport,
    /// Default comparators for this exercise's cases.
    #[serde(default)]
    pub compare: RawCompareDefaults,
    /// Resource limits for every case (each case may override them).
    #[serde(default)]
    pub limits: RawLimits,
    /// Files and directories placed in the working directory before every case.
    #[serde(default, rename = "fixture")]
    pub fixtures: Vec<RawFixture>,
    /// The LeetCode problem this exercise corresponds to, so that answers written for LeetCode
    /// are graded through LeetCode's names.
    pub leetcode: Option<RawLeetCode>,
    /// Lint warnings this exercise silences on purpose, each with its reason.
    #[serde(default)]
    pub allow: Vec<RawAllow>,
}

/// `[leetcode]`: the LeetCode problem the exercise corresponds to, and which of LeetCode's names
/// stand for kata's entry points. Give `functions` (for `class Solution` problems) or `class`
/// (for design problems), not both.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields, inline)]
pub(crate) struct RawLeetCode {
    /// LeetCode's problem number, e.g. `15`.
    #[schemars(with = "i64", range(min = 1, max = 99_999))]
    pub problem: Spanned<i64>,
    /// The problem's slug, as in its address, e.g. `"3sum"`.
    #[schemars(with = "TagName")]
    pub slug: Spanned<String>,
    /// kata's functions and the methods of LeetCode's `class Solution` they correspond to, e.g.
    /// `{ three_sum = "threeSum" }`.
    #[schemars(with = "Option<BTreeMap<String, Identifier>>")]
    pub functions: Option<Spanned<BTreeMap<String, String>>>,
    /// For a design problem: kata's class, e.g. `"QueueWithStacks"`.
    #[schemars(with = "Option<Identifier>")]
    pub class: Option<Spanned<String>>,
    /// LeetCode's name for that class, e.g. `"MyQueue"` (default: the same as `class`).
    #[schemars(with = "Option<Identifier>")]
    pub leetcode_class: Option<Spanned<String>>,
    /// kata's method names and LeetCode's, where they differ, e.g. `{ enqueue = "push" }`.
    #[schemars(with = "Option<BTreeMap<String, Identifier>>")]
    pub methods: Option<Spanned<BTreeMap<String, String>>>,
}

/// One `allow` entry: a lint warning silenced on purpose (docs/exercise-format.md, "Lint").
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields, inline)]
pub(crate) struct RawAllow {
    /// The lint's name, e.g. `hidden-only`.
    #[schemars(with = "LintName")]
    pub lint: Spanned<String>,
    /// Why the warning does not apply here.
    #[schemars(with = "String")]
    pub reason: Spanned<String>,
}

/// A `[[fixture]]` (or an entry of a case's `fixtures`): one file or directory the sandbox's
/// working directory starts with. Exactly one of `text`, `hex` or `dir` says what it is.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields, inline)]
pub(crate) struct RawFixture {
    /// Relative path inside the working directory, e.g. `data.txt` or `root/sub/b.txt`.
    #[schemars(with = "String")]
    pub path: Spanned<String>,
    /// The file's contents, as UTF-8 text.
    pub text: Option<String>,
    /// The file's contents, as hexadecimal bytes (for binary files).
    #[schemars(with = "Option<String>")]
    pub hex: Option<Spanned<String>>,
    /// `true` for an empty directory.
    #[serde(default)]
    pub dir: bool,
}

/// `[support]`: code the exercise provides.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields, inline)]
pub(crate) struct RawSupport {
    /// Stock helper modules shipped with kata, e.g. `["linked_list", "binary_tree"]`.
    #[serde(default)]
    #[schemars(with = "Vec<StockModuleName>")]
    pub modules: Vec<Spanned<String>>,
    /// Exercise-specific code whose names the candidate can use as globals.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub code: Option<Spanned<String>>,
    /// Helpers for the cases only (they may call the candidate's functions).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub cases: Option<Spanned<String>>,
}

/// `[compare]`: the comparators used when a case does not name its own.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields, inline)]
pub(crate) struct RawCompareDefaults {
    /// For `call` and `ops` cases: `exact`, `unordered`, `unordered-deep` or `float`.
    #[schemars(with = "Option<ValueComparatorName>")]
    pub value: Option<Spanned<String>>,
    /// For `script` and `stdin` cases: `exact`, `rstrip` or `tokens`.
    #[schemars(with = "Option<TextComparatorName>")]
    pub text: Option<Spanned<String>>,
    /// Absolute tolerance for `float` (default 1e-9).
    #[schemars(with = "Option<f64>", range(min = 0.0))]
    pub abs_tol: Option<Spanned<f64>>,
    /// Relative tolerance for `float` (default 1e-9).
    #[schemars(with = "Option<f64>", range(min = 0.0))]
    pub rel_tol: Option<Spanned<f64>>,
    /// Whether lists and tuples are interchangeable in returned values: `typed` (default),
    /// `any-top` (the value itself may be either) or `any` (at every depth).
    #[schemars(with = "Option<SequencesName>")]
    pub sequences: Option<Spanned<String>>,
}

/// `[limits]` (or a case's `limits = { ... }`): every field optional, merged over the defaults.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields, inline)]
pub(crate) struct RawLimits {
    /// CPU time, in milliseconds (default 2000).
    #[schemars(with = "Option<i64>", range(min = 1, max = Limits::CPU_MS_MAX))]
    pub cpu_ms: Option<Spanned<i64>>,
    /// Wall-clock time, in milliseconds (default: twice the CPU time).
    #[schemars(with = "Option<i64>", range(min = 1, max = Limits::WALL_MS_MAX))]
    pub wall_ms: Option<Spanned<i64>>,
    /// Memory, in MiB (default 256).
    #[schemars(with = "Option<i64>", range(min = Limits::MEMORY_MB_MIN, max = Limits::MEMORY_MB_MAX))]
    pub memory_mb: Option<Spanned<i64>>,
    /// Output the candidate may print, in KiB, per stream (default 1024).
    #[schemars(with = "Option<i64>", range(min = 1, max = Limits::OUTPUT_KB_MAX))]
    pub output_kb: Option<Spanned<i64>>,
}

/// One `[[case]]`. Exactly one of `call`, `ops`, `script` or `stdin` says what kind it is.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields, inline)]
#[schemars(extend("oneOf" = [
    { "required": ["call"] },
    { "required": ["ops"] },
    { "required": ["script"] },
    { "required": ["stdin"] },
]))]
pub(crate) struct RawCase {
    /// Unique within the exercise; shown in reports.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// A Python expression evaluated against the candidate's module; its value is compared.
    #[schemars(with = "Option<String>")]
    pub call: Option<Spanned<String>>,
    /// A method-call sequence: the class name, then method names (LeetCode's convention).
    #[schemars(with = "Option<Vec<String>>")]
    pub ops: Option<Spanned<Vec<String>>>,
    /// For `ops`: a Python literal list with one argument list per entry of `ops`.
    #[schemars(with = "Option<String>")]
    pub args: Option<Spanned<String>>,
    /// A Python snippet run after the candidate's code; its stdout is compared.
    #[schemars(with = "Option<String>")]
    pub script: Option<Spanned<String>>,
    /// The candidate runs as the main program with this text on stdin; its stdout is compared.
    #[schemars(with = "Option<String>")]
    pub stdin: Option<Spanned<String>>,
    /// The expected result: a Python literal for `call`/`ops`, exact text for `script`/`stdin`.
    /// Leave it out and `kata record` fills it in from the reference solution.
    #[schemars(with = "Option<String>")]
    pub expect: Option<Spanned<String>>,
    /// Hidden cases report their verdict only: no input, output or error text.
    #[serde(default)]
    pub hidden: bool,
    /// Makes a `call` case a growth case: the call is an expression of `n`, run at each size,
    /// and rejected when its cost grows faster than `allows`. Without `expect`, only the cost
    /// and failures count.
    #[schemars(with = "Option<RawGrowth>")]
    pub growth: Option<Spanned<RawGrowth>>,
    /// Points for passing this case (default 1).
    #[schemars(with = "Option<i64>", range(min = 0, max = Case::POINTS_MAX))]
    pub points: Option<Spanned<i64>>,
    /// A comparator for this case, overriding `[compare]`.
    #[schemars(with = "Option<ComparatorName>")]
    pub compare: Option<Spanned<String>>,
    /// Absolute tolerance, with `compare = "float"`.
    #[schemars(with = "Option<f64>", range(min = 0.0))]
    pub abs_tol: Option<Spanned<f64>>,
    /// Relative tolerance, with `compare = "float"`.
    #[schemars(with = "Option<f64>", range(min = 0.0))]
    pub rel_tol: Option<Spanned<f64>>,
    /// Whether lists and tuples are interchangeable in this case's value, overriding
    /// `[compare]`: `typed`, `any-top` or `any`.
    #[schemars(with = "Option<SequencesName>")]
    pub sequences: Option<Spanned<String>>,
    /// Limits for this case, overriding `[limits]`.
    #[serde(default)]
    pub limits: RawLimits,
    /// Extra fixtures for this case (a path also given by `[[fixture]]` is replaced).
    #[serde(default)]
    pub fixtures: Vec<RawFixture>,
    /// Lint warnings about this case silenced on purpose, each with its reason.
    #[serde(default)]
    pub allow: Vec<RawAllow>,
}

/// One `[[wrong]]`: a known-wrong solution that `kata validate` proves is rejected.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields, inline)]
pub(crate) struct RawWrong {
    /// Unique within the exercise.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// What is wrong with it, for authors.
    pub why: Option<String>,
    /// The solution's source.
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    /// The verdict some case must give it, e.g. `"time-limit-exceeded"`; absent = any failure.
    #[schemars(with = "Option<VerdictName>")]
    pub verdict: Option<Spanned<String>>,
    /// Cases that must reject it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub caught_by: Vec<Spanned<String>>,
    /// Lint warnings this wrong solution silences on purpose, each with its reason.
    #[serde(default)]
    pub allow: Vec<RawAllow>,
}

/// One `[[equivalent]]`: a mutant of the reference solution that behaves exactly like it, so no
/// case can catch it. `kata validate --mutants` leaves it out of the mutation score.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields, inline)]
pub(crate) struct RawEquivalent {
    /// The mutant's id, as `kata validate --mutants` prints it: 8 hexadecimal digits.
    #[schemars(with = "MutantId")]
    pub mutant: Spanned<String>,
    /// Why it behaves like the reference on every input the prompt allows.
    #[schemars(with = "String")]
    pub why: Spanned<String>,
}

/// A case's `growth` table as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields, inline)]
pub(crate) struct RawGrowth {
    /// The values of `n` to run the case at: 3 to 8 positive integers, strictly increasing,
    /// the largest at least 4 times the smallest.
    #[schemars(with = "Vec<u64>", length(min = 3, max = 8))]
    pub sizes: Spanned<Vec<Spanned<i64>>>,
    /// The fastest growth of cost in `n` the exercise allows: `1`, `log n`, `n`, `n log n`,
    /// `n^2`, `n^2 log n` or `n^3`.
    #[schemars(with = "GrowthClassName")]
    pub allows: Spanned<String>,
}
