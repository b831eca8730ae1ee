//! The WebAssembly backend: CPython compiled for WASI, run by wasmtime, one fresh instance per
//! case. This is the only module that uses wasmtime.
//!
//! What a submission gets: the read-only `/box` directory (harness, submission, request), a
//! fresh read-write `/work` directory only when the case has fixtures, an empty environment
//! apart from `PYTHONHASHSEED=0` and a few encoding settings, stdin only for `stdin` cases, no
//! sockets, no processes, no threads, and a deterministic random source. The harness's result
//! frame travels on the guest's real stdout (the harness swaps `sys.stdout` for a buffer before
//! the candidate runs); stdout and stderr are bounded in-memory pipes.
//!
//! Limits: linear memory is capped by a store limiter; CPU is a fuel budget (deterministic:
//! the same submission on the same case uses the same fuel everywhere); wall-clock time is an
//! epoch deadline checked against the clock every millisecond, and sleeps are cut short at the
//! deadline. A trap or a limit becomes a [`RunOutput`]; the verdict is decided in
//! `grade::judge`, as for the subprocess backend.
//!
//! The compiled module is cached on disk (compiling python.wasm takes seconds), keyed by the
//! module's sha256 and by wasmtime's own compatibility hash of its version and settings, and
//! loaded with a memory map, so a one-shot `kata check` starts its first case within
//! milliseconds. One [`Engine`] and one [`InstancePre`] serve every case of a process.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use wasmtime::{
    Caller, Config, Engine, Extern, InstancePre, Linker, Module, ResourceLimiter, Store, Trap,
    UpdateDeadline,
};
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::p2::pipe::MemoryInputPipe;
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamError};
use wasmtime_wasi::{Deterministic, FsPerms, HostMonotonicClock, I32Exit, WasiCtxBuilder};

use super::assets;
use super::box_dir::BoxDir;
use super::wasm_budget::WasmBudget;
use super::{
    ExitStatus, GuestTrap, LimitHit, RunOutput, RunRequest, Runner, RunnerError, Stream, Usage,
    protocol,
};
use crate::exercise::{Capability, CaseInput};
use crate::runtime::{CacheDir, Runtime, RuntimeError, install_atomically};

/// Where the guest sees the box directory and the working directory.
const GUEST_BOX: &str = "/box";
const GUEST_WORK: &str = "/work";
const GUEST_STDLIB: &str = "/kata-stdlib";
/// The environment of every guest: reproducible hashing, UTF-8 everywhere, no .pyc writing.
const GUEST_ENV: &[(&str, &str)] = &[
    ("PYTHONHASHSEED", "0"),
    ("PYTHONDONTWRITEBYTECODE", "1"),
    ("PYTHONUTF8", "1"),
    ("PYTHONIOENCODING", "utf-8"),
];
const STDLIB_SPLIT: &str = include_str!("../../sandbox/stdlib_split.py");
/// The guest's stdout carries the frame.
const FRAME_FD: &str = "1";
/// Room for the frame's JSON around the captured output it carries (as for subprocesses).
const FRAME_OVERHEAD: u64 = 1 << 20;
/// How often the epoch advances, and so how late a deadline can be noticed.
const TICK: Duration = Duration::from_millis(1);
/// Longest single sleep of a guest waiting in `poll_oneoff` before the deadline is checked.
const SLEEP_SLICE: Duration = Duration::from_millis(5);
/// Largest random request (`os.urandom(n)`) served; bigger ones trap.
const MAX_RANDOM_BYTES: u64 = 1 << 20;
/// The wasmtime release line the cache file names carry, for people reading the cache.
const WASMTIME_LINE: &str = "48";

/// What the wasm sandbox cannot give a submission.
pub fn supports(capability: Capability) -> bool {
    match capability {
        Capability::Threads
        | Capability::Processes
        | Capability::Subprocess
        | Capability::Sockets => false,
    }
}

/// Runs cases in CPython compiled for WASI.
#[derive(Clone)]
pub struct WasmRunner {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for WasmRunner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmRunner").finish_non_exhaustive()
    }
}

struct Shared {
    engine: Engine,
    pre: InstancePre<Guest>,
    ticker: Ticker,
    /// The split standard library (see `sandbox/stdlib_split.py`), when the runtime has one.
    stdlib: Option<PathBuf>,
}

impl WasmRunner {
    /// Prepares the sandbox for `runtime`: loads its compiled module from `cache`, compiling
    /// it first and splitting its standard library (seconds, once per machine) after calling
    /// `before_preparing`.
    pub fn new(
        runtime: &Runtime,
        cache: &CacheDir,
        before_preparing: impl FnOnce(),
    ) -> Result<WasmRunner, RuntimeError> {
        let mut announce = Some(before_preparing);
        let mut announce = move || {
            if let Some(announce) = announce.take() {
                announce();
            }
        };
        let engine = engine()?;
        let module = load_or_compile(&engine, runtime, cache, &mut announce)?;
        let mut linker: Linker<Guest> = Linker::new(&engine);
        p1::add_to_linker_sync(&mut linker, |guest: &mut Guest| &mut guest.wasi)
            .map_err(engine_error)?;
        // Sleeping is the one thing a guest can do in a host call for as long as it likes:
        // this `poll_oneoff` wakes up at the case's deadline.
        linker.allow_shadowing(true);
        linker
            .func_wrap("wasi_snapshot_preview1", "poll_oneoff", poll_oneoff)
            .map_err(engine_error)?;
        let pre = linker
            .instantiate_pre(&module)
            .map_err(|e| RuntimeError::InvalidModule {
                path: runtime.path.clone(),
                detail: format!("it does not link as a WASI command: {e}"),
            })?;
        let ticker = Ticker::start(engine.clone());
        let mut shared = Shared {
            engine,
            pre,
            ticker,
            stdlib: None,
        };
        shared.stdlib = split_stdlib(&shared, runtime, cache, &mut announce)?;
        Ok(WasmRunner {
            shared: Arc::new(shared),
        })
    }

    /// The file the compiled module of `runtime` is cached in.
    pub fn compiled_module_path(
        runtime: &Runtime,
        cache: &CacheDir,
    ) -> Result<PathBuf, RuntimeError> {
        Ok(compiled_path(&engine()?, runtime, cache))
    }
}

impl Runner for WasmRunner {
    fn name(&self) -> &'static str {
        "wasm"
    }

    async fn run(&self, request: RunRequest) -> Result<RunOutput, RunnerError> {
        let box_dir = BoxDir::prepare(&request, Some(Path::new(GUEST_BOX)))?;
        let shared = Arc::clone(&self.shared);
        // The guest runs synchronously; a panic inside wasmtime costs this case, not the run.
        tokio::task::spawn_blocking(move || run_case(&shared, &request, &box_dir))
            .await
            .map_err(|e| RunnerError::Wasm(format!("the sandbox thread failed: {e}")))?
    }
}

/// One engine configuration for everything: the compiled module records it (changing any
/// of these flags means a new cache file, through the compatibility hash).
fn engine() -> Result<Engine, RuntimeError> {
    let mut config = Config::new();
    config
        .consume_fuel(true)
        .epoch_interruption(true)
        .memory_init_cow(true)
        .parallel_compilation(true);
    Engine::new(&config).map_err(engine_error)
}

fn engine_error(error: wasmtime::Error) -> RuntimeError {
    RuntimeError::Engine(format!("{error:#}"))
}

fn compiled_path(engine: &Engine, runtime: &Runtime, cache: &CacheDir) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    cache.compiled_modules().join(format!(
        "python-{}-wasmtime-{WASMTIME_LINE}-{:016x}.cwasm",
        &runtime.sha256[..16],
        hasher.finish()
    ))
}

fn load_or_compile(
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
fn split_stdlib(
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
            clock_origin: Instant::now(),
            stopped_by: None,
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
        super::cleanup::remove_tree(&scratch);
        if !target.join("boot.zip").is_file() {
            return Err(io_error("create", &target)(error));
        }
    }
    Ok(Some(target))
}

/// Everything one guest instance owns.
struct Guest {
    wasi: WasiP1Ctx,
    limiter: GuestLimiter,
    /// When the case runs out of wall-clock time.
    deadline: Instant,
    /// The origin of the guest's monotonic clock (for absolute sleeps).
    clock_origin: Instant,
    /// Set when the host stopped the guest for a limit.
    stopped_by: Option<LimitHit>,
}

fn run_case(
    shared: &Shared,
    request: &RunRequest,
    box_dir: &BoxDir,
) -> Result<RunOutput, RunnerError> {
    let budget = WasmBudget::for_limits(&request.limits);
    let frame = CappedPipe::new(2 * budget.output_bytes + FRAME_OVERHEAD);
    let stderr = CappedPipe::new(budget.output_bytes);
    let clock_origin = Instant::now();
    let wasi = guest_context(
        request,
        box_dir,
        shared.stdlib.as_deref(),
        &frame,
        &stderr,
        clock_origin,
    )?;
    let _active = shared.ticker.activate();

    let started = Instant::now();
    let mut store = Store::new(
        &shared.engine,
        Guest {
            wasi,
            limiter: GuestLimiter::new(budget.memory_bytes),
            deadline: started + budget.wall,
            clock_origin,
            stopped_by: None,
        },
    );
    store.limiter(|guest| &mut guest.limiter);
    store
        .set_fuel(budget.fuel)
        .map_err(|e| RunnerError::Wasm(e.to_string()))?;
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(|mut context| {
        let guest = context.data_mut();
        if Instant::now() >= guest.deadline {
            guest.stopped_by = Some(LimitHit::Wall);
            return Ok(UpdateDeadline::Interrupt);
        }
        Ok(UpdateDeadline::Continue(1))
    });
    let instance = shared
        .pre
        .instantiate(&mut store)
        .map_err(|e| RunnerError::Wasm(format!("cannot start python.wasm: {e:#}")))?;
    let start = instance
        .get_typed_func::<(), ()>(&mut store, "_start")
        .map_err(|e| RunnerError::Wasm(format!("python.wasm has no `_start`: {e:#}")))?;
    let result = start.call(&mut store, ());
    let wall = started.elapsed();

    let fuel = budget
        .fuel
        .saturating_sub(store.get_fuel().unwrap_or(budget.fuel));
    let guest = store.into_data();
    let mut raw_stderr = String::from_utf8_lossy(&stderr.contents()).into_owned();
    let (exit, trap_limit) = match result {
        Ok(()) => (ExitStatus::Code(0), None),
        Err(error) => classify(&error, &mut raw_stderr),
    };
    let limit = [
        frame
            .overflowed()
            .then_some(LimitHit::Output(Stream::Frame)),
        stderr
            .overflowed()
            .then_some(LimitHit::Output(Stream::Stderr)),
        guest.stopped_by,
        trap_limit,
    ]
    .into_iter()
    .flatten()
    .next();
    let frame_bytes = frame.contents();
    let frame = protocol::parse(&frame_bytes);
    // Memory the limiter refused, and no report from the harness: the interpreter could not
    // even say MemoryError.
    let limit = limit.or((frame.is_err() && guest.limiter.refused).then_some(LimitHit::Memory));
    Ok(RunOutput {
        frame,
        exit,
        limit,
        raw_stderr,
        usage: Usage {
            wall,
            cpu: None,
            peak_memory_kb: Some(guest.limiter.peak_bytes as u64 / 1024),
            fuel: Some(fuel),
        },
    })
}

/// How a guest that did not return normally ended: its exit status, and the limit that
/// stopped it when the trap says so. Traps no limit explains are described on `stderr`.
fn classify(error: &wasmtime::Error, stderr: &mut String) -> (ExitStatus, Option<LimitHit>) {
    if let Some(exit) = error.downcast_ref::<I32Exit>() {
        return (ExitStatus::Code(exit.0), None);
    }
    let note = |stderr: &mut String, what: &str| {
        if !stderr.is_empty() && !stderr.ends_with('\n') {
            stderr.push('\n');
        }
        stderr.push_str(&format!(
            "[kata: the wasm sandbox stopped the interpreter: {what}]\n"
        ));
    };
    match error.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => (ExitStatus::Trap(GuestTrap::Crash), Some(LimitHit::Fuel)),
        // The epoch callback or `poll_oneoff` recorded which limit it was.
        Some(Trap::Interrupt) => (ExitStatus::Trap(GuestTrap::Crash), None),
        // python.wasm keeps its C stack at the bottom of linear memory, so a C stack overflow
        // runs below address 0: an out-of-bounds access, not wasmtime's stack-overflow trap.
        Some(Trap::StackOverflow | Trap::MemoryOutOfBounds) => {
            (ExitStatus::Trap(GuestTrap::StackOverflow), None)
        }
        Some(trap) => {
            note(stderr, &trap.to_string());
            (ExitStatus::Trap(GuestTrap::Crash), None)
        }
        None => {
            note(stderr, &format!("{error:#}"));
            (ExitStatus::Trap(GuestTrap::Crash), None)
        }
    }
}

/// The WASI context of one case: only what the issue of this sandbox allows.
fn guest_context(
    request: &RunRequest,
    box_dir: &BoxDir,
    stdlib: Option<&Path>,
    frame: &CappedPipe,
    stderr: &CappedPipe,
    clock_origin: Instant,
) -> Result<WasiP1Ctx, RunnerError> {
    // The harness, precompiled in the split standard library, or else as a script.
    let (harness_flag, harness) = match stdlib {
        Some(_) => ("-c", "import kata_harness; kata_harness.run()".to_string()),
        None => ("--", format!("{GUEST_BOX}/harness.py")),
    };
    let request_path = format!("{GUEST_BOX}/request.json");
    let stdin = match &request.input {
        CaseInput::Stdin { text } => text.as_bytes().to_vec(),
        _ => Vec::new(),
    };
    let mut builder = WasiCtxBuilder::new();
    builder
        // -S: no site (5 ms in wasm); -s: no user site; -B: no .pyc; -P: no script dir on path.
        .args(&[
            "python",
            "-S",
            "-s",
            "-B",
            "-P",
            harness_flag,
            &harness,
            &request_path,
            FRAME_FD,
        ])
        .envs(GUEST_ENV)
        .stdin(MemoryInputPipe::new(stdin))
        .stdout(frame.clone())
        .stderr(stderr.clone())
        .monotonic_clock(RunClock {
            origin: clock_origin,
        })
        // Reproducible runs: `random` without a seed, `os.urandom` and hashing all repeat.
        .secure_random(Deterministic::new(random_bytes().to_vec()))
        .insecure_random(Deterministic::new(random_bytes().to_vec()))
        .insecure_random_seed(0)
        .max_random_size(MAX_RANDOM_BYTES)
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false);
    builder
        .preopened_dir(box_dir.box_path(), GUEST_BOX, FsPerms::ReadOnly)
        .map_err(|e| RunnerError::Wasm(format!("cannot open the box directory: {e:#}")))?;
    if let Some(stdlib) = stdlib {
        builder
            .preopened_dir(stdlib, GUEST_STDLIB, FsPerms::ReadOnly)
            .map_err(|e| RunnerError::Wasm(format!("cannot open the standard library: {e:#}")))?
            .env(
                "PYTHONPATH",
                format!("{GUEST_STDLIB}/boot.zip:{GUEST_STDLIB}/common.zip"),
            );
    }
    if !request.fixtures.is_empty() {
        builder
            .preopened_dir(box_dir.work_path(), GUEST_WORK, FsPerms::ReadWrite)
            .map_err(|e| RunnerError::Wasm(format!("cannot open the work directory: {e:#}")))?;
    }
    Ok(builder.build_p1())
}

/// A fixed stream of pseudo-random bytes (splitmix64 from a fixed seed) that the guest's
/// random sources cycle through.
fn random_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let mut state: u64 = 0x6b61_7461_2d77_6173; // "kata-was"
        (0..1024)
            .flat_map(|_| {
                state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                (z ^ (z >> 31)).to_le_bytes()
            })
            .collect()
    })
}

/// The guest's monotonic clock: nanoseconds since the case's context was made.
struct RunClock {
    origin: Instant,
}

impl HostMonotonicClock for RunClock {
    fn resolution(&self) -> u64 {
        1
    }

    fn now(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }
}

// ------------------------------------------------------------------ memory

/// Caps linear memory and remembers what was asked for.
struct GuestLimiter {
    max_bytes: usize,
    peak_bytes: usize,
    /// A growth was refused: the guest saw an allocation fail.
    refused: bool,
}

impl GuestLimiter {
    fn new(max_bytes: u64) -> Self {
        GuestLimiter {
            max_bytes: usize::try_from(max_bytes).unwrap_or(usize::MAX),
            peak_bytes: 0,
            refused: false,
        }
    }
}

impl ResourceLimiter for GuestLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.max_bytes {
            self.refused = true;
            return Ok(false);
        }
        self.peak_bytes = self.peak_bytes.max(desired);
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        // CPython's function table is fixed at link time; growth would be odd but harmless.
        Ok(desired <= 1 << 20)
    }

    fn instances(&self) -> usize {
        1
    }

    fn tables(&self) -> usize {
        4
    }

    fn memories(&self) -> usize {
        1
    }
}

// ------------------------------------------------------------------ output

/// A bounded in-memory pipe for the guest's stdout or stderr. A write past the cap keeps what
/// fits, marks the pipe as overflowed and traps the guest at once (a guest that caught the
/// error and kept printing would otherwise burn its whole time limit).
#[derive(Clone)]
struct CappedPipe {
    state: Arc<PipeState>,
}

struct PipeState {
    cap: usize,
    bytes: Mutex<Vec<u8>>,
    overflowed: AtomicBool,
}

/// The most a guest is told it may write at once.
const WRITE_PERMIT: usize = 64 << 10;

impl CappedPipe {
    fn new(cap: u64) -> Self {
        CappedPipe {
            state: Arc::new(PipeState {
                cap: usize::try_from(cap).unwrap_or(usize::MAX),
                bytes: Mutex::new(Vec::new()),
                overflowed: AtomicBool::new(false),
            }),
        }
    }

    fn overflowed(&self) -> bool {
        self.state.overflowed.load(Ordering::Relaxed)
    }

    fn contents(&self) -> Vec<u8> {
        self.state
            .bytes
            .lock()
            .map(|b| b.clone())
            .unwrap_or_default()
    }

    /// Appends what fits; false when something did not.
    fn append(&self, data: &[u8]) -> bool {
        let Ok(mut bytes) = self.state.bytes.lock() else {
            return false;
        };
        let room = self.state.cap.saturating_sub(bytes.len());
        if data.len() > room {
            bytes.extend_from_slice(&data[..room]);
            self.state.overflowed.store(true, Ordering::Relaxed);
            return false;
        }
        bytes.extend_from_slice(data);
        true
    }
}

impl OutputStream for CappedPipe {
    fn write(&mut self, bytes: Bytes) -> Result<(), StreamError> {
        if self.append(&bytes) {
            Ok(())
        } else {
            Err(StreamError::trap("output limit exceeded"))
        }
    }

    fn flush(&mut self) -> Result<(), StreamError> {
        Ok(())
    }

    fn check_write(&mut self) -> Result<usize, StreamError> {
        if self.overflowed() {
            Err(StreamError::Closed)
        } else {
            Ok(WRITE_PERMIT)
        }
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for CappedPipe {
    async fn ready(&mut self) {}
}

impl tokio::io::AsyncWrite for CappedPipe {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(if self.append(buf) {
            Ok(buf.len())
        } else {
            Err(std::io::Error::other("output limit exceeded"))
        })
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

impl IsTerminal for CappedPipe {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for CappedPipe {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }

    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

// ------------------------------------------------------------------ time

/// Advances the engine's epoch every [`TICK`] while some case runs, so each store's
/// deadline callback can compare the clock with its deadline. Idle, it sleeps.
struct Ticker {
    state: Arc<TickerState>,
    thread: Option<thread::Thread>,
}

struct TickerState {
    active: AtomicUsize,
    stop: AtomicBool,
}

impl Ticker {
    fn start(engine: Engine) -> Ticker {
        let state = Arc::new(TickerState {
            active: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        });
        let shared = Arc::clone(&state);
        let thread = thread::Builder::new()
            .name("kata-wasm-epoch".into())
            .spawn(move || {
                while !shared.stop.load(Ordering::Relaxed) {
                    if shared.active.load(Ordering::Acquire) == 0 {
                        thread::park_timeout(Duration::from_millis(250));
                        continue;
                    }
                    thread::sleep(TICK);
                    engine.increment_epoch();
                }
            })
            .ok()
            .map(|handle| handle.thread().clone());
        Ticker { state, thread }
    }

    /// Keeps the ticker running until the returned guard is dropped.
    fn activate(&self) -> ActiveRun<'_> {
        self.state.active.fetch_add(1, Ordering::AcqRel);
        if let Some(thread) = &self.thread {
            thread.unpark();
        }
        ActiveRun { ticker: self }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = &self.thread {
            thread.unpark();
        }
    }
}

struct ActiveRun<'a> {
    ticker: &'a Ticker,
}

impl Drop for ActiveRun<'_> {
    fn drop(&mut self) {
        self.ticker.state.active.fetch_sub(1, Ordering::AcqRel);
    }
}

// WASI preview 1 layouts used by `poll_oneoff`.
const SUBSCRIPTION_SIZE: usize = 48;
const EVENT_SIZE: usize = 32;
const EVENT_CLOCK: u8 = 0;
const CLOCK_REALTIME: u32 = 0;
const CLOCK_MONOTONIC: u32 = 1;
const SUBSCRIPTION_CLOCK_ABSTIME: u16 = 1;
const ERRNO_SUCCESS: i32 = 0;
const ERRNO_FAULT: i32 = 21;
const ERRNO_INVAL: i32 = 28;
/// More subscriptions than any real program waits on at once.
const MAX_SUBSCRIPTIONS: usize = 1024;

/// WASI's `poll_oneoff`, for a guest whose only waiting is sleeping: stdin and stdout here are
/// in-memory pipes that are always ready, so descriptor subscriptions fire at once, and clock
/// subscriptions sleep in slices, stopping the guest at its wall-clock deadline.
fn poll_oneoff(
    mut caller: Caller<'_, Guest>,
    subscriptions: u32,
    events: u32,
    count: u32,
    events_written: u32,
) -> wasmtime::Result<i32> {
    let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
        return Ok(ERRNO_FAULT);
    };
    let count = count as usize;
    if count == 0 || count > MAX_SUBSCRIPTIONS {
        return Ok(ERRNO_INVAL);
    }
    let mut raw = vec![0u8; count * SUBSCRIPTION_SIZE];
    if memory
        .read(&caller, subscriptions as usize, &mut raw)
        .is_err()
    {
        return Ok(ERRNO_FAULT);
    }
    let guest = caller.data();
    let now = Instant::now();
    let mut ready = Vec::new();
    let mut wake: Option<Instant> = None;
    let mut clocks = Vec::new();
    for subscription in raw.chunks_exact(SUBSCRIPTION_SIZE) {
        let userdata = u64::from_le_bytes(subscription[0..8].try_into()?);
        let tag = subscription[8];
        if tag == EVENT_CLOCK {
            let id = u32::from_le_bytes(subscription[16..20].try_into()?);
            let timeout = u64::from_le_bytes(subscription[24..32].try_into()?);
            let flags = u16::from_le_bytes(subscription[40..42].try_into()?);
            let at = clock_deadline(id, timeout, flags, now, guest.clock_origin);
            wake = Some(wake.map_or(at, |w| w.min(at)));
            clocks.push((userdata, at));
        } else {
            // fd_read / fd_write on an in-memory pipe: ready now.
            ready.push((userdata, tag));
        }
    }
    if ready.is_empty() {
        let wake = wake.unwrap_or(now);
        loop {
            let now = Instant::now();
            if now >= wake {
                break;
            }
            let deadline = caller.data().deadline;
            if now >= deadline {
                caller.data_mut().stopped_by = Some(LimitHit::Wall);
                return Err(Trap::Interrupt.into());
            }
            thread::sleep((wake - now).min(deadline - now).min(SLEEP_SLICE));
        }
        let now = Instant::now();
        ready = clocks
            .into_iter()
            .filter(|(_, at)| *at <= now)
            .map(|(userdata, _)| (userdata, EVENT_CLOCK))
            .collect();
    }
    let mut out = Vec::with_capacity(ready.len() * EVENT_SIZE);
    for (userdata, kind) in &ready {
        let mut event = [0u8; EVENT_SIZE];
        event[0..8].copy_from_slice(&userdata.to_le_bytes());
        event[10] = *kind;
        out.extend_from_slice(&event);
    }
    let written = u32::try_from(ready.len())?.to_le_bytes();
    if memory.write(&mut caller, events as usize, &out).is_err()
        || memory
            .write(&mut caller, events_written as usize, &written)
            .is_err()
    {
        return Ok(ERRNO_FAULT);
    }
    Ok(ERRNO_SUCCESS)
}

/// When a clock subscription fires, on the host's clock.
fn clock_deadline(id: u32, timeout: u64, flags: u16, now: Instant, origin: Instant) -> Instant {
    let nanos = Duration::from_nanos;
    if flags & SUBSCRIPTION_CLOCK_ABSTIME == 0 {
        return now + nanos(timeout);
    }
    match id {
        CLOCK_MONOTONIC => origin + nanos(timeout),
        CLOCK_REALTIME => {
            let wall_now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default();
            now + nanos(timeout).saturating_sub(wall_now)
        }
        _ => now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capped_pipe_keeps_what_fits_and_reports_the_overflow() {
        let pipe = CappedPipe::new(5);
        assert!(pipe.append(b"abc"));
        assert!(pipe.append(b"de"));
        assert!(!pipe.overflowed());
        assert!(!pipe.append(b"f"));
        assert!(pipe.overflowed());
        assert_eq!(pipe.contents(), b"abcde");
    }

    #[test]
    fn the_random_stream_is_fixed_and_not_trivially_repetitive() {
        let bytes = random_bytes();
        assert_eq!(bytes, random_bytes());
        assert_eq!(bytes.len(), 8192);
        let distinct: std::collections::HashSet<_> = bytes.chunks(8).collect();
        assert_eq!(distinct.len(), 1024);
    }

    #[test]
    fn absolute_and_relative_sleeps_end_on_the_host_clock() {
        let origin = Instant::now();
        let now = origin + Duration::from_millis(10);
        assert_eq!(
            clock_deadline(CLOCK_MONOTONIC, 5_000_000, 0, now, origin),
            now + Duration::from_millis(5)
        );
        assert_eq!(
            clock_deadline(
                CLOCK_MONOTONIC,
                50_000_000,
                SUBSCRIPTION_CLOCK_ABSTIME,
                now,
                origin
            ),
            origin + Duration::from_millis(50)
        );
        // An absolute wall-clock time in the past fires at once.
        assert_eq!(
            clock_deadline(CLOCK_REALTIME, 0, SUBSCRIPTION_CLOCK_ABSTIME, now, origin),
            now
        );
    }
}

#[cfg(test)]
mod probe {
    use super::*;

    #[test]
    #[ignore]
    fn probe() {
        let manifest = crate::runtime::Manifest::pinned().unwrap();
        let cache = CacheDir::resolve().unwrap();
        let runtime = crate::runtime::locate(&manifest, &cache).unwrap().unwrap();
        let runner = WasmRunner::new(&runtime, &cache, || {}).unwrap();
        let code = std::env::var("PROBE_CODE").unwrap();
        let extra: Vec<String> = std::env::var("PROBE_FLAGS")
            .unwrap_or_default()
            .split_whitespace()
            .map(String::from)
            .collect();
        for _ in 0..3 {
            let out = CappedPipe::new(1 << 20);
            let err = CappedPipe::new(1 << 20);
            let mut args = vec!["python".to_string()];
            args.extend(extra.iter().cloned());
            args.push("-c".into());
            args.push(code.clone());
            let mut b = WasiCtxBuilder::new();
            b.args(&args)
                .env("PYTHONHASHSEED", "0")
                .stdout(out.clone())
                .stderr(err.clone());
            if let Ok(dir) = std::env::var("PROBE_DIR") {
                b.preopened_dir(&dir, "/probe", FsPerms::ReadWrite).unwrap();
            }
            if let Ok(path) = std::env::var("PROBE_PYTHONPATH") {
                b.env("PYTHONPATH", &path);
            }
            let wasi = b.build_p1();
            let mut store = Store::new(
                &runner.shared.engine,
                Guest {
                    wasi,
                    limiter: GuestLimiter::new(1 << 30),
                    deadline: Instant::now() + Duration::from_secs(60),
                    clock_origin: Instant::now(),
                    stopped_by: None,
                },
            );
            store.limiter(|g| &mut g.limiter);
            store.set_fuel(u64::MAX / 2).unwrap();
            store.set_epoch_deadline(u64::MAX / 2);
            let t = Instant::now();
            let instance = runner.shared.pre.instantiate(&mut store).unwrap();
            let start = instance
                .get_typed_func::<(), ()>(&mut store, "_start")
                .unwrap();
            let r = start.call(&mut store, ());
            let fuel = u64::MAX / 2 - store.get_fuel().unwrap();
            eprintln!(
                "---- {:?} fuel={} ({:.0} M) wall={:?} mem={}",
                r.err().map(|e| e.to_string()),
                fuel,
                fuel as f64 / 1e6,
                t.elapsed(),
                store.data().limiter.peak_bytes
            );
            eprintln!("{}", String::from_utf8_lossy(&out.contents()));
            eprintln!("{}", String::from_utf8_lossy(&err.contents()));
        }
    }
}
