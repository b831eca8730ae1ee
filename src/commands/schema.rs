//! `kata schema`: print the exercise format's JSON Schema, for editors.

use anstream::print;

use crate::cli::SchemaArgs;
use crate::error::Error;
use crate::exercise::schema;
use crate::exit::ExitStatus;

pub(super) fn run(_args: &SchemaArgs) -> Result<ExitStatus, Error> {
    print!("{}", schema::json_schema_text());
    Ok(ExitStatus::Success)
}
