//! The fork server's and the harness's bytecode.
//!
//! Compiling `zygote.py` and `harness.py` from source cost every warm box about 40 ms of CPU,
//! more than two bare interpreter starts (and every cold box, one per case, about 27 ms for the
//! harness). The grader's own interpreter compiles them instead, once (outside any box: no
//! candidate code is involved), into the user's cache, keyed by both sources and the
//! interpreter binary; each box then gets the `.pyc` files beside the sources. Without a usable
//! cache the boxes compile the sources as before.

use std::fs;
use std::io;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::runner::case_dir::{CaseDir, write_read_only};
use crate::runner::python::{Interpreter, metadata_fingerprint};
use crate::runtime::{CacheDir, sha256_hex};
use crate::sandbox_files;

/// Compiles each `SOURCE PYC SHOWN-AS` triple of its arguments; `py_compile` writes each file
/// atomically, so concurrent graders never see half of one.
const COMPILE: &str = "import py_compile, sys\n\
args = sys.argv[1:]\n\
for i in range(0, len(args), 3):\n    \
py_compile.compile(args[i], cfile=args[i + 1], dfile=args[i + 2], doraise=True)\n";

/// The two compiled modules, as `.pyc` files (header and marshalled code).
#[derive(Debug)]
pub(super) struct Bytecode {
    pub zygote: Vec<u8>,
    pub harness: Vec<u8>,
}

impl Bytecode {
    /// From the cache, compiling into it first if needed; `None` when that cannot be done.
    /// `box_path` is where the box shows the sources (tracebacks name those files).
    pub(super) fn cached(interpreter: &Interpreter, box_path: &Path) -> Option<Bytecode> {
        let cache = CacheDir::resolve().ok()?;
        let dir = cache.root().join("bytecode").join(key(interpreter)?);
        if let Some(bytecode) = read(&dir) {
            return Some(bytecode);
        }
        compile(interpreter, &dir, box_path).ok()?;
        read(&dir)
    }
}

/// Makes a case directory a warm box's: the fork server beside the harness (and both
/// compiled, when there is bytecode), and no `request.json` (each case's request travels
/// with the case; the first case's must not stay where every later case could read it).
pub(super) fn add_zygote(dir: &CaseDir, bytecode: Option<&Bytecode>) -> io::Result<()> {
    fs::remove_file(dir.code_path().join("request.json"))?;
    write_read_only(
        &dir.code_path().join("zygote.py"),
        sandbox_files::ZYGOTE.as_bytes(),
    )?;
    if let Some(bytecode) = bytecode {
        write_read_only(&dir.code_path().join("zygote.pyc"), &bytecode.zygote)?;
    }
    add_harness(dir, bytecode).map(drop)
}

/// The harness's bytecode beside its source, when there is bytecode (the interpreter then
/// runs `harness.pyc`); says whether it wrote it.
pub(super) fn add_harness(dir: &CaseDir, bytecode: Option<&Bytecode>) -> io::Result<bool> {
    let Some(bytecode) = bytecode else {
        return Ok(false);
    };
    write_read_only(&dir.code_path().join("harness.pyc"), &bytecode.harness)?;
    Ok(true)
}

/// Whether [`add_harness`] gave this directory the harness's bytecode.
pub(super) fn has_harness(dir: &CaseDir) -> bool {
    dir.code_path().join("harness.pyc").is_file()
}

/// Identifies the sources and the interpreter (its path, version and the binary itself as far
/// as its metadata tells: a reinstalled Python gets new bytecode).
fn key(interpreter: &Interpreter) -> Option<String> {
    let binary = fs::metadata(&interpreter.path).ok()?;
    let mut identity = Vec::new();
    for part in [sandbox_files::ZYGOTE, sandbox_files::HARNESS] {
        identity.extend_from_slice(&(part.len() as u64).to_le_bytes());
        identity.extend_from_slice(part.as_bytes());
    }
    identity.extend_from_slice(interpreter.path.as_os_str().as_encoded_bytes());
    identity.extend_from_slice(
        format!(
            "\0{:?} {}",
            interpreter.version,
            metadata_fingerprint(&binary)
        )
        .as_bytes(),
    );
    Some(sha256_hex(&identity)[..32].to_string())
}

/// Both files, if both are there and carry the same (this interpreter's) magic number.
fn read(dir: &Path) -> Option<Bytecode> {
    let zygote = fs::read(dir.join("zygote.pyc")).ok()?;
    let harness = fs::read(dir.join("harness.pyc")).ok()?;
    let plausible = zygote.len() > 16 && harness.len() > 16 && zygote[..4] == harness[..4];
    plausible.then_some(Bytecode { zygote, harness })
}

fn compile(interpreter: &Interpreter, dir: &Path, box_path: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let sources = tempfile::tempdir_in(dir)?;
    let mut args = Vec::new();
    for (name, text) in [
        ("zygote", sandbox_files::ZYGOTE),
        ("harness", sandbox_files::HARNESS),
    ] {
        let source = sources.path().join(format!("{name}.py"));
        fs::write(&source, text)?;
        args.push(source.into_os_string());
        args.push(dir.join(format!("{name}.pyc")).into_os_string());
        args.push(box_path.join(format!("{name}.py")).into_os_string());
    }
    let status = Command::new(&interpreter.path)
        .args(["-I", "-S", "-B", "-c", COMPILE])
        .args(args)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    if !status.success() {
        return Err(std::io::Error::other(format!(
            "compiling the fork server: {status}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::python;

    #[test]
    fn compiles_both_into_the_cache_naming_the_box_files() {
        let cache = tempfile::tempdir().unwrap();
        let interpreter = python::resolve(Path::new("python3")).unwrap();
        let dir = cache
            .path()
            .join("bytecode")
            .join(key(&interpreter).unwrap());
        compile(&interpreter, &dir, Path::new("/box")).unwrap();
        let bytecode = read(&dir).expect("both files are written");
        // The interpreter runs the fork server's file as a program, and its code objects
        // name the box's sources (tracebacks).
        let check = Command::new(&interpreter.path)
            .args([
                "-I",
                "-S",
                "-c",
                "import marshal, sys, importlib.util\n\
                 data = open(sys.argv[1], 'rb').read()\n\
                 assert data[:4] == importlib.util.MAGIC_NUMBER\n\
                 print(marshal.loads(data[16:]).co_filename)",
            ])
            .arg(dir.join("harness.pyc"))
            .output()
            .unwrap();
        assert!(check.status.success(), "{check:?}");
        assert_eq!(
            String::from_utf8_lossy(&check.stdout).trim(),
            "/box/harness.py"
        );
        assert_eq!(bytecode.zygote[..4], bytecode.harness[..4]);
        // Nothing is left of the sources it compiled.
        let left: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }

    #[test]
    fn another_interpreter_or_source_is_another_key() {
        let interpreter = python::resolve(Path::new("python3")).unwrap();
        let mut other = interpreter.clone();
        other.version.1 += 1;
        assert_ne!(key(&interpreter), key(&other));
        assert_eq!(key(&interpreter), key(&interpreter.clone()));
    }
}
