//! PID 1 of a box: builds the box's namespaces and root, starts the program, reaps every
//! process of the box, and when the program ends kills whatever it left behind.
//!
//! PID 1 is special in two ways this relies on: a process inside its namespace can only signal
//! it through handlers it installed (it installs none), and when it dies the kernel kills every
//! other process of the namespace before its parent (the keeper) can reap it.

use super::sys::{self, Forked, Result, Step};
use super::{confine, rootfs, trace};
use crate::runner::subprocess::isolation::spec::{BoxSpec, CONTROL_FD, REPORT_FD, ZYGOTE_FD};

/// Runs PID 1; `status` receives the program's raw wait status, `errors` what went wrong.
pub(super) fn run(spec: &BoxSpec, status: i32, errors: i32, keeper_ends: [i32; 2]) -> ! {
    for fd in [CONTROL_FD, REPORT_FD].into_iter().chain(keeper_ends) {
        sys::close(fd);
    }
    trace::mark("init-started");
    if let Err(failure) = build(spec) {
        let _ = sys::write_all(errors, failure.to_string().as_bytes());
        sys::exit_now(1);
    }
    let program = match sys::fork() {
        Ok(Forked::Child) => {
            sys::close(status);
            // In a user namespace the keeper and this process run as the box's uid too.
            let tasks_before = if spec.drop_to_box_ids { 0 } else { 2 };
            confine::exec(spec, 1, errors, tasks_before)
        }
        Ok(Forked::Parent(pid)) => pid,
        Err(error) => {
            let _ = sys::write_all(errors, format!("start the program: {error}").as_bytes());
            sys::exit_now(1);
        }
    };
    sys::close(errors);
    if spec.zygote {
        sys::close(ZYGOTE_FD); // the grader must see it close when the fork server is gone
    }
    for fd in 0..=3 {
        sys::close(fd); // the box's stdio and frame pipe: the host must see them close
    }
    let mut program_status = None;
    while let Ok((pid, raw, _)) = sys::wait4(-1, 0) {
        if pid == program {
            program_status = Some(raw);
            break;
        }
    }
    trace::mark("program-ended");
    // Daemons, forgotten children, threads' processes: nothing outlives the program.
    let _ = sys::kill(-1, libc::SIGKILL);
    while sys::wait4(-1, 0).is_ok() {}
    trace::mark("box-emptied");
    if let Some(raw) = program_status {
        let _ = sys::write_all(status, &raw.to_le_bytes());
    }
    sys::exit_now(0)
}

fn build(spec: &BoxSpec) -> Result<()> {
    sys::die_with_parent().step(|| "arm the parent-death signal".into())?;
    // Nothing in the box may read this process's memory or descriptors through /proc.
    sys::undumpable().step(|| "make PID 1 undumpable".into())?;
    sys::unshare(libc::CLONE_NEWNS | libc::CLONE_NEWNET | libc::CLONE_NEWIPC | libc::CLONE_NEWUTS)
        .step(|| "create the mount, network, IPC and UTS namespaces".into())?;
    trace::mark("mount-network-ipc-uts-namespaces");
    sys::sethostname("kata-box").step(|| "set the host name".into())?;
    if spec.grants.sockets {
        // Loopback inside the box's own network namespace: sockets work, nothing is routed out.
        sys::loopback_up().step(|| "bring the box's loopback up".into())?;
    }
    rootfs::enter(spec)?;
    trace::mark("private-root");
    Ok(())
}
