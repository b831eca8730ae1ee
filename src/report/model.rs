//! The report: one serialisable model of a graded submission, rendered by every format.
//!
//! Building the model is where hidden cases lose their details: a [`CaseReport`] for a hidden
//! case carries its name, verdict and points, and nothing else, so no renderer can leak a
//! hidden input, output or error message even by mistake. Resource figures (time, CPU, memory,
//! fuel, a growth case's measured costs) go too: the submission controls them, so it could
//! encode a hidden input in them.
//!
//! The JSON form of [`SubmissionReport`] is a public contract (`schema_version` 1): fields may
//! be added, never renamed or removed.

use serde::{Deserialize, Serialize};

use super::escape::visible_line;
use crate::exercise::{Case, CaseInput, Exercise, OpStep};
use crate::grade::growth::Measurement;
use crate::grade::{CaseOutcome, LoadFailure, LoadKind, Verdict, diff};
use crate::session::{Graded, StopReason, Stopped};

/// The JSON schema version of reports.
pub const SCHEMA_VERSION: u32 = 1;

/// One submission graded against one exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmissionReport {
    pub schema_version: u32,
    pub exercise: String,
    pub title: String,
    /// The file that was graded, as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub sandbox: String,
    pub status: Status,
    /// The most severe verdict of any case.
    pub verdict: Verdict,
    pub points: u32,
    pub max_points: u32,
    pub passed: usize,
    /// Every case not passed, including those not run.
    pub failed: usize,
    /// Cases not run (each says why in its `not_run`); absent when every case ran.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub not_run: usize,
    /// Why the submission could not be loaded at all: said once here, and its cases not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_error: Option<LoadError>,
    pub cases: Vec<CaseReport>,
}

/// A submission that did not load. It tells nothing of any case: a syntax error comes from the
/// source alone, and an exception at import is only reported here when the import saw nothing
/// of a hidden case (see `session`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadError {
    pub kind: LoadErrorKind,
    /// The exception's class, e.g. `SyntaxError`, `IndentationError`, `NameError`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// One line: what went wrong.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traceback: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoadErrorKind {
    SyntaxError,
    ImportError,
}

impl LoadErrorKind {
    /// The kebab-case name, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            LoadErrorKind::SyntaxError => "syntax-error",
            LoadErrorKind::ImportError => "import-error",
        }
    }
}

/// Why a case was not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotRun {
    /// The submission did not load (its `load_error` says why).
    NotLoaded,
    /// The submission ran out of time on too many cases (`kata grade --max-timeouts`).
    Timeouts,
    /// An earlier case failed (`kata check --fail-fast`).
    FailFast,
}

impl NotRun {
    /// Words for people, after "not run: ".
    pub fn explain(self) -> &'static str {
        match self {
            NotRun::NotLoaded => "the submission did not load",
            NotRun::Timeouts => "the submission exceeded the time limit too often (--max-timeouts)",
            NotRun::FailFast => "stopped at the first failing case (--fail-fast)",
        }
    }
}

/// `pass` when every case is accepted, `error` when kata itself failed on some case, `fail`
/// otherwise (Exercism's results.json uses the same three words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pass,
    Fail,
    Error,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseReport {
    pub name: String,
    pub hidden: bool,
    /// `pass`, `fail` or `error` (kata's own failure), as Exercism's results.json says it.
    pub status: Status,
    pub verdict: Verdict,
    /// Points awarded.
    pub points: u32,
    pub max_points: u32,
    /// `call`, `ops`, `script` or `stdin`.
    pub kind: String,
    /// How results were compared, e.g. `exact` or `text (rstrip)`.
    pub comparator: String,
    /// Set when the case was not run, saying why. Such a case has no figures and no details,
    /// scores nothing, and carries the verdict that stopped its submission, so that readers
    /// that do not know this field still count it as failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_run: Option<NotRun>,
    /// Wall-clock time of the run, including interpreter start-up. This and the figures below
    /// are absent for hidden cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_kb: Option<u64>,
    /// Deterministic instruction budget used (wasm sandbox only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fuel: Option<u64>,
    /// How a growth case's cost grew with `n` (growth cases only; absent for hidden cases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub growth: Option<Measurement>,
    /// Everything below is absent for hidden cases.
    #[serde(flatten)]
    pub details: Option<CaseDetails>,
}

impl Status {
    pub fn of(verdict: Verdict) -> Status {
        match verdict {
            Verdict::Accepted => Status::Pass,
            Verdict::InternalError => Status::Error,
            _ => Status::Fail,
        }
    }
}

/// What a visible case can tell about itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseDetails {
    /// The case's input: the call, the operations, the script or the stdin text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// One line: what went wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// A plain-text line diff of expected (`-`) against actual (`+`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub whitespace_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traceback: Option<String>,
    /// What the candidate printed when that was not itself the result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stdout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stderr: Option<String>,
}

fn is_false(value: &bool) -> bool {
    !value
}

fn is_zero(value: &usize) -> bool {
    *value == 0
}

impl SubmissionReport {
    /// Builds the report for one submission from every case's outcome, in case order.
    pub fn new(
        exercise: &Exercise,
        sandbox: &str,
        file: Option<String>,
        outcomes: &[CaseOutcome],
    ) -> SubmissionReport {
        let cases = exercise
            .cases
            .iter()
            .zip(outcomes)
            .map(|(case, outcome)| CaseReport::new(case, outcome))
            .collect();
        Self::from_cases(exercise, sandbox, file, None, cases)
    }

    /// Builds the report for one submission graded with stops: cases not run say why, and a
    /// submission that did not load says so once.
    pub fn from_graded(
        exercise: &Exercise,
        sandbox: &str,
        file: Option<String>,
        graded: &Graded,
    ) -> SubmissionReport {
        let cases = exercise
            .cases
            .iter()
            .zip(&graded.cases)
            .map(|(case, outcome)| match (outcome, &graded.stopped) {
                (Some(outcome), _) => CaseReport::new(case, outcome),
                (None, Some(stopped)) => CaseReport::not_run(case, stopped),
                (None, None) => unreachable!("a case is only skipped once its submission stops"),
            })
            .collect();
        let load_error = graded.load_error().map(LoadError::new);
        Self::from_cases(exercise, sandbox, file, load_error, cases)
    }

    fn from_cases(
        exercise: &Exercise,
        sandbox: &str,
        file: Option<String>,
        load_error: Option<LoadError>,
        cases: Vec<CaseReport>,
    ) -> SubmissionReport {
        let passed = cases.iter().filter(|c| c.verdict.is_accepted()).count();
        let verdict = cases
            .iter()
            .map(|c| c.verdict)
            .fold(Verdict::Accepted, Verdict::worst);
        SubmissionReport {
            schema_version: SCHEMA_VERSION,
            exercise: exercise.id.clone(),
            title: exercise.title.clone(),
            file,
            sandbox: sandbox.to_string(),
            status: Status::of(verdict),
            verdict,
            points: cases.iter().map(|c| c.points).sum(),
            max_points: exercise.max_points(),
            passed,
            failed: cases.len() - passed,
            not_run: cases.iter().filter(|c| c.not_run.is_some()).count(),
            load_error,
            cases,
        }
    }
}

impl LoadError {
    fn new(load: &LoadFailure) -> LoadError {
        LoadError {
            kind: match load.kind {
                LoadKind::SyntaxError => LoadErrorKind::SyntaxError,
                LoadKind::ImportError => LoadErrorKind::ImportError,
            },
            type_name: load.type_name.clone(),
            message: load.message.clone(),
            line: load.line,
            column: load.column,
            traceback: load.traceback.clone(),
        }
    }
}

impl SubmissionReport {
    /// Drops whatever a hidden case should not carry. Reports read back from files (shard
    /// reports to merge) go through this, so a doctored file cannot make kata print hidden
    /// details either.
    pub fn without_hidden_details(mut self) -> Self {
        for case in &mut self.cases {
            if case.hidden {
                case.hide_details();
            }
        }
        self
    }
}

impl SubmissionReport {
    /// Checks that every total is what the cases add up to, with checked arithmetic: a report
    /// read back from a file must not be believed on its word.
    pub fn check_totals(&self) -> Result<(), String> {
        let mut points: u32 = 0;
        let mut max_points: u32 = 0;
        let mut passed = 0;
        let mut verdict = Verdict::Accepted;
        for case in &self.cases {
            let awarded = if case.verdict.is_accepted() {
                case.max_points
            } else {
                0
            };
            if case.points != awarded {
                return Err(format!(
                    "case `{}` has {} of {} points with verdict {}",
                    visible_line(&case.name),
                    case.points,
                    case.max_points,
                    case.verdict.as_str()
                ));
            }
            if case.status != Status::of(case.verdict) {
                return Err(format!(
                    "case `{}` has a status that does not match its verdict",
                    visible_line(&case.name)
                ));
            }
            let overflow = || "its points overflow".to_string();
            points = points.checked_add(case.points).ok_or_else(overflow)?;
            max_points = max_points
                .checked_add(case.max_points)
                .ok_or_else(overflow)?;
            passed += usize::from(case.verdict.is_accepted());
            verdict = verdict.worst(case.verdict);
        }
        let claims = [
            ("points", u64::from(self.points), u64::from(points)),
            (
                "max_points",
                u64::from(self.max_points),
                u64::from(max_points),
            ),
            ("passed", self.passed as u64, passed as u64),
            (
                "not_run",
                self.not_run as u64,
                self.cases.iter().filter(|c| c.not_run.is_some()).count() as u64,
            ),
            (
                "failed",
                self.failed as u64,
                (self.cases.len() - passed) as u64,
            ),
        ];
        for (field, claimed, actual) in claims {
            if claimed != actual {
                return Err(format!(
                    "`{field}` says {claimed} but its cases add up to {actual}"
                ));
            }
        }
        if self.verdict != verdict || self.status != Status::of(verdict) {
            return Err(format!(
                "its verdict and status do not match its cases' (worst verdict: {})",
                verdict.as_str()
            ));
        }
        Ok(())
    }
}

impl CaseReport {
    fn new(case: &Case, outcome: &CaseOutcome) -> CaseReport {
        let accepted = outcome.verdict.is_accepted();
        let details = (!case.hidden).then(|| details(case, outcome));
        let mut report = CaseReport {
            name: case.name.clone(),
            hidden: case.hidden,
            status: Status::of(outcome.verdict),
            verdict: outcome.verdict,
            points: if accepted { case.points } else { 0 },
            max_points: case.points,
            kind: case.kind().to_string(),
            comparator: case.expectation.describe_comparison(),
            not_run: None,
            time_ms: Some(outcome.usage.wall.as_millis() as u64),
            cpu_ms: outcome.usage.cpu.map(|cpu| cpu.as_millis() as u64),
            memory_kb: outcome.usage.peak_memory_kb,
            fuel: outcome.usage.fuel,
            growth: outcome.growth.clone(),
            details,
        };
        if case.hidden {
            report.hide_details();
        }
        report
    }

    /// A case that was not run: its name, the verdict that stopped its submission, no points.
    fn not_run(case: &Case, stopped: &Stopped) -> CaseReport {
        CaseReport {
            name: case.name.clone(),
            hidden: case.hidden,
            status: Status::of(stopped.verdict),
            verdict: stopped.verdict,
            points: 0,
            max_points: case.points,
            kind: case.kind().to_string(),
            comparator: case.expectation.describe_comparison(),
            not_run: Some(match stopped.reason {
                StopReason::NotLoaded(_) => NotRun::NotLoaded,
                StopReason::Timeouts(_) => NotRun::Timeouts,
                StopReason::FailFast => NotRun::FailFast,
            }),
            time_ms: None,
            cpu_ms: None,
            memory_kb: None,
            fuel: None,
            growth: None,
            details: None,
        }
    }

    /// Keeps only what a hidden case may show: its name, verdict and points.
    fn hide_details(&mut self) {
        self.details = None;
        self.time_ms = None;
        self.cpu_ms = None;
        self.memory_kb = None;
        self.fuel = None;
        self.growth = None;
    }
}

fn details(case: &Case, outcome: &CaseOutcome) -> CaseDetails {
    let feedback = &outcome.feedback;
    let mismatch = feedback.mismatch.as_ref();
    CaseDetails {
        input: Some(describe_input(&case.input())),
        message: feedback.message.clone(),
        expected: mismatch.map(|m| m.expected.clone()),
        actual: mismatch.map(|m| m.actual.clone()),
        diff: mismatch.map(|m| diff::plain(&diff::diff(&m.expected, &m.actual, m.whitespace_only))),
        note: mismatch.and_then(|m| m.note.clone()),
        whitespace_only: mismatch.is_some_and(|m| m.whitespace_only),
        traceback: feedback.traceback.clone(),
        stdout: feedback.stdout.clone(),
        stderr: feedback.stderr.clone(),
    }
}

/// The case's input as a person would read it.
pub fn describe_input(input: &CaseInput) -> String {
    match input {
        CaseInput::Call { expr } => expr.clone(),
        CaseInput::Ops { steps } => {
            let calls: Vec<String> = steps.iter().map(OpStep::call).collect();
            calls.join(", ")
        }
        CaseInput::Script { code } => code.trim_end().to_string(),
        CaseInput::Stdin { text } => text.clone(),
    }
}
