//! The catalogue: every exercise kata knows, embedded in the binary or read from a directory.

use std::fs;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use super::diagnostic::{InvalidExercise, SourceFile};
use super::field_names::closest;
use super::load;
use super::model::Exercise;

/// The exercises shipped with kata, compiled in so `kata list` works from any directory.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/exercises");

/// Where exercises come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogueSource {
    /// The catalogue compiled into kata.
    Embedded,
    /// A directory of `<id>.toml` files (`--exercises DIR` or `KATA_EXERCISES`).
    Directory(PathBuf),
}

/// The exercises of one source, valid ones and invalid ones apart.
#[derive(Debug)]
pub struct Catalogue {
    pub source: CatalogueSource,
    /// Sorted by id.
    pub exercises: Vec<Exercise>,
    /// Files that did not load, with every problem found in them.
    pub invalid: Vec<InvalidExercise>,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("cannot read the exercises directory `{}`: {source}", path.display())]
    ReadDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read `{}`: {source}", path.display())]
    ReadFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no exercise named `{id}` in {where_}")]
    UnknownExercise {
        id: String,
        where_: String,
        suggestion: Option<String>,
    },
    #[error("{0}")]
    Invalid(Box<InvalidExercise>),
}

impl Catalogue {
    /// Loads every exercise of `source`. Unreadable directories and files are errors; invalid
    /// exercises are kept apart in [`Catalogue::invalid`].
    pub fn load(source: CatalogueSource) -> Result<Catalogue, CatalogueError> {
        let files = match &source {
            CatalogueSource::Embedded => embedded_files(),
            CatalogueSource::Directory(path) => directory_files(path)?,
        };
        let mut exercises = Vec::new();
        let mut invalid = Vec::new();
        for (id, file) in files {
            match load::parse(&id, file) {
                Ok(exercise) => exercises.push(exercise),
                Err(problems) => invalid.push(problems),
            }
        }
        exercises.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Catalogue {
            source,
            exercises,
            invalid,
        })
    }

    /// Describes the source for messages.
    pub fn describe(&self) -> String {
        match &self.source {
            CatalogueSource::Embedded => "the built-in catalogue".to_string(),
            CatalogueSource::Directory(path) => format!("`{}`", path.display()),
        }
    }

    /// A file kept beside the exercises that is not an exercise (such as the learning order),
    /// if the catalogue has it.
    pub fn companion_file(&self, name: &str) -> Option<String> {
        match &self.source {
            CatalogueSource::Embedded => EMBEDDED
                .get_file(name)
                .map(|file| String::from_utf8_lossy(file.contents()).into_owned()),
            CatalogueSource::Directory(dir) => fs::read_to_string(dir.join(name)).ok(),
        }
    }

    /// The exercise with this id; an invalid one is reported with its problems. Ids use
    /// hyphens, but the underscore form (`lru_cache`, as in the file name `lru_cache.py`) is
    /// accepted too.
    pub fn get(&self, id: &str) -> Result<&Exercise, CatalogueError> {
        let hyphenated = id.replace('_', "-");
        let matches = |candidate: &str| candidate == id || candidate == hyphenated;
        if let Some(exercise) = self.exercises.iter().find(|e| matches(&e.id)) {
            return Ok(exercise);
        }
        if let Some(invalid) = self
            .invalid
            .iter()
            .find(|invalid| matches(file_id(&invalid.file.name)))
        {
            return Err(CatalogueError::Invalid(Box::new(invalid.clone())));
        }
        let ids: Vec<&str> = self.exercises.iter().map(|e| e.id.as_str()).collect();
        Err(CatalogueError::UnknownExercise {
            id: id.to_string(),
            where_: self.describe(),
            suggestion: closest(&hyphenated, &ids).map(str::to_string),
        })
    }

    /// Every tag some exercise carries, sorted and without repeats.
    pub fn tags(&self) -> Vec<&str> {
        let mut tags: Vec<&str> = self
            .exercises
            .iter()
            .flat_map(|e| e.tags.iter().map(String::as_str))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        tags
    }

    /// The known tag closest to `tag`, when `tag` looks like a typo of one.
    pub fn closest_tag(&self, tag: &str) -> Option<&str> {
        closest(tag, &self.tags())
    }
}

fn file_id(name: &str) -> &str {
    Path::new(name)
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or(name)
}

fn embedded_files() -> Vec<(String, SourceFile)> {
    EMBEDDED
        .files()
        .filter(|file| file.path().extension().is_some_and(|ext| ext == "toml"))
        .map(|file| {
            let id = file_id(&file.path().to_string_lossy()).to_string();
            let source = SourceFile {
                name: format!("exercises/{}", file.path().display()),
                text: String::from_utf8_lossy(file.contents()).into_owned(),
            };
            (id, source)
        })
        .collect()
}

fn directory_files(dir: &Path) -> Result<Vec<(String, SourceFile)>, CatalogueError> {
    let read_dir = |source| CatalogueError::ReadDir {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(read_dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(read_dir)?;
    paths.retain(|path| path.extension().is_some_and(|ext| ext == "toml") && path.is_file());
    paths.sort();
    paths
        .into_iter()
        .map(|path| read_exercise_file(&path))
        .collect()
}

/// Reads one exercise file from disk, named as the user would name it.
pub(crate) fn read_exercise_file(path: &Path) -> Result<(String, SourceFile), CatalogueError> {
    let text = fs::read_to_string(path).map_err(|source| CatalogueError::ReadFile {
        path: path.to_path_buf(),
        source,
    })?;
    let id = file_id(&path.to_string_lossy()).to_string();
    Ok((
        id,
        SourceFile {
            name: path.display().to_string(),
            text,
        },
    ))
}

impl Catalogue {
    /// The four flagship exercises of the built-in catalogue, for tests that pin an order and
    /// screens that must not change whenever an exercise is added.
    #[cfg(test)]
    pub(crate) fn flagship() -> Catalogue {
        let mut catalogue = Catalogue::load(CatalogueSource::Embedded).unwrap();
        let flagship = [
            "is-valid-bst",
            "lru-cache",
            "reverse-linked-list",
            "three-sum",
        ];
        catalogue
            .exercises
            .retain(|e| flagship.contains(&e.id.as_str()));
        catalogue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_with_hyphens_or_underscores() {
        let catalogue = Catalogue::load(CatalogueSource::Embedded).unwrap();
        assert_eq!(catalogue.get("lru_cache").unwrap().id, "lru-cache");
        assert_eq!(catalogue.get("lru-cache").unwrap().id, "lru-cache");
        match catalogue.get("lru_cach") {
            Err(CatalogueError::UnknownExercise { suggestion, .. }) => {
                assert_eq!(suggestion.as_deref(), Some("lru-cache"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn tags_are_listed_once_and_typos_find_the_real_one() {
        let catalogue = Catalogue::load(CatalogueSource::Embedded).unwrap();
        let tags = catalogue.tags();
        assert!(tags.windows(2).all(|pair| pair[0] < pair[1]), "{tags:?}");
        assert_eq!(catalogue.closest_tag("linked-lists"), Some("linked-list"));
        assert_eq!(catalogue.closest_tag("quantum-chromodynamics"), None);
    }
}
