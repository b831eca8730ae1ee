//! Preparing a runtime once per machine: the engine, the compiled module (cached on disk and
//! memory-mapped) and the split standard library (see `sandbox/stdlib_split.py`).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use wasmtime::{Config, Engine, Module, Store};
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

use super::limiter::GuestLimiter;
use super::pipe::CappedPipe;
use super::{GUEST_ENV, Guest, Shared};
use crate::runner::assets;
use crate::runtime::{CacheDir, Runtime, RuntimeError, install_atomically};

const STDLIB_SPLIT: &str = include_str!("../../../sandbox/stdlib_split.py");
/// The wasmtime release line the cache file names carry, for people reading the cache.
const WASMTIME_LINE: &str = "48";

/// One engine configuration for everything: the compiled module records it (changing any
/// of these flags means a new cache file, through the compatibility hash).
pub(super) fn engine() -> Result<Engine, RuntimeError> {
    let mut config = Config::new();
    config
        .consume_fuel(true)
        .epoch_interruption(true)
        .memory_init_cow(true)
        .parallel_compilation(true);
    Engine::new(&config).map_err(engine_error)
}

pub(super) fn engine_error(error: wasmtime::Error) -> RuntimeError {
    RuntimeError::Engine(format!("{error:#}"))
}

pub(super) fn compiled_path(engine: &Engine, runtime: &Runtime, cache: &CacheDir) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    cache.compiled_modules().join(format!(
        "python-{}-wasmtime-{WASMTIME_LINE}-{:016x}.cwasm",
        &runtime.sha256[..16],
        hasher.finish()
    ))
}

pub(super) fn load_or_compile(
    engine: &Engine,
    runtime: &Runtime,
    cache: &CacheDir,
    before_compiling: &mut impl FnMut(),
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
    before_compiling();
    let bytes = runtime.read_checked()?;
    let compiled = engine
        .precompile_module(&bytes)
        .map_err(|e| RuntimeError::InvalidModule {
            path: runtime.path.clone(),
            detail: format!("{e:#}"),
        })?;
    install_atomically(&path, &compiled)?;
    // SAFETY: as above; the file was just written by this process.
    unsafe { Module::deserialize_file(engine, &path) }.map_err(engine_error)
}

/// The directory holding `boot.zip` and `common.zip` for `runtime`: made once, by running
/// `sandbox/stdlib_split.py` in the runtime itself. `None` when the runtime's standard library
/// is not a zip.
pub(super) fn split_stdlib(
    shared: &Shared,
    runtime: &Runtime,
    cache: &CacheDir,
    before_splitting: &mut impl FnMut(),
) -> Result<Option<PathBuf>, RuntimeError> {
    // The split files depend on the script and on the harness compiled into them.
    let script_hash =
        crate::runtime::sha256_hex(format!("{STDLIB_SPLIT}\0{}", assets::HARNESS).as_bytes());
    let parent = cache.compiled_modules();
    let target = parent.join(format!(
        "stdlib-{}-{}",
        &runtime.sha256[..16],
        &script_hash[..8]
    ));
    let none_marker = target.with_extension("none");
    if target.join("boot.zip").is_file() {
        return Ok(Some(target));
    }
    if none_marker.is_file() {
        return Ok(None);
    }
    before_splitting();
    let io_error = |action, path: &Path| {
        let path = path.to_path_buf();
        move |source| RuntimeError::Io {
            action,
            path,
            source,
        }
    };
    std::fs::create_dir_all(&parent).map_err(io_error("create", &parent))?;
    let scratch = tempfile::Builder::new()
        .prefix(".split-")
        .tempdir_in(&parent)
        .map_err(io_error("create a temporary directory in", &parent))?;
    let harness = scratch.path().join("harness.py");
    std::fs::write(&harness, assets::HARNESS).map_err(io_error("write", &harness))?;
    let mut builder = WasiCtxBuilder::new();
    builder
        .args(&["python", "-S", "-s", "-B", "-c", STDLIB_SPLIT])
        .envs(GUEST_ENV)
        .stdout(CappedPipe::new(1 << 20))
        .stderr(CappedPipe::new(1 << 20))
        .preopened_dir(scratch.path(), "/out", FsPerms::ReadWrite)
        .map_err(engine_error)?;
    let failed = |detail: String| RuntimeError::InvalidModule {
        path: runtime.path.clone(),
        detail: format!("splitting its standard library failed: {detail}"),
    };
    let mut store = Store::new(
        &shared.engine,
        Guest {
            wasi: builder.build_p1(),
            limiter: GuestLimiter::new(1 << 30),
            deadline: Instant::now() + Duration::from_secs(300),
            fuel_budget: u64::MAX,
            wall_budget: Duration::from_secs(300),
            host: super::host_time::HostTime::default(),
            clock_origin: Instant::now(),
            stopped_by: None,
            // The split writes its zips here; no disk cap (its epoch deadline never comes).
            work: scratch.path().to_path_buf(),
            next_disk_check: Instant::now() + Duration::from_secs(300),
        },
    );
    store.limiter(|guest| &mut guest.limiter);
    store.set_fuel(u64::MAX).map_err(engine_error)?;
    store.set_epoch_deadline(u64::MAX);
    let result = shared
        .pre
        .instantiate(&mut store)
        .and_then(|instance| instance.get_typed_func::<(), ()>(&mut store, "_start"))
        .and_then(|start| start.call(&mut store, ()));
    match result {
        Ok(()) => {}
        Err(error) if error.downcast_ref::<I32Exit>().is_some_and(|e| e.0 == 0) => {}
        Err(error) if error.downcast_ref::<I32Exit>().is_some_and(|e| e.0 == 3) => {
            crate::runtime::install_atomically(&none_marker, b"")?;
            return Ok(None);
        }
        Err(error) => return Err(failed(format!("{error:#}"))),
    }
    for name in ["boot.zip", "common.zip"] {
        if !scratch.path().join(name).is_file() {
            return Err(failed(format!("it wrote no {name}")));
        }
    }
    let scratch = scratch.keep();
    if let Err(error) = std::fs::rename(&scratch, &target) {
        // Another kata process finished first: use its copy.
        crate::runner::cleanup::remove_tree(&scratch);
        if !target.join("boot.zip").is_file() {
            return Err(io_error("create", &target)(error));
        }
    }
    Ok(Some(target))
}
