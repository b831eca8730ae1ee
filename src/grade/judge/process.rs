//! A run without a frame: how the process ended says what happened.

use crate::runner::{GuestTrap, ProcessEnd, RunOutput};

use super::explain::non_empty;
use crate::grade::{Feedback, Verdict};

pub(super) fn no_frame(output: &RunOutput) -> (Verdict, Feedback) {
    if output.raw_stderr.contains("MemoryError") {
        return (
            Verdict::MemoryLimitExceeded,
            Feedback::message("ran out of memory"),
        );
    }
    let message = match output.exit {
        ProcessEnd::Signal(signal) => {
            let name = signal_name(signal);
            let hint = if signal == libc::SIGSEGV {
                ": a crash, often recursion too deep for the C stack"
            } else {
                ""
            };
            format!("was killed by signal {signal} ({name}){hint}")
        }
        ProcessEnd::Code(code) => format!(
            "exited with status {code} before the case finished (did it call os._exit(), or crash the interpreter?)"
        ),
        // CPython's own C-stack guard turns deep recursion through built-ins into a
        // RecursionError first; this trap is what gets past it.
        ProcessEnd::Trap(GuestTrap::StackOverflow) => "crashed: recursion too deep for the \
            wasm sandbox's C stack (recursion that goes through C code, such as built-ins, \
            generators or repr() of nested objects); use a loop or an explicit stack"
            .to_string(),
        ProcessEnd::Trap(GuestTrap::Crash) => {
            "crashed the Python interpreter inside the wasm sandbox".to_string()
        }
    };
    let mut feedback = Feedback::message(message);
    feedback.stderr = non_empty(output.raw_stderr.clone());
    (Verdict::RuntimeError, feedback)
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGABRT => "SIGABRT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGILL => "SIGILL",
        libc::SIGXCPU => "SIGXCPU",
        libc::SIGXFSZ => "SIGXFSZ",
        libc::SIGTERM => "SIGTERM",
        libc::SIGPIPE => "SIGPIPE",
        _ => "signal",
    }
}
