//! The HTML class report, opened in a real browser: headless Chromium (Debian's `chromium`
//! package, which `.ci/run` installs) loads the page kata wrote for a small class with correct,
//! wrong, looping and syntax-error submissions and a student named to inject markup. The page
//! must load without a single console message (a script the escaping let through, or a style
//! the page's policy refused, would log one) and show a grid row per student.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::support::{HIDDEN_TOKEN, fixtures, kata};

/// A folder name that is an image tag with a script in it, should anything render it as HTML.
const HOSTILE: &str = "<img src=x onerror=alert(1)>";

/// (student, file, source) for every submission of the class.
const CLASS: [(&str, &str, &str); 8] = [
    ("ada", "echo.py", "def echo(value):\n    return value\n"),
    (
        "ada",
        "greeting.py",
        "name = input().strip()\nprint(f\"Hello, {name}!\")\n",
    ),
    ("bob", "echo.py", "def echo(value):\n    return None\n"),
    ("bob", "greeting.py", "print('Hello!')\n"),
    (
        "cy",
        "echo.py",
        "def echo(value):\n    while True:\n        pass\n",
    ),
    ("dee", "echo.py", "def echo(value)\n    return value\n"),
    (
        HOSTILE,
        "echo.py",
        "def echo(value):\n    return str(value)\n",
    ),
    (HOSTILE, "greeting.py", "print('Hello, Ada!')\n"),
];

const STUDENTS: usize = 5;

/// The class, graded once for every test here (each writes files of its own names).
struct Graded {
    dir: PathBuf,
}

impl Graded {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }
}

fn graded() -> &'static Graded {
    static GRADED: OnceLock<Graded> = OnceLock::new();
    GRADED.get_or_init(grade_class)
}

fn grade_class() -> Graded {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-report");
    let _ = std::fs::remove_dir_all(&dir);
    for (student, file, source) in CLASS {
        let folder = dir.join("class").join(student);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(file), source).unwrap();
    }
    let output = kata()
        .current_dir(&dir)
        .arg("--exercises")
        .arg(fixtures().join("exercises"))
        .args(["grade", "class", "--sandbox", "subprocess", "--quiet"])
        .args(["--html", "class.html", "--json", "class.json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "some submissions fail: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Graded { dir }
}

/// What headless Chromium made of a page: the DOM after loading, and every console message.
struct Loaded {
    dom: String,
    console: Vec<String>,
}

/// Opens `page` in headless Chromium and dumps its DOM once loaded. Fails, rather than skips,
/// when Chromium is not installed: the report's promise is that browsers show it.
fn open_in_chromium(page: &Path) -> Loaded {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            // Chromium's own sandbox refuses to start as root, as CI containers run.
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.display()))
        .env("HOME", profile.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium runs (Debian's `chromium` package; .ci/run installs it)");
    // A safety bound for a noisy machine, not a speed target.
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish loading {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "chromium failed on {}:\n{stderr}",
        page.display()
    );
    Loaded {
        dom: String::from_utf8(output.stdout).unwrap(),
        // Console messages are logged as `[...:INFO:CONSOLE:LINE] "message", source: URL`.
        console: stderr
            .lines()
            .filter(|line| line.contains(":CONSOLE"))
            .map(str::to_string)
            .collect(),
    }
}

#[test]
fn the_class_page_loads_cleanly_in_chromium_and_shows_every_student() {
    let graded = graded();
    let page = graded.read("class.html");
    let loaded = open_in_chromium(&graded.path("class.html"));

    assert!(
        loaded.console.is_empty(),
        "the page logged to the console:\n{}",
        loaded.console.join("\n")
    );
    let dom = &loaded.dom;
    assert_eq!(
        dom.matches("<tr class=\"student\">").count(),
        STUDENTS,
        "{dom}"
    );
    // The hostile name is text in the grid, not an image: there is no <img> in the page.
    assert!(!dom.contains("<img"), "{dom}");
    assert!(
        dom.contains("<th scope=\"row\">&lt;img src=x onerror=alert(1)&gt;</th>"),
        "{dom}"
    );
    // Each status is in the grid, in words.
    for cell in [
        "✓ pass",
        "✗ wrong answer",
        "✗ time limit exceeded",
        "✗ did not load",
        "– missing",
    ] {
        assert!(dom.contains(cell), "no `{cell}` cell:\n{dom}");
    }
    // dee's syntax error is said once, where it is, and her cases are counted as not run.
    assert_eq!(
        dom.matches("expected ':'").count(),
        2,
        "the message and the traceback:\n{dom}"
    );
    assert!(dom.contains("(line 1, column 16)"), "{dom}");
    assert!(
        dom.contains("3 cases not run: the submission did not load"),
        "{dom}"
    );
    // bob's visible failures open onto their diff; no hidden case shows more than its verdict.
    assert!(dom.contains("<span class=\"exp\">- 1</span>"), "{dom}");
    assert!(dom.contains("<span class=\"act\">+ None</span>"), "{dom}");
    assert!(dom.contains("the secret one <span class=\"hidden-case\">hidden case: verdict only"));
    assert!(
        !page.contains(HIDDEN_TOKEN),
        "a hidden input leaked:\n{page}"
    );
    // Self-contained: nothing to fetch, nothing to run.
    for outside in ["<link", "<script", "http://", "https://", "url("] {
        assert!(!page.contains(outside), "`{outside}` in the page:\n{page}");
    }
}

#[test]
fn the_console_check_sees_what_a_page_logs() {
    // The check above would pass vacuously if this Chromium logged nothing: a page that logs,
    // throws and breaks a content policy shows it does.
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("noisy.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><title>noisy</title></head><body>\
         <script>console.error('logged'); undefinedFunction();</script></body></html>",
    )
    .unwrap();
    let loaded = open_in_chromium(&page);
    let console = loaded.console.join("\n");
    assert!(console.contains("logged"), "{console}");
    assert!(console.contains("Uncaught ReferenceError"), "{console}");

    // kata's page, with a style attribute slipped in: its policy refuses it, and says so.
    let graded = graded();
    let tampered = graded
        .read("class.html")
        .replacen("<h1>", "<h1 style=\"color: red\">", 1);
    let page = dir.path().join("tampered.html");
    std::fs::write(&page, tampered).unwrap();
    let console = open_in_chromium(&page).console.join("\n");
    assert!(console.contains("Content Security Policy"), "{console}");
}

#[test]
fn the_page_from_the_json_report_is_the_page_grade_wrote() {
    let graded = graded();
    let output = kata()
        .current_dir(&graded.dir)
        .args(["report", "html", "class.json", "-o", "again.html"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(graded.read("again.html"), graded.read("class.html"));

    // `kata report merge --html` writes the same page for the merged class (exiting with the
    // class's status, as merge does).
    let output = kata()
        .current_dir(&graded.dir)
        .args(["report", "merge", "class.json", "--html", "merged.html"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(graded.read("merged.html"), graded.read("class.html"));

    // `-` writes the page to standard output.
    let output = kata()
        .current_dir(&graded.dir)
        .args(["report", "html", "class.json", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        graded.read("class.html")
    );
}

#[test]
fn a_doctored_report_is_refused_or_loses_its_hidden_details() {
    let graded = graded();
    let mut report: serde_json::Value = serde_json::from_str(&graded.read("class.json")).unwrap();
    // A hidden case given an input and a diff: the checked reader drops them.
    let hidden = report["submissions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|s| s["cases"].as_array_mut().unwrap())
        .find(|case| case["hidden"] == true)
        .unwrap();
    hidden["input"] = "doctored-input-5150".into();
    hidden["diff"] = "- doctored-input-5150".into();
    std::fs::write(graded.path("doctored.json"), report.to_string()).unwrap();
    let output = kata()
        .current_dir(&graded.dir)
        .args(["report", "html", "doctored.json", "-o", "doctored.html"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(!graded.read("doctored.html").contains("doctored-input-5150"));

    // Totals that do not add up, a file that is not a report, and a submission listed twice
    // are usage errors, and no page is written.
    report["summary"]["points"] = 1_000.into();
    std::fs::write(graded.path("inflated.json"), report.to_string()).unwrap();
    let mut twice: serde_json::Value = serde_json::from_str(&graded.read("class.json")).unwrap();
    let first = twice["submissions"][0].clone();
    let summary = &mut twice["summary"];
    for (field, add) in [
        ("submissions", 1),
        (first["status"].as_str().unwrap(), 1),
        ("points", first["points"].as_u64().unwrap()),
        ("max_points", first["max_points"].as_u64().unwrap()),
    ] {
        let field = match field {
            "pass" => "passed",
            "fail" => "failed",
            "error" => "errors",
            other => other,
        };
        summary[field] = (summary[field].as_u64().unwrap() + add).into();
    }
    twice["submissions"].as_array_mut().unwrap().push(first);
    std::fs::write(graded.path("twice.json"), twice.to_string()).unwrap();
    for (file, says) in [
        ("inflated.json", "does not add up"),
        ("class.html", "is not a kata class report"),
        ("twice.json", "more than one report"),
    ] {
        let output = kata()
            .current_dir(&graded.dir)
            .args(["report", "html", file, "-o", "refused.html"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{file}: {stderr}");
        assert!(stderr.contains(says), "{file}: {stderr}");
        assert!(!graded.path("refused.html").exists());
    }
}
