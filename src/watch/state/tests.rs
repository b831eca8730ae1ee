use std::time::Duration;

use super::*;
use crate::exercise::Catalogue;
use crate::grade::{CaseOutcome, Feedback, Mismatch, Verdict};
use crate::report::SubmissionReport;
use crate::runner::Usage;

/// The flagship exercises (see [`Catalogue::flagship`]).
pub(crate) fn catalogue() -> Catalogue {
    Catalogue::flagship()
}

/// A report for `exercise` in which the cases listed in `failing` get a wrong answer.
pub(crate) fn report(exercise: &Exercise, failing: &[usize]) -> SubmissionReport {
    let outcomes: Vec<CaseOutcome> = (0..exercise.cases.len())
        .map(|index| {
            if failing.contains(&index) {
                CaseOutcome {
                    verdict: Verdict::WrongAnswer,
                    feedback: Feedback {
                        mismatch: Some(Mismatch {
                            expected: "[None, None, None, 1]".to_string(),
                            actual: "[None, None, None, -1]".to_string(),
                            whitespace_only: false,
                            note: None,
                        }),
                        ..Feedback::default()
                    },
                    usage: Usage::default(),
                    growth: None,
                }
            } else {
                CaseOutcome {
                    verdict: Verdict::Accepted,
                    feedback: Feedback::default(),
                    usage: Usage {
                        wall: Duration::from_millis(20),
                        ..Usage::default()
                    },
                    growth: None,
                }
            }
        })
        .collect();
    SubmissionReport::new(
        exercise,
        "subprocess",
        Some(exercise.file_name()),
        &outcomes,
    )
}

pub(crate) fn state<'a>(catalogue: &'a Catalogue, id: &str) -> WatchState<'a> {
    let curriculum = Curriculum::new(catalogue);
    let start = curriculum.position(id).unwrap();
    let (mut state, effects) = WatchState::new(
        curriculum,
        Path::new("/ws"),
        Progress::default(),
        start,
        FileEvents::Watching,
        Display::Screen,
    );
    assert!(matches!(&effects[0], Effect::Open { id: opened, .. } if opened == id));
    let effects = state.handle(Input::Opened {
        id: id.to_string(),
        untouched: true,
        written: true,
    });
    assert_eq!(
        effects,
        [Effect::Record(ProgressEvent::Started {
            id: id.to_string()
        })],
        "a new starter is recorded, and not graded"
    );
    assert_eq!(state.progress().status(id), Status::Attempted);
    state
}

fn saved(state: &mut WatchState) -> u64 {
    let effects = state.handle(Input::FilesChanged(vec![PathBuf::from("/ws/lru_cache.py")]));
    match effects.as_slice() {
        [Effect::Grade { run, .. }] => *run,
        other => panic!("a save should grade, got {other:?}"),
    }
}

fn finish(state: &mut WatchState, run: u64, failing: &[usize]) -> Vec<Effect> {
    let report = report(state.exercise(), failing);
    state.handle(Input::Graded {
        run,
        result: GradeResult::Report(Box::new(report)),
        elapsed: Duration::from_millis(300),
    })
}

#[test]
fn a_save_grades_and_the_result_is_recorded() {
    let catalogue = catalogue();
    let mut state = state(&catalogue, "lru-cache");
    let run = saved(&mut state);
    assert!(matches!(
        state.outcome(),
        LatestGrading::Running {
            done: 0,
            total: 9,
            ..
        }
    ));
    state.handle(Input::CaseFinished { run });
    assert!(matches!(
        state.outcome(),
        LatestGrading::Running { done: 1, .. }
    ));
    let effects = finish(&mut state, run, &[2]);
    assert_eq!(
        effects,
        [Effect::Record(ProgressEvent::Graded {
            id: "lru-cache".into(),
            passed: 8,
            cases: 9
        })]
    );
    assert!(!state.passed());
    assert_eq!(state.progress().status("lru-cache"), Status::Attempted);
}

#[test]
fn a_file_that_was_already_there_is_graded_when_it_opens() {
    let catalogue = catalogue();
    for (files, graded) in [(FileEvents::Watching, true), (FileEvents::Manual, false)] {
        let curriculum = Curriculum::new(&catalogue);
        let start = curriculum.position("lru-cache").unwrap();
        let (mut state, _) = WatchState::new(
            curriculum,
            Path::new("/ws"),
            Progress::default(),
            start,
            files,
            Display::Screen,
        );
        // Still the starter (`kata start` wrote it), but not written just now.
        let effects = state.handle(Input::Opened {
            id: "lru-cache".into(),
            untouched: true,
            written: false,
        });
        let grades = matches!(
            effects.as_slice(),
            [Effect::Grade {
                unless_untouched: false,
                ..
            }]
        );
        assert_eq!(grades, graded, "{effects:?}");
    }
}

#[test]
fn other_files_do_not_trigger_a_grading() {
    let catalogue = catalogue();
    let mut state = state(&catalogue, "lru-cache");
    let effects = state.handle(Input::FilesChanged(vec![PathBuf::from("/ws/three_sum.py")]));
    assert!(effects.is_empty());
}

#[test]
fn the_first_save_of_an_untouched_starter_is_graded_only_if_it_changed() {
    let catalogue = catalogue();
    let mut state = state(&catalogue, "lru-cache");
    let effects = state.handle(Input::FilesChanged(vec![PathBuf::from("/ws/lru_cache.py")]));
    let [
        Effect::Grade {
            run,
            unless_untouched: true,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    let run = *run;
    state.handle(Input::Graded {
        run,
        result: GradeResult::Untouched,
        elapsed: Duration::ZERO,
    });
    assert!(matches!(state.outcome(), LatestGrading::NotRun));
    // Asking explicitly grades whatever is there.
    let effects = state.handle(Input::Key(Key::Rerun));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Grade {
            unless_untouched: false,
            ..
        }]
    ));
}

#[test]
fn a_result_overtaken_by_a_newer_save_is_dropped() {
    let catalogue = catalogue();
    let mut state = state(&catalogue, "lru-cache");
    let first = saved(&mut state);
    let second = saved(&mut state);
    assert!(finish(&mut state, first, &[]).is_empty());
    assert!(matches!(state.outcome(), LatestGrading::Running { run, .. } if *run == second));
    finish(&mut state, second, &[1]);
    // The overtaken grading showed nothing: the result is the first.
    assert!(matches!(state.outcome(), LatestGrading::Done(graded) if graded.number == 1));
    let third = saved(&mut state);
    finish(&mut state, third, &[]);
    assert!(matches!(state.outcome(), LatestGrading::Done(graded) if graded.number == 2));
}

#[test]
fn hints_come_one_more_at_a_time_and_stop_at_the_last() {
    let catalogue = catalogue();
    let mut state = state(&catalogue, "lru-cache");
    for count in 1..=3 {
        let effects = state.handle(Input::Key(Key::Hint));
        assert_eq!(
            effects,
            [Effect::Record(ProgressEvent::HintShown {
                id: "lru-cache".into(),
                count
            })]
        );
        assert_eq!(state.hints_shown(), count as usize);
    }
    assert!(state.handle(Input::Key(Key::Hint)).is_empty());
    assert_eq!(state.notice(), Some("That was the last hint (3 of 3)."));
    // Any key clears the notice.
    state.handle(Input::Key(Key::Up));
    assert_eq!(state.notice(), None);
}

#[test]
fn solving_offers_the_next_unsolved_exercise_and_n_opens_it() {
    let catalogue = catalogue();
    let mut state = state(&catalogue, "lru-cache");
    let run = saved(&mut state);
    finish(&mut state, run, &[]);
    assert!(state.passed());
    assert_eq!(state.progress().status("lru-cache"), Status::Solved);
    let next = state.next_unsolved().unwrap().id.clone();
    assert_ne!(next, "lru-cache");
    let effects = state.handle(Input::Key(Key::Next));
    assert!(
        matches!(&effects[0], Effect::Open { id, .. } if *id == next),
        "{effects:?}"
    );
    assert_eq!(
        effects[1],
        Effect::Record(ProgressEvent::Opened { id: next.clone() })
    );
    assert_eq!(state.exercise().id, next);
    assert!(matches!(state.outcome(), LatestGrading::NotRun));
    // A late result for the exercise left behind changes nothing.
    finish(&mut state, run, &[1]);
    assert!(matches!(state.outcome(), LatestGrading::NotRun));
    // Saves before the new file is ready are not graded yet.
    assert!(
        state
            .handle(Input::FilesChanged(vec![state.path()]))
            .is_empty()
    );
}

#[test]
fn the_list_moves_a_selection_and_opens_what_is_chosen() {
    let catalogue = catalogue();
    let mut state = state(&catalogue, "lru-cache");
    let current = state.curriculum.position("lru-cache").unwrap();
    state.handle(Input::Key(Key::List));
    assert_eq!(state.view(), Page::List { selected: current });
    state.handle(Input::Key(Key::Up));
    let effects = state.handle(Input::Key(Key::Enter));
    let chosen = state.exercises()[current - 1].id.clone();
    assert!(matches!(&effects[0], Effect::Open { id, .. } if *id == chosen));
    assert!(matches!(state.view(), Page::Exercise { .. }));
    // `l` again, then `l` leaves the list without changing anything.
    state.handle(Input::Key(Key::List));
    assert!(state.handle(Input::Key(Key::List)).is_empty());
    assert!(matches!(state.view(), Page::Exercise { .. }));
}

#[test]
fn without_file_events_enter_grades() {
    let catalogue = catalogue();
    let mut state = state(&catalogue, "lru-cache");
    state.handle(Input::WatchFailed("inotify limit".into()));
    assert!(
        state
            .handle(Input::FilesChanged(vec![state.path()]))
            .is_empty()
    );
    let effects = state.handle(Input::Key(Key::Enter));
    assert!(matches!(effects.as_slice(), [Effect::Grade { .. }]));
}

#[test]
fn scrolling_stays_within_what_the_screen_measured() {
    let catalogue = catalogue();
    let mut state = state(&catalogue, "lru-cache");
    state.set_scroll_limit(3);
    for _ in 0..5 {
        state.handle(Input::Key(Key::Down));
    }
    assert_eq!(
        state.view(),
        Page::Exercise {
            full_prompt: false,
            scroll: 3
        }
    );
}
