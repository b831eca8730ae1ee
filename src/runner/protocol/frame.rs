//! The frame: what the harness reports, decoded from untrusted bytes by [`parse`].

use serde::Deserialize;

use super::{HANDOVER, PROTOCOL};
use crate::value::{Value, wire};

const MAGIC: &[u8] = b"KATA-FRAME 1 ";

/// The longest type name or value path a frame may carry; the harness's are far shorter.
const MAX_NAME: usize = 1000;

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
