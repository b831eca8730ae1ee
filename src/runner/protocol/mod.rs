//! The protocol between the host and the harness: the request it runs from (`request.rs`) and
//! the result frame, its one report of one case (`frame.rs`, parsed once into checked types).
//!
//! The result channel (descriptor 3 natively, stdout in the wasm sandbox) is reachable from the
//! candidate's code, so everything on it is untrusted input. Protocol 1 on the wire:
//!
//! ```text
//! channel  = [handover] frame
//! handover = "KATA-HANDOVER 1\n"
//! frame    = "KATA-FRAME 1 " length "\n" body   (length: ASCII decimal digits, at most 20)
//! body     = exactly `length` bytes of UTF-8 JSON, an object with "protocol": 1 and "status"
//! ```
//!
//! The harness writes the handover mark the moment before it first runs the candidate's code
//! (the module's import, or the main program of a `stdin` case). A frame that arrives with no
//! mark before it was sent while only kata's own code had run, so it is believed whatever it
//! says; after the mark, the candidate could have written anything, so a frame that claims a
//! failure of kata or of the exercise (`harness-error`, `setup-error`) is the submission's doing
//! and is refused. A forged second mark, a frame before a mark, two frames, a short frame or
//! trailing bytes are all a [`FrameError`]: the grader fails closed and never guesses.
//!
//! [`parse`] turns the bytes into checked types once (value paths, stream names, type names), so
//! nothing downstream slices or re-checks raw text. Its cost is linear in the frame's size
//! except for sorting set elements and dict keys (`O(n log n)`).

// Everything here handles what the sandbox sent: no panicking shortcuts outside tests.
#![cfg_attr(
    not(test),
    deny(
        clippy::string_slice,
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo
    )
)]

mod frame;
mod request;
#[cfg(test)]
mod tests;

pub use frame::{
    CappedStream, EntryNotes, Finished, Frame, FrameError, HarnessOutcome, Phase, StuckAt,
    SyntaxProblem, TypeName, ValuePath, parse,
};
pub use request::{HarnessRequest, LeetCodeRequest};

/// The protocol version the harness and the host speak.
pub const PROTOCOL: u32 = 1;

/// The most bytes a frame may take: the captured stdout and stderr it carries (each capped at
/// `output_cap`), and room for its JSON around them.
pub fn frame_cap(output_cap: u64) -> u64 {
    2 * output_cap + (1 << 20)
}

/// Written by the harness just before the candidate's code first runs (see the module docs).
pub const HANDOVER: &[u8] = b"KATA-HANDOVER 1\n";
