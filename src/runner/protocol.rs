//! The result frame: the harness's one report of one case, and the request it runs from.
//!
//! The result channel (descriptor 3 natively, stdout in the wasm sandbox) is reachable from the
//! candidate's code, so everything on it is untrusted input. Protocol 1 on the wire:
//!
//! ```text
//! channel  = [handover] frame
//! handover = "KATA-HANDOVER 1\n"
//! frame    = "KATA-FRAME 1 " length "\n" body   (length: ASCII decimal digits, at most 20)
//! body     = exactly `length` bytes of UTF-8 JSON, an object with "protocol": 1 and "status"
//! ```
//!
//! The harness writes the handover mark the moment before it first runs the candidate's code
//! (the module's import, or the main program of a `stdin` case). A frame that arrives with no
//! mark before it was sent while only kata's own code had run, so it is believed whatever it
//! says; after the mark, the candidate could have written anything, so a frame that claims a
//! failure of kata or of the exercise (`harness-error`, `setup-error`) is the submission's doing
//! and is refused. A forged second mark, a frame before a mark, two frames, a short frame or
//! trailing bytes are all a [`FrameError`]: the grader fails closed and never guesses.
//!
//! [`parse`] turns the bytes into checked types once (value paths, stream names, type names), so
//! nothing downstream slices or re-checks raw text. Its cost is linear in the frame's size
//! except for sorting set elements and dict keys (`O(n log n)`).

// Everything here handles what the sandbox sent: no panicking shortcuts outside tests.
#![cfg_attr(
    not(test),
    deny(
        clippy::string_slice,
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo
    )
)]

use serde::{Deserialize, Serialize};

use crate::exercise::LeetCodeEntry;
use crate::value::{Value, wire};

/// The protocol version the harness and the host speak.
pub const PROTOCOL: u32 = 1;

/// The most bytes a frame may take: the captured stdout and stderr it carries (each capped at
/// `output_cap`), and room for its JSON around them.
pub fn frame_cap(output_cap: u64) -> u64 {
    2 * output_cap + (1 << 20)
}

const MAGIC: &[u8] = b"KATA-FRAME 1 ";

/// Written by the harness just before the candidate's code first runs (see the module docs).
pub const HANDOVER: &[u8] = b"KATA-HANDOVER 1\n";

/// The longest type name or value path a frame may carry; the harness's are far shorter.
const MAX_NAME: usize = 1000;

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

/// One decoded frame.
#[derive(Debug, Clone)]
pub struct Frame {
    pub outcome: HarnessOutcome,
    /// What the candidate printed while the case ran (for `stdin` cases: everything).
    pub stdout: String,
    pub stderr: String,
    /// What the candidate's module printed while being imported, before the case ran.
    pub setup_stdout: String,
    /// What the harness noticed about how the submission was called.
    pub notes: EntryNotes,
}

/// How the harness called the submission, when that is worth telling the learner. Every name is
/// a Python identifier (checked), so a report can quote them as code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryNotes {
    /// The case went through LeetCode's entry point: `Solution().threeSum`, or `MyQueue`.
    pub via: Option<String>,
    /// Names of kata's support code the submission defined for itself (kata's were used).
    pub shadowed: Vec<String>,
    /// The entry point the case called and the submission does not define (the exception's
    /// message explains it).
    pub missing_entry: Option<String>,
}

/// At most this many shadowed names are kept (kata's support modules define a handful).
const MAX_SHADOWED: usize = 16;

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    text.len() <= MAX_NAME
        && matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// `Solution().name`, `Class` or several of them joined by `, `: names and those joiners only.
fn is_entry_path(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_NAME
        && text.split(", ").all(|part| {
            let part = part.strip_prefix("Solution().").unwrap_or(part);
            is_identifier(part)
        })
}

/// What happened, as the harness saw it.
#[derive(Debug, Clone)]
pub enum HarnessOutcome {
    /// The case ran to the end. Whether what it gave back fits the kind of case is checked
    /// against the case, in one place: `grade::judge`.
    Finished(Finished),
    /// The candidate's code raised.
    Raised {
        phase: Phase,
        exception: crate::value::Raised,
    },
    /// The submission does not compile.
    SyntaxError(SyntaxProblem),
    /// A stream or the returned value went over its cap inside the sandbox.
    OutputLimit { stream: CappedStream },
    /// A `stdin` program ended with `sys.exit(status)`, status not 0.
    Exit { code: i64, message: Option<String> },
    /// The exercise's own code failed (support code, the case's code not compiling), before
    /// the candidate's code could run.
    SetupError { message: String },
    /// The harness itself failed, before the candidate's code could run.
    HarnessError { message: String },
    /// The CPU limit's warning signal arrived while the candidate's code ran here; the process
    /// then ended by that signal (only then does the host believe it: see `judge`).
    Stopped { at: StuckAt },
}

/// What a case that ran to the end gave back.
#[derive(Debug, Clone)]
pub enum Finished {
    /// A value, as a `call` or `ops` case returns.
    Returned(Value),
    /// Something kata cannot compare (a custom object, a subclass, ...), as only a `call` or
    /// `ops` case can return.
    BadValue {
        type_name: TypeName,
        path: ValuePath,
    },
    /// No value, as a `script` or `stdin` case ends: its result is what it printed.
    Printed,
}

/// Where the candidate's code was when the CPU limit stopped it: a line of its own file and the
/// function's name (never a value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StuckAt {
    pub line: u64,
    /// `<module>` at the top level, `<lambda>`, `<listcomp>`… as Python names them.
    pub function: String,
}

impl StuckAt {
    /// The longest function name believed; Python's own names are far shorter.
    const MAX_FUNCTION: usize = 200;

    fn parse(line: Option<u64>, function: Option<String>) -> Option<StuckAt> {
        let function = function?;
        let plausible = !function.is_empty()
            && function.len() <= Self::MAX_FUNCTION
            && function
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '<' | '>'));
        let line = line.filter(|&line| line >= 1)?;
        plausible.then_some(StuckAt { line, function })
    }
}

/// A place in a returned value, as the harness names it: `$` for the value itself, then
/// subscripts such as `$[0]['key']`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuePath(String);

impl ValuePath {
    fn parse(text: String) -> Option<Self> {
        (text.starts_with('$') && text.len() <= MAX_NAME && !text.contains(char::is_control))
            .then_some(ValuePath(text))
    }

    /// The subscripts after `$`, or `None` for the value itself.
    pub fn subscripts(&self) -> Option<&str> {
        self.0.strip_prefix('$').filter(|rest| !rest.is_empty())
    }
}

/// The name of a Python type as the harness reports it: short, one line, not empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeName(String);

impl TypeName {
    fn parse(text: String) -> Option<Self> {
        (!text.is_empty() && text.len() <= MAX_NAME && !text.contains(char::is_control))
            .then_some(TypeName(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TypeName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What went over its cap inside the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CappedStream {
    Stdout,
    Stderr,
    /// The returned value's encoding.
    Value,
}

impl CappedStream {
    pub fn as_str(self) -> &'static str {
        match self {
            CappedStream::Stdout => "stdout",
            CappedStream::Stderr => "stderr",
            CappedStream::Value => "value",
        }
    }
}

impl std::fmt::Display for CappedStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the candidate's code raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// While its module was being imported.
    Import,
    /// While the case ran.
    Case,
    /// As the main program of a `stdin` case.
    Main,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxProblem {
    pub type_name: String,
    pub message: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub text: Option<String>,
    /// Python's rendering of the error, with the file name, the line and carets.
    pub traceback: Option<String>,
}

/// Why no frame could be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("the process ended without reporting a result")]
    Missing,
    #[error("the result channel held something other than one frame: {0}")]
    Malformed(String),
}

/// The body as sent: one flat object whose `status` says which other fields it needs. Flat and
/// not a serde-tagged enum, because those buffer the whole body (the value too) in a tree first.
#[derive(Deserialize)]
struct RawFrame {
    protocol: u32,
    status: String,
    /// Absent for cases without a value; `null` is Python's None, so it must stay `Some`.
    #[serde(default, deserialize_with = "present")]
    value: Option<wire::Decoded>,
    #[serde(default)]
    phase: Option<Phase>,
    #[serde(default)]
    exception: Option<serde_json::Value>,
    #[serde(default, rename = "type")]
    type_name: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    line: Option<u64>,
    #[serde(default)]
    column: Option<u64>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    traceback: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    stream: Option<CappedStream>,
    #[serde(default)]
    exit_code: Option<i64>,
    #[serde(default)]
    function: Option<String>,
    #[serde(default)]
    stdout: String,
    #[serde(default)]
    stderr: String,
    #[serde(default)]
    setup_stdout: String,
    #[serde(default)]
    via: Option<String>,
    #[serde(default)]
    shadowed: Vec<String>,
    #[serde(default)]
    missing_entry: Option<String>,
}

fn present<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<wire::Decoded>, D::Error> {
    wire::Decoded::deserialize(deserializer).map(Some)
}

/// Parses everything read from the result channel.
pub fn parse(bytes: &[u8]) -> Result<Frame, FrameError> {
    let (handed_over, bytes) = match bytes.strip_prefix(HANDOVER) {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    if bytes.is_empty() {
        return Err(FrameError::Missing);
    }
    let malformed = |why: &str| FrameError::Malformed(why.to_string());
    let rest = bytes
        .strip_prefix(MAGIC)
        .ok_or_else(|| malformed("bad header"))?;
    let (digits, body) = rest
        .iter()
        .take(21)
        .position(|&b| b == b'\n')
        .map(|newline| rest.split_at(newline))
        .ok_or_else(|| malformed("bad header"))?;
    let body = body.get(1..).unwrap_or_default();
    let length: usize = std::str::from_utf8(digits)
        .ok()
        .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|digits| digits.parse().ok())
        .ok_or_else(|| malformed("bad length"))?;
    if body.len() != length {
        return Err(malformed(if body.len() < length {
            "truncated frame"
        } else {
            "bytes after the frame"
        }));
    }
    let raw: RawFrame = serde_json::from_slice(body)
        .map_err(|e| FrameError::Malformed(format!("bad JSON: {e}")))?;
    if raw.protocol != PROTOCOL {
        return Err(malformed("unknown protocol version"));
    }
    let missing =
        |field: &str| FrameError::Malformed(format!("a `{}` frame needs `{field}`", raw.status));
    let outcome = match raw.status.as_str() {
        // Only kata's own code had run before the mark; after it, the candidate may speak. A
        // syntax error is found compiling the source, before the mark too: believed after it,
        // a hidden case could make up one for the whole submission and carry its input out.
        "syntax-error" | "setup-error" | "harness-error" if handed_over => {
            return Err(malformed(
                "a failure to compile, or of kata or the exercise, reported after the \
                 submission's code started",
            ));
        }
        "ok" => HarnessOutcome::Finished(match raw.value {
            Some(decoded) => Finished::Returned(decoded.0),
            None => Finished::Printed,
        }),
        "exception" => HarnessOutcome::Raised {
            phase: raw.phase.ok_or_else(|| missing("phase"))?,
            exception: raw
                .exception
                .as_ref()
                .map(wire::decode_raised)
                .ok_or_else(|| missing("exception"))?
                .map_err(|_| malformed("bad exception"))?,
        },
        "syntax-error" => HarnessOutcome::SyntaxError(SyntaxProblem {
            type_name: raw.type_name.ok_or_else(|| missing("type"))?,
            message: raw.message.ok_or_else(|| missing("message"))?,
            line: raw.line,
            column: raw.column,
            text: raw.text,
            traceback: raw.traceback,
        }),
        "bad-value" => HarnessOutcome::Finished(Finished::BadValue {
            type_name: raw
                .type_name
                .and_then(TypeName::parse)
                .ok_or_else(|| malformed("bad type name"))?,
            path: raw
                .path
                .and_then(ValuePath::parse)
                .ok_or_else(|| malformed("bad value path"))?,
        }),
        "output-limit" => HarnessOutcome::OutputLimit {
            stream: raw.stream.ok_or_else(|| missing("stream"))?,
        },
        "exit" => HarnessOutcome::Exit {
            code: raw.exit_code.ok_or_else(|| missing("exit_code"))?,
            message: raw.message,
        },
        "setup-error" => HarnessOutcome::SetupError {
            message: raw.message.ok_or_else(|| missing("message"))?,
        },
        "harness-error" => HarnessOutcome::HarnessError {
            message: raw.message.ok_or_else(|| missing("message"))?,
        },
        "stopped" => HarnessOutcome::Stopped {
            at: StuckAt::parse(raw.line, raw.function).ok_or_else(|| malformed("bad place"))?,
        },
        _ => return Err(malformed("unknown status")),
    };
    if raw.via.as_deref().is_some_and(|via| !is_entry_path(via))
        || raw.shadowed.len() > MAX_SHADOWED
        || !raw.shadowed.iter().all(|name| is_identifier(name))
        || raw
            .missing_entry
            .as_deref()
            .is_some_and(|name| !is_identifier(name))
    {
        return Err(malformed("bad entry-point note"));
    }
    if raw.missing_entry.is_some()
        && !matches!(
            outcome,
            HarnessOutcome::Raised {
                phase: Phase::Import,
                ..
            }
        )
    {
        return Err(malformed(
            "a missing entry point reported as something but a load failure",
        ));
    }
    Ok(Frame {
        outcome,
        stdout: raw.stdout,
        stderr: raw.stderr,
        setup_stdout: raw.setup_stdout,
        notes: EntryNotes {
            via: raw.via,
            shadowed: raw.shadowed,
            missing_entry: raw.missing_entry,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::repr;

    fn framed(json: &str) -> Vec<u8> {
        format!("KATA-FRAME 1 {}\n{json}", json.len()).into_bytes()
    }

    #[test]
    fn decodes_a_value_frame() {
        let frame = parse(&framed(
            r#"{"protocol":1,"status":"ok","value":{"l":[{"i":"1"},null]},"stdout":"hi\n","stderr":""}"#,
        ))
        .unwrap();
        match frame.outcome {
            HarnessOutcome::Finished(Finished::Returned(value)) => {
                assert_eq!(repr(&value), "[1, None]")
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(frame.stdout, "hi\n");
    }

    #[test]
    fn a_returned_none_is_a_value() {
        let frame = parse(&framed(r#"{"protocol":1,"status":"ok","value":null}"#)).unwrap();
        assert!(matches!(
            frame.outcome,
            HarnessOutcome::Finished(Finished::Returned(Value::None))
        ));
        let frame = parse(&framed(r#"{"protocol":1,"status":"ok"}"#)).unwrap();
        assert!(matches!(
            frame.outcome,
            HarnessOutcome::Finished(Finished::Printed)
        ));
    }

    #[test]
    fn decodes_an_exception_frame() {
        let frame = parse(&framed(
            r#"{"protocol":1,"status":"exception","phase":"case","exception":{"types":["KeyError","LookupError","Exception","BaseException"],"message":"5","traceback":"KeyError: 5"}}"#,
        ))
        .unwrap();
        match frame.outcome {
            HarnessOutcome::Raised { phase, exception } => {
                assert_eq!(phase, Phase::Case);
                assert_eq!(exception.class_name(), "KeyError");
                assert_eq!(exception.message.as_deref(), Some("5"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn fails_closed_on_anything_but_one_exact_frame() {
        let good = framed(r#"{"protocol":1,"status":"ok"}"#);
        assert!(parse(&good).is_ok());
        assert!(matches!(parse(b""), Err(FrameError::Missing)));
        let mut twice = good.clone();
        twice.extend_from_slice(&good);
        let cases: Vec<Vec<u8>> = vec![
            twice,
            good[..good.len() - 1].to_vec(),
            b"KATA-FRAME 1 5\nhello".to_vec(),
            b"PASS\n".to_vec(),
            b"KATA-FRAME 1 -1\n".to_vec(),
            b"KATA-FRAME 1 99999999999999999999999999\n".to_vec(),
            framed(r#"{"protocol":2,"status":"ok"}"#),
            framed(r#"{"protocol":1,"status":"accepted"}"#),
            framed(r#"{"protocol":1,"status":"ok","value":{"x":1}}"#),
        ];
        for bytes in cases {
            let result = parse(&bytes);
            assert!(
                matches!(result, Err(FrameError::Malformed(_))),
                "{:?} gave {result:?}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }

    fn handed_over(json: &str) -> Vec<u8> {
        let mut bytes = HANDOVER.to_vec();
        bytes.extend(framed(json));
        bytes
    }

    #[test]
    fn failures_of_kata_are_believed_only_before_the_handover() {
        let syntax = r#"{"protocol":1,"status":"syntax-error","type":"SyntaxError","message":"m"}"#;
        assert!(matches!(
            parse(&framed(syntax)).unwrap().outcome,
            HarnessOutcome::SyntaxError(_)
        ));
        assert!(matches!(
            parse(&handed_over(syntax)),
            Err(FrameError::Malformed(_))
        ));
        for status in ["harness-error", "setup-error"] {
            let json = format!(r#"{{"protocol":1,"status":"{status}","message":"m"}}"#);
            let before = parse(&framed(&json)).unwrap();
            assert!(matches!(
                before.outcome,
                HarnessOutcome::HarnessError { .. } | HarnessOutcome::SetupError { .. }
            ));
            assert!(matches!(
                parse(&handed_over(&json)),
                Err(FrameError::Malformed(_))
            ));
        }
        let ok = r#"{"protocol":1,"status":"ok","value":null}"#;
        assert!(parse(&handed_over(ok)).is_ok());
        // A forged second mark, or a mark and nothing else (the candidate closed the channel).
        let mut twice = HANDOVER.to_vec();
        twice.extend(handed_over(ok));
        assert!(matches!(parse(&twice), Err(FrameError::Malformed(_))));
        assert!(matches!(parse(HANDOVER), Err(FrameError::Missing)));
    }

    #[test]
    fn names_and_paths_become_checked_types() {
        let frame = parse(&framed(
            r#"{"protocol":1,"status":"bad-value","type":"Point","path":"$[0]"}"#,
        ))
        .unwrap();
        let HarnessOutcome::Finished(Finished::BadValue { type_name, path }) = frame.outcome else {
            panic!("not a bad value")
        };
        assert_eq!(
            (type_name.as_str(), path.subscripts()),
            ("Point", Some("[0]"))
        );
        for bad in [
            r#"{"protocol":1,"status":"bad-value","type":"x","path":""}"#,
            r#"{"protocol":1,"status":"bad-value","type":"","path":"$"}"#,
            r#"{"protocol":1,"status":"bad-value","type":"x"}"#,
            r#"{"protocol":1,"status":"output-limit","stream":"the disk"}"#,
            r#"{"protocol":1,"status":"exception","phase":"case"}"#,
        ] {
            assert!(
                matches!(parse(&framed(bad)), Err(FrameError::Malformed(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn entry_notes_are_checked_names() {
        let frame = parse(&framed(
            r#"{"protocol":1,"status":"ok","value":null,"via":"Solution().threeSum","shadowed":["TreeNode"]}"#,
        ))
        .unwrap();
        assert_eq!(frame.notes.via.as_deref(), Some("Solution().threeSum"));
        assert_eq!(frame.notes.shadowed, ["TreeNode"]);
        let missing = r#"{"protocol":1,"status":"exception","phase":"import","missing_entry":"three_sum","exception":{"types":["NameError"],"message":"m"}}"#;
        assert_eq!(
            parse(&framed(missing))
                .unwrap()
                .notes
                .missing_entry
                .as_deref(),
            Some("three_sum")
        );
        for bad in [
            r#"{"protocol":1,"status":"ok","via":"x\ny"}"#,
            r#"{"protocol":1,"status":"ok","via":"Solution().a b"}"#,
            r#"{"protocol":1,"status":"ok","shadowed":["Tree Node"]}"#,
            r#"{"protocol":1,"status":"ok","missing_entry":"f"}"#,
        ] {
            assert!(
                matches!(parse(&framed(bad)), Err(FrameError::Malformed(_))),
                "{bad}"
            );
        }
    }
}
