//! Checking, from inside a real box, that each layer [`Isolation`] says is active really is.
//!
//! `sandbox/selftest.py` runs as an ordinary case in the subprocess sandbox and reports what
//! it sees (its uid, namespaces, capabilities, limits, what it was refused); this module
//! compares that with what each active layer promises. `kata sandbox status` shows the result.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::SubprocessRunner;
use super::isolation::layers::Layer;
use super::isolation::slots::BASE_ID;
use super::isolation::{Isolation, Mode};
use crate::exercise::{CaseInput, Limits, Support};
use crate::runner::{Program, RunRequest, Runner};

const SCRIPT: &str = include_str!("../../../sandbox/selftest.py");
const MARKER: &str = "KATA-SELFTEST ";

/// What the self-test saw from inside the box.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Observations {
    pub uid: u32,
    pub pid: i64,
    pub pids: Vec<i64>,
    pub hostname: String,
    pub namespaces: BTreeMap<String, String>,
    pub interfaces: Vec<String>,
    pub no_new_privs: Option<String>,
    pub seccomp: Option<String>,
    pub capabilities: Vec<Option<String>>,
    pub death_signal: i32,
    pub limits: BTreeMap<String, i64>,
    pub fork: i32,
    pub unshare: i32,
    pub inet_socket: i32,
    /// Hidden host paths that exist in the box: their entries, or "file".
    pub visible: BTreeMap<String, serde_json::Value>,
    pub host_file: i32,
    pub host_passwd: i32,
    pub signal_parent: i32,
    /// The errno of the refused exec; `None` if the exec went through.
    #[serde(skip)]
    pub exec: Option<i32>,
}

/// The outcome of the self-test.
#[derive(Debug)]
pub(crate) struct SelfTest {
    /// Per active layer: `Ok` if the box showed it, or what it showed instead.
    pub checks: Vec<(Layer, Result<(), String>)>,
}

/// Runs the self-test in a box of `runner` and checks every active layer.
pub(crate) async fn run(runner: &SubprocessRunner, hidden: &[PathBuf]) -> Result<SelfTest, String> {
    let isolation = runner.isolation();
    let hidden: Vec<String> = hidden
        .iter()
        .map(|path| path.display().to_string())
        .collect();
    let code = format!(
        "HIDDEN = {}\n{SCRIPT}",
        serde_json::to_string(&hidden).expect("strings serialise")
    );
    let limits = Limits::default();
    let request = RunRequest {
        program: Program {
            source: Arc::from(""),
            display_name: "selftest.py".into(),
        },
        support: Arc::new(Support::default()),
        input: CaseInput::Script { code },
        limits,
        fixtures: Vec::new(),
        requires: Vec::new(),
    };
    let output = runner
        .run(request)
        .await
        .map_err(|error| format!("the self-test box could not run: {error}"))?;
    let observations = parse(&output.raw_stderr).ok_or_else(|| {
        format!(
            "the self-test printed no observations; its stderr was: {}",
            output.raw_stderr.trim()
        )
    })?;
    Ok(SelfTest {
        checks: check(isolation, &observations, &limits, &runner.view().read_only),
    })
}

fn parse(stderr: &str) -> Option<Observations> {
    let mut lines = stderr.lines().filter_map(|line| line.strip_prefix(MARKER));
    let mut observations: Observations = serde_json::from_str(lines.next()?).ok()?;
    observations.exec = lines
        .next()
        .and_then(|line| serde_json::from_str::<BTreeMap<String, i32>>(line).ok())
        .and_then(|exec| exec.get("exec").copied());
    Some(observations)
}

/// Compares the observations with what each active layer promises.
pub(crate) fn check(
    isolation: &Isolation,
    seen: &Observations,
    limits: &Limits,
    read_only: &[PathBuf],
) -> Vec<(Layer, Result<(), String>)> {
    let leaked: Vec<&String> = seen
        .visible
        .iter()
        .filter(|(path, entries)| !only_leads_to(Path::new(path), entries, read_only))
        .map(|(path, _)| path)
        .collect();
    let host_namespaces: BTreeMap<String, String> = ["mnt", "pid", "net", "ipc", "uts", "user"]
        .into_iter()
        .filter_map(|kind| {
            let link = std::fs::read_link(format!("/proc/self/ns/{kind}")).ok()?;
            Some((kind.to_string(), link.display().to_string()))
        })
        .collect();
    let own = |kind: &str| -> Result<(), String> {
        match (seen.namespaces.get(kind), host_namespaces.get(kind)) {
            (Some(inside), Some(outside)) if inside != outside => Ok(()),
            (inside, _) => Err(format!(
                "the box shares the grader's {kind} namespace ({inside:?})"
            )),
        }
    };
    let expect = |ok: bool, otherwise: String| if ok { Ok(()) } else { Err(otherwise) };
    let grader_uid = rustix::process::getuid().as_raw();
    // Inheritable, permitted, effective, bounding, ambient. An unprivileged grader without
    // namespaces cannot empty the bounding set; no_new_privs makes it irrelevant there.
    let can_drop_bounding = isolation.root || matches!(isolation.mode, Mode::Namespaces { .. });
    let zero_caps = seen.capabilities.len() == 5
        && seen.capabilities.iter().enumerate().all(|(index, caps)| {
            (index == 3 && !can_drop_bounding)
                || caps
                    .as_deref()
                    .is_some_and(|c| c.trim_start_matches('0').is_empty())
        });
    let limit = |name: &str| seen.limits.get(name).copied().unwrap_or(-1);
    let expected_cpu = limits.cpu.as_secs() as i64 + i64::from(limits.cpu.subsec_nanos() > 0);
    let (eacces, eperm, enoent) = (libc::EACCES, libc::EPERM, libc::ENOENT);
    Layer::ALL
        .into_iter()
        .filter(|&layer| isolation.is_active(layer))
        .filter(|&layer| layer != Layer::Cgroups)
        .map(|layer| {
            let result = match layer {
                Layer::UserNamespace => own("user"),
                Layer::BoxUid => expect(
                    seen.uid != grader_uid && seen.uid >= BASE_ID,
                    format!("the program ran as uid {}", seen.uid),
                ),
                Layer::MountNamespace => own("mnt").and(expect(
                    leaked.is_empty() && seen.host_file == enoent,
                    format!(
                        "host paths are visible: {leaked:?} (reading /etc/os-release gave errno {})",
                        seen.host_file
                    ),
                )),
                Layer::PidNamespace => own("pid").and(expect(
                    seen.pid <= 3 && seen.pids.len() <= 3,
                    format!("the program is pid {} and sees pids {:?}", seen.pid, seen.pids),
                )),
                Layer::NetworkNamespace => own("net").and(expect(
                    seen.interfaces == ["lo"],
                    format!("the box has the interfaces {:?}", seen.interfaces),
                )),
                Layer::IpcNamespace => own("ipc"),
                Layer::UtsNamespace => own("uts").and(expect(
                    seen.hostname == "kata-box",
                    format!("the host name is {:?}", seen.hostname),
                )),
                Layer::NoNewPrivs => expect(
                    seen.no_new_privs.as_deref() == Some("1"),
                    format!("NoNewPrivs is {:?}", seen.no_new_privs),
                ),
                Layer::Capabilities => expect(
                    zero_caps,
                    format!("capability sets {:?}", seen.capabilities),
                ),
                Layer::ParentDeathSignal => expect(
                    seen.death_signal == libc::SIGKILL,
                    format!("the parent-death signal is {}", seen.death_signal),
                ),
                Layer::Rlimits => expect(
                    limit("RLIMIT_CPU") == expected_cpu
                        && limit("RLIMIT_AS") == limits.memory_bytes as i64
                        && limit("RLIMIT_FSIZE") > 0
                        && limit("RLIMIT_NOFILE") > 0,
                    format!("the rlimits are {:?}", seen.limits),
                ),
                Layer::ProcessCap => expect(
                    // EPERM: the seccomp filter refuses fork outright where processes are
                    // not granted; EAGAIN: RLIMIT_NPROC.
                    (seen.fork == libc::EAGAIN || seen.fork == eperm)
                        && limit("RLIMIT_NPROC") > 0,
                    format!(
                        "fork gave errno {} with RLIMIT_NPROC {}",
                        seen.fork,
                        limit("RLIMIT_NPROC")
                    ),
                ),
                Layer::Seccomp => expect(
                    seen.seccomp.as_deref() == Some("2") && seen.unshare == eperm,
                    format!(
                        "seccomp mode {:?}, unshare gave errno {}",
                        seen.seccomp, seen.unshare
                    ),
                ),
                Layer::LandlockExec => expect(
                    seen.exec == Some(eacces),
                    match seen.exec {
                        None => "another program could be executed".into(),
                        Some(errno) => format!("exec failed with errno {errno}, not EACCES"),
                    },
                ),
                Layer::LandlockFiles => expect(
                    seen.host_passwd == eacces,
                    format!("reading /etc/passwd gave errno {}", seen.host_passwd),
                ),
                Layer::LandlockNetwork => expect(
                    seen.inet_socket != 0,
                    "a TCP socket could be opened".into(),
                ),
                Layer::LandlockScope => expect(
                    seen.signal_parent == eperm,
                    format!("signalling the keeper gave errno {}", seen.signal_parent),
                ),
                Layer::Cgroups => Ok(()),
            };
            (layer, result)
        })
        .collect()
}

/// Whether a hidden directory that exists in the box holds nothing but the way to a tree the
/// box is meant to see (the private root has to create `/root/.pyenv/...` to bind a
/// pyenv interpreter, but nothing else of `/root`).
fn only_leads_to(path: &Path, entries: &serde_json::Value, read_only: &[PathBuf]) -> bool {
    let Some(entries) = entries.as_array() else {
        return false;
    };
    entries.iter().all(|entry| {
        entry.as_str().is_some_and(|name| {
            let inside = path.join(name);
            read_only.iter().any(|tree| tree.starts_with(&inside))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hidden_directory_may_only_lead_to_a_visible_tree() {
        let trees = [PathBuf::from("/root/.pyenv/versions/3.11.7")];
        let leads = serde_json::json!([".pyenv"]);
        assert!(only_leads_to(Path::new("/root"), &leads, &trees));
        let leaks = serde_json::json!([".pyenv", ".bash_history"]);
        assert!(!only_leads_to(Path::new("/root"), &leaks, &trees));
        assert!(!only_leads_to(
            Path::new("/srv/exercises.toml"),
            &serde_json::json!("file"),
            &trees
        ));
    }

    #[test]
    fn observations_and_the_refused_exec_are_read_from_stderr() {
        let stderr = "noise\nKATA-SELFTEST {\"uid\": 60001, \"pid\": 2, \"pids\": [1, 2], \
            \"hostname\": \"kata-box\", \"namespaces\": {}, \"interfaces\": [\"lo\"], \
            \"no_new_privs\": \"1\", \"seccomp\": \"2\", \"capabilities\": [], \
            \"death_signal\": 9, \"limits\": {}, \"fork\": 11, \"unshare\": 1, \
            \"inet_socket\": 1, \"visible\": {}, \"host_file\": 2, \"host_passwd\": 0, \"signal_parent\": 1}\n\
            KATA-SELFTEST {\"exec\": 13}\n";
        let seen = parse(stderr).unwrap();
        assert_eq!(seen.uid, 60001);
        assert_eq!(seen.exec, Some(13));
        let without_exec = stderr.rsplit_once("KATA-SELFTEST {\"exec").unwrap().0;
        assert_eq!(parse(without_exec).unwrap().exec, None);
    }
}
