//! Writing the site: every path is checked before the first file is
//! written ([`check_paths`]); each file then goes to a fresh folder beside
//! the target as soon as it is made ([`Staging`]), and that folder replaces
//! the target only once everything is written. A failed build
//! therefore leaves the previous site untouched, and no path can escape.
//! Files in the target that the build did not write ([`ownership`]) are moved
//! into the new folder before the swap, so they survive every build.

pub mod ownership;
mod staging;

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

pub use crate::output_file::{OutputFile, Sink};
pub use staging::Staging;

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
    check_paths(files.iter().map(|file| file.path.as_str()))?;
    Ok(files
        .into_iter()
        .map(|file| (file.path, file.contents))
        .collect())
}

/// Validate and de-duplicate the paths a build will write, before it writes
/// any: the first unsafe or repeated path, in the order given, is the error.
pub fn check_paths<'a>(
    paths: impl IntoIterator<Item = &'a str>,
) -> Result<BTreeSet<String>, OutputError> {
    let mut checked = BTreeSet::new();
    for path in paths {
        if !is_safe_relative(path) {
            return Err(OutputError::UnsafePath(path.to_string()));
        }
        if !checked.insert(path.to_string()) {
            return Err(OutputError::Duplicate(path.to_string()));
        }
    }
    Ok(checked)
}

/// Add files to a finished tree, checked as [`check_paths`] checks them; a
/// path already in the tree is refused.
pub fn insert_all(
    tree: &mut BTreeMap<String, Vec<u8>>,
    files: Vec<OutputFile>,
) -> Result<(), OutputError> {
    let existing = tree.keys().map(String::as_str);
    check_paths(existing.chain(files.iter().map(|file| file.path.as_str())))?;
    tree.extend(files.into_iter().map(|file| (file.path, file.contents)));
    Ok(())
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
    let staging = Staging::open(target, tree.keys().cloned().collect())?;
    tree.par_iter()
        .try_for_each(|(path, contents)| staging.write(path, contents))?;
    staging.finish()
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

    #[test]
    fn files_without_a_manifest_are_taken_over_only_when_identical() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("index.html"), "generated").unwrap();
        std::fs::write(target.join("a.html"), "mine").unwrap();
        let tree = prepare(vec![
            file("index.html", "generated"),
            file("a.html", "ours"),
        ])
        .unwrap();
        let error = write_atomically(&target, &tree).unwrap_err();
        assert!(
            matches!(&error, OutputError::Conflicts { paths, unmanaged: true, .. } if paths == &["a.html"])
        );
        assert_eq!(
            std::fs::read_to_string(target.join("a.html")).unwrap(),
            "mine"
        );
        std::fs::remove_file(target.join("a.html")).unwrap();
        write_atomically(&target, &tree).unwrap();
        assert!(target.join(ownership::MANIFEST).is_file());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging or old folder is left");
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
