//! JSON reports: the models, serialised as they are.

use serde::Serialize;

/// One JSON object, pretty-printed, with a trailing newline.
pub fn render(report: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("reports always serialise");
    text.push('\n');
    text
}
