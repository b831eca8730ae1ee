//! Per-case cost of the sandboxes, against bare Python start-up.
//!
//! Run with `cargo bench --bench sandbox` (add `-- --runs 200` for more samples). It prints a
//! table of medians; the numbers in docs/performance.md come from it. This is a measurement,
//! not a test: nothing here asserts a time.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use kata::exercise::{CaseInput, Limits, Support};
use kata::isolation::Isolation;
use kata::runner::{Program, RunRequest, Runner, SubprocessRunner, python};

/// An LRU cache driven by 1000 operations over an LCG key stream: the "LRU-sized" workload.
const LRU_PROGRAM: &str = r#"
from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity):
        self.capacity = capacity
        self.entries = OrderedDict()

    def get(self, key):
        if key not in self.entries:
            return -1
        self.entries.move_to_end(key)
        return self.entries[key]

    def put(self, key, value):
        self.entries[key] = value
        self.entries.move_to_end(key)
        if len(self.entries) > self.capacity:
            self.entries.popitem(last=False)
"#;

const LRU_DRIVER: &str = r#"
def drive(operations):
    cache = LRUCache(64)
    seed, total = 12345, 0
    for step in range(operations):
        seed = (seed * 1103515245 + 12345) % 2**31
        key = seed % 128
        if step % 3:
            total += cache.get(key)
        else:
            cache.put(key, step)
    return total
"#;

fn main() {
    let runs = std::env::args()
        .skip_while(|arg| arg != "--runs")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(60);
    let interpreter = python::resolve(Path::new("python3")).expect("python3 is installed");
    println!(
        "interpreter: {} (Python {}.{})",
        interpreter.path.display(),
        interpreter.version.0,
        interpreter.version.1
    );
    println!("runs per measurement: {runs}\n");

    let baseline = median(&time_each(runs, || {
        let status = Command::new(&interpreter.path)
            .args(["-I", "-S", "-c", "pass"])
            .status()
            .expect("python starts");
        assert!(status.success());
    }));
    row("bare `python3 -I -S -c pass`", baseline, None);

    // This bench binary is not kata, so the box helper is the kata binary Cargo built.
    let isolation = Isolation::detect(env!("CARGO_BIN_EXE_kata").into()).expect("isolation");
    let runner = SubprocessRunner::with_isolation(interpreter, isolation, &[])
        .expect("the sandbox can be set up");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let trivial = request("def echo(value):\n    return value\n", "", "echo(1)");
    let lru = request(LRU_PROGRAM, LRU_DRIVER, "drive(1000)");
    for (name, request) in [
        ("subprocess: trivial case", &trivial),
        ("subprocess: LRU-sized case", &lru),
    ] {
        let times = time_each(runs, || {
            let output = runtime
                .block_on(runner.run(request.clone()))
                .expect("the case runs");
            assert!(output.frame.is_ok(), "{:?}", output.frame);
        });
        row(name, median(&times), Some(percentile(&times, 90)));
    }

    for (name, request) in [("trivial", &trivial), ("LRU-sized", &lru)] {
        let cases = runs * 2;
        let started = Instant::now();
        runtime.block_on(
            futures_util::stream::iter((0..cases).map(|_| runner.run(request.clone())))
                .buffer_unordered(2)
                .for_each(|output| async move {
                    assert!(output.expect("the case runs").frame.is_ok());
                }),
        );
        let rate = cases as f64 / started.elapsed().as_secs_f64();
        println!(
            "{:<44} {rate:>8.1} runs/s",
            format!("subprocess, 2 workers: {name}")
        );
    }
}

fn request(program: &str, helpers: &str, call: &str) -> RunRequest {
    RunRequest {
        program: Program {
            source: Arc::from(program),
            display_name: "bench.py".to_string(),
        },
        support: Arc::new(Support {
            cases: helpers.to_string(),
            ..Support::default()
        }),
        input: CaseInput::Call {
            expr: call.to_string(),
        },
        limits: Limits::default(),
        fixtures: Vec::new(),
        requires: Vec::new(),
    }
}

fn time_each(runs: usize, mut f: impl FnMut()) -> Vec<Duration> {
    for _ in 0..3 {
        f(); // warm the page cache and the interpreter's files
    }
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect()
}

fn median(times: &[Duration]) -> Duration {
    percentile(times, 50)
}

fn percentile(times: &[Duration], percent: usize) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[(sorted.len() - 1) * percent / 100]
}

fn row(name: &str, median: Duration, p90: Option<Duration>) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    match p90 {
        Some(p90) => println!(
            "{name:<44} {:>8.1} ms median  {:>8.1} ms p90",
            ms(median),
            ms(p90)
        ),
        None => println!("{name:<44} {:>8.1} ms median", ms(median)),
    }
}
