//! Which host paths a box sees: the interpreter's prefix and the system libraries, read-only;
//! never the kata binary (it embeds the catalogue, hidden cases included), the exercises, or
//! the grader's working directory, even when they happen to lie inside one of those trees.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::elf;
use super::spec::HostView;

/// What a box must show of the interpreter it runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Python<'a> {
    /// The executable.
    pub program: &'a Path,
    /// The trees it loads its standard library and extension modules from.
    pub prefixes: &'a [PathBuf],
}

/// Top-level directories that hold libraries; on merged-/usr systems they are symlinks.
const LIBRARY_ROOTS: [&str; 6] = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/// The view for boxes built with namespaces: binds plus masks.
pub(crate) fn for_namespaces(python: Python<'_>, secrets: &[PathBuf]) -> io::Result<HostView> {
    let mut trees = base_trees(python)?;
    let mut symlinks = Vec::new();
    for root in LIBRARY_ROOTS {
        let root = Path::new(root);
        match fs::symlink_metadata(root) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                symlinks.push((root.to_path_buf(), fs::read_link(root)?));
            }
            Ok(metadata) if metadata.is_dir() => trees.push(root.to_path_buf()),
            _ => {}
        }
    }
    let read_only = outermost(trees);
    let secrets = canonical(secrets);
    let masks = secrets
        .iter()
        .filter(|secret| read_only.iter().any(|tree| strictly_inside(secret, tree)))
        .cloned()
        .collect();
    Ok(HostView {
        read_only,
        symlinks,
        masks,
        executables: executables(python)?,
    })
}

/// The view for boxes on the host file system: Landlock cannot hide a path inside a tree it
/// allows, so a tree that holds a secret is replaced by its other entries.
pub(crate) fn for_host_fs(python: Python<'_>, secrets: &[PathBuf]) -> io::Result<HostView> {
    let mut trees = base_trees(python)?;
    // Landlock follows the symlinks when the rules are made: /lib is /usr/lib.
    trees.extend(
        LIBRARY_ROOTS
            .iter()
            .filter_map(|root| fs::canonicalize(root).ok()),
    );
    let secrets = canonical(secrets);
    let mut read_only = Vec::new();
    for tree in outermost(trees) {
        around(&tree, &secrets, &mut read_only, 0)?;
    }
    Ok(HostView {
        read_only,
        symlinks: Vec::new(),
        masks: Vec::new(),
        executables: executables(python)?,
    })
}

/// The interpreter's prefixes, /usr, and the interpreter itself if it lives elsewhere.
fn base_trees(python: Python<'_>) -> io::Result<Vec<PathBuf>> {
    let mut trees = vec![PathBuf::from("/usr")];
    trees.extend(canonical(python.prefixes));
    let program = fs::canonicalize(python.program)?;
    if !trees.iter().any(|tree| program.starts_with(tree)) {
        trees.push(program);
    }
    Ok(trees)
}

/// The interpreter and its ELF loader: the only files a box may execute.
fn executables(python: Python<'_>) -> io::Result<Vec<PathBuf>> {
    let program = fs::canonicalize(python.program)?;
    let mut executables = vec![program.clone()];
    if let Some(loader) = elf::interpreter_of(&program)? {
        executables.push(fs::canonicalize(loader)?);
    }
    Ok(executables)
}

fn canonical(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .filter_map(|path| fs::canonicalize(path).ok())
        .collect()
}

/// `paths` without the ones inside another, sorted.
fn outermost(mut paths: Vec<PathBuf>) -> Vec<PathBuf> {
    paths.sort();
    paths.dedup();
    let mut kept: Vec<PathBuf> = Vec::new();
    for path in paths {
        if !kept.iter().any(|outer| path.starts_with(outer)) {
            kept.push(path);
        }
    }
    kept
}

fn strictly_inside(path: &Path, tree: &Path) -> bool {
    path != tree && path.starts_with(tree)
}

/// Adds `tree` to `allowed`, or, when a secret lies inside it, its entries minus the way to
/// the secret.
fn around(
    tree: &Path,
    secrets: &[PathBuf],
    allowed: &mut Vec<PathBuf>,
    depth: usize,
) -> io::Result<()> {
    if secrets.iter().any(|secret| secret == tree) {
        return Ok(());
    }
    let holds_secret = secrets.iter().any(|secret| strictly_inside(secret, tree));
    if !holds_secret || depth > 16 || !tree.is_dir() {
        allowed.push(tree.to_path_buf());
        return Ok(());
    }
    for entry in fs::read_dir(tree)? {
        around(&entry?.path(), secrets, allowed, depth + 1)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_trees_collapse_into_the_outer_one() {
        let trees = outermost(vec![
            PathBuf::from("/usr/lib/python3"),
            PathBuf::from("/usr"),
            PathBuf::from("/opt/py"),
            PathBuf::from("/usr"),
        ]);
        assert_eq!(trees, [PathBuf::from("/opt/py"), PathBuf::from("/usr")]);
    }

    #[test]
    fn a_secret_inside_an_allowed_tree_is_cut_out() {
        let tree = tempfile::tempdir().unwrap();
        let root = tree.path();
        fs::create_dir_all(root.join("bin")).unwrap();
        fs::create_dir_all(root.join("lib")).unwrap();
        fs::write(root.join("bin/kata"), "secret").unwrap();
        fs::write(root.join("bin/python3"), "").unwrap();
        let mut allowed = Vec::new();
        around(root, &[root.join("bin/kata")], &mut allowed, 0).unwrap();
        allowed.sort();
        assert_eq!(allowed, [root.join("bin/python3"), root.join("lib")]);
    }
}
