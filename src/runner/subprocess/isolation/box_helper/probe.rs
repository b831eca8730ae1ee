//! `kata __box-helper probe`: tries to create each namespace a box needs, in this throw-away
//! process, and prints what worked as JSON on stdout.

use std::path::Path;

use super::sys;
use crate::runner::subprocess::isolation::spec::ProbeReport;

pub(super) fn main() -> i32 {
    let report = probe();
    let json = serde_json::to_string(&report).expect("the probe report serialises");
    match sys::write_all(1, json.as_bytes()) {
        Ok(()) => 0,
        Err(_) => 2,
    }
}

fn probe() -> ProbeReport {
    let outcome = |result: std::io::Result<()>| result.err().map(|e| e.to_string());
    let mut report = ProbeReport::default();
    if sys::geteuid() != 0 {
        let (uid, gid) = (sys::geteuid(), sys::getegid());
        report.user_namespace = outcome(sys::unshare(libc::CLONE_NEWUSER).and_then(|()| {
            std::fs::write("/proc/self/setgroups", "deny")?;
            std::fs::write("/proc/self/uid_map", format!("0 {uid} 1\n"))?;
            std::fs::write("/proc/self/gid_map", format!("0 {gid} 1\n"))
        }));
    }
    report.pid_namespace = outcome(sys::unshare(libc::CLONE_NEWPID));
    report.mount_namespace = outcome(sys::unshare(libc::CLONE_NEWNS));
    report.network_namespace = outcome(sys::unshare(libc::CLONE_NEWNET));
    report.ipc_namespace = outcome(sys::unshare(libc::CLONE_NEWIPC));
    report.uts_namespace = outcome(sys::unshare(libc::CLONE_NEWUTS));
    if report.mount_namespace.is_none() {
        // Only this process's private copy of the mount table is touched.
        report.tmpfs = outcome(
            sys::mount(
                None,
                Path::new("/"),
                None,
                libc::MS_REC | libc::MS_PRIVATE,
                None,
            )
            .and_then(|()| {
                sys::mount(
                    Some(Path::new("tmpfs")),
                    Path::new("/tmp"),
                    Some("tmpfs"),
                    libc::MS_NOSUID | libc::MS_NODEV,
                    Some("size=4k"),
                )
            }),
        );
    } else {
        report.tmpfs = Some("no mount namespace".into());
    }
    report
}
