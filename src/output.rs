//! Writing the site: every file goes to a fresh folder beside the target,
//! which replaces the target only once everything is written. A failed build
//! therefore leaves the previous site untouched, and no path can escape.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

/// A file of the built site, at a `/`-separated path relative to its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: Vec<u8>,
}

/// Why the output could not be written.
#[derive(Debug)]
pub enum OutputError {
    UnsafePath(String),
    Duplicate(String),
    Refused(String),
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
            OutputError::Io(path, error) => write!(f, "{}: {error}", path.display()),
        }
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
    if target.is_dir() && !looks_like_a_built_site(&target)? {
        return Err(OutputError::Refused(format!(
            "refusing to replace {}: it is not empty and holds no index.html from an earlier build",
            target.display()
        )));
    }
    Ok(())
}

fn looks_like_a_built_site(folder: &Path) -> Result<bool, OutputError> {
    let mut entries =
        std::fs::read_dir(folder).map_err(|e| OutputError::Io(folder.to_path_buf(), e))?;
    Ok(entries.next().is_none() || folder.join("index.html").is_file())
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
fn normalize(path: &Path) -> PathBuf {
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

/// Write `tree` into `target`, atomically replacing what was there.
pub fn write_atomically(
    target: &Path,
    tree: &BTreeMap<String, Vec<u8>>,
) -> Result<(), OutputError> {
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |error| OutputError::Io(path, error)
    };
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
            let full = staging.path().join(folder);
            std::fs::create_dir_all(&full).map_err(io_error(&full))
        })?;
    }
    // A file identical to the one in the previous output is hard-linked
    // instead of written: creating inodes is most of the cost of writing a
    // site, and unchanged files keep their modification times.
    let previous_root = target.is_dir().then_some(target);
    tree.par_iter().try_for_each(|(path, contents)| {
        let full = staging.path().join(path);
        if let Some(previous) = previous_root.map(|root| root.join(path))
            && is_same_file_content(&previous, contents)
            && std::fs::hard_link(&previous, &full).is_ok()
        {
            return Ok(());
        }
        std::fs::write(&full, contents).map_err(io_error(&full))
    })?;

    // Swap: move the old site aside, move the new one in, then delete the old.
    let staging = staging.keep();
    let previous = if target.exists() {
        let aside = parent.join(format!(".{name}.previous-{}", std::process::id()));
        std::fs::rename(target, &aside).map_err(io_error(target))?;
        Some(aside)
    } else {
        None
    };
    if let Err(error) = std::fs::rename(&staging, target) {
        if let Some(aside) = &previous {
            let _ = std::fs::rename(aside, target);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(OutputError::Io(target.to_path_buf(), error));
    }
    if let Some(aside) = previous {
        std::fs::remove_dir_all(&aside).map_err(io_error(&aside))?;
    }
    Ok(())
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
        std::fs::write(target.join("stale.html"), "old").unwrap();
        let tree = prepare(vec![file("index.html", "two")]).unwrap();
        write_atomically(&target, &tree).unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "two"
        );
        assert!(!target.join("stale.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders are cleaned up");
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
    }
}
