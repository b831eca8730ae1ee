//! Which case a worker runs next.
//!
//! A worker keeps to one submission and runs its cases one after another, so they all reuse
//! the same warm box (the subprocess sandbox keeps one fork server per submission and worker,
//! and starting one costs several cases' worth of time). When its submission has no case left
//! to start, the worker takes the next submission nobody has started; only when there is none
//! does it join one in progress (the one with the most cases left), so that at the end of a
//! class, or for a single submission, every worker still has work.
//!
//! One case after another also means that when a submission stops (a rejection with
//! fail-fast, too many time-outs, a load failure), its next case is not yet running: nothing
//! is spent on cases that will be thrown away, except where workers share a submission.

/// The next case for each worker: every `(submission, case)` is handed out exactly once.
#[derive(Debug)]
pub(super) struct Schedule {
    /// Per submission, how many cases it has.
    lengths: Vec<usize>,
    /// Per submission, its first case not yet handed out.
    next: Vec<usize>,
    /// The first submission no worker has started.
    fresh: usize,
}

impl Schedule {
    pub(super) fn new(lengths: Vec<usize>) -> Schedule {
        let next = vec![0; lengths.len()];
        Schedule {
            lengths,
            next,
            fresh: 0,
        }
    }

    fn left(&self, submission: usize) -> usize {
        self.lengths[submission] - self.next[submission]
    }

    /// The next `(submission, case)` for a worker that last ran a case of `current`, or `None`
    /// when every case has been handed out. `stopped(submission)` says whether a submission
    /// has stopped: a worker does not join one that has (its cases are still handed out, to
    /// whoever holds it, so that each is accounted for).
    pub(super) fn take(
        &mut self,
        current: Option<usize>,
        stopped: impl Fn(usize) -> bool,
    ) -> Option<(usize, usize)> {
        let submission = current
            .filter(|&s| self.left(s) > 0)
            .or_else(|| self.start_fresh())
            .or_else(|| self.join(&stopped))?;
        let case = self.next[submission];
        self.next[submission] += 1;
        Some((submission, case))
    }

    fn start_fresh(&mut self) -> Option<usize> {
        while self.fresh < self.lengths.len() {
            let submission = self.fresh;
            self.fresh += 1;
            if self.left(submission) > 0 {
                return Some(submission);
            }
        }
        None
    }

    /// The started submission with the most cases left, preferring one that has not stopped.
    fn join(&self, stopped: impl Fn(usize) -> bool) -> Option<usize> {
        (0..self.fresh)
            .filter(|&s| self.left(s) > 0)
            .max_by_key(|&s| (!stopped(s), self.left(s), std::cmp::Reverse(s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `workers` workers in turn (one case each per turn) and returns each one's cases.
    fn run(lengths: &[usize], workers: usize) -> Vec<Vec<(usize, usize)>> {
        let mut schedule = Schedule::new(lengths.to_vec());
        let mut current = vec![None; workers];
        let mut taken = vec![Vec::new(); workers];
        loop {
            let mut any = false;
            for worker in 0..workers {
                if let Some((s, c)) = schedule.take(current[worker], |_| false) {
                    current[worker] = Some(s);
                    taken[worker].push((s, c));
                    any = true;
                }
            }
            if !any {
                return taken;
            }
        }
    }

    #[test]
    fn each_worker_keeps_to_its_own_submission_while_others_are_left() {
        let taken = run(&[2, 2, 2, 2], 2);
        assert_eq!(taken[0], [(0, 0), (0, 1), (2, 0), (2, 1)]);
        assert_eq!(taken[1], [(1, 0), (1, 1), (3, 0), (3, 1)]);
    }

    #[test]
    fn every_case_is_handed_out_once_and_workers_share_the_last_submission() {
        let lengths = [1, 0, 6];
        let taken = run(&lengths, 2);
        let mut all: Vec<(usize, usize)> = taken.concat();
        all.sort_unstable();
        let expected: Vec<(usize, usize)> = lengths
            .iter()
            .enumerate()
            .flat_map(|(s, &n)| (0..n).map(move |c| (s, c)))
            .collect();
        assert_eq!(all, expected);
        // The first worker, done with its one case, helps with the six-case submission.
        assert!(taken[0].contains(&(2, 1)), "{taken:?}");
        assert!(taken[1].starts_with(&[(2, 0)]), "{taken:?}");
    }

    #[test]
    fn a_single_submission_is_shared_by_every_worker() {
        let taken = run(&[4], 2);
        assert_eq!(taken, [[(0, 0), (0, 2)], [(0, 1), (0, 3)]]);
    }

    #[test]
    fn an_idle_worker_joins_the_submission_with_most_left_that_has_not_stopped() {
        let mut schedule = Schedule::new(vec![5, 4, 3]);
        for current in [None, None, None] {
            schedule.take(current, |_| false);
        }
        // Cases left: 4, 3 and 2. Submission 0 has stopped, so a free worker joins 1.
        assert_eq!(schedule.take(None, |s| s == 0), Some((1, 1)));
        // With everything stopped, the one with most left still gets its cases handed out.
        assert_eq!(schedule.take(None, |_| true), Some((0, 1)));
    }
}
