use std::sync::Mutex;

use super::*;
use crate::exercise::{CaseInput, SourceFile, load};
use crate::exercise::{Fixture, FixtureContents};
use crate::grade::LoadKind;
use crate::runner::protocol::{Phase, SyntaxProblem};
use crate::runner::{
    Finished, Frame, HarnessOutcome, LimitHit, ProcessEnd, RunOutput, RunnerError, Usage,
};
use crate::value::{Raised, Value};

/// Answers `0` for every case, except that a program named `wrong` answers `1` on `f(0)`
/// and kata panics on `f(1)` of a program named `crashes`; remembers what it ran, in order.
#[derive(Default)]
struct Scripted {
    ran: Mutex<Vec<String>>,
}

impl Runner for Scripted {
    fn name(&self) -> &'static str {
        "scripted"
    }

    async fn run(&self, request: RunRequest) -> Result<RunOutput, RunnerError> {
        let CaseInput::Call { expr } = &request.input else {
            unreachable!("only calls here")
        };
        let program = request.program.display_name.clone();
        self.ran.lock().unwrap().push(format!("{program} {expr}"));
        assert!(
            !(program == "crashes" && expr == "f(1)"),
            "a bug in kata, for the test"
        );
        let answer = i64::from(program == "wrong" && expr == "f(0)");
        let outcome = match program.as_str() {
            "syntax" => HarnessOutcome::SyntaxError(SyntaxProblem {
                type_name: "SyntaxError".into(),
                message: "invalid syntax".into(),
                line: Some(3),
                column: Some(7),
                text: None,
                traceback: None,
            }),
            "import" => HarnessOutcome::Raised {
                phase: Phase::Import,
                exception: Raised {
                    class_names: vec!["NameError".into(), "Exception".into()],
                    message: Some("name 'x' is not defined".into()),
                    traceback: Some("  File \"s.py\", line 4, in <module>\n    x\n".into()),
                },
            },
            _ => HarnessOutcome::Finished(Finished::Returned(Value::Int(answer.into()))),
        };
        Ok(RunOutput {
            limit: (program == "loops").then_some(LimitHit::Wall),
            frame: Ok(Frame {
                outcome,
                stdout: String::new(),
                stderr: String::new(),
                setup_stdout: String::new(),
                notes: Default::default(),
            }),
            exit: ProcessEnd::Code(0),
            raw_stderr: String::new(),
            usage: Usage::default(),
        })
    }
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

fn exercise() -> Exercise {
    let mut text = String::from(
        "format = 1\ntitle = \"T\"\ndifficulty = \"easy\"\nprompt = \"p\"\nstarter = \"s\"\nreference = \"r\"\n",
    );
    for k in 0..3 {
        text.push_str(&format!(
            "[[case]]\nname = \"c{k}\"\ncall = \"f({k})\"\nexpect = \"0\"\n"
        ));
    }
    let file = SourceFile {
        name: "t.toml".into(),
        text,
    };
    load::parse("t", file).unwrap()
}

fn submission<'a>(exercise: &'a Exercise, name: &str) -> Submission<'a> {
    Submission {
        exercise,
        program: Program {
            source: "".into(),
            display_name: name.to_string(),
        },
    }
}

#[test]
fn until_rejected_skips_the_rest_of_a_rejected_submission() {
    let exercise = exercise();
    let runner = Scripted::default();
    let submissions = [
        submission(&exercise, "wrong"),
        submission(&exercise, "right"),
    ];
    let outcomes = block_on(grade_until_rejected(&runner, &submissions, 1, |_| {}));
    assert_eq!(
        *runner.ran.lock().unwrap(),
        ["wrong f(0)", "right f(0)", "right f(1)", "right f(2)"]
    );
    let ran: Vec<Vec<bool>> = outcomes
        .iter()
        .map(|cases| cases.iter().map(Option::is_some).collect())
        .collect();
    assert_eq!(ran, [[true, false, false], [true, true, true]]);
    assert!(!outcomes[0][0].as_ref().unwrap().verdict.is_accepted());
}

#[test]
fn with_two_workers_a_rejected_submission_runs_no_case_after_its_rejection() {
    let exercise = exercise();
    let runner = Scripted::default();
    let submissions = [
        submission(&exercise, "wrong"),
        submission(&exercise, "wrong"),
        submission(&exercise, "right"),
        submission(&exercise, "right"),
    ];
    let outcomes = block_on(grade_until_rejected(&runner, &submissions, 2, |_| {}));
    let mut ran = runner.ran.lock().unwrap().clone();
    ran.sort();
    assert_eq!(
        ran,
        [
            "right f(0)",
            "right f(0)",
            "right f(1)",
            "right f(1)",
            "right f(2)",
            "right f(2)",
            "wrong f(0)",
            "wrong f(0)"
        ]
    );
    assert!(outcomes[0][1..].iter().all(Option::is_none));
    assert!(outcomes[3].iter().all(Option::is_some));
}

#[test]
fn grade_all_runs_every_case_in_submission_order() {
    let exercise = exercise();
    let runner = Scripted::default();
    let submissions = [
        submission(&exercise, "wrong"),
        submission(&exercise, "right"),
    ];
    let outcomes = block_on(grade_all(&runner, &submissions, 1, |_| {}));
    assert_eq!(runner.ran.lock().unwrap().len(), 6);
    assert_eq!(runner.ran.lock().unwrap()[1], "wrong f(1)");
    assert!(outcomes[1].iter().all(|o| o.verdict.is_accepted()));
}

#[test]
fn a_panic_is_an_internal_error_of_that_case_alone() {
    let exercise = exercise();
    let runner = Scripted::default();
    let submissions = [
        submission(&exercise, "crashes"),
        submission(&exercise, "right"),
    ];
    let outcomes = block_on(grade_all(&runner, &submissions, 2, |_| {}));
    let verdicts: Vec<Vec<Verdict>> = outcomes
        .iter()
        .map(|cases| cases.iter().map(|outcome| outcome.verdict).collect())
        .collect();
    assert_eq!(
        verdicts,
        [
            [Verdict::Accepted, Verdict::InternalError, Verdict::Accepted],
            [Verdict::Accepted; 3]
        ]
    );
    let message = outcomes[0][1].feedback.message.as_deref().unwrap();
    assert!(message.contains("please report it"), "{message}");
}

fn stopping(exercise: &Exercise, program: &str, stops: Stops) -> (Graded, Vec<String>) {
    let runner = Scripted::default();
    let submissions = [submission(exercise, program)];
    let mut graded = block_on(grade_with_stops(&runner, &submissions, 1, stops, |_| {}));
    let ran = runner.ran.lock().unwrap().clone();
    (graded.remove(0), ran)
}

#[test]
fn a_syntax_error_is_the_submissions_and_its_cases_are_not_run() {
    let exercise = exercise();
    let (graded, ran) = stopping(&exercise, "syntax", Stops::default());
    assert_eq!(ran, ["syntax f(0)"]);
    assert!(graded.cases.iter().all(Option::is_none));
    let load = graded.load_error().unwrap();
    assert_eq!(load.kind, LoadKind::SyntaxError);
    assert_eq!((load.line, load.column), (Some(3), Some(7)));
    assert_eq!(load.message, "SyntaxError: invalid syntax");
    assert_eq!(graded.stopped.unwrap().verdict, Verdict::SyntaxError);
}

#[test]
fn grade_all_still_runs_every_case_of_a_submission_that_does_not_load() {
    let exercise = exercise();
    let runner = Scripted::default();
    let outcomes = block_on(grade_all(
        &runner,
        &[submission(&exercise, "syntax")],
        1,
        |_| {},
    ));
    assert_eq!(runner.ran.lock().unwrap().len(), 3);
    assert!(
        outcomes[0]
            .iter()
            .all(|o| o.verdict == Verdict::SyntaxError)
    );
}

#[test]
fn an_exception_at_import_is_the_submissions_once_a_visible_case_meets_it() {
    let mut exercise = exercise();
    exercise.cases[0].hidden = true;
    let (graded, ran) = stopping(&exercise, "import", Stops::default());
    // The hidden case's error could carry its input: only the visible one decides.
    assert_eq!(ran, ["import f(0)", "import f(1)"]);
    let load = graded.load_error().unwrap();
    assert_eq!((load.kind, load.line), (LoadKind::ImportError, Some(4)));
    assert_eq!(load.type_name, "NameError");
    assert!(graded.cases.iter().all(Option::is_none));
}

#[test]
fn an_exception_at_import_stays_each_cases_own_when_cases_could_change_it() {
    let mut hidden = exercise();
    for case in &mut hidden.cases {
        case.hidden = true;
    }
    let mut with_files = exercise();
    with_files.cases[2].fixtures.push(Fixture {
        path: "data.txt".into(),
        contents: FixtureContents::File(b"1".to_vec()),
    });
    for exercise in [hidden, with_files] {
        let (graded, ran) = stopping(&exercise, "import", Stops::default());
        assert_eq!(ran.len(), 3);
        assert!(graded.stopped.is_none());
        assert!(
            graded
                .cases
                .iter()
                .all(|o| o.as_ref().unwrap().verdict == Verdict::RuntimeError)
        );
    }
}

#[test]
fn a_submission_stops_after_its_allowed_time_outs() {
    let exercise = exercise();
    let stops = Stops {
        fail_fast: false,
        max_timeouts: Some(2),
    };
    let (graded, ran) = stopping(&exercise, "loops", stops);
    assert_eq!(ran.len(), 2);
    assert_eq!(
        graded.stopped.unwrap(),
        Stopped {
            reason: StopReason::Timeouts(2),
            verdict: Verdict::TimeLimitExceeded
        }
    );
    assert!(graded.cases[2].is_none());
    let (graded, ran) = stopping(&exercise, "loops", Stops::default());
    assert_eq!(ran.len(), 3);
    assert!(graded.stopped.is_none());
}

#[test]
fn fail_fast_stops_at_the_first_failure() {
    let exercise = exercise();
    let stops = Stops {
        fail_fast: true,
        max_timeouts: None,
    };
    let (graded, ran) = stopping(&exercise, "wrong", stops);
    assert_eq!(ran, ["wrong f(0)"]);
    assert_eq!(graded.stopped.unwrap().reason, StopReason::FailFast);
    let (graded, ran) = stopping(&exercise, "right", stops);
    assert_eq!(ran.len(), 3);
    assert!(graded.stopped.is_none());
}
