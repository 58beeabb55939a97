//! Layout: every page of the site built from its typed context and rendered
//! through the theme's templates, in parallel.

pub mod anki;
pub mod context;
mod teaser;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::Hash;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Level;
use crate::diagnostics::Diagnostic;
use crate::markdown::{Release, VersionNote};
use crate::output_file::OutputFile;
use crate::site::{Site, TopicRecord, location};
use crate::theme::Templates;
use context::*;

/// One page to render.
#[derive(Debug, Clone)]
enum Job {
    Home,
    Topic(usize),
    Question(usize),
    Level(Level),
    Questions,
    Tags,
    Tag(String),
    Search,
    Changes,
    NotFound,
}

/// Rendered pages kept between builds by a long-running caller (`djguide
/// serve`), keyed by output path and a fingerprint of the templates the page
/// reads and its whole context: templates render the same context to the
/// same page, so a hit is exactly what rendering again would produce, and a
/// template edit misses only on the pages whose templates reach it.
pub trait PageCache: Sync {
    fn get(&self, path: &str, fingerprint: u64) -> Option<Vec<u8>>;
    fn put(&self, path: &str, fingerprint: u64, contents: &[u8]);
}

/// Every page of the site, known before any is rendered, so the output
/// can check where they go before the first is written.
pub struct Plan<'a> {
    site: &'a Site,
    site_context: SiteContext,
    /// Every question as lists show it, by position in [`Site::questions`]:
    /// made once, since most pages list some (the questions page all).
    summaries: Vec<QuestionSummary>,
    jobs: Vec<Job>,
}

impl<'a> Plan<'a> {
    pub fn new(site: &'a Site, assets: &Assets) -> Plan<'a> {
        let site_context = site_context(site, assets);
        let mut jobs = vec![Job::Home];
        jobs.extend((0..site.topics.len()).map(Job::Topic));
        jobs.extend((0..site.questions.len()).map(Job::Question));
        jobs.extend(Level::ALL.into_iter().map(Job::Level));
        jobs.extend([Job::Questions, Job::Tags, Job::Search, Job::NotFound]);
        jobs.extend(site.tags.keys().cloned().map(Job::Tag));
        if !site_context.releases.is_empty() {
            jobs.push(Job::Changes);
        }
        let summaries = (0..site.questions.len())
            .into_par_iter()
            .map(|index| summary(site, &site_context, index))
            .collect();
        Plan {
            site,
            site_context,
            summaries,
            jobs,
        }
    }

    /// The output path of every page, in rendering order.
    pub fn paths(&self) -> Vec<String> {
        let builder = self.builder(None);
        self.jobs
            .iter()
            .map(|job| page_path(&builder.location(job)))
            .collect()
    }

    /// Render every page in parallel and hand each to `sink` as soon as it
    /// is ready; returns how many there were. Pages reuse `cache` where
    /// their context did not change. Template errors are collected, one per
    /// place in a template.
    pub fn render(
        &self,
        templates: &Templates,
        cache: Option<&dyn PageCache>,
        sink: &(dyn Fn(OutputFile) + Sync),
    ) -> Result<usize, Vec<Diagnostic>> {
        let _span = crate::timings::span("pages");
        let builder = self.builder(cache);
        let errors: Vec<Vec<Diagnostic>> = self
            .jobs
            .par_iter()
            .filter_map(|job| match builder.render(templates, job) {
                Ok(file) => {
                    sink(file);
                    None
                }
                Err(errors) => Some(errors),
            })
            .collect();
        // A mistake in a shared template (base.html, a partial) fails
        // every page that uses it: report each place once.
        let mut unique: Vec<Diagnostic> = Vec::new();
        for error in errors.into_iter().flatten() {
            if !unique
                .iter()
                .any(|e| (&e.path, e.line, e.column) == (&error.path, error.line, error.column))
            {
                unique.push(error);
            }
        }
        if unique.is_empty() {
            Ok(self.jobs.len())
        } else {
            Err(unique)
        }
    }

    fn builder(&self, cache: Option<&'a dyn PageCache>) -> Builder<'_> {
        Builder {
            site: self.site,
            site_context: &self.site_context,
            summaries: &self.summaries,
            cache: cache.map(|cache| (cache, context_fingerprint(0, 0, &self.site_context))),
        }
    }
}

/// A page's file: `index.html` in the folder of its location.
fn page_path(location: &str) -> String {
    if location.is_empty() || location.ends_with('/') {
        format!("{location}index.html")
    } else {
        location.to_string()
    }
}

struct Builder<'a> {
    site: &'a Site,
    site_context: &'a SiteContext,
    summaries: &'a [QuestionSummary],
    /// The cache, with the fingerprint of the site context every page shares.
    cache: Option<(&'a dyn PageCache, u64)>,
}

impl<'a> Builder<'a> {
    /// Where a page goes, relative to the site root.
    fn location(&self, job: &Job) -> Cow<'_, str> {
        match job {
            Job::Home => location::HOME.into(),
            Job::Topic(index) => self.site.topics[*index].location.as_str().into(),
            Job::Question(index) => self.site.questions[*index].location.as_str().into(),
            Job::Level(level) => location::level(*level).into(),
            Job::Questions => location::QUESTIONS.into(),
            Job::Tags => location::TAGS.into(),
            Job::Tag(tag) => location::tag(tag).into(),
            Job::Search => location::SEARCH.into(),
            Job::Changes => location::CHANGES.into(),
            Job::NotFound => location::NOT_FOUND.into(),
        }
    }

    fn render(&self, templates: &Templates, job: &Job) -> Result<OutputFile, Vec<Diagnostic>> {
        let location = &self.location(job);
        match job {
            Job::Home => self.page(templates, "home.html", location, &self.home()),
            Job::Topic(index) => self.page(templates, "topic.html", location, &self.topic(*index)),
            Job::Question(index) => {
                self.page(templates, "question.html", location, &self.question(*index))
            }
            Job::Level(level) => self.page(templates, "level.html", location, &self.level(*level)),
            Job::Questions => self.page(templates, "questions.html", location, &self.questions()),
            Job::Tags => self.page(templates, "tags.html", location, &self.tags()),
            Job::Tag(tag) => self.page(templates, "tag.html", location, &self.tag(tag)),
            Job::Search => self.page(
                templates,
                "search.html",
                location,
                &SimplePage {
                    meta: self.meta(
                        "Search",
                        "Search every question in the guide.",
                        location::SEARCH,
                        "search",
                        false,
                    ),
                },
            ),
            Job::Changes => self.page(templates, "changes.html", location, &self.changes()),
            Job::NotFound => self.page(
                templates,
                "404.html",
                location,
                &SimplePage {
                    meta: self.meta(
                        "Page not found",
                        "This page does not exist.",
                        location::NOT_FOUND,
                        "404",
                        false,
                    ),
                },
            ),
        }
    }

    fn page<T: Serialize + Hash>(
        &self,
        templates: &Templates,
        template: &str,
        location: &str,
        page: &T,
    ) -> Result<OutputFile, Vec<Diagnostic>> {
        let path = page_path(location);
        let cached = self.cache.map(|(cache, site)| {
            let theme = templates.fingerprint(template);
            (cache, context_fingerprint(theme, site, page))
        });
        if let Some((cache, fingerprint)) = cached
            && let Some(contents) = cache.get(&path, fingerprint)
        {
            return Ok(OutputFile { path, contents });
        }
        let html = templates.render(template, self.site_context, page)?;
        if let Some((cache, fingerprint)) = cached {
            cache.put(&path, fingerprint, html.as_bytes());
        }
        Ok(OutputFile {
            path,
            contents: html.into_bytes(),
        })
    }

    fn meta(
        &self,
        title: &str,
        description: &str,
        location: &str,
        kind: &str,
        indexable: bool,
    ) -> PageMeta {
        PageMeta {
            title: title.to_string(),
            description: description.to_string(),
            canonical_url: self.site.urls.absolute(location),
            url: self.site.urls.path(location),
            kind: kind.to_string(),
            indexable,
            json_ld: None,
        }
    }

    fn home(&self) -> HomePage<'a> {
        let home = &self.site.home.home;
        let description = if home.description.is_empty() {
            self.site.config.description.clone()
        } else {
            home.description.clone()
        };
        let first_read = self
            .site
            .topics
            .iter()
            .filter_map(|topic| {
                topic
                    .questions
                    .iter()
                    .copied()
                    .find(|&q| self.site.questions[q].question.level == Level::Junior)
            })
            .map(|q| self.summary(q))
            .collect();
        let mut meta = self.meta(&home.title, &description, location::HOME, "home", true);
        meta.json_ld = Some(json_ld_website(
            &self.site.config.title,
            &description,
            &meta.canonical_url,
            &self.site.urls.absolute(location::SEARCH),
        ));
        HomePage {
            meta,
            intro_html: &self.site.home.body.html,
            first_read,
        }
    }

    fn topic(&self, index: usize) -> TopicPage<'a> {
        let record = &self.site.topics[index];
        let topic = &record.topic;
        let groups = Level::ALL
            .into_iter()
            .map(|level| LevelGroup {
                level: self.site_context.levels[level as usize].clone(),
                questions: self.summaries_at(record, level),
            })
            .filter(|group| !group.questions.is_empty())
            .collect();
        let description = if topic.description.is_empty() {
            format!(
                "{} interview questions on {}.",
                self.site.config.title, topic.title
            )
        } else {
            topic.description.clone()
        };
        TopicPage {
            meta: self.meta(&topic.title, &description, &record.location, "topic", true),
            topic: self.site_context.topics[index].clone(),
            intro_html: &record.body.html,
            groups,
            edit_url: self.edit_url(&topic.source.path),
        }
    }

    fn question(&self, index: usize) -> QuestionPage<'a> {
        let record = &self.site.questions[index];
        let (question, rendered) = (&record.question, &record.body);
        let topic = &self.site.topic_of(record).topic;
        let topic_questions = &self.site.topic_of(record).questions;
        let location = &record.location;
        let position = topic_questions.iter().position(|&q| q == index);
        let previous = position
            .and_then(|p| p.checked_sub(1))
            .map(|p| self.summary(topic_questions[p]));
        let next = position
            .and_then(|p| topic_questions.get(p + 1))
            .map(|&q| self.summary(q));
        let toc: Vec<_> = rendered
            .headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .cloned()
            .collect();
        // Search engines and link previews show about one sentence of a
        // description; the structured data below carries the whole answer.
        let mut meta = self.meta(
            &question.title,
            teaser::first_sentence(&question.summary),
            location,
            "question",
            true,
        );
        meta.json_ld = Some(json_ld_question(
            &question.title,
            &question.summary,
            &meta.canonical_url,
        ));
        let summary = self.summary(index);
        QuestionPage {
            breadcrumbs: vec![
                Breadcrumb {
                    title: topic.title.clone(),
                    url: summary.topic_url.clone(),
                },
                Breadcrumb {
                    title: summary.level_label.clone(),
                    url: summary.level_url.clone(),
                },
            ],
            meta,
            question: summary,
            red_flag: &question.red_flag,
            follow_ups: &question.follow_ups,
            content_html: &rendered.html,
            version_notes: rendered
                .version_notes
                .iter()
                .map(|note| note_link(note, ""))
                .collect(),
            show_toc: toc.iter().filter(|h| h.level == 2).count() >= 3,
            toc,
            related: record.related.iter().map(|&q| self.summary(q)).collect(),
            position: position.map_or(1, |p| p + 1),
            topic_count: topic_questions.len(),
            reading_minutes: reading_minutes(&rendered.html),
            previous,
            next,
            edit_url: self.edit_url(&question.source.path),
        }
    }

    fn level(&self, level: Level) -> LevelPage<'a> {
        let summary = self.site_context.levels[level as usize].clone();
        let groups = self
            .site
            .topics
            .iter()
            .enumerate()
            .map(|(index, topic)| TopicGroup {
                topic: self.site_context.topics[index].clone(),
                questions: self.summaries_at(topic, level),
            })
            .filter(|group| !group.questions.is_empty())
            .collect();
        let title = format!("{} questions ({})", summary.label, summary.experience);
        let description = if summary.description.is_empty() {
            title.clone()
        } else {
            summary.description.clone()
        };
        LevelPage {
            meta: self.meta(&title, &description, &location::level(level), "level", true),
            level: summary,
            groups,
        }
    }

    fn questions(&self) -> QuestionsPage<'a> {
        QuestionsPage {
            meta: self.meta(
                "All questions",
                &format!(
                    "All {} questions, filterable by level and topic.",
                    self.site.questions.len()
                ),
                location::QUESTIONS,
                "questions",
                true,
            ),
            questions: self.summaries.iter().collect(),
        }
    }

    fn tags(&self) -> TagsPage {
        TagsPage {
            meta: self.meta(
                "Tags",
                "Every tag used in the guide.",
                location::TAGS,
                "tags",
                true,
            ),
            tags: self
                .site
                .tags
                .iter()
                .map(|(tag, qs)| tag_link(self.site, tag, qs.len()))
                .collect(),
        }
    }

    fn tag(&self, tag: &str) -> TagPage<'a> {
        let questions = &self.site.tags[tag];
        TagPage {
            meta: self.meta(
                &format!("Questions tagged “{tag}”"),
                &format!("{} questions tagged {tag}.", questions.len()),
                &location::tag(tag),
                "tag",
                true,
            ),
            tag: tag_link(self.site, tag, questions.len()),
            questions: questions.iter().map(|&q| self.summary(q)).collect(),
        }
    }

    fn changes(&self) -> ChangesPage<'a> {
        let changes = self.site.changes();
        let releases = changes
            .iter()
            .map(|(release, notes)| ReleaseChanges {
                release: release_summary(self.site, release, notes),
                notes: notes
                    .iter()
                    .map(|&(question, note)| {
                        let summary = self.summary(question);
                        QuestionNote {
                            note: note_link(note, &summary.url),
                            question: summary,
                        }
                    })
                    .collect(),
            })
            .collect();
        let labels: Vec<String> = changes.iter().map(|(release, _)| release.label()).collect();
        ChangesPage {
            meta: self.meta(
                "What changed in recent releases",
                &format!(
                    "Every answer that {} changed, with what changed.",
                    labels.join(", ")
                ),
                location::CHANGES,
                "changes",
                true,
            ),
            releases,
        }
    }

    /// The questions of `topic` at `level`, in reading order.
    fn summaries_at(&self, topic: &TopicRecord, level: Level) -> Vec<&'a QuestionSummary> {
        topic
            .questions
            .iter()
            .copied()
            .filter(|&q| self.site.questions[q].question.level == level)
            .map(|q| self.summary(q))
            .collect()
    }

    fn summary(&self, index: usize) -> &'a QuestionSummary {
        &self.summaries[index]
    }

    fn edit_url(&self, path: &Path) -> Option<String> {
        let repository = self.site.config.repository.as_ref()?;
        let path = crate::slash_path::to_slash(path);
        Some(format!(
            "{repository}/edit/{}/{path}",
            self.site.config.branch
        ))
    }
}

fn tag_link(site: &Site, tag: &str, count: usize) -> TagLink {
    TagLink {
        name: tag.to_string(),
        url: site.urls.path(&location::tag(tag)),
        count,
    }
}

/// The question at `index` as lists show it.
fn summary(site: &Site, site_context: &SiteContext, index: usize) -> QuestionSummary {
    let record = &site.questions[index];
    let question = &record.question;
    let topic = &site_context.topics[record.topic];
    let level = &site_context.levels[question.level as usize];
    let url = site.urls.path(&record.location);
    QuestionSummary {
        title: question.title.clone(),
        releases: release_tags(&record.body.version_notes, &url),
        url,
        level: level.name.clone(),
        level_label: level.label.clone(),
        level_url: level.url.clone(),
        topic_slug: topic.slug.clone(),
        topic_title: topic.title.clone(),
        topic_url: topic.url.clone(),
        summary: question.summary.clone(),
        teaser: teaser::first_sentence(&question.summary).to_string(),
        tags: question
            .tags
            .iter()
            .map(|tag| tag_link(site, tag, site.tags.get(tag).map_or(0, Vec::len)))
            .collect(),
    }
}

/// A note linked from `page_url` (empty: from its own page).
fn note_link(note: &VersionNote, page_url: &str) -> NoteLink {
    NoteLink {
        label: note.label.clone(),
        url: format!("{page_url}#{}", note.id),
        html: note.html.clone(),
    }
}

/// The releases that `notes` name, once each, in release order, each
/// linked to its first note on the page at `page_url`.
fn release_tags(notes: &[VersionNote], page_url: &str) -> Vec<ReleaseTag> {
    let mut first: BTreeMap<&Release, &VersionNote> = BTreeMap::new();
    for note in notes {
        first.entry(&note.release).or_insert(note);
    }
    first
        .into_iter()
        .map(|(release, note)| ReleaseTag {
            key: release.key(),
            label: release.label(),
            url: format!("{page_url}#{}", note.id),
        })
        .collect()
}

fn release_summaries(site: &Site) -> Vec<ReleaseSummary> {
    site.changes()
        .iter()
        .map(|(release, notes)| release_summary(site, release, notes))
        .collect()
}

/// A release with the number of questions whose notes name it.
fn release_summary(
    site: &Site,
    release: &Release,
    notes: &[(usize, &VersionNote)],
) -> ReleaseSummary {
    let questions: BTreeSet<usize> = notes.iter().map(|&(q, _)| q).collect();
    ReleaseSummary {
        url: format!("{}#{}", site.urls.path(location::CHANGES), release.key()),
        key: release.key(),
        label: release.label(),
        count: questions.len(),
    }
}

fn site_context(site: &Site, assets: &Assets) -> SiteContext {
    let urls = &site.urls;
    let levels = Level::ALL
        .into_iter()
        .map(|level| {
            let label = site.config.levels.get(level);
            LevelSummary {
                name: level.as_str().to_string(),
                label: label.label.clone(),
                experience: label.experience.clone(),
                description: label.description.clone(),
                url: urls.path(&location::level(level)),
                count: site.questions_at(level).count(),
            }
        })
        .collect();
    let topics = site
        .topics
        .iter()
        .map(|record| TopicSummary {
            slug: record.topic.slug.clone(),
            title: record.topic.title.clone(),
            description: record.topic.description.clone(),
            url: urls.path(&record.location),
            count: record.questions.len(),
        })
        .collect();
    SiteContext {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        base_url: site.config.base_url.clone(),
        base_path: urls.base_path().to_string(),
        language: site.config.language.clone(),
        repository: site.config.repository.clone(),
        levels,
        topics,
        question_count: site.questions.len(),
        releases: release_summaries(site),
        urls: SiteUrls {
            home: urls.path(location::HOME),
            questions: urls.path(location::QUESTIONS),
            tags: urls.path(location::TAGS),
            search: urls.path(location::SEARCH),
            changes: urls.path(location::CHANGES),
            feed: urls.path("atom.xml"),
            questions_csv: urls.path(anki::LOCATION),
            favicon_svg: urls.path("favicon.svg"),
            favicon_ico: urls.path("favicon.ico"),
        },
        assets: assets.clone(),
    }
}

/// A fingerprint of a page's templates ([`Templates::fingerprint`]) and its
/// context, hashed field by field (no copy of it is made).
fn context_fingerprint<T: Hash>(theme: u64, site: u64, page: &T) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    // Fixed seeds: fingerprints are compared across rebuilds.
    let seeds = ahash::RandomState::with_seeds(0x646a, 0x6775, 0x6964, 0x65);
    let mut hasher = seeds.build_hasher();
    hasher.write_u64(theme);
    hasher.write_u64(site);
    page.hash(&mut hasher);
    hasher.finish()
}

/// schema.org `FAQPage` with the question and its quick answer.
fn json_ld_question(title: &str, summary: &str, url: &str) -> String {
    script_safe_json(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "url": url,
        "mainEntity": [{
            "@type": "Question",
            "name": title,
            "acceptedAnswer": { "@type": "Answer", "text": summary, "url": url }
        }]
    }))
}

/// schema.org `WebSite` for the home page, with the search page as its
/// `SearchAction` so search engines can offer a search box for the site.
fn json_ld_website(name: &str, description: &str, url: &str, search_url: &str) -> String {
    script_safe_json(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": name,
        "description": description,
        "url": url,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": format!("{search_url}?q={{search_term_string}}")
            },
            "query-input": "required name=search_term_string"
        }
    }))
}

/// JSON with `<`, `>` and `&` escaped, so no value can close the
/// surrounding `<script>` element.
fn script_safe_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Minutes to read an answer at 220 words a minute, rounded up. Counts the
/// text between tags, so markup and highlighting spans do not inflate it.
fn reading_minutes(html: &str) -> usize {
    let mut words: usize = 0;
    let mut in_tag = false;
    let mut in_word = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                in_word = false;
            }
            '>' => in_tag = false,
            _ if in_tag => {}
            c if c.is_whitespace() => in_word = false,
            _ => {
                if !in_word {
                    words += 1;
                }
                in_word = true;
            }
        }
    }
    words.div_ceil(220).max(1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reading_time_counts_text_not_markup() {
        let html = "<p>one <span class=\"a b c\">two</span> three</p>";
        assert_eq!(super::reading_minutes(html), 1);
        let long = "<p>word </p>".repeat(441);
        assert_eq!(super::reading_minutes(&long), 3);
    }

    #[test]
    fn website_json_ld_names_the_search_action() {
        let json = super::json_ld_website("G", "d", "https://x/", "https://x/search/");
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["@type"], "WebSite");
        assert_eq!(
            parsed["potentialAction"]["target"]["urlTemplate"],
            "https://x/search/?q={search_term_string}"
        );
    }

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let json =
            super::json_ld_question("</script><script>alert(1)</script>", "a & b", "https://x/");
        assert!(!json.contains('<'));
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            parsed["mainEntity"][0]["name"],
            "</script><script>alert(1)</script>"
        );
    }
}
