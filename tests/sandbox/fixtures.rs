//! The hostile submissions: data, one file each, grouped by class in
//! `tests/adversarial/attacks/<class>/`. Each starts with a header:
//!
//! ```text
//! # kata: adv-shout                  the exercise (tests/adversarial/exercises/)
//! # verdict: wrong-answer            the verdict every case must get
//! # verdict[landlock]: runtime-error the verdict on setups with that tag, when it differs...
//! # gap[landlock]: why ...           ...and why (required with such an override); a known
//!                                    gap may list alternatives: `runtime-error | ...`
//! # checks: fast, host               extra checks (fast: no case may run into the wall clock;
//!                                    host: the grader's own CPU, memory and report size stay
//!                                    within docs/security.md's bounds for a frame)
//! # attack: what it tries
//! ```

use std::fs;
use std::path::Path;

pub(crate) const ATTACKS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/adversarial/attacks");
pub(crate) const EXERCISES: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/adversarial/exercises");

#[derive(Debug, Clone)]
pub(crate) struct Attack {
    /// `class/name`, e.g. `forging/second-frame`.
    pub id: String,
    pub exercise: String,
    pub verdict: String,
    /// (setup tag, verdict, why).
    pub overrides: Vec<(String, String, String)>,
    pub fast: bool,
    /// The attack aims at the grader itself (see `checks: host`).
    pub host: bool,
    pub description: String,
}

impl Attack {
    /// The verdict on a setup with these tags, and the known gap that explains it, if any.
    pub(crate) fn expected(&self, tags: &[&str]) -> (&str, Option<&str>) {
        for (tag, verdict, why) in &self.overrides {
            if tags.contains(&tag.as_str()) {
                return (verdict, Some(why));
            }
        }
        (&self.verdict, None)
    }
}

/// Every attack, sorted by id.
pub(crate) fn load() -> Vec<Attack> {
    let mut attacks = Vec::new();
    for class in fs::read_dir(ATTACKS).expect("the attacks directory") {
        let class = class.unwrap().path();
        for file in fs::read_dir(&class).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "py") {
                attacks.push(parse(&class, &path));
            }
        }
    }
    attacks.sort_by(|a, b| a.id.cmp(&b.id));
    attacks
}

fn parse(class: &Path, path: &Path) -> Attack {
    let text = fs::read_to_string(path).unwrap();
    let id = format!(
        "{}/{}",
        class.file_name().unwrap().to_string_lossy(),
        path.file_stem().unwrap().to_string_lossy()
    );
    let mut attack = Attack {
        id: id.clone(),
        exercise: String::new(),
        verdict: String::new(),
        overrides: Vec::new(),
        fast: false,
        host: false,
        description: String::new(),
    };
    // (key, value) pairs; a line starting with `#   ` continues the previous value.
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        if let Some(rest) = line.strip_prefix("#   ") {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(rest.trim());
            }
        } else if let Some((key, value)) = line.trim_start_matches('#').split_once(':') {
            fields.push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    let mut gaps = Vec::new();
    for (key, value) in fields {
        match key.as_str() {
            "kata" => attack.exercise = value,
            "verdict" => attack.verdict = value,
            "checks" => {
                let checks: Vec<&str> = value.split(',').map(str::trim).collect();
                attack.fast = checks.contains(&"fast");
                attack.host = checks.contains(&"host");
            }
            "attack" => attack.description = value,
            key if key.starts_with("verdict[") => {
                let tag = key.trim_start_matches("verdict[").trim_end_matches(']');
                attack
                    .overrides
                    .push((tag.to_string(), value, String::new()));
            }
            key if key.starts_with("gap[") => {
                let tag = key.trim_start_matches("gap[").trim_end_matches(']');
                gaps.push((tag.to_string(), value));
            }
            _ => panic!("{id}: unknown header field `{key}`"),
        }
    }
    for (tag, _, why) in &mut attack.overrides {
        *why = gaps
            .iter()
            .find(|(gap, _)| gap == tag)
            .map(|(_, why)| why.clone())
            .unwrap_or_else(|| panic!("{id}: verdict[{tag}] needs a gap[{tag}] saying why"));
    }
    assert!(!attack.exercise.is_empty(), "{id}: no `# kata:` line");
    assert!(!attack.verdict.is_empty(), "{id}: no `# verdict:` line");
    assert!(!attack.description.is_empty(), "{id}: no `# attack:` line");
    assert!(
        Path::new(EXERCISES)
            .join(format!("{}.toml", attack.exercise))
            .is_file(),
        "{id}: no exercise {}",
        attack.exercise
    );
    attack
}
