//! `kata hint ID [N]`: one hint at a time.

use anstream::println;

use crate::cli::HintArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::report::terminal::{BOLD, DIM, paint};
use crate::settings::Globals;

pub fn run(globals: &Globals, args: &HintArgs) -> Result<ExitStatus, Error> {
    let catalogue = globals.catalogue()?;
    let exercise = catalogue.get(&args.id)?;
    let count = exercise.hints.len();
    if count == 0 {
        println!("{} has no hints: the prompt says it all.", exercise.id);
        return Ok(ExitStatus::Success);
    }
    if args.number == 0 || args.number > count {
        return Err(Error::usage(
            format!(
                "{} has {count} hint(s); there is no hint {}",
                exercise.id, args.number
            ),
            Some(format!("ask for a number from 1 to {count}")),
        ));
    }
    println!(
        "{}",
        paint(
            BOLD,
            format!("Hint {} of {count} for {}", args.number, exercise.id)
        )
    );
    println!("{}", exercise.hints[args.number - 1].trim_end());
    if args.number < count {
        println!(
            "\n{}",
            paint(
                DIM,
                format!(
                    "Still stuck? `kata hint {} {}`",
                    exercise.id,
                    args.number + 1
                )
            )
        );
    }
    Ok(ExitStatus::Success)
}
