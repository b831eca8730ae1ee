//! The store limiter: caps the guest's linear memory and remembers what it asked for.

use wasmtime::ResourceLimiter;

/// Caps linear memory and remembers what was asked for.
pub(super) struct GuestLimiter {
    max_bytes: usize,
    pub(super) peak_bytes: usize,
    /// A growth was refused: the guest saw an allocation fail.
    pub(super) refused: bool,
}

impl GuestLimiter {
    pub(super) fn new(max_bytes: u64) -> Self {
        GuestLimiter {
            max_bytes: usize::try_from(max_bytes).unwrap_or(usize::MAX),
            peak_bytes: 0,
            refused: false,
        }
    }
}

impl ResourceLimiter for GuestLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.max_bytes {
            self.refused = true;
            return Ok(false);
        }
        self.peak_bytes = self.peak_bytes.max(desired);
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        // CPython's function table is fixed at link time; growth would be odd but harmless.
        Ok(desired <= 1 << 20)
    }

    fn instances(&self) -> usize {
        1
    }

    fn tables(&self) -> usize {
        4
    }

    fn memories(&self) -> usize {
        1
    }
}
