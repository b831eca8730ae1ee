//! The WASI context of one case: what the guest may see, and nothing else.

use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::MemoryInputPipe;
use wasmtime_wasi::{Deterministic, FsPerms, HostMonotonicClock, WasiCtxBuilder};

use super::pipe::CappedPipe;
use super::{FRAME_FD, GUEST_BOX, GUEST_STDLIB, GUEST_WORK};
use crate::exercise::CaseInput;
use crate::runner::case_dir::CaseDir;
use crate::runner::{RunRequest, RunnerError};

/// Largest random request (`os.urandom(n)`) served; bigger ones trap.
const MAX_RANDOM_BYTES: u64 = 1 << 20;

/// The WASI context of one case.
pub(super) fn guest_context(
    request: &RunRequest,
    case_dir: &CaseDir,
    stdlib: &Path,
    frame: &CappedPipe,
    stderr: &CappedPipe,
    clock_origin: Instant,
) -> Result<WasiP1Ctx, RunnerError> {
    let request_path = format!("{GUEST_BOX}/request.json");
    let stdin = match &request.input {
        CaseInput::Stdin { text } => text.as_bytes().to_vec(),
        _ => Vec::new(),
    };
    let mut builder = WasiCtxBuilder::new();
    builder
        // The snapshot's interpreter is isolated, without site, hash randomisation or .pyc
        // writing, and has the harness imported already (see sandbox/wasm_entry.py).
        .args(&[
            "python",
            "-c",
            "import kata_harness; kata_harness.run(); kata_harness.leave()",
            &request_path,
            FRAME_FD,
        ])
        .stdin(MemoryInputPipe::new(stdin))
        .stdout(frame.clone())
        .stderr(stderr.clone())
        .monotonic_clock(RunClock {
            origin: clock_origin,
        })
        // Reproducible runs: `random` without a seed, `os.urandom` and hashing all repeat.
        .secure_random(Deterministic::new(random_bytes().to_vec()))
        .insecure_random(Deterministic::new(random_bytes().to_vec()))
        .insecure_random_seed(0)
        .max_random_size(MAX_RANDOM_BYTES)
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false);
    builder
        .preopened_dir(case_dir.code_path(), GUEST_BOX, FsPerms::ReadOnly)
        .map_err(|e| RunnerError::Wasm(format!("cannot open the box directory: {e:#}")))?;
    builder
        .preopened_dir(stdlib, GUEST_STDLIB, FsPerms::ReadOnly)
        .map_err(|e| RunnerError::Wasm(format!("cannot open the standard library: {e:#}")))?;
    // Always writable, as in the subprocess sandbox: cases may write files of their own.
    builder
        .preopened_dir(case_dir.work_path(), GUEST_WORK, FsPerms::ReadWrite)
        .map_err(|e| RunnerError::Wasm(format!("cannot open the work directory: {e:#}")))?;
    Ok(builder.build_p1())
}

/// A fixed stream of pseudo-random bytes (splitmix64 from a fixed seed) that the guest's
/// random sources cycle through.
fn random_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let mut state: u64 = 0x6b61_7461_2d77_6173; // "kata-was"
        (0..1024)
            .flat_map(|_| {
                state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                (z ^ (z >> 31)).to_le_bytes()
            })
            .collect()
    })
}

/// The guest's monotonic clock: nanoseconds since the case's context was made.
struct RunClock {
    origin: Instant,
}

impl HostMonotonicClock for RunClock {
    fn resolution(&self) -> u64 {
        1
    }

    fn now(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_random_stream_is_fixed_and_not_trivially_repetitive() {
        let bytes = random_bytes();
        assert_eq!(bytes, random_bytes());
        assert_eq!(bytes.len(), 8192);
        let distinct: std::collections::HashSet<_> = bytes.chunks(8).collect();
        assert_eq!(distinct.len(), 1024);
    }
}
