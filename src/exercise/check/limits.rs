//! `[limits]` and a case's own limits.

use std::time::Duration;

use toml::Spanned;

use super::Checker;
use crate::exercise::code::Code;
use crate::exercise::diagnostic::Diagnostic;
use crate::exercise::manifest::RawLimits;
use crate::exercise::model::Limits;

impl Checker<'_> {
    pub(super) fn limits(&mut self, base: &Limits, raw: &RawLimits) -> Limits {
        let mut limits = *base;
        let mut ms = |value: &Option<Spanned<i64>>, key: &str, max: i64| -> Option<u64> {
            let value = value.as_ref()?;
            let number = *value.get_ref();
            if (1..=max).contains(&number) {
                Some(number as u64)
            } else {
                self.problems.push(Diagnostic::error(
                    Code::LimitRange,
                    value.span(),
                    format!("`{key}` must be between 1 and {max}"),
                ));
                None
            }
        };
        let cpu = ms(&raw.cpu_ms, "cpu_ms", Limits::CPU_MS_MAX);
        let wall = ms(&raw.wall_ms, "wall_ms", Limits::WALL_MS_MAX);
        let memory = ms(&raw.memory_mb, "memory_mb", Limits::MEMORY_MB_MAX);
        let output = ms(&raw.output_kb, "output_kb", Limits::OUTPUT_KB_MAX);
        if let Some(cpu) = cpu {
            limits.cpu = Duration::from_millis(cpu);
            limits.wall = Duration::from_millis(2 * cpu);
        }
        if let Some(wall) = wall {
            limits.wall = Duration::from_millis(wall);
        }
        if let Some(memory) = memory {
            if memory < Limits::MEMORY_MB_MIN as u64 {
                let span = raw.memory_mb.as_ref().map(Spanned::span);
                self.push(Diagnostic::error(
                    Code::MemoryTooSmall,
                    span,
                    "`memory_mb` below 16 cannot start Python",
                ));
            }
            limits.memory_bytes = memory << 20;
        }
        if let Some(output) = output {
            limits.output_bytes = output << 10;
        }
        if limits.wall < limits.cpu {
            let span = raw
                .wall_ms
                .as_ref()
                .or(raw.cpu_ms.as_ref())
                .map(Spanned::span);
            self.push(
                Diagnostic::error(
                    Code::WallBelowCpu,
                    span,
                    "the wall-clock limit is shorter than the CPU limit",
                )
                .with_help("make `wall_ms` at least `cpu_ms`"),
            );
        }
        limits
    }
}
