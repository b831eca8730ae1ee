//! Bounded in-memory pipes for the guest's stdout (the result frame) and stderr.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamError};

/// A bounded in-memory pipe for the guest's stdout or stderr. A write past the cap keeps what
/// fits, marks the pipe as overflowed and traps the guest at once (a guest that caught the
/// error and kept printing would otherwise burn its whole time limit).
#[derive(Clone)]
pub(super) struct CappedPipe {
    state: Arc<PipeState>,
}

struct PipeState {
    cap: usize,
    bytes: Mutex<Vec<u8>>,
    overflowed: AtomicBool,
}

/// The most a guest is told it may write at once.
const WRITE_PERMIT: usize = 64 << 10;

impl CappedPipe {
    pub(super) fn new(cap: u64) -> Self {
        CappedPipe {
            state: Arc::new(PipeState {
                cap: usize::try_from(cap).unwrap_or(usize::MAX),
                bytes: Mutex::new(Vec::new()),
                overflowed: AtomicBool::new(false),
            }),
        }
    }

    pub(super) fn overflowed(&self) -> bool {
        self.state.overflowed.load(Ordering::Relaxed)
    }

    pub(super) fn contents(&self) -> Vec<u8> {
        self.state
            .bytes
            .lock()
            .map(|b| b.clone())
            .unwrap_or_default()
    }

    /// Appends what fits; false when something did not.
    fn append(&self, data: &[u8]) -> bool {
        let Ok(mut bytes) = self.state.bytes.lock() else {
            return false;
        };
        let room = self.state.cap.saturating_sub(bytes.len());
        if data.len() > room {
            bytes.extend_from_slice(&data[..room]);
            self.state.overflowed.store(true, Ordering::Relaxed);
            return false;
        }
        bytes.extend_from_slice(data);
        true
    }
}

impl OutputStream for CappedPipe {
    fn write(&mut self, bytes: Bytes) -> Result<(), StreamError> {
        if self.append(&bytes) {
            Ok(())
        } else {
            Err(StreamError::trap("output limit exceeded"))
        }
    }

    fn flush(&mut self) -> Result<(), StreamError> {
        Ok(())
    }

    fn check_write(&mut self) -> Result<usize, StreamError> {
        if self.overflowed() {
            Err(StreamError::Closed)
        } else {
            Ok(WRITE_PERMIT)
        }
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for CappedPipe {
    async fn ready(&mut self) {}
}

impl tokio::io::AsyncWrite for CappedPipe {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(if self.append(buf) {
            Ok(buf.len())
        } else {
            Err(std::io::Error::other("output limit exceeded"))
        })
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

impl IsTerminal for CappedPipe {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for CappedPipe {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }

    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capped_pipe_keeps_what_fits_and_reports_the_overflow() {
        let pipe = CappedPipe::new(5);
        assert!(pipe.append(b"abc"));
        assert!(pipe.append(b"de"));
        assert!(!pipe.overflowed());
        assert!(!pipe.append(b"f"));
        assert!(pipe.overflowed());
        assert_eq!(pipe.contents(), b"abcde");
    }
}
