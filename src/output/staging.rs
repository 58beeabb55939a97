//! A build's output on its way to disk: every path is checked and every
//! folder created before the first file arrives; files are then written
//! into a fresh folder beside the target as the stages produce them (from
//! many threads), and [`Staging::finish`] swaps that folder in. Until then
//! the target is untouched, so a failed build leaves the previous site as
//! it was.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::ownership::{self, Manifest, Survey};
use super::{OutputError, WriteReport};
use crate::output_file::{OutputFile, Sink};

/// The staging folder of one build, and what has been written into it.
pub struct Staging {
    target: PathBuf,
    /// The target's parent, where the staging folder is made.
    parent: PathBuf,
    /// The target's file name, for the names of the folders beside it.
    name: String,
    folder: tempfile::TempDir,
    /// The previous output, whose unchanged files are linked, not copied.
    previous: Option<PathBuf>,
    paths: BTreeSet<String>,
    survey: Survey,
    /// [`Survey::unverified`], for lookups.
    unverified: BTreeSet<String>,
    written: Mutex<Written>,
}

#[derive(Default)]
struct Written {
    hashes: BTreeMap<String, u64>,
    /// Unverified files of the target ([`Survey::unverified`]) that the
    /// build writes with other bytes: conflicts after all.
    differing: Vec<String>,
    error: Option<OutputError>,
}

impl Staging {
    /// Get ready to write the files at `paths` (checked with
    /// [`super::check_paths`]) into `target`: refuse files of the author's
    /// in the way, make the staging folder and every folder below it.
    pub fn open(target: &Path, paths: BTreeSet<String>) -> Result<Staging, OutputError> {
        let _span = crate::timings::span("output: survey and folders");
        let survey = if target.is_dir() {
            ownership::survey(target, &paths).map_err(io_error(target))?
        } else {
            Survey::default()
        };
        if !survey.conflicts.is_empty() {
            return Err(OutputError::Conflicts {
                folder: target.to_path_buf(),
                paths: survey.conflicts,
                unmanaged: survey.unmanaged,
            });
        }
        let parent = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let folder = tempfile::Builder::new()
            .prefix(&format!(".{name}.building-"))
            .tempdir_in(&parent)
            .map_err(io_error(&parent))?;
        create_folders(folder.path(), &paths)?;
        Ok(Staging {
            previous: target.is_dir().then(|| target.to_path_buf()),
            target: target.to_path_buf(),
            parent,
            name,
            folder,
            paths,
            unverified: survey.unverified.iter().cloned().collect(),
            survey,
            written: Mutex::default(),
        })
    }

    /// Write one file. A file identical to the one in the previous output is
    /// hard-linked instead: creating inodes is most of the cost of writing a
    /// site, and unchanged files keep their modification times.
    pub fn write(&self, path: &str, contents: &[u8]) -> Result<(), OutputError> {
        if !self.paths.contains(path) {
            return Err(OutputError::Io(
                PathBuf::from(path),
                io::Error::other("a stage produced a file it did not announce"),
            ));
        }
        let full = self.folder.path().join(path);
        let previous = self.previous.as_ref().map(|root| root.join(path));
        let identical = previous
            .as_ref()
            .is_some_and(|previous| is_same_file_content(previous, contents));
        let linked = identical
            && previous
                .as_ref()
                .is_some_and(|previous| std::fs::hard_link(previous, &full).is_ok());
        if !linked {
            std::fs::write(&full, contents).map_err(io_error(&full))?;
        }
        let hash = ownership::content_hash(contents);
        let mut written = self.lock();
        if written.hashes.insert(path.to_string(), hash).is_some() {
            return Err(OutputError::Duplicate(path.to_string()));
        }
        if !identical && self.unverified.contains(path) {
            written.differing.push(path.to_string());
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Written> {
        // A panic while holding the lock leaves plain data behind: keep it.
        self.written
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Once every file is written: write the manifest, carry the author's
    /// files over from the target, and put the staging folder in its place.
    pub fn finish(self) -> Result<WriteReport, OutputError> {
        let _span = crate::timings::span("output: manifest and swap");
        let written = self
            .written
            .into_inner()
            .unwrap_or_else(|poison| poison.into_inner());
        if let Some(error) = written.error {
            return Err(error);
        }
        if !written.differing.is_empty() {
            let mut paths = written.differing;
            paths.sort();
            return Err(OutputError::Conflicts {
                folder: self.target,
                paths,
                unmanaged: self.survey.unmanaged,
            });
        }
        if let Some(missing) = self.paths.iter().find(|p| !written.hashes.contains_key(*p)) {
            return Err(OutputError::Io(
                PathBuf::from(missing),
                io::Error::other("a stage announced this file but did not produce it"),
            ));
        }
        let manifest = self.folder.path().join(ownership::MANIFEST);
        std::fs::write(&manifest, Manifest::from_hashes(written.hashes).render())
            .map_err(io_error(&manifest))?;

        // From here on the staging folder may hold the author's files: it is
        // never deleted whole again.
        let staging = self.folder.keep();
        let (target, survey) = (&self.target, &self.survey);
        carry_over(target, &staging, &survey.foreign)?;
        let aside = swap(target, &staging, &self.parent, &self.name, &survey.foreign)?;
        let leftover = aside.and_then(|aside| remove_old_output(&aside, &survey.ours));
        Ok(WriteReport {
            kept: survey.foreign.len(),
            leftover,
        })
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) {
        if let Err(error) = self.write(&file.path, &file.contents) {
            self.lock().error.get_or_insert(error);
        }
    }
}

pub(super) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + use<> {
    let path = path.to_path_buf();
    move |error| OutputError::Io(path, error)
}

/// Every folder that holds one of `paths`, each with one `mkdir`: a level
/// at a time (a folder's parent exists before it), each level in parallel
/// (creating a folder is a metadata write the kernel can overlap).
fn create_folders(staging: &Path, paths: &BTreeSet<String>) -> Result<(), OutputError> {
    let folders = ownership::ancestors(paths.iter());
    let mut by_depth: Vec<Vec<&String>> = Vec::new();
    for folder in &folders {
        let depth = folder.matches('/').count();
        if by_depth.len() <= depth {
            by_depth.resize_with(depth + 1, Vec::new);
        }
        by_depth[depth].push(folder);
    }
    for level in by_depth {
        level.par_iter().try_for_each(|folder| {
            let full = staging.join(folder.as_str());
            std::fs::create_dir(&full).map_err(io_error(&full))
        })?;
    }
    Ok(())
}

/// Whether `path` is a regular file (not a link) holding exactly `contents`.
fn is_same_file_content(path: &Path, contents: &[u8]) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == contents.len() as u64 => {
            std::fs::read(path).is_ok_and(|existing| existing == contents)
        }
        _ => false,
    }
}

/// Move the author's files from `target` into `staging`, at the same paths.
/// On failure, everything moved so far goes back.
fn carry_over(target: &Path, staging: &Path, foreign: &[String]) -> Result<(), OutputError> {
    for (index, path) in foreign.iter().enumerate() {
        let (from, to) = (target.join(path), staging.join(path));
        let moved = match to.parent() {
            Some(folder) => std::fs::create_dir_all(folder),
            None => Ok(()),
        }
        .and_then(|()| std::fs::rename(&from, &to));
        if let Err(error) = moved {
            let restored = move_back(target, staging, &foreign[..index]);
            return Err(OutputError::Io(
                from,
                io::Error::other(format!(
                    "cannot keep this file while replacing the site ({error}); {restored}"
                )),
            ));
        }
    }
    Ok(())
}

/// Undo [`carry_over`] for `moved`; says where the files are now.
fn move_back(target: &Path, staging: &Path, moved: &[String]) -> String {
    let failed = moved
        .iter()
        .filter(|path| std::fs::rename(staging.join(path), target.join(path)).is_err())
        .count();
    if failed == 0 {
        let _ = std::fs::remove_dir_all(staging);
        "nothing was changed".into()
    } else {
        format!(
            "{failed} of your files are in {}; move them back by hand",
            staging.display()
        )
    }
}

/// Put `staging` in the place of `target`; returns the old output, moved
/// aside, for [`remove_old_output`].
fn swap(
    target: &Path,
    staging: &Path,
    parent: &Path,
    name: &str,
    foreign: &[String],
) -> Result<Option<PathBuf>, OutputError> {
    let aside = if target.exists() {
        let aside = parent.join(format!(".{name}.previous-{}", std::process::id()));
        if let Err(error) = std::fs::rename(target, &aside) {
            let restored = move_back(target, staging, foreign);
            return Err(OutputError::Io(
                target.to_path_buf(),
                io::Error::other(format!("{error}; {restored}")),
            ));
        }
        Some(aside)
    } else {
        None
    };
    if let Err(error) = std::fs::rename(staging, target) {
        let restored = match &aside {
            Some(aside) if std::fs::rename(aside, target).is_ok() => {
                move_back(target, staging, foreign)
            }
            _ => format!(
                "the new site is in {}, the previous one beside it",
                staging.display()
            ),
        };
        return Err(OutputError::Io(
            target.to_path_buf(),
            io::Error::other(format!("{error}; {restored}")),
        ));
    }
    Ok(aside)
}

/// Delete the previous build's files from `aside`, then its empty folders.
/// Only files the survey found to be ours are deleted; if anything else is
/// left, the folder stays and is returned.
fn remove_old_output(aside: &Path, ours: &[String]) -> Option<PathBuf> {
    for path in ours.iter().map(String::as_str).chain([ownership::MANIFEST]) {
        let _ = std::fs::remove_file(aside.join(path));
    }
    let folders: Vec<PathBuf> = walkdir::WalkDir::new(aside)
        .contents_first(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_dir())
        .map(|entry| entry.into_path())
        .collect();
    for folder in folders {
        // Fails, and so keeps the folder, when it is not empty.
        let _ = std::fs::remove_dir(folder);
    }
    aside.exists().then(|| aside.to_path_buf())
}
