//! Real time spent in host calls. Fuel counts only the guest's own instructions, so a guest
//! that spends its time in the host (filling buffers with `os.urandom`, writing files,
//! sleeping) would otherwise run for free; the store's call hook feeds this clock.

use std::time::{Duration, Instant};

/// The real time a guest has spent inside host calls so far, the current one included.
#[derive(Debug, Default)]
pub(super) struct HostTime {
    finished: Duration,
    current: Option<Instant>,
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
        }
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
        host.enter(start);
        host.leave(start + ms(5));
        assert_eq!(host.at(start + ms(100)), ms(5));
        host.enter(start + ms(10));
        assert_eq!(host.at(start + ms(13)), ms(8));
        host.leave(start + ms(20));
        host.leave(start + ms(50)); // no call under way: nothing to add
        assert_eq!(host.at(start + ms(100)), ms(15));
    }
}
