//! What the fuzz targets run and check, as plain functions of the input bytes.
//!
//! The libFuzzer targets (`fuzz/fuzz_targets/`) call these, and the main
//! crate's `tests/fuzz_regressions.rs` includes this file by path, so every
//! kept crash is replayed by `cargo test` exactly as the fuzzer ran it.
//!
//! Every target must never panic. Beyond that:
//! - diagnostics are located in the file they name: a relative path, line and
//!   column from 1, and the source line they show is that line of the file;
//! - a build writes only into its output folder (the site folder ends with the
//!   files it started with, nothing is left beside the output), and writes
//!   nothing at all when it fails.
//!
//! One more check waits for the escaping of control characters in
//! diagnostics (another branch): set `FUZZ_ASSERT_NO_CONTROL_CHARS=1` to
//! assert that no diagnostic carries a raw control character
//! ([`assert_no_control_chars`]).

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use djguide::content::SourceFile;
use djguide::content::front_matter::{
    self, HomeFrontMatter, QuestionFrontMatter, TopicFrontMatter,
};
use djguide::content::{LoadOptions, load};
use djguide::diagnostics::{Diagnostic, Diagnostics, Style};
use djguide::highlight::Highlighter;
use djguide::markdown::{self, LinkTarget, LinkTargets};
use djguide::{BuildFailure, BuildOptions};

/// The fuzzed question, as the author sees its path.
const QUESTION: &str = "content/t/q.md";

const SITE_TOML: &str = "title = \"Fuzz\"\n\
base_url = \"https://example.org/guide/\"\n\
repository = \"https://github.com/example/guide\"\n";

const HOME: &str = "+++\ntitle = \"Home\"\ndescription = \"D.\"\n+++\n\
See [the question](t/q.md) and [another](t/other.md#why).\n";

const TOPIC: &str =
    "+++\ntitle = \"Topic\"\ndescription = \"T.\"\n+++\nQuestions about [q](q.md).\n";

/// A second question, so the fuzzed one has pages, headings and tags to link to.
const OTHER: &str = "+++\ntitle = \"Other?\"\nlevel = \"junior\"\nsummary = \"S.\"\n\
red_flag = \"R.\"\ntags = [\"orm\"]\nfollow_ups = [\"F?\"]\nrelated = [\"t/q.md\"]\n+++\n\
## Why\n\nBecause [q](q.md).\n\n## The fix\n\n```python title=\"a.py\"\nx = 1\n```\n";

/// A valid question, the page of the `build_config` target.
const QUESTION_TEXT: &str = "+++\ntitle = \"Q?\"\nlevel = \"mid\"\nsummary = \"S.\"\n\
red_flag = \"R.\"\ntags = [\"orm\", \"views\"]\nrelated = [\"t/other.md\"]\ndate = 2026-11-21\n\
[[samples]]\nfile = \"samples/a.py\"\nrun = true\n+++\n\
## Intro\n\nSee [other](other.md#the-fix).\n\n> [!NOTE]\n> A note.\n\n\
```python title=\"v.py\" linenos hl_lines=\"1\" run django=\"5.2\"\nprint(1)\n```\n\n\
```output\n1\n```\n";

/// Front matter of a question file: the fence split and the TOML of every
/// page kind in memory, then the whole loader (validation, `[[samples]]`)
/// on a folder holding the file.
pub fn front_matter(data: &[u8]) {
    let text = lossy_without_bom(data);
    let path = Path::new(QUESTION);
    match front_matter::split(path, &text) {
        Err(diagnostic) => check_diagnostic(&diagnostic, &files_with(QUESTION, &text)),
        Ok(split) => {
            assert!(
                split.toml_start <= split.toml_end
                    && split.toml_end <= split.body_start
                    && split.body_start <= text.len(),
                "split out of order: {split:?}"
            );
            for index in [split.toml_start, split.toml_end, split.body_start] {
                assert!(text.is_char_boundary(index), "split inside a character");
            }
            let files = files_with(QUESTION, &text);
            let errors = [
                front_matter::parse::<QuestionFrontMatter>(
                    path,
                    &text,
                    split,
                    QuestionFrontMatter::KEYS,
                )
                .err(),
                front_matter::parse::<TopicFrontMatter>(path, &text, split, TopicFrontMatter::KEYS)
                    .err(),
                front_matter::parse::<HomeFrontMatter>(path, &text, split, HomeFrontMatter::KEYS)
                    .err(),
            ];
            for diagnostic in errors.iter().flatten().flatten() {
                check_diagnostic(diagnostic, &files);
            }
        }
    }

    let site = Site::new(SITE_TOML.as_bytes(), data);
    let (content, diagnostics) = load(&site.root, LoadOptions::default());
    let files = site.text_files();
    check_diagnostics(diagnostics, &files);
    if let Some(content) = content {
        for question in &content.questions {
            let source = &question.source;
            assert!(source.text.is_char_boundary(source.body_start));
            for (_, span) in &question.related {
                assert!(span.start <= span.end && span.end <= source.text.len());
            }
        }
    }
}

/// Markdown rendering with link resolution, in memory: the body of a page
/// `t/q.md` among a few pages with headings, a draft and a page that failed.
pub fn markdown(data: &[u8]) {
    let body = String::from_utf8_lossy(data);
    let prefix = "+++\ntitle = \"t\"\n+++\n";
    let source = SourceFile {
        path: PathBuf::from(QUESTION),
        key: "t/q.md".into(),
        text: format!("{prefix}{body}"),
        body_start: prefix.len(),
    };
    let headings = markdown::headings(source.body());
    let ids: BTreeSet<&str> = headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids.len(),
        headings.len(),
        "heading ids repeat: {headings:?}"
    );
    for id in &ids {
        assert!(
            !markdown::RESERVED_IDS.contains(id),
            "a heading took the layout id `{id}`"
        );
    }

    let page = |url: &str, anchors: &[&str]| LinkTarget {
        url: url.into(),
        anchors: anchors.iter().map(|a| a.to_string()).collect(),
    };
    let mut targets = LinkTargets::default();
    targets.pages.insert(
        "t/q.md".into(),
        LinkTarget {
            url: "/guide/t/q/".into(),
            anchors: headings.iter().map(|h| h.id.clone()).collect(),
        },
    );
    targets.pages.insert(
        "t/other.md".into(),
        page("/guide/t/other/", &["why", "the-fix"]),
    );
    targets
        .pages
        .insert("t/_index.md".into(), page("/guide/t/", &[]));
    targets
        .pages
        .insert("_index.md".into(), page("/guide/", &["intro"]));
    targets
        .pages
        .insert("u/x.md".into(), page("/guide/u/x/", &["a", "b"]));
    targets.drafts.insert("t/draft.md".into());
    targets.failed.insert("t/broken.md".into());

    for destination in markdown::link_destinations(source.body()) {
        if let Ok(Some(url)) = targets.resolve("t/q.md", &destination) {
            assert!(
                targets.pages.values().any(|p| url.starts_with(&p.url)),
                "`{destination}` resolved to `{url}`, not a page of the site"
            );
        }
    }

    let highlighter = Highlighter::new();
    let (rendered, diagnostics) = markdown::render(
        &source,
        &headings,
        &targets,
        &highlighter,
        markdown::HtmlPolicy::Sanitize,
    );
    assert_eq!(rendered.headings, headings);
    let files = files_with(QUESTION, &source.text);
    for diagnostic in &diagnostics {
        check_diagnostic(diagnostic, &files);
    }
}

/// The whole pipeline on a one-page site whose question is `data`.
pub fn build_page(data: &[u8]) {
    build_site(&Site::new(SITE_TOML.as_bytes(), data), None);
}

/// The whole pipeline on a one-page site whose `site.toml` is `data`. A first
/// line `--base-url URL` is passed as the `--base-url` option instead.
pub fn build_config(data: &[u8]) {
    let (base_url, config) = match data.strip_prefix(b"--base-url ") {
        Some(rest) => {
            let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            let url = String::from_utf8_lossy(&rest[..end]).into_owned();
            (Some(url), rest.get(end + 1..).unwrap_or_default())
        }
        None => (None, data),
    };
    build_site(&Site::new(config, QUESTION_TEXT.as_bytes()), base_url);
}

/// A site in a temporary folder: `outer/site/` holds the inputs, the build
/// writes `outer/out/`, and nothing else may appear in `outer/`.
struct Site {
    outer: tempfile::TempDir,
    root: PathBuf,
    /// Every input file, relative to `root`, with its bytes.
    inputs: Vec<(&'static str, Vec<u8>)>,
}

impl Site {
    fn new(site_toml: &[u8], question: &[u8]) -> Site {
        let outer = tempfile::tempdir().expect("temporary folder");
        let root = outer.path().join("site");
        let inputs: Vec<(&'static str, Vec<u8>)> = vec![
            ("site.toml", site_toml.to_vec()),
            ("content/_index.md", HOME.into()),
            ("content/t/_index.md", TOPIC.into()),
            ("content/t/other.md", OTHER.into()),
            ("content/t/q.md", question.to_vec()),
            ("content/t/samples/a.py", b"print(1)\n".to_vec()),
            // For `[[samples]]` paths that try to leave the topic folder.
            ("secret.txt", b"not for the site\n".to_vec()),
        ];
        for (path, bytes) in &inputs {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().expect("parent")).expect("create folder");
            std::fs::write(&full, bytes).expect("write input");
        }
        Site {
            outer,
            root,
            inputs,
        }
    }

    fn out(&self) -> PathBuf {
        self.outer.path().join("out")
    }

    /// The inputs as the diagnostics quote them: lossy UTF-8, without a BOM.
    fn text_files(&self) -> Vec<(PathBuf, String)> {
        self.inputs
            .iter()
            .map(|(path, bytes)| (PathBuf::from(path), lossy_without_bom(bytes)))
            .collect()
    }
}

fn build_site(site: &Site, base_url: Option<String>) {
    let options = BuildOptions {
        root: site.root.clone(),
        output: Some(site.out()),
        base_url,
        include_drafts: true,
        write: true,
        lints: true,
        cache_dir: None,
    };
    let result = djguide::build(&options);
    let files = site.text_files();
    let built = match result {
        Ok(report) => {
            assert!(report.files > 0, "a successful build wrote no file");
            check_diagnostics(report.warnings, &files);
            true
        }
        Err(BuildFailure::Content(diagnostics)) => {
            assert!(diagnostics.has_errors(), "a failed build reported no error");
            check_diagnostics(diagnostics, &files);
            false
        }
        Err(BuildFailure::Output(error)) => {
            panic!("writing a fresh output folder failed: {error:?}")
        }
    };
    check_writes_stay_in_output(site, built);
}

/// The build wrote into `out/` only: `outer/` holds `site/` and, after a
/// successful build, `out/`; `site/` holds exactly its inputs, unchanged.
fn check_writes_stay_in_output(site: &Site, built: bool) {
    let mut beside: Vec<String> = std::fs::read_dir(site.outer.path())
        .expect("read the temporary folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    beside.sort();
    let expected: &[&str] = if built { &["out", "site"] } else { &["site"] };
    assert_eq!(beside, expected, "the build left files beside its output");
    let mut found = BTreeSet::new();
    for entry in walk(&site.root) {
        let relative = entry.strip_prefix(&site.root).expect("under root");
        found.insert(relative.to_string_lossy().replace('\\', "/"));
    }
    let inputs: BTreeSet<String> = site.inputs.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(found, inputs, "the build wrote into the site folder");
    for (path, bytes) in &site.inputs {
        let now = std::fs::read(site.root.join(path)).expect("read input");
        assert!(now == *bytes, "the build changed its input {path}");
    }
}

/// Every file under `folder`, symbolic links included, not followed.
fn walk(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read folder") {
            let entry = entry.expect("entry");
            let kind = entry.file_type().expect("file type");
            if kind.is_dir() {
                pending.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    files
}

fn check_diagnostics(diagnostics: Diagnostics, files: &[(PathBuf, String)]) {
    for diagnostic in diagnostics.sorted() {
        check_diagnostic(&diagnostic, files);
    }
}

/// A diagnostic names a file of the site by a relative path, is located
/// from line 1 and column 1, quotes that line of the file, and renders.
fn check_diagnostic(diagnostic: &Diagnostic, files: &[(PathBuf, String)]) {
    let shown = diagnostic.headline();
    let path = &diagnostic.path;
    assert!(
        path.components().all(|c| matches!(c, Component::Normal(_))),
        "diagnostic path is not inside the site: {shown}"
    );
    assert!(
        diagnostic.line >= 1 && diagnostic.column >= 1 && diagnostic.width >= 1,
        "diagnostic located before the file starts: {shown}"
    );
    if !diagnostic.source_line.is_empty()
        && let Some((_, text)) = files.iter().find(|(p, _)| p == path)
    {
        let line = text
            .split('\n')
            .nth(diagnostic.line - 1)
            .map(|line| line.trim_end_matches('\r').trim_start_matches('\u{feff}'));
        assert_eq!(
            line,
            Some(diagnostic.source_line.trim_start_matches('\u{feff}')),
            "diagnostic quotes another line than its own: {shown}"
        );
        let columns = diagnostic.source_line.chars().count() + 1;
        assert!(
            diagnostic.column <= columns,
            "diagnostic column past the end of its line: {shown}"
        );
    }
    let rendered = diagnostic.render(&Style::plain());
    assert!(rendered.contains(&shown), "rendered without its headline");
    if std::env::var_os("FUZZ_ASSERT_NO_CONTROL_CHARS").is_some() {
        assert_no_control_chars(diagnostic);
    }
}

/// No raw control character (other than a tab) in what a diagnostic prints:
/// one in an author's file must not reach the terminal as is. Enabled by
/// `FUZZ_ASSERT_NO_CONTROL_CHARS=1` once diagnostics escape them.
pub fn assert_no_control_chars(diagnostic: &Diagnostic) {
    let fields = [
        diagnostic.path.to_string_lossy().into_owned(),
        diagnostic.message.clone(),
        diagnostic.source_line.clone(),
        diagnostic.hint.clone().unwrap_or_default(),
    ];
    for field in fields {
        assert!(
            !field.chars().any(|c| c.is_control() && c != '\t'),
            "raw control character in a diagnostic: {field:?}"
        );
    }
}

fn lossy_without_bom(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.strip_prefix('\u{feff}').unwrap_or(&text).to_string()
}

fn files_with(path: &str, text: &str) -> Vec<(PathBuf, String)> {
    vec![(PathBuf::from(path), text.to_string())]
}
