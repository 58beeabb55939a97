//! Writing the site: every file goes to a fresh folder beside the target,
//! which replaces the target only once everything is written. A failed build
//! therefore leaves the previous site untouched, and no path can escape.
//! Files in the target that the build did not write ([`ownership`]) are moved
//! into the new folder before the swap, so they survive every build.

pub mod ownership;

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

pub use crate::output_file::OutputFile;

/// Why the output could not be written.
#[derive(Debug)]
pub enum OutputError {
    UnsafePath(String),
    Duplicate(String),
    Refused(String),
    /// Files the build did not write sit where it would write.
    Conflicts {
        folder: PathBuf,
        paths: Vec<String>,
        /// The folder has no manifest (built by hand or by an old djguide).
        unmanaged: bool,
    },
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::UnsafePath(path) => write!(
                f,
                "refusing to write `{path}`: it would leave the output folder"
            ),
            OutputError::Duplicate(path) => write!(f, "two pages would be written to `{path}`"),
            OutputError::Refused(message) => f.write_str(message),
            OutputError::Conflicts {
                folder,
                paths,
                unmanaged,
            } => write_conflicts(f, folder, paths, *unmanaged),
            OutputError::Io(path, error) => write!(f, "{}: {error}", path.display()),
        }
    }
}

fn write_conflicts(
    f: &mut std::fmt::Formatter<'_>,
    folder: &Path,
    paths: &[String],
    unmanaged: bool,
) -> std::fmt::Result {
    const SHOWN: usize = 10;
    writeln!(
        f,
        "refusing to overwrite {} file{} in {} that djguide did not write:",
        paths.len(),
        if paths.len() == 1 { "" } else { "s" },
        folder.display()
    )?;
    for path in paths.iter().take(SHOWN) {
        writeln!(f, "  {path}")?;
    }
    if paths.len() > SHOWN {
        writeln!(f, "  … and {} more", paths.len() - SHOWN)?;
    }
    if unmanaged {
        write!(
            f,
            "help: {} has no {} (it was made by hand or by an older djguide); move those files away, or delete the folder once, and djguide will track what it writes from then on",
            folder.display(),
            ownership::MANIFEST
        )
    } else {
        write!(f, "help: move them away, or choose another output folder")
    }
}

/// Check that `path` is a plain relative path (no `..`, no root, no empty parts).
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && !path.contains('\0')
        && Path::new(path)
            .components()
            .all(|component| matches!(component, Component::Normal(_)))
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Sort, de-duplicate and validate the files of a build.
pub fn prepare(files: Vec<OutputFile>) -> Result<BTreeMap<String, Vec<u8>>, OutputError> {
    let mut tree = BTreeMap::new();
    for file in files {
        if !is_safe_relative(&file.path) {
            return Err(OutputError::UnsafePath(file.path));
        }
        if tree.insert(file.path.clone(), file.contents).is_some() {
            return Err(OutputError::Duplicate(file.path));
        }
    }
    Ok(tree)
}

/// Refuse output folders whose replacement would destroy the author's work.
pub fn check_target(root: &Path, target: &Path) -> Result<(), OutputError> {
    let absolute = |path: &Path| {
        std::path::absolute(path).map_err(|error| OutputError::Io(path.to_path_buf(), error))
    };
    let root = normalize(&absolute(root)?);
    let target = normalize(&absolute(target)?);
    if root.starts_with(&target) {
        return Err(OutputError::Refused(format!(
            "refusing to use {} as the output folder: it contains the site itself",
            target.display()
        )));
    }
    for protected in ["content", "themes", "src", ".git"] {
        if target.starts_with(root.join(protected)) {
            return Err(OutputError::Refused(format!(
                "refusing to write the site into {}: it is part of the sources",
                target.display()
            )));
        }
    }
    if target.is_file() {
        return Err(OutputError::Refused(format!(
            "output path {} is a file, not a folder",
            target.display()
        )));
    }
    if target.is_dir() && !looks_like_a_site_folder(&target)? {
        return Err(OutputError::Refused(format!(
            "refusing to build into {}: it holds files but no earlier build ({} or index.html)",
            target.display(),
            ownership::MANIFEST
        )));
    }
    Ok(())
}

/// A folder a site may be built into: one an earlier build wrote, a site
/// someone publishes from, or one holding only dotfiles (a fresh checkout of
/// a Pages branch) and a `CNAME`. Anything else is somebody's other work: the
/// build would never delete it, but it would scatter a site among it.
fn looks_like_a_site_folder(folder: &Path) -> Result<bool, OutputError> {
    if folder.join(ownership::MANIFEST).is_file() || folder.join("index.html").is_file() {
        return Ok(true);
    }
    let entries =
        std::fs::read_dir(folder).map_err(|e| OutputError::Io(folder.to_path_buf(), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| OutputError::Io(folder.to_path_buf(), e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !name.starts_with('.') && name != "CNAME" {
            return Ok(false);
        }
    }
    Ok(true)
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

/// Lexically resolve `.` and `..` in an absolute path.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// What writing the output did besides writing the site.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files and folders in the target that the build did not write, kept.
    pub kept: usize,
    /// A folder of old output that could not be emptied (something appeared
    /// in it during the build); left in place rather than deleted.
    pub leftover: Option<PathBuf>,
}

/// Write `tree` into `target`, atomically replacing what an earlier build
/// wrote there and keeping everything else.
pub fn write_atomically(
    target: &Path,
    tree: &BTreeMap<String, Vec<u8>>,
) -> Result<WriteReport, OutputError> {
    let survey = if target.is_dir() {
        ownership::survey(target, tree).map_err(|e| OutputError::Io(target.to_path_buf(), e))?
    } else {
        ownership::Survey::default()
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
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.building-"))
        .tempdir_in(&parent)
        .map_err(io_error(&parent))?;
    write_tree(staging.path(), target, tree)?;
    let manifest = staging.path().join(ownership::MANIFEST);
    std::fs::write(&manifest, ownership::Manifest::of(tree).render())
        .map_err(io_error(&manifest))?;

    // From here on the staging folder may hold the author's files: it is
    // never deleted whole again.
    let staging = staging.keep();
    carry_over(target, &staging, &survey.foreign)?;
    let aside = swap(target, &staging, &parent, &name, &survey.foreign)?;
    let leftover = aside.and_then(|aside| remove_old_output(&aside, &survey.ours));
    Ok(WriteReport {
        kept: survey.foreign.len(),
        leftover,
    })
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + use<> {
    let path = path.to_path_buf();
    move |error| OutputError::Io(path, error)
}

/// Write every file of `tree` under `staging`.
fn write_tree(
    staging: &Path,
    target: &Path,
    tree: &BTreeMap<String, Vec<u8>>,
) -> Result<(), OutputError> {
    let folders: std::collections::BTreeSet<PathBuf> = tree
        .keys()
        .filter_map(|path| Path::new(path).parent().map(Path::to_path_buf))
        .filter(|folder| !folder.as_os_str().is_empty())
        .collect();
    // Top-level folders first, then everything below them in parallel
    // (creating a folder is a metadata write the kernel can overlap).
    let (shallow, deep): (Vec<&PathBuf>, Vec<&PathBuf>) = folders
        .iter()
        .partition(|folder| folder.components().count() == 1);
    for group in [shallow, deep] {
        group.par_iter().try_for_each(|folder| {
            let full = staging.join(folder);
            std::fs::create_dir_all(&full).map_err(io_error(&full))
        })?;
    }
    // A file identical to the one in the previous output is hard-linked
    // instead of written: creating inodes is most of the cost of writing a
    // site, and unchanged files keep their modification times.
    let previous_root = target.is_dir().then_some(target);
    tree.par_iter().try_for_each(|(path, contents)| {
        let full = staging.join(path);
        if let Some(previous) = previous_root.map(|root| root.join(path))
            && is_same_file_content(&previous, contents)
            && std::fs::hard_link(&previous, &full).is_ok()
        {
            return Ok(());
        }
        std::fs::write(&full, contents).map_err(io_error(&full))
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: contents.as_bytes().to_vec(),
        }
    }

    #[test]
    fn only_plain_relative_paths_are_safe() {
        for good in ["index.html", "orm/x/index.html", "assets/style.1.css"] {
            assert!(is_safe_relative(good), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "a\\..\\b",
            "a/.",
        ] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }

    #[test]
    fn duplicates_and_escapes_are_refused() {
        assert!(matches!(
            prepare(vec![file("a", "1"), file("a", "2")]),
            Err(OutputError::Duplicate(_))
        ));
        assert!(matches!(
            prepare(vec![file("../a", "1")]),
            Err(OutputError::UnsafePath(_))
        ));
    }

    #[test]
    fn replaces_the_previous_site_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let tree = prepare(vec![file("index.html", "one"), file("a/b/index.html", "b")]).unwrap();
        write_atomically(&target, &tree).unwrap();
        let tree = prepare(vec![file("index.html", "two")]).unwrap();
        write_atomically(&target, &tree).unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "two"
        );
        assert!(
            !target.join("a").exists(),
            "a page no longer built is removed"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders are cleaned up");
    }

    #[test]
    fn files_the_build_did_not_write_survive_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let first = prepare(vec![file("index.html", "one"), file("a/index.html", "a")]).unwrap();
        write_atomically(&target, &first).unwrap();
        std::fs::create_dir_all(target.join(".git/objects")).unwrap();
        std::fs::write(target.join(".git/objects/x"), "object").unwrap();
        std::fs::write(target.join("CNAME"), "guide.example").unwrap();
        std::fs::write(target.join("a/notes.txt"), "mine").unwrap();
        let second = prepare(vec![file("index.html", "two")]).unwrap();
        let report = write_atomically(&target, &second).unwrap();
        assert_eq!(
            report,
            WriteReport {
                kept: 3,
                leftover: None
            }
        );
        let read = |path: &str| std::fs::read_to_string(target.join(path)).unwrap();
        assert_eq!(read(".git/objects/x"), "object");
        assert_eq!(read("CNAME"), "guide.example");
        assert_eq!(read("a/notes.txt"), "mine");
        assert!(!target.join("a/index.html").exists());
        assert_eq!(read("index.html"), "two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging or old folder is left");
    }

    #[test]
    fn foreign_files_in_the_way_stop_the_build_before_anything_changes() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("index.html"), "my own page").unwrap();
        std::fs::write(target.join("notes.txt"), "mine").unwrap();
        let tree = prepare(vec![file("index.html", "generated")]).unwrap();
        let error = write_atomically(&target, &tree).unwrap_err();
        assert!(
            matches!(&error, OutputError::Conflicts { paths, unmanaged: true, .. } if paths == &["index.html"])
        );
        assert!(
            error
                .to_string()
                .starts_with("refusing to overwrite 1 file in ")
        );
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "my own page"
        );
        assert!(target.join("notes.txt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_from_the_previous_output() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let first = prepare(vec![file("same.html", "same"), file("changed.html", "one")]).unwrap();
        write_atomically(&target, &first).unwrap();
        let inode = |name: &str| std::fs::metadata(target.join(name)).unwrap().ino();
        let (same, changed) = (inode("same.html"), inode("changed.html"));
        let second = prepare(vec![file("same.html", "same"), file("changed.html", "two")]).unwrap();
        write_atomically(&target, &second).unwrap();
        assert_eq!(inode("same.html"), same, "unchanged file reused");
        assert_ne!(inode("changed.html"), changed);
        assert_eq!(
            std::fs::read_to_string(target.join("changed.html")).unwrap(),
            "two"
        );
        assert_eq!(
            std::fs::metadata(target.join("same.html")).unwrap().nlink(),
            1,
            "old tree removed"
        );
    }

    #[test]
    fn refuses_targets_that_hold_the_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("notes")).unwrap();
        std::fs::write(root.join("notes/todo.txt"), "keep me").unwrap();
        assert!(check_target(root, root).is_err());
        assert!(check_target(root, &root.join("..")).is_err());
        assert!(check_target(root, &root.join("content/out")).is_err());
        assert!(check_target(root, &root.join("notes")).is_err());
        assert!(check_target(root, &root.join("public")).is_ok());
        std::fs::create_dir_all(root.join("pages/.git")).unwrap();
        std::fs::write(root.join("pages/CNAME"), "guide.example").unwrap();
        assert!(
            check_target(root, &root.join("pages")).is_ok(),
            "a fresh Pages checkout"
        );
    }
}
