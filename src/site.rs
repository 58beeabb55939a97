//! The site as a whole: where each page lives, and every page's Markdown
//! rendered with its links resolved against all the others.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::config::{Level, SiteConfig};
use crate::content::{Content, SourceFile};
use crate::diagnostics::Diagnostic;
use crate::highlight::{CodeBlock, CodeInfo, Highlighter};
use crate::markdown::{self, HtmlPolicy, LinkTarget, LinkTargets, Release, Rendered, VersionNote};

/// URL building. Paths handed in are relative to the site root
/// (`orm/n-plus-one/`); results carry the base path or the full origin.
#[derive(Debug, Clone)]
pub struct Urls {
    base_path: String,
    origin: String,
}

impl Urls {
    pub fn new(config: &SiteConfig) -> Self {
        Urls {
            base_path: config.base_path(),
            origin: config.origin_with_path().to_string(),
        }
    }

    /// Root-relative URL, used for every link inside the site.
    pub fn path(&self, relative: &str) -> String {
        format!("{}{relative}", self.base_path)
    }

    /// Absolute URL, for canonical links, the sitemap and the feed.
    pub fn absolute(&self, relative: &str) -> String {
        format!("{}/{relative}", self.origin)
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }
}

/// Site-root-relative locations of the generated pages.
pub mod location {
    use crate::config::Level;

    pub fn topic(slug: &str) -> String {
        format!("{slug}/")
    }
    pub fn question(topic: &str, slug: &str) -> String {
        format!("{topic}/{slug}/")
    }
    pub fn level(level: Level) -> String {
        format!("levels/{}/", level.as_str())
    }
    pub fn tag(tag: &str) -> String {
        format!("tags/{tag}/")
    }
    pub const HOME: &str = "";
    pub const QUESTIONS: &str = "questions/";
    pub const TAGS: &str = "tags/";
    pub const SEARCH: &str = "search/";
    pub const CHANGES: &str = "changes/";
    pub const NOT_FOUND: &str = "404.html";
}

/// Everything the layout stage needs, with Markdown already rendered.
pub struct Site {
    pub config: SiteConfig,
    pub urls: Urls,
    pub content: Content,
    pub home: Rendered,
    pub topics: Vec<Rendered>,
    pub questions: Vec<Rendered>,
    /// For each question, the indices of its `related` questions.
    pub related: Vec<Vec<usize>>,
    /// Tag → question indices, sorted by tag.
    pub tags: BTreeMap<String, Vec<usize>>,
}

impl Site {
    pub fn question_location(&self, index: usize) -> String {
        let question = &self.content.questions[index];
        location::question(&self.content.topic_of(question).slug, &question.slug)
    }

    /// Every release that a question's version note names, in
    /// [`Release`] order, each with its notes as (question index, note) in
    /// question order.
    pub fn changes(&self) -> Vec<(Release, Vec<(usize, &VersionNote)>)> {
        let mut by_release: BTreeMap<Release, Vec<(usize, &VersionNote)>> = BTreeMap::new();
        for (index, rendered) in self.questions.iter().enumerate() {
            for note in &rendered.version_notes {
                by_release
                    .entry(note.release.clone())
                    .or_default()
                    .push((index, note));
            }
        }
        by_release.into_iter().collect()
    }

    pub fn questions_at(&self, level: Level) -> impl Iterator<Item = usize> + '_ {
        self.content
            .questions
            .iter()
            .enumerate()
            .filter(move |(_, q)| q.level == level)
            .map(|(index, _)| index)
    }
}

/// Rendered Markdown kept between builds by a long-running caller
/// (`djguide serve`). Entries are keyed by page key and a fingerprint of every
/// input of [`markdown::render`] (the file, and how each of its links resolves
/// against the rest of the site); rendering is a pure function of those, so a
/// hit is exactly what rendering again would produce.
pub trait MarkdownCache: Sync {
    fn get(&self, key: &str, fingerprint: u64) -> Option<(Rendered, Vec<Diagnostic>)>;
    fn put(&self, key: &str, fingerprint: u64, rendered: &(Rendered, Vec<Diagnostic>));
}

/// Render every page's Markdown, resolving links and `related` entries.
pub fn assemble(
    config: SiteConfig,
    content: Content,
    highlighter: &Highlighter,
) -> (Site, Vec<Diagnostic>) {
    assemble_cached(config, content, highlighter, None)
}

/// [`assemble`], reusing renders from `cache` whose inputs did not change.
pub fn assemble_cached(
    config: SiteConfig,
    content: Content,
    highlighter: &Highlighter,
    cache: Option<&dyn MarkdownCache>,
) -> (Site, Vec<Diagnostic>) {
    let urls = Urls::new(&config);
    let sources: Vec<(&SourceFile, String)> =
        std::iter::once((&content.home.source, location::HOME.to_string()))
            .chain(
                content
                    .topics
                    .iter()
                    .map(|topic| (&topic.source, location::topic(&topic.slug))),
            )
            .chain(content.questions.iter().map(|question| {
                (
                    &question.source,
                    location::question(&content.topic_of(question).slug, &question.slug),
                )
            }))
            .collect();

    let headings: Vec<Vec<markdown::Heading>> = sources
        .par_iter()
        .map(|(source, _)| markdown::headings(source.body()))
        .collect();
    let targets = LinkTargets {
        pages: sources
            .iter()
            .zip(&headings)
            .map(|((source, location), headings)| {
                let target = LinkTarget {
                    url: urls.path(location),
                    anchors: headings.iter().map(|h| h.id.clone()).collect(),
                };
                (source.key.clone(), target)
            })
            .collect(),
        drafts: content.skipped_drafts.iter().cloned().collect(),
        failed: content.failed.iter().cloned().collect(),
    };

    let policy = if config.markdown.unsafe_html {
        HtmlPolicy::Trust
    } else {
        HtmlPolicy::Sanitize
    };
    let results: Vec<(Rendered, Vec<Diagnostic>)> = sources
        .par_iter()
        .zip(&headings)
        .map(|((source, _), headings)| match cache {
            None => markdown::render(source, headings, &targets, highlighter, policy),
            Some(cache) => {
                let fingerprint = render_inputs(source, &targets, policy);
                if let Some(hit) = cache.get(&source.key, fingerprint) {
                    return hit;
                }
                let rendered = markdown::render(source, headings, &targets, highlighter, policy);
                cache.put(&source.key, fingerprint, &rendered);
                rendered
            }
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut rendered = Vec::with_capacity(results.len());
    for (page, errors) in results {
        rendered.push(page);
        diagnostics.extend(errors);
    }

    let index_of_key: BTreeMap<&str, usize> = content
        .questions
        .iter()
        .enumerate()
        .map(|(index, question)| (question.source.key.as_str(), index))
        .collect();
    let mut related = Vec::with_capacity(content.questions.len());
    for question in &content.questions {
        let mut found = Vec::new();
        for (entry, span) in &question.related {
            if content.failed.iter().any(|key| key == entry) {
                continue;
            }
            let error = match targets.resolve_key(entry) {
                Ok((key, _)) => match index_of_key.get(key.as_str()) {
                    Some(&index)
                        if index_of_key.get(question.source.key.as_str()) != Some(&index) =>
                    {
                        found.push(index);
                        continue;
                    }
                    Some(_) => Some(("a question cannot be related to itself".to_string(), None)),
                    None => Some((
                        format!("`{entry}` is not a question"),
                        Some("list question files such as `orm/n-plus-one.md`".to_string()),
                    )),
                },
                Err(error) => Some((error.message, error.hint)),
            };
            if let Some((message, hint)) = error {
                diagnostics.push(
                    Diagnostic::at(
                        &question.source.path,
                        &question.source.text,
                        span.clone(),
                        message,
                    )
                    .with_optional_hint(hint),
                );
            }
        }
        found.dedup();
        related.push(found);
    }

    // Samples from files go through the same highlighting stage as fences.
    let mut question_pages: Vec<Rendered> = rendered.split_off(1 + content.topics.len());
    for (page, question) in question_pages.iter_mut().zip(&content.questions) {
        for sample in &question.samples {
            let mut info = CodeInfo {
                lang: Some(sample.lang.clone()),
                title: Some(sample.title.clone()),
                run: sample.run,
                norun: sample.norun.clone(),
                ..CodeInfo::default()
            };
            if let Some(lines) = &sample.hl_lines {
                match crate::highlight::info::parse_line_ranges(lines) {
                    Ok(ranges) => info.hl_lines = ranges,
                    Err(message) => {
                        diagnostics.push(Diagnostic::at(
                            &question.source.path,
                            &question.source.text,
                            sample.span.clone(),
                            format!("sample `{}`: {message}", sample.file),
                        ));
                        continue;
                    }
                }
            }
            match highlighter.render(&CodeBlock {
                code: &sample.code,
                info: &info,
            }) {
                Ok(html) => page.html.push_str(&html),
                Err(crate::highlight::CodeError::UnknownLanguage { lang, hint }) => {
                    diagnostics.push(
                        Diagnostic::at(
                            &question.source.path,
                            &question.source.text,
                            sample.span.clone(),
                            format!("sample `{}`: unknown language `{lang}`", sample.file),
                        )
                        .with_hint(format!("set `lang` in [[samples]]; {hint}")),
                    );
                }
                Err(crate::highlight::CodeError::HighlightedLinePastEnd { line, lines }) => {
                    diagnostics.push(
                        Diagnostic::at(
                            &question.source.path,
                            &question.source.text,
                            sample.span.clone(),
                            format!(
                                "sample `{}`: `hl_lines` names line {line} but the file has {lines} line{}",
                                sample.file,
                                if lines == 1 { "" } else { "s" }
                            ),
                        )
                        .with_hint(format!("highlight lines between 1 and {lines}")),
                    );
                }
            }
        }
    }
    let topic_pages = rendered.split_off(1);
    let home = rendered.pop().unwrap_or_default();

    let mut tags: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, question) in content.questions.iter().enumerate() {
        for tag in &question.tags {
            tags.entry(tag.clone()).or_default().push(index);
        }
    }

    let site = Site {
        config,
        urls,
        content,
        home,
        topics: topic_pages,
        questions: question_pages,
        related,
        tags,
    };
    (site, diagnostics)
}

/// A fingerprint of everything [`markdown::render`] reads besides the
/// highlighter (which never changes): the file, the raw-HTML policy, and the
/// outcome of resolving each of its links, which is all it asks of the other
/// pages. Headings come from the body, so the text covers them.
fn render_inputs(source: &SourceFile, targets: &LinkTargets, policy: HtmlPolicy) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    (&source.path, &source.key, &source.text, source.body_start).hash(&mut hasher);
    policy.hash(&mut hasher);
    for destination in markdown::link_destinations(source.body()) {
        destination.hash(&mut hasher);
        match targets.resolve(&source.key, &destination) {
            Ok(url) => (0u8, url).hash(&mut hasher),
            Err(error) => (1u8, error.message, error.hint).hash(&mut hasher),
        }
    }
    hasher.finish()
}
