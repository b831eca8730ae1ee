//! `kata runtime install|status`: the WebAssembly Python behind `--sandbox wasm`.

use std::fs;
use std::path::Path;

use anstream::println;

use crate::cli::{RuntimeArgs, RuntimeCommand};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::runner::WasmRunner;
use crate::runtime::{
    self, CACHE_ENV, CacheDir, Installed, Manifest, OVERRIDE_ENV, Runtime, sha256_hex,
};
use crate::style::{BOLD, DIM, GREEN, RED, YELLOW, paint};

pub(super) fn run(args: &RuntimeArgs) -> Result<ExitStatus, Error> {
    let manifest = Manifest::pinned()?;
    let cache = CacheDir::resolve()?;
    match args.command {
        RuntimeCommand::Install => install(&manifest, &cache),
        RuntimeCommand::Status => status(&manifest, &cache),
    }
}

/// Fetches (unless present and intact) the pinned runtime and builds its compiled snapshot.
fn install(manifest: &Manifest, cache: &CacheDir) -> Result<ExitStatus, Error> {
    if !cache.installed_module(manifest).is_file() {
        println!(
            "{}",
            paint(
                DIM,
                format!("fetching {} (98 MB) with pip…", manifest.spec())
            )
        );
    }
    let installed = runtime::install(manifest, cache)?;
    let verb = match installed {
        Installed::AlreadyThere(_) => "already installed",
        Installed::Fetched(_) => "installed",
    };
    println!(
        "{} {} {}",
        paint(GREEN.bold(), verb),
        manifest.spec(),
        paint(DIM, format!("(CPython {})", manifest.python))
    );
    let runtime = Runtime {
        path: installed.path().to_path_buf(),
        sha256: manifest.module_sha256.clone(),
        stdlib: cache.installed_stdlib(manifest),
        stdlib_sha256: manifest.stdlib_sha256.clone(),
        origin: runtime::Origin::Installed,
    };
    row(
        "python.wasm",
        &format!("{} (sha256 verified)", runtime.path.display()),
    );
    row(
        "stdlib",
        &format!("{} (sha256 verified)", runtime.stdlib.display()),
    );
    let compiled = WasmRunner::compiled_module_path(&runtime, cache)?;
    if !compiled.is_file() {
        println!(
            "{}",
            paint(
                DIM,
                "  building its snapshot (the harness imported) and compiling it for this \
                 machine (once; about 2 minutes and 2.5 GB of memory)…"
            )
        );
    }
    let started = std::time::Instant::now();
    WasmRunner::new(&runtime, cache, || {})?;
    let took = started.elapsed();
    let detail = if took.as_secs() >= 1 {
        format!(" (built in {:.0} s)", took.as_secs_f64())
    } else {
        String::new()
    };
    row("compiled", &format!("{}{detail}", compiled.display()));
    if let Some(path) = std::env::var_os(OVERRIDE_ENV) {
        println!(
            "{} {OVERRIDE_ENV}={} is set, so kata runs that file instead",
            paint(YELLOW, "note:"),
            Path::new(&path).display()
        );
    }
    Ok(ExitStatus::Success)
}

/// Says what is installed and where; exit status 1 when the wasm sandbox is not ready.
fn status(manifest: &Manifest, cache: &CacheDir) -> Result<ExitStatus, Error> {
    println!(
        "{} {} {}",
        paint(BOLD, "wasm runtime"),
        manifest.spec(),
        paint(DIM, format!("(CPython {})", manifest.python))
    );
    row("pinned", &format!("wheel sha256 {}", manifest.wheel_sha256));
    let from_env = if std::env::var_os(CACHE_ENV).is_some() {
        format!(" (from {CACHE_ENV})")
    } else {
        String::new()
    };
    row("cache", &format!("{}{from_env}", cache.root().display()));

    let installed = cache.installed_module(manifest);
    let installed_ok = match fs::read(&installed) {
        Err(_) => {
            row(
                "python.wasm",
                &format!(
                    "{} {}",
                    paint(YELLOW, "not installed"),
                    paint(
                        DIM,
                        "(run `kata runtime install`; the first --sandbox wasm run does it too)"
                    )
                ),
            );
            false
        }
        Ok(bytes) if sha256_hex(&bytes) == manifest.module_sha256 => {
            row(
                "python.wasm",
                &format!(
                    "{} {}",
                    installed.display(),
                    paint(GREEN, "(installed, sha256 verified)")
                ),
            );
            true
        }
        Ok(bytes) => {
            row(
                "python.wasm",
                &format!(
                    "{} {}",
                    installed.display(),
                    paint(
                        RED,
                        format!(
                            "(damaged: sha256 {}; run `kata runtime install` to replace it)",
                            sha256_hex(&bytes)
                        )
                    )
                ),
            );
            false
        }
    };

    let stdlib = cache.installed_stdlib(manifest);
    let stdlib_ok = match fs::read(&stdlib) {
        Ok(bytes) if sha256_hex(&bytes) == manifest.stdlib_sha256 => {
            row(
                "stdlib",
                &format!(
                    "{} {}",
                    stdlib.display(),
                    paint(GREEN, "(installed, sha256 verified)")
                ),
            );
            true
        }
        Ok(_) => {
            row(
                "stdlib",
                &format!(
                    "{} {}",
                    stdlib.display(),
                    paint(RED, "(damaged; run `kata runtime install` to replace it)")
                ),
            );
            false
        }
        Err(_) => {
            if installed_ok {
                row(
                    "stdlib",
                    &paint(YELLOW, "missing (run `kata runtime install`)"),
                );
            }
            false
        }
    };
    let installed_ok = installed_ok && stdlib_ok;

    let ready = match runtime::locate(manifest, cache) {
        Ok(Some(runtime)) => {
            if runtime.origin == runtime::Origin::Override {
                row(
                    "override",
                    &format!(
                        "{OVERRIDE_ENV}={} {}",
                        runtime.path.display(),
                        paint(DIM, "(used instead of the installed runtime)")
                    ),
                );
            }
            let compiled = WasmRunner::compiled_module_path(&runtime, cache)?;
            match fs::metadata(&compiled) {
                Ok(metadata) => row(
                    "compiled",
                    &format!(
                        "{} {}",
                        compiled.display(),
                        paint(DIM, format!("({:.1} MB)", metadata.len() as f64 / 1e6))
                    ),
                ),
                Err(_) => row(
                    "compiled",
                    &paint(DIM, "not yet (the next wasm run compiles it, once)"),
                ),
            }
            runtime.origin == runtime::Origin::Override || installed_ok
        }
        Ok(None) => false,
        Err(error) => {
            row("override", &paint(RED, error.to_string()));
            false
        }
    };
    Ok(if ready {
        ExitStatus::Success
    } else {
        ExitStatus::Failed
    })
}

fn row(label: &str, value: &str) {
    println!("  {} {value}", paint(DIM, format!("{label:12}")));
}
