//! Deciding a case's verdict: the one place it happens.
//!
//! The judge looks at what the runner observed and decides in named steps, in the order of
//! [`Verdict`]'s precedence: a limit hit ([`limits`]), a process that ended without a frame
//! ([`process`]), the frame's outcome, and last a finished case's result, fitted to the kind of
//! case and compared with what it expects ([`result`]). Accepted needs everything to line up:
//! exactly one well-formed frame, a finished case, no limit hit and the comparator agreeing.
//! Anything else fails closed. [`explain`] adds what the feedback says beyond the verdict.

mod explain;
mod limits;
mod process;
mod result;

use crate::exercise::Case;
use crate::runner::protocol::SyntaxProblem;
use crate::runner::{
    Finished, Frame, FrameError, HarnessOutcome, Phase, ProcessEnd, RunOutput, RunnerError, Usage,
};
use crate::value::Value;

use super::{CaseOutcome, Feedback, LoadFailure, LoadKind, Verdict};
use explain::{
    cap_feedback, describe_exception, exception_summary, explain_entry, explain_missing_entry,
    innermost_line, non_empty, with_article,
};
use result::{Fitted, ValueCheck};

pub(crate) use limits::limit_outcome;

/// Judges one case from what its run produced.
pub fn judge(case: &Case, run: Result<RunOutput, RunnerError>) -> CaseOutcome {
    let output = match run {
        Ok(output) => output,
        Err(error) => {
            return CaseOutcome {
                verdict: Verdict::InternalError,
                feedback: Feedback::message(format!("kata could not run this case: {error}")),
                usage: Usage::default(),
                growth: None,
            };
        }
    };
    let (verdict, mut feedback) = decide(case, &output);
    if let Ok(frame) = &output.frame
        && output.limit.is_none()
    {
        explain_missing_entry(frame, &mut feedback);
        explain_entry(&frame.notes, verdict, &mut feedback);
    }
    if case.hidden {
        // Nobody may see a hidden case's values, so they are never rendered.
        feedback.mismatch = None;
    }
    cap_feedback(&mut feedback);
    CaseOutcome {
        verdict,
        feedback,
        usage: output.usage,
        growth: None,
    }
}

/// Why judging stopped before the comparison.
enum Stop {
    /// The frame cannot be trusted: the submission wrote it.
    Tampered(&'static str),
    /// The case finished, but its process did not end cleanly after it.
    Unclean,
}

fn decide(case: &Case, output: &RunOutput) -> (Verdict, Feedback) {
    if let Some(limit) = output.limit {
        return limits::stopped(case, limit, output);
    }
    let frame = match &output.frame {
        Ok(frame) => frame,
        Err(FrameError::Missing) => return process::no_frame(output),
        Err(FrameError::Malformed(why)) => return tampered(why),
    };
    let mut feedback = Feedback {
        stderr: non_empty(format!("{}{}", frame.stderr, output.raw_stderr)),
        ..Feedback::default()
    };
    let verdict = match outcome(case, frame, output.exit, &mut feedback) {
        Ok(verdict) => verdict,
        Err(Stop::Tampered(why)) => return tampered(why),
        Err(Stop::Unclean) => {
            feedback.message = Some("the process did not end cleanly after the case".into());
            return (Verdict::RuntimeError, feedback);
        }
    };
    // What the candidate printed, unless it is the result itself and the diff already shows it.
    let printed = if case.returns_value() || feedback.mismatch.is_none() {
        format!("{}{}", frame.setup_stdout, frame.stdout)
    } else {
        frame.setup_stdout.clone()
    };
    feedback.stdout = non_empty(printed);
    (verdict, feedback)
}

fn tampered(why: &str) -> (Verdict, Feedback) {
    (
        Verdict::RuntimeError,
        Feedback::message(format!(
            "the submission tampered with kata's result channel, so its result cannot be trusted ({why})"
        )),
    )
}

/// The verdict of what the frame reports.
fn outcome(
    case: &Case,
    frame: &Frame,
    exit: ProcessEnd,
    feedback: &mut Feedback,
) -> Result<Verdict, Stop> {
    Ok(match &frame.outcome {
        HarnessOutcome::Finished(finished) => {
            return finished_case(case, frame, finished, exit, feedback);
        }
        HarnessOutcome::OutputLimit { stream } => {
            let (verdict, message) =
                limits::output_limit(&case.limits, *stream, limits::learner(case));
            feedback.message = Some(message);
            verdict
        }
        HarnessOutcome::Raised { exception, .. } if limits::out_of_memory(exception) => {
            let (verdict, message) = limits::memory_limit(&case.limits);
            feedback.message = Some(message);
            verdict
        }
        HarnessOutcome::SetupError { message } | HarnessOutcome::HarnessError { message } => {
            feedback.message = Some(format!(
                "the exercise or kata failed, not the submission: {message}"
            ));
            Verdict::InternalError
        }
        HarnessOutcome::SyntaxError(problem) => syntax_error(problem, feedback),
        HarnessOutcome::Raised { phase, exception } => raised(case, *phase, exception, feedback),
        HarnessOutcome::Stopped { .. } => {
            return Err(Stop::Tampered(
                "it reported the CPU limit, which it had not reached",
            ));
        }
        HarnessOutcome::Exit { code, message } => {
            feedback.message = Some(match message {
                Some(message) => format!("exited with status {code}: {message}"),
                None => format!("exited with status {code}"),
            });
            Verdict::RuntimeError
        }
    })
}

/// The submission does not compile: a load failure of the whole submission.
fn syntax_error(problem: &SyntaxProblem, feedback: &mut Feedback) -> Verdict {
    let place = match (problem.line, problem.column) {
        (Some(line), Some(column)) => format!(" (line {line}, column {column})"),
        (Some(line), None) => format!(" (line {line})"),
        _ => String::new(),
    };
    feedback.message = Some(format!("{}: {}{place}", problem.type_name, problem.message));
    feedback.traceback = problem.traceback.clone();
    feedback.load = Some(LoadFailure {
        kind: LoadKind::SyntaxError,
        type_name: problem.type_name.clone(),
        // The place is in `line` and `column`, for each format to show its own way.
        message: format!("{}: {}", problem.type_name, problem.message),
        line: problem.line,
        column: problem.column,
        traceback: problem.traceback.clone(),
    });
    Verdict::SyntaxError
}

/// The candidate's code raised: a wrong answer or accepted when the case expects that very
/// exception, a runtime error otherwise.
fn raised(
    case: &Case,
    phase: Phase,
    exception: &crate::value::Raised,
    feedback: &mut Feedback,
) -> Verdict {
    if phase == Phase::Case
        && let Some(check) = ValueCheck::of(&case.expectation, case.hidden)
        && matches!(check.expected, Value::Raised(_))
    {
        return result::compare_value(check, &Value::Raised(exception.clone()), feedback);
    }
    describe_exception(phase, exception, feedback);
    if phase == Phase::Import {
        feedback.load = Some(LoadFailure {
            kind: LoadKind::ImportError,
            type_name: exception.class_name().to_string(),
            message: exception_summary(exception),
            line: exception.traceback.as_deref().and_then(innermost_line),
            column: None,
            traceback: feedback.traceback.clone(),
        });
    }
    Verdict::RuntimeError
}

/// A case that ran to the end: its result, fitted to the case's kind, then compared.
fn finished_case(
    case: &Case,
    frame: &Frame,
    finished: &Finished,
    exit: ProcessEnd,
    feedback: &mut Feedback,
) -> Result<Verdict, Stop> {
    let fitted = result::fit(&case.expectation, case.hidden, finished).map_err(Stop::Tampered)?;
    // An uncomparable value is wrong however the process ended; anything else must end cleanly.
    if !matches!(fitted, Fitted::BadValue { .. }) && exit != ProcessEnd::Code(0) {
        return Err(Stop::Unclean);
    }
    Ok(match fitted {
        Fitted::Returned { check, actual } => result::compare_value(check, actual, feedback),
        // A growth case without `expect`: any value will do, its cost is judged apart.
        Fitted::AnyValue => Verdict::Accepted,
        Fitted::Printed {
            expected,
            comparator,
        } => result::compare_printed(expected, &frame.stdout, comparator, feedback),
        Fitted::BadValue { type_name, path } => {
            let place = path
                .subscripts()
                .map(|subscripts| format!(" at {subscripts}"))
                .unwrap_or_default();
            feedback.message = Some(format!(
                "returned {}{place}, which kata cannot compare: return built-in values \
                 (None, bool, int, float, str, bytes, list, tuple, set, frozenset, dict)",
                with_article(type_name.as_str())
            ));
            Verdict::WrongAnswer
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercise::{
        Expectation, Limits, Sequences, TextComparator, TextInput, ValueComparator, ValueInput,
    };

    fn case(expectation: Expectation) -> Case {
        Case {
            name: "c".into(),
            line: 1,
            expectation,
            hidden: false,
            points: 1,
            limits: Limits::default(),
            fixtures: Vec::new(),
            growth: None,
        }
    }

    fn finished(finished: Finished) -> RunOutput {
        RunOutput {
            frame: Ok(Frame {
                outcome: HarnessOutcome::Finished(finished),
                stdout: "4\n".into(),
                stderr: String::new(),
                setup_stdout: String::new(),
                notes: Default::default(),
            }),
            exit: ProcessEnd::Code(0),
            limit: None,
            raw_stderr: String::new(),
            usage: Usage::default(),
        }
    }

    /// A report of the wrong kind for its case was written by the submission: a runtime error
    /// that says so, never kata's internal error.
    #[test]
    fn a_result_of_the_other_kind_is_tampering() {
        let text = case(Expectation::Prints {
            input: TextInput::Stdin { text: "2".into() },
            expected: "4".into(),
            comparator: TextComparator::Rstrip,
        });
        let value = case(Expectation::Returns {
            input: ValueInput::Call { expr: "f()".into() },
            expected: Value::None,
            comparator: ValueComparator::Exact,
            sequences: Sequences::Typed,
        });
        let cost = case(Expectation::CostOnly { expr: "f()".into() });
        for (case, run) in [
            (&text, finished(Finished::Returned(Value::None))),
            (&value, finished(Finished::Printed)),
            (&cost, finished(Finished::Printed)),
        ] {
            let outcome = judge(case, Ok(run));
            assert_eq!(outcome.verdict, Verdict::RuntimeError);
            let message = outcome.feedback.message.unwrap_or_default();
            assert!(
                message.contains("tampered") && message.contains("does not fit this kind of case"),
                "{message}"
            );
        }
        for (case, run) in [
            (&text, finished(Finished::Printed)),
            (&value, finished(Finished::Returned(Value::None))),
            (&cost, finished(Finished::Returned(Value::Int(7.into())))),
        ] {
            assert_eq!(judge(case, Ok(run)).verdict, Verdict::Accepted);
        }
    }
}
