//! The pipeline. [`build_tree`] reads as the list of stages: load the
//! configuration, the theme and the content; render Markdown and resolve
//! links; lay out pages. [`build`] then writes the tree; `djguide serve`
//! serves it from memory instead. Content errors from every stage are
//! collected and reported together; the output is written only when there
//! are none.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::SiteConfig;
use crate::content::{self, LoadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::highlight::{self, Highlighter};
use crate::output::{self, OutputError};
use crate::pages::PageCache;
use crate::site::{self, MarkdownCache, Site};
use crate::theme::{Templates, Theme};
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

pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    let built = build_tree(options, Caches::default())?;
    let (output, written) = if options.write {
        let target = &built.output_dir;
        output::check_target(&options.root, target).map_err(BuildFailure::Output)?;
        let written =
            output::write_atomically(target, &built.tree).map_err(BuildFailure::Output)?;
        (Some(target.clone()), written)
    } else {
        (None, output::WriteReport::default())
    };
    Ok(BuildReport {
        pages: built.pages,
        topics: built.topics,
        questions: built.questions,
        files: built.tree.len(),
        output,
        written,
        elapsed: started.elapsed(),
        warnings: built.warnings,
    })
}

/// Every stage up to the output, which stays in memory.
pub fn build_tree(options: &BuildOptions, caches: Caches) -> Result<BuiltTree, BuildFailure> {
    let Loaded {
        site,
        theme,
        templates,
        highlight_css,
        mut diagnostics,
    } = load(options, caches.markdown)?;

    let (mut files, asset_urls) = assets::collect(&theme, &site.urls, &highlight_css);
    let page_files = pages::render_all_cached(&site, &templates, &asset_urls, caches.pages)
        .map_err(fail_with)?;
    let pages = page_files.len();
    files.extend(page_files);
    files.extend(feeds::all(&site));
    files.push(pages::anki::questions_csv(&site));
    files.extend(search::build_cached(
        &search::documents(&site),
        caches.search,
    ));
    if options.lints {
        diagnostics.extend(lints::check(&site));
    } else {
        diagnostics.extend(lints::placeholder_summary(&site));
    }
    let tree = output::prepare(files).map_err(BuildFailure::Output)?;
    Ok(BuiltTree {
        tree,
        pages,
        topics: site.topics.len(),
        questions: site.questions.len(),
        output_dir: output_dir(&site, options),
        warnings: diagnostics,
    })
}

/// Load and validate everything and export every code sample into `folder`
/// (`djguide samples`): returns how many samples were written.
pub fn export_samples(options: &BuildOptions, folder: &Path) -> Result<usize, BuildFailure> {
    let loaded = load(options, None)?;
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
}

fn load(
    options: &BuildOptions,
    markdown_cache: Option<&dyn MarkdownCache>,
) -> Result<Loaded, BuildFailure> {
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
        highlighter = highlighter.with_disk_cache(&dir, markdown_cache.is_none());
    }
    let (site, render_diagnostics) =
        site::assemble_cached(config, content, &highlighter, markdown_cache);
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
