//! Finding a class's submissions in a directory.
//!
//! Two layouts, mixed freely:
//! - `DIR/<student>/<exercise>.py`, where the file name is the exercise id (`lru-cache.py`, or
//!   `lru_cache.py` as `kata start` names it);
//! - any `.py` file under `DIR` whose first line is `# kata: <exercise>`; the student is the
//!   first folder under `DIR` on its path.
//!
//! Nothing is skipped silently: a Python file that names no known exercise, a file outside any
//! student folder, a second submission for the same exercise, a symlink or a huge file is
//! reported as a [`Problem`]. Symlinks are never followed, so a submission folder cannot make
//! kata read files outside `DIR`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::submission::{exercise_from_file_name, exercise_header};

/// Larger files are not submissions anyone wrote by hand.
const MAX_SUBMISSION_BYTES: u64 = 1 << 20;

/// One submission to grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub student: String,
    pub exercise: String,
    /// The file, as a path under the graded directory (for reports and annotations).
    pub path: PathBuf,
    pub source: String,
}

/// A file that was looked at and not graded, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

/// Everything found under a directory: submissions sorted by (student, exercise), and problems
/// sorted by path.
#[derive(Debug, Default)]
pub struct Discovery {
    pub submissions: Vec<Found>,
    pub problems: Vec<Problem>,
}

/// Walks `root` for submissions to the exercises in `known` (ids).
pub fn discover(root: &Path, known: &[&str]) -> std::io::Result<Discovery> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    walk(root, &mut files, &mut problems)?;
    files.sort();
    let mut discovery = Discovery::default();
    for path in files {
        let shown = path.display().to_string();
        let relative = path.strip_prefix(root).unwrap_or(&path);
        let mut components = relative.components();
        let student = match (components.next(), components.next()) {
            (Some(first), Some(_)) => first.as_os_str().to_string_lossy().into_owned(),
            _ => {
                problems.push(Problem {
                    path: shown,
                    message: "not inside a student's folder: put it in <dir>/<student>/".into(),
                });
                continue;
            }
        };
        let size = fs::symlink_metadata(&path)?.len();
        if size > MAX_SUBMISSION_BYTES {
            problems.push(Problem {
                path: shown,
                message: format!("{size} bytes is too large for a submission (the limit is 1 MiB)"),
            });
            continue;
        }
        let source = String::from_utf8_lossy(&fs::read(&path)?).into_owned();
        let from_header = exercise_header(&source).map(str::to_string);
        let stem = exercise_from_file_name(&path).unwrap_or_default();
        let exercise = from_header.clone().unwrap_or(stem);
        if !known.contains(&exercise.as_str()) {
            let message = match from_header {
                Some(id) => format!("its `# kata: {id}` line names no known exercise"),
                None => format!(
                    "`{exercise}` is not a known exercise: name the file after one, or start it with `# kata: ID`"
                ),
            };
            problems.push(Problem {
                path: shown,
                message,
            });
            continue;
        }
        if let Some(first) = discovery
            .submissions
            .iter()
            .find(|found| found.student == student && found.exercise == exercise)
        {
            problems.push(Problem {
                path: shown,
                message: format!(
                    "a second submission of `{exercise}` by {student}; grading `{}` only",
                    first.path.display()
                ),
            });
            continue;
        }
        discovery.submissions.push(Found {
            student,
            exercise,
            path,
            source,
        });
    }
    discovery
        .submissions
        .sort_by(|a, b| (&a.student, &a.exercise).cmp(&(&b.student, &b.exercise)));
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    discovery.problems = problems;
    Ok(discovery)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) -> std::io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "__pycache__" {
            continue;
        }
        // `file_type` does not follow symlinks.
        let file_type = entry.file_type()?;
        if file_type.is_symlink() {
            if name.ends_with(".py") || path.is_dir() {
                problems.push(Problem {
                    path: path.display().to_string(),
                    message: "a symlink: kata does not follow links out of the graded directory"
                        .into(),
                });
            }
        } else if file_type.is_dir() {
            walk(&path, files, problems)?;
        } else if file_type.is_file() && name.ends_with(".py") {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn finds_both_layouts_and_reports_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "alice/lru_cache.py", "class LRUCache: pass\n");
        write(root, "alice/three-sum.py", "def three_sum(n): return []\n");
        write(
            root,
            "bob/work/week1/solution.py",
            "# kata: three-sum\ndef three_sum(n): return []\n",
        );
        write(root, "bob/notes.py", "print('scratch')\n");
        write(root, "bob/other.py", "# kata: three-sum\n");
        write(root, "loose.py", "# kata: lru-cache\n");
        write(root, "carol/.hidden/x.py", "# kata: lru-cache\n");
        write(root, "carol/readme.txt", "not python");
        std::os::unix::fs::symlink("/etc", root.join("carol/etc")).unwrap();

        let discovery = discover(root, &["lru-cache", "three-sum"]).unwrap();
        let found: Vec<(&str, &str)> = discovery
            .submissions
            .iter()
            .map(|f| (f.student.as_str(), f.exercise.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("alice", "lru-cache"),
                ("alice", "three-sum"),
                ("bob", "three-sum")
            ]
        );
        let problems: Vec<(String, &str)> = discovery
            .problems
            .iter()
            .map(|p| {
                let relative = Path::new(&p.path)
                    .strip_prefix(root)
                    .unwrap()
                    .display()
                    .to_string();
                (relative, p.message.as_str())
            })
            .collect();
        let expected = [
            ("bob/notes.py", "`notes` is not a known exercise"),
            (
                "bob/work/week1/solution.py",
                "a second submission of `three-sum` by bob",
            ),
            ("carol/etc", "a symlink"),
            ("loose.py", "not inside a student's folder"),
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:?}");
        for ((path, message), (expected_path, expected_start)) in problems.iter().zip(expected) {
            assert_eq!(path, expected_path);
            assert!(message.starts_with(expected_start), "{path}: {message}");
        }
    }
}
