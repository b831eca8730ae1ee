//! Asking for a grading and taking its result: stale results are dropped, an overtaken grading
//! keeps its number, and only a real result is recorded.

use std::time::Duration;

use super::{Effect, GradeResult, Graded, LatestGrading, Page, WatchState};
use crate::workspace::ProgressEvent;

impl WatchState<'_> {
    pub(super) fn grade(&mut self, unless_untouched: bool) -> Vec<Effect> {
        if !self.opened {
            return Vec::new();
        }
        self.run += 1;
        // A grading overtaken before it finished keeps its number: the learner counts results.
        let number = match &self.outcome {
            LatestGrading::Running { number, .. } => *number,
            _ => {
                self.gradings += 1;
                self.gradings
            }
        };
        let previous = match std::mem::replace(&mut self.outcome, LatestGrading::NotRun) {
            LatestGrading::Done(graded) => Some(graded),
            LatestGrading::Running { previous, .. } => previous,
            LatestGrading::NotRun | LatestGrading::Failed { .. } => None,
        };
        self.outcome = LatestGrading::Running {
            run: self.run,
            number,
            done: 0,
            total: self.exercise().cases.len(),
            previous,
        };
        vec![Effect::Grade {
            run: self.run,
            id: self.exercise().id.clone(),
            path: self.path(),
            unless_untouched,
        }]
    }

    pub(super) fn graded(
        &mut self,
        run: u64,
        result: GradeResult,
        elapsed: Duration,
    ) -> Vec<Effect> {
        if run != self.run {
            return Vec::new();
        }
        let (number, previous) = match std::mem::replace(&mut self.outcome, LatestGrading::NotRun) {
            LatestGrading::Running {
                number, previous, ..
            } => (number, previous),
            other => {
                self.outcome = other;
                return Vec::new();
            }
        };
        if let Page::Exercise { scroll, .. } = &mut self.view {
            *scroll = 0;
        }
        match result {
            GradeResult::Report(report) => {
                self.untouched = false;
                let event = ProgressEvent::graded(&report);
                self.outcome = LatestGrading::Done(Box::new(Graded {
                    number,
                    report: *report,
                    elapsed,
                }));
                match event {
                    Some(event) => {
                        self.progress.apply(&event);
                        vec![Effect::Record(event)]
                    }
                    None => Vec::new(),
                }
            }
            GradeResult::Unreadable(message) => {
                self.outcome = LatestGrading::Failed { number, message };
                Vec::new()
            }
            GradeResult::Untouched => {
                // Nothing was graded: the next grading takes this one's number.
                self.gradings -= 1;
                self.outcome = match previous {
                    Some(graded) => LatestGrading::Done(graded),
                    None => LatestGrading::NotRun,
                };
                Vec::new()
            }
        }
    }
}
