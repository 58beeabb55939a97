//! `djguide build` streams each file to disk as it is made; `djguide serve`
//! keeps the same files in memory (`build_tree`). Both run one pipeline into
//! different sinks: this checks that they agree, file for file and byte for
//! byte, on every fixture site and on the guide itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use djguide::build::{self, BuildOptions, Caches};
use djguide::output::ownership::MANIFEST;

fn options(root: &Path, output: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        write: true,
        ..BuildOptions::default()
    }
}

/// Every file under `folder` by its `/`-separated relative path.
fn files_on_disk(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(folder).unwrap();
            let key = relative.to_str().unwrap().replace('\\', "/");
            (key, std::fs::read(entry.path()).unwrap())
        })
        .collect()
}

/// Build `root` both ways; returns how many files it has (0 if it does not
/// build, which both ways must then agree on).
fn compare(root: &Path) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("public");
    let options = options(root, &target);
    let in_memory = build::build_tree(&options, Caches::default());
    let streamed = build::build(&options);
    let (in_memory, streamed) = match (in_memory, streamed) {
        (Ok(tree), Ok(report)) => (tree, report),
        (Err(_), Err(_)) => {
            assert!(!target.exists(), "{}: a failed build wrote", root.display());
            return 0;
        }
        (memory, disk) => panic!(
            "{}: in memory {}, streamed {}",
            root.display(),
            if memory.is_ok() { "built" } else { "failed" },
            if disk.is_ok() { "built" } else { "failed" },
        ),
    };
    let mut on_disk = files_on_disk(&target);
    assert!(
        on_disk.remove(MANIFEST).is_some(),
        "the manifest is written"
    );
    assert_eq!(streamed.files, in_memory.tree.len());
    let disk_paths: Vec<&String> = on_disk.keys().collect();
    let memory_paths: Vec<&String> = in_memory.tree.keys().collect();
    assert_eq!(disk_paths, memory_paths, "{}: file sets", root.display());
    for (path, bytes) in &in_memory.tree {
        assert!(
            on_disk[path] == *bytes,
            "{}: {path} differs between the streamed and the in-memory build",
            root.display()
        );
    }
    in_memory.tree.len()
}

#[test]
fn every_fixture_builds_the_same_streamed_and_in_memory() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut built = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let root: PathBuf = entry.unwrap().path();
        if root.join("site.toml").is_file() && compare(&root) > 0 {
            built += 1;
        }
    }
    assert!(built >= 3, "only {built} fixtures built");
}

#[test]
fn the_guide_builds_the_same_streamed_and_in_memory() {
    let files = compare(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(files > 150, "{files} files");
}
