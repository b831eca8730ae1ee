//! The box helper: `kata __box-helper`, a fresh single-threaded copy of the kata binary that
//! does the work that must not happen in the multi-threaded grader (namespaces, mounts,
//! credential changes between fork and exec).
//!
//! ```text
//! grader ─ keeper (this helper): wall clock, stop on request, leftover check, report
//!            └─ PID 1 of the box (namespaces): builds the root, reaps, kills what is left
//!                 └─ the program: confined, then exec'd as python
//! ```
//!
//! On the host file system (no namespaces) the keeper is a child subreaper and starts the
//! program itself.

mod confine;
mod fixtures;
mod init;
mod keeper;
mod landlock;
mod leftovers;
mod probe;
mod rootfs;
pub(crate) mod seccomp;
mod sys;
mod trace;

pub use rootfs::{BOX, TMP, WORK};

/// The first argument that turns kata into the helper.
pub const ARG: &str = "__box-helper";

/// Runs the helper: `kata __box-helper` builds one box from the spec on its control
/// descriptor; `kata __box-helper probe` reports which namespaces can be created here.
pub fn main(args: &[std::ffi::OsString]) -> std::process::ExitCode {
    let code = match args.get(2).and_then(|a| a.to_str()) {
        None => keeper::main(),
        Some("probe") => probe::main(),
        Some(_) => 2,
    };
    std::process::ExitCode::from(code as u8)
}
