//! Watching the site's sources: `content/` and `themes/` recursively and
//! `site.toml`, debounced so one save (which editors often turn into a
//! temporary file, a rename over the original, or a delete and re-create)
//! gives one rebuild. Hidden files, editor scratch and backup files, and the
//! output folder are ignored.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_full::notify::{self, EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// Quiet time after the last event before a change is reported. An
/// editor's save (write, or temporary file and rename) raises its events
/// within a millisecond or two; every millisecond here is one more before
/// the page reloads.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// The folders watched recursively, relative to the root.
const FOLDERS: [&str; 2] = ["content", "themes"];

/// Keeps the watch alive; dropping it stops watching.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
}

/// What the site's sources may change: the paths that matter, or a watch error.
pub enum Change {
    Paths(Vec<PathBuf>),
    Error(String),
}

impl Watcher {
    /// Watch the sources under `root` (absolute), reporting to `report`.
    /// Paths under `output` are ignored.
    pub fn start(
        root: &Path,
        output: &Path,
        report: impl Fn(Change) + Send + 'static,
    ) -> Result<Watcher, notify::Error> {
        let filter = Filter {
            root: root.to_path_buf(),
            output: output.to_path_buf(),
        };
        let content = root.join("content");
        let handler = move |result: DebounceEventResult| match result {
            Ok(events) => {
                let mut paths: Vec<PathBuf> = Vec::new();
                for event in events {
                    if event.need_rescan() {
                        // Events were lost: assume the content changed.
                        paths.push(content.clone());
                    }
                    // Reading a file is not changing it, and every build
                    // reads them all: without this, each build would
                    // trigger the next.
                    if matches!(event.kind, EventKind::Access(_)) {
                        continue;
                    }
                    let relevant = event.paths.iter().filter(|path| filter.matters(path));
                    for path in relevant {
                        if !paths.contains(path) {
                            paths.push(path.clone());
                        }
                    }
                }
                if !paths.is_empty() {
                    report(Change::Paths(paths));
                }
            }
            Err(errors) => {
                for error in errors {
                    report(Change::Error(error.to_string()));
                }
            }
        };
        let mut debouncer = new_debouncer(DEBOUNCE, None, handler)?;
        // The root itself, not recursively: `site.toml`, and the folders
        // appearing or being replaced (then `refresh` watches them again).
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        let mut watcher = Watcher {
            debouncer,
            root: root.to_path_buf(),
        };
        for folder in FOLDERS {
            watcher.watch_folder(folder);
        }
        Ok(watcher)
    }

    /// Watch a source folder again if it was among the `changed` paths: once
    /// created, or deleted and re-created (a `git checkout`), its old watch
    /// is gone.
    pub fn refresh(&mut self, changed: &[PathBuf]) {
        for folder in FOLDERS {
            if changed.contains(&self.root.join(folder)) {
                self.watch_folder(folder);
            }
        }
    }

    fn watch_folder(&mut self, folder: &str) {
        let path = self.root.join(folder);
        if path.is_dir() {
            // A folder that vanishes again before this runs is picked up by
            // the refresh its re-creation causes.
            let _ = self.debouncer.watch(&path, RecursiveMode::Recursive);
        }
    }
}

/// Which changed paths can change the site.
struct Filter {
    root: PathBuf,
    output: PathBuf,
}

impl Filter {
    fn matters(&self, path: &Path) -> bool {
        if path.starts_with(&self.output) {
            return false;
        }
        let Ok(relative) = path.strip_prefix(&self.root) else {
            return false;
        };
        let mut names = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy());
        match names.next().as_deref() {
            Some("site.toml") => names.next().is_none(),
            Some(folder) if FOLDERS.contains(&folder) => names.all(|name| !is_scratch(&name)),
            _ => false,
        }
    }
}

/// Hidden files and what editors write beside the real file while saving:
/// vim's swap files and `4913` probe, emacs locks and autosaves, `~`
/// backups, JetBrains' safe-write copies, generic temporaries.
fn is_scratch(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || name.contains("___jb_")
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".bak",
            ".orig",
            ".crdownload",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter() -> Filter {
        Filter {
            root: PathBuf::from("/site"),
            output: PathBuf::from("/site/public"),
        }
    }

    #[test]
    fn sources_matter() {
        let filter = filter();
        for path in [
            "/site/site.toml",
            "/site/content",
            "/site/content/orm/n-plus-one.md",
            "/site/content/orm/samples/x.py",
            "/site/themes/mine/templates/base.html",
        ] {
            assert!(filter.matters(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn scratch_output_and_other_files_do_not() {
        let filter = filter();
        for path in [
            "/site/public/index.html",
            "/site/target/debug/djguide",
            "/site/README.md",
            "/site/site.toml~",
            "/site/.site.toml.swp",
            "/site/content/orm/.n-plus-one.md.swp",
            "/site/content/orm/n-plus-one.md~",
            "/site/content/orm/#n-plus-one.md#",
            "/site/content/orm/.#n-plus-one.md",
            "/site/content/orm/4913",
            "/site/content/orm/n-plus-one.md___jb_tmp___",
            "/site/content/.git/index",
            "/elsewhere/content/a.md",
        ] {
            assert!(!filter.matters(Path::new(path)), "{path}");
        }
    }
}
