//! Property tests of the frame boundary: the frame parser, the value decoder and the
//! Python-literal parser take any bytes without panicking, in time bounded by their size.
//!
//! `cargo test --test properties frame_boundary` runs each property over 256 inputs (proptest's default).
//! The long run is documented in docs/security.md:
//! `PROPTEST_CASES=100000 cargo test --release --test properties frame_boundary`.

use std::time::{Duration, Instant};

use proptest::prelude::*;

use kata::runner::protocol;
use kata::value::{literal, repr, wire};

/// Generous: every input here is at most a few kilobytes; a panic-free but quadratic or
/// looping parser would blow through this, a noisy machine would not.
const BOUND: Duration = Duration::from_secs(2);

fn timed<T>(what: &str, input: &[u8], f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    let took = started.elapsed();
    assert!(
        took < BOUND,
        "{what} took {took:?} on {} bytes: {:?}",
        input.len(),
        String::from_utf8_lossy(input)
    );
    out
}

fn framed(body: &[u8], handover: bool) -> Vec<u8> {
    let mut out = if handover {
        protocol::HANDOVER.to_vec()
    } else {
        Vec::new()
    };
    out.extend_from_slice(format!("KATA-FRAME 1 {}\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}

/// Encoded values of every tag, nested, with some malformed leaves mixed in.
fn wire_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value as Json, json};
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(|i| json!({"i": i.to_string()})),
        "-?[0-9]{0,30}".prop_map(|digits| json!({"i": digits})),
        any::<f64>().prop_map(|f| json!({"f": format!("{f:?}")})),
        "[a-z0-9.e+-]{0,8}".prop_map(|text| json!({"f": text})),
        ".{0,20}".prop_map(|text| json!({"s": text})),
        "[0-9a-fA-Fg]{0,9}".prop_map(|hex| json!({"b": hex})),
        any::<i32>().prop_map(|i| json!(i)),
        ".{0,6}".prop_map(|key| json!({key: null})),
    ];
    leaf.prop_recursive(6, 200, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(|items| json!({"l": items})),
            prop::collection::vec(inner.clone(), 0..8).prop_map(|items| json!({"t": items})),
            prop::collection::vec(inner.clone(), 0..8).prop_map(|items| json!({"set": items})),
            prop::collection::vec(inner.clone(), 0..8).prop_map(|items| json!({"fs": items})),
            prop::collection::vec((inner.clone(), inner.clone()), 0..8).prop_map(|pairs| {
                let pairs: Vec<_> = pairs.into_iter().map(|(k, v)| json!([k, v])).collect();
                json!({"d": pairs})
            }),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|items| json!({"d": [items]})),
            (inner.clone(), inner).prop_map(|(a, b)| json!({"l": [a], "t": [b]})),
        ]
    })
}

/// Frame bodies of every status, with fields present, missing or of the wrong type.
fn frame_body() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    let status = prop_oneof![
        Just("ok"),
        Just("exception"),
        Just("syntax-error"),
        Just("bad-value"),
        Just("output-limit"),
        Just("exit"),
        Just("setup-error"),
        Just("harness-error"),
        Just("accepted"),
    ];
    let text = prop_oneof![
        Just(json!(null)),
        ".{0,12}".prop_map(|t| json!(t)),
        Just(json!(7))
    ];
    (
        status,
        prop::option::of(wire_json()),
        text.clone(),
        text.clone(),
        text,
        prop_oneof![Just(1), Just(2), any::<u32>()],
    )
        .prop_map(|(status, value, a, b, c, protocol)| {
            let mut body = json!({
                "protocol": protocol, "status": status,
                "type": a, "path": b, "message": c.clone(), "stream": c,
                "phase": "case", "exit_code": 3,
                "exception": {"types": ["KeyError"], "message": "m"},
            });
            if let Some(value) = value {
                body["value"] = value;
            }
            body
        })
}

proptest! {
    #[test]
    fn the_frame_parser_takes_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = timed("parse", &bytes, || protocol::parse(&bytes));
    }

    #[test]
    fn the_frame_parser_takes_any_body_behind_a_good_header(
        body in prop::collection::vec(any::<u8>(), 0..512),
        handover in any::<bool>(),
    ) {
        let bytes = framed(&body, handover);
        let _ = timed("parse", &bytes, || protocol::parse(&bytes));
    }

    #[test]
    fn the_frame_parser_takes_any_structured_frame(body in frame_body(), handover in any::<bool>()) {
        let bytes = framed(body.to_string().as_bytes(), handover);
        let parsed = timed("parse", &bytes, || protocol::parse(&bytes));
        // After the handover, nothing may claim a failure of kata or of the exercise.
        if handover && let Ok(frame) = &parsed {
            let claims_kata_failed = matches!(
                frame.outcome,
                protocol::HarnessOutcome::SetupError { .. } | protocol::HarnessOutcome::HarnessError { .. }
            );
            prop_assert!(!claims_kata_failed, "a failure of kata claimed after the handover");
        }
    }

    #[test]
    fn both_value_decoders_agree_on_any_encoding(json in wire_json()) {
        let text = json.to_string();
        let tree = timed("decode", text.as_bytes(), || wire::decode(&json));
        let streamed: Result<wire::Decoded, _> =
            timed("decode", text.as_bytes(), || serde_json::from_str(&text));
        match (tree, streamed) {
            (Ok(a), Ok(b)) => prop_assert_eq!(repr(&a), repr(&b.0)),
            (Err(_), Err(_)) => {}
            (a, b) => prop_assert!(false, "{text}: tree {a:?}, streamed {b:?}"),
        }
    }

    #[test]
    fn decoded_values_round_trip_through_encoding(json in wire_json()) {
        if let Ok(value) = wire::decode(&json) {
            let again = wire::decode(&wire::encode(&value).unwrap()).unwrap();
            prop_assert_eq!(repr(&value), repr(&again));
        }
    }

    #[test]
    fn the_literal_parser_takes_any_text(text in ".{0,256}") {
        let _ = timed("literal", text.as_bytes(), || literal::parse(&text));
    }

    #[test]
    fn the_literal_parser_takes_any_literal_like_text(
        text in r"[\[\](){}'\x22,:#\\a-z0-9.+ebrfxjunsTFNaie_\n-]{0,256}",
    ) {
        let _ = timed("literal", text.as_bytes(), || literal::parse(&text));
    }

    #[test]
    fn reprs_of_parsed_literals_parse_back_to_the_same_repr(json in wire_json()) {
        if let Ok(value) = wire::decode(&json) {
            let text = repr(&value);
            let again = literal::parse(&text);
            prop_assert!(again.is_ok(), "{text}: {again:?}");
            prop_assert_eq!(repr(&again.unwrap()), text);
        }
    }
}
