//! Whether this build of kata has its native sandbox, and what to say where it does not.
//!
//! The native sandbox (`--sandbox subprocess`, [`crate::runner::subprocess`]) builds each box
//! from Linux namespaces, seccomp filters and Landlock rules, so it is compiled only for Linux.
//! Elsewhere `runner::subprocess` is a stand-in whose runner cannot be made
//! (`subprocess_unavailable.rs`), commands default to the wasm sandbox, and asking for the
//! native one is a usage error that says what to do instead.

/// Whether kata can run cases in a native python3 here.
pub(crate) const AVAILABLE: bool = cfg!(target_os = "linux");

/// The native sandbox was asked for on a system that does not have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the native sandbox needs Linux (namespaces, seccomp, Landlock)")]
pub struct NativeSandboxUnavailable;

impl NativeSandboxUnavailable {
    /// What the user can do about it.
    pub fn help(self) -> &'static str {
        "use --sandbox wasm (or `sandbox = \"wasm\"` in kata.toml)"
    }
}
