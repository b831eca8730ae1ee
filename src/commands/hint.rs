//! `kata hint ID [N]`: one hint at a time. In a workspace, with no N, each call shows the next
//! hint not yet seen, and the count is recorded (`kata watch` shows the same count).

use anstream::println;

use crate::cli::HintArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::Globals;
use crate::style::{BOLD, DIM, paint};
use crate::words::count as count_of;
use crate::workspace::ProgressEvent;

pub(super) fn run(globals: &Globals, args: &HintArgs) -> Result<ExitStatus, Error> {
    let catalogue = globals.catalogue()?;
    let exercise = catalogue.get(&args.id)?;
    let count = exercise.hints.len();
    if count == 0 {
        println!("{} has no hints: the prompt says it all.", exercise.id);
        return Ok(ExitStatus::Success);
    }
    let workspace = globals.workspace()?;
    let number = match (args.number, workspace) {
        (Some(number), _) => number,
        (None, Some(workspace)) => {
            let shown = workspace.progress().load()?.hints_shown(&exercise.id) as usize;
            (shown + 1).min(count)
        }
        (None, None) => 1,
    };
    if number == 0 || number > count {
        return Err(Error::usage(
            format!(
                "{} has {}; there is no hint {number}",
                exercise.id,
                count_of(count, "hint", "hints")
            ),
            Some(format!("ask for a number from 1 to {count}")),
        ));
    }
    if let Some(workspace) = workspace {
        workspace.progress().record(&ProgressEvent::HintShown {
            id: exercise.id.clone(),
            count: number as u32,
        })?;
    }
    println!(
        "{}",
        paint(
            BOLD,
            format!("Hint {number} of {count} for {}", exercise.id)
        )
    );
    println!("{}", exercise.hints[number - 1].trim_end());
    if number < count {
        let next = if workspace.is_some() && args.number.is_none() {
            format!("kata hint {}", exercise.id)
        } else {
            format!("kata hint {} {}", exercise.id, number + 1)
        };
        println!("\n{}", paint(DIM, format!("Still stuck? `{next}`")));
    } else if workspace.is_some() {
        println!(
            "\n{}",
            paint(
                DIM,
                format!(
                    "That was the last hint. Still stuck? `kata solution {} --force` shows the answer.",
                    exercise.id
                )
            )
        );
    }
    Ok(ExitStatus::Success)
}
