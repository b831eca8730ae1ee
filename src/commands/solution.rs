//! `kata solution ID`: the reference solution, once the learner's own has passed (recorded in
//! the workspace), or with `--force` and a warning.

use anstream::{eprintln, print, println};

use crate::cli::SolutionArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::Globals;
use crate::style::{YELLOW, paint};
use crate::workspace::Status;

pub(super) fn run(globals: &Globals, args: &SolutionArgs) -> Result<ExitStatus, Error> {
    let catalogue = globals.catalogue()?;
    let exercise = catalogue.get(&args.id)?;
    let solved = match globals.workspace()? {
        Some(workspace) => workspace.progress().load()?.status(&exercise.id) == Status::Solved,
        None => false,
    };
    if !solved && !args.force {
        let (message, help) = if globals.workspace()?.is_some() {
            (
                format!("you have not solved {} yet", exercise.id),
                format!(
                    "the solution is shown once your own passes; stuck? `kata hint {}`, or add --force to see it anyway",
                    exercise.id
                ),
            )
        } else {
            (
                format!(
                    "kata cannot tell whether you solved {}: that is recorded in a workspace",
                    exercise.id
                ),
                "solve it inside a workspace (`kata init`), or add --force to see it anyway"
                    .to_string(),
            )
        };
        return Err(Error::usage(message, Some(help)));
    }
    if !solved {
        eprintln!(
            "{} showing the solution to {} before your own has passed; reading it is easier \
             than writing it, so try it yourself again tomorrow",
            paint(YELLOW, "warning:"),
            exercise.id
        );
    }
    // A Python comment, so the output can be saved and run as it is.
    println!("# Reference solution: {} ({})", exercise.id, exercise.title);
    print!("{}", exercise.reference.trim_start_matches('\n'));
    if !exercise.reference.ends_with('\n') {
        println!();
    }
    Ok(ExitStatus::Success)
}
