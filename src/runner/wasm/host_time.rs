//! Real time spent in host calls. Fuel counts only the guest's own instructions, so a guest
//! that spends its time in the host (filling buffers with `os.urandom`, writing files,
//! sleeping) would otherwise run for free; the store's call hook feeds this clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The real time a guest has spent inside host calls so far, the current one included.
#[derive(Debug, Default)]
pub(super) struct HostTime {
    finished: Duration,
    current: Option<Instant>,
    /// `finished`, for the code that polls the guest between its slices (it cannot reach the
    /// store while the guest is suspended).
    shared: Arc<AtomicU64>,
}

/// The time of the finished host calls, readable while the guest is suspended.
#[derive(Debug, Clone)]
pub(super) struct FinishedHostTime(Arc<AtomicU64>);

impl FinishedHostTime {
    pub(super) fn get(&self) -> Duration {
        Duration::from_nanos(self.0.load(Ordering::Relaxed))
    }
}

impl HostTime {
    /// The guest called into the host at `now`.
    pub(super) fn enter(&mut self, now: Instant) {
        self.current = Some(now);
    }

    /// The host call that began at the last [`HostTime::enter`] returned at `now`.
    pub(super) fn leave(&mut self, now: Instant) {
        if let Some(entered) = self.current.take() {
            self.finished += now.saturating_duration_since(entered);
            let nanos = u64::try_from(self.finished.as_nanos()).unwrap_or(u64::MAX);
            self.shared.store(nanos, Ordering::Relaxed);
        }
    }

    /// A reader of the finished calls' time.
    pub(super) fn finished(&self) -> FinishedHostTime {
        FinishedHostTime(Arc::clone(&self.shared))
    }

    /// The time spent in the host up to `now`, counting a host call still under way.
    pub(super) fn at(&self, now: Instant) -> Duration {
        self.finished
            + self.current.map_or(Duration::ZERO, |entered| {
                now.saturating_duration_since(entered)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finished_calls_add_up_and_the_current_one_counts_so_far() {
        let start = Instant::now();
        let ms = Duration::from_millis;
        let mut host = HostTime::default();
        let finished = host.finished();
        host.enter(start);
        host.leave(start + ms(5));
        assert_eq!(host.at(start + ms(100)), ms(5));
        host.enter(start + ms(10));
        assert_eq!(host.at(start + ms(13)), ms(8));
        assert_eq!(finished.get(), ms(5));
        host.leave(start + ms(20));
        host.leave(start + ms(50)); // no call under way: nothing to add
        assert_eq!(host.at(start + ms(100)), ms(15));
        assert_eq!(finished.get(), ms(15));
    }
}
