//! When a sandbox is too weak to grade strangers' code with.
//!
//! `kata grade` runs code the grader did not write; it must refuse a subprocess sandbox that
//! lacks a layer the threat model (docs/security.md) relies on, unless the operator says
//! `--allow-weak-sandbox`. Learners checking their own code only get a warning.

use super::detect::Isolation;
use super::layers::Layer;

/// Layers every box must have to grade untrusted code. Besides these, the boxes must be
/// separated by identity: their own uid (root) or their own user namespace.
pub(crate) const REQUIRED: [Layer; 10] = [
    Layer::MountNamespace,
    Layer::PidNamespace,
    Layer::NetworkNamespace,
    Layer::IpcNamespace,
    Layer::NoNewPrivs,
    Layer::Capabilities,
    Layer::ParentDeathSignal,
    Layer::Rlimits,
    Layer::ProcessCap,
    Layer::Seccomp,
];

/// The required layers missing here (empty when the sandbox is strong enough).
pub fn missing_for_grading(isolation: &Isolation) -> Vec<Layer> {
    let mut missing: Vec<Layer> = REQUIRED
        .into_iter()
        .filter(|&layer| !isolation.is_active(layer))
        .collect();
    if !isolation.is_active(Layer::BoxUid) && !isolation.is_active(Layer::UserNamespace) {
        missing.insert(0, Layer::BoxUid);
    }
    missing
}

/// `kata grade` refuses a weak sandbox.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the subprocess sandbox is missing {}, so it cannot safely run code you did not write",
    list(.missing)
)]
pub struct WeakSandbox {
    pub missing: Vec<Layer>,
}

impl WeakSandbox {
    pub fn help(&self) -> &'static str {
        "run `kata sandbox status` to see why; grade as root or where unprivileged user \
         namespaces are allowed, use --sandbox wasm, or pass --allow-weak-sandbox to accept the risk"
    }
}

/// Whether grading may go ahead: `Ok` with the layers it goes ahead without (empty, or
/// accepted with `allow_weak`), or the refusal.
pub fn check_grading(isolation: &Isolation, allow_weak: bool) -> Result<Vec<Layer>, WeakSandbox> {
    let missing = missing_for_grading(isolation);
    if missing.is_empty() || allow_weak {
        Ok(missing)
    } else {
        Err(WeakSandbox { missing })
    }
}

fn list(layers: &[Layer]) -> String {
    layers
        .iter()
        .map(|layer| layer.name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::subprocess::isolation::detect::Mode;
    use crate::runner::subprocess::isolation::spec::ProbeReport;

    fn isolation(mode: Mode, root: bool, seccomp: bool) -> Isolation {
        Isolation {
            mode,
            root,
            forced: None,
            landlock_abi: 7,
            seccomp,
            probe: Some(ProbeReport::default()),
            cgroups: "cgroup v1".into(),
            helper: "kata".into(),
        }
    }

    #[test]
    fn namespaces_as_root_are_strong_enough() {
        let strong = isolation(
            Mode::Namespaces {
                user_namespace: false,
            },
            true,
            true,
        );
        assert_eq!(check_grading(&strong, false), Ok(vec![]));
    }

    #[test]
    fn namespaces_in_a_user_namespace_are_strong_enough() {
        let strong = isolation(
            Mode::Namespaces {
                user_namespace: true,
            },
            false,
            true,
        );
        assert_eq!(missing_for_grading(&strong), []);
    }

    #[test]
    fn the_landlock_fallback_is_refused_unless_allowed() {
        let weak = isolation(Mode::HostFs, false, true);
        let refusal = check_grading(&weak, false).unwrap_err();
        assert_eq!(
            refusal.missing,
            [
                Layer::BoxUid,
                Layer::MountNamespace,
                Layer::PidNamespace,
                Layer::NetworkNamespace,
                Layer::IpcNamespace
            ]
        );
        assert!(refusal.to_string().contains("mount-namespace"));
        assert_eq!(check_grading(&weak, true), Ok(refusal.missing));
    }

    #[test]
    fn root_without_namespaces_still_lacks_them() {
        let weak = isolation(Mode::HostFs, true, true);
        let missing = missing_for_grading(&weak);
        assert!(!missing.contains(&Layer::BoxUid), "root gets box uids");
        assert!(missing.contains(&Layer::PidNamespace));
    }

    #[test]
    fn missing_seccomp_alone_is_enough_to_refuse() {
        let weak = isolation(
            Mode::Namespaces {
                user_namespace: false,
            },
            true,
            false,
        );
        assert_eq!(missing_for_grading(&weak), [Layer::Seccomp]);
    }

    #[test]
    fn no_isolation_misses_almost_everything() {
        let off = isolation(Mode::Off, true, true);
        let missing = missing_for_grading(&off);
        assert_eq!(missing.len(), 10, "{missing:?}");
        assert!(!missing.contains(&Layer::Rlimits));
    }
}
