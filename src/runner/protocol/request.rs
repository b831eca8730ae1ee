//! The request: what the harness is asked to do, and nothing of what the result should be.

use serde::Serialize;

use crate::exercise::LeetCodeEntry;

/// What the harness is asked to do, written to `request.json` in the box. It holds the case's
/// input and the code to load, and nothing of what the result should be.
#[derive(Debug, Serialize)]
pub struct HarnessRequest<'a> {
    pub kind: &'static str,
    /// The working directory to change into, when the sandbox cannot start the process there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwd: Option<&'a str>,
    /// Where the candidate's file is, inside the sandbox.
    pub submission_path: &'a str,
    /// The name tracebacks should show for the candidate's file.
    pub display_name: &'a str,
    pub support_modules: Vec<(&'a str, &'a str)>,
    pub support_code: &'a str,
    pub case_support: &'a str,
    pub output_bytes: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expr: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ops: Option<Vec<&'a str>>,
    /// The `ops` argument lists, in the exact-type value encoding (see `value::wire`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub args: Option<serde_json::Value>,
    /// Present for an exercise with a `[leetcode]` table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leetcode: Option<LeetCodeRequest<'a>>,
}

/// LeetCode's names for kata's entry points, as the harness reads them (pairs of kata's name
/// and LeetCode's).
#[derive(Debug, Serialize)]
pub struct LeetCodeRequest<'a> {
    pub functions: Vec<(&'a str, &'a str)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub design: Option<(&'a str, &'a str)>,
    pub methods: Vec<(&'a str, &'a str)>,
}

impl<'a> LeetCodeRequest<'a> {
    pub fn new(entry: &'a LeetCodeEntry) -> Self {
        let pairs = |pairs: &'a [(String, String)]| {
            pairs
                .iter()
                .map(|(ours, theirs)| (ours.as_str(), theirs.as_str()))
                .collect()
        };
        match entry {
            LeetCodeEntry::Solution { functions } => LeetCodeRequest {
                functions: pairs(functions),
                design: None,
                methods: Vec::new(),
            },
            LeetCodeEntry::Design {
                class,
                leetcode_class,
                methods,
            } => LeetCodeRequest {
                functions: Vec::new(),
                design: Some((class.as_str(), leetcode_class.as_str())),
                methods: pairs(methods),
            },
        }
    }
}
