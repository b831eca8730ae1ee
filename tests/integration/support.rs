//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The hidden case of `tests/fixtures/exercises/echo.toml` uses this input: it must never appear
/// in any report.
pub(crate) const HIDDEN_TOKEN: &str = "hidden-input-7731";

/// `kata`, with no colour and none of the user's kata environment.
pub(crate) fn kata() -> Command {
    let mut command = Command::cargo_bin("kata").expect("the kata binary is built");
    command
        .env("NO_COLOR", "1")
        .env_remove("KATA_EXERCISES")
        .env_remove("KATA_PYTHON")
        .env_remove("CLICOLOR_FORCE");
    command
}

pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub(crate) fn submission(name: &str) -> PathBuf {
    fixtures().join("submissions").join(name)
}

/// The result of one `kata check`.
pub(crate) struct Checked {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Checked {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// (case name, verdict) for every case.
    pub(crate) fn verdicts(&self) -> Vec<(String, String)> {
        self.json()["cases"]
            .as_array()
            .expect("cases is an array")
            .iter()
            .map(|case| {
                (
                    case["name"].as_str().unwrap().to_string(),
                    case["verdict"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    pub(crate) fn case(&self, name: &str) -> Value {
        self.json()["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|case| case["name"] == name)
            .unwrap_or_else(|| panic!("no case named {name}"))
            .clone()
    }
}

/// `kata check` of a fixture submission against the fixture exercises, as JSON or for people.
pub(crate) fn check(file: &str, format: &str) -> Checked {
    check_path(
        &submission(file),
        format,
        &[
            "--exercises",
            fixtures().join("exercises").to_str().unwrap(),
        ],
    )
}

pub(crate) fn check_path(path: &Path, format: &str, extra: &[&str]) -> Checked {
    let output = kata()
        .args(extra)
        .arg("check")
        .arg(path)
        .args(["--format", format])
        .output()
        .expect("kata runs");
    Checked {
        status: output.status.code().expect("kata exits normally"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}

/// Redactions for snapshots: timings and paths vary between runs and machines.
pub(crate) fn redactions() -> Vec<(String, &'static str)> {
    vec![
        (regex_escape(env!("CARGO_MANIFEST_DIR")), "[REPO]"),
        (r"\d+ ms".to_string(), "[TIME]"),
        // Wherever TMPDIR points, not only /tmp: the tests' files live in the temp folder.
        (
            format!(
                r"{}/[^\s/]+",
                regex_escape(std::env::temp_dir().to_string_lossy().trim_end_matches('/'))
            ),
            "[TMP]",
        ),
        (r"kata-box-\w+".to_string(), "kata-box-[ID]"),
    ]
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

/// Every process whose command line contains `marker`.
pub(crate) fn processes_with(marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc")
        .expect("/proc is readable")
        .flatten()
    {
        let name = entry.file_name();
        if !name.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if cmdline.contains(marker) {
                found.push(format!("{}: {cmdline}", name.to_string_lossy()));
            }
        }
    }
    found
}

/// Jenkins' JUnit schema (junit-10.xsd), as `.ci/junit-xsd` installs it. The first test that
/// needs it runs that script when the schema is not there yet, so a plain `cargo test` on a
/// fresh clone needs only `xmllint` and pip.
pub(crate) fn junit_xsd() -> PathBuf {
    static FETCH: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let path = match std::env::var_os("KATA_JUNIT_XSD") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/junit-xsd/junit-10.xsd"),
    };
    let _one_at_a_time = FETCH
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !path.is_file() {
        let status = std::process::Command::new("bash")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/junit-xsd"))
            .env("KATA_JUNIT_XSD", &path)
            .status()
            .expect("bash runs .ci/junit-xsd");
        assert!(
            status.success(),
            "`bash .ci/junit-xsd` could not fetch Jenkins' JUnit schema to {} (it needs pip)",
            path.display()
        );
    }
    path
}

/// Validates a JUnit file against Jenkins' schema with libxml2's validator; the error is
/// xmllint's own report.
pub(crate) fn validate_junit(file: &Path) -> Result<(), String> {
    let output = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(junit_xsd())
        .arg(file)
        .output()
        .expect("xmllint runs (Debian's libxml2-utils; .ci/run installs it)");
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}
