//! Checking what an exercise file means: raw manifest → [`Exercise`], every problem reported.

// Author input of any content must give diagnostics, never a panic: no string slicing, no
// unchecked indexing, no unwrap in this module.
#![deny(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::time::Duration;

use toml::Spanned;

use super::allow::{Allowance, Lint, Scope};
use super::diagnostic::{Diagnostic, SourceFile};
use super::growth;
use super::load::{Mode, RawExercise, closest};
use super::manifest::{
    RawAllow, RawCase, RawCompareDefaults, RawEquivalent, RawFixture, RawHeader, RawLeetCode,
    RawLimits, RawWrong,
};
use super::model::{
    Capability, Case, CaseInput, Comparison, Difficulty, Draft, EquivalentMutant, Exercise,
    Expected, Fixture, FixtureContents, LeetCode, LeetCodeEntry, Limits, Sequences, Support,
    TextComparator, UnrecordedCase, ValueComparator, WrongSolution,
};
use super::snippet::{SnippetMode, Snippets};
use crate::grade::Verdict;
use crate::runner::assets;
use crate::value::{Value, literal};

/// Builds the checked exercise, adding every problem found to `problems`.
pub(super) fn exercise(
    id: &str,
    file: &SourceFile,
    raw: RawExercise,
    mode: Mode,
    problems: &mut Vec<Diagnostic>,
) -> Option<Draft> {
    let mut checker = Checker {
        file,
        problems,
        mode,
    };
    checker.id(id);
    let RawExercise {
        header,
        cases,
        wrongs,
        equivalents,
    } = raw;
    // Every case's name, even of cases with problems, so `caught_by` is checked against them.
    let mut case_names: Vec<String> = Vec::with_capacity(cases.len());
    for case in &cases {
        let name = case.name.get_ref().trim().to_string();
        if !case_names.contains(&name) {
            case_names.push(name);
        }
    }
    let snippets = snippets(file, &header, &cases, &wrongs);
    let allowed = checker.allowances(&header, &cases, &wrongs);
    let base_limits = checker.limits(&Limits::default(), &header.limits);
    let (cases, unrecorded) = checker.cases(&header, &base_limits, cases);
    let wrong_solutions = checker.wrongs(wrongs, &case_names);
    let equivalent_mutants = checker.equivalents(&equivalents);
    let leetcode = header
        .leetcode
        .as_ref()
        .and_then(|raw| checker.leetcode(raw, header.reference.get_ref()));
    let mut support = checker.support(&header);
    support.leetcode = leetcode.as_ref().map(|leetcode| leetcode.entry.clone());
    let exercise = Exercise {
        id: id.to_string(),
        origin: file.name.clone(),
        title: checker.required_text(&header.title, "title"),
        difficulty: checker.difficulty(&header.difficulty),
        tags: checker.tags(&header.tags),
        teaches: header
            .teaches
            .as_ref()
            .map(|t| checker.required_text(t, "teaches")),
        sources: header
            .sources
            .iter()
            .map(|s| checker.required_text(s, "sources"))
            .collect(),
        prompt: checker.required_text(&header.prompt, "prompt"),
        starter: checker.required_text(&header.starter, "starter"),
        hints: checker.hints(&header.hints),
        reference: checker.required_text(&header.reference, "reference"),
        requires: checker.requires(&header.requires),
        support,
        snippets,
        allowed,
        cases,
        wrong_solutions,
        equivalent_mutants,
        leetcode,
    };
    Some(Draft {
        exercise,
        unrecorded,
    })
}

/// The Python the file carries, for [`Snippets`]' syntax check.
fn snippets(
    file: &SourceFile,
    header: &RawHeader,
    cases: &[RawCase],
    wrongs: &[RawWrong],
) -> Snippets {
    let mut snippets = Snippets::new(file);
    let mut add = |what: String, code: &Spanned<String>, mode| {
        snippets.push(what, code.span(), code.get_ref(), mode);
    };
    add("the starter".into(), &header.starter, SnippetMode::Exec);
    add("the reference".into(), &header.reference, SnippetMode::Exec);
    if let Some(code) = &header.support.code {
        add("the support code".into(), code, SnippetMode::Exec);
    }
    if let Some(code) = &header.support.cases {
        add("the cases' helpers".into(), code, SnippetMode::Exec);
    }
    for case in cases {
        let name = case.name.get_ref().trim();
        if let Some(call) = &case.call {
            add(
                format!("the `call` of case `{name}`"),
                call,
                SnippetMode::Eval,
            );
        }
        if let Some(script) = &case.script {
            add(
                format!("the `script` of case `{name}`"),
                script,
                SnippetMode::Exec,
            );
        }
    }
    for wrong in wrongs {
        let name = wrong.name.get_ref().trim();
        add(format!("wrong `{name}`"), &wrong.code, SnippetMode::Exec);
    }
    snippets
}

/// The comparators and tolerances a case gets unless it names its own.
struct CompareDefaults {
    value: ValueComparator,
    text: TextComparator,
    abs_tol: f64,
    rel_tol: f64,
    sequences: Sequences,
}

struct Checker<'a> {
    file: &'a SourceFile,
    problems: &'a mut Vec<Diagnostic>,
    mode: Mode,
}

impl Checker<'_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.problems.push(diagnostic);
    }

    fn id(&mut self, id: &str) {
        if !is_valid_id(id) {
            self.push(
                Diagnostic::error(None, format!("`{id}` is not a valid exercise id")).with_help(
                    "name the file in lowercase words joined by hyphens, like `lru-cache.toml`",
                ),
            );
        }
    }

    fn required_text(&mut self, text: &Spanned<String>, key: &str) -> String {
        if text.get_ref().trim().is_empty() {
            self.push(Diagnostic::error(
                text.span(),
                format!("`{key}` must not be empty"),
            ));
        }
        text.get_ref().clone()
    }

    fn difficulty(&mut self, raw: &Spanned<String>) -> Difficulty {
        Difficulty::parse(raw.get_ref()).unwrap_or_else(|| {
            let names: Vec<&str> = Difficulty::ALL.iter().map(|d| d.as_str()).collect();
            self.unknown_name(raw, "difficulty", &names);
            Difficulty::Medium
        })
    }

    fn unknown_name(&mut self, raw: &Spanned<String>, what: &str, names: &[&str]) {
        let help = match closest(raw.get_ref(), names) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => format!("use one of: {}", names.join(", ")),
        };
        self.push(
            Diagnostic::error(raw.span(), format!("`{}` is not a {what}", raw.get_ref()))
                .with_help(help),
        );
    }

    fn tags(&mut self, raw: &[Spanned<String>]) -> Vec<String> {
        let mut seen = HashSet::new();
        for tag in raw {
            let text = tag.get_ref();
            let valid = !text.is_empty()
                && text
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !valid {
                self.push(
                    Diagnostic::error(
                        tag.span(),
                        format!("tag `{text}` is not lowercase-with-hyphens"),
                    )
                    .with_help("write tags like `linked-list`"),
                );
            } else if !seen.insert(text.as_str()) {
                self.push(Diagnostic::error(
                    tag.span(),
                    format!("tag `{text}` is listed twice"),
                ));
            }
        }
        raw.iter().map(|tag| tag.get_ref().clone()).collect()
    }

    fn hints(&mut self, raw: &[Spanned<String>]) -> Vec<String> {
        for hint in raw {
            if hint.get_ref().trim().is_empty() {
                self.push(Diagnostic::error(hint.span(), "a hint must not be empty"));
            }
        }
        raw.iter().map(|hint| hint.get_ref().clone()).collect()
    }

    fn requires(&mut self, raw: &[Spanned<String>]) -> Vec<Capability> {
        let names: Vec<&str> = Capability::ALL.iter().map(|c| c.as_str()).collect();
        raw.iter()
            .filter_map(|name| {
                let capability = Capability::parse(name.get_ref());
                if capability.is_none() {
                    self.unknown_name(name, "capability", &names);
                }
                capability
            })
            .collect()
    }

    fn support(&mut self, header: &RawHeader) -> Support {
        let support = &header.support;
        for module in &support.modules {
            if assets::stock_module(module.get_ref()).is_none() {
                self.unknown_name(module, "stock support module", assets::STOCK_MODULE_NAMES);
            }
        }
        let text = |code: &Option<Spanned<String>>| {
            code.as_ref()
                .map(|c| c.get_ref().clone())
                .unwrap_or_default()
        };
        Support {
            modules: support
                .modules
                .iter()
                .map(|m| m.get_ref().clone())
                .collect(),
            code: text(&support.code),
            cases: text(&support.cases),
            leetcode: None,
        }
    }

    /// `[leetcode]`: the problem, and LeetCode's names for kata's entry points. Each kata name
    /// must be one the reference defines at the top level, so the mapping cannot drift from it.
    fn leetcode(&mut self, raw: &RawLeetCode, reference: &str) -> Option<LeetCode> {
        let mut ok = true;
        let problem = *raw.problem.get_ref();
        if !(1..=99_999).contains(&problem) {
            self.push(Diagnostic::error(
                raw.problem.span(),
                "`problem` must be LeetCode's problem number (1 to 99999)",
            ));
            ok = false;
        }
        let slug = raw.slug.get_ref();
        if slug.is_empty()
            || !slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            self.push(
                Diagnostic::error(raw.slug.span(), format!("`{slug}` is not a LeetCode slug"))
                    .with_help("write the problem's slug as in its address, e.g. `3sum`"),
            );
            ok = false;
        }
        let pairs = |map: &Option<Spanned<BTreeMap<String, String>>>| {
            map.as_ref().map_or_else(Vec::new, |map| {
                map.get_ref()
                    .iter()
                    .map(|(ours, theirs)| (ours.clone(), theirs.clone()))
                    .collect::<Vec<_>>()
            })
        };
        let functions = pairs(&raw.functions);
        let methods = pairs(&raw.methods);
        let span = raw.slug.span();
        let entry = match (&raw.class, functions.is_empty()) {
            (None, false) => {
                if let Some(methods) = &raw.methods {
                    self.push(Diagnostic::error(
                        methods.span(),
                        "`methods` renames the methods of a design class: it needs `class`",
                    ));
                    ok = false;
                }
                if let Some(leetcode_class) = &raw.leetcode_class {
                    self.push(Diagnostic::error(
                        leetcode_class.span(),
                        "`leetcode_class` needs `class`",
                    ));
                    ok = false;
                }
                LeetCodeEntry::Solution { functions }
            }
            (Some(class), true) => LeetCodeEntry::Design {
                class: class.get_ref().clone(),
                leetcode_class: raw
                    .leetcode_class
                    .as_ref()
                    .unwrap_or(class)
                    .get_ref()
                    .clone(),
                methods,
            },
            (Some(class), false) => {
                self.push(
                    Diagnostic::error(class.span(), "give `functions` or `class`, not both")
                        .with_help(
                            "`functions` maps to `class Solution`; `class` is for design problems",
                        ),
                );
                return None;
            }
            (None, true) => {
                self.push(
                    Diagnostic::error(span, "`[leetcode]` names no entry point")
                        .with_help("add `functions = { kata_name = \"leetcodeName\" }`, or `class` for a design problem"),
                );
                return None;
            }
        };
        let mut names: Vec<(&str, Range<usize>)> = Vec::new();
        let map_span = |map: &Option<Spanned<BTreeMap<String, String>>>| {
            map.as_ref().map(Spanned::span).unwrap_or(span.clone())
        };
        match &entry {
            LeetCodeEntry::Solution { functions } => {
                for (ours, theirs) in functions {
                    names.push((ours, map_span(&raw.functions)));
                    names.push((theirs, map_span(&raw.functions)));
                }
            }
            LeetCodeEntry::Design {
                class,
                leetcode_class,
                methods,
            } => {
                let class_span = raw
                    .class
                    .as_ref()
                    .map(Spanned::span)
                    .unwrap_or(span.clone());
                names.push((class, class_span.clone()));
                names.push((leetcode_class, class_span));
                for (ours, theirs) in methods {
                    names.push((ours, map_span(&raw.methods)));
                    names.push((theirs, map_span(&raw.methods)));
                }
            }
        }
        for (name, span) in names {
            if !is_identifier(name) {
                self.push(Diagnostic::error(
                    span,
                    format!("`{name}` is not a Python name"),
                ));
                ok = false;
            }
        }
        for name in entry.kata_names() {
            if is_identifier(name) && !defines_at_top_level(reference, name) {
                self.push(
                    Diagnostic::error(
                        raw.slug.span(),
                        format!("the reference defines no `{name}` at the top level"),
                    )
                    .with_help(
                        "`[leetcode]` maps kata's entry points, which the reference defines",
                    ),
                );
                ok = false;
            }
        }
        ok.then(|| LeetCode {
            problem: problem as u32,
            slug: slug.clone(),
            entry,
        })
    }

    fn limits(&mut self, base: &Limits, raw: &RawLimits) -> Limits {
        let mut limits = *base;
        let mut ms = |value: &Option<Spanned<i64>>, key: &str, max: i64| -> Option<u64> {
            let value = value.as_ref()?;
            let number = *value.get_ref();
            if (1..=max).contains(&number) {
                Some(number as u64)
            } else {
                self.problems.push(Diagnostic::error(
                    value.span(),
                    format!("`{key}` must be between 1 and {max}"),
                ));
                None
            }
        };
        let cpu = ms(&raw.cpu_ms, "cpu_ms", Limits::CPU_MS_MAX);
        let wall = ms(&raw.wall_ms, "wall_ms", Limits::WALL_MS_MAX);
        let memory = ms(&raw.memory_mb, "memory_mb", Limits::MEMORY_MB_MAX);
        let output = ms(&raw.output_kb, "output_kb", Limits::OUTPUT_KB_MAX);
        if let Some(cpu) = cpu {
            limits.cpu = Duration::from_millis(cpu);
            limits.wall = Duration::from_millis(2 * cpu);
        }
        if let Some(wall) = wall {
            limits.wall = Duration::from_millis(wall);
        }
        if let Some(memory) = memory {
            if memory < Limits::MEMORY_MB_MIN as u64 {
                let span = raw.memory_mb.as_ref().map(Spanned::span);
                self.push(Diagnostic::error(
                    span,
                    "`memory_mb` below 16 cannot start Python",
                ));
            }
            limits.memory_bytes = memory << 20;
        }
        if let Some(output) = output {
            limits.output_bytes = output << 10;
        }
        if limits.wall < limits.cpu {
            let span = raw
                .wall_ms
                .as_ref()
                .or(raw.cpu_ms.as_ref())
                .map(Spanned::span);
            self.push(
                Diagnostic::error(span, "the wall-clock limit is shorter than the CPU limit")
                    .with_help("make `wall_ms` at least `cpu_ms`"),
            );
        }
        limits
    }

    /// The cases with their expected results, and (in draft mode) those still without.
    fn cases(
        &mut self,
        header: &RawHeader,
        base: &Limits,
        raw: Vec<RawCase>,
    ) -> (Vec<Case>, Vec<UnrecordedCase>) {
        let compare = self.compare_defaults(&header.compare);
        if raw.is_empty() {
            self.push(
                Diagnostic::error(None, "this exercise has no cases")
                    .with_help("add at least one `[[case]]`"),
            );
        }
        let shared_fixtures = self.fixtures(&header.fixtures, &[]);
        let mut names = HashSet::new();
        let mut cases = Vec::with_capacity(raw.len());
        let mut unrecorded = Vec::new();
        for case in raw {
            let name = case.name.get_ref().trim().to_string();
            if name.is_empty() {
                self.push(Diagnostic::error(
                    case.name.span(),
                    "a case name must not be empty",
                ));
            } else if !names.insert(name.clone()) {
                self.push(Diagnostic::error(
                    case.name.span(),
                    format!("there is already a case named `{name}`"),
                ));
            }
            let line = self.file.line_column(case.name.span().start).0;
            let Some(input) = self.case_input(&case) else {
                continue;
            };
            let comparison = self.comparison(&compare, &case, &input);
            let sequences = match &case.sequences {
                Some(name) => self.sequences(name, &input),
                None => compare.sequences,
            };
            let limits = self.limits(base, &case.limits);
            let fixtures = self.fixtures(&case.fixtures, &shared_fixtures);
            // `None` when the table is invalid (already reported): the case is then left out.
            let growth = match &case.growth {
                Some(raw) => growth::check(raw, &input, self.problems).map(Some),
                None => Some(None),
            };
            if case.expect.is_none() && case.growth.is_none() && self.mode == Mode::Draft {
                unrecorded.push(UnrecordedCase {
                    name,
                    line,
                    input,
                    limits,
                    fixtures,
                });
                continue;
            }
            let expected = match (&case.expect, &case.growth) {
                (None, Some(_)) => Some(Expected::Any),
                _ => self.expected(&case, &input),
            };
            let points = match &case.points {
                Some(points) if !(0..=Case::POINTS_MAX).contains(points.get_ref()) => {
                    self.push(Diagnostic::error(
                        points.span(),
                        format!("`points` must be between 0 and {}", Case::POINTS_MAX),
                    ));
                    1
                }
                Some(points) => *points.get_ref() as u32,
                None => 1,
            };
            if let (Some(expected), Some(growth)) = (expected, growth) {
                cases.push(Case {
                    name,
                    line,
                    input,
                    expected,
                    comparison,
                    sequences,
                    hidden: case.hidden,
                    points,
                    limits,
                    fixtures,
                    growth,
                });
            }
        }
        (cases, unrecorded)
    }

    /// `raw` checked and laid over `base` (a path in both is taken from `raw`).
    fn fixtures(&mut self, raw: &[RawFixture], base: &[Fixture]) -> Vec<Fixture> {
        let mut fixtures: Vec<Fixture> = base.to_vec();
        let mut seen = HashSet::new();
        for fixture in raw {
            let span = fixture.path.span();
            let Some(path) = normalise_fixture_path(fixture.path.get_ref()) else {
                self.push(
                    Diagnostic::error(span, format!("`{}` is not a relative path inside the working directory", fixture.path.get_ref()))
                        .with_help("write paths like `data.txt` or `root/sub/b.txt`, without `..` or a leading `/`"),
                );
                continue;
            };
            if !seen.insert(path.clone()) {
                self.push(Diagnostic::error(span, format!("`{path}` is given twice")));
                continue;
            }
            let contents = match (&fixture.text, &fixture.hex, fixture.dir) {
                (Some(text), None, false) => FixtureContents::File(text.clone().into_bytes()),
                (None, Some(hex), false) => match decode_hex(hex.get_ref()) {
                    Some(bytes) => FixtureContents::File(bytes),
                    None => {
                        self.push(Diagnostic::error(
                            hex.span(),
                            "`hex` must be pairs of hexadecimal digits",
                        ));
                        continue;
                    }
                },
                (None, None, true) => FixtureContents::Directory,
                _ => {
                    self.push(Diagnostic::error(
                        span,
                        format!(
                            "fixture `{path}` needs exactly one of `text`, `hex` or `dir = true`"
                        ),
                    ));
                    continue;
                }
            };
            fixtures.retain(|existing| existing.path != path);
            fixtures.push(Fixture { path, contents });
        }
        fixtures
    }

    fn case_input(&mut self, case: &RawCase) -> Option<CaseInput> {
        let given: Vec<&str> = [
            case.call.as_ref().map(|_| "call"),
            case.ops.as_ref().map(|_| "ops"),
            case.script.as_ref().map(|_| "script"),
            case.stdin.as_ref().map(|_| "stdin"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if given.len() != 1 {
            let message = if given.is_empty() {
                format!("case `{}` says nothing to run", case.name.get_ref())
            } else {
                format!(
                    "case `{}` has {} at once",
                    case.name.get_ref(),
                    given.join(" and ")
                )
            };
            self.push(
                Diagnostic::error(case.name.span(), message)
                    .with_help("give exactly one of `call`, `ops`, `script` or `stdin`"),
            );
            return None;
        }
        if case.args.is_some() && case.ops.is_none() {
            let span = case.args.as_ref().map(Spanned::span);
            self.push(Diagnostic::error(span, "`args` only goes with `ops`"));
        }
        if let Some(expr) = &case.call {
            self.not_blank(expr, "call")?;
            return Some(CaseInput::Call {
                expr: expr.get_ref().trim().to_string(),
            });
        }
        if let Some(code) = &case.script {
            self.not_blank(code, "script")?;
            return Some(CaseInput::Script {
                code: code.get_ref().clone(),
            });
        }
        if let Some(text) = &case.stdin {
            return Some(CaseInput::Stdin {
                text: text.get_ref().clone(),
            });
        }
        let ops = case.ops.as_ref()?;
        self.ops_input(case, ops)
    }

    fn not_blank(&mut self, text: &Spanned<String>, key: &str) -> Option<()> {
        if text.get_ref().trim().is_empty() {
            self.push(Diagnostic::error(
                text.span(),
                format!("`{key}` must not be empty"),
            ));
            None
        } else {
            Some(())
        }
    }

    fn ops_input(&mut self, case: &RawCase, ops: &Spanned<Vec<String>>) -> Option<CaseInput> {
        if ops.get_ref().is_empty() {
            self.push(
                Diagnostic::error(ops.span(), "`ops` must not be empty")
                    .with_help("start with the class name, e.g. `ops = [\"LRUCache\", \"get\"]`"),
            );
            return None;
        }
        if let Some(bad) = ops.get_ref().iter().find(|op| !is_identifier(op)) {
            self.push(Diagnostic::error(
                ops.span(),
                format!("`{bad}` is not a Python name"),
            ));
            return None;
        }
        let Some(args) = &case.args else {
            self.push(
                Diagnostic::error(ops.span(), "`ops` needs `args`").with_help(
                    "give one argument list per operation, e.g. `args = \"[[2], [1]]\"`",
                ),
            );
            return None;
        };
        let parsed = self.literal(args)?;
        let shape_ok = match &parsed {
            Value::List(items) if items.len() == ops.get_ref().len() => items
                .iter()
                .all(|item| matches!(item, Value::List(_) | Value::Tuple(_))),
            _ => false,
        };
        if !shape_ok {
            self.push(
                Diagnostic::error(
                    args.span(),
                    format!(
                        "`args` must be a list of {} argument lists, one per entry of `ops`",
                        ops.get_ref().len()
                    ),
                )
                .with_help("use `[]` for an operation without arguments"),
            );
            return None;
        }
        Some(CaseInput::Ops {
            ops: ops.get_ref().clone(),
            args: args.get_ref().clone(),
        })
    }

    /// `[compare]`, checked once for the whole exercise.
    fn compare_defaults(&mut self, raw: &RawCompareDefaults) -> CompareDefaults {
        let abs_tol = self.tolerance(raw.abs_tol.as_ref());
        let rel_tol = self.tolerance(raw.rel_tol.as_ref());
        let value = raw
            .value
            .as_ref()
            .and_then(|name| self.value_comparator(name, "`call` and `ops`", abs_tol, rel_tol))
            .unwrap_or(ValueComparator::Exact);
        let text = raw
            .text
            .as_ref()
            .and_then(|name| self.text_comparator(name, "`script` and `stdin`"))
            .unwrap_or(TextComparator::Rstrip);
        let sequences = raw.sequences.as_ref().map_or(Sequences::Typed, |name| {
            Sequences::parse(name.get_ref()).unwrap_or_else(|| {
                self.unknown_sequences(name);
                Sequences::Typed
            })
        });
        CompareDefaults {
            value,
            text,
            abs_tol,
            rel_tol,
            sequences,
        }
    }

    /// A case's own `sequences`: only value cases return lists or tuples.
    fn sequences(&mut self, name: &Spanned<String>, input: &CaseInput) -> Sequences {
        let Some(sequences) = Sequences::parse(name.get_ref()) else {
            self.unknown_sequences(name);
            return Sequences::Typed;
        };
        if !input.returns_value() {
            self.push(Diagnostic::error(
                name.span(),
                format!(
                    "`sequences` applies to returned values, but a `{}` case compares text",
                    input.kind()
                ),
            ));
        }
        sequences
    }

    fn unknown_sequences(&mut self, name: &Spanned<String>) {
        let names: Vec<&str> = Sequences::ALL.iter().map(|s| s.as_str()).collect();
        self.unknown_name(name, "`sequences` setting", &names);
    }

    fn value_comparator(
        &mut self,
        name: &Spanned<String>,
        kinds: &str,
        abs_tol: f64,
        rel_tol: f64,
    ) -> Option<ValueComparator> {
        match name.get_ref().as_str() {
            "exact" => Some(ValueComparator::Exact),
            "unordered" => Some(ValueComparator::Unordered),
            "unordered-deep" => Some(ValueComparator::UnorderedDeep),
            "float" => Some(ValueComparator::Float { abs_tol, rel_tol }),
            other => {
                let names = ValueComparator::NAMES.join(", ");
                let help = if TextComparator::parse(other).is_some() {
                    format!(
                        "`{other}` compares text, but {kinds} cases return values; use one of: {names}"
                    )
                } else {
                    format!("use one of: {names}")
                };
                self.push(
                    Diagnostic::error(name.span(), format!("`{other}` is not a value comparator"))
                        .with_help(help),
                );
                None
            }
        }
    }

    fn text_comparator(&mut self, name: &Spanned<String>, kinds: &str) -> Option<TextComparator> {
        let comparator = TextComparator::parse(name.get_ref());
        if comparator.is_none() {
            self.push(
                Diagnostic::error(
                    name.span(),
                    format!("`{}` is not a text comparator", name.get_ref()),
                )
                .with_help(format!(
                    "{kinds} cases compare printed text; use one of: {}",
                    TextComparator::NAMES.join(", ")
                )),
            );
        }
        comparator
    }

    fn comparison(
        &mut self,
        defaults: &CompareDefaults,
        case: &RawCase,
        input: &CaseInput,
    ) -> Comparison {
        let abs_tol = match &case.abs_tol {
            Some(tolerance) => self.tolerance(Some(tolerance)),
            None => defaults.abs_tol,
        };
        let rel_tol = match &case.rel_tol {
            Some(tolerance) => self.tolerance(Some(tolerance)),
            None => defaults.rel_tol,
        };
        let tolerance_span = case
            .abs_tol
            .as_ref()
            .or(case.rel_tol.as_ref())
            .map(Spanned::span);
        let kind = format!("`{}`", input.kind());
        if input.returns_value() {
            let comparator = match &case.compare {
                Some(name) => self
                    .value_comparator(name, &kind, abs_tol, rel_tol)
                    .unwrap_or(ValueComparator::Exact),
                None => match defaults.value {
                    ValueComparator::Float { .. } => ValueComparator::Float { abs_tol, rel_tol },
                    other => other,
                },
            };
            if tolerance_span.is_some() && !matches!(comparator, ValueComparator::Float { .. }) {
                self.push(Diagnostic::error(
                    tolerance_span,
                    "tolerances only apply with `compare = \"float\"`",
                ));
            }
            Comparison::Value(comparator)
        } else {
            let comparator = match &case.compare {
                Some(name) => self
                    .text_comparator(name, &kind)
                    .unwrap_or(TextComparator::Rstrip),
                None => defaults.text,
            };
            if tolerance_span.is_some() {
                self.push(Diagnostic::error(
                    tolerance_span,
                    "tolerances only apply to value cases",
                ));
            }
            Comparison::Text(comparator)
        }
    }

    fn tolerance(&mut self, raw: Option<&Spanned<f64>>) -> f64 {
        match raw {
            None => ValueComparator::DEFAULT_TOLERANCE,
            Some(value) if value.get_ref().is_finite() && *value.get_ref() >= 0.0 => {
                *value.get_ref()
            }
            Some(value) => {
                self.push(Diagnostic::error(
                    value.span(),
                    "a tolerance must be a finite number ≥ 0",
                ));
                ValueComparator::DEFAULT_TOLERANCE
            }
        }
    }

    fn expected(&mut self, case: &RawCase, input: &CaseInput) -> Option<Expected> {
        let Some(expect) = &case.expect else {
            self.push(
                Diagnostic::error(
                    case.name.span(),
                    format!("case `{}` has no `expect`", case.name.get_ref()),
                )
                .with_help("write the expected result, or run `kata record` to fill it in from the reference solution"),
            );
            return None;
        };
        if !input.returns_value() {
            return Some(Expected::Text(expect.get_ref().clone()));
        }
        let value = self.literal(expect)?;
        if let CaseInput::Ops { ops, .. } = input {
            let fits = matches!(&value, Value::List(items) if items.len() == ops.len());
            if !fits {
                self.push(
                    Diagnostic::error(
                        expect.span(),
                        format!(
                            "an `ops` case expects a list of {} results, one per operation",
                            ops.len()
                        ),
                    )
                    .with_help(
                        "use `None` for the constructor and for methods that return nothing",
                    ),
                );
                return None;
            }
        }
        Some(Expected::Value(value))
    }

    /// Parses a Python literal written in a TOML string, pointing errors at the exact character
    /// when the string's text appears verbatim in the file.
    fn literal(&mut self, raw: &Spanned<String>) -> Option<Value> {
        match literal::parse(raw.get_ref()) {
            Ok(value) => Some(value),
            Err(error) => {
                let span = span_in_string(self.file, raw.span(), raw.get_ref(), error.offset);
                self.push(
                    Diagnostic::error(span, format!("not a Python literal: {}", error.message))
                        .with_help("write the value the way Python's `repr` prints it"),
                );
                None
            }
        }
    }

    fn wrongs(&mut self, raw: Vec<RawWrong>, case_names: &[String]) -> Vec<WrongSolution> {
        let mut names = HashSet::new();
        let case_names: Vec<&str> = case_names.iter().map(String::as_str).collect();
        let mut wrongs = Vec::with_capacity(raw.len());
        for wrong in raw {
            let name = wrong.name.get_ref().trim().to_string();
            if name.is_empty() {
                self.push(Diagnostic::error(
                    wrong.name.span(),
                    "a wrong solution needs a name",
                ));
            } else if !names.insert(name.clone()) {
                self.push(Diagnostic::error(
                    wrong.name.span(),
                    format!("there is already a wrong solution named `{name}`"),
                ));
            }
            self.not_blank(&wrong.code, "code");
            let verdict =
                wrong
                    .verdict
                    .as_ref()
                    .and_then(|raw| match Verdict::parse(raw.get_ref()) {
                        Some(Verdict::Accepted) => {
                            self.push(Diagnostic::error(
                                raw.span(),
                                "a wrong solution cannot be expected to be accepted",
                            ));
                            None
                        }
                        Some(verdict) => Some(verdict),
                        None => {
                            let names: Vec<&str> =
                                Verdict::ALL.iter().map(|v| v.as_str()).collect();
                            self.unknown_name(raw, "verdict", &names);
                            None
                        }
                    });
            for case in &wrong.caught_by {
                if !case_names.contains(&case.get_ref().as_str()) {
                    self.unknown_name(case, "case of this exercise", &case_names);
                }
            }
            wrongs.push(WrongSolution {
                name,
                why: wrong.why.clone(),
                code: wrong.code.get_ref().clone(),
                verdict,
                caught_by: wrong
                    .caught_by
                    .iter()
                    .map(|c| c.get_ref().clone())
                    .collect(),
            });
        }
        wrongs
    }
}

impl Checker<'_> {
    /// Every `allow` in the file, checked: known lint names, in a place the lint is about, with
    /// a reason.
    fn allowances(
        &mut self,
        header: &RawHeader,
        cases: &[RawCase],
        wrongs: &[RawWrong],
    ) -> Vec<Allowance> {
        let mut places: Vec<(&[RawAllow], Scope)> = vec![(&header.allow, Scope::Exercise)];
        for case in cases {
            places.push((
                &case.allow,
                Scope::Case(case.name.get_ref().trim().to_string()),
            ));
        }
        for wrong in wrongs {
            places.push((
                &wrong.allow,
                Scope::Wrong(wrong.name.get_ref().trim().to_string()),
            ));
        }
        let names: Vec<&str> = Lint::ALL.iter().map(|lint| lint.as_str()).collect();
        let mut allowed = Vec::new();
        for (entries, scope) in places {
            for entry in entries {
                let Some(lint) = Lint::parse(entry.lint.get_ref()) else {
                    self.unknown_name(&entry.lint, "lint", &names);
                    continue;
                };
                if scope != Scope::Exercise
                    && std::mem::discriminant(&scope) != std::mem::discriminant(&lint.scope())
                {
                    self.push(
                        Diagnostic::error(
                            entry.lint.span(),
                            format!("`{}` is never about {}", lint.as_str(), scope.kind()),
                        )
                        .with_help(match lint.scope() {
                            Scope::Exercise => "allow it at the top of the file".to_string(),
                            about => format!(
                                "allow it in {} it is about, or at the top of the file",
                                about.kind().replacen("a ", "the ", 1)
                            ),
                        }),
                    );
                    continue;
                }
                if entry.reason.get_ref().trim().is_empty() {
                    self.push(
                        Diagnostic::error(entry.reason.span(), "an `allow` needs a reason")
                            .with_help("say why the warning does not apply here"),
                    );
                    continue;
                }
                allowed.push(Allowance {
                    lint,
                    scope: scope.clone(),
                    reason: entry.reason.get_ref().trim().to_string(),
                });
            }
        }
        allowed
    }

    fn equivalents(&mut self, raw: &[RawEquivalent]) -> Vec<EquivalentMutant> {
        let mut seen = HashSet::new();
        let mut equivalents = Vec::with_capacity(raw.len());
        for entry in raw {
            let id = entry.mutant.get_ref().trim();
            let well_formed = id.len() == 8
                && id
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            if !well_formed {
                self.push(
                    Diagnostic::error(
                        entry.mutant.span(),
                        format!("`{id}` is not a mutant id"),
                    )
                    .with_help("copy the 8-digit id `kata validate --mutants` prints next to the surviving mutant"),
                );
                continue;
            }
            if !seen.insert(id.to_string()) {
                self.push(Diagnostic::error(
                    entry.mutant.span(),
                    format!("mutant `{id}` is marked equivalent twice"),
                ));
                continue;
            }
            let why = self.required_text(&entry.why, "why");
            equivalents.push(EquivalentMutant {
                id: id.to_string(),
                why,
                line: self.file.line_column(entry.mutant.span().start).0,
            });
        }
        equivalents
    }
}

/// Whether `id` is lowercase words (letters and digits) joined by single hyphens.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `a/./b/` → `a/b`; `None` for absolute paths, `..`, or nothing at all.
fn normalise_fixture_path(path: &str) -> Option<String> {
    if path.starts_with('/') || path.contains('\\') || path.contains('\0') {
        return None;
    }
    let parts: Vec<&str> = path
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect();
    if parts.is_empty() || parts.contains(&"..") {
        return None;
    }
    Some(parts.join("/"))
}

/// Pairs of hex digits, whitespace between them ignored; `None` for anything else (including
/// non-ASCII text, which byte offsets would cut through).
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_digit(16).and_then(|d| u8::try_from(d).ok()))
        .collect::<Option<_>>()?;
    let pairs = digits.chunks_exact(2);
    if !pairs.remainder().is_empty() {
        return None;
    }
    Some(
        pairs
            .map(|pair| pair.iter().fold(0, |byte, d| byte * 16 + d))
            .collect(),
    )
}

/// Whether `source` has a top-level `def name` or `class name` (a line starting with it).
fn defines_at_top_level(source: &str, name: &str) -> bool {
    source.lines().any(|line| {
        ["def ", "async def ", "class "].iter().any(|keyword| {
            line.strip_prefix(keyword)
                .and_then(|rest| rest.strip_prefix(name))
                .is_some_and(|rest| rest.starts_with(['(', ':', ' ']))
        })
    })
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Maps an offset in a string's decoded text to the file, when the string's body is verbatim
/// (literal strings, and basic strings without escapes); otherwise points at the whole string.
pub(super) fn span_in_string(
    file: &SourceFile,
    string_span: Range<usize>,
    decoded: &str,
    offset: usize,
) -> Range<usize> {
    let Some(raw) = file.text.get(string_span.clone()) else {
        return string_span;
    };
    let delimiter = if raw.starts_with("'''") || raw.starts_with("\"\"\"") {
        3
    } else {
        1
    };
    if raw.len() < 2 * delimiter {
        return string_span;
    }
    let mut body_start = string_span.start + delimiter;
    let Some(mut body) = raw.get(delimiter..raw.len() - delimiter) else {
        return string_span;
    };
    if delimiter == 3 {
        // TOML drops a newline right after the opening delimiter.
        for newline in ["\r\n", "\n"] {
            if let Some(rest) = body.strip_prefix(newline) {
                body = rest;
                body_start += newline.len();
                break;
            }
        }
    }
    if body != decoded {
        return string_span;
    }
    let start = body_start + offset.min(body.len());
    let width = body
        .get(offset.min(body.len())..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    start..start + width
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]
mod tests {
    use super::*;

    #[test]
    fn literal_errors_point_into_verbatim_strings() {
        let text = "expect = '[1, 2'\n";
        let file = SourceFile {
            name: "x.toml".into(),
            text: text.into(),
        };
        let string_span = 9..16;
        assert_eq!(&text[string_span.clone()], "'[1, 2'");
        assert_eq!(span_in_string(&file, string_span, "[1, 2", 5), 15..15);
        let escaped = "expect = \"a\\tb\"\n";
        let file = SourceFile {
            name: "x.toml".into(),
            text: escaped.into(),
        };
        assert_eq!(span_in_string(&file, 9..15, "a\tb", 2), 9..15);
    }

    #[test]
    fn fixture_paths_stay_inside_the_working_directory() {
        assert_eq!(
            normalise_fixture_path("data.txt").as_deref(),
            Some("data.txt")
        );
        assert_eq!(
            normalise_fixture_path("./root//sub/").as_deref(),
            Some("root/sub")
        );
        assert_eq!(normalise_fixture_path("/etc/passwd"), None);
        assert_eq!(normalise_fixture_path("a/../../b"), None);
        assert_eq!(normalise_fixture_path(""), None);
        assert_eq!(decode_hex("00 ff 41"), Some(vec![0, 255, 65]));
        assert_eq!(decode_hex("abc"), None);
        // Multi-byte characters once cut a byte slice in two.
        assert_eq!(decode_hex("aéb"), None);
        assert_eq!(decode_hex("éé"), None);
        assert_eq!(decode_hex("+1"), None);
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("LRUCache"));
        assert!(is_identifier("_put2"));
        assert!(!is_identifier("2x"));
        assert!(!is_identifier("get()"));
    }

    const HEADER: &str = r#"format = 1
title = "T"
difficulty = "easy"
prompt = "p"
starter = "s"
reference = '''
def three_sum(nums):
    return []

class Queue:
    pass
'''
[[case]]
name = "c"
call = "three_sum([])"
expect = "[]"
"#;

    fn load(extra: &str) -> Result<Exercise, Vec<String>> {
        let file = SourceFile {
            name: "t.toml".into(),
            text: format!("{HEADER}{extra}"),
        };
        super::super::load::parse("t", file).map_err(|invalid| {
            invalid
                .diagnostics
                .iter()
                .map(|d| format!("{} {}", d.message, d.help.clone().unwrap_or_default()))
                .collect()
        })
    }

    #[test]
    fn leetcode_tables_become_checked_entry_points() {
        let exercise = load(
            "[leetcode]\nproblem = 15\nslug = \"3sum\"\nfunctions = { three_sum = \"threeSum\" }\n",
        )
        .unwrap();
        let expected = LeetCodeEntry::Solution {
            functions: vec![("three_sum".into(), "threeSum".into())],
        };
        assert_eq!(exercise.support.leetcode.as_ref(), Some(&expected));
        let leetcode = exercise.leetcode.unwrap();
        assert_eq!((leetcode.problem, leetcode.slug.as_str()), (15, "3sum"));

        let design = load(
            "[leetcode]\nproblem = 232\nslug = \"q\"\nclass = \"Queue\"\nleetcode_class = \"MyQueue\"\nmethods = { enqueue = \"push\" }\n",
        )
        .unwrap();
        assert_eq!(
            design.support.leetcode,
            Some(LeetCodeEntry::Design {
                class: "Queue".into(),
                leetcode_class: "MyQueue".into(),
                methods: vec![("enqueue".into(), "push".into())],
            })
        );
        // Without a table, nothing changes.
        assert_eq!(load("").unwrap().support.leetcode, None);
    }

    #[test]
    fn bad_leetcode_tables_are_refused_with_reasons() {
        for (table, reason) in [
            (
                "problem = 0\nslug = \"x\"\nfunctions = { three_sum = \"a\" }",
                "problem number",
            ),
            (
                "problem = 1\nslug = \"Three Sum\"\nfunctions = { three_sum = \"a\" }",
                "not a LeetCode slug",
            ),
            (
                "problem = 1\nslug = \"x\"\nfunctions = { three_sum = \"three-sum\" }",
                "`three-sum` is not a Python name",
            ),
            (
                "problem = 1\nslug = \"x\"\nfunctions = { two_sum = \"twoSum\" }",
                "the reference defines no `two_sum`",
            ),
            ("problem = 1\nslug = \"x\"", "names no entry point"),
            (
                "problem = 1\nslug = \"x\"\nfunctions = { three_sum = \"a\" }\nclass = \"Queue\"",
                "not both",
            ),
            (
                "problem = 1\nslug = \"x\"\nfunctions = { three_sum = \"a\" }\nmethods = { a = \"b\" }",
                "it needs `class`",
            ),
            (
                "problem = 1\nslug = \"x\"\nfunction = { three_sum = \"a\" }",
                "did you mean `functions`?",
            ),
        ] {
            let problems = load(&format!("[leetcode]\n{table}\n")).unwrap_err();
            assert!(
                problems.iter().any(|problem| problem.contains(reason)),
                "{table}: {problems:?}"
            );
        }
    }

    #[test]
    fn sequences_settings_are_checked() {
        let exercise = load("[compare]\nsequences = \"any\"\n").unwrap();
        assert_eq!(exercise.cases[0].sequences, Sequences::Any);
        assert_eq!(load("").unwrap().cases[0].sequences, Sequences::Typed);
        let problems = load("[compare]\nsequences = \"anytop\"\n").unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("is not a `sequences` setting")),
            "{problems:?}"
        );
    }

    #[test]
    fn top_level_definitions_are_found_by_name() {
        let source =
            "class LRUCache:\n    def get(self):\n        pass\ndef three_sum(nums):\n    pass\n";
        assert!(defines_at_top_level(source, "LRUCache"));
        assert!(defines_at_top_level(source, "three_sum"));
        assert!(!defines_at_top_level(source, "get"));
        assert!(!defines_at_top_level(source, "three"));
    }
}
