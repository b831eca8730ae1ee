//! Landlock rules for the box.
//!
//! With namespaces, Landlock has one job: only the interpreter (and its ELF loader) may be
//! executed, so a submission cannot run the other programs under /usr. On the host file system
//! (no namespaces), it is the file-system wall itself: read-only trees, a writable working
//! directory and /tmp, nothing else; no TCP; no signals or abstract sockets outside the box.

use std::io;
use std::path::{Path, PathBuf};

use landlock::{
    ABI, Access, AccessFs, AccessNet, BitFlags, CompatLevel, Compatible, Ruleset, RulesetAttr,
    RulesetCreatedAttr, RulesetStatus, Scope, path_beneath_rules,
};

/// The newest ABI whose rights kata asks for; older kernels get what they support.
const TARGET: ABI = ABI::V6;

/// Device files a program may use on the host file system.
const DEVICES: [&str; 5] = [
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
];

fn failure(error: impl std::fmt::Display) -> io::Error {
    io::Error::other(error.to_string())
}

fn read_only() -> BitFlags<AccessFs> {
    AccessFs::ReadFile | AccessFs::ReadDir
}

/// Restricts execution to `executables`.
pub(super) fn only_execute(executables: &[PathBuf]) -> io::Result<()> {
    let status = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(AccessFs::Execute)
        .map_err(failure)?
        .create()
        .map_err(failure)?
        .add_rules(path_beneath_rules(executables, AccessFs::Execute))
        .map_err(failure)?
        .restrict_self()
        .map_err(failure)?;
    enforced(status.ruleset)
}

/// What a box on the host file system may touch.
pub(super) struct HostRules<'a> {
    pub read_only: &'a [PathBuf],
    pub code: &'a Path,
    pub writable: [&'a Path; 2],
    pub executables: &'a [PathBuf],
    /// TCP bind and connect (the exercise requires sockets); otherwise refused.
    pub tcp: bool,
}

/// The full ruleset for a box without namespaces.
pub(super) fn confine_to(rules: &HostRules<'_>) -> io::Result<()> {
    let all = AccessFs::from_all(TARGET);
    let writable = all & !AccessFs::Execute;
    let mut ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(all)
        .map_err(failure)?;
    if !rules.tcp {
        ruleset = ruleset
            .handle_access(AccessNet::from_all(TARGET))
            .map_err(failure)?;
    }
    let created = ruleset
        .scope(Scope::from_all(TARGET))
        .map_err(failure)?
        .create()
        .map_err(failure)?
        .add_rules(path_beneath_rules(rules.read_only, read_only()))
        .map_err(failure)?
        .add_rules(path_beneath_rules([rules.code], read_only()))
        .map_err(failure)?
        .add_rules(path_beneath_rules(rules.writable, writable))
        .map_err(failure)?
        .add_rules(path_beneath_rules(
            DEVICES,
            AccessFs::ReadFile | AccessFs::WriteFile,
        ))
        .map_err(failure)?
        .add_rules(path_beneath_rules(
            rules.executables,
            AccessFs::Execute | AccessFs::ReadFile,
        ))
        .map_err(failure)?;
    let status = created.restrict_self().map_err(failure)?;
    enforced(status.ruleset)
}

fn enforced(status: RulesetStatus) -> io::Result<()> {
    match status {
        RulesetStatus::NotEnforced => Err(io::Error::other(
            "the kernel did not enforce the Landlock ruleset",
        )),
        RulesetStatus::FullyEnforced | RulesetStatus::PartiallyEnforced => Ok(()),
    }
}
