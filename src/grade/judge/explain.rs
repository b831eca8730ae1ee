//! What a verdict's feedback says beyond the verdict: how the submission was called, what an
//! exception means, and every text cut to its cap.

use crate::runner::Frame;
use crate::runner::protocol::EntryNotes;
use crate::units::bytes;
use crate::value::Raised;

use crate::grade::{Feedback, Verdict};
use crate::runner::{HarnessOutcome, Phase};

/// The most of one side of a mismatch that is rendered: enough to find a difference, small
/// enough that a case's report stays under 64 KiB whatever came back.
pub(super) const PRETTY_BYTES: usize = 8 << 10;
/// The most kept of each text a case reports (stdout, stderr, a traceback).
const TEXT_BYTES: usize = 8 << 10;
/// The most kept of a one-line message.
const MESSAGE_BYTES: usize = 2 << 10;

/// A submission without the entry point a case calls failed to load (the harness reports it
/// so): the harness's explanation is the whole message, with no `NameError` or traceback.
pub(super) fn explain_missing_entry(frame: &Frame, feedback: &mut Feedback) {
    let (Some(name), HarnessOutcome::Raised { exception, .. }) =
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
pub(super) fn explain_entry(notes: &EntryNotes, verdict: Verdict, feedback: &mut Feedback) {
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
pub(super) fn cap_feedback(feedback: &mut Feedback) {
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
fn cap_text(text: &mut String, max: usize) {
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

/// The line of the innermost frame of a traceback (`File "x.py", line 3, in f`): where the
/// exception was raised.
pub(super) fn innermost_line(traceback: &str) -> Option<u64> {
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
pub(super) fn exception_summary(exception: &Raised) -> String {
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

pub(super) fn describe_exception(phase: Phase, exception: &Raised, feedback: &mut Feedback) {
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

pub(super) fn with_article(type_name: &str) -> String {
    let vowel = type_name.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']);
    format!("{} `{type_name}`", if vowel { "an" } else { "a" })
}

pub(super) fn non_empty(text: String) -> Option<String> {
    if text.trim().is_empty() {
        None
    } else {
        Some(text)
    }
}
