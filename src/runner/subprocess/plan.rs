//! How a subprocess runner runs its cases, decided once when it is made: the interpreter, the
//! isolation this machine allows, what of the host a box sees, the box uids, and the compiled
//! harness every box shares. The ways of running a case (`direct`, `fresh`, `warm`) read it;
//! none of them needs the runner itself.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::bytecode::Bytecode;
use super::isolation::Isolation;
use super::isolation::box_helper;
use super::isolation::slots::SlotPool;
use super::isolation::spec::HostView;
use crate::runner::python::Interpreter;

#[derive(Debug)]
pub(super) struct Plan {
    pub interpreter: Interpreter,
    pub isolation: Isolation,
    pub view: HostView,
    /// Box uids, when the grader is root.
    pub slots: Option<Arc<SlotPool>>,
    /// The fork server and the harness compiled, looked up (or made) for the first box.
    bytecode: OnceLock<Option<Bytecode>>,
}

impl Plan {
    pub(super) fn new(
        interpreter: Interpreter,
        isolation: Isolation,
        view: HostView,
        slots: Option<Arc<SlotPool>>,
    ) -> Plan {
        Plan {
            interpreter,
            isolation,
            view,
            slots,
            bytecode: OnceLock::new(),
        }
    }

    /// The fork server's and the harness's bytecode (see [`super::bytecode`]); `None` when it
    /// cannot be had here (the boxes then compile the sources).
    pub(super) fn bytecode(&self) -> Option<&Bytecode> {
        self.bytecode
            .get_or_init(|| Bytecode::cached(&self.interpreter, Path::new(box_helper::BOX)))
            .as_ref()
    }
}
