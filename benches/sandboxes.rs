//! How fast the two sandboxes run a case: `cargo bench --bench sandboxes`.
//!
//! Measures, for the subprocess and the wasm sandbox:
//! - wall time per case (median, min, p90 over `KATA_BENCH_RUNS` runs, default 60), one case at
//!   a time, for a trivial case (`one()` returns 1) and an LRU-sized one (1 000 operations on
//!   an `OrderedDict` cache, the lru-cache exercise's reference);
//! - runs per second with two workers;
//! - what the wasm sandbox costs before its first case (engine, memory-mapped compiled module,
//!   linking: what a one-shot `kata check` adds), and a whole `kata check` process;
//!
//! - a whole `kata check --jobs 1` process on 20 trivial cases in the subprocess sandbox, with
//!   warm boxes and with one box per case, against 20 bare interpreter starts (issue 13's
//!   target: at most 0.5×).
//!
//! The baseline is bare `python3 -I -S -c pass` (the real interpreter, not a shim).
//!
//! It prints a Markdown table for docs/performance.md. The numbers are wall-clock times on a
//! shared machine: run it more than once and compare medians. Off Linux, where there is no
//! subprocess sandbox, it measures the wasm sandbox only.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kata::exercise::{CaseInput, Catalogue, CatalogueSource, Limits, Support};
use kata::runner::python::{self, Interpreter};
use kata::runner::{Program, RunRequest, Runner};

fn main() {
    let runs: usize = std::env::var("KATA_BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(60);
    let interpreter = python::resolve(Path::new("python3")).expect("python3 is installed");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let cases = [("trivial", trivial_case()), ("LRU-sized", lru_case())];

    println!("| what | per run: median | min | p90 | runs/s, 2 workers |");
    println!("|---|---|---|---|---|");
    let baseline = time_runs(runs, || bare_python(&interpreter));
    let throughput = per_second(runs, || bare_python(&interpreter));
    row("`python3 -I -S -c pass` (baseline)", &baseline, throughput);

    #[cfg(target_os = "linux")]
    subprocess_rows(&runtime, &interpreter, &cases, runs);

    let setup = time_runs(runs.min(20), || {
        let started = Instant::now();
        kata::settings::wasm_runner().expect("the wasm runtime is installed");
        started.elapsed()
    });
    let wasm = kata::settings::wasm_runner().expect("the wasm runtime is installed");
    for (name, request) in &cases {
        let (times, rate) = bench_runner(&runtime, &wasm, request, runs);
        row(&format!("wasm sandbox, {name} case"), &times, rate);
    }
    row("wasm sandbox, set-up before the first case", &setup, None);
    if let Some(process) = whole_check(runs.min(20)) {
        row(
            "a whole `kata check --sandbox wasm` process, trivial case",
            &process,
            None,
        );
    }
    #[cfg(target_os = "linux")]
    twenty_trivial_cases(&interpreter, runs.min(15));
}

/// The subprocess sandbox on each case.
#[cfg(target_os = "linux")]
fn subprocess_rows(
    runtime: &tokio::runtime::Runtime,
    interpreter: &Interpreter,
    cases: &[(&str, RunRequest)],
    runs: usize,
) {
    use kata::runner::SubprocessRunner;
    use kata::runner::subprocess::isolation::Isolation;

    // The box helper is the kata binary Cargo built: this bench binary cannot play that part.
    let isolation = Isolation::detect(env!("CARGO_BIN_EXE_kata").into()).expect("isolation");
    let subprocess = SubprocessRunner::with_isolation(interpreter.clone(), isolation, &[])
        .expect("the subprocess sandbox can be set up");
    for (name, request) in cases {
        let (times, rate) = bench_runner(runtime, &subprocess, request, runs);
        row(&format!("subprocess sandbox, {name} case"), &times, rate);
    }
}

/// The issue 13 target: a whole `kata check --jobs 1` process on 20 trivial cases in the
/// subprocess sandbox, against 20 bare interpreter starts measured alternately with it (one
/// machine state), with warm boxes and with one box per case (`KATA_WARM_BOXES=off`).
#[cfg(target_os = "linux")]
fn twenty_trivial_cases(interpreter: &Interpreter, runs: usize) {
    let Some(kata) = release_kata() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cases: String = (0..20)
        .map(|n| format!("[[case]]\nname = \"c{n}\"\ncall = \"one()\"\nexpect = \"1\"\n"))
        .collect();
    std::fs::write(
        dir.path().join("twenty.toml"),
        format!(
            "format = 1\ntitle = \"Twenty\"\ndifficulty = \"easy\"\nprompt = \"Return 1.\"\n\
             starter = \"def one():\\n    pass\\n\"\nreference = \"def one():\\n    return 1\\n\"\n{cases}"
        ),
    )
    .unwrap();
    let solution = dir.path().join("twenty.py");
    std::fs::write(&solution, "def one():\n    return 1\n").unwrap();
    println!();
    println!(
        "| 20 trivial cases, `kata check --jobs 1` | kata: median | 20 bare starts: median | ratio (median of per-run ratios) |"
    );
    println!("|---|---|---|---|");
    for (what, warm) in [("warm boxes", "on"), ("one box per case", "off")] {
        let mut kata_times = Vec::new();
        let mut bare_times = Vec::new();
        let mut ratios = Vec::new();
        for _ in 0..runs {
            let started = Instant::now();
            let status = Command::new(&kata)
                .env("KATA_WARM_BOXES", warm)
                .env("KATA_PYTHON", &interpreter.path)
                .arg("--exercises")
                .arg(dir.path())
                .args([
                    "check",
                    "--sandbox",
                    "subprocess",
                    "--jobs",
                    "1",
                    "--exercise",
                    "twenty",
                ])
                .arg(&solution)
                .stdout(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            let kata_time = started.elapsed();
            let bare: Duration = (0..20).map(|_| bare_python(interpreter)).sum();
            ratios.push(kata_time.as_secs_f64() / bare.as_secs_f64());
            kata_times.push(kata_time);
            bare_times.push(bare);
        }
        kata_times.sort();
        bare_times.sort();
        ratios.sort_by(f64::total_cmp);
        println!(
            "| {what} | {:.0} ms | {:.0} ms | {:.2} |",
            percentile(&kata_times, 50).as_secs_f64() * 1000.0,
            percentile(&bare_times, 50).as_secs_f64() * 1000.0,
            ratios[ratios.len() / 2]
        );
    }
}

/// The release build of kata next to this benchmark.
fn release_kata() -> Option<std::path::PathBuf> {
    let kata = std::env::current_exe()
        .ok()?
        .parent()?
        .parent()?
        .join("kata");
    if !kata.is_file() {
        eprintln!(
            "(no {} to time: `cargo build --release` first)",
            kata.display()
        );
        return None;
    }
    Some(kata)
}

fn row(what: &str, times: &[Duration], per_second: Option<f64>) {
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let rate = per_second.map_or("".to_string(), |r| format!("{r:.0}"));
    println!(
        "| {what} | {} | {} | {} | {rate} |",
        ms(percentile(times, 50)),
        ms(percentile(times, 0)),
        ms(percentile(times, 90))
    );
}

fn percentile(times: &[Duration], p: usize) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[(sorted.len() - 1) * p / 100]
}

fn time_runs(runs: usize, mut run: impl FnMut() -> Duration) -> Vec<Duration> {
    run(); // warm-up
    (0..runs).map(|_| run()).collect()
}

/// Runs per second of `run` on two threads.
fn per_second(runs: usize, run: impl Fn() -> Duration + Sync) -> Option<f64> {
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                for _ in 0..runs / 2 {
                    run();
                }
            });
        }
    });
    Some((runs / 2 * 2) as f64 / started.elapsed().as_secs_f64())
}

fn bare_python(interpreter: &Interpreter) -> Duration {
    let started = Instant::now();
    let status = Command::new(&interpreter.path)
        .args(["-I", "-S", "-c", "pass"])
        .status()
        .unwrap();
    assert!(status.success());
    started.elapsed()
}

fn bench_runner<R: Runner>(
    runtime: &tokio::runtime::Runtime,
    runner: &R,
    request: &RunRequest,
    runs: usize,
) -> (Vec<Duration>, Option<f64>) {
    let once = || {
        let started = Instant::now();
        let output = runtime.block_on(runner.run(request.clone())).unwrap();
        assert!(output.frame.is_ok(), "{:?}", output.frame);
        started.elapsed()
    };
    let times = time_runs(runs, once);
    let started = Instant::now();
    runtime.block_on(async {
        let worker = || async {
            for _ in 0..runs / 2 {
                runner.run(request.clone()).await.unwrap();
            }
        };
        tokio::join!(worker(), worker());
    });
    let rate = (runs / 2 * 2) as f64 / started.elapsed().as_secs_f64();
    (times, Some(rate))
}

fn request(source: &str, support: Support, expr: &str) -> RunRequest {
    RunRequest {
        program: Program {
            source: source.into(),
            display_name: "solution.py".into(),
        },
        support: Arc::new(support),
        input: CaseInput::Call { expr: expr.into() },
        limits: Limits::default(),
        fixtures: Vec::new(),
        requires: Vec::new(),
    }
}

fn trivial_case() -> RunRequest {
    request("def one():\n    return 1\n", Support::default(), "one()")
}

/// The lru-cache exercise's reference and case helpers, driven through 500 puts and 500 gets.
fn lru_case() -> RunRequest {
    let catalogue = Catalogue::load(CatalogueSource::Embedded).unwrap();
    let exercise = catalogue.get("lru-cache").unwrap();
    request(
        &exercise.reference,
        exercise.support.clone(),
        "stress(100, 500)",
    )
}

/// A whole `kata check --sandbox wasm` process on a one-case exercise, from the release build
/// next to this benchmark.
fn whole_check(runs: usize) -> Option<Vec<Duration>> {
    let kata = release_kata()?;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("one.toml"),
        "format = 1\ntitle = \"One\"\ndifficulty = \"easy\"\nprompt = \"Return 1.\"\n\
         starter = \"def one():\\n    pass\\n\"\nreference = \"def one():\\n    return 1\\n\"\n\
         [[case]]\nname = \"one\"\ncall = \"one()\"\nexpect = \"1\"\n",
    )
    .unwrap();
    let solution = dir.path().join("one.py");
    std::fs::write(&solution, "def one():\n    return 1\n").unwrap();
    Some(time_runs(runs, || {
        let started = Instant::now();
        let status = Command::new(&kata)
            .arg("--exercises")
            .arg(dir.path())
            .args(["check", "--sandbox", "wasm", "--exercise", "one"])
            .arg(&solution)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        started.elapsed()
    }))
}
