use super::*;
use crate::value::{Value, repr};

fn framed(json: &str) -> Vec<u8> {
    format!("KATA-FRAME 1 {}\n{json}", json.len()).into_bytes()
}

#[test]
fn decodes_a_value_frame() {
    let frame = parse(&framed(
        r#"{"protocol":1,"status":"ok","value":{"l":[{"i":"1"},null]},"stdout":"hi\n","stderr":""}"#,
    ))
    .unwrap();
    match frame.outcome {
        HarnessOutcome::Finished(Finished::Returned(value)) => {
            assert_eq!(repr(&value), "[1, None]")
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(frame.stdout, "hi\n");
}

#[test]
fn a_returned_none_is_a_value() {
    let frame = parse(&framed(r#"{"protocol":1,"status":"ok","value":null}"#)).unwrap();
    assert!(matches!(
        frame.outcome,
        HarnessOutcome::Finished(Finished::Returned(Value::None))
    ));
    let frame = parse(&framed(r#"{"protocol":1,"status":"ok"}"#)).unwrap();
    assert!(matches!(
        frame.outcome,
        HarnessOutcome::Finished(Finished::Printed)
    ));
}

#[test]
fn decodes_an_exception_frame() {
    let frame = parse(&framed(
        r#"{"protocol":1,"status":"exception","phase":"case","exception":{"types":["KeyError","LookupError","Exception","BaseException"],"message":"5","traceback":"KeyError: 5"}}"#,
    ))
    .unwrap();
    match frame.outcome {
        HarnessOutcome::Raised { phase, exception } => {
            assert_eq!(phase, Phase::Case);
            assert_eq!(exception.class_name(), "KeyError");
            assert_eq!(exception.message.as_deref(), Some("5"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn fails_closed_on_anything_but_one_exact_frame() {
    let good = framed(r#"{"protocol":1,"status":"ok"}"#);
    assert!(parse(&good).is_ok());
    assert!(matches!(parse(b""), Err(FrameError::Missing)));
    let mut twice = good.clone();
    twice.extend_from_slice(&good);
    let cases: Vec<Vec<u8>> = vec![
        twice,
        good[..good.len() - 1].to_vec(),
        b"KATA-FRAME 1 5\nhello".to_vec(),
        b"PASS\n".to_vec(),
        b"KATA-FRAME 1 -1\n".to_vec(),
        b"KATA-FRAME 1 99999999999999999999999999\n".to_vec(),
        framed(r#"{"protocol":2,"status":"ok"}"#),
        framed(r#"{"protocol":1,"status":"accepted"}"#),
        framed(r#"{"protocol":1,"status":"ok","value":{"x":1}}"#),
    ];
    for bytes in cases {
        let result = parse(&bytes);
        assert!(
            matches!(result, Err(FrameError::Malformed(_))),
            "{:?} gave {result:?}",
            String::from_utf8_lossy(&bytes)
        );
    }
}

fn handed_over(json: &str) -> Vec<u8> {
    let mut bytes = HANDOVER.to_vec();
    bytes.extend(framed(json));
    bytes
}

#[test]
fn failures_of_kata_are_believed_only_before_the_handover() {
    let syntax = r#"{"protocol":1,"status":"syntax-error","type":"SyntaxError","message":"m"}"#;
    assert!(matches!(
        parse(&framed(syntax)).unwrap().outcome,
        HarnessOutcome::SyntaxError(_)
    ));
    assert!(matches!(
        parse(&handed_over(syntax)),
        Err(FrameError::Malformed(_))
    ));
    for status in ["harness-error", "setup-error"] {
        let json = format!(r#"{{"protocol":1,"status":"{status}","message":"m"}}"#);
        let before = parse(&framed(&json)).unwrap();
        assert!(matches!(
            before.outcome,
            HarnessOutcome::HarnessError { .. } | HarnessOutcome::SetupError { .. }
        ));
        assert!(matches!(
            parse(&handed_over(&json)),
            Err(FrameError::Malformed(_))
        ));
    }
    let ok = r#"{"protocol":1,"status":"ok","value":null}"#;
    assert!(parse(&handed_over(ok)).is_ok());
    // A forged second mark, or a mark and nothing else (the candidate closed the channel).
    let mut twice = HANDOVER.to_vec();
    twice.extend(handed_over(ok));
    assert!(matches!(parse(&twice), Err(FrameError::Malformed(_))));
    assert!(matches!(parse(HANDOVER), Err(FrameError::Missing)));
}

#[test]
fn names_and_paths_become_checked_types() {
    let frame = parse(&framed(
        r#"{"protocol":1,"status":"bad-value","type":"Point","path":"$[0]"}"#,
    ))
    .unwrap();
    let HarnessOutcome::Finished(Finished::BadValue { type_name, path }) = frame.outcome else {
        panic!("not a bad value")
    };
    assert_eq!(
        (type_name.as_str(), path.subscripts()),
        ("Point", Some("[0]"))
    );
    for bad in [
        r#"{"protocol":1,"status":"bad-value","type":"x","path":""}"#,
        r#"{"protocol":1,"status":"bad-value","type":"","path":"$"}"#,
        r#"{"protocol":1,"status":"bad-value","type":"x"}"#,
        r#"{"protocol":1,"status":"output-limit","stream":"the disk"}"#,
        r#"{"protocol":1,"status":"exception","phase":"case"}"#,
    ] {
        assert!(
            matches!(parse(&framed(bad)), Err(FrameError::Malformed(_))),
            "{bad}"
        );
    }
}

#[test]
fn entry_notes_are_checked_names() {
    let frame = parse(&framed(
        r#"{"protocol":1,"status":"ok","value":null,"via":"Solution().threeSum","shadowed":["TreeNode"]}"#,
    ))
    .unwrap();
    assert_eq!(frame.notes.via.as_deref(), Some("Solution().threeSum"));
    assert_eq!(frame.notes.shadowed, ["TreeNode"]);
    let missing = r#"{"protocol":1,"status":"exception","phase":"import","missing_entry":"three_sum","exception":{"types":["NameError"],"message":"m"}}"#;
    assert_eq!(
        parse(&framed(missing))
            .unwrap()
            .notes
            .missing_entry
            .as_deref(),
        Some("three_sum")
    );
    for bad in [
        r#"{"protocol":1,"status":"ok","via":"x\ny"}"#,
        r#"{"protocol":1,"status":"ok","via":"Solution().a b"}"#,
        r#"{"protocol":1,"status":"ok","shadowed":["Tree Node"]}"#,
        r#"{"protocol":1,"status":"ok","missing_entry":"f"}"#,
    ] {
        assert!(
            matches!(parse(&framed(bad)), Err(FrameError::Malformed(_))),
            "{bad}"
        );
    }
}
