//! `kata sandbox status` tells the truth: what it says is active, a box shows from inside.

use serde_json::Value;

use super::host::{self, Setup};

fn status(setup: &Setup) -> (i32, Value, String) {
    let run = host::kata(setup, 0, &["sandbox", "status", "--format", "json"], &[]);
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|_| panic!("no JSON status (exit {}): {}", run.code, run.stderr));
    (run.code, report, run.stderr)
}

fn layer<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|layer| layer["name"] == name)
        .unwrap_or_else(|| panic!("no layer {name} in {report:#}"))
}

fn assert_verified(report: &Value, names: &[&str]) {
    for name in names {
        let layer = layer(report, name);
        assert_eq!(layer["state"], "active", "{name}: {layer}");
        assert_eq!(layer["verified"], true, "{name}: {layer}");
    }
}

fn assert_state(report: &Value, names: &[&str], state: &str) {
    for name in names {
        assert_eq!(layer(report, name)["state"], state, "{name}");
    }
}

const NAMESPACES: [&str; 5] = [
    "mount-namespace",
    "pid-namespace",
    "network-namespace",
    "ipc-namespace",
    "uts-namespace",
];
const ALWAYS: [&str; 7] = [
    "no-new-privs",
    "no-capabilities",
    "parent-death-signal",
    "rlimits",
    "process-cap",
    "seccomp",
    "landlock-exec",
];
const LANDLOCK: [&str; 3] = ["landlock-files", "landlock-network", "landlock-scope"];

#[test]
fn as_root_every_box_gets_namespaces_and_its_own_uid() {
    let _serial = host::serial();
    let (code, report, stderr) = status(&host::ROOT);
    assert_eq!(code, 0, "{report:#} {stderr}");
    assert_eq!(report["root"], true);
    assert_verified(&report, &NAMESPACES);
    assert_verified(&report, &ALWAYS);
    assert_verified(&report, &["box-uid"]);
    assert_state(&report, &["user-namespace"], "not-needed");
    assert_state(&report, &LANDLOCK, "not-needed");
    // kata never creates cgroups (on this project's machines they are v1, owned by init).
    assert_state(&report, &["cgroups"], "missing");
    assert_eq!(report["grade_allowed"], true);
}

#[test]
fn an_unprivileged_grader_gets_a_user_namespace() {
    let _serial = host::serial();
    let (code, report, stderr) = status(&host::USER_NAMESPACE);
    assert_eq!(code, 0, "{report:#} {stderr}");
    assert_eq!(report["root"], false);
    assert_verified(&report, &["user-namespace"]);
    assert_verified(&report, &NAMESPACES);
    assert_verified(&report, &ALWAYS);
    assert_state(&report, &["box-uid"], "not-needed");
    assert_eq!(report["grade_allowed"], true);
}

#[test]
fn without_namespaces_landlock_takes_over_and_grading_is_refused() {
    let _serial = host::serial();
    let (code, report, stderr) = status(&host::LANDLOCK);
    assert_eq!(code, 0, "{report:#} {stderr}");
    for name in NAMESPACES.iter().chain(&["user-namespace", "box-uid"]) {
        let layer = layer(&report, name);
        assert_eq!(layer["state"], "missing", "{name}");
        let detail = layer["detail"].as_str().unwrap();
        assert!(!detail.is_empty(), "{name} says why it is missing");
    }
    assert!(
        layer(&report, "pid-namespace")["detail"]
            .as_str()
            .unwrap()
            .contains("KATA_ISOLATION=landlock")
    );
    assert_verified(&report, &ALWAYS);
    assert_verified(&report, &LANDLOCK);
    assert_eq!(report["grade_allowed"], false);
    assert_eq!(
        report["grade_missing"],
        serde_json::json!([
            "box-uid",
            "mount-namespace",
            "pid-namespace",
            "network-namespace",
            "ipc-namespace"
        ])
    );
}

#[test]
fn the_human_report_names_every_layer_and_the_grading_decision() {
    let _serial = host::serial();
    let run = host::kata(&host::LANDLOCK, 0, &["sandbox", "status"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in NAMESPACES.iter().chain(&ALWAYS).chain(&LANDLOCK) {
        assert!(
            run.stdout.contains(name),
            "{name} missing from:\n{}",
            run.stdout
        );
    }
    assert!(
        run.stdout
            .contains("mode forced by KATA_ISOLATION=landlock")
    );
    assert!(
        run.stdout
            .contains("kata grade: refused without --allow-weak-sandbox")
    );
}

#[test]
fn a_bad_isolation_override_is_a_usage_error() {
    let _serial = host::serial();
    let run = host::kata(
        &host::ROOT,
        0,
        &["sandbox", "status"],
        &[("KATA_ISOLATION", "none")],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("KATA_ISOLATION=\"none\" is not one of auto, landlock, off")
    );
}

#[test]
fn grading_in_a_weak_sandbox_needs_consent_and_names_what_is_missing() {
    let _serial = host::serial();
    let space = host::workspace();
    let class = space.dir.join("weak-class");
    std::fs::create_dir_all(&class).unwrap();
    let exercises = space.exercises.to_str().unwrap();
    let grade = |extra: &[&str]| {
        let mut args = vec![
            "--exercises",
            exercises,
            "grade",
            class.to_str().unwrap(),
            "--sandbox",
            "subprocess",
        ];
        args.extend(extra);
        host::kata(&host::LANDLOCK, 0, &args, &[])
    };
    let refused = grade(&[]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("mount-namespace") && refused.stderr.contains("help:"),
        "{}",
        refused.stderr
    );
    let allowed = grade(&["--allow-weak-sandbox"]);
    assert!(
        allowed
            .stderr
            .contains("warning: grading without: box-uid, mount-namespace"),
        "{}",
        allowed.stderr
    );
    assert_ne!(allowed.code, 2, "{}", allowed.stderr);
}
