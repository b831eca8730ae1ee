//! The box's seccomp deny-list: defence in depth behind the namespaces, not the main wall.
//!
//! CPython needs a broad set of system calls, so everything is allowed except calls that reach
//! kernel state the namespaces do not isolate (keyrings, BPF, perf, io_uring, userfaultfd), that
//! inspect or steer other processes (ptrace and friends), that rebuild the sandbox from inside
//! (mount, unshare, setns, namespace flags on clone), that change the machine (modules, reboot,
//! clocks, swap), and terminal injection. Denied calls fail with EPERM, so Python sees an
//! ordinary `PermissionError`. `clone3` fails with ENOSYS because a filter cannot read its
//! flags (they are in memory); libc then falls back to `clone`, whose flags it can check.
//! Non-native system call ABIs (i386, x32) cannot be used to get around the list.

use std::collections::BTreeMap;
use std::io;

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch, sock_filter,
};

/// What the filter lets through beyond the defaults.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    /// Threads may be started (clone with CLONE_THREAD).
    pub threads: bool,
    /// Processes may be started (fork, vfork, clone without CLONE_THREAD).
    pub processes: bool,
    /// System V IPC and POSIX message queues: namespaced with an IPC namespace, shared with
    /// the host and every other box without one.
    pub ipc: bool,
    /// TCP/UDP sockets (the exercise requires `sockets`).
    pub inet_sockets: bool,
    /// `socket(AF_UNIX)`: harmless behind a mount and network namespace (nothing of the host to
    /// connect to), but on the host file system it would reach the host's sockets.
    pub unix_sockets: bool,
    /// Refuse signals to process groups and to every process (kill(-1)): needed on the host
    /// file system when Landlock cannot scope signals to the box.
    pub no_group_signals: bool,
    /// `unshare`, `clone(CLONE_NEWPID)`, `mount` and `umount2`: only a warm box's fork server,
    /// which makes a user and a mount namespace once, a PID namespace per case, and mounts and
    /// unmounts each case's `/proc`; each case stacks a filter without them.
    pub fork_server: bool,
}

/// Calls no Python exercise needs and each a known way out or around.
const DENIED: &[i64] = &[
    libc::SYS_add_key,
    libc::SYS_request_key,
    libc::SYS_keyctl,
    libc::SYS_bpf,
    libc::SYS_perf_event_open,
    libc::SYS_userfaultfd,
    libc::SYS_io_uring_setup,
    libc::SYS_io_uring_enter,
    libc::SYS_io_uring_register,
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_pidfd_getfd,
    libc::SYS_kcmp,
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_pivot_root,
    libc::SYS_chroot,
    libc::SYS_move_mount,
    libc::SYS_open_tree,
    libc::SYS_fsopen,
    libc::SYS_fsconfig,
    libc::SYS_fsmount,
    libc::SYS_fspick,
    libc::SYS_mount_setattr,
    libc::SYS_unshare,
    libc::SYS_setns,
    libc::SYS_open_by_handle_at,
    libc::SYS_name_to_handle_at,
    libc::SYS_kexec_load,
    libc::SYS_kexec_file_load,
    libc::SYS_init_module,
    libc::SYS_finit_module,
    libc::SYS_delete_module,
    libc::SYS_swapon,
    libc::SYS_swapoff,
    libc::SYS_reboot,
    libc::SYS_acct,
    libc::SYS_settimeofday,
    libc::SYS_clock_settime,
    libc::SYS_clock_adjtime,
    libc::SYS_adjtimex,
    libc::SYS_syslog,
    libc::SYS_quotactl,
    libc::SYS_vhangup,
    libc::SYS_fanotify_init,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_iopl,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_ioperm,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_uselib,
];

/// The namespace flags `clone` must not carry.
const CLONE_NAMESPACES: [u64; 7] = [
    libc::CLONE_NEWNS as u64,
    libc::CLONE_NEWNET as u64,
    libc::CLONE_NEWCGROUP as u64,
    libc::CLONE_NEWUTS as u64,
    libc::CLONE_NEWIPC as u64,
    libc::CLONE_NEWUSER as u64,
    libc::CLONE_NEWPID as u64,
];

/// The compiled filters, to be installed in order (all of them apply).
pub(crate) fn filters(policy: Policy) -> io::Result<Vec<BpfProgram>> {
    let arch = native_arch()?;
    let eperm = SeccompFilter::new(
        deny_rules(policy)?,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(io::Error::other)?;
    let enosys = SeccompFilter::new(
        BTreeMap::from([(libc::SYS_clone3, Vec::new())]),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::ENOSYS as u32),
        arch,
    )
    .map_err(io::Error::other)?;
    let mut programs = vec![foreign_abis()];
    for filter in [eperm, enosys] {
        programs.push(filter.try_into().map_err(io::Error::other)?);
    }
    Ok(programs)
}

/// The filters as the kernel's `sock_filter` bytes, for a process that installs them itself
/// (a warm box's fork server, for each case).
pub(crate) fn filter_bytes(policy: Policy) -> io::Result<Vec<Vec<u8>>> {
    Ok(filters(policy)?
        .iter()
        .map(|program| {
            program
                .iter()
                .flat_map(|op| {
                    let mut bytes = op.code.to_ne_bytes().to_vec();
                    bytes.extend([op.jt, op.jf]);
                    bytes.extend(op.k.to_ne_bytes());
                    bytes
                })
                .collect()
        })
        .collect())
}

/// Installs the filters on the calling thread (no_new_privs must already be set).
///
/// With SECCOMP_FILTER_FLAG_SPEC_ALLOW: on kernels that still tie the speculative store bypass
/// mitigation to seccomp (before 5.16, or `spec_store_bypass_disable=seccomp`), a filter would
/// otherwise slow CPython down by 15-20 %. That mitigation protects a process from itself
/// (the harness and the submission share one address space and one trust level anyway); DMOJ
/// turns it off for the same reason.
pub(crate) fn install(policy: Policy) -> io::Result<()> {
    for program in filters(policy)? {
        let program = libc::sock_fprog {
            len: u16::try_from(program.len()).map_err(io::Error::other)?,
            filter: program.as_ptr() as *mut libc::sock_filter,
        };
        // SAFETY: `program` points at `len` valid BPF instructions (seccompiler's sock_filter
        // has the kernel's layout) that outlive the call, which copies them.
        let result = unsafe {
            libc::syscall(
                libc::SYS_seccomp,
                libc::SECCOMP_SET_MODE_FILTER,
                libc::SECCOMP_FILTER_FLAG_SPEC_ALLOW,
                &program as *const libc::sock_fprog,
            )
        };
        if result != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

fn native_arch() -> io::Result<TargetArch> {
    std::env::consts::ARCH
        .try_into()
        .map_err(|_| io::Error::other("seccomp filters are built for x86_64 and aarch64 only"))
}

fn condition(arg: u8, op: SeccompCmpOp, value: u64) -> io::Result<SeccompCondition> {
    SeccompCondition::new(arg, SeccompCmpArgLen::Dword, op, value).map_err(io::Error::other)
}

fn rule(conditions: Vec<SeccompCondition>) -> io::Result<SeccompRule> {
    SeccompRule::new(conditions).map_err(io::Error::other)
}

fn deny_rules(policy: Policy) -> io::Result<BTreeMap<i64, Vec<SeccompRule>>> {
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = DENIED
        .iter()
        .filter(|&&call| {
            !(policy.fork_server
                && matches!(
                    call,
                    libc::SYS_unshare | libc::SYS_mount | libc::SYS_umount2
                ))
        })
        .map(|&call| (call, Vec::new()))
        .collect();

    // clone with any namespace flag (one rule per flag: rules are alternatives; the fork
    // server makes each case's reaper with CLONE_NEWPID); without processes, any clone that is
    // not a thread; without threads, any clone at all. (The process cap counts every process
    // of the uid; this does not depend on it.)
    let mut clone: Vec<SeccompRule> = CLONE_NAMESPACES
        .iter()
        .filter(|&&flag| !(policy.fork_server && flag == libc::CLONE_NEWPID as u64))
        .map(|&flag| rule(vec![condition(0, SeccompCmpOp::MaskedEq(flag), flag)?]))
        .collect::<io::Result<_>>()?;
    let thread = libc::CLONE_THREAD as u64;
    if !policy.threads && !policy.processes {
        clone = Vec::new(); // an empty chain: every clone is refused
    } else if !policy.processes {
        clone.push(rule(vec![condition(
            0,
            SeccompCmpOp::MaskedEq(thread),
            0,
        )?])?);
    }
    rules.insert(libc::SYS_clone, clone);
    if !policy.processes {
        #[cfg(target_arch = "x86_64")]
        for call in [libc::SYS_fork, libc::SYS_vfork] {
            rules.insert(call, Vec::new());
        }
    }
    if !policy.ipc {
        for call in [
            libc::SYS_shmget,
            libc::SYS_shmat,
            libc::SYS_shmctl,
            libc::SYS_shmdt,
            libc::SYS_msgget,
            libc::SYS_msgsnd,
            libc::SYS_msgrcv,
            libc::SYS_msgctl,
            libc::SYS_semget,
            libc::SYS_semop,
            libc::SYS_semctl,
            libc::SYS_semtimedop,
            libc::SYS_mq_open,
            libc::SYS_mq_unlink,
        ] {
            rules.insert(call, Vec::new());
        }
    }

    // Terminal injection; compared on the low 32 bits, whatever the upper ones (CVE-2019-10063).
    let ioctl = [libc::TIOCSTI, libc::TIOCLINUX]
        .iter()
        .map(|&request| {
            rule(vec![condition(
                1,
                SeccompCmpOp::MaskedEq(0xffff_ffff),
                request,
            )?])
        })
        .collect::<io::Result<_>>()?;
    rules.insert(libc::SYS_ioctl, ioctl);

    // personality(): only the query (0xffffffff) and the default (PER_LINUX, 0).
    rules.insert(
        libc::SYS_personality,
        vec![rule(vec![
            condition(0, SeccompCmpOp::Ne, 0)?,
            condition(0, SeccompCmpOp::Ne, 0xffff_ffff)?,
        ])?],
    );

    // Leases and directory notifications act on inodes other boxes share (/usr).
    let fcntl = [libc::F_SETLEASE, libc::F_NOTIFY]
        .iter()
        .map(|&command| rule(vec![condition(1, SeccompCmpOp::Eq, command as u64)?]))
        .collect::<io::Result<_>>()?;
    rules.insert(libc::SYS_fcntl, fcntl);

    // socket(): every family not explicitly allowed (the conditions of one rule all hold).
    let mut allowed = Vec::new();
    if policy.unix_sockets {
        allowed.push(libc::AF_UNIX);
    }
    if policy.inet_sockets {
        allowed.extend([libc::AF_INET, libc::AF_INET6]);
    }
    let socket = if allowed.is_empty() {
        Vec::new()
    } else {
        vec![rule(
            allowed
                .iter()
                .map(|&family| condition(0, SeccompCmpOp::Ne, family as u64))
                .collect::<io::Result<_>>()?,
        )?]
    };
    rules.insert(libc::SYS_socket, socket);

    if policy.no_group_signals {
        // A negative pid (bit 31 of the int) is a process group, -1 every process.
        let negative = || condition(0, SeccompCmpOp::MaskedEq(0x8000_0000), 0x8000_0000);
        rules.insert(libc::SYS_kill, vec![rule(vec![negative()?])?]);
    }
    Ok(rules)
}

/// Kills the process on a foreign architecture (i386 through `int 0x80`), and refuses x32
/// system calls, whose numbers carry bit 30 and would otherwise miss every rule above.
fn foreign_abis() -> BpfProgram {
    const LD_W_ABS: u16 = 0x20; // BPF_LD | BPF_W | BPF_ABS
    const JEQ_K: u16 = 0x05 | 0x10; // BPF_JMP | BPF_JEQ | BPF_K
    const JGE_K: u16 = 0x05 | 0x30; // BPF_JMP | BPF_JGE | BPF_K
    const RET_K: u16 = 0x06; // BPF_RET | BPF_K
    const ARCH_OFFSET: u32 = 4;
    const NR_OFFSET: u32 = 0;
    #[cfg(target_arch = "x86_64")]
    const AUDIT_ARCH: u32 = 62 | 0x8000_0000 | 0x4000_0000;
    #[cfg(target_arch = "aarch64")]
    const AUDIT_ARCH: u32 = 183 | 0x8000_0000 | 0x4000_0000;
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    const AUDIT_ARCH: u32 = 0;
    const X32_BIT: u32 = 0x4000_0000;
    let op = |code, jt, jf, k| sock_filter { code, jt, jf, k };
    vec![
        op(LD_W_ABS, 0, 0, ARCH_OFFSET),
        op(JEQ_K, 1, 0, AUDIT_ARCH),
        op(RET_K, 0, 0, libc::SECCOMP_RET_KILL_PROCESS),
        op(LD_W_ABS, 0, 0, NR_OFFSET),
        op(JGE_K, 0, 1, X32_BIT),
        op(RET_K, 0, 0, libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32),
        op(RET_K, 0, 0, libc::SECCOMP_RET_ALLOW),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_policy_compiles() {
        for bits in 0..64u32 {
            let bit = |n: u32| bits & (1 << n) != 0;
            let policy = Policy {
                threads: bit(0),
                processes: bit(1),
                ipc: bit(2),
                inet_sockets: bit(3),
                unix_sockets: bit(4),
                no_group_signals: bit(5),
                fork_server: bits % 3 == 0,
            };
            let programs = filters(policy).expect("the filters compile");
            assert_eq!(programs.len(), 3);
            assert!(programs.iter().all(|p| !p.is_empty() && p.len() < 4096));
        }
    }

    #[test]
    fn filter_bytes_are_the_kernels_instructions() {
        let policy = Policy {
            threads: false,
            processes: false,
            ipc: true,
            inet_sockets: false,
            unix_sockets: true,
            no_group_signals: false,
            fork_server: false,
        };
        let programs = filters(policy).unwrap();
        let bytes = filter_bytes(policy).unwrap();
        assert_eq!(bytes.len(), programs.len());
        for (program, bytes) in programs.iter().zip(&bytes) {
            assert_eq!(bytes.len(), 8 * program.len());
            assert_eq!(&bytes[..2], &program[0].code.to_ne_bytes());
            assert_eq!(&bytes[4..8], &program[0].k.to_ne_bytes());
        }
    }

    #[test]
    fn only_the_fork_server_may_unshare_or_mount_or_unmount() {
        let case = Policy {
            threads: true,
            processes: true,
            ipc: true,
            inet_sockets: false,
            unix_sockets: true,
            no_group_signals: false,
            fork_server: false,
        };
        let server = Policy {
            fork_server: true,
            ..case
        };
        assert!(deny_rules(case).unwrap().contains_key(&libc::SYS_unshare));
        assert!(!deny_rules(server).unwrap().contains_key(&libc::SYS_unshare));
        assert!(deny_rules(server).unwrap().contains_key(&libc::SYS_setns));
        // The fork server mounts each case's /proc and unmounts it after the case; the case
        // itself may do neither.
        for call in [libc::SYS_mount, libc::SYS_umount2] {
            assert!(deny_rules(case).unwrap().contains_key(&call));
            assert!(!deny_rules(server).unwrap().contains_key(&call));
        }
        // It clones each case's reaper into a new PID namespace: one rule fewer on clone, and
        // only that one (the other namespace flags stay refused).
        let clone_rules = |policy| deny_rules(policy).unwrap()[&libc::SYS_clone].len();
        assert_eq!(clone_rules(server) + 1, clone_rules(case));
    }
}
