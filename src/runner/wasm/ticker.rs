//! The epoch ticker: advances the engine's epoch every millisecond while a case runs, so each
//! store's deadline callback can compare the clock with its deadline.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use wasmtime::Engine;

/// How often the epoch advances, and so how late a deadline can be noticed.
const TICK: Duration = Duration::from_millis(1);

/// Advances the engine's epoch every [`TICK`] while some case runs, so each store's
/// deadline callback can compare the clock with its deadline. Idle, it sleeps.
pub(super) struct Ticker {
    state: Arc<TickerState>,
    thread: Option<thread::Thread>,
}

struct TickerState {
    active: AtomicUsize,
    stop: AtomicBool,
}

impl Ticker {
    pub(super) fn start(engine: Engine) -> Ticker {
        let state = Arc::new(TickerState {
            active: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        });
        let shared = Arc::clone(&state);
        let thread = thread::Builder::new()
            .name("kata-wasm-epoch".into())
            .spawn(move || {
                while !shared.stop.load(Ordering::Relaxed) {
                    if shared.active.load(Ordering::Acquire) == 0 {
                        thread::park_timeout(Duration::from_millis(250));
                        continue;
                    }
                    thread::sleep(TICK);
                    engine.increment_epoch();
                }
            })
            .ok()
            .map(|handle| handle.thread().clone());
        Ticker { state, thread }
    }

    /// Keeps the ticker running until the returned guard is dropped.
    pub(super) fn activate(&self) -> ActiveRun<'_> {
        self.state.active.fetch_add(1, Ordering::AcqRel);
        if let Some(thread) = &self.thread {
            thread.unpark();
        }
        ActiveRun { ticker: self }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = &self.thread {
            thread.unpark();
        }
    }
}

pub(super) struct ActiveRun<'a> {
    ticker: &'a Ticker,
}

impl Drop for ActiveRun<'_> {
    fn drop(&mut self) {
        self.ticker.state.active.fetch_sub(1, Ordering::AcqRel);
    }
}

// WASI preview 1 layouts used by `poll_oneoff`.
