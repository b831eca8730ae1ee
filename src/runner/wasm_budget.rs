//! What a case's limits become in the wasm sandbox (see "Limits" in docs/exercise-format.md).
//!
//! CPython compiled to WebAssembly needs 2 to 4 times the CPU time of native CPython for the
//! same Python code (docs/performance.md), so the native CPU limit cannot be used as it is.
//! Instead the CPU limit becomes a *fuel* budget: fuel counts WebAssembly instructions, so a
//! submission uses the same amount on every run and every machine, and a case is cut off at
//! exactly the same point everywhere.
//!
//! The budget is `cpu_ms × FUEL_PER_CPU_MS`: at least the fuel the wasm interpreter burns to do
//! what native CPython does in one millisecond of CPU, measured on the catalogue's timed cases
//! and rounded up, so that a solution that fits the native limit fits the fuel budget too.
//!
//! The wall limit counts computing the same way, at the native rate (fuel used ÷
//! [`FUEL_PER_CPU_MS`]), and everything the guest waits for in the host (host calls, sleeping
//! included) by the real clock; the total may not pass `wall_ms`. Fuel alone cannot see time
//! spent in the host, and the real clock alone would let a busy machine flip the verdict of
//! a correct solution.
//!
//! Behind both, a real-time safety net that follows the sandbox's real speed: the case's own
//! real time (real time less the time its thread waited for a CPU because of other work) may
//! not pass [`NET_FACTOR`] × `wall_ms` (and never less than [`NET_PER_CPU`] × `cpu_ms`), and
//! real time itself may not pass [`HARD_STOP_FACTOR`] × `wall_ms` however busy the machine
//! is. On an idle machine a case that burns its whole budget therefore costs at most about
//! twice its wall limit, as in the subprocess sandbox; a correct solution using 60 % of its
//! CPU limit needs about half the net at the interpreter's measured speed, and a busy machine
//! does not bring the net closer.

use std::time::Duration;

use crate::exercise::Limits;

/// Fuel per millisecond of native CPU time. See docs/exercise-format.md, "Limits".
pub const FUEL_PER_CPU_MS: u64 = 30_000_000;

/// The real-time safety net, as a multiple of `wall_ms`: the case's own real time (waiting for
/// a CPU not counted). See docs/exercise-format.md, "Limits".
pub const NET_FACTOR: u32 = 2;

/// The least net, as a multiple of `cpu_ms` (twice the default wall limit): burning a whole
/// fuel budget takes about 3.75 × `cpu_ms` at the interpreter's measured speed, so the budget
/// fits in the net even when `wall_ms` is as short as `cpu_ms`.
pub const NET_PER_CPU: u32 = 4;

/// The hard stop, as a multiple of `wall_ms`: plain real time, whatever the load.
pub const HARD_STOP_FACTOR: u32 = 10;

/// The limits one wasm run is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WasmBudget {
    pub fuel: u64,
    /// Wall-clock time with computing counted at the native rate and host calls as they are.
    pub wall: Duration,
    /// The case's own real time (waiting for a CPU not counted) after which it is stopped.
    pub net: Duration,
    /// Real time after which the guest is stopped whatever the load.
    pub hard_stop: Duration,
    pub memory_bytes: u64,
    pub output_bytes: u64,
}

impl WasmBudget {
    pub fn for_limits(limits: &Limits) -> WasmBudget {
        let cpu_ms = u64::try_from(limits.cpu.as_millis()).unwrap_or(u64::MAX);
        WasmBudget {
            fuel: cpu_ms.saturating_mul(FUEL_PER_CPU_MS),
            wall: limits.wall,
            net: limits
                .wall
                .saturating_mul(NET_FACTOR)
                .max(limits.cpu.saturating_mul(NET_PER_CPU)),
            hard_stop: limits.wall.saturating_mul(HARD_STOP_FACTOR),
            memory_bytes: limits.memory_bytes,
            output_bytes: limits.output_bytes,
        }
    }
}

/// How long native CPython would have computed for `fuel`.
pub fn native_time(fuel: u64) -> Duration {
    let nanos = u128::from(fuel) * 1_000_000 / u128::from(FUEL_PER_CPU_MS);
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_limit_becomes_fuel_and_the_wall_limit_a_real_time_net() {
        let limits = Limits {
            cpu: Duration::from_millis(2000),
            wall: Duration::from_millis(4000),
            ..Limits::default()
        };
        let budget = WasmBudget::for_limits(&limits);
        assert_eq!(budget.fuel, 2000 * FUEL_PER_CPU_MS);
        assert_eq!(budget.wall, Duration::from_millis(4000));
        assert_eq!(budget.net, Duration::from_millis(8000));
        assert_eq!(budget.hard_stop, Duration::from_millis(40000));
    }

    #[test]
    fn a_short_wall_limit_still_leaves_the_net_room_to_burn_the_budget() {
        let limits = Limits {
            cpu: Duration::from_millis(2000),
            wall: Duration::from_millis(2000),
            ..Limits::default()
        };
        let budget = WasmBudget::for_limits(&limits);
        assert_eq!(budget.net, Duration::from_millis(2000) * NET_PER_CPU);
        assert_eq!(budget.memory_bytes, limits.memory_bytes);
    }

    #[test]
    fn fuel_converts_back_to_native_time() {
        assert_eq!(
            native_time(FUEL_PER_CPU_MS * 1500),
            Duration::from_millis(1500)
        );
        assert_eq!(native_time(0), Duration::ZERO);
        assert_eq!(native_time(u64::MAX), Duration::from_nanos(u64::MAX / 30));
    }
}
