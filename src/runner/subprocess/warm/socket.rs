//! The fork server's side of the conversation on its socket: length-prefixed messages, with a
//! case's descriptors passed as SCM_RIGHTS.

use std::io::IoSlice;
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::time::{Duration, Instant};

use rustix::io::Errno;
use rustix::net::{SendAncillaryBuffer, SendAncillaryMessage, SendFlags};
use serde::Deserialize;
use tokio::io::AsyncReadExt;
use tokio::net::UnixStream;

/// The largest answer a fork server sends.
const ANSWER_CAP: usize = 4096;

/// What a fork server says.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Answer {
    #[serde(default)]
    pub(super) ready: bool,
    pub(super) status: Option<i32>,
    #[serde(default)]
    pub(super) cpu_us: u64,
    #[serde(default)]
    pub(super) max_rss_kb: u64,
    pub(super) error: Option<String>,
}

/// One length-prefixed message from the fork server.
pub(super) async fn read_message(socket: &mut UnixStream) -> std::io::Result<Vec<u8>> {
    let mut length = [0u8; 4];
    socket.read_exact(&mut length).await?;
    let length = u32::from_le_bytes(length) as usize;
    if length > ANSWER_CAP {
        return Err(std::io::Error::other(
            "the fork server's answer is too large",
        ));
    }
    let mut bytes = vec![0u8; length];
    socket.read_exact(&mut bytes).await?;
    Ok(bytes)
}

/// Sends `body` (length-prefixed) with `fds` attached as SCM_RIGHTS. The socket's buffer is
/// empty between cases, so this never waits.
pub(super) fn send_with_fds(
    socket: &UnixStream,
    body: &[u8],
    fds: &[&OwnedFd],
) -> std::io::Result<()> {
    let header = (body.len() as u32).to_le_bytes();
    write_all_nonblocking(socket.as_fd(), &header)?;
    let fds: Vec<BorrowedFd<'_>> = fds.iter().map(|fd| fd.as_fd()).collect();
    let mut space = vec![MaybeUninit::<u8>::uninit(); rustix::cmsg_space!(ScmRights(fds.len()))];
    let mut control = SendAncillaryBuffer::new(&mut space);
    if !control.push(SendAncillaryMessage::ScmRights(&fds)) {
        return Err(std::io::Error::other("no room for the descriptors"));
    }
    let sent = rustix::net::sendmsg(
        socket,
        &[IoSlice::new(body)],
        &mut control,
        SendFlags::NOSIGNAL,
    )?;
    if sent < body.len() {
        write_all_nonblocking(socket.as_fd(), &body[sent..])?;
    }
    Ok(())
}

/// Writes all of `bytes` to a non-blocking socket whose buffer has room (waits briefly if not).
fn write_all_nonblocking(socket: BorrowedFd<'_>, mut bytes: &[u8]) -> std::io::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !bytes.is_empty() {
        match rustix::net::send(socket, bytes, SendFlags::NOSIGNAL) {
            Ok(written) => bytes = &bytes[written..],
            Err(Errno::AGAIN) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}
