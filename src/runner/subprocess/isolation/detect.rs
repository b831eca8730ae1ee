//! Finding out, at start-up, which isolation layers this machine can give a box.
//!
//! Cheap facts are read in-process (are we root, Landlock's ABI, seccomp, cgroups). Whether
//! namespaces can be created is only known by trying, and trying must not happen in the
//! multi-threaded grader: the box helper does it in a throw-away process (`probe`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::box_helper;
use super::layers::{Layer, LayerStatus, State};
use super::spec::ProbeReport;

/// The environment variable that overrides the choice: `auto` (default), `landlock` (no
/// namespaces, for testing the fallback) or `off` (rlimits only, for benchmarks).
pub(crate) const OVERRIDE_VAR: &str = "KATA_ISOLATION";

/// How boxes are built here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Namespaces and a private root; `user_namespace` when not root.
    Namespaces { user_namespace: bool },
    /// No namespaces: Landlock, seccomp, rlimits and a subreaper keeper on the host file system.
    HostFs,
    /// A plain subprocess with rlimits (today's runner without isolation).
    Off,
}

impl Mode {
    pub fn describe(self, root: bool) -> &'static str {
        match (self, root) {
            // Warm boxes need a PID namespace per case; see runner::warm.
            (Mode::Namespaces { .. }, true) => {
                "namespaces, one unprivileged uid per box, one warm box per submission"
            }
            (Mode::Namespaces { .. }, false) => {
                "namespaces inside a user namespace, one warm box per submission"
            }
            (Mode::HostFs, _) => {
                "no namespaces: Landlock, seccomp and rlimits on the host file system, one box \
                 per case"
            }
            (Mode::Off, _) => "no isolation: rlimits only",
        }
    }
}

/// A bad `KATA_ISOLATION`, or a helper that could not be run.
#[derive(Debug, thiserror::Error)]
pub enum IsolationError {
    #[error("{OVERRIDE_VAR}={0:?} is not one of auto, landlock, off")]
    BadOverride(String),
    #[error("could not run the sandbox helper `{}`: {source}", program.display())]
    Helper {
        program: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What the subprocess sandbox uses on this machine, and why.
#[derive(Debug, Clone)]
pub struct Isolation {
    pub mode: Mode,
    pub root: bool,
    /// Set when `KATA_ISOLATION` chose the mode.
    pub forced: Option<&'static str>,
    /// 0 when Landlock is unavailable.
    pub landlock_abi: i32,
    pub seccomp: bool,
    /// What creating namespaces gave (absent when the mode was forced).
    pub probe: Option<ProbeReport>,
    /// Why cgroup limits are not used.
    pub cgroups: String,
    /// The program that runs as `__box-helper` (normally this very binary).
    pub helper: PathBuf,
}

impl Isolation {
    /// Detects what this machine allows, honouring `KATA_ISOLATION`; `helper` is the kata
    /// binary (`/proc/self/exe` when kata is the running program).
    pub fn detect(helper: PathBuf) -> Result<Isolation, IsolationError> {
        Self::detect_with(helper, std::env::var(OVERRIDE_VAR).ok().as_deref())
    }

    /// Like [`Isolation::detect`], with `choice` in place of `KATA_ISOLATION`.
    pub fn detect_with(helper: PathBuf, choice: Option<&str>) -> Result<Isolation, IsolationError> {
        let forced = match choice {
            None | Some("") | Some("auto") => None,
            Some("landlock") => Some("landlock"),
            Some("off") => Some("off"),
            Some(other) => return Err(IsolationError::BadOverride(other.to_string())),
        };
        let root = rustix::process::geteuid().is_root();
        let mut isolation = Isolation {
            mode: Mode::Off,
            root,
            forced,
            landlock_abi: landlock_abi(),
            seccomp: seccomp_filters(),
            probe: None,
            cgroups: cgroup_state(),
            helper,
        };
        isolation.mode = match forced {
            Some("off") => Mode::Off,
            Some(_) => Mode::HostFs,
            None => {
                let probe = probe(&isolation.helper)?;
                let works = namespaces_work(&probe, root);
                isolation.probe = Some(probe);
                if works {
                    Mode::Namespaces {
                        user_namespace: !root,
                    }
                } else {
                    Mode::HostFs
                }
            }
        };
        Ok(isolation)
    }

    /// Every layer and its state here.
    pub fn layers(&self) -> Vec<LayerStatus> {
        Layer::ALL
            .into_iter()
            .map(|layer| LayerStatus {
                layer,
                state: self.state_of(layer),
            })
            .collect()
    }

    pub fn is_active(&self, layer: Layer) -> bool {
        self.state_of(layer) == State::Active
    }

    fn state_of(&self, layer: Layer) -> State {
        use Layer::*;
        let missing = |reason: &str| State::Missing(reason.to_string());
        let off = self.mode == Mode::Off;
        let namespaces = matches!(self.mode, Mode::Namespaces { .. });
        if off && layer != Rlimits && layer != Cgroups {
            return missing(&self.why_no_isolation());
        }
        match layer {
            UserNamespace => match self.mode {
                Mode::Namespaces {
                    user_namespace: true,
                } => State::Active,
                _ if self.root => {
                    State::NotNeeded("running as root: each box gets its own uid instead".into())
                }
                _ => State::Missing(self.why_no_namespace(|p| &p.user_namespace)),
            },
            BoxUid => {
                if self.root {
                    State::Active
                } else if namespaces {
                    State::NotNeeded(
                        "not root: boxes run as your uid, each in its own user namespace".into(),
                    )
                } else {
                    missing("not root: every box runs as your own uid")
                }
            }
            MountNamespace => self.namespace(|p| &p.mount_namespace),
            PidNamespace => self.namespace(|p| &p.pid_namespace),
            NetworkNamespace => self.namespace(|p| &p.network_namespace),
            IpcNamespace => self.namespace(|p| &p.ipc_namespace),
            UtsNamespace => self.namespace(|p| &p.uts_namespace),
            NoNewPrivs | Capabilities | ParentDeathSignal | Rlimits | ProcessCap => State::Active,
            Seccomp if self.seccomp => State::Active,
            Seccomp => missing("this kernel does not offer seccomp filters"),
            LandlockExec if self.landlock_abi >= 1 => State::Active,
            LandlockExec => missing(&self.why_no_landlock(1)),
            LandlockFiles | LandlockNetwork | LandlockScope if namespaces => {
                State::NotNeeded("the mount, network and PID namespaces do this".into())
            }
            LandlockFiles if self.landlock_abi >= 1 => State::Active,
            LandlockFiles => missing(&self.why_no_landlock(1)),
            LandlockNetwork if self.landlock_abi >= 4 => State::Active,
            LandlockNetwork => missing(&self.why_no_landlock(4)),
            LandlockScope if self.landlock_abi >= 6 => State::Active,
            LandlockScope => missing(&self.why_no_landlock(6)),
            Cgroups => State::Missing(self.cgroups.clone()),
        }
    }

    fn namespace(&self, field: impl Fn(&ProbeReport) -> &Option<String>) -> State {
        match self.mode {
            Mode::Namespaces { .. } => State::Active,
            _ => State::Missing(self.why_no_namespace(field)),
        }
    }

    fn why_no_namespace(&self, field: impl Fn(&ProbeReport) -> &Option<String>) -> String {
        if let Some(forced) = self.forced {
            return format!("turned off by {OVERRIDE_VAR}={forced}");
        }
        let Some(probe) = &self.probe else {
            return "not tried".into();
        };
        if let (false, Some(error)) = (self.root, &probe.user_namespace) {
            return format!(
                "no user namespace could be created ({error}): unprivileged user namespaces are \
                 disabled or restricted here (e.g. kernel.unprivileged_userns_clone=0, or \
                 AppArmor's kernel.apparmor_restrict_unprivileged_userns)"
            );
        }
        match field(probe) {
            Some(error) => format!("cannot create one here: {error}"),
            None => "the other namespaces could not all be created, so none is used".into(),
        }
    }

    fn why_no_landlock(&self, abi: i32) -> String {
        if self.landlock_abi == 0 {
            "Landlock is not enabled in this kernel".into()
        } else {
            format!(
                "needs Landlock ABI {abi}; this kernel has ABI {}",
                self.landlock_abi
            )
        }
    }

    fn why_no_isolation(&self) -> String {
        match self.forced {
            Some(forced) => format!("turned off by {OVERRIDE_VAR}={forced}"),
            None => "isolation is not available on this platform".into(),
        }
    }
}

fn namespaces_work(probe: &ProbeReport, root: bool) -> bool {
    (root || probe.user_namespace.is_none())
        && [
            &probe.pid_namespace,
            &probe.mount_namespace,
            &probe.network_namespace,
            &probe.ipc_namespace,
            &probe.uts_namespace,
            &probe.tmpfs,
        ]
        .iter()
        .all(|result| result.is_none())
}

fn probe(helper: &Path) -> Result<ProbeReport, IsolationError> {
    let failed = |source| IsolationError::Helper {
        program: helper.to_path_buf(),
        source,
    };
    let mut child = Command::new(helper)
        .args([box_helper::ARG, "probe"])
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(failed)?;
    // The report is complete when its stdout closes, which an exiting process does before it
    // leaves its namespaces; their teardown (a grace period for the mount namespace) need not
    // hold up the grader, so the probe is reaped on a thread of its own.
    let mut report = Vec::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout.read_to_end(&mut report).map_err(failed)?;
    }
    match serde_json::from_slice(&report) {
        Ok(report) => {
            std::thread::spawn(move || child.wait());
            Ok(report)
        }
        Err(error) => {
            let output = child.wait_with_output().map_err(failed)?;
            Err(failed(std::io::Error::other(format!(
                "it printed no probe report ({error}; {})",
                String::from_utf8_lossy(&output.stderr).trim()
            ))))
        }
    }
}

/// The Landlock ABI version the kernel offers (0: none).
fn landlock_abi() -> i32 {
    const LANDLOCK_CREATE_RULESET_VERSION: libc::c_uint = 1;
    // SAFETY: asking for the version takes no ruleset and creates nothing.
    let version = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<libc::c_void>(),
            0usize,
            LANDLOCK_CREATE_RULESET_VERSION,
        )
    };
    version.max(0) as i32
}

/// Whether seccomp filters that return an errno are available.
fn seccomp_filters() -> bool {
    const SECCOMP_GET_ACTION_AVAIL: libc::c_uint = 2;
    let action: u32 = libc::SECCOMP_RET_ERRNO;
    // SAFETY: the call only reads `action`.
    unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            SECCOMP_GET_ACTION_AVAIL,
            0,
            &action as *const u32,
        ) == 0
    }
}

/// Why kata does not put boxes in cgroups here.
fn cgroup_state() -> String {
    let controllers = Path::new("/sys/fs/cgroup/cgroup.controllers");
    match std::fs::read_to_string(controllers) {
        Ok(list) if list.split_whitespace().any(|c| c == "memory") => {
            "cgroup v2 is available, but kata does not create cgroups yet: memory is bounded by \
             RLIMIT_AS per process times the process cap, plus the tmpfs sizes"
                .into()
        }
        Ok(_) => "cgroup v2 has no memory controller here".into(),
        Err(_) if Path::new("/sys/fs/cgroup/unified").is_dir() => {
            "cgroup v1 hybrid hierarchy, owned by the init system (kata never writes into cgroup \
             trees it does not own): memory is bounded by RLIMIT_AS per process times the \
             process cap, plus the tmpfs sizes"
                .into()
        }
        Err(_) => "no cgroup v2 hierarchy at /sys/fs/cgroup".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn isolation(mode: Mode, root: bool) -> Isolation {
        Isolation {
            mode,
            root,
            forced: None,
            landlock_abi: 6,
            seccomp: true,
            probe: Some(ProbeReport::default()),
            cgroups: "none here".into(),
            helper: PathBuf::from("kata"),
        }
    }

    #[test]
    fn root_with_namespaces_uses_box_uids_not_user_namespaces() {
        let root = isolation(
            Mode::Namespaces {
                user_namespace: false,
            },
            true,
        );
        assert!(root.is_active(Layer::BoxUid));
        assert!(matches!(
            root.state_of(Layer::UserNamespace),
            State::NotNeeded(_)
        ));
        assert!(root.is_active(Layer::NetworkNamespace));
        assert!(matches!(
            root.state_of(Layer::LandlockFiles),
            State::NotNeeded(_)
        ));
    }

    #[test]
    fn the_fallback_says_why_namespaces_are_missing() {
        let mut fallback = isolation(Mode::HostFs, false);
        fallback.probe = Some(ProbeReport {
            user_namespace: Some("Operation not permitted (os error 1)".into()),
            ..ProbeReport::default()
        });
        let State::Missing(reason) = fallback.state_of(Layer::MountNamespace) else {
            panic!("the mount namespace is missing in the fallback");
        };
        assert!(reason.contains("user namespaces are disabled"), "{reason}");
        assert!(fallback.is_active(Layer::LandlockFiles));
        assert!(fallback.is_active(Layer::LandlockScope));
        fallback.landlock_abi = 3;
        let State::Missing(reason) = fallback.state_of(Layer::LandlockNetwork) else {
            panic!("ABI 3 has no network rules");
        };
        assert!(reason.contains("ABI 4"), "{reason}");
    }

    #[test]
    fn off_leaves_only_rlimits() {
        let mut off = isolation(Mode::Off, true);
        off.forced = Some("off");
        let active: Vec<Layer> = off
            .layers()
            .into_iter()
            .filter(|status| status.state == State::Active)
            .map(|status| status.layer)
            .collect();
        assert_eq!(active, [Layer::Rlimits]);
    }

    #[test]
    fn namespaces_need_every_probe_to_succeed() {
        let ok = ProbeReport::default();
        assert!(namespaces_work(&ok, true));
        let no_net = ProbeReport {
            network_namespace: Some("EPERM".into()),
            ..ProbeReport::default()
        };
        assert!(!namespaces_work(&no_net, true));
        let no_user = ProbeReport {
            user_namespace: Some("EPERM".into()),
            ..ProbeReport::default()
        };
        assert!(
            namespaces_work(&no_user, true),
            "root does not need a user namespace"
        );
        assert!(!namespaces_work(&no_user, false));
    }
}
