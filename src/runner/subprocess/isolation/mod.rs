//! Isolation for the subprocess sandbox on Linux.
//!
//! A box is built by a helper process (`kata __box-helper`, see [`helper`]) from a
//! [`spec::BoxSpec`] the grader prepares. Which layers a box gets depends on what the machine
//! allows; [`detect`] finds out at start-up, [`layers`] names them, `kata sandbox status`
//! prints them, and [`policy`] decides whether they are enough to grade strangers' code.
//!
//! - [`view`]: which host paths a box may see (read-only), and which must stay hidden;
//! - [`slots`]: one unprivileged uid per concurrent box when the grader is root;
//! - [`elf`]: the interpreter's ELF loader, which must stay executable;
//! - [`starvation`]: how long a case waited for a CPU, which its wall deadline does not count;
//! - [`tree_usage`]: what a process tree stopped by a limit had used.

pub mod detect;
pub mod elf;
pub mod helper;
pub mod layers;
pub mod policy;
pub mod selftest;
pub mod slots;
pub mod spec;
pub mod starvation;
pub mod tree_usage;
pub mod view;

pub use detect::{Isolation, IsolationError, Mode};
pub use layers::{Layer, LayerStatus, State};
pub use policy::{WeakSandbox, check_grading, missing_for_grading};
