//! The protections a box can have, and which of them are active on this machine.

use std::fmt;

/// One protection of the subprocess sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    UserNamespace,
    BoxUid,
    MountNamespace,
    PidNamespace,
    NetworkNamespace,
    IpcNamespace,
    UtsNamespace,
    NoNewPrivs,
    Capabilities,
    ParentDeathSignal,
    Rlimits,
    ProcessCap,
    Seccomp,
    LandlockExec,
    LandlockFiles,
    LandlockNetwork,
    LandlockScope,
    Cgroups,
}

impl Layer {
    pub const ALL: [Layer; 18] = [
        Layer::UserNamespace,
        Layer::BoxUid,
        Layer::MountNamespace,
        Layer::PidNamespace,
        Layer::NetworkNamespace,
        Layer::IpcNamespace,
        Layer::UtsNamespace,
        Layer::NoNewPrivs,
        Layer::Capabilities,
        Layer::ParentDeathSignal,
        Layer::Rlimits,
        Layer::ProcessCap,
        Layer::Seccomp,
        Layer::LandlockExec,
        Layer::LandlockFiles,
        Layer::LandlockNetwork,
        Layer::LandlockScope,
        Layer::Cgroups,
    ];

    /// A short name, also the key in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Layer::UserNamespace => "user-namespace",
            Layer::BoxUid => "box-uid",
            Layer::MountNamespace => "mount-namespace",
            Layer::PidNamespace => "pid-namespace",
            Layer::NetworkNamespace => "network-namespace",
            Layer::IpcNamespace => "ipc-namespace",
            Layer::UtsNamespace => "uts-namespace",
            Layer::NoNewPrivs => "no-new-privs",
            Layer::Capabilities => "no-capabilities",
            Layer::ParentDeathSignal => "parent-death-signal",
            Layer::Rlimits => "rlimits",
            Layer::ProcessCap => "process-cap",
            Layer::Seccomp => "seccomp",
            Layer::LandlockExec => "landlock-exec",
            Layer::LandlockFiles => "landlock-files",
            Layer::LandlockNetwork => "landlock-network",
            Layer::LandlockScope => "landlock-scope",
            Layer::Cgroups => "cgroups",
        }
    }

    /// What the layer keeps a submission from doing.
    pub fn stops(self) -> &'static str {
        match self {
            Layer::UserNamespace => "gives an unprivileged grader the other namespaces",
            Layer::BoxUid => {
                "one unprivileged uid per concurrent box: no signals, files or ptrace across boxes"
            }
            Layer::MountNamespace => {
                "private root: only the interpreter, harness and submission are visible, read-only"
            }
            Layer::PidNamespace => {
                "sees only its own processes; killing its PID 1 kills every descendant"
            }
            Layer::NetworkNamespace => "no network: its own namespace, loopback down",
            Layer::IpcNamespace => "no System V / POSIX IPC shared with the host or other boxes",
            Layer::UtsNamespace => "its own host name",
            Layer::NoNewPrivs => "no privileges regained through set-uid programs",
            Layer::Capabilities => "no capabilities; bounding set emptied where the grader may",
            Layer::ParentDeathSignal => "nothing outlives the grader",
            Layer::Rlimits => "CPU time, memory, file size and open files capped",
            Layer::ProcessCap => "no fork bombs: processes and threads capped",
            Layer::Seccomp => {
                "deny-list: ptrace, mount, unshare, keyctl, bpf, io_uring, terminal injection, ..."
            }
            Layer::LandlockExec => "only the interpreter can be executed",
            Layer::LandlockFiles => {
                "host files outside the box's paths unreachable (no namespaces)"
            }
            Layer::LandlockNetwork => "no TCP bind or connect (no namespaces)",
            Layer::LandlockScope => {
                "no signals or abstract sockets outside the box (no namespaces)"
            }
            Layer::Cgroups => "total memory and process count per box",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether a layer protects the boxes here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Active,
    /// It would help, but cannot be had here; the reason says why.
    Missing(String),
    /// Another layer does its job here; the reason says which.
    NotNeeded(String),
}

/// A layer and its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerStatus {
    pub layer: Layer,
    pub state: State,
}
