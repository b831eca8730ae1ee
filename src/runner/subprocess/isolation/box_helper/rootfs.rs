//! The box's private root: a small tmpfs holding read-only binds of the interpreter and the
//! box directory, tmpfs `/tmp` and `/work`, a few device nodes and a `/proc` that shows only the
//! box's own processes. Nothing else of the host exists inside.
//!
//! Runs in the box's PID 1, after it entered its own mount namespace and before it pivots into
//! the new root.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::fixtures;
use super::sys::{self, Result, Step};
use crate::runner::subprocess::isolation::spec::BoxSpec;

/// Where the box sees its files.
pub const BOX: &str = "/box";
pub const WORK: &str = "/work";
pub const TMP: &str = "/tmp";

const DEVICES: [&str; 5] = ["null", "zero", "full", "random", "urandom"];

const NOSUID: libc::c_ulong = libc::MS_NOSUID;
const NODEV: libc::c_ulong = libc::MS_NODEV;
const NOEXEC: libc::c_ulong = libc::MS_NOEXEC;

/// Builds the root under `spec.dirs.scratch` and makes it the root of this mount namespace.
pub(super) fn enter(spec: &BoxSpec) -> Result<()> {
    let root = spec.dirs.scratch.as_path();
    // Nothing done below may propagate back to the host's mounts.
    sys::mount(
        None,
        Path::new("/"),
        None,
        libc::MS_REC | libc::MS_PRIVATE,
        None,
    )
    .step(|| "make the host's mounts private to the box".into())?;
    tmpfs(root, "size=1m,nr_inodes=512,mode=0755", NOSUID | NODEV)
        .step(|| "mount the box's root tmpfs".into())?;

    for path in &spec.view.read_only {
        bind_read_only(path, &inside(root, path), 0)
            .step(|| format!("bind {} read-only", path.display()))?;
    }
    for (link, target) in &spec.view.symlinks {
        std::os::unix::fs::symlink(target, inside(root, link))
            .step(|| format!("recreate the symlink {}", link.display()))?;
    }
    for secret in &spec.view.masks {
        mask(root, secret).step(|| format!("hide {}", secret.display()))?;
    }
    bind_read_only(&spec.dirs.code, &inside(root, Path::new(BOX)), NOEXEC)
        .step(|| "bind the box directory read-only".into())?;
    let owner = format!("uid={},gid={}", spec.uid, spec.gid);
    let (bytes, inodes) = (spec.limits.tmpfs_bytes, spec.limits.tmpfs_inodes);
    let work = inside(root, Path::new(WORK));
    make_dir(&work).step(|| "create /work".into())?;
    tmpfs(
        &work,
        &format!("size={bytes},nr_inodes={inodes},mode=0700,{owner}"),
        NOSUID | NODEV | NOEXEC,
    )
    .step(|| "mount the working directory's tmpfs".into())?;
    fixtures::copy(
        &spec.dirs.work,
        &work,
        spec.drop_to_box_ids.then_some((spec.uid, spec.gid)),
    )
    .step(|| "copy the case's fixtures".into())?;
    let tmp = inside(root, Path::new(TMP));
    make_dir(&tmp).step(|| "create /tmp".into())?;
    tmpfs(
        &tmp,
        &format!("size={bytes},nr_inodes={inodes},mode=1777"),
        NOSUID | NODEV | NOEXEC,
    )
    .step(|| "mount /tmp".into())?;
    devices(root, spec).step(|| "populate /dev".into())?;
    etc(root, spec).step(|| "write /etc".into())?;
    let proc_dir = inside(root, Path::new("/proc"));
    make_dir(&proc_dir).step(|| "create /proc".into())?;
    // subset=pid: the box's own processes, without the host-wide files (/proc/sys, kcore, ...).
    sys::mount(
        Some(Path::new("proc")),
        &proc_dir,
        Some("proc"),
        NOSUID | NODEV | NOEXEC,
        Some("subset=pid"),
    )
    .step(|| "mount /proc".into())?;

    sys::chdir(root).step(|| "enter the box's root".into())?;
    sys::pivot_root_here().step(|| "pivot into the box's root".into())?;
    sys::umount_detach(Path::new(".")).step(|| "detach the host's root".into())?;
    sys::chdir(Path::new("/")).step(|| "enter /".into())?;
    sys::mount(
        None,
        Path::new("/"),
        None,
        libc::MS_REMOUNT | libc::MS_BIND | libc::MS_RDONLY | NOSUID | NODEV,
        None,
    )
    .step(|| "make the box's root read-only".into())?;
    Ok(())
}

/// `path` (absolute, on the host) under the new root.
fn inside(root: &Path, path: &Path) -> PathBuf {
    root.join(path.strip_prefix("/").unwrap_or(path))
}

fn tmpfs(target: &Path, options: &str, flags: libc::c_ulong) -> io::Result<()> {
    sys::mount(
        Some(Path::new("tmpfs")),
        target,
        Some("tmpfs"),
        flags,
        Some(options),
    )
}

fn make_dir(path: &Path) -> io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o755)
        .create(path)
}

fn make_file(path: &Path) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        make_dir(parent)?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o444)
        .open(path)
        .map(drop)
}

/// Binds `source` at `target` (created to match), then remounts it read-only, no set-uid, no
/// devices, keeping the flags the kernel will not let a user namespace clear.
fn bind_read_only(source: &Path, target: &Path, extra: libc::c_ulong) -> io::Result<()> {
    if fs::metadata(source)?.is_dir() {
        make_dir(target)?;
    } else {
        make_file(target)?;
    }
    // Not recursive: mounts below `source` stay out of the box.
    sys::mount(Some(source), target, None, libc::MS_BIND, None)?;
    let flags = locked_flags(target)?
        | libc::MS_REMOUNT
        | libc::MS_BIND
        | libc::MS_RDONLY
        | NOSUID
        | NODEV
        | extra;
    sys::mount(None, target, None, flags, None)
}

/// The per-mount flags of the mount at `path` that a remount must repeat.
fn locked_flags(path: &Path) -> io::Result<libc::c_ulong> {
    let stats = rustix::fs::statvfs(path)?;
    let pairs = [
        (libc::ST_NOEXEC, libc::MS_NOEXEC),
        (libc::ST_NOATIME, libc::MS_NOATIME),
        (libc::ST_NODIRATIME, libc::MS_NODIRATIME),
        (libc::ST_RELATIME, libc::MS_RELATIME),
    ];
    Ok(pairs
        .iter()
        .filter(|(st, _)| stats.f_flag.bits() & st != 0)
        .fold(0, |flags, (_, ms)| flags | ms))
}

/// Covers a host path that lies inside a read-only bind: an empty read-only tmpfs over a
/// directory, an empty file over a file.
fn mask(root: &Path, secret: &Path) -> io::Result<()> {
    let target = inside(root, secret);
    let Ok(metadata) = fs::symlink_metadata(&target) else {
        return Ok(()); // not visible in the box after all
    };
    if metadata.is_dir() {
        tmpfs(
            &target,
            "size=4k,nr_inodes=1,mode=0555",
            libc::MS_RDONLY | NOSUID | NODEV | NOEXEC,
        )
    } else {
        let empty = root.join(".kata-empty");
        make_file(&empty)?;
        bind_read_only(&empty, &target, NOEXEC)
    }
}

fn devices(root: &Path, spec: &BoxSpec) -> io::Result<()> {
    let dev = root.join("dev");
    make_dir(&dev)?;
    tmpfs(&dev, "size=64k,nr_inodes=64,mode=0755", NOSUID | NOEXEC)?;
    for name in DEVICES {
        let target = dev.join(name);
        make_file(&target)?;
        sys::mount(
            Some(&Path::new("/dev").join(name)),
            &target,
            None,
            libc::MS_BIND,
            None,
        )?;
    }
    for (name, target) in [
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
    ] {
        std::os::unix::fs::symlink(target, dev.join(name))?;
    }
    if spec.grants.shared_memory {
        let shm = dev.join("shm");
        make_dir(&shm)?;
        tmpfs(
            &shm,
            &format!(
                "size={},nr_inodes={},mode=1777",
                spec.limits.tmpfs_bytes, spec.limits.tmpfs_inodes
            ),
            NOSUID | NODEV | NOEXEC,
        )?;
    }
    Ok(())
}

/// A minimal /etc: who the box's user is, and nothing about the host (no resolv.conf, hosts).
fn etc(root: &Path, spec: &BoxSpec) -> io::Result<()> {
    let etc = root.join("etc");
    make_dir(&etc)?;
    let (uid, gid) = (spec.uid, spec.gid);
    fs::write(
        etc.join("passwd"),
        format!("kata:x:{uid}:{gid}:kata box:{WORK}:/nonexistent\n"),
    )?;
    fs::write(etc.join("group"), format!("kata:x:{gid}:\n"))?;
    fs::write(etc.join("hostname"), "kata-box\n")?;
    let cache = Path::new("/etc/ld.so.cache");
    if cache.is_file() {
        // Saves the loader a search of every library directory.
        bind_read_only(cache, &etc.join("ld.so.cache"), NOEXEC)?;
    }
    Ok(())
}
