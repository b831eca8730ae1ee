//! Deciding a case's verdict: the one place it happens.
//!
//! The judge looks at what the runner observed (limits hit, how the process ended, the frame)
//! and compares the result with the expected value using the case's comparator. Accepted needs
//! everything to line up: exactly one well-formed frame, a finished case, no limit hit and the
//! comparator agreeing. Anything else fails closed, in the order of [`Verdict`]'s precedence.

use crate::exercise::{Case, CaseInput, Comparison, Expected, Limits};
use crate::runner::protocol::{CappedStream, EntryNotes, StuckAt};
use crate::runner::{
    ExitStatus, Frame, FrameError, GuestTrap, LimitHit, Outcome, Phase, RunOutput, RunnerError,
    Stream, Usage,
};
use crate::units::{bytes, duration, fuel};
use crate::value::{Raised, Value, literal, pretty_capped, repr, repr_capped};

use super::compare::{compare_sequences, compare_text};
use super::{CaseOutcome, Feedback, LoadFailure, LoadKind, Mismatch, Verdict};

/// Width at which long values are broken one element per line in diffs.
const PRETTY_WIDTH: usize = 72;
/// The most of one side of a mismatch that is rendered: enough to find a difference, small
/// enough that a case's report stays under 64 KiB whatever came back.
const PRETTY_BYTES: usize = 8 << 10;
/// The most kept of each text a case reports (stdout, stderr, a traceback).
const TEXT_BYTES: usize = 8 << 10;
/// The most kept of a one-line message.
const MESSAGE_BYTES: usize = 2 << 10;
/// The most kept of one result in an ops table.
const STEP_BYTES: usize = 200;

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

/// A submission without the entry point a case calls failed to load (the harness reports it
/// so): the harness's explanation is the whole message, with no `NameError` or traceback.
fn explain_missing_entry(frame: &Frame, feedback: &mut Feedback) {
    let (Some(name), Outcome::Raised { exception, .. }) =
        (&frame.notes.missing_entry, &frame.outcome)
    else {
        return;
    };
    let explanation = match exception.message.as_deref() {
        Some(explanation) if !explanation.is_empty() => explanation.to_string(),
        _ => format!("the submission defines no `{name}`, which kata calls"),
    };
    // The load failure reported once per submission says the same, not "NameError: ...".
    if let Some(load) = &mut feedback.load {
        load.message = explanation.clone();
        load.traceback = None;
        load.line = None;
    }
    feedback.message = Some(explanation);
    feedback.traceback = None;
}

/// Says how the harness called the submission when it matters: through LeetCode's entry point
/// (always), and past the candidate's own versions of kata's support classes (when it failed,
/// since that may be why).
fn explain_entry(notes: &EntryNotes, verdict: Verdict, feedback: &mut Feedback) {
    let mut extra = Vec::new();
    if let Some(via) = &notes.via {
        extra.push(format!("graded through LeetCode's entry point `{via}`"));
    }
    if !verdict.is_accepted() && !notes.shadowed.is_empty() {
        let names: Vec<String> = notes
            .shadowed
            .iter()
            .map(|name| format!("`{name}`"))
            .collect();
        extra.push(format!(
            "the submission defines its own {}: kata builds the case's inputs with kata's \
             version, as the prompt describes it, so those are the objects the submission receives",
            names.join(", "),
        ));
    }
    if extra.is_empty() {
        return;
    }
    let extra = extra.join("; ");
    feedback.message = Some(match feedback.message.take() {
        Some(message) => format!("{message} ({extra})"),
        None => capitalised(&extra),
    });
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Cuts every text of the feedback to its cap, saying how much was cut.
fn cap_feedback(feedback: &mut Feedback) {
    for (text, max) in [
        (&mut feedback.message, MESSAGE_BYTES),
        (&mut feedback.traceback, TEXT_BYTES),
        (&mut feedback.stdout, TEXT_BYTES),
        (&mut feedback.stderr, TEXT_BYTES),
    ] {
        if let Some(text) = text {
            cap_text(text, max);
        }
    }
    if let Some(load) = &mut feedback.load {
        cap_text(&mut load.message, MESSAGE_BYTES);
        if let Some(traceback) = &mut load.traceback {
            cap_text(traceback, TEXT_BYTES);
        }
    }
    if let Some(mismatch) = &mut feedback.mismatch {
        cap_text(&mut mismatch.expected, PRETTY_BYTES + MESSAGE_BYTES);
        cap_text(&mut mismatch.actual, PRETTY_BYTES + MESSAGE_BYTES);
    }
}

/// Cuts `text` to about `max` bytes, at a character boundary, with a note of what was cut.
pub fn cap_text(text: &mut String, max: usize) {
    if text.len() <= max {
        return;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text.len() - end;
    text.truncate(end);
    text.push_str(&format!("\n… ({} more cut)", bytes(cut as u64)));
}

fn tampered(why: &str) -> (Verdict, Feedback) {
    (
        Verdict::RuntimeError,
        Feedback::message(format!(
            "the submission tampered with kata's result channel, so its result cannot be trusted ({why})"
        )),
    )
}

/// The verdict and message of a run that hit a limit (time, memory, output), whatever its case
/// expects; `None` when it hit none. `kata record` asks this too, so that it never records
/// what grading would reject.
pub fn limit_outcome(limits: &Limits, output: &RunOutput) -> Option<(Verdict, String)> {
    if let Some(limit) = output.limit {
        let (verdict, feedback) = limit_verdict(limit, limits, Reader::Author, output);
        return Some((verdict, feedback.message.unwrap_or_default()));
    }
    match &output.frame {
        Ok(frame) => frame_limit(limits, &frame.outcome),
        Err(FrameError::Missing) if output.raw_stderr.contains("MemoryError") => Some((
            Verdict::MemoryLimitExceeded,
            "ran out of memory".to_string(),
        )),
        Err(_) => None,
    }
}

/// A limit the harness reported in its frame: output past its cap, or a `MemoryError` (which
/// under the memory limit is the limit, whatever the code meant to raise).
fn frame_limit(limits: &Limits, outcome: &Outcome) -> Option<(Verdict, String)> {
    match outcome {
        Outcome::OutputLimit { stream } => Some(output_limit(limits, *stream, Reader::Author)),
        Outcome::Raised { exception, .. } if out_of_memory(exception) => Some(memory_limit(limits)),
        _ => None,
    }
}

fn out_of_memory(exception: &Raised) -> bool {
    exception
        .class_names
        .iter()
        .any(|name| name == "MemoryError")
}

fn memory_limit(limits: &Limits) -> (Verdict, String) {
    (
        Verdict::MemoryLimitExceeded,
        format!(
            "ran out of memory (the limit is {})",
            bytes(limits.memory_bytes)
        ),
    )
}

fn output_limit(limits: &Limits, stream: CappedStream, reader: Reader) -> (Verdict, String) {
    let message = match stream {
        CappedStream::Value => "returned a value too large to compare".to_string(),
        stream => printed_too_much(limits, stream.as_str(), reader),
    };
    (Verdict::OutputLimitExceeded, message)
}

/// Who reads a limit's message: a learner is told what to do about it, an author recording
/// expectations only what happened.
#[derive(Debug, Clone, Copy)]
enum Reader {
    Learner { returns_value: bool },
    Author,
}

/// Output past the limit, and for a learner what to do about it: in a case that compares the
/// returned value, the printing is all debugging output, which is worth saying.
fn printed_too_much(limits: &Limits, stream: &str, reader: Reader) -> String {
    let what = format!(
        "printed more than {} to {stream}",
        bytes(limits.output_bytes)
    );
    let Reader::Learner { returns_value } = reader else {
        return what;
    };
    if returns_value {
        format!(
            "{what}; this case checks only the returned value, so that is print() output, \
             most likely debugging: remove those prints (or put them behind a flag such as \
             `DEBUG = False`) and check again"
        )
    } else {
        format!("{what}; is a print() inside a loop printing more than the answer?")
    }
}

fn decide(case: &Case, output: &RunOutput) -> (Verdict, Feedback) {
    if let Some(limit) = output.limit {
        let (verdict, mut feedback) = limit_verdict(limit, &case.limits, learner(case), output);
        // Where the code was when the CPU limit stopped it; not for hidden cases, whose
        // control flow could say something about their input.
        if let (LimitHit::Cpu, false, Ok(frame)) = (limit, case.hidden, &output.frame)
            && let Outcome::Stopped { at } = &frame.outcome
            && let Some(message) = &mut feedback.message
        {
            message.push_str(&stopped_at(at));
        }
        return (verdict, feedback);
    }
    let frame = match &output.frame {
        Ok(frame) => frame,
        Err(FrameError::Missing) => return no_frame(output),
        Err(FrameError::Malformed(why)) => return tampered(why),
    };
    if !frame.outcome.fits(case.input.returns_value()) {
        return tampered("its report does not fit this kind of case");
    }
    let mut feedback = Feedback {
        stderr: non_empty(format!("{}{}", frame.stderr, output.raw_stderr)),
        ..Feedback::default()
    };
    let verdict = match &frame.outcome {
        Outcome::OutputLimit { stream } => {
            let (verdict, message) = output_limit(&case.limits, *stream, learner(case));
            feedback.message = Some(message);
            verdict
        }
        Outcome::Raised { exception, .. } if out_of_memory(exception) => {
            let (verdict, message) = memory_limit(&case.limits);
            feedback.message = Some(message);
            verdict
        }
        Outcome::SetupError { message } | Outcome::HarnessError { message } => {
            feedback.message = Some(format!(
                "the exercise or kata failed, not the submission: {message}"
            ));
            Verdict::InternalError
        }
        Outcome::SyntaxError(problem) => {
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
        Outcome::Raised { phase, exception } => {
            if *phase == Phase::Case
                && let Expected::Value(expected @ Value::Raised(_)) = &case.expected
            {
                compare_value_result(
                    case,
                    expected,
                    &Value::Raised(exception.clone()),
                    &mut feedback,
                )
            } else {
                describe_exception(*phase, exception, &mut feedback);
                if *phase == Phase::Import {
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
        }
        Outcome::Stopped { .. } => {
            return tampered("it reported the CPU limit, which it had not reached");
        }
        Outcome::Exit { code, message } => {
            feedback.message = Some(match message {
                Some(message) => format!("exited with status {code}: {message}"),
                None => format!("exited with status {code}"),
            });
            Verdict::RuntimeError
        }
        Outcome::BadValue { type_name, path } => {
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
        Outcome::Finished { value } => {
            if output.exit != ExitStatus::Code(0) {
                feedback.message = Some("the process did not end cleanly after the case".into());
                return (Verdict::RuntimeError, feedback);
            }
            match (&case.expected, value) {
                (Expected::Value(expected), Some(actual)) => {
                    compare_value_result(case, expected, actual, &mut feedback)
                }
                // A growth case without `expect`: any value will do, its cost is judged apart.
                (Expected::Any, Some(_)) => Verdict::Accepted,
                (Expected::Text(expected), None) => {
                    let Comparison::Text(comparator) = case.comparison else {
                        return mismatched_exercise();
                    };
                    let comparison = compare_text(expected, &frame.stdout, comparator);
                    if comparison.equal {
                        Verdict::Accepted
                    } else {
                        feedback.mismatch = Some(Mismatch {
                            expected: expected.clone(),
                            actual: frame.stdout.clone(),
                            whitespace_only: comparison.whitespace_only,
                            note: comparison
                                .whitespace_only
                                .then(|| "only whitespace differs (shown as · and ⏎)".to_string()),
                        });
                        Verdict::WrongAnswer
                    }
                }
                // The frame fits the case's kind (checked above), so only the exercise can be off.
                _ => return mismatched_exercise(),
            }
        }
    };
    // What the candidate printed, unless it is the result itself and the diff already shows it.
    let printed = if case.input.returns_value() || feedback.mismatch.is_none() {
        format!("{}{}", frame.setup_stdout, frame.stdout)
    } else {
        frame.setup_stdout.clone()
    };
    feedback.stdout = non_empty(printed);
    (verdict, feedback)
}

/// The loaded exercise pairs an expected result with the wrong kind of case: a fact of the
/// host's own, so kata's failure.
fn mismatched_exercise() -> (Verdict, Feedback) {
    (
        Verdict::InternalError,
        Feedback::message(
            "the exercise's expected result does not fit the kind of case (a bug in kata: please report it)",
        ),
    )
}

fn compare_value_result(
    case: &Case,
    expected: &Value,
    actual: &Value,
    feedback: &mut Feedback,
) -> Verdict {
    let Comparison::Value(comparator) = case.comparison else {
        feedback.message = mismatched_exercise().1.message;
        return Verdict::InternalError;
    };
    let comparison = compare_sequences(expected, actual, comparator, case.sequences);
    if comparison.equal {
        return Verdict::Accepted;
    }
    if let CaseInput::Ops { ops, args } = &case.input {
        // A method that raised where a value was expected is a crash, not a wrong value.
        if let Some((step, raised)) = first_unexpected_raise(expected, actual) {
            let call = ops_calls(ops, args)
                .into_iter()
                .nth(step)
                .unwrap_or_default();
            describe_exception(Phase::Case, raised, feedback);
            feedback.message = Some(format!(
                "{call} raised {}",
                feedback.message.take().unwrap_or_default()
            ));
            return Verdict::RuntimeError;
        }
        if !case.hidden {
            feedback.mismatch = Some(Mismatch {
                expected: ops_table(ops, args, &comparison.expected),
                actual: ops_table(ops, args, &comparison.actual),
                whitespace_only: false,
                note: comparison.note,
            });
        }
        return Verdict::WrongAnswer;
    }
    let mut note = comparison.note;
    if matches!(
        case.comparison,
        Comparison::Value(
            crate::exercise::ValueComparator::Unordered
                | crate::exercise::ValueComparator::UnorderedDeep
        )
    ) && note.is_none()
    {
        note = Some("any order is accepted; both sides are shown sorted".into());
    }
    if !case.hidden {
        feedback.mismatch = Some(Mismatch {
            expected: pretty_capped(&comparison.expected, PRETTY_WIDTH, PRETTY_BYTES),
            actual: pretty_capped(&comparison.actual, PRETTY_WIDTH, PRETTY_BYTES),
            whitespace_only: false,
            note,
        });
    }
    Verdict::WrongAnswer
}

fn first_unexpected_raise<'a>(expected: &Value, actual: &'a Value) -> Option<(usize, &'a Raised)> {
    let (Value::List(expected), Value::List(actual)) = (expected, actual) else {
        return None;
    };
    expected
        .iter()
        .zip(actual)
        .enumerate()
        .find_map(|(step, pair)| match pair {
            (Value::Raised(_), _) => None,
            (_, Value::Raised(raised)) => Some((step, raised)),
            _ => None,
        })
}

/// The calls of an ops case as Python would write them: `LRUCache(2)`, `put(1, 1)`, ...
pub fn ops_calls(ops: &[String], args: &str) -> Vec<String> {
    let arguments = match literal::parse(args) {
        Ok(Value::List(items)) => items,
        _ => Vec::new(),
    };
    ops.iter()
        .enumerate()
        .map(|(index, op)| {
            let inner = match arguments.get(index) {
                Some(Value::List(items) | Value::Tuple(items)) => {
                    items.iter().map(repr).collect::<Vec<_>>().join(", ")
                }
                _ => String::new(),
            };
            format!("{op}({inner})")
        })
        .collect()
}

/// One line per step, `call  ->  result`, so a line diff points at the step that differs.
fn ops_table(ops: &[String], args: &str, results: &Value) -> String {
    let calls = ops_calls(ops, args);
    let width = calls
        .iter()
        .map(|call| call.chars().count())
        .max()
        .unwrap_or(0);
    let results: Vec<String> = match results {
        Value::List(items) => items
            .iter()
            .take(calls.len())
            .map(|item| repr_capped(item, STEP_BYTES))
            .collect(),
        other => vec![repr_capped(other, STEP_BYTES)],
    };
    calls
        .iter()
        .zip(
            results
                .iter()
                .map(String::as_str)
                .chain(std::iter::repeat("(missing)")),
        )
        .map(|(call, result)| format!("{call:width$}  ->  {result}\n"))
        .collect()
}

/// The line of the innermost frame of a traceback (`File "x.py", line 3, in f`): where the
/// exception was raised.
fn innermost_line(traceback: &str) -> Option<u64> {
    traceback
        .lines()
        .rev()
        .filter(|line| line.trim_start().starts_with("File \""))
        .find_map(|line| {
            let (_, rest) = line.rsplit_once("\", line ")?;
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
}

/// `NameError: name 'x' is not defined`, with a hint for the errors that need one.
fn exception_summary(exception: &Raised) -> String {
    let message = exception.message.as_deref().unwrap_or_default();
    let mut summary = if message.is_empty() {
        exception.class_name().to_string()
    } else {
        format!("{}: {message}", exception.class_name())
    };
    if exception.class_name() == "RecursionError" {
        summary.push_str(" (recursion deeper than Python allows: try a loop instead)");
    }
    summary
}

fn describe_exception(phase: Phase, exception: &Raised, feedback: &mut Feedback) {
    let mut summary = exception_summary(exception);
    if phase == Phase::Import {
        summary = format!("raised while the module was being imported: {summary}");
    }
    feedback.message = Some(summary);
    // A traceback without any of the candidate's frames only repeats the message.
    feedback.traceback = exception
        .traceback
        .clone()
        .filter(|traceback| traceback.contains("File \""));
}

/// `; stopped at line 7, in `count``: the end of a CPU-limit message.
fn stopped_at(at: &StuckAt) -> String {
    if at.function == "<module>" {
        format!("; stopped at line {}, at the top level", at.line)
    } else {
        format!("; stopped at line {}, in `{}`", at.line, at.function)
    }
}

fn learner(case: &Case) -> Reader {
    Reader::Learner {
        returns_value: case.input.returns_value(),
    }
}

fn limit_verdict(
    limit: LimitHit,
    limits: &Limits,
    reader: Reader,
    output: &RunOutput,
) -> (Verdict, Feedback) {
    match limit {
        LimitHit::Output(stream) => (
            Verdict::OutputLimitExceeded,
            Feedback::message(match stream {
                Stream::Frame => "returned or printed more than kata will read".to_string(),
                Stream::Files => format!(
                    "wrote more than {} of files, or more than {} files",
                    bytes(crate::runner::wasm::WORK_DIR_BYTES),
                    crate::runner::wasm::WORK_DIR_FILES
                ),
                stream => printed_too_much(limits, stream.as_str(), reader),
            }),
        ),
        LimitHit::Wall => (
            Verdict::TimeLimitExceeded,
            Feedback::message(format!(
                "did not finish within {} of wall-clock time",
                duration(limits.wall)
            )),
        ),
        LimitHit::Cpu => (
            Verdict::TimeLimitExceeded,
            Feedback::message(match output.usage.cpu {
                Some(used) if used >= limits.cpu => format!(
                    "used {} of CPU time; the limit is {}",
                    duration(used),
                    duration(limits.cpu)
                ),
                // The kernel's count (which stopped it) runs ahead of what the sandbox
                // measured: a figure under the limit would only confuse.
                _ => format!(
                    "ran out of CPU time (the limit is {})",
                    duration(limits.cpu)
                ),
            }),
        ),
        LimitHit::Fuel => (
            Verdict::TimeLimitExceeded,
            Feedback::message(format!(
                "used its whole CPU budget: {}, the wasm sandbox's measure of {} of CPU time",
                fuel(output.usage.fuel.unwrap_or_default()),
                duration(limits.cpu)
            )),
        ),
        LimitHit::Memory => (
            Verdict::MemoryLimitExceeded,
            Feedback::message(format!(
                "used more than {} of memory",
                bytes(limits.memory_bytes)
            )),
        ),
    }
}

fn no_frame(output: &RunOutput) -> (Verdict, Feedback) {
    if output.raw_stderr.contains("MemoryError") {
        return (
            Verdict::MemoryLimitExceeded,
            Feedback::message("ran out of memory"),
        );
    }
    let message = match output.exit {
        ExitStatus::Signal(signal) => {
            let name = signal_name(signal);
            let hint = if signal == libc::SIGSEGV {
                ": a crash, often recursion too deep for the C stack"
            } else {
                ""
            };
            format!("was killed by signal {signal} ({name}){hint}")
        }
        ExitStatus::Code(code) => format!(
            "exited with status {code} before the case finished (did it call os._exit(), or crash the interpreter?)"
        ),
        // CPython's own C-stack guard turns deep recursion through built-ins into a
        // RecursionError first; this trap is what gets past it.
        ExitStatus::Trap(GuestTrap::StackOverflow) => "crashed: recursion too deep for the \
            wasm sandbox's C stack (recursion that goes through C code, such as built-ins, \
            generators or repr() of nested objects); use a loop or an explicit stack"
            .to_string(),
        ExitStatus::Trap(GuestTrap::Crash) => {
            "crashed the Python interpreter inside the wasm sandbox".to_string()
        }
    };
    let mut feedback = Feedback::message(message);
    feedback.stderr = non_empty(output.raw_stderr.clone());
    (Verdict::RuntimeError, feedback)
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGABRT => "SIGABRT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGILL => "SIGILL",
        libc::SIGXCPU => "SIGXCPU",
        libc::SIGXFSZ => "SIGXFSZ",
        libc::SIGTERM => "SIGTERM",
        libc::SIGPIPE => "SIGPIPE",
        _ => "signal",
    }
}

fn with_article(type_name: &str) -> String {
    let vowel = type_name.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']);
    format!("{} `{type_name}`", if vowel { "an" } else { "a" })
}

fn non_empty(text: String) -> Option<String> {
    if text.trim().is_empty() {
        None
    } else {
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_tables_line_up_calls_and_results() {
        let ops = ["LRUCache".to_string(), "put".to_string(), "get".to_string()];
        let results = literal::parse("[None, None, -1]").unwrap();
        assert_eq!(
            ops_table(&ops, "[[2], [1, 1], [1]]", &results),
            "LRUCache(2)  ->  None\nput(1, 1)    ->  None\nget(1)       ->  -1\n"
        );
    }
}
