//! The shard-report reader and `merge`: any bytes and any doctored report are read, refused
//! with a reason, or merged with totals that add up; never a panic or a wrapped sum.

use kata::report::ClassReport;
use kata::report::class::ReadError;
use proptest::prelude::*;
use serde_json::Value;

use crate::bounded;
use crate::report_writers::class;

/// Sets the number at a random place among the report's numbers to `value`.
fn doctor(json: &mut Value, at: usize, value: u64, seen: &mut usize) {
    match json {
        Value::Number(number) => {
            if *seen == at {
                *number = value.into();
            }
            *seen += 1;
        }
        Value::Array(items) => items.iter_mut().for_each(|v| doctor(v, at, value, seen)),
        Value::Object(map) => map.values_mut().for_each(|v| doctor(v, at, value, seen)),
        _ => {}
    }
}

proptest! {
    #[test]
    fn any_bytes_are_read_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = bounded("reading a report", || ClassReport::from_json(&text));
    }

    #[test]
    fn a_report_kata_wrote_reads_back_and_merges(class in class()) {
        let text = serde_json::to_string(&class).unwrap();
        let read = ClassReport::from_json(&text);
        prop_assert!(read.is_ok(), "{:?}", read.err());
        let merged = bounded("merging", || ClassReport::merge(vec![read.unwrap()]));
        // Duplicates (the same student and exercise twice) are refused; all else merges.
        if let Ok(merged) = merged {
            prop_assert_eq!(merged.summary, class.summary);
        }
    }

    #[test]
    fn a_doctored_report_is_refused_or_adds_up(
        class in class(),
        at in 0usize..64,
        value in prop_oneof![Just(u64::from(u32::MAX)), Just(u64::MAX), 0u64..20],
    ) {
        let mut json = serde_json::to_value(&class).unwrap();
        doctor(&mut json, at, value, &mut 0);
        let text = json.to_string();
        match bounded("reading a doctored report", || ClassReport::from_json(&text)) {
            Ok(read) => {
                // Whatever it says, the totals kata will use are the cases'.
                for submission in &read.submissions {
                    prop_assert!(submission.report.check_totals().is_ok());
                }
                let twice = ClassReport::merge(vec![read.clone(), read]);
                prop_assert!(twice.is_err() || class.submissions.is_empty());
            }
            Err(ReadError::NotAReport(why) | ReadError::Inconsistent(why)) => {
                prop_assert!(!why.is_empty());
            }
        }
    }
}

#[test]
fn points_that_overflow_together_are_refused() {
    let half = serde_json::json!({
        "schema_version": 1,
        "sandbox": "wasm",
        "summary": {"submissions": 1, "passed": 1, "failed": 0, "errors": 0,
                    "points": 4_000_000_000u32, "max_points": 4_000_000_000u32},
        "submissions": [{
            "student": "ada", "schema_version": 1, "exercise": "big", "title": "t",
            "sandbox": "wasm", "status": "pass", "verdict": "accepted",
            "points": 4_000_000_000u32, "max_points": 4_000_000_000u32,
            "passed": 1, "failed": 0,
            "cases": [{"name": "c", "hidden": false, "status": "pass", "verdict": "accepted",
                       "points": 4_000_000_000u32, "max_points": 4_000_000_000u32,
                       "kind": "call", "comparator": "exact", "time_ms": 1}]
        }],
        "problems": []
    });
    let first = ClassReport::from_json(&half.to_string()).unwrap();
    let mut other = half.clone();
    other["submissions"][0]["student"] = "ben".into();
    let second = ClassReport::from_json(&other.to_string()).unwrap();
    let error = ClassReport::merge(vec![first, second]).unwrap_err();
    assert!(error.contains("more than"), "{error}");

    // A case's points that exceed what the submission claims are caught on reading.
    let mut lying = half.clone();
    lying["submissions"][0]["points"] = 3.into();
    match ClassReport::from_json(&lying.to_string()) {
        Err(ReadError::Inconsistent(why)) => assert!(why.contains("`points` says 3"), "{why}"),
        other => panic!("a lying submission was accepted: {other:?}"),
    }
}
