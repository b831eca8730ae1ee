//! Growth cases on the wasm sandbox, counted in fuel: the same points on every run.

use std::path::{Path, PathBuf};

use super::{check_with, text};

fn exercises() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/growth")
}

/// The fixture's reference and its known-slow solution, shared with the other sandbox's suite.
const LINEAR: &str = include_str!("../fixtures/growth/linear.py");
const QUADRATIC: &str = include_str!("../fixtures/growth/quadratic.py");

fn growth_case(source: &str) -> serde_json::Value {
    let (report, output) = check_with(&exercises(), "tally", source, "wasm");
    assert_eq!(text(&report["sandbox"]), "wasm");
    assert_ne!(output.status.code(), Some(3), "{report:#}");
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|case| case["name"] == "grows linearly")
        .unwrap()
        .clone()
}

#[test]
fn a_linear_solution_passes_by_fuel() {
    let case = growth_case(LINEAR);
    assert_eq!(text(&case["verdict"]), "accepted", "{case:#}");
    let growth = &case["growth"];
    assert_eq!(growth["counter"], "fuel");
    let exponent = growth["exponent"].as_f64().unwrap();
    assert!((0.8..1.3).contains(&exponent), "{growth}");
}

#[test]
fn a_quadratic_solution_fails_by_fuel_with_the_same_points_every_time() {
    let case = growth_case(QUADRATIC);
    assert_eq!(text(&case["verdict"]), "time-limit-exceeded", "{case:#}");
    let message = text(&case["message"]);
    assert!(
        message.starts_with("cost grows like n^")
            && message.ends_with("(fuel); this exercise asks for n or better"),
        "{message}"
    );
    let exponent = case["growth"]["exponent"].as_f64().unwrap();
    assert!((1.7..2.3).contains(&exponent), "{case:#}");
    // Fuel is exact: a second run measures the same costs.
    let again = growth_case(QUADRATIC);
    assert_eq!(again["growth"]["points"], case["growth"]["points"]);
}
