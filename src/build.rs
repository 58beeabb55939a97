//! The pipeline. [`build_tree`] reads as the list of stages: load the
//! configuration, the theme and the content; render Markdown and resolve
//! links; lay out pages. [`build`] then writes the tree; `djguide serve`
//! serves it from memory instead. Content errors from every stage are
//! collected and reported together; the output is written only when there
//! are none.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::config::SiteConfig;
use crate::content::{self, LoadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::highlight::{self, Highlighter};
use crate::output::{self, OutputError, OutputFile, Sink, Staging};
use crate::pages::PageCache;
use crate::site::{self, MarkdownCache, Site, SourceText};
use crate::theme::{Templates, Theme};
use rayon::prelude::*;

use crate::{assets, feeds, lints, pages, samples_export, search};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir` from `site.toml` (relative to the current directory).
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    pub include_drafts: bool,
    /// `false` for `djguide check`: validate and render, write nothing.
    pub write: bool,
    /// Add the warnings of `djguide check` ([`lints`]).
    pub lints: bool,
    /// Where highlighted code blocks are kept between builds (the CLI's
    /// `.djguide-cache/` under the root); `None` reads and writes no cache.
    pub cache_dir: Option<PathBuf>,
}

/// Caches kept between builds by `djguide serve`; the default is none.
#[derive(Clone, Copy, Default)]
pub struct Caches<'a> {
    pub markdown: Option<&'a dyn MarkdownCache>,
    pub pages: Option<&'a dyn PageCache>,
    pub search: Option<&'a dyn search::TermsCache>,
    /// What earlier builds read from or wrote to the highlight cache file.
    pub highlight_files: Option<&'a highlight::CacheFiles>,
    pub minified: Option<&'a assets::Minified>,
}

/// A built site in memory: every output file by its path.
#[derive(Debug, Clone)]
pub struct BuiltTree {
    pub tree: BTreeMap<String, Vec<u8>>,
    pub pages: usize,
    pub topics: usize,
    pub questions: usize,
    /// Where `build` writes the tree.
    pub output_dir: PathBuf,
    pub warnings: Diagnostics,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub topics: usize,
    pub questions: usize,
    pub files: usize,
    pub output: Option<PathBuf>,
    /// What writing the output kept or left behind.
    pub written: output::WriteReport,
    pub elapsed: Duration,
    pub warnings: Diagnostics,
}

/// Why a build failed.
#[derive(Debug)]
pub enum BuildFailure {
    /// Problems in the author's files, all of them.
    Content(Diagnostics),
    /// The output could not be written; the previous output is untouched.
    Output(OutputError),
}

/// Build the site into its output folder. Each file is written as soon as
/// it is made (see [`produce`]), so memory holds the site and the index,
/// not the output.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    let loaded = load(options, Caches::default())?;
    let target = output_dir(&loaded.site, options);
    let (produced, output, written) = if options.write {
        let open = |paths| {
            output::check_target(&options.root, &target)?;
            Staging::open(&target, paths)
        };
        let (produced, staging) = produce(
            options,
            loaded,
            Caches::default(),
            SearchIndex::Included,
            open,
        )?;
        let written = staging.finish().map_err(BuildFailure::Output)?;
        (produced, Some(target), written)
    } else {
        let (produced, _) = produce(
            options,
            loaded,
            Caches::default(),
            SearchIndex::Included,
            |_| Ok(Discard),
        )?;
        (produced, None, output::WriteReport::default())
    };
    Ok(BuildReport {
        pages: produced.pages,
        topics: produced.topics,
        questions: produced.questions,
        files: produced.files,
        output,
        written,
        elapsed: started.elapsed(),
        warnings: produced.warnings,
    })
}

/// Every stage up to the output, which stays in memory.
pub fn build_tree(options: &BuildOptions, caches: Caches) -> Result<BuiltTree, BuildFailure> {
    let mut staged = build_tree_staged(options, caches)?;
    let search = staged.search_files(caches.search);
    staged.add_search(search)?;
    Ok(staged.built)
}

/// A build in memory whose search index is still to be made. `djguide
/// serve` publishes the pages first, so an edit reaches the open page
/// without waiting for the index, which follows right after.
pub struct StagedBuild {
    /// Everything but the search index.
    pub built: BuiltTree,
    site: Site,
}

impl StagedBuild {
    /// The search index's files.
    pub fn search_files(&self, cache: Option<&dyn search::TermsCache>) -> Vec<OutputFile> {
        let documents = search::documents(&self.site);
        let mut files = search::build_cached(&documents, cache);
        files.par_extend(search::fragment_files(&documents));
        files
    }

    /// Complete the tree with the search index's files.
    pub fn add_search(&mut self, files: Vec<OutputFile>) -> Result<(), BuildFailure> {
        output::insert_all(&mut self.built.tree, files).map_err(BuildFailure::Output)
    }
}

/// Every stage up to the output but the search index, in memory.
pub fn build_tree_staged(
    options: &BuildOptions,
    caches: Caches,
) -> Result<StagedBuild, BuildFailure> {
    let loaded = load(options, caches)?;
    let output_dir = output_dir(&loaded.site, options);
    let open = |_| Ok(InMemory::default());
    let (produced, tree) = produce(options, loaded, caches, SearchIndex::Deferred, open)?;
    let built = BuiltTree {
        tree: tree.0.into_inner().unwrap_or_else(|e| e.into_inner()),
        pages: produced.pages,
        topics: produced.topics,
        questions: produced.questions,
        output_dir,
        warnings: produced.warnings,
    };
    Ok(StagedBuild {
        built,
        site: produced.site,
    })
}

/// What the output stages made, besides the files.
struct Produced {
    pages: usize,
    topics: usize,
    questions: usize,
    files: usize,
    warnings: Diagnostics,
    site: Site,
}

/// Whether [`produce`] makes the search index.
#[derive(Clone, Copy)]
enum SearchIndex {
    Included,
    /// Left to the caller ([`StagedBuild`]).
    Deferred,
}

/// Lay out every page, the feeds and (unless deferred) the search index,
/// and hand each file to the sink that `open` makes as soon as it is
/// ready. Every path is known before the first file is made: `open` gets
/// them all, checked (safe, none twice), and can refuse them before
/// anything is written. Cross-page data (the search postings, the feeds)
/// is made first; then the search fragments, after which the search
/// documents are dropped; then the pages, in parallel.
fn produce<S: Sink>(
    options: &BuildOptions,
    loaded: Loaded,
    caches: Caches,
    search_index: SearchIndex,
    open: impl FnOnce(BTreeSet<String>) -> Result<S, OutputError>,
) -> Result<(Produced, S), BuildFailure> {
    let Loaded {
        mut site,
        theme,
        templates,
        highlight_css,
        mut diagnostics,
        placeholders,
    } = loaded;
    // The last reader of the authors' text (a build read its placeholders
    // before rendering, see `load`); nothing after it needs the text.
    if options.lints {
        diagnostics.extend(lints::check(&site));
    } else {
        diagnostics.extend(placeholders);
    }
    site.release_sources();
    // The search documents take the search text out of the site (pages do
    // not show it), and are dropped once the fragments are written.
    let sections = match search_index {
        SearchIndex::Included => Some(site.take_search_sections()),
        SearchIndex::Deferred => None,
    };
    let (assets, asset_urls) = assets::collect(&theme, &site.urls, &highlight_css, caches.minified);
    let mut site_files = feeds::all(&site);
    site_files.push(pages::anki::questions_csv(&site));
    let documents = match sections {
        Some(sections) => {
            let documents = search::documents_owning(&site, sections);
            site_files.extend(search::build_cached(&documents, caches.search));
            documents
        }
        None => Vec::new(),
    };

    // After the index, whose working memory is gone by then: the plan
    // holds every question's summary.
    let plan = pages::Plan::new(&site, &asset_urls);
    let page_paths = plan.paths();
    let fragment_paths: Vec<String> = search::fragment_paths(documents.len()).collect();
    let paths = output::check_paths(
        (assets.iter().map(|file| file.path.as_str()))
            .chain(page_paths.iter().map(String::as_str))
            .chain(site_files.iter().map(|file| file.path.as_str()))
            .chain(fragment_paths.iter().map(String::as_str)),
    )
    .map_err(BuildFailure::Output)?;
    let files = paths.len();
    let sink = open(paths).map_err(BuildFailure::Output)?;

    for file in assets.into_iter().chain(site_files) {
        sink.put(file);
    }
    {
        let _span = crate::timings::span("search fragments");
        search::fragment_files(&documents).for_each(|file| sink.put(file));
    }
    drop(documents);
    let pages = plan
        .render(&templates, caches.pages, &|file| sink.put(file))
        .map_err(fail_with)?;
    let produced = Produced {
        pages,
        topics: site.topics.len(),
        questions: site.questions.len(),
        files,
        warnings: diagnostics,
        site,
    };
    Ok((produced, sink))
}

/// The output of `djguide serve`: every file by its path.
#[derive(Default)]
struct InMemory(Mutex<BTreeMap<String, Vec<u8>>>);

impl Sink for InMemory {
    fn put(&self, file: OutputFile) {
        let mut tree = self.0.lock().unwrap_or_else(|e| e.into_inner());
        tree.insert(file.path, file.contents);
    }
}

/// The output of `djguide check`: made, then dropped.
struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) {}
}

/// Load and validate everything and export every code sample into `folder`
/// (`djguide samples`): returns how many samples were written.
pub fn export_samples(options: &BuildOptions, folder: &Path) -> Result<usize, BuildFailure> {
    let loaded = load(options, Caches::default())?;
    samples_export::write(&loaded.site, folder).map_err(BuildFailure::Output)
}

/// The site with every page's Markdown rendered, and the theme ready to lay it out.
struct Loaded {
    site: Site,
    theme: Theme,
    templates: Templates,
    highlight_css: String,
    /// Warnings only: any error fails the load.
    diagnostics: Diagnostics,
    /// Without lints, the warnings about `TODO` placeholders, read before
    /// the pages' text was let go (reported only if the load succeeds).
    placeholders: Vec<Diagnostic>,
}

fn load(options: &BuildOptions, caches: Caches) -> Result<Loaded, BuildFailure> {
    let markdown_cache = caches.markdown;
    let root = &options.root;
    let mut diagnostics = Diagnostics::default();

    let (config, config_text) = load_config(root, options).map_err(fail_with)?;
    let theme = Theme::load(root, &config.theme).map_err(|d| fail_with(vec![d]))?;
    let templates = theme.compile().map_err(fail_with)?;
    let palette = highlight_palette(&config, &config_text).map_err(fail_with)?;
    let highlight_css = highlight::stylesheet(&palette);

    let load_options = LoadOptions {
        include_drafts: options.include_drafts,
    };
    let (content, load_diagnostics) = content::load(root, load_options);
    diagnostics.extend(load_diagnostics);
    let Some(content) = content else {
        return Err(BuildFailure::Content(diagnostics));
    };

    let mut highlighter = Highlighter::configured(palette, config.samples.verified_with.clone());
    if let Some(dir) = highlight_cache_dir(options, &config) {
        highlighter = highlighter.with_disk_cache(
            &dir,
            markdown_cache.is_none(),
            caches.highlight_files.cloned(),
        );
    }
    // Lints read the authors' text after rendering; without them, the
    // placeholder warnings are read now and rendering lets the text go.
    let (placeholders, source_text) = if options.lints {
        (Vec::new(), SourceText::Keep)
    } else {
        (lints::placeholder_summary(&content), SourceText::Release)
    };
    let (site, render_diagnostics) =
        site::assemble_cached(config, content, &highlighter, markdown_cache, source_text);
    diagnostics.extend(render_diagnostics);
    if diagnostics.has_errors() {
        return Err(BuildFailure::Content(only_errors(diagnostics)));
    }
    highlighter.save_disk_cache();
    // Rendering warns about raw HTML the sanitiser removes; like every other
    // warning they are `check`'s to report (and only on an error-free site).
    if !options.lints {
        diagnostics = only_errors(diagnostics);
    }
    Ok(Loaded {
        site,
        theme,
        templates,
        highlight_css,
        diagnostics,
        placeholders,
    })
}

/// The validated configuration, and the text of `site.toml` for errors
/// about its values found later.
fn load_config(
    root: &Path,
    options: &BuildOptions,
) -> Result<(SiteConfig, String), Vec<Diagnostic>> {
    let shown = Path::new("site.toml");
    let text = SiteConfig::read(&root.join("site.toml"), shown)?;
    let config = SiteConfig::parse(&text, shown)?;
    let config = match &options.base_url {
        Some(base_url) => config.with_base_url(base_url, shown)?,
        None => config,
    };
    Ok((config, text))
}

fn highlight_palette(
    config: &SiteConfig,
    text: &str,
) -> Result<Arc<highlight::Palette>, Vec<Diagnostic>> {
    let themes = &config.highlight;
    highlight::palette(themes.light_theme.get_ref(), themes.dark_theme.get_ref()).map_err(|error| {
        let span = [&themes.light_theme, &themes.dark_theme]
            .into_iter()
            .find(|theme| *theme.get_ref() == error.name)
            .map_or(0..0, |theme| theme.span());
        vec![
            Diagnostic::at(
                Path::new("site.toml"),
                text,
                span,
                format!("unknown highlighting theme `{}`", error.name),
            )
            .with_hint(crate::diagnostics::suggestion_hint(
                &error.name,
                error.known.iter().copied(),
            )),
        ]
    })
}

fn output_dir(site: &Site, options: &BuildOptions) -> PathBuf {
    configured_output_dir(&site.config, options)
}

fn configured_output_dir(config: &SiteConfig, options: &BuildOptions) -> PathBuf {
    match &options.output {
        Some(output) => output.clone(),
        None => options.root.join(&config.output_dir),
    }
}

/// The cache folder, unless there is none or it lies in the output folder
/// (which each build replaces, and which is published).
fn highlight_cache_dir(options: &BuildOptions, config: &SiteConfig) -> Option<PathBuf> {
    let dir = options.cache_dir.as_ref()?;
    let output = configured_output_dir(config, options);
    let inside_output = match (std::path::absolute(dir), std::path::absolute(&output)) {
        (Ok(dir), Ok(output)) => output::normalize(&dir).starts_with(output::normalize(&output)),
        _ => true,
    };
    (!inside_output).then(|| dir.clone())
}

fn only_errors(diagnostics: Diagnostics) -> Diagnostics {
    let mut errors = Diagnostics::default();
    errors.extend(
        diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error),
    );
    errors
}

fn fail_with(errors: Vec<Diagnostic>) -> BuildFailure {
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(errors);
    BuildFailure::Content(diagnostics)
}
