//! What the interpreter is started with, whichever way a case runs (directly, in a fresh box
//! or forked in a warm one): its arguments, its environment and the numbers its rlimits use.

use std::ffi::{OsStr, OsString};
use std::path::Path;

use super::isolation::spec::FRAME_FD;
use crate::exercise::Limits;
use crate::runner::python::Interpreter;

/// Largest file a case may write.
pub(super) const FILE_SIZE_LIMIT: u64 = 64 << 20;
pub(super) const OPEN_FILES_LIMIT: u64 = 256;

/// The interpreter's arguments for one case: the harness (its bytecode, `harness.pyc`, with
/// `compiled`), its request, the frame fd. `code` is where the program sees the `box/` folder.
pub(super) fn python_args(interpreter: &Interpreter, code: &Path, compiled: bool) -> Vec<OsString> {
    // -S: no site (no .pth scanning, ~27 ms with pyenv); -s: no user site; -B: no .pyc.
    let mut args: Vec<OsString> = ["-S", "-s", "-B"].map(Into::into).into();
    if interpreter.has_safe_path_flag() {
        args.push("-P".into());
    }
    let harness = if compiled {
        "harness.pyc"
    } else {
        "harness.py"
    };
    args.push(code.join(harness).into());
    args.push(code.join("request.json").into());
    args.push(FRAME_FD.to_string().into());
    args
}

/// The arguments of a warm box's fork server (see `sandbox/zygote.py`); `compiled`: run its
/// bytecode (`zygote.pyc`, see [`super::bytecode`]).
pub(super) fn zygote_args(
    interpreter: &Interpreter,
    code: &Path,
    socket: i32,
    unshare_nr: i64,
    display_name: &str,
    compiled: bool,
) -> Vec<OsString> {
    let mut args = python_args(interpreter, code, false);
    // The fork server takes the place of the harness, its request and the frame fd.
    args.truncate(args.len() - 3);
    let program = if compiled { "zygote.pyc" } else { "zygote.py" };
    args.push(code.join(program).into());
    args.push(code.join("harness.py").into());
    args.push(socket.to_string().into());
    args.push(unshare_nr.to_string().into());
    args.push(display_name.into());
    args
}

/// The program's environment: nothing of the grader's.
pub(super) fn python_env(home: &Path, tmp: &Path) -> Vec<(OsString, OsString)> {
    let pairs: [(&str, &OsStr); 11] = [
        ("PYTHONHASHSEED", "0".as_ref()),
        ("PYTHONDONTWRITEBYTECODE", "1".as_ref()),
        ("PYTHONSAFEPATH", "1".as_ref()),
        ("PYTHONNOUSERSITE", "1".as_ref()),
        ("PYTHONUTF8", "1".as_ref()),
        ("PYTHONIOENCODING", "utf-8".as_ref()),
        // One malloc arena: each extra arena reserves 64 MiB of address space, which would
        // eat the RLIMIT_AS budget of a threaded submission.
        ("MALLOC_ARENA_MAX", "1".as_ref()),
        ("LC_ALL", "C.UTF-8".as_ref()),
        ("HOME", home.as_os_str()),
        ("TMPDIR", tmp.as_os_str()),
        ("PATH", "/usr/local/bin:/usr/bin:/bin".as_ref()),
    ];
    pairs
        .into_iter()
        .map(|(key, value)| (key.into(), value.to_os_string()))
        .collect()
}

/// RLIMIT_CPU counts whole seconds; the exact limit is checked against rusage after.
pub(super) fn cpu_seconds(limits: &Limits) -> u64 {
    limits.cpu.as_secs() + u64::from(limits.cpu.subsec_nanos() > 0)
}
