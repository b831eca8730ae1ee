//! kata's exit statuses, as documented in `--help` and DESIGN.md.

use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum ExitStatus {
    /// 0: every case accepted (or the command did what was asked).
    Success,
    /// 1: some case was not accepted.
    Failed,
    /// 2: usage error or invalid exercise.
    Usage,
    /// 3: kata itself failed.
    Internal,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failed => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Internal => 3,
        }
    }

    /// The more serious of two statuses.
    pub fn max(self, other: ExitStatus) -> ExitStatus {
        if other.code() > self.code() {
            other
        } else {
            self
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}
