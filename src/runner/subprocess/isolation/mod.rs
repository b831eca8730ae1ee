//! Isolation for the subprocess sandbox on Linux: everything below the runner.
//!
//! A box is built by the box helper process (`kata __box-helper`, see [`box_helper`]) from a
//! [`spec::BoxSpec`] the grader prepares. Nothing here imports a runner: the runner above
//! (`runner::subprocess`) uses these modules, and `runner::subprocess::selftest` checks from
//! inside a real box that the layers hold. Which layers a box gets depends on what the machine
//! allows; [`detect`] finds out at start-up, [`layers`] names them, `kata sandbox status`
//! prints them, and [`policy`] decides whether they are enough to grade strangers' code.
//!
//! - [`view`]: which host paths a box may see (read-only), and which must stay hidden;
//! - [`slots`]: one unprivileged uid per concurrent box when the grader is root;
//! - [`elf`]: the interpreter's ELF loader, which must stay executable;
//! - [`starvation`]: how long a case waited for a CPU, which its wall deadline does not count;
//! - [`tree_usage`]: what a process tree stopped by a limit had used.

pub mod box_helper;
pub(crate) mod detect;
pub(crate) mod elf;
pub(crate) mod layers;
pub(crate) mod policy;
pub(crate) mod slots;
pub(crate) mod spec;
pub(crate) mod starvation;
pub(crate) mod tree_usage;
pub(crate) mod view;

pub use detect::{Isolation, IsolationError, Mode};
pub use layers::{Layer, LayerStatus, State};
pub use policy::{WeakSandbox, check_grading, missing_for_grading};
