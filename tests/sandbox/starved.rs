//! A busy machine cannot turn a case's wall-clock limit into a time verdict: the CPU limit
//! decides, and the wall limit only stops a case that sleeps or blocks.
//!
//! The load is made real and the same on every machine: kata and two busy-looping hogs are
//! pinned to one CPU, so a case gets about a third of it. A solution that needs 80 % of its
//! 1 s CPU limit then needs about 2.5 s, over its 2 s wall limit, to finish, and one that spins
//! forever reaches its CPU limit after about 3 s, within the 4 s the wall limit can stretch to.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use super::host::{self, Setup};
use crate::cpu_zero::{Hogs, on_cpu_zero};

const EXERCISE: &str = r#"
format = 1
title = "Starved"
difficulty = "easy"
prompt = "Return 'done'."
starter = '''
def work():
    pass
'''
reference = '''
def work():
    return 'done'
'''

[limits]
cpu_ms = 1000
wall_ms = 2000
memory_mb = 128
output_kb = 64

[[case]]
name = "work"
call = "work()"
expect = "'done'"
"#;

/// Uses 80 % of the CPU limit, then answers.
const STEADY: &str = "# kata: starved
import time
def work():
    while time.process_time() < 0.8:
        pass
    return 'done'
";

const SLEEPER: &str = "# kata: starved
import time
def work():
    time.sleep(30)
    return 'done'
";

const SPINNER: &str = "# kata: starved
def work():
    while True:
        pass
";

#[test]
fn a_starved_case_is_judged_by_its_cpu_time_as_root() {
    judged_by_cpu_time(&host::ROOT);
}

#[test]
fn a_starved_case_is_judged_by_its_cpu_time_unprivileged() {
    judged_by_cpu_time(&host::USER_NAMESPACE);
}

#[test]
fn a_starved_case_is_judged_by_its_cpu_time_without_namespaces() {
    judged_by_cpu_time(&host::LANDLOCK);
}

#[test]
fn a_starved_case_is_judged_by_its_cpu_time_without_isolation() {
    judged_by_cpu_time(&Setup {
        name: "subprocess (no isolation)",
        env: &[("KATA_ISOLATION", "off")],
        ..host::ROOT
    });
}

fn judged_by_cpu_time(setup: &Setup) {
    let _serial = host::serial();
    let dir = files();
    let _hogs = Hogs::start(2);
    let check = |solution: &str| {
        let file = dir.join(solution);
        let mut command = host::command(
            setup,
            0,
            &[
                "--exercises",
                &dir.to_string_lossy(),
                "check",
                &file.to_string_lossy(),
            ],
            &[],
        );
        on_cpu_zero(&mut command);
        let output = command.output().expect("kata runs");
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        (output.status.code(), text)
    };

    let (code, text) = check("steady.py");
    assert_eq!(
        code,
        Some(0),
        "{}: steady.py was not accepted:\n{text}",
        setup.name
    );

    let (code, text) = check("sleeper.py");
    assert_eq!(code, Some(1), "{}: sleeper.py:\n{text}", setup.name);
    assert!(
        text.contains("time limit exceeded") && text.contains("wall-clock"),
        "{}: a sleeping case is stopped by the wall clock, and told so:\n{text}",
        setup.name
    );

    let (code, text) = check("spinner.py");
    assert_eq!(code, Some(1), "{}: spinner.py:\n{text}", setup.name);
    assert!(
        text.contains("time limit exceeded") && text.contains("of CPU time"),
        "{}: a spinning case is stopped by its CPU limit, and told so:\n{text}",
        setup.name
    );
}

/// The exercise and the three solutions, readable by the unprivileged test users.
fn files() -> PathBuf {
    let dir = host::workspace().dir.join("starved");
    fs::create_dir_all(&dir).unwrap();
    for (name, text) in [
        ("starved.toml", EXERCISE),
        ("steady.py", STEADY),
        ("sleeper.py", SLEEPER),
        ("spinner.py", SPINNER),
    ] {
        let path = dir.join(name);
        fs::write(&path, text).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    }
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    dir
}
