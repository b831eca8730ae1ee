//! The code's shape, checked: imports follow the data flow of DESIGN.md ("Layout"), and no two
//! modules import each other.
//!
//! Every file under `src/` is parsed with `syn`; every path that starts at `crate`, `self` or
//! `super` (in `use` items and in code) is resolved to the file that defines it, following
//! `pub use` re-exports, so importing through a parent's re-export still counts as importing the
//! file behind it. Test-only code (`#[cfg(test)]`) is left out: a test may reach for a helper in
//! a higher layer without changing what the product depends on.
//!
//! Two rules:
//! - a top-level module never imports one in a higher layer ([`LAYERS`]);
//! - among files, and among top-level modules, the import graph has no cycle. A module and its
//!   own ancestors are exempt: a parent that declares and re-exports its children is a facade,
//!   not a dependency.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// kata's top-level modules, lowest layer first. A module may import its own layer and the ones
/// below it.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "leaf values",
        &[
            "value",
            "verdict",
            "words",
            "units",
            "style",
            "exit",
            "runtime",
            "sandbox_files",
        ],
    ),
    ("the exercise model", &["exercise"]),
    ("sandboxes", &["isolation", "runner"]),
    ("grading", &["grade"]),
    (
        "sessions and classes",
        &["submission", "session", "classroom"],
    ),
    ("reports", &["report"]),
    (
        "learner and author tools",
        &[
            "mutation",
            "proof",
            "authoring",
            "workspace",
            "curriculum",
            "watch",
            "error",
        ],
    ),
    ("commands", &["settings", "cli", "commands"]),
];

/// A module path inside the crate, e.g. `["runner", "wasm", "net"]`; the crate root is empty.
type ModPath = Vec<String>;

/// One parsed source file.
struct SourceFile {
    module: ModPath,
    syntax: syn::File,
}

/// The crate as the checker sees it: which files exist and what they import.
#[derive(Default)]
struct Crate {
    /// Every module that has its own file.
    files: BTreeSet<ModPath>,
    /// Inline modules (`mod x { … }` inside a file), mapped to the file that holds them.
    inline: BTreeMap<ModPath, ModPath>,
    /// `pub use` re-exports: (module, exported name) → the full path it stands for.
    reexports: BTreeMap<(ModPath, String), ModPath>,
    /// For each file, the full paths it mentions (not yet resolved to files).
    mentions: BTreeMap<ModPath, BTreeSet<ModPath>>,
}

fn module_of(relative: &Path) -> Option<ModPath> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop()?;
    let stem = last.strip_suffix(".rs")?;
    match stem {
        "lib" if parts.is_empty() => {}
        "main" if parts.is_empty() => return None, // the binary: it only calls `kata::run`
        "mod" => {}
        _ => parts.push(stem.to_string()),
    }
    Some(parts)
}

fn source_files(src: &Path) -> Vec<(PathBuf, ModPath)> {
    let mut found = Vec::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && let Some(module) = module_of(path.strip_prefix(src).unwrap())
            {
                found.push((path, module));
            }
        }
    }
    found.sort();
    found
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Meta>()
                .is_ok_and(|meta| meta.path().is_ident("test"))
    })
}

/// Turns a path as written in module `here` into a path from the crate root, or `None` when it
/// does not start inside the crate (`std::…`, a local name, a dependency).
fn absolute(here: &ModPath, segments: &[String]) -> Option<ModPath> {
    let (first, rest) = segments.split_first()?;
    let mut base = match first.as_str() {
        "crate" => Vec::new(),
        "self" => here.clone(),
        "super" => {
            let mut base = here.clone();
            base.pop()?;
            base
        }
        _ => return None,
    };
    let mut rest = rest;
    while let Some((segment, tail)) = rest.split_first() {
        if segment != "super" {
            break;
        }
        base.pop()?;
        rest = tail;
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// Walks one file, collecting what it mentions and re-exports.
struct Collector<'a> {
    krate: &'a mut Crate,
    file: ModPath,
    /// The module the walker is in (deeper than `file` inside inline modules).
    here: ModPath,
}

impl Collector<'_> {
    /// [`absolute`], and also a path that starts at a child module by its bare name
    /// (`use boxed::run;` in `runner/mod.rs`).
    fn resolve(&self, segments: &[String]) -> Option<ModPath> {
        absolute(&self.here, segments).or_else(|| {
            let mut path = self.here.clone();
            path.push(segments.first()?.clone());
            let known = self.krate.files.contains(&path) || self.krate.inline.contains_key(&path);
            known.then(|| {
                path.extend(segments[1..].iter().cloned());
                path
            })
        })
    }

    fn mention(&mut self, segments: &[String]) {
        if let Some(path) = self.resolve(segments) {
            self.krate
                .mentions
                .entry(self.file.clone())
                .or_default()
                .insert(path);
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree, public: bool) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(prefix, &path.tree, public);
                prefix.pop();
            }
            syn::UseTree::Name(name) => self.used(prefix, &name.ident.to_string(), None, public),
            syn::UseTree::Rename(rename) => self.used(
                prefix,
                &rename.ident.to_string(),
                Some(rename.rename.to_string()),
                public,
            ),
            syn::UseTree::Glob(_) => self.mention(prefix),
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(prefix, tree, public);
                }
            }
        }
    }

    fn used(&mut self, prefix: &[String], name: &str, alias: Option<String>, public: bool) {
        let mut segments = prefix.to_vec();
        if name != "self" {
            segments.push(name.to_string());
        }
        self.mention(&segments);
        if public && let Some(target) = self.resolve(&segments) {
            let exported = alias.unwrap_or_else(|| segments.last().cloned().unwrap_or_default());
            self.krate
                .reexports
                .insert((self.here.clone(), exported), target);
        }
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        if is_test_only(&item.attrs) {
            return;
        }
        let public = !matches!(item.vis, syn::Visibility::Inherited);
        let mut prefix = Vec::new();
        if item.leading_colon.is_none() {
            self.use_tree(&mut prefix, &item.tree, public);
        }
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if is_test_only(&item.attrs) {
            return;
        }
        if let Some((_, items)) = &item.content {
            self.here.push(item.ident.to_string());
            self.krate
                .inline
                .insert(self.here.clone(), self.file.clone());
            for item in items {
                self.visit_item(item);
            }
            self.here.pop();
        }
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if !is_test_only(&item.attrs) {
            syn::visit::visit_item_fn(self, item);
        }
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        if !is_test_only(&item.attrs) {
            syn::visit::visit_item_impl(self, item);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() && path.segments.len() > 1 {
            let segments: Vec<String> = path
                .segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect();
            self.mention(&segments);
        }
        syn::visit::visit_path(self, path);
    }
}

impl Crate {
    fn load(src: &Path) -> Crate {
        let files: Vec<SourceFile> = source_files(src)
            .into_iter()
            .map(|(path, module)| {
                let text = fs::read_to_string(&path).unwrap();
                let syntax = syn::parse_file(&text)
                    .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
                SourceFile { module, syntax }
            })
            .collect();
        Crate::from_files(&files)
    }

    fn from_files(files: &[SourceFile]) -> Crate {
        let mut krate = Crate {
            files: files.iter().map(|file| file.module.clone()).collect(),
            ..Crate::default()
        };
        for file in files {
            let mut collector = Collector {
                krate: &mut krate,
                file: file.module.clone(),
                here: file.module.clone(),
            };
            collector.visit_file(&file.syntax);
        }
        krate
    }

    /// The file that defines what `path` names: re-exports followed, then the longest prefix
    /// that is a module with its own file (or an inline module, counted as its file).
    fn file_of(&self, path: &ModPath) -> Option<ModPath> {
        let mut path = path.clone();
        // Re-exports may chain (a parent re-exporting a child's re-export); a few hops suffice
        // and the bound keeps a re-export loop from spinning.
        for _ in 0..8 {
            let redirected = (1..=path.len()).rev().find_map(|len| {
                let (module, name) = (path[..len - 1].to_vec(), path[len - 1].clone());
                let target = self.reexports.get(&(module, name))?;
                let mut full = target.clone();
                full.extend(path[len..].iter().cloned());
                Some(full)
            });
            match redirected {
                Some(next) if next != path => path = next,
                _ => break,
            }
        }
        (0..=path.len()).rev().find_map(|len| {
            let prefix = path[..len].to_vec();
            if self.files.contains(&prefix) {
                Some(prefix)
            } else {
                self.inline.get(&prefix).cloned()
            }
        })
    }

    /// File → the files it imports, without itself, its ancestors and its descendants.
    fn file_graph(&self) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
        let mut graph: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
        for (file, mentions) in &self.mentions {
            for mention in mentions {
                let Some(target) = self.file_of(mention) else {
                    continue;
                };
                if target.starts_with(file) || file.starts_with(&target) {
                    continue;
                }
                graph.entry(file.clone()).or_default().insert(target);
            }
        }
        graph
    }
}

/// Collapses a file graph to top-level modules (the crate root itself is left out).
fn top_level_graph(
    files: &BTreeMap<ModPath, BTreeSet<ModPath>>,
) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let mut graph: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for (from, targets) in files {
        for to in targets {
            if let (Some(a), Some(b)) = (from.first(), to.first())
                && a != b
            {
                graph
                    .entry(vec![a.clone()])
                    .or_default()
                    .insert(vec![b.clone()]);
            }
        }
    }
    graph
}

/// Every cycle in `graph`, one per strongly connected component of more than one node, each
/// listed from its smallest member around back to it.
fn cycles(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<ModPath>> {
    let nodes: BTreeSet<&ModPath> = graph
        .iter()
        .flat_map(|(from, tos)| std::iter::once(from).chain(tos))
        .collect();
    let reaches = |from: &ModPath, to: &ModPath| -> Option<Vec<ModPath>> {
        // Breadth-first, so the cycle shown is a shortest one.
        let mut previous: BTreeMap<&ModPath, &ModPath> = BTreeMap::new();
        let mut frontier = vec![from];
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for node in frontier {
                for target in graph.get(node).into_iter().flatten() {
                    if target == to {
                        let mut path = vec![to.clone(), node.clone()];
                        let mut at = node;
                        while let Some(&before) = previous.get(at) {
                            path.push(before.clone());
                            at = before;
                        }
                        path.reverse();
                        return Some(path);
                    }
                    if !previous.contains_key(target) && target != from {
                        previous.insert(target, node);
                        next.push(target);
                    }
                }
            }
            frontier = next;
        }
        None
    };
    let mut seen: BTreeSet<ModPath> = BTreeSet::new();
    let mut found = Vec::new();
    for node in nodes {
        if seen.contains(node) {
            continue;
        }
        if let Some(cycle) = reaches(node, node) {
            seen.extend(cycle.iter().cloned());
            found.push(cycle);
        }
    }
    found
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

fn show(path: &ModPath) -> String {
    if path.is_empty() {
        "crate".to_string()
    } else {
        path.join("::")
    }
}

/// Every broken rule, one line each.
fn problems(krate: &Crate) -> Vec<String> {
    let files = krate.file_graph();
    let top = top_level_graph(&files);
    let mut problems = Vec::new();
    for module in top.keys().chain(top.values().flatten()) {
        if layer_of(&module[0]).is_none() {
            problems.push(format!(
                "`{}` is in no layer: add it to LAYERS in tests/layers.rs",
                show(module)
            ));
        }
    }
    for (from, targets) in &files {
        for to in targets {
            let (Some(a), Some(b)) = (from.first(), to.first()) else {
                continue;
            };
            if let (Some(low), Some(high)) = (layer_of(a), layer_of(b))
                && high > low
            {
                problems.push(format!(
                    "`{}` ({}) imports `{}` ({}), a higher layer",
                    show(from),
                    LAYERS[low].0,
                    show(to),
                    LAYERS[high].0
                ));
            }
        }
    }
    for cycle in cycles(&top).into_iter().chain(cycles(&files)) {
        let shown: Vec<String> = cycle.iter().map(show).collect();
        problems.push(format!("import cycle: {}", shown.join(" → ")));
    }
    problems.sort();
    problems.dedup();
    problems
}

#[test]
fn imports_follow_the_layers_and_never_go_round_in_a_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let krate = Crate::load(&src);
    assert!(
        krate.files.len() > 50,
        "found only {} source files",
        krate.files.len()
    );
    let problems = problems(&krate);
    assert!(
        problems.is_empty(),
        "the import graph breaks DESIGN.md's layering ({} problems):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Parses a made-up crate given as (file path under src/, source) pairs.
fn made_up(files: &[(&str, &str)]) -> Crate {
    let files: Vec<SourceFile> = files
        .iter()
        .map(|(path, text)| SourceFile {
            module: module_of(Path::new(path)).unwrap(),
            syntax: syn::parse_file(text).unwrap(),
        })
        .collect();
    Crate::from_files(&files)
}

#[test]
fn a_cycle_between_two_sibling_files_is_reported() {
    let krate = made_up(&[
        ("lib.rs", "pub mod exercise;"),
        ("exercise/mod.rs", "mod check; mod load;"),
        (
            "exercise/check.rs",
            "use super::load::Loaded; pub struct Checked;",
        ),
        (
            "exercise/load.rs",
            "pub struct Loaded; fn f() { let _ = crate::exercise::check::Checked; }",
        ),
    ]);
    assert_eq!(
        problems(&krate),
        ["import cycle: exercise::check → exercise::load → exercise::check"]
    );
}

#[test]
fn a_cycle_through_a_parents_reexport_is_still_a_cycle() {
    let krate = made_up(&[
        ("lib.rs", "pub mod runner;"),
        (
            "runner/mod.rs",
            "mod boxed; mod subprocess; pub use subprocess::Spawned;",
        ),
        ("runner/boxed.rs", "use super::Spawned; pub fn run() {}"),
        (
            "runner/subprocess.rs",
            "pub struct Spawned; fn go() { super::boxed::run() }",
        ),
    ]);
    assert_eq!(
        problems(&krate),
        ["import cycle: runner::boxed → runner::subprocess → runner::boxed"]
    );
}

#[test]
fn importing_a_higher_layer_is_reported_and_test_code_is_not() {
    let krate = made_up(&[
        ("lib.rs", "pub mod exercise; pub mod grade;"),
        ("exercise/mod.rs", "use crate::grade::Verdict;"),
        (
            "grade/mod.rs",
            "pub enum Verdict {} #[cfg(test)] mod tests { use crate::exercise; }",
        ),
    ]);
    assert_eq!(
        problems(&krate),
        ["`exercise` (the exercise model) imports `grade` (grading), a higher layer"]
    );
}

#[test]
fn a_parent_and_its_own_children_may_use_each_other() {
    let krate = made_up(&[
        ("lib.rs", "pub mod runner;"),
        (
            "runner/mod.rs",
            "mod wasm; pub use wasm::Engine; pub struct Request;",
        ),
        ("runner/wasm.rs", "use super::Request; pub struct Engine;"),
    ]);
    assert_eq!(problems(&krate), Vec::<String>::new());
}
