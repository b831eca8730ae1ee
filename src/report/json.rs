//! The JSON report: the model, serialised as it is.

use super::model::SubmissionReport;

/// One JSON object, pretty-printed, with a trailing newline.
pub fn render(report: &SubmissionReport) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("reports always serialise");
    text.push('\n');
    text
}
