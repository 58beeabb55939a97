//! Which files in the output folder the build owns.
//!
//! The output folder is shared with the author: a Pages checkout keeps its
//! `.git`, a custom domain its `CNAME`. Every build records the files it
//! wrote, with a hash of each, in [`MANIFEST`]. The next build replaces only
//! those; everything else in the folder is foreign and is carried over
//! untouched. A file the build wrote, no longer produces, and that someone has
//! since edited counts as foreign too: its edit is kept.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The record of a build's files, inside the output folder.
pub const MANIFEST: &str = ".djguide-manifest";

const HEADER: &str = "# djguide: the files the last build wrote. The next build replaces only these\n# and keeps everything else in this folder. <fnv1a-64 of the contents> <path>\n";

/// Files listed by a previous build's manifest, by path, with their hashes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Manifest {
    files: BTreeMap<String, u64>,
}

impl Manifest {
    /// The manifest of a build that wrote these files, by path, each with
    /// its [`content_hash`].
    pub fn from_hashes(files: BTreeMap<String, u64>) -> Manifest {
        Manifest { files }
    }

    pub fn render(&self) -> Vec<u8> {
        let mut text = String::from(HEADER);
        for (path, hash) in &self.files {
            text.push_str(&format!("{hash:016x} {path}\n"));
        }
        text.into_bytes()
    }

    /// Read the manifest in `folder`; `None` when there is none. Lines that do
    /// not parse, or name unsafe paths, are ignored: an entry can only ever
    /// make a file ours, so a damaged manifest keeps more, never less.
    pub fn read(folder: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(folder.join(MANIFEST)).ok()?;
        let files = text
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let (hash, path) = line.split_once(' ')?;
                let hash = u64::from_str_radix(hash, 16).ok()?;
                super::is_safe_relative(path).then(|| (path.to_string(), hash))
            })
            .collect();
        Some(Manifest { files })
    }
}

/// FNV-1a, 64 bits: stable across Rust releases (unlike `DefaultHasher`),
/// and only ever compared with hashes of our own output, so it needs no
/// resistance to collisions made on purpose.
pub fn content_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// What is in the output folder now, sorted by who owns it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Survey {
    /// Files a previous build wrote: the next build may replace or delete them.
    pub ours: Vec<String>,
    /// Files and whole folders the build did not write: they are carried over.
    pub foreign: Vec<String>,
    /// Foreign paths the new build would overwrite (or need as a folder).
    pub conflicts: Vec<String>,
    /// Files of `ours` that no manifest lists, at paths the build writes:
    /// they are ours only if the build writes exactly their bytes, which
    /// the writer checks as each file is written ([`super::Staging`]).
    pub unverified: Vec<String>,
    /// The folder holds no manifest.
    pub unmanaged: bool,
}

/// Sort every entry of `folder` into ours and foreign, for a build that
/// writes the files at `paths`. A folder holding none of our files is
/// foreign as a whole and is not walked.
pub fn survey(folder: &Path, paths: &BTreeSet<String>) -> std::io::Result<Survey> {
    let previous = Manifest::read(folder);
    let mut survey = Survey {
        unmanaged: previous.is_none(),
        ..Survey::default()
    };
    let previous = previous.unwrap_or_default();
    let our_folders = ancestors(previous.files.keys().chain(paths));
    let mut walker = walkdir::WalkDir::new(folder)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(std::io::Error::other)?;
        let relative = crate::slash_path::relative(folder, entry.path());
        if entry.file_type().is_dir() {
            if !our_folders.contains(&relative) {
                walker.skip_current_dir();
                survey.foreign.push(relative);
            }
            continue;
        }
        if relative == MANIFEST {
            continue;
        }
        match claim(&relative, entry.path(), &previous, paths) {
            Claim::Ours => survey.ours.push(relative),
            Claim::IfIdentical => {
                survey.unverified.push(relative.clone());
                survey.ours.push(relative);
            }
            Claim::Foreign => survey.foreign.push(relative),
        }
    }
    survey.conflicts = survey
        .foreign
        .iter()
        .filter(|path| paths.contains(*path) || our_folders.contains(*path))
        .cloned()
        .collect();
    Ok(survey)
}

/// Who a file in the output folder belongs to.
enum Claim {
    Ours,
    Foreign,
    /// Ours if the build writes exactly its bytes (known once it is written).
    IfIdentical,
}

/// A file is ours if a previous build wrote it and it is either written
/// again (a generated file is regenerated, edited or not) or unchanged since.
/// Without a manifest, a file holding exactly the bytes the build would
/// write is taken over: replacing it loses nothing.
fn claim(relative: &str, path: &Path, previous: &Manifest, paths: &BTreeSet<String>) -> Claim {
    let regular_file = std::fs::symlink_metadata(path).is_ok_and(|meta| meta.is_file());
    if !regular_file {
        return Claim::Foreign;
    }
    let unchanged_since =
        |hash: u64| std::fs::read(path).is_ok_and(|bytes| content_hash(&bytes) == hash);
    match (previous.files.get(relative), paths.contains(relative)) {
        (Some(_), true) => Claim::Ours,
        (Some(hash), false) if unchanged_since(*hash) => Claim::Ours,
        (None, true) => Claim::IfIdentical,
        _ => Claim::Foreign,
    }
}

/// Every folder that holds one of `paths`, as `/`-separated relative paths.
pub(super) fn ancestors<'a>(paths: impl Iterator<Item = &'a String>) -> BTreeSet<String> {
    let mut folders = BTreeSet::new();
    for path in paths {
        let mut end = path.len();
        while let Some(slash) = path[..end].rfind('/') {
            if !folders.insert(path[..slash].to_string()) {
                break;
            }
            end = slash;
        }
    }
    folders
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
            .collect()
    }

    fn manifest_of(tree: &BTreeMap<String, Vec<u8>>) -> Manifest {
        Manifest::from_hashes(
            tree.iter()
                .map(|(path, contents)| (path.clone(), content_hash(contents)))
                .collect(),
        )
    }

    fn paths(tree: &BTreeMap<String, Vec<u8>>) -> BTreeSet<String> {
        tree.keys().cloned().collect()
    }

    fn write(root: &Path, path: &str, text: &str) {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    #[test]
    fn the_manifest_round_trips_and_ignores_unsafe_lines() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = manifest_of(&tree(&[("index.html", "a"), ("orm/index.html", "b")]));
        let mut text = manifest.render();
        text.extend_from_slice(b"0000000000000001 ../escape\nnot a line\n");
        std::fs::write(dir.path().join(MANIFEST), text).unwrap();
        assert_eq!(Manifest::read(dir.path()), Some(manifest));
    }

    #[test]
    fn hashes_are_stable() {
        assert_eq!(content_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(content_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn foreign_files_and_folders_are_kept_apart_from_ours() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let old = tree(&[
            ("index.html", "1"),
            ("orm/index.html", "2"),
            ("gone/index.html", "3"),
        ]);
        for (path, contents) in &old {
            write(root, path, std::str::from_utf8(contents).unwrap());
        }
        std::fs::write(root.join(MANIFEST), manifest_of(&old).render()).unwrap();
        write(root, ".git/HEAD", "ref");
        write(root, "CNAME", "guide.example");
        write(root, "orm/notes.txt", "mine");
        write(root, "gone/index.html", "edited by hand");
        let new = tree(&[("index.html", "1b"), ("orm/index.html", "2")]);
        let survey = survey(root, &paths(&new)).unwrap();
        assert_eq!(survey.ours, ["index.html", "orm/index.html"]);
        assert_eq!(
            survey.foreign,
            [".git", "CNAME", "gone/index.html", "orm/notes.txt"]
        );
        assert!(survey.conflicts.is_empty());
        assert!(!survey.unmanaged);
    }

    #[test]
    fn foreign_files_the_build_would_overwrite_are_conflicts_or_unverified() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "index.html", "my own page");
        write(root, "orm", "a file where the build needs a folder");
        write(root, "same.html", "identical");
        let new = tree(&[
            ("index.html", "generated"),
            ("orm/index.html", "x"),
            ("same.html", "identical"),
        ]);
        let survey = survey(root, &paths(&new)).unwrap();
        assert!(survey.unmanaged);
        assert_eq!(survey.conflicts, ["orm"]);
        // Without a manifest, files at our paths are ours only if the build
        // writes the same bytes: the writer checks that (`output` tests).
        assert_eq!(survey.unverified, ["index.html", "same.html"]);
        assert_eq!(survey.ours, survey.unverified);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_ours() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let old = tree(&[("index.html", "1")]);
        std::fs::write(root.join(MANIFEST), manifest_of(&old).render()).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", root.join("index.html")).unwrap();
        let survey = survey(root, &BTreeSet::new()).unwrap();
        assert_eq!(survey.foreign, ["index.html"]);
    }
}
