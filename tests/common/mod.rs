//! Helpers shared by the integration tests: run the real binary, copy
//! fixture sites into temporary folders, read output trees.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Outcome {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Run `djguide` with `args`; colour is off because stderr is not a terminal.
/// The highlight cache is one folder under `target/tmp` shared by every test
/// (never in the fixtures' folders); `tests/highlight_cache.rs` tests it.
pub fn djguide(args: &[&str]) -> Outcome {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("djguide-test-cache");
    let output = Command::new(env!("CARGO_BIN_EXE_djguide"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("DJGUIDE_CACHE_DIR", cache)
        .output()
        .expect("run djguide");
    Outcome {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Every file under `root` with its bytes, for comparing two builds.
pub fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(root).unwrap().to_path_buf();
            (relative, std::fs::read(entry.path()).unwrap())
        })
        .collect()
}

/// The `<main>` element of a page: golden files compare content, not chrome.
pub fn main_element(html: &str) -> String {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>") + "</main>".len();
    html[start..end].to_string()
}

/// A writable copy of a fixture site in a temporary folder.
pub struct Site {
    dir: tempfile::TempDir,
    root: String,
}

impl Site {
    pub fn copy_of(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let source = PathBuf::from(fixture(name));
        for entry in walkdir::WalkDir::new(&source) {
            let entry = entry.unwrap();
            let relative = entry.path().strip_prefix(&source).unwrap();
            let target = dir.path().join(relative);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
        let root = dir.path().to_string_lossy().into_owned();
        Site { dir, root }
    }

    pub fn root(&self) -> &str {
        &self.root
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn remove(&self, relative: &str) {
        std::fs::remove_file(self.path(relative)).unwrap();
    }
}

/// Run `check` on a copy of the basic fixture changed by `edit`; it must fail
/// without panicking. Returns stderr.
pub fn check_fails_after(edit: impl FnOnce(&Site)) -> String {
    let site = Site::copy_of("basic");
    edit(&site);
    let result = djguide(&["check", "--root", site.root()]);
    assert!(!result.success, "expected failure, got: {}", result.stdout);
    assert!(!result.stderr.contains("panicked"), "{}", result.stderr);
    result.stderr
}
