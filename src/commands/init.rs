//! `kata init [DIR]`: make a workspace.

use anstream::println;

use crate::cli::{InitArgs, SandboxChoice};
use crate::curriculum::Curriculum;
use crate::error::Error;
use crate::exercise::{Catalogue, CatalogueSource};
use crate::exit::ExitStatus;
use crate::runner::native::{self, NativeSandboxUnavailable};
use crate::settings::Globals;
use crate::style::{BOLD, DIM, paint};
use crate::words::count;
use crate::workspace::{Config, Progress, Workspace};

pub(super) fn run(globals: &Globals, args: &InitArgs) -> Result<ExitStatus, Error> {
    // A catalogue given on the command line is recorded as an absolute path, so it means the
    // same thing from wherever in the workspace kata runs.
    let catalogue_dir = match &globals.exercises {
        Some(dir) => Some(std::path::absolute(dir).map_err(|source| Error::File {
            action: "find",
            path: dir.clone(),
            source,
        })?),
        None => None,
    };
    let source = match &catalogue_dir {
        Some(dir) => CatalogueSource::Directory(dir.clone()),
        None => CatalogueSource::Embedded,
    };
    // Refuse a sandbox this system does not have, and a catalogue that cannot be read, now
    // rather than at the first `kata watch`.
    if args.sandbox == SandboxChoice::Subprocess && !native::AVAILABLE {
        return Err(NativeSandboxUnavailable.into());
    }
    let catalogue = Catalogue::load(source)?;
    let config = Config {
        catalogue: catalogue_dir,
        sandbox: Some(args.sandbox),
    };
    let workspace = Workspace::init(&args.dir, config)?;
    let shown = args.dir.display().to_string();
    println!(
        "{} {}",
        paint(BOLD, "Made a kata workspace in"),
        paint(BOLD, format!("`{shown}`"))
    );
    println!(
        "  kata.toml            {}",
        paint(
            DIM,
            format!(
                "settings: {} ({}), the {} sandbox",
                catalogue.describe(),
                count(catalogue.exercises.len(), "exercise", "exercises"),
                sandbox_name(&workspace)
            )
        )
    );
    println!(
        "  .kata/progress.toml  {}",
        paint(DIM, "your progress: solved, attempted, hints seen")
    );
    let first = Curriculum::new(&catalogue)
        .resume(&Progress::default())
        .map(|e| e.id.clone());
    let enter = if shown == "." {
        String::new()
    } else {
        format!("cd {shown} && ")
    };
    match first {
        Some(id) => println!(
            "\nNext: `{enter}kata watch` opens the first exercise, {}, and grades it each time you save.",
            paint(BOLD, id)
        ),
        None => println!("\nThe catalogue has no exercises yet."),
    }
    Ok(ExitStatus::Success)
}

fn sandbox_name(workspace: &Workspace) -> &'static str {
    match workspace
        .config
        .sandbox
        .unwrap_or(SandboxChoice::LOCAL_DEFAULT)
    {
        SandboxChoice::Subprocess => "subprocess",
        SandboxChoice::Wasm => "wasm",
    }
}
