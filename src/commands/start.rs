//! `kata start ID`: write the exercise's starter file.

use std::fs;

use anstream::println;

use crate::cli::StartArgs;
use crate::error::Error;
use crate::exercise::Exercise;
use crate::exit::ExitStatus;
use crate::report::terminal::{BOLD, DIM, paint};
use crate::runner::assets;
use crate::settings::Globals;

pub fn run(globals: &Globals, args: &StartArgs) -> Result<ExitStatus, Error> {
    let catalogue = globals.catalogue()?;
    let exercise = catalogue.get(&args.id)?;
    // `--dir .` (the default) writes `lru_cache.py`, not `./lru_cache.py`.
    let path = if args.dir == std::path::Path::new(".") {
        std::path::PathBuf::from(exercise.file_name())
    } else {
        args.dir.join(exercise.file_name())
    };
    if path.exists() && !args.force {
        return Err(Error::usage(
            format!("`{}` already exists", path.display()),
            Some(format!(
                "grade it with `kata check {}`, or start over with --force",
                path.display()
            )),
        ));
    }
    fs::create_dir_all(&args.dir).map_err(|source| Error::File {
        action: "create",
        path: args.dir.clone(),
        source,
    })?;
    fs::write(&path, starter_file(exercise)).map_err(|source| Error::File {
        action: "write",
        path: path.clone(),
        source,
    })?;
    println!("{} {}", paint(BOLD, "Wrote"), path.display());
    println!(
        "{}",
        paint(
            DIM,
            format!("Edit it, then run `kata check {}`.", path.display())
        )
    );
    Ok(ExitStatus::Success)
}

/// The header line, the prompt as comments, the helpers kata provides, then the starter.
pub fn starter_file(exercise: &Exercise) -> String {
    let mut text = format!(
        "# kata: {}\n#\n# {} ({})\n#\n",
        exercise.id,
        exercise.title,
        exercise.difficulty.as_str()
    );
    for line in exercise.prompt.trim().lines() {
        if line.trim().is_empty() {
            text.push_str("#\n");
        } else {
            text.push_str(&format!("# {}\n", line.trim_end()));
        }
    }
    let provided = provided_names(exercise);
    if !provided.is_empty() {
        text.push_str(&format!(
            "#\n# Provided by kata, no import needed: {}\n",
            provided.join(", ")
        ));
    }
    text.push_str(&format!(
        "#\n# Check your work with: kata check {}\n\n",
        exercise.file_name()
    ));
    text.push_str(exercise.starter.trim_start_matches('\n'));
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Public classes and functions the exercise's support code gives the candidate.
fn provided_names(exercise: &Exercise) -> Vec<String> {
    let stock = exercise
        .support
        .modules
        .iter()
        .filter_map(|m| assets::stock_module(m));
    stock
        .chain(std::iter::once(exercise.support.code.as_str()))
        .flat_map(str::lines)
        .filter_map(|line| {
            let rest = line
                .strip_prefix("class ")
                .or_else(|| line.strip_prefix("def "))?;
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty() && !name.starts_with('_')).then_some(name)
        })
        .collect()
}
