//! The site as a whole: where each page lives, and every page's Markdown
//! rendered with its links resolved against all the others.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::config::{Level, SiteConfig};
use crate::content::{Content, Home, Question, SourceFile, Topic};
use crate::diagnostics::Diagnostic;
use crate::highlight::{CodeBlock, CodeError, CodeInfo, Highlighter};
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

/// Everything the layout stage needs: one record per page, each holding what
/// the author wrote, where the page lives and its rendered Markdown.
///
/// Questions and topics refer to each other by position in
/// [`Site::questions`] and [`Site::topics`]; nothing else is kept in a
/// separate list that must stay in step with them.
pub struct Site {
    pub config: SiteConfig,
    pub urls: Urls,
    pub home: HomeRecord,
    pub topics: Vec<TopicRecord>,
    pub questions: Vec<QuestionRecord>,
    /// Tag → positions in [`Site::questions`], sorted by tag.
    pub tags: BTreeMap<String, Vec<usize>>,
}

impl Site {
    /// Forget every page's source text ([`SourceFile::release_text`]).
    pub fn release_sources(&mut self) {
        self.home.home.source.release_text();
        for record in &mut self.topics {
            record.topic.source.release_text();
        }
        for record in &mut self.questions {
            record.question.source.release_text();
        }
    }

    /// Take every question's search text ([`Rendered::sections`]), in
    /// question order: a build moves it into the search documents, which are
    /// dropped once the index is written, since pages do not show it (at
    /// 10,000 pages it is a fifth of what a build holds).
    pub fn take_search_sections(&mut self) -> Vec<Vec<markdown::Section>> {
        (self.questions.iter_mut())
            .map(|record| std::mem::take(&mut record.body.sections))
            .collect()
    }
}

pub struct HomeRecord {
    pub home: Home,
    pub body: Rendered,
}

pub struct TopicRecord {
    pub topic: Topic,
    /// Site-root-relative location (`orm/`).
    pub location: String,
    pub body: Rendered,
    /// Positions in [`Site::questions`], in reading order.
    pub questions: Vec<usize>,
}

pub struct QuestionRecord {
    pub question: Question,
    /// Position of its topic in [`Site::topics`].
    pub topic: usize,
    /// Site-root-relative location (`orm/n-plus-one/`).
    pub location: String,
    /// The answer, with `[[samples]]` files rendered after it.
    pub body: Rendered,
    /// Positions in [`Site::questions`] of its `related` questions.
    pub related: Vec<usize>,
}

impl Site {
    pub fn topic_of(&self, question: &QuestionRecord) -> &TopicRecord {
        &self.topics[question.topic]
    }

    /// Every release that a question's version note names, in
    /// [`Release`] order, each with its notes as (question index, note) in
    /// question order.
    pub fn changes(&self) -> Vec<(Release, Vec<(usize, &VersionNote)>)> {
        let mut by_release: BTreeMap<Release, Vec<(usize, &VersionNote)>> = BTreeMap::new();
        for (index, record) in self.questions.iter().enumerate() {
            for note in &record.body.version_notes {
                by_release
                    .entry(note.release.clone())
                    .or_default()
                    .push((index, note));
            }
        }
        by_release.into_iter().collect()
    }

    pub fn questions_at(&self, level: Level) -> impl Iterator<Item = usize> + '_ {
        self.questions
            .iter()
            .enumerate()
            .filter(move |(_, record)| record.question.level == level)
            .map(|(index, _)| index)
    }
}

/// Rendered Markdown kept between builds by a long-running caller
/// (`djguide serve`). Entries are keyed by page key and a fingerprint of the
/// file; each also holds the file's link destinations and a fingerprint of
/// how they resolved against the rest of the site. Rendering is a pure
/// function of those inputs, so an entry whose file and resolutions are
/// unchanged is exactly what rendering again would produce, and checking
/// that needs no second parse of the file.
pub trait MarkdownCache: Sync {
    fn get(&self, key: &str, fingerprint: u64) -> Option<CachedRender>;
    fn put(&self, key: &str, fingerprint: u64, entry: &CachedRender);
    /// A file's headings (every page's are needed before any is rendered,
    /// for the anchors links point to), by page key and a fingerprint of
    /// the body.
    fn headings(&self, key: &str, fingerprint: u64) -> Option<Vec<markdown::Heading>>;
    fn put_headings(&self, key: &str, fingerprint: u64, headings: &[markdown::Heading]);
}

/// A [`MarkdownCache`] entry.
#[derive(Debug, Clone)]
pub struct CachedRender {
    pub rendered: (Rendered, Vec<Diagnostic>),
    /// Every link destination of the file, in order.
    pub destinations: Vec<String>,
    /// How they resolved when it was rendered ([`link_resolutions`]).
    pub resolutions: u64,
}

/// Render every page's Markdown, resolving links and `related` entries.
pub fn assemble(
    config: SiteConfig,
    content: Content,
    highlighter: &Highlighter,
) -> (Site, Vec<Diagnostic>) {
    assemble_cached(config, content, highlighter, None, SourceText::Keep)
}

/// Whether a question keeps its authors' text once it is rendered. Only
/// `check`'s lints read it afterwards; a build lets each question's text go
/// as soon as the question is rendered, so a large site never holds all
/// the sources and all the rendered answers at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceText {
    Keep,
    Release,
}

/// [`assemble`], reusing renders from `cache` whose inputs did not change.
///
/// The stages, in order: [`resolve`] places every page and learns its
/// anchors; [`Renderer`] renders each page's Markdown against the others;
/// [`relate`] turns `related` entries into questions; [`index_tags`] groups
/// questions by tag. Each question stays one record from start to end.
pub fn assemble_cached(
    config: SiteConfig,
    content: Content,
    highlighter: &Highlighter,
    cache: Option<&dyn MarkdownCache>,
    source_text: SourceText,
) -> (Site, Vec<Diagnostic>) {
    let _span = crate::timings::span("markdown");
    let urls = Urls::new(&config);
    let resolved = resolve(content, &urls, cache);
    let renderer = Renderer {
        targets: &resolved.targets,
        highlighter,
        policy: if config.markdown.unsafe_html {
            HtmlPolicy::Trust
        } else {
            HtmlPolicy::Sanitize
        },
        cache,
    };
    let question_keys: BTreeMap<String, usize> = resolved
        .questions
        .iter()
        .enumerate()
        .map(|(index, (placed, _))| (placed.page.source.key.clone(), index))
        .collect();

    let mut diagnostics = Vec::new();
    let (home_body, errors) = renderer.render(&resolved.home);
    diagnostics.extend(errors);
    let topics: Vec<(TopicRecord, Vec<Diagnostic>)> = resolved
        .topics
        .into_par_iter()
        .map(|(placed, questions)| {
            let (body, errors) = renderer.render(&placed);
            let record = TopicRecord {
                topic: placed.page,
                location: placed.location,
                body,
                questions,
            };
            (record, errors)
        })
        .collect();
    let questions: Vec<(QuestionRecord, Vec<Diagnostic>)> = resolved
        .questions
        .into_par_iter()
        .map(|(placed, topic)| {
            let (mut body, mut errors) = renderer.render(&placed);
            errors.extend(render_sample_files(&placed.page, &mut body, highlighter));
            let related = relate(&placed.page, &resolved.targets, &question_keys, &mut errors);
            let mut question = placed.page;
            if source_text == SourceText::Release {
                question.source.release_text();
            }
            let record = QuestionRecord {
                question,
                topic,
                location: placed.location,
                body,
                related,
            };
            (record, errors)
        })
        .collect();
    let topics = collect_errors(topics, &mut diagnostics);
    let questions = collect_errors(questions, &mut diagnostics);
    let site = Site {
        config,
        urls,
        home: HomeRecord {
            home: resolved.home.page,
            body: home_body,
        },
        tags: index_tags(&questions),
        topics,
        questions,
    };
    (site, diagnostics)
}

fn collect_errors<T>(results: Vec<(T, Vec<Diagnostic>)>, into: &mut Vec<Diagnostic>) -> Vec<T> {
    results
        .into_iter()
        .map(|(record, errors)| {
            into.extend(errors);
            record
        })
        .collect()
}

/// A page with its place in the site, before its Markdown is rendered.
struct Placed<T> {
    page: T,
    location: String,
    headings: Vec<markdown::Heading>,
}

/// Every page placed, and what links may point at.
struct Resolved {
    home: Placed<Home>,
    /// Each topic with the positions of its questions in `questions`.
    topics: Vec<(Placed<Topic>, Vec<usize>)>,
    /// Each question with the position of its topic in `topics`.
    questions: Vec<(Placed<Question>, usize)>,
    targets: LinkTargets,
}

/// The resolve stage: where each page lives, its headings (the anchors links
/// may name), and each question's topic.
fn resolve(content: Content, urls: &Urls, cache: Option<&dyn MarkdownCache>) -> Resolved {
    let topic_position: BTreeMap<String, usize> = content
        .topics
        .iter()
        .enumerate()
        .map(|(index, topic)| (topic.slug.clone(), index))
        .collect();
    // The loader leaves out questions whose topic did not load.
    let questions: Vec<(Placed<Question>, usize)> = content
        .questions
        .into_par_iter()
        .filter_map(|question| {
            let topic = *topic_position.get(&question.topic)?;
            let location = location::question(&question.topic, &question.slug);
            Some((place(question, location, cache), topic))
        })
        .collect();
    let mut topics: Vec<(Placed<Topic>, Vec<usize>)> = content
        .topics
        .into_par_iter()
        .map(|topic| {
            let location = location::topic(&topic.slug);
            (place(topic, location, cache), Vec::new())
        })
        .collect();
    for (index, (_, topic)) in questions.iter().enumerate() {
        topics[*topic].1.push(index);
    }
    let home = place(content.home, location::HOME.to_string(), cache);

    let target = |source: &SourceFile, placed_location: &str, headings: &[markdown::Heading]| {
        let target = LinkTarget {
            url: urls.path(placed_location),
            anchors: headings.iter().map(|h| h.id.clone()).collect(),
        };
        (source.key.clone(), target)
    };
    let pages = std::iter::once(target(&home.page.source, &home.location, &home.headings))
        .chain(
            topics
                .iter()
                .map(|(t, _)| target(&t.page.source, &t.location, &t.headings)),
        )
        .chain(
            questions
                .iter()
                .map(|(q, _)| target(&q.page.source, &q.location, &q.headings)),
        )
        .collect();
    let targets = LinkTargets {
        pages,
        drafts: content.skipped_drafts.into_iter().collect(),
        failed: content.failed.into_iter().collect(),
    };
    Resolved {
        home,
        topics,
        questions,
        targets,
    }
}

fn place<T: HasSource>(page: T, location: String, cache: Option<&dyn MarkdownCache>) -> Placed<T> {
    let source = page.source();
    let headings = match cache {
        None => markdown::headings(source.body()),
        Some(cache) => {
            let fingerprint = hash_of(source.body());
            cache.headings(&source.key, fingerprint).unwrap_or_else(|| {
                let headings = markdown::headings(source.body());
                cache.put_headings(&source.key, fingerprint, &headings);
                headings
            })
        }
    };
    Placed {
        page,
        location,
        headings,
    }
}

/// The pages whose Markdown is rendered.
trait HasSource {
    fn source(&self) -> &SourceFile;
}

impl HasSource for Home {
    fn source(&self) -> &SourceFile {
        &self.source
    }
}

impl HasSource for Topic {
    fn source(&self) -> &SourceFile {
        &self.source
    }
}

impl HasSource for Question {
    fn source(&self) -> &SourceFile {
        &self.source
    }
}

/// The render stage: one page's Markdown, links resolved against every
/// page, through the cache when there is one.
struct Renderer<'a> {
    targets: &'a LinkTargets,
    highlighter: &'a Highlighter,
    policy: HtmlPolicy,
    cache: Option<&'a dyn MarkdownCache>,
}

impl Renderer<'_> {
    fn render<T: HasSource>(&self, placed: &Placed<T>) -> (Rendered, Vec<Diagnostic>) {
        let source = placed.page.source();
        let render = || {
            markdown::render(
                source,
                &placed.headings,
                self.targets,
                self.highlighter,
                self.policy,
            )
        };
        let Some(cache) = self.cache else {
            return render();
        };
        let fingerprint = source_fingerprint(source, self.policy);
        let resolutions =
            |destinations: &[String]| link_resolutions(&source.key, destinations, self.targets);
        if let Some(hit) = cache.get(&source.key, fingerprint)
            && resolutions(&hit.destinations) == hit.resolutions
        {
            return hit.rendered;
        }
        let destinations = markdown::link_destinations(source.body());
        let entry = CachedRender {
            rendered: render(),
            resolutions: resolutions(&destinations),
            destinations,
        };
        cache.put(&source.key, fingerprint, &entry);
        entry.rendered
    }
}

/// Samples from `[[samples]]` files go through the same highlighting stage
/// as fences and are appended to the answer.
fn render_sample_files(
    question: &Question,
    body: &mut Rendered,
    highlighter: &Highlighter,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for sample in &question.samples {
        let error_at = |message: String| {
            Diagnostic::at(
                &question.source.path,
                &question.source.text,
                sample.span.clone(),
                format!("sample `{}`: {message}", sample.file),
            )
        };
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
                    errors.push(error_at(message));
                    continue;
                }
            }
        }
        let block = CodeBlock {
            code: &sample.code,
            info: &info,
        };
        match highlighter.render(&block) {
            Ok(html) => body.html.push_str(&html),
            Err(error) => {
                let (message, hint) = error.describe("file");
                let hint = match error {
                    CodeError::UnknownLanguage { .. } => {
                        format!("set `lang` in [[samples]]; {hint}")
                    }
                    CodeError::HighlightedLinePastEnd { .. } => hint,
                };
                errors.push(error_at(message).with_hint(hint));
            }
        }
    }
    errors
}

/// The relate stage: a question's `related` entries as positions in
/// [`Site::questions`]; entries that are not other questions are errors.
fn relate(
    question: &Question,
    targets: &LinkTargets,
    question_keys: &BTreeMap<String, usize>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let own = question_keys.get(&question.source.key).copied();
    let mut found = Vec::new();
    for (entry, span) in &question.related {
        if targets.failed.contains(entry) {
            continue;
        }
        let (message, hint) = match targets.resolve_key(entry) {
            Ok((key, _)) => match question_keys.get(&key).copied() {
                Some(index) if Some(index) != own => {
                    found.push(index);
                    continue;
                }
                Some(_) => ("a question cannot be related to itself".to_string(), None),
                None => (
                    format!("`{entry}` is not a question"),
                    Some("list question files such as `orm/n-plus-one.md`".to_string()),
                ),
            },
            Err(error) => (error.message, error.hint),
        };
        errors.push(
            Diagnostic::at(
                &question.source.path,
                &question.source.text,
                span.clone(),
                message,
            )
            .with_optional_hint(hint),
        );
    }
    found.dedup();
    found
}

/// The index stage: tag → questions, in question order.
fn index_tags(questions: &[QuestionRecord]) -> BTreeMap<String, Vec<usize>> {
    let mut tags: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, record) in questions.iter().enumerate() {
        for tag in &record.question.tags {
            tags.entry(tag.clone()).or_default().push(index);
        }
    }
    tags
}

/// A fingerprint of everything [`markdown::render`] reads besides the
/// highlighter (which never changes): the file, the raw-HTML policy, and the
/// outcome of resolving each of its links, which is all it asks of the other
/// pages. Headings come from the body, so the text covers them.
/// A fingerprint of a file as [`markdown::render`] reads it.
fn source_fingerprint(source: &SourceFile, policy: HtmlPolicy) -> u64 {
    let inputs = (&source.path, &source.key, &source.text, source.body_start);
    hash_of((inputs, policy))
}

fn hash_of(value: impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::hash::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A fingerprint of how each of a file's link destinations resolves.
fn link_resolutions(key: &str, destinations: &[String], targets: &LinkTargets) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    for destination in destinations {
        destination.hash(&mut hasher);
        match targets.resolve(key, destination) {
            Ok(url) => (0u8, url).hash(&mut hasher),
            Err(error) => (1u8, error.message, error.hint).hash(&mut hasher),
        }
    }
    hasher.finish()
}
