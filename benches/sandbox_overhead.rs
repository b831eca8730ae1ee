//! What the subprocess sandbox's isolation costs per case, against the same run without
//! isolation (`KATA_ISOLATION=off`: a plain interpreter with rlimits), and where the time goes.
//!
//! ```text
//! cargo bench --bench sandbox_overhead -- [--runs N] [--python PATH] [--modes off,auto,landlock]
//! ```
//!
//! Modes are interleaved run by run, so a noisy neighbour slows them all alike. Reported per
//! mode: the median, mean and 90th percentile of one case (the learner's loop: one `run` call,
//! from preparing the box directory to the verdict's inputs) and the median of the paired
//! differences with `off` in the same round; throughput with two cases at once; and the median
//! time of each stage.
//! Numbers and the machine they came from are in docs/performance.md.
//!
//! The native sandbox exists only on Linux; elsewhere this benchmark says so and stops.
#![cfg_attr(not(target_os = "linux"), allow(dead_code, unused_imports))]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use kata::exercise::{CaseInput, Limits, Support};
#[cfg(target_os = "linux")]
use kata::runner::subprocess::isolation::Isolation;
use kata::runner::{Program, RunRequest, Runner, SubprocessRunner, python};

struct Options {
    runs: usize,
    python: PathBuf,
    modes: Vec<String>,
}

fn options() -> Options {
    let mut options = Options {
        runs: 100,
        python: PathBuf::from("python3"),
        modes: vec!["off".into(), "auto".into(), "landlock".into()],
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => options.runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N"),
            "--python" => options.python = args.next().expect("--python PATH").into(),
            "--modes" => {
                options.modes = args
                    .next()
                    .expect("--modes a,b")
                    .split(',')
                    .map(String::from)
                    .collect()
            }
            _ => {} // cargo bench passes --bench
        }
    }
    options
}

fn request() -> RunRequest {
    RunRequest {
        program: Program {
            source: Arc::from("def answer():\n    return 42\n"),
            display_name: "answer.py".into(),
        },
        support: Arc::new(Support::default()),
        input: CaseInput::Call {
            expr: "answer()".into(),
        },
        limits: Limits::default(),
        fixtures: Vec::new(),
        requires: Vec::new(),
    }
}

#[derive(Default)]
struct Samples {
    cases: Vec<Duration>,
    /// host-start to host-done of each traced case.
    spans: Vec<Duration>,
    stages: BTreeMap<String, Vec<Duration>>,
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("sandbox_overhead measures the native sandbox, which needs Linux");
}

#[cfg(target_os = "linux")]
fn main() {
    let options = options();
    let interpreter = python::resolve(&options.python).expect("a Python interpreter");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let runners: Vec<(String, SubprocessRunner)> = options
        .modes
        .iter()
        .map(|mode| {
            let choice = (mode != "auto").then_some(mode.as_str());
            let isolation = Isolation::detect_with(env!("CARGO_BIN_EXE_kata").into(), choice)
                .expect("isolation");
            let label = format!("{mode} ({})", isolation.mode.describe(isolation.root));
            let runner = SubprocessRunner::with_isolation(interpreter.clone(), isolation, &[])
                .expect("a runner");
            (label, runner)
        })
        .collect();
    println!(
        "{} runs per mode, interpreter {} ({}.{}), {} CPUs",
        options.runs,
        interpreter.path.display(),
        interpreter.version.0,
        interpreter.version.1,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    let mut samples: Vec<Samples> = runners.iter().map(|_| Samples::default()).collect();
    runtime.block_on(async {
        for round in 0..options.runs + 5 {
            for ((_, runner), samples) in runners.iter().zip(&mut samples) {
                let started = Instant::now();
                let (output, trace) = runner.run_traced(request()).await.expect("a run");
                let took = started.elapsed();
                assert!(output.frame.is_ok(), "the case ran: {:?}", output.frame);
                if round < 5 {
                    continue; // warm-up
                }
                samples.cases.push(took);
                if let (Some(first), Some(last)) = (trace.first(), trace.last()) {
                    samples
                        .spans
                        .push(Duration::from_nanos(last.1.saturating_sub(first.1)));
                }
                for pair in trace.windows(2) {
                    let stage = pair[1].0.clone();
                    let ns = pair[1].1.saturating_sub(pair[0].1);
                    samples
                        .stages
                        .entry(stage)
                        .or_default()
                        .push(Duration::from_nanos(ns));
                }
            }
        }
    });
    println!(
        "\n{:<64} {:>9} {:>9} {:>9} {:>10}",
        "mode (wall time of one case)", "median", "mean", "p90", "added"
    );
    for ((label, _), mode) in runners.iter().zip(&samples) {
        let cases = &mode.cases;
        // Paired: the same round's baseline case ran right before, under the same load.
        let added: Vec<f64> = cases
            .iter()
            .zip(&samples[0].cases)
            .map(|(case, base)| case.as_secs_f64() - base.as_secs_f64())
            .collect();
        println!(
            "{label:<64} {:>9} {:>9} {:>9} {:>+7.1} ms",
            ms(median(cases)),
            ms(cases.iter().sum::<Duration>() / cases.len() as u32),
            ms(percentile(cases, 0.9)),
            median_f64(added) * 1e3
        );
    }

    println!("\nthroughput, two cases at once (modes alternate in batches of 10):");
    let mut busy = vec![Duration::ZERO; runners.len()];
    let batches = options.runs.div_ceil(10).max(2);
    for _ in 0..batches {
        for ((_, runner), busy) in runners.iter().zip(&mut busy) {
            let started = Instant::now();
            runtime.block_on(async {
                futures_util::stream::iter((0..10).map(|_| runner.run(request())))
                    .buffer_unordered(2)
                    .for_each(|output| async move {
                        assert!(output.expect("a run").frame.is_ok());
                    })
                    .await;
            });
            *busy += started.elapsed();
        }
    }
    for ((label, _), busy) in runners.iter().zip(&busy) {
        let rate = (batches * 10) as f64 / busy.as_secs_f64();
        println!("  {label:<64} {rate:>6.1} cases/s");
    }

    for ((label, _), samples) in runners.iter().zip(&samples) {
        if samples.stages.is_empty() {
            continue;
        }
        println!("\nstages of {label} (median; each from the end of the one before):");
        let mut order: Vec<(&String, &Vec<Duration>)> = samples.stages.iter().collect();
        order.sort_by_key(|(stage, _)| stage_rank(stage));
        for (stage, durations) in order {
            println!("  {stage:<40} {:>9}", ms(median(durations)));
        }
        let traced: Vec<Duration> = samples.stages.values().next().map_or(Vec::new(), |_| {
            samples
                .cases
                .iter()
                .zip(&samples.spans)
                .map(|(case, span)| case.saturating_sub(*span))
                .collect()
        });
        if !traced.is_empty() {
            println!(
                "  {:<36} {:>9}",
                "(after host-done: cleanup)",
                ms(median(&traced))
            );
        }
    }
}

/// The order stages happen in (the trace's own order varies with the mode).
fn stage_rank(stage: &str) -> usize {
    const ORDER: [&str; 19] = [
        "host-spawn",
        "keeper-started",
        "pid-and-user-namespaces",
        "init-started",
        "mount-network-ipc-uts-namespaces",
        "private-root",
        "program-forked",
        "identity-and-capabilities",
        "rlimits",
        "landlock",
        "seccomp",
        "exec",
        "program-ended",
        "box-emptied",
        "box-ended",
        "leftovers-checked",
        "keeper-done",
        "host-done",
        "",
    ];
    ORDER
        .iter()
        .position(|s| *s == stage)
        .unwrap_or(ORDER.len())
}

fn median_f64(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn median(samples: &[Duration]) -> Duration {
    percentile(samples, 0.5)
}

fn percentile(samples: &[Duration], fraction: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted[((sorted.len() - 1) as f64 * fraction).round() as usize]
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1e3)
}
