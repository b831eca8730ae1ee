//! Pointing editors at the JSON Schema of the format.
//!
//! taplo (and VS Code's Even Better TOML, which runs it) reads a `#:schema PATH` comment on the
//! first line of a TOML file, with PATH relative to the file. In this repository the schema is
//! `docs/exercise.schema.json`, so `exercises/*.toml` say `#:schema ../docs/exercise.schema.json`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::exercise::schema;

/// Where a new file in `dir` should point: at the schema next to the exercises, or at this
/// repository's `docs/`, or (when neither exists) at a copy written next to the exercises now.
/// Returns the relative path, and the file written if one was.
pub(crate) fn schema_for(dir: &Path) -> io::Result<(String, Option<PathBuf>)> {
    let beside = dir.join("exercise.schema.json");
    if beside.is_file() {
        return Ok(("./exercise.schema.json".to_string(), None));
    }
    if dir.join("../docs/exercise.schema.json").is_file() {
        return Ok(("../docs/exercise.schema.json".to_string(), None));
    }
    fs::write(&beside, schema::json_schema_text())?;
    Ok(("./exercise.schema.json".to_string(), Some(beside)))
}
