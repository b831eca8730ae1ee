//! `kata sandbox status`: what protects a box on this machine, checked from inside one; and
//! the warnings and refusals of commands whose native sandbox lacks a layer. Linux only: off
//! Linux `sandbox_unavailable.rs` stands in for this file.

use anstream::{eprintln, print, println};
use serde::Serialize;

use crate::cli::{Format, SandboxArgs, SandboxCommand, SandboxStatusArgs};
use crate::commands::block_on;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::runner::Backend;
use crate::runner::subprocess::isolation::{self, Isolation, Layer, State, WeakSandbox};
use crate::runner::subprocess::selftest;
use crate::settings::{self, Globals};
use crate::style::{BOLD, DIM, GREEN, RED, YELLOW, paint};

pub(super) fn run(globals: &Globals, args: &SandboxArgs) -> Result<ExitStatus, Error> {
    match &args.command {
        SandboxCommand::Status(status) => status_command(globals, status),
    }
}

/// Prints a warning when the subprocess sandbox lacks a layer grading untrusted code needs.
pub(super) fn warn_if_weak(backend: &Backend) {
    let Some(isolation) = backend.isolation() else {
        return;
    };
    let missing = isolation::missing_for_grading(isolation);
    if !missing.is_empty() {
        let weak = WeakSandbox { missing };
        eprintln!(
            "{} {weak}; fine for your own code (`kata sandbox status` says why)",
            paint(YELLOW, "warning:")
        );
    }
}

/// Grading strangers' code in a sandbox that lacks isolation layers needs the teacher's explicit
/// consent (`--allow-weak-sandbox`); with it, the missing layers are still named.
pub(super) fn refuse_weak(backend: &Backend, allow_weak: bool) -> Result<(), Error> {
    let Some(isolation) = backend.isolation() else {
        return Ok(());
    };
    match isolation::check_grading(isolation, allow_weak) {
        Ok(missing) if missing.is_empty() => Ok(()),
        Ok(missing) => {
            let names: Vec<&str> = missing.iter().map(|layer| layer.name()).collect();
            eprintln!(
                "{} grading without: {} (--allow-weak-sandbox)",
                paint(YELLOW, "warning:"),
                names.join(", ")
            );
            Ok(())
        }
        Err(weak) => Err(Error::usage(
            weak.to_string(),
            Some(weak.help().to_string()),
        )),
    }
}

#[derive(Serialize)]
struct StatusReport {
    mode: &'static str,
    root: bool,
    landlock_abi: i32,
    interpreter: String,
    layers: Vec<LayerReport>,
    grade_allowed: bool,
    grade_missing: Vec<&'static str>,
}

#[derive(Serialize)]
struct LayerReport {
    name: &'static str,
    state: &'static str,
    /// Why it is missing or not needed; what it stops when active.
    detail: String,
    /// For active layers: whether the box showed it (`None` when it could not be checked).
    verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
}

fn status_command(globals: &Globals, args: &SandboxStatusArgs) -> Result<ExitStatus, Error> {
    let hidden = globals.hidden_paths();
    let runner = settings::subprocess_runner(args.python.as_deref(), &hidden)?;
    let mut check_paths = hidden.clone();
    check_paths.extend(std::env::current_dir().ok());
    check_paths.extend(std::env::var_os("HOME").map(Into::into));
    check_paths.extend(std::env::current_exe().ok());
    let selftest = block_on(selftest::run(&runner, &check_paths))?;
    let isolation = runner.isolation();
    let verdicts = match &selftest {
        Ok(result) => result.checks.clone(),
        Err(_) => Vec::new(),
    };
    let layers: Vec<LayerReport> = isolation
        .layers()
        .into_iter()
        .map(|status| {
            let check = verdicts.iter().find(|(layer, _)| *layer == status.layer);
            let (state, detail) = match status.state {
                State::Active => ("active", status.layer.stops().to_string()),
                State::Missing(why) => ("missing", why),
                State::NotNeeded(why) => ("not-needed", why),
            };
            LayerReport {
                name: status.layer.name(),
                state,
                detail,
                verified: check.map(|(_, result)| result.is_ok()),
                problem: check.and_then(|(_, result)| result.clone().err()),
            }
        })
        .collect();
    let missing = isolation::missing_for_grading(isolation);
    let report = StatusReport {
        mode: isolation.mode.describe(isolation.root),
        root: isolation.root,
        landlock_abi: isolation.landlock_abi,
        interpreter: runner.interpreter().path.display().to_string(),
        grade_allowed: missing.is_empty(),
        grade_missing: missing.iter().map(|layer| layer.name()).collect(),
        layers,
    };
    let failed = selftest.is_err() || report.layers.iter().any(|l| l.verified == Some(false));
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("the status serialises")
        ),
        Format::Human => print!(
            "{}",
            render(&report, isolation, &missing, selftest.as_ref().err())
        ),
    }
    Ok(if failed {
        ExitStatus::Internal
    } else {
        ExitStatus::Success
    })
}

fn render(
    report: &StatusReport,
    isolation: &Isolation,
    missing: &[Layer],
    selftest_error: Option<&String>,
) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} {}\n",
        paint(BOLD, "subprocess sandbox:"),
        report.mode
    ));
    let who = if report.root {
        "running as root".to_string()
    } else {
        format!("running as uid {}", rustix::process::getuid().as_raw())
    };
    let landlock = match report.landlock_abi {
        0 => "no Landlock".to_string(),
        abi => format!("Landlock ABI {abi}"),
    };
    let seccomp = if isolation.seccomp {
        "seccomp filters"
    } else {
        "no seccomp"
    };
    out.push_str(&format!(
        "  {}\n  interpreter {}\n",
        paint(DIM, format!("{who} · {landlock} · {seccomp}")),
        report.interpreter
    ));
    if let Some(forced) = isolation.forced {
        out.push_str(&format!(
            "  {}\n",
            paint(
                YELLOW,
                format!(
                    "mode forced by {}={forced}",
                    isolation::detect::OVERRIDE_VAR
                )
            )
        ));
    }
    out.push('\n');
    let width = report
        .layers
        .iter()
        .map(|l| l.name.len())
        .max()
        .unwrap_or(0);
    for layer in &report.layers {
        let (mark, state, style) = match (layer.state, layer.verified) {
            ("active", Some(false)) => ("✗", "NOT VERIFIED", RED),
            ("active", Some(true)) => ("✓", "verified", GREEN),
            ("active", None) => ("✓", "active", GREEN),
            ("missing", _) => ("✗", "missing", YELLOW),
            _ => ("–", "not needed", DIM),
        };
        out.push_str(&format!(
            "  {} {:width$}  {}  {}\n",
            paint(style, mark),
            layer.name,
            paint(style, format!("{state:<12}")),
            layer.detail
        ));
        if let Some(problem) = &layer.problem {
            out.push_str(&format!("      {}\n", paint(RED, problem)));
        }
    }
    out.push('\n');
    if let Some(error) = selftest_error {
        out.push_str(&format!(
            "{} the self-test box failed, so nothing above could be verified: {error}\n",
            paint(RED.bold(), "error:")
        ));
    }
    if missing.is_empty() {
        out.push_str(&format!(
            "kata grade: {} (every layer grading code you did not write needs is active)\n",
            paint(GREEN, "allowed")
        ));
    } else {
        let weak = WeakSandbox {
            missing: missing.to_vec(),
        };
        out.push_str(&format!(
            "kata grade: {} without --allow-weak-sandbox ({weak})\n",
            paint(YELLOW, "refused")
        ));
    }
    out
}
