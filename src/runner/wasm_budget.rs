//! What a case's limits become in the wasm sandbox (see "Limits" in docs/exercise-format.md).
//!
//! CPython compiled to WebAssembly runs pure-Python code several times slower than native
//! CPython, so the native CPU limit cannot be used as it is. Instead the CPU limit becomes a
//! *fuel* budget: fuel counts WebAssembly instructions, so a submission uses the same amount on
//! every run and every machine, and a case is cut off at exactly the same point everywhere.
//!
//! The budget is `cpu_ms × FUEL_PER_CPU_MS`: the fuel the wasm interpreter burns to do what
//! native CPython does in one millisecond of CPU, measured on this project's machines for the
//! kind of code exercises run, and rounded up. An exercise's `cpu_ms` is set so that its
//! reference needs a small fraction of it natively; the same proportion then holds in fuel.
//!
//! The wall-clock limit stays a safety net for code that waits rather than computes (sleeps
//! are interrupted too); it is stretched by the same slowdown so that it never ends a case
//! that still has fuel left on an ordinary machine.

use std::time::Duration;

use crate::exercise::Limits;

/// Fuel per millisecond of native CPU time. See docs/exercise-format.md, "Limits".
pub const FUEL_PER_CPU_MS: u64 = 50_000_000;

/// How much longer than natively a case may take by the clock in the wasm sandbox: the
/// interpreter is ~8× slower on pure-Python code, and fuel metering adds ~30 %.
pub const WALL_FACTOR: u32 = 12;

/// The limits one wasm run is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WasmBudget {
    pub fuel: u64,
    pub wall: Duration,
    pub memory_bytes: u64,
    pub output_bytes: u64,
}

impl WasmBudget {
    pub fn for_limits(limits: &Limits) -> WasmBudget {
        let cpu_ms = u64::try_from(limits.cpu.as_millis()).unwrap_or(u64::MAX);
        WasmBudget {
            fuel: cpu_ms.saturating_mul(FUEL_PER_CPU_MS),
            wall: limits.wall.saturating_mul(WALL_FACTOR),
            memory_bytes: limits.memory_bytes,
            output_bytes: limits.output_bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_limit_becomes_fuel_and_the_wall_limit_stretches() {
        let limits = Limits {
            cpu: Duration::from_millis(2000),
            wall: Duration::from_millis(4000),
            ..Limits::default()
        };
        let budget = WasmBudget::for_limits(&limits);
        assert_eq!(budget.fuel, 2000 * FUEL_PER_CPU_MS);
        assert_eq!(budget.wall, Duration::from_millis(4000) * WALL_FACTOR);
        assert_eq!(budget.memory_bytes, limits.memory_bytes);
    }
}
