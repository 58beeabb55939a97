//! Incremental rebuilds. Every rebuild runs the whole pipeline
//! ([`build::build_tree`]); what makes it fast is that the two expensive
//! stages, Markdown rendering and page layout, reuse results whose inputs did
//! not change (see [`super::memo`]). Loading front matter for every file is
//! cheap, so it always runs: there is no dependency graph to get wrong.
//!
//! A change to `site.toml` clears the caches, so it rebuilds everything,
//! whichever file events announced it. A theme edit needs no clearing: page
//! fingerprints cover the templates each page reads, and the assets (whose
//! URLs every page carries) are collected afresh on every build.

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::{Duration, Instant};

use super::memo::{MarkdownMemo, Memo};
use crate::assets::Minified;
use crate::build::{self, BuildFailure, BuildOptions, Caches, StagedBuild};
use crate::highlight::CacheFiles;
use crate::output::OutputFile;
use crate::search::DocumentTerms;

/// Builds the site again and again, remembering what it rendered.
pub struct Rebuilder {
    options: BuildOptions,
    markdown: MarkdownMemo,
    search: Memo<DocumentTerms>,
    pages: Memo<Vec<u8>>,
    highlight_files: CacheFiles,
    minified: Minified,
    /// Fingerprint of the `site.toml` the caches belong to.
    config: Option<u64>,
}

/// A successful rebuild (all but its search index, see
/// [`Rebuilder::search_files`]) and how much of it was new work.
pub struct Rebuilt {
    pub staged: StagedBuild,
    /// Pages whose Markdown was rendered (not taken from the cache).
    pub markdown_renders: usize,
    /// Pages laid out through the templates (not taken from the cache).
    pub page_renders: usize,
    /// Whether the caches were cleared first (the configuration changed).
    pub full: bool,
    pub elapsed: Duration,
}

impl Rebuilder {
    pub fn new(options: BuildOptions) -> Self {
        Rebuilder {
            options,
            markdown: MarkdownMemo::default(),
            search: Memo::new(),
            pages: Memo::new(),
            highlight_files: CacheFiles::default(),
            minified: Minified::default(),
            config: None,
        }
    }

    pub fn rebuild(&mut self) -> Result<Rebuilt, BuildFailure> {
        let started = Instant::now();
        let config = config_fingerprint(&self.options.root);
        let full = self.config != Some(config);
        if full {
            self.markdown.clear();
            self.search.clear();
            self.pages.clear();
            self.config = Some(config);
        }
        let caches = Caches {
            markdown: Some(&self.markdown),
            search: Some(&self.search),
            pages: Some(&self.pages),
            highlight_files: Some(&self.highlight_files),
            minified: Some(&self.minified),
        };
        let result = build::build_tree_staged(&self.options, caches);
        // Only a complete build knows which entries are still needed; a failed
        // one keeps them all for the build that fixes it.
        let complete = result.is_ok();
        let markdown_renders = self.markdown.sweep(complete);
        let page_renders = self.pages.sweep(complete);
        Ok(Rebuilt {
            staged: result?,
            markdown_renders,
            page_renders,
            full,
            elapsed: started.elapsed(),
        })
    }

    /// The search index of a rebuild, from the terms of unchanged questions
    /// kept since the last one.
    pub fn search_files(&self, staged: &StagedBuild) -> Vec<OutputFile> {
        let files = staged.search_files(Some(&self.search));
        self.search.sweep(true);
        files
    }
}

/// A fingerprint of `site.toml`, which shapes every stage.
fn config_fingerprint(root: &Path) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    std::fs::read(root.join("site.toml")).ok().hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    fn question(title: &str, body: &str) -> String {
        format!(
            "+++\ntitle = \"{title}\"\nlevel = \"mid\"\nsummary = \"S.\"\nred_flag = \"R.\"\n+++\n{body}\n"
        )
    }

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "site.toml",
            "title = \"T\"\nbase_url = \"https://x.dev/\"\n",
        );
        write(root, "content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
        write(root, "content/orm/_index.md", "+++\ntitle = \"ORM\"\n+++\n");
        write(
            root,
            "content/orm/a.md",
            &question("A?", "See [b](b.md#two)."),
        );
        write(
            root,
            "content/orm/b.md",
            &question("B?", "## One\n\n## Two\n"),
        );
        write(root, "content/orm/c.md", &question("C?", "Alone."));
        dir
    }

    /// The rebuild's result, or a panic that shows why it failed.
    fn ok(result: Result<Rebuilt, BuildFailure>) -> Rebuilt {
        match result {
            Ok(rebuilt) => rebuilt,
            Err(BuildFailure::Content(errors)) => {
                let shown: Vec<String> = errors
                    .sorted()
                    .iter()
                    .map(|d| d.render(&crate::diagnostics::Style::plain()))
                    .collect();
                panic!("build failed:\n{}", shown.join("\n"))
            }
            Err(BuildFailure::Output(error)) => panic!("build failed: {error}"),
        }
    }

    /// The whole tree of a rebuild, search index included.
    fn whole_tree(
        rebuilder: &Rebuilder,
        rebuilt: Rebuilt,
    ) -> std::collections::BTreeMap<String, Vec<u8>> {
        let mut staged = rebuilt.staged;
        let search = rebuilder.search_files(&staged);
        if staged.add_search(search).is_err() {
            panic!("the search index collides with a page");
        }
        staged.built.tree
    }

    fn rebuilder(root: &Path) -> Rebuilder {
        Rebuilder::new(BuildOptions {
            root: root.to_path_buf(),
            ..BuildOptions::default()
        })
    }

    #[test]
    fn an_unchanged_site_renders_nothing_again() {
        let dir = site();
        let mut rebuilder = rebuilder(dir.path());
        let first = ok(rebuilder.rebuild());
        assert!(first.full && first.markdown_renders == 5);
        let first = whole_tree(&rebuilder, first);
        let second = ok(rebuilder.rebuild());
        assert!(!second.full);
        assert_eq!((second.markdown_renders, second.page_renders), (0, 0));
        assert_eq!(first, whole_tree(&rebuilder, second));
    }

    #[test]
    fn a_body_edit_renders_that_page_and_a_heading_edit_its_linkers() {
        let dir = site();
        let mut rebuilder = rebuilder(dir.path());
        ok(rebuilder.rebuild());

        write(dir.path(), "content/orm/c.md", &question("C?", "Edited."));
        let edited = ok(rebuilder.rebuild());
        assert_eq!(edited.markdown_renders, 1);
        // The question page, and the search index's neighbours are not pages.
        assert_eq!(edited.page_renders, 1);

        write(
            dir.path(),
            "content/orm/b.md",
            &question("B?", "## One\n\n## Three\n"),
        );
        let Err(BuildFailure::Content(errors)) = rebuilder.rebuild() else {
            panic!("a link to a removed heading must fail");
        };
        let headlines: Vec<_> = errors.sorted().iter().map(|d| d.headline()).collect();
        assert_eq!(headlines.len(), 1);
        assert!(
            headlines[0].starts_with("content/orm/a.md:"),
            "{headlines:?}"
        );
    }

    #[test]
    fn the_cached_site_equals_a_fresh_build() {
        let dir = site();
        let mut rebuilder = rebuilder(dir.path());
        ok(rebuilder.rebuild());
        write(
            dir.path(),
            "content/orm/c.md",
            &question("C, renamed?", "Edited."),
        );
        write(dir.path(), "content/orm/d.md", &question("D?", "New."));
        let cached = ok(rebuilder.rebuild());
        let cached = whole_tree(&rebuilder, cached);
        let mut fresh_rebuilder = self::rebuilder(dir.path());
        let fresh = ok(fresh_rebuilder.rebuild());
        let fresh = whole_tree(&fresh_rebuilder, fresh);
        assert_eq!(cached, fresh);
        // The same as `djguide build` writes.
        let options = BuildOptions {
            root: dir.path().to_path_buf(),
            ..BuildOptions::default()
        };
        let built = build::build_tree(&options, Caches::default()).ok().unwrap();
        assert_eq!(cached, built.tree);
    }

    #[test]
    fn a_template_edit_re_renders_the_pages_that_use_it_and_no_markdown() {
        let dir = site();
        let mut rebuilder = rebuilder(dir.path());
        ok(rebuilder.rebuild());
        let theme = "themes/default/templates";
        std::fs::create_dir_all(dir.path().join(theme)).unwrap();
        std::fs::copy(
            "themes/default/templates/topic.html",
            dir.path().join(theme).join("topic.html"),
        )
        .unwrap();
        let mut edited =
            std::fs::read_to_string(dir.path().join(theme).join("topic.html")).unwrap();
        edited.push_str("{# edited #}\n");
        write(dir.path(), &format!("{theme}/topic.html"), &edited);
        let rebuilt = ok(rebuilder.rebuild());
        assert!(!rebuilt.full);
        assert_eq!((rebuilt.markdown_renders, rebuilt.page_renders), (0, 1));
        let fresh = ok(self::rebuilder(dir.path()).rebuild());
        assert_eq!(rebuilt.staged.built.tree, fresh.staged.built.tree);
    }

    #[test]
    fn a_stylesheet_edit_re_renders_every_page_and_no_markdown() {
        let dir = site();
        let mut rebuilder = rebuilder(dir.path());
        let first = ok(rebuilder.rebuild());
        write(
            dir.path(),
            "themes/default/static/style.css",
            "body { color: red }",
        );
        let rebuilt = ok(rebuilder.rebuild());
        assert!(!rebuilt.full);
        assert_eq!(rebuilt.markdown_renders, 0);
        // Every page links the stylesheet by its fingerprinted name.
        assert_eq!(rebuilt.page_renders, first.page_renders);
    }

    #[test]
    fn a_configuration_change_rebuilds_everything() {
        let dir = site();
        let mut rebuilder = rebuilder(dir.path());
        ok(rebuilder.rebuild());
        write(
            dir.path(),
            "site.toml",
            "title = \"T2\"\nbase_url = \"https://x.dev/\"\n",
        );
        let rebuilt = ok(rebuilder.rebuild());
        assert!(rebuilt.full);
        assert_eq!(rebuilt.markdown_renders, 5);
    }
}
