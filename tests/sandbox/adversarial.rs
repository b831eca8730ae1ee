//! The adversarial suite: every hostile submission in `tests/adversarial/attacks/` is graded
//! with `kata check --jobs 2` (its two cases in two boxes at once, to catch interference), and
//! must get its verdict with nothing else going wrong: the run ends within twice the wall
//! limit plus a second, nothing of it is left running or on disk, the host's files and sockets
//! are untouched, and neither the hidden input nor the hidden expected value (nor the grader's
//! secret environment) appears anywhere in what kata prints.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use super::fixtures::{self, Attack};
use super::host::{self, Setup};

/// The sandboxes the whole suite runs on as root.
const SANDBOXES: &[Setup] = &[host::ROOT, host::WASM];

/// Every exercise of the suite has these limits.
const WALL_LIMIT: Duration = Duration::from_secs(4);
/// The grader itself must stay small whatever a submission prints.
const MAX_CLI_RSS_KB: u64 = 256 << 10;
/// In the wasm sandbox the guests' memory is the grader's: two cases at 128 MiB each, and
/// the engine with its compiled module.
const MAX_WASM_CLI_RSS_KB: u64 = (2 * 128 + 160) << 10;
/// For attacks on the grader (`checks: host`): at most this much CPU for the whole run, the
/// sandboxed code included (each case's is capped at 1 s natively and 1 s of fuel in wasm,
/// which takes several seconds to burn). Before the frame boundary was bounded, one such
/// attack cost the grader minutes.
const MAX_HOST_ATTACK_CPU: Duration = Duration::from_secs(20);
/// The grader's peak memory for a whole class must stay under this (docs/security.md).
const MAX_HOST_ATTACK_RSS_KB: u64 = 200 << 10;
/// What one case may add to a report, whatever the submission returned or printed.
const MAX_REPORT_BYTES_PER_CASE: usize = 64 << 10;
/// A wasm case's CPU limit is a fuel budget, counted at the native rate: burning the 1 s of
/// the suite's exercises takes several times as long in real time (docs/exercise-format.md).
const WASM_RUN_LIMIT: Duration = Duration::from_secs(30);

#[test]
fn hostile_submissions_fail_safely_on_every_sandbox() {
    for setup in SANDBOXES {
        suite(setup);
    }
}

#[test]
fn hostile_submissions_fail_safely_for_an_unprivileged_grader() {
    suite(&host::USER_NAMESPACE);
}

#[test]
fn hostile_submissions_fail_safely_without_namespaces() {
    suite(&host::LANDLOCK);
}

fn suite(setup: &Setup) {
    let _serial = host::serial();
    let attacks = fixtures::load();
    assert!(
        attacks.len() >= 40,
        "the suite has {} attacks",
        attacks.len()
    );
    let space = host::workspace();
    let canaries = host::canaries();
    let files_before = host::workspace_files();

    let queue = Mutex::new(attacks.iter().collect::<VecDeque<&Attack>>());
    let failures = Mutex::new(Vec::new());
    let outcomes = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for worker in 0..2 {
            let (queue, failures, outcomes) = (&queue, &failures, &outcomes);
            scope.spawn(move || {
                while let Some(attack) = queue.lock().unwrap().pop_front() {
                    let (summary, problems) = run_attack(setup, worker, attack);
                    outcomes.lock().unwrap().push(summary);
                    if !problems.is_empty() {
                        failures.lock().unwrap().push(format!(
                            "{} ({}):\n    {}",
                            attack.id,
                            attack.description,
                            problems.join("\n    ")
                        ));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.extend(
        canaries
            .damage()
            .into_iter()
            .map(|damage| format!("host canaries: {damage}")),
    );
    if host::workspace_files() != files_before {
        failures.push(format!(
            "the grader's files under {} changed",
            space.dir.display()
        ));
    }
    let mut outcomes = outcomes.into_inner().unwrap();
    outcomes.sort();
    eprintln!(
        "{}: {} attacks\n  {}",
        setup.name,
        attacks.len(),
        outcomes.join("\n  ")
    );
    assert!(
        failures.is_empty(),
        "{}: {} problem(s):\n{}",
        setup.name,
        failures.len(),
        failures.join("\n")
    );
}

/// Runs one attack; returns a one-line summary and what went wrong.
fn run_attack(setup: &Setup, worker: usize, attack: &Attack) -> (String, Vec<String>) {
    let space = host::workspace();
    let file = space.attacks.join(format!("{}.py", attack.id));
    let temp = host::temp_dir(worker);
    let secret = format!("secret-env-{}", space.token);
    let run = host::kata(
        setup,
        worker,
        &[
            "--exercises",
            &space.exercises.to_string_lossy(),
            "check",
            &file.to_string_lossy(),
            "--format",
            "json",
            "--jobs",
            "2",
            "--sandbox",
            setup.sandbox,
        ],
        &[
            ("KATA_TEST_SECRET", &secret),
            ("TMPDIR", &temp.to_string_lossy()),
        ],
    );
    let (expected, gap) = attack.expected(setup.tags);
    let mut problems = Vec::new();
    if setup.sandbox == "wasm" && needs_native(&space.exercises, &attack.exercise) {
        // WASI has no threads, processes or sockets: kata must refuse, saying what to do.
        if run.code != 2 || !run.stderr.contains("--sandbox subprocess") {
            problems.push(format!(
                "the exercise needs the subprocess sandbox, but kata exited with {}: {}",
                run.code,
                run.stderr.trim()
            ));
        }
        common_checks(setup, worker, &space.token, &temp, &run, &mut problems);
        return (
            format!("{:<40} refused (needs native)", attack.id),
            problems,
        );
    }
    let report: Option<serde_json::Value> = serde_json::from_str(&run.stdout).ok();
    let cases = report
        .as_ref()
        .and_then(|r| r["cases"].as_array().cloned())
        .unwrap_or_default();
    if cases.len() != 2 {
        problems.push(format!(
            "no report with two cases (exit {}): {}",
            run.code,
            run.stderr.trim()
        ));
    }
    let verdicts: Vec<String> = cases
        .iter()
        .map(|case| case["verdict"].as_str().unwrap_or("?").to_string())
        .collect();
    // A known gap may end either way (e.g. cut by the clock or by its own check, depending on
    // how fast the host's disk is): `a | b`.
    let allowed: Vec<&str> = expected.split('|').map(str::trim).collect();
    for case in &cases {
        let verdict = case["verdict"].as_str().unwrap_or("?");
        if !allowed.contains(&verdict) {
            problems.push(format!(
                "case {} got {verdict}, expected {expected}: {}",
                case["name"],
                case["message"].as_str().unwrap_or_default()
            ));
        }
        // Hidden cases report no time (it could carry their input out); visible ones must.
        let time = Duration::from_millis(case["time_ms"].as_u64().unwrap_or(u64::MAX));
        if attack.fast && case["hidden"] == false && time >= WALL_LIMIT {
            problems.push(format!(
                "case {} ran into the wall clock ({time:?}): a cap should have stopped it first",
                case["name"]
            ));
        }
    }
    let expected_code = match allowed[0] {
        "accepted" => 0,
        "internal-error" => 3,
        _ => 1,
    };
    if run.code != expected_code {
        problems.push(format!(
            "kata exited with {}, expected {expected_code}",
            run.code
        ));
    }
    if attack.host {
        host_checks(setup, &run, cases.len(), &mut problems);
    }
    common_checks(setup, worker, &space.token, &temp, &run, &mut problems);
    let summary = format!(
        "{:<40} {:<24} {:>5} ms{}",
        attack.id,
        verdicts.join(" / "),
        run.wall.as_millis(),
        gap.map(|why| format!("  (on this setup: {why})"))
            .unwrap_or_default()
    );
    (summary, problems)
}

/// For attacks on the grader itself: its CPU, memory and report stay bounded.
fn host_checks(setup: &Setup, run: &host::Run, cases: usize, problems: &mut Vec<String>) {
    if run.cpu > MAX_HOST_ATTACK_CPU {
        problems.push(format!("the grader used {:?} of CPU", run.cpu));
    }
    // In the wasm sandbox the guests' memory is the grader's (see MAX_WASM_CLI_RSS_KB).
    if setup.sandbox != "wasm" && run.max_rss_kb > MAX_HOST_ATTACK_RSS_KB {
        problems.push(format!("the grader grew to {} MiB", run.max_rss_kb >> 10));
    }
    if run.stdout.len() > cases.max(1) * MAX_REPORT_BYTES_PER_CASE {
        problems.push(format!(
            "the report is {} bytes for {cases} cases",
            run.stdout.len()
        ));
    }
}

/// Whether the exercise's `requires` names anything (the wasm sandbox provides none of it).
fn needs_native(exercises: &std::path::Path, id: &str) -> bool {
    let text = std::fs::read_to_string(exercises.join(format!("{id}.toml"))).unwrap();
    let manifest: toml::Table = toml::from_str(&text).unwrap();
    manifest
        .get("requires")
        .and_then(toml::Value::as_array)
        .is_some_and(|requires| !requires.is_empty())
}

/// What must hold however the attack ended: in time, small, silent about secrets, and with
/// nothing left running or on disk.
fn common_checks(
    setup: &Setup,
    worker: usize,
    token: &str,
    temp: &std::path::Path,
    run: &host::Run,
    problems: &mut Vec<String>,
) {
    let wasm = setup.sandbox == "wasm";
    let run_limit = if wasm {
        WASM_RUN_LIMIT
    } else {
        2 * WALL_LIMIT + Duration::from_secs(1)
    };
    if run.wall > run_limit {
        problems.push(format!("the run took {:?}", run.wall));
    }
    let max_rss_kb = if wasm {
        MAX_WASM_CLI_RSS_KB
    } else {
        MAX_CLI_RSS_KB
    };
    if run.max_rss_kb > max_rss_kb {
        problems.push(format!("kata itself grew to {} MiB", run.max_rss_kb >> 10));
    }
    let printed = format!("{}{}", run.stdout, run.stderr).to_lowercase();
    if printed.contains(token) {
        problems.push("a hidden input, hidden expected value or the grader's secret environment appears in kata's output".into());
    }
    let user = setup.users.map(|users| users[worker]);
    let left = host::leftovers(user);
    if !left.is_empty() {
        problems.push(format!("left running: {}", left.join(", ")));
    }
    let files = host::leftover_files(temp);
    if !files.is_empty() {
        problems.push(format!("left on disk: {files:?}"));
    }
}
