//! The real-time safety net of one case (see "Limits" in docs/exercise-format.md): the case's
//! own real time, which is real time less the time its thread waited for a CPU because of
//! other work on the machine, may not pass the net; and real time itself may not pass the
//! hard stop, however busy the machine is.
//!
//! Not counting the wait is what keeps load from flipping a verdict: the guest runs on one
//! thread (wasmtime's fibers switch stacks on it), and the kernel tells that thread how long it
//! sat on a run queue. Sleeping is not waiting for a CPU, so a sleeping guest's time counts.

use std::time::{Duration, Instant};

/// The net of one case, checked on the thread that runs the guest.
#[derive(Debug, Clone)]
pub(super) struct RealTimeNet {
    started: Instant,
    /// The thread's run-queue wait when the case started.
    waited_before: Duration,
    net: Duration,
    hard_stop: Duration,
    /// The net cannot pass before this (asking the kernel at every check would cost).
    not_before: Instant,
}

impl RealTimeNet {
    /// Starts the net now, on the thread that will run the guest.
    pub(super) fn start(net: Duration, hard_stop: Duration) -> RealTimeNet {
        let started = Instant::now();
        RealTimeNet {
            started,
            waited_before: thread_run_queue_wait(),
            net,
            hard_stop,
            not_before: started + net.min(hard_stop),
        }
    }

    /// How much longer the guest may run from `now` before the net stops it, if it spends all
    /// of it on a CPU (or asleep).
    pub(super) fn left(&self, now: Instant) -> Duration {
        let real = now.saturating_duration_since(self.started);
        let hard = self.hard_stop.saturating_sub(real);
        // Own time is never more than real time: the kernel is asked only once real time
        // alone has reached the net.
        if real < self.net {
            return (self.net - real).min(hard);
        }
        let waited = thread_run_queue_wait().saturating_sub(self.waited_before);
        let own = real.saturating_sub(waited);
        self.net.saturating_sub(own).min(hard)
    }

    /// Whether the net stops the guest at `now`.
    pub(super) fn passed(&mut self, now: Instant) -> bool {
        if now < self.not_before {
            return false;
        }
        let left = self.left(now);
        self.not_before = now + left;
        left.is_zero()
    }
}

/// How long the calling thread has waited on a run queue, by the kernel's scheduler
/// statistics (`/proc/thread-self/schedstat`: time on a CPU, time waiting, timeslices).
/// Without them nothing is known to have been waited, and the net is plain real time.
fn thread_run_queue_wait() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|stat| stat.split_whitespace().nth(1)?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_net_counts_real_time_until_it_is_reached() {
        let mut net = RealTimeNet::start(Duration::from_secs(10), Duration::from_secs(20));
        let now = net.started + Duration::from_secs(4);
        assert_eq!(net.left(now), Duration::from_secs(6));
        assert!(!net.passed(now));
    }

    #[test]
    fn the_hard_stop_is_plain_real_time() {
        let mut net = RealTimeNet::start(Duration::from_secs(3600), Duration::from_secs(5));
        assert!(net.passed(net.started + Duration::from_secs(5)));
    }

    #[cfg(target_os = "linux")]
    /// Pins the calling thread to CPU 0.
    fn pin_to_cpu_0() {
        // SAFETY: a zeroed cpu_set_t is a valid empty set; the call reads only that set.
        unsafe {
            let mut set = std::mem::zeroed::<libc::cpu_set_t>();
            libc::CPU_SET(0, &mut set);
            assert_eq!(
                libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set),
                0
            );
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn time_spent_waiting_for_a_cpu_does_not_count() {
        // A guest thread and a hog share one CPU: the guest is on it about half the time.
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let hog_stop = std::sync::Arc::clone(&stop);
        let hog = std::thread::spawn(move || {
            pin_to_cpu_0();
            while !hog_stop.load(std::sync::atomic::Ordering::Relaxed) {
                std::hint::spin_loop();
            }
        });
        let guest = std::thread::spawn(|| {
            pin_to_cpu_0();
            let net = RealTimeNet::start(Duration::from_millis(400), Duration::from_secs(3600));
            while net.started.elapsed() < Duration::from_millis(400) {
                std::hint::spin_loop();
            }
            net.left(Instant::now())
        });
        let left = guest.join().unwrap();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        hog.join().unwrap();
        // 400 ms of real time went by, but not 400 ms of the guest's own.
        assert!(left > Duration::ZERO, "left: {left:?}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_scheduler_statistics_are_read() {
        // Present on every kernel kata supports; a missing file would silently turn the net
        // into plain real time.
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap();
        assert_eq!(stat.split_whitespace().count(), 3, "{stat}");
    }
}
