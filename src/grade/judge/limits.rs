//! A limit's verdict and message: the first step of judging, and what `kata record` asks so
//! that it never records what grading would reject.

use crate::exercise::{Case, Limits};
use crate::runner::protocol::{CappedStream, StuckAt};
use crate::runner::{Frame, FrameError, HarnessOutcome, LimitHit, RunOutput, Stream};
use crate::units::{bytes, duration, fuel};
use crate::value::Raised;

use crate::grade::{Feedback, Verdict};

/// The verdict and message of a run that hit a limit (time, memory, output), whatever its case
/// expects; `None` when it hit none.
pub(crate) fn limit_outcome(limits: &Limits, output: &RunOutput) -> Option<(Verdict, String)> {
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

/// A case's run that a limit stopped, told to the learner: with where the code was when the
/// CPU limit stopped it, except in hidden cases, whose control flow could say something about
/// their input.
pub(super) fn stopped(case: &Case, limit: LimitHit, output: &RunOutput) -> (Verdict, Feedback) {
    let (verdict, mut feedback) = limit_verdict(limit, &case.limits, learner(case), output);
    if let (LimitHit::Cpu, false, Ok(Frame { outcome, .. })) = (limit, case.hidden, &output.frame)
        && let HarnessOutcome::Stopped { at } = outcome
        && let Some(message) = &mut feedback.message
    {
        message.push_str(&stopped_at(at));
    }
    (verdict, feedback)
}

/// A limit the harness reported in its frame: output past its cap, or a `MemoryError` (which
/// under the memory limit is the limit, whatever the code meant to raise).
fn frame_limit(limits: &Limits, outcome: &HarnessOutcome) -> Option<(Verdict, String)> {
    match outcome {
        HarnessOutcome::OutputLimit { stream } => {
            Some(output_limit(limits, *stream, Reader::Author))
        }
        HarnessOutcome::Raised { exception, .. } if out_of_memory(exception) => {
            Some(memory_limit(limits))
        }
        _ => None,
    }
}

pub(super) fn out_of_memory(exception: &Raised) -> bool {
    exception
        .class_names
        .iter()
        .any(|name| name == "MemoryError")
}

pub(super) fn memory_limit(limits: &Limits) -> (Verdict, String) {
    (
        Verdict::MemoryLimitExceeded,
        format!(
            "ran out of memory (the limit is {})",
            bytes(limits.memory_bytes)
        ),
    )
}

pub(super) fn output_limit(
    limits: &Limits,
    stream: CappedStream,
    reader: Reader,
) -> (Verdict, String) {
    let message = match stream {
        CappedStream::Value => "returned a value too large to compare".to_string(),
        stream => printed_too_much(limits, stream.as_str(), reader),
    };
    (Verdict::OutputLimitExceeded, message)
}

/// Who reads a limit's message: a learner is told what to do about it, an author recording
/// expectations only what happened.
#[derive(Debug, Clone, Copy)]
pub(super) enum Reader {
    Learner { returns_value: bool },
    Author,
}

pub(super) fn learner(case: &Case) -> Reader {
    Reader::Learner {
        returns_value: case.returns_value(),
    }
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

/// `; stopped at line 7, in `count``: the end of a CPU-limit message.
fn stopped_at(at: &StuckAt) -> String {
    if at.function == "<module>" {
        format!("; stopped at line {}, at the top level", at.line)
    } else {
        format!("; stopped at line {}, in `{}`", at.line, at.function)
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
