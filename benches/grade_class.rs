//! Grading a whole class with `kata grade`, against the per-case floor of bare Python start-up.
//!
//! Run with `cargo bench --bench grade_class`. Options (after `--`):
//!
//! - `--students N` (default 100): the class graded for time, `--runs R` times (default 1; an
//!   odd number gives a true median);
//! - `--memory-students M` (default 200, 0 to skip): a bigger class graded once, to show how
//!   the grader's memory grows with the class;
//! - `--jobs J` (default 2): cases run at once, by kata and by the floor alike;
//! - `--sandbox S` (default subprocess): the sandbox kata grades in (`wasm` needs its runtime:
//!   `kata runtime install`);
//! - `--keep DIR`: write the generated class there and keep it;
//! - `--sample`: sample the grader's memory every 5 ms instead of tracing it (see [`measure`]);
//! - `--kata PATH`: time this kata binary instead of the one built with the benchmark (e.g. a
//!   release build timed by a benchmark built without `--release`);
//! - `--baseline PATH`: another kata binary (a copy of an older build) graded in every run
//!   right before this one, on the same class, so the two compare at the same load.
//!
//! The class: each student submits lru-cache, reverse-linked-list, is-valid-bst and three-sum,
//! about two in three of them the exercise's reference solution and the rest one of its
//! known-wrong solutions. Wrong solutions that are meant to hit the time limit are left out:
//! they would make the benchmark measure the limit, not the grader. One student in five uses
//! the `# kata: ID` layout, the others `<student>/<exercise>.py`.
//!
//! Each run measures the floor, as many bare `python3 -I -S -c pass` runs as kata runs cases,
//! J at a time, with the interpreter kata itself resolves; then `kata grade --jobs J --sandbox
//! S` writing JSON, JUnit and CSV reports. It prints medians, the ratio of the two,
//! where the CPU time went (the kata process itself, and the Python processes it ran), and the
//! grader's peak resident memory: the high-water mark of the kata process alone.
//!
//! This is a measurement, not a test: nothing here asserts a time. The numbers in
//! docs/performance.md come from it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kata::exercise::{Catalogue, CatalogueSource, Exercise};
use kata::grade::Verdict;
use kata::runner::python;

const EXERCISES: [&str; 4] = [
    "lru-cache",
    "reverse-linked-list",
    "is-valid-bst",
    "three-sum",
];

struct Options {
    students: usize,
    runs: usize,
    memory_students: usize,
    jobs: usize,
    sandbox: String,
    keep: Option<PathBuf>,
    sample: bool,
    baseline: Option<PathBuf>,
    kata: Option<PathBuf>,
}

impl Options {
    fn parse() -> Options {
        let args: Vec<String> = std::env::args().collect();
        let value = |name: &str| {
            args.iter()
                .position(|arg| arg == name)
                .and_then(|i| args.get(i + 1))
        };
        let number = |name: &str, default: usize| {
            value(name).map_or(default, |text| {
                text.parse()
                    .unwrap_or_else(|_| panic!("{name} takes a number, not `{text}`"))
            })
        };
        Options {
            students: number("--students", 100),
            runs: number("--runs", 1).max(1),
            memory_students: number("--memory-students", 200),
            jobs: number("--jobs", 2).max(1),
            sandbox: value("--sandbox").map_or_else(|| "subprocess".to_string(), String::clone),
            keep: value("--keep").map(PathBuf::from),
            sample: args.iter().any(|arg| arg == "--sample"),
            baseline: value("--baseline").map(PathBuf::from),
            kata: value("--kata").map(PathBuf::from),
        }
    }
}

/// A generated class, and what grading it should give.
struct Class {
    dir: PathBuf,
    submissions: usize,
    cases: usize,
    /// (student, exercise) -> whether the submission is the reference solution.
    correct: BTreeMap<(String, String), bool>,
}

/// One `kata grade` run.
struct Graded {
    wall: Duration,
    exit: measure::Exit,
    cases: usize,
    /// Submissions graded otherwise than expected (a correct solution that failed, a wrong one
    /// that passed): on a badly overloaded machine a correct solution can run out of time.
    surprises: Vec<String>,
}

/// The floor: bare interpreter start-ups.
struct Floor {
    wall: Duration,
    cpu: Duration,
}

fn main() {
    let options = Options::parse();
    let interpreter = python::resolve(Path::new("python3")).expect("python3 is installed");
    let kata = options
        .kata
        .as_deref()
        .unwrap_or(Path::new(env!("CARGO_BIN_EXE_kata")));
    let catalogue = Catalogue::load(CatalogueSource::Embedded).expect("the catalogue loads");
    let exercises: Vec<&Exercise> = EXERCISES
        .iter()
        .map(|id| {
            catalogue
                .exercises
                .iter()
                .find(|e| e.id == *id)
                .unwrap_or_else(|| panic!("{id} is in the catalogue"))
        })
        .collect();

    println!("kata:        {}", kata.display());
    println!(
        "interpreter: {} (Python {}.{})",
        interpreter.path.display(),
        interpreter.version.0,
        interpreter.version.1
    );
    println!(
        "cpus:        {}, jobs: {}, sandbox: {}",
        cpus(),
        options.jobs,
        options.sandbox
    );
    println!("load:        {} (1, 5, 15 min) at the start\n", load());

    let scratch = tempfile::tempdir().expect("a temporary directory");
    let class_dir = options
        .keep
        .clone()
        .unwrap_or_else(|| scratch.path().join("class"));
    let class = generate(&class_dir, &exercises, options.students);
    println!(
        "class: {} students, {} submissions, {} cases, in {}",
        options.students,
        class.submissions,
        class.cases,
        class.dir.display()
    );

    let mut graded = Vec::new();
    let mut baselines = Vec::new();
    let mut floors = Vec::new();
    for run in 1..=options.runs {
        let floor = floor(&interpreter.path, class.cases, options.jobs);
        if let Some(baseline) = &options.baseline {
            let result = grade(baseline, &class, &options, scratch.path());
            println!(
                "run {run}: baseline {:.1} s ({:.1} cases/s), peak RSS {}; load {}",
                secs(result.wall),
                class.cases as f64 / secs(result.wall),
                kb(result.exit.peak_kb),
                load()
            );
            report_surprises(&result);
            baselines.push(result);
        }
        let result = grade(kata, &class, &options, scratch.path());
        println!(
            "run {run}: kata {:.1} s, floor {:.1} s, ratio {:.2}; peak RSS {} ({}); load {}",
            secs(result.wall),
            secs(floor.wall),
            secs(result.wall) / secs(floor.wall),
            kb(result.exit.peak_kb),
            result.exit.method,
            load()
        );
        report_surprises(&result);
        floors.push(floor);
        graded.push(result);
    }

    let cases = class.cases;
    let kata_wall = median(graded.iter().map(|g| g.wall));
    let floor_wall = median(floors.iter().map(|f| f.wall));
    let floor_cpu = median(floors.iter().map(|f| f.cpu));
    println!(
        "\nmedians of {} runs: {} students, {} submissions, {} cases, {} jobs",
        options.runs, options.students, class.submissions, cases, options.jobs
    );
    println!(
        "  kata grade      {:>7.1} s wall  {:>6.1} cases/s",
        secs(kata_wall),
        cases as f64 / secs(kata_wall)
    );
    if !baselines.is_empty() {
        let wall = median(baselines.iter().map(|g| g.wall));
        println!(
            "  baseline        {:>7.1} s wall  {:>6.1} cases/s  (this build / baseline: {:.2})",
            secs(wall),
            cases as f64 / secs(wall),
            secs(kata_wall) / secs(wall)
        );
        let own = baselines.iter().filter_map(|g| g.exit.own_cpu);
        let children = baselines.iter().filter_map(|g| g.exit.children_cpu);
        if let (Some(own), Some(children)) = (median_of(own), median_of(children)) {
            println!(
                "  baseline CPU per case: kata itself {:.1} ms, its Python processes {:.1} ms",
                per_case_ms(own, cases),
                per_case_ms(children, cases)
            );
        }
    }
    println!(
        "  floor           {:>7.1} s wall  {:>6.1} runs/s",
        secs(floor_wall),
        cases as f64 / secs(floor_wall)
    );
    println!(
        "  ratio           {:>7.2}",
        secs(kata_wall) / secs(floor_wall)
    );
    let own = graded.iter().filter_map(|g| g.exit.own_cpu);
    let children = graded.iter().filter_map(|g| g.exit.children_cpu);
    if let (Some(own), Some(children)) = (median_of(own), median_of(children)) {
        println!(
            "  CPU per case: kata itself {:.1} ms, its Python processes {:.1} ms; floor {:.1} ms per run; CPU ratio {:.2}",
            per_case_ms(own, cases),
            per_case_ms(children, cases),
            per_case_ms(floor_cpu, cases),
            secs(own + children) / secs(floor_cpu)
        );
    }
    println!(
        "  grader's peak RSS {} (the largest of the runs)",
        kb(graded.iter().filter_map(|g| g.exit.peak_kb).max())
    );
    println!("  kata's exit status {:?}", graded[0].exit.code);

    if options.memory_students > 0 {
        let big = generate(
            &scratch.path().join("big-class"),
            &exercises,
            options.memory_students,
        );
        let result = grade(kata, &big, &options, scratch.path());
        println!(
            "\nbigger class: {} students, {} cases: kata {:.1} s ({:.1} cases/s), peak RSS {} ({}); load {}",
            options.memory_students,
            result.cases,
            secs(result.wall),
            result.cases as f64 / secs(result.wall),
            kb(result.exit.peak_kb),
            result.exit.method,
            load()
        );
        report_surprises(&result);
    }
    println!("\nload:        {} (1, 5, 15 min) at the end", load());
    if options.keep.is_some() {
        println!("kept the class in {}", class.dir.display());
    }
}

/// Writes a class of `students` into `dir`, deterministically.
fn generate(dir: &Path, exercises: &[&Exercise], students: usize) -> Class {
    let _ = std::fs::remove_dir_all(dir);
    let mut class = Class {
        dir: dir.to_path_buf(),
        submissions: 0,
        cases: 0,
        correct: BTreeMap::new(),
    };
    for student in 0..students {
        let name = format!("s{student:04}");
        for (index, exercise) in exercises.iter().enumerate() {
            let wrongs: Vec<&str> = exercise
                .wrong_solutions
                .iter()
                .filter(|w| w.verdict != Some(Verdict::TimeLimitExceeded))
                .map(|w| w.code.as_str())
                .collect();
            let correct = (student + index) % 3 != 0 || wrongs.is_empty();
            let code = if correct {
                exercise.reference.as_str()
            } else {
                wrongs[(student / 3) % wrongs.len()]
            };
            let (path, text) = if student % 5 == 4 {
                (
                    dir.join(&name)
                        .join(format!("week{}", index + 1))
                        .join("answer.py"),
                    format!("# kata: {}\n{code}", exercise.id),
                )
            } else {
                (
                    dir.join(&name)
                        .join(format!("{}.py", exercise.id.replace('-', "_"))),
                    code.to_string(),
                )
            };
            std::fs::create_dir_all(path.parent().unwrap()).expect("create a student's folder");
            std::fs::write(&path, text).expect("write a submission");
            class.submissions += 1;
            class.cases += exercise.cases.len();
            class
                .correct
                .insert((name.clone(), exercise.id.clone()), correct);
        }
    }
    class
}

/// `count` bare interpreter start-ups, `jobs` at a time.
fn floor(python: &Path, count: usize, jobs: usize) -> Floor {
    let cpu_before = measure::children_cpu();
    let started = Instant::now();
    std::thread::scope(|scope| {
        for worker in 0..jobs {
            let share = count / jobs + usize::from(worker < count % jobs);
            scope.spawn(move || {
                for _ in 0..share {
                    let status = Command::new(python)
                        .args(["-I", "-S", "-c", "pass"])
                        .stdin(Stdio::null())
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .status()
                        .expect("python starts");
                    assert!(status.success());
                }
            });
        }
    });
    Floor {
        wall: started.elapsed(),
        cpu: measure::children_cpu() - cpu_before,
    }
}

/// Grades `class` with the real binary and reads its JSON report back.
fn grade(kata: &Path, class: &Class, options: &Options, scratch: &Path) -> Graded {
    let reports = scratch.join("reports");
    let _ = std::fs::remove_dir_all(&reports);
    std::fs::create_dir_all(&reports).expect("a reports directory");
    let json = reports.join("class.json");
    let mut command = Command::new(kata);
    command
        .arg("grade")
        .arg(&class.dir)
        .args(["--sandbox", &options.sandbox, "--quiet"])
        .args(["--jobs", &options.jobs.to_string()])
        .arg("--json")
        .arg(&json)
        .arg("--junit")
        .arg(reports.join("class.xml"))
        .arg("--csv")
        .arg(reports.join("class.csv"))
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let exit = measure::run(command, !options.sample);
    let wall = started.elapsed();

    let text = std::fs::read_to_string(&json).unwrap_or_else(|e| {
        panic!(
            "kata wrote no JSON report (exit status {:?}; run it by hand to see why): {e}",
            exit.code
        )
    });
    let report: serde_json::Value = serde_json::from_str(&text).expect("the report is JSON");
    let submissions = report["submissions"].as_array().expect("submissions");
    let mut cases = 0;
    let mut surprises = Vec::new();
    for submission in submissions {
        let student = submission["student"].as_str().unwrap_or_default();
        let exercise = submission["exercise"].as_str().unwrap_or_default();
        cases += submission["cases"].as_array().map_or(0, Vec::len);
        let passed = submission["status"] == "pass";
        if passed != class.correct[&(student.to_string(), exercise.to_string())] {
            surprises.push(format!(
                "{student} {exercise}: {} ({})",
                submission["status"], submission["verdict"]
            ));
        }
    }
    if submissions.len() != class.submissions {
        surprises.push(format!(
            "{} submissions graded of {} written",
            submissions.len(),
            class.submissions
        ));
    }
    Graded {
        wall,
        exit,
        cases,
        surprises,
    }
}

fn report_surprises(graded: &Graded) {
    if graded.surprises.is_empty() {
        return;
    }
    println!(
        "  warning: {} submission(s) graded otherwise than expected (an overloaded machine?):",
        graded.surprises.len()
    );
    for surprise in graded.surprises.iter().take(10) {
        println!("    {surprise}");
    }
}

/// What one process used: its own peak resident memory and CPU time, apart from its children's.
///
/// `wait4`'s `ru_maxrss` would report the largest Python child if it was larger than kata, so
/// the kata process is traced (its main thread, for its exit only) and read from /proc at the
/// moment it exits, while its memory still exists: VmHWM for the peak, and the CPU times of
/// itself and of its reaped children from `stat`. Where tracing is not allowed (or with
/// `--sample`), VmHWM is sampled every 5 ms instead, which can miss a peak in the last
/// milliseconds, and the CPU split is not known.
mod measure {
    use std::process::Command;
    use std::time::Duration;

    pub(crate) struct Exit {
        pub code: Option<i32>,
        pub peak_kb: Option<u64>,
        pub method: &'static str,
        pub own_cpu: Option<Duration>,
        pub children_cpu: Option<Duration>,
    }

    pub(crate) fn run(mut command: Command, trace: bool) -> Exit {
        let mut child = command.spawn().expect("kata starts");
        let pid = child.id() as libc::pid_t;
        #[cfg(target_os = "linux")]
        if trace && seize(pid) {
            let exit = traced(pid);
            // The child was reaped above; std must not wait for it again.
            drop(child);
            return exit;
        }
        // Tracing for the exit event is Linux's: elsewhere the sampler below is all there is.
        #[cfg(not(target_os = "linux"))]
        let _ = trace;
        let mut peak = None;
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for kata") {
                break status;
            }
            peak = peak.max(vm_hwm(pid));
            std::thread::sleep(Duration::from_millis(5));
        };
        Exit {
            code: status.code(),
            peak_kb: peak,
            method: "sampled every 5 ms",
            own_cpu: None,
            children_cpu: None,
        }
    }

    /// Traces our own child `pid`, stopping it only at its exit.
    #[cfg(target_os = "linux")]
    fn seize(pid: libc::pid_t) -> bool {
        // SAFETY: PTRACE_SEIZE on our own child, with an options word and no pointers.
        let result = unsafe {
            libc::ptrace(
                libc::PTRACE_SEIZE,
                pid,
                std::ptr::null_mut::<libc::c_void>(),
                libc::PTRACE_O_TRACEEXIT as usize as *mut libc::c_void,
            )
        };
        result == 0
    }

    #[cfg(target_os = "linux")]
    fn traced(pid: libc::pid_t) -> Exit {
        let mut exit = Exit {
            code: None,
            peak_kb: None,
            method: "read at exit",
            own_cpu: None,
            children_cpu: None,
        };
        loop {
            let mut status = 0;
            // SAFETY: waiting for our own child; `status` is a valid out-pointer.
            let waited = unsafe { libc::waitpid(pid, &mut status, libc::__WALL) };
            if waited < 0 {
                let error = std::io::Error::last_os_error();
                assert_eq!(error.kind(), std::io::ErrorKind::Interrupted, "{error}");
                continue;
            }
            if libc::WIFEXITED(status) {
                exit.code = Some(libc::WEXITSTATUS(status));
                return exit;
            }
            if libc::WIFSIGNALED(status) {
                return exit;
            }
            if !libc::WIFSTOPPED(status) {
                continue;
            }
            let event = status >> 16;
            let signal = if event == libc::PTRACE_EVENT_EXIT {
                exit.peak_kb = vm_hwm(pid);
                if let Some((own, children)) = cpu_times(pid) {
                    exit.own_cpu = Some(own);
                    exit.children_cpu = Some(children);
                }
                0
            } else if event != 0 {
                0 // a group-stop: just continue
            } else {
                libc::WSTOPSIG(status) // a signal on its way to kata: deliver it
            };
            // SAFETY: resuming our own stopped tracee.
            unsafe {
                libc::ptrace(
                    libc::PTRACE_CONT,
                    pid,
                    std::ptr::null_mut::<libc::c_void>(),
                    signal as usize as *mut libc::c_void,
                );
            }
        }
    }

    /// The process's resident-memory high-water mark, in KiB.
    fn vm_hwm(pid: libc::pid_t) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// (own, reaped children's) user + system CPU time, from /proc/PID/stat.
    #[cfg(target_os = "linux")]
    fn cpu_times(pid: libc::pid_t) -> Option<(Duration, Duration)> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // The fields after the command name, which is in parentheses and may hold spaces.
        let fields: Vec<u64> = stat
            .rsplit_once(')')?
            .1
            .split_whitespace()
            .map(|field| field.parse().unwrap_or(0))
            .collect();
        // utime, stime, cutime, cstime are fields 14 to 17; the list starts at field 3.
        let ticks = |index: usize| fields.get(index - 3).copied().unwrap_or(0);
        // SAFETY: sysconf has no preconditions.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
        let time = |ticks: u64| Duration::from_secs_f64(ticks as f64 / per_second);
        Some((time(ticks(14) + ticks(15)), time(ticks(16) + ticks(17))))
    }

    /// CPU time of this process's reaped children so far.
    pub(crate) fn children_cpu() -> Duration {
        // SAFETY: `usage` is zeroed plain data that getrusage fills in.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: getrusage writes only the struct it is given, a live local.
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
        let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
        time(usage.ru_utime) + time(usage.ru_stime)
    }
}

fn median(times: impl Iterator<Item = Duration>) -> Duration {
    median_of(times).expect("at least one run")
}

fn median_of(times: impl Iterator<Item = Duration>) -> Option<Duration> {
    let mut times: Vec<Duration> = times.collect();
    times.sort();
    times.get(times.len().checked_sub(1)? / 2).copied()
}

fn secs(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

fn per_case_ms(total: Duration, cases: usize) -> f64 {
    total.as_secs_f64() * 1000.0 / cases as f64
}

fn kb(peak: Option<u64>) -> String {
    peak.map_or_else(
        || "unknown".to_string(),
        |kb| format!("{:.1} MiB", kb as f64 / 1024.0),
    )
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_string())
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
