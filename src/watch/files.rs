//! Noticing saves: `notify` watches the workspace folder and `notify-debouncer-full` turns an
//! editor's burst of events for one save (write to a temporary file, rename over, touch) into
//! one [`Input::FilesChanged`], once the file has been quiet for [`DEBOUNCE`].
//!
//! The folder is watched, not the file: editors that save by renaming a new file over the old
//! one replace the inode a file watch would be attached to. Events that only say a file was
//! opened or read are dropped: kata reads the file to grade it, and an editor opens it to show
//! it, and neither is a save.

use std::path::Path;
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::state::Input;

/// Quiet time after the last event of a save before it is graded. Editors finish a save in a
/// few milliseconds; this (plus up to a quarter of it, the debouncer's tick) is all the delay
/// watching adds.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(50);

/// Watching in progress; dropping it stops the watching.
pub(crate) struct FileWatcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

/// Starts watching `dir` (not its subfolders); changed files go to `inputs`. The error says
/// why watching is impossible, in words for the learner.
pub(crate) fn watch(dir: &Path, inputs: Sender<Input>) -> Result<FileWatcher, String> {
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let input = match result {
            Ok(events) => {
                let paths: Vec<_> = events
                    .into_iter()
                    .filter(|event| is_change(&event.kind))
                    .flat_map(|event| event.event.paths)
                    .collect();
                if paths.is_empty() {
                    return;
                }
                Input::FilesChanged(paths)
            }
            Err(errors) => Input::WatchFailed(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        };
        let _ = inputs.send(input);
    })
    .map_err(|error| error.to_string())?;
    debouncer
        .watch(dir, RecursiveMode::NonRecursive)
        .map_err(|error| error.to_string())?;
    Ok(FileWatcher {
        _debouncer: debouncer,
    })
}

/// Whether an event can mean the file's contents changed.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        EventKind::Any
        | EventKind::Create(_)
        | EventKind::Modify(_)
        | EventKind::Remove(_)
        | EventKind::Other => true,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::channel;
    use std::time::Instant;

    use super::*;

    /// The next batch of changed files, waiting at most a generous while.
    fn next_change(inputs: &std::sync::mpsc::Receiver<Input>) -> Option<Vec<String>> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match inputs.recv_timeout(left) {
                Ok(Input::FilesChanged(paths)) => {
                    return Some(
                        paths
                            .iter()
                            .filter_map(|p| p.file_name())
                            .map(|n| n.to_string_lossy().into_owned())
                            .collect(),
                    );
                }
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
        None
    }

    #[test]
    fn a_save_is_reported_and_a_read_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.py");
        std::fs::write(&file, "x = 1\n").unwrap();
        let (sender, inputs) = channel();
        let _watcher = watch(dir.path(), sender).unwrap();
        // Opening and reading the file is not a save: nothing is reported.
        let _ = std::fs::read(&file).unwrap();
        match inputs.recv_timeout(DEBOUNCE * 10) {
            Err(_) => {}
            Ok(input) => panic!("a read was reported: {input:?}"),
        }
        std::fs::write(&file, "x = 2\n").unwrap();
        let changed = next_change(&inputs).expect("the save is reported");
        assert!(changed.iter().all(|name| name == "a.py"), "{changed:?}");
        // A save by rename, as many editors do it.
        let temporary = dir.path().join(".a.py.swp");
        std::fs::write(&temporary, "x = 3\n").unwrap();
        std::fs::rename(&temporary, &file).unwrap();
        let changed = next_change(&inputs).expect("the rename is reported");
        assert!(changed.contains(&"a.py".to_string()), "{changed:?}");
    }
}
