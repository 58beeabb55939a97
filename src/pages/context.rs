//! Typed template contexts. Every template receives `site` ([`SiteContext`])
//! and `page` (one of the page structs below); `themes/README.md` documents
//! their fields. Rendering fails loudly on a misspelt field rather than
//! printing nothing, because Tera 2 treats undefined values as errors.

use serde::Serialize;

use crate::markdown::Heading;

#[derive(Debug, Clone, Hash, Serialize)]
pub struct SiteContext {
    pub title: String,
    pub description: String,
    /// Absolute base URL, ending in `/`.
    pub base_url: String,
    /// Path of the site root, `/` or `/guide/`.
    pub base_path: String,
    pub language: String,
    pub repository: Option<String>,
    pub levels: Vec<LevelSummary>,
    pub topics: Vec<TopicSummary>,
    pub question_count: usize,
    /// Releases that version notes name, for the "what changed" page and
    /// filter; empty when the guide has no version notes.
    pub releases: Vec<ReleaseSummary>,
    pub urls: SiteUrls,
    pub assets: Assets,
}

/// Links to the site-wide pages.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct SiteUrls {
    pub home: String,
    pub questions: String,
    pub tags: String,
    pub search: String,
    /// The page listing every version note; it exists only when
    /// `site.releases` is not empty.
    pub changes: String,
    pub feed: String,
    /// Every question with its quick answer, for Anki (`questions.csv`).
    pub questions_csv: String,
    pub favicon_svg: String,
    pub favicon_ico: String,
}

/// Fingerprinted theme assets.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Assets {
    pub stylesheet: String,
    pub script: String,
    /// The search client (`search.js`); it fetches the index on first use.
    pub search: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct LevelSummary {
    /// `junior`, `mid` or `senior`.
    pub name: String,
    pub label: String,
    pub experience: String,
    pub description: String,
    pub url: String,
    pub count: usize,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct TopicSummary {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub url: String,
    pub count: usize,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct TagLink {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// A release named by version notes (`Changed in Django 6.1`).
#[derive(Debug, Clone, Hash, Serialize)]
pub struct ReleaseSummary {
    /// `django-6.1`: the filter value and the anchor on the changes page.
    pub key: String,
    /// `Django 6.1`.
    pub label: String,
    /// Link to the release's section of the changes page.
    pub url: String,
    /// How many questions have a note for this release.
    pub count: usize,
}

/// A release as a question's badge or filter value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ReleaseTag {
    pub key: String,
    pub label: String,
    /// The question's first note for the release.
    pub url: String,
}

/// A version note, linked from outside its place in the answer.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct NoteLink {
    /// `Changed in Django 6.0`.
    pub label: String,
    /// The note's anchor: `#changed-in-django-6-0` on the question page,
    /// the full URL elsewhere.
    pub url: String,
    /// The note's words, as inline HTML that is safe to embed.
    pub html: String,
}

/// A question as shown in lists.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct QuestionSummary {
    pub title: String,
    pub url: String,
    pub level: String,
    pub level_label: String,
    pub level_url: String,
    pub topic_slug: String,
    pub topic_title: String,
    pub topic_url: String,
    pub summary: String,
    /// The summary's first sentence, for lists that show only a line or two.
    pub teaser: String,
    pub tags: Vec<TagLink>,
    /// Releases whose version notes the answer carries, in release order.
    pub releases: Vec<ReleaseTag>,
}

/// What every page's `<head>` needs.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct PageMeta {
    /// Document title (without the site name).
    pub title: String,
    pub description: String,
    /// Absolute canonical URL.
    pub canonical_url: String,
    /// Root-relative URL of this page.
    pub url: String,
    /// `home`, `topic`, `question`, `level`, `questions`, `tags`, `tag`, `changes`, `search`, `404`.
    pub kind: String,
    /// Whether search engines should index the page.
    pub indexable: bool,
    /// Structured data, already serialized and safe to embed in `<script>`.
    pub json_ld: Option<String>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct Breadcrumb {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct LevelGroup<'a> {
    pub level: LevelSummary,
    pub questions: Vec<&'a QuestionSummary>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct TopicGroup<'a> {
    pub topic: TopicSummary,
    pub questions: Vec<&'a QuestionSummary>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct HomePage<'a> {
    pub meta: PageMeta,
    pub intro_html: &'a str,
    /// A suggested first read: the first junior question of each topic.
    pub first_read: Vec<&'a QuestionSummary>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct TopicPage<'a> {
    pub meta: PageMeta,
    pub topic: TopicSummary,
    pub intro_html: &'a str,
    pub groups: Vec<LevelGroup<'a>>,
    pub edit_url: Option<String>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct QuestionPage<'a> {
    pub meta: PageMeta,
    pub question: &'a QuestionSummary,
    pub red_flag: &'a str,
    pub follow_ups: &'a [String],
    pub content_html: &'a str,
    /// The answer's version notes, in page order.
    pub version_notes: Vec<NoteLink>,
    /// `##` and `###` headings, for the table of contents.
    pub toc: Vec<Heading>,
    /// Whether the answer is long enough to show the table of contents.
    pub show_toc: bool,
    pub related: Vec<&'a QuestionSummary>,
    /// 1-based position of the question in its topic, and the topic's size.
    pub position: usize,
    pub topic_count: usize,
    /// Estimated reading time of the deep answer, at least one minute.
    pub reading_minutes: usize,
    pub previous: Option<&'a QuestionSummary>,
    pub next: Option<&'a QuestionSummary>,
    pub breadcrumbs: Vec<Breadcrumb>,
    pub edit_url: Option<String>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct LevelPage<'a> {
    pub meta: PageMeta,
    pub level: LevelSummary,
    pub groups: Vec<TopicGroup<'a>>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct QuestionsPage<'a> {
    pub meta: PageMeta,
    pub questions: Vec<&'a QuestionSummary>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct TagPage<'a> {
    pub meta: PageMeta,
    pub tag: TagLink,
    pub questions: Vec<&'a QuestionSummary>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct TagsPage {
    pub meta: PageMeta,
    pub tags: Vec<TagLink>,
}

/// `/changes/`: every version note, by release.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct ChangesPage<'a> {
    pub meta: PageMeta,
    pub releases: Vec<ReleaseChanges<'a>>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct ReleaseChanges<'a> {
    pub release: ReleaseSummary,
    /// Each note with the question it belongs to, in question order.
    pub notes: Vec<QuestionNote<'a>>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct QuestionNote<'a> {
    pub question: &'a QuestionSummary,
    pub note: NoteLink,
}

/// `/search/` and `404.html`: pages with nothing but their metadata.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct SimplePage {
    pub meta: PageMeta,
}
