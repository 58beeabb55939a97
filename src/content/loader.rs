//! Walking `content/` and turning its files into [`Content`].
//!
//! Every problem is collected as a [`Diagnostic`]; a file with errors is left
//! out but the walk goes on, so one build shows the author everything to fix.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use toml::Spanned;
use walkdir::WalkDir;

use super::front_matter::{self, HomeFrontMatter, QuestionFrontMatter, TopicFrontMatter};
use super::samples;
use super::{Content, Home, Question, RESERVED_TOPICS, Sample, SampleDatabase, SourceFile, Topic};
use crate::config::Level;
use crate::diagnostics::{Diagnostic, Diagnostics, suggestion_hint};
use crate::slug;

#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    pub include_drafts: bool,
}

/// What a Markdown file is, judged by where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileRole {
    Home,
    Topic { slug: String },
    Question { topic: String, slug: String },
}

/// Load and validate everything under `root/content`.
pub fn load(root: &Path, options: LoadOptions) -> (Option<Content>, Diagnostics) {
    let _span = crate::timings::span("content");
    let mut diagnostics = Diagnostics::default();
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::file(Path::new("content"), "content folder not found")
                .with_hint("create content/_index.md and one folder per topic"),
        );
        return (None, diagnostics);
    }
    let (files, rejected) = discover(root, &content_dir, &mut diagnostics);
    let parsed: Vec<Result<Parsed, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|(role, path)| parse_file(root, &content_dir, role, path))
        .collect();

    let mut loaded = Loaded::default();
    for ((role, path), result) in files.iter().zip(parsed) {
        loaded.add(role, content_key(&content_dir, path), result, options);
    }
    diagnostics.extend(std::mem::take(&mut loaded.errors));
    // A file refused by name is not a page, but links to it are not the problem.
    loaded
        .failed
        .extend(rejected.iter().map(|path| content_key(&content_dir, path)));
    loaded.leave_out_orphans(&mut diagnostics);
    diagnostics.extend(duplicate_titles(&loaded.questions));

    let Some(home) = loaded.home.take() else {
        if !loaded.home_failed {
            diagnostics.push(
                Diagnostic::file(Path::new("content/_index.md"), "home page not found")
                    .with_hint("create content/_index.md with front matter `title = \"...\"`")
                    .root_cause(),
            );
        }
        return (None, diagnostics);
    };
    (Some(loaded.into_content(home)), diagnostics)
}

/// What the files of `content/` turned into, before topics are ordered.
#[derive(Default)]
struct Loaded {
    home: Option<Home>,
    /// `content/_index.md` exists but has errors (already reported).
    home_failed: bool,
    topics: BTreeMap<String, Topic>,
    /// Topic folders whose `_index.md` has errors (already reported).
    failed_topics: BTreeSet<String>,
    questions: Vec<Question>,
    skipped_drafts: Vec<String>,
    failed: Vec<String>,
    errors: Vec<Diagnostic>,
}

impl Loaded {
    fn add(
        &mut self,
        role: &FileRole,
        key: String,
        result: Result<Parsed, Vec<Diagnostic>>,
        options: LoadOptions,
    ) {
        match result {
            Ok(Parsed::Home(page)) => self.home = Some(page),
            Ok(Parsed::Topic(topic)) => {
                self.topics.insert(topic.slug.clone(), topic);
            }
            Ok(Parsed::Question(question)) => {
                if question.draft && !options.include_drafts {
                    self.skipped_drafts.push(question.source.key.clone());
                } else {
                    self.questions.push(*question);
                }
            }
            Err(errors) => {
                self.errors.extend(errors);
                match role {
                    FileRole::Home => self.home_failed = true,
                    FileRole::Topic { slug } => {
                        self.failed_topics.insert(slug.clone());
                    }
                    FileRole::Question { .. } => {}
                }
                self.failed.push(key);
            }
        }
    }

    /// Questions in a folder with no usable `_index.md` cannot be placed:
    /// they are left out and count as failed, so links to them are not
    /// reported again. A missing `_index.md` is reported once per folder,
    /// first; one that has errors was reported already.
    fn leave_out_orphans(&mut self, diagnostics: &mut Diagnostics) {
        let mut orphans: BTreeMap<String, (PathBuf, usize)> = BTreeMap::new();
        let questions = std::mem::take(&mut self.questions);
        for question in questions {
            if self.topics.contains_key(&question.topic) {
                self.questions.push(question);
                continue;
            }
            self.failed.push(question.source.key.clone());
            if !self.failed_topics.contains(&question.topic) {
                let entry = orphans
                    .entry(question.topic.clone())
                    .or_insert_with(|| (question.source.path.clone(), 0));
                entry.1 += 1;
            }
        }
        for (topic, (first_file, count)) in orphans {
            // Links to the topic page itself are part of the same problem.
            self.failed.push(format!("{topic}/_index.md"));
            let what = if count == 1 {
                "its question is".to_string()
            } else {
                format!("its {count} questions are")
            };
            diagnostics.push(
                Diagnostic::file(
                    &first_file,
                    format!("topic folder `{topic}` has no _index.md, so {what} left out"),
                )
                .with_hint(format!(
                    "create content/{topic}/_index.md with front matter `title = \"...\"`"
                ))
                .root_cause(),
            );
        }
    }

    /// Order topics by weight and questions by topic, weight and slug.
    fn into_content(mut self, home: Home) -> Content {
        let mut topics: Vec<Topic> = self.topics.into_values().collect();
        topics.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
        let topic_position: BTreeMap<&str, usize> = topics
            .iter()
            .enumerate()
            .map(|(index, topic)| (topic.slug.as_str(), index))
            .collect();
        // `leave_out_orphans` kept only questions whose topic loaded.
        let mut questions: Vec<(usize, Question)> = self
            .questions
            .into_iter()
            .filter_map(|question| Some((*topic_position.get(question.topic.as_str())?, question)))
            .collect();
        questions.sort_by(|(a_topic, a), (b_topic, b)| {
            (a_topic, a.weight, &a.slug).cmp(&(b_topic, b.weight, &b.slug))
        });
        let questions = questions
            .into_iter()
            .map(|(_, question)| question)
            .collect();
        self.skipped_drafts.sort();
        self.failed.sort();
        self.failed.dedup();
        Content {
            home,
            topics,
            questions,
            skipped_drafts: self.skipped_drafts,
            failed: self.failed,
        }
    }
}

/// Two questions with the same title (ignoring case and spacing) read as
/// one in every list and search result: the second, in path order, is an
/// error that names the first.
fn duplicate_titles(questions: &[Question]) -> Vec<Diagnostic> {
    let mut by_path: Vec<&Question> = questions.iter().collect();
    by_path.sort_by(|a, b| a.source.path.cmp(&b.source.path));
    let mut first_with: BTreeMap<String, &Question> = BTreeMap::new();
    let mut errors = Vec::new();
    for question in by_path {
        let normalized = question
            .title
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let Some(first) = first_with.get(&normalized) else {
            first_with.insert(normalized, question);
            continue;
        };
        let at = Diagnostic::at(
            &first.source.path,
            &first.source.text,
            first.title_span.clone(),
            "",
        );
        errors.push(
            Diagnostic::at(
                &question.source.path,
                &question.source.text,
                question.title_span.clone(),
                format!(
                    "duplicate title: {} already asks `{}`",
                    format_args!("{}:{}:{}", first.source.path.display(), at.line, at.column),
                    first.title
                ),
            )
            .with_hint("give each question its own title, or merge the two questions"),
        );
    }
    errors
}

/// List the Markdown files of `content/` with their role, reporting misplaced
/// files, invalid names and links that leave the folder; the files refused
/// for those reasons come second.
fn discover(
    root: &Path,
    content_dir: &Path,
    diagnostics: &mut Diagnostics,
) -> (Vec<(FileRole, PathBuf)>, Vec<PathBuf>) {
    let canonical_content = content_dir
        .canonicalize()
        .unwrap_or_else(|_| content_dir.to_path_buf());
    let mut files = Vec::new();
    let mut rejected = Vec::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map_or_else(|| content_dir.to_path_buf(), Path::to_path_buf);
                diagnostics.push(Diagnostic::file(
                    &shown(root, &path),
                    format!("cannot read: {error}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        let shown_path = shown(root, path);
        if entry.path_is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(&canonical_content) => {
                    if target.is_dir() {
                        diagnostics.push(
                            Diagnostic::file(&shown_path, "symlinked folders are not followed")
                                .with_hint("move the folder here instead of linking to it"),
                        );
                        continue;
                    }
                }
                Ok(_) => {
                    diagnostics.push(
                        Diagnostic::file(&shown_path, "symbolic link points outside content/")
                            .with_hint("copy the file into content/ instead of linking to it"),
                    );
                    rejected.push(path.to_path_buf());
                    continue;
                }
                Err(_) => {
                    diagnostics.push(
                        Diagnostic::file(&shown_path, "broken symbolic link")
                            .with_hint("remove the link or point it at a file inside content/"),
                    );
                    rejected.push(path.to_path_buf());
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        match role_of(entry.depth(), path) {
            Ok(role) => files.push((role, path.to_path_buf())),
            Err((message, hint)) => {
                diagnostics.push(Diagnostic::file(&shown_path, message).with_hint(hint));
                rejected.push(path.to_path_buf());
            }
        }
    }
    (files, rejected)
}

fn role_of(depth: usize, path: &Path) -> Result<FileRole, (String, String)> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = path
        .parent()
        .and_then(Path::file_name)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match depth {
        1 if stem == "_index" => Ok(FileRole::Home),
        1 => Err((
            "question files must sit in a topic folder".into(),
            format!("move it to content/<topic>/{stem}.md"),
        )),
        2 => {
            check_slug(&folder, "topic folder")?;
            if RESERVED_TOPICS.contains(&folder.as_str()) {
                return Err((
                    format!("topic folder name `{folder}` is reserved"),
                    format!(
                        "these names are used by generated pages: {}",
                        RESERVED_TOPICS.join(", ")
                    ),
                ));
            }
            if stem == "_index" {
                Ok(FileRole::Topic { slug: folder })
            } else {
                check_slug(&stem, "question file name")?;
                Ok(FileRole::Question {
                    topic: folder,
                    slug: stem,
                })
            }
        }
        _ => Err((
            "Markdown files in nested folders are not pages".into(),
            "questions sit directly in a topic folder: content/<topic>/<slug>.md".into(),
        )),
    }
}

fn check_slug(name: &str, what: &str) -> Result<(), (String, String)> {
    if slug::is_valid(name) {
        return Ok(());
    }
    Err((
        format!("{what} `{name}` is not a valid URL slug"),
        slug::hint(name),
    ))
}

enum Parsed {
    Home(Home),
    Topic(Topic),
    Question(Box<Question>),
}

fn parse_file(
    root: &Path,
    content_dir: &Path,
    role: &FileRole,
    path: &Path,
) -> Result<Parsed, Vec<Diagnostic>> {
    let shown_path = shown(root, path);
    let bytes = std::fs::read(path).map_err(|error| {
        vec![Diagnostic::file(
            &shown_path,
            format!("cannot read: {error}"),
        )]
    })?;
    let text = String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
        vec![
            Diagnostic::at(
                &shown_path,
                &text,
                valid..valid + 1,
                "file is not valid UTF-8",
            )
            .with_hint("save the file as UTF-8"),
        ]
    })?;
    // Editors on Windows may save a byte-order mark; it is not content.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let split = front_matter::split(&shown_path, &text).map_err(|d| vec![d])?;
    let key = content_key(content_dir, path);
    let source = |text: String| SourceFile {
        path: shown_path.clone(),
        key: key.clone(),
        text,
        body_start: split.body_start,
    };
    match role {
        FileRole::Home => {
            let raw: HomeFrontMatter =
                front_matter::parse(&shown_path, &text, split, HomeFrontMatter::KEYS)?;
            Ok(Parsed::Home(Home {
                title: raw.title,
                description: raw.description,
                source: source(text),
            }))
        }
        FileRole::Topic { slug } => {
            let raw: TopicFrontMatter =
                front_matter::parse(&shown_path, &text, split, TopicFrontMatter::KEYS)?;
            Ok(Parsed::Topic(Topic {
                slug: slug.clone(),
                title: raw.title,
                description: raw.description,
                weight: raw.weight,
                source: source(text),
            }))
        }
        FileRole::Question { topic, slug } => {
            let raw: QuestionFrontMatter =
                front_matter::parse(&shown_path, &text, split, QuestionFrontMatter::KEYS)?;
            let topic_dir = path.parent().unwrap_or(content_dir);
            let place = Place {
                topic,
                slug,
                dir: topic_dir,
            };
            let question = validate_question(raw, place, source(text), split)?;
            Ok(Parsed::Question(Box::new(question)))
        }
    }
}

/// Where a question file sits: its topic folder's slug and path, its own slug.
struct Place<'a> {
    topic: &'a str,
    slug: &'a str,
    dir: &'a Path,
}

/// Errors about front-matter values, located in the file from the spans
/// the TOML parser kept (relative to the front matter).
struct ValueErrors<'a> {
    path: &'a Path,
    text: &'a str,
    /// Byte offset of the front matter in the file.
    offset: usize,
    errors: Vec<Diagnostic>,
}

impl ValueErrors<'_> {
    fn span(&self, span: Range<usize>) -> Range<usize> {
        self.offset + span.start..self.offset + span.end
    }

    fn at(&self, span: Range<usize>, message: String) -> Diagnostic {
        Diagnostic::at(self.path, self.text, span, message)
    }

    fn push(&mut self, value_span: Range<usize>, message: String, hint: String) {
        let error = self.at(self.span(value_span), message).with_hint(hint);
        self.errors.push(error);
    }
}

/// Check the values of a question's front matter (the TOML already has the
/// right shape) and build the [`Question`].
fn validate_question(
    raw: QuestionFrontMatter,
    place: Place,
    source: SourceFile,
    split: front_matter::Split,
) -> Result<Question, Vec<Diagnostic>> {
    let mut values = ValueErrors {
        path: &source.path,
        text: &source.text,
        offset: split.toml_start,
        errors: Vec::new(),
    };
    for (field, value) in [("title", &raw.title), ("summary", &raw.summary)] {
        if value.get_ref().trim().is_empty() {
            let hint = format!("write the question's {field}");
            values.push(value.span(), format!("`{field}` is empty"), hint);
        }
    }
    let level = Level::parse(raw.level.get_ref());
    if level.is_none() {
        let name = raw.level.get_ref();
        let hint = suggestion_hint(name, Level::NAMES);
        values.push(raw.level.span(), format!("unknown level `{name}`"), hint);
    }
    let tags = unique_tags(&raw.tags, &mut values);
    let date = raw
        .date
        .as_ref()
        .and_then(|date| feed_date(date, &mut values));
    let sample_database = raw
        .sample_database
        .as_ref()
        .map_or_else(SampleDatabase::default, |name| {
            sample_database(name, &mut values)
        });
    let loaded: Vec<Result<Sample, Diagnostic>> = raw
        .samples
        .iter()
        .map(|spec| {
            let span = values.span(spec.file.span());
            let span_of = |span| values.span(span);
            let error_at = |span, message| values.at(span, message);
            samples::load(spec, place.dir, span, &span_of, &error_at)
        })
        .collect();
    let mut samples = Vec::new();
    for result in loaded {
        match result {
            Ok(sample) => samples.push(sample),
            Err(error) => values.errors.push(error),
        }
    }
    let file_span = |span: Range<usize>| values.span(span);
    let (follow_ups, follow_ups_span) = match raw.follow_ups {
        Some(list) => (list.get_ref().clone(), Some(file_span(list.span()))),
        None => (Vec::new(), None),
    };
    let related = raw
        .related
        .iter()
        .map(|entry| (entry.get_ref().clone(), file_span(entry.span())))
        .collect();
    let (title_span, summary_span) = (file_span(raw.title.span()), file_span(raw.summary.span()));
    let errors = values.errors;
    let Some(level) = level.filter(|_| errors.is_empty()) else {
        return Err(errors);
    };
    Ok(Question {
        title_span,
        summary_span,
        slug: place.slug.to_string(),
        topic: place.topic.to_string(),
        level,
        title: raw.title.into_inner().trim().to_string(),
        summary: raw.summary.into_inner().trim().to_string(),
        red_flag: raw.red_flag.trim().to_string(),
        tags,
        follow_ups,
        follow_ups_span,
        weight: raw.weight,
        draft: raw.draft,
        related,
        samples,
        date,
        sample_database,
        source,
    })
}

/// The tags, each once; one that is not a valid slug is an error.
fn unique_tags(raw: &[Spanned<String>], values: &mut ValueErrors) -> Vec<String> {
    let mut tags = Vec::new();
    for tag in raw {
        let name = tag.get_ref();
        if !slug::is_valid(name) {
            let message = format!("tag `{name}` is not a valid slug");
            values.push(tag.span(), message, slug::hint(name));
        } else if !tags.contains(name) {
            tags.push(name.clone());
        }
    }
    tags
}

/// The `date` as an RFC 3339 timestamp: a day, or a day, time and offset.
fn feed_date(date: &Spanned<toml::value::Datetime>, values: &mut ValueErrors) -> Option<String> {
    let value = date.get_ref();
    match (value.date, value.time, value.offset) {
        (Some(day), None, None) => Some(format!("{day}T00:00:00Z")),
        (Some(day), Some(time), Some(offset)) => Some(format!("{day}T{time}{offset}")),
        _ => {
            let hint = "write a TOML date such as `date = 2026-11-21`".to_string();
            values.push(date.span(), "`date` must be a date".to_string(), hint);
            None
        }
    }
}

fn sample_database(name: &Spanned<String>, values: &mut ValueErrors) -> SampleDatabase {
    SampleDatabase::parse(name.get_ref()).unwrap_or_else(|| {
        let hint = suggestion_hint(name.get_ref(), SampleDatabase::NAMES);
        let message = format!("unknown sample database `{}`", name.get_ref());
        values.push(name.span(), message, hint);
        SampleDatabase::default()
    })
}

/// The link key of a file: its path under `content/` with `/` separators.
fn content_key(content_dir: &Path, path: &Path) -> String {
    crate::slash_path::relative(content_dir, path)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~')
}

/// The path relative to the site root, as authors see it.
fn shown(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    /// A valid question; every call gets its own title.
    fn question(level: &str) -> String {
        static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!(
            "+++\ntitle = \"Q{n}?\"\nlevel = \"{level}\"\nsummary = \"S.\"\nred_flag = \"R.\"\n+++\nBody\n"
        )
    }

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\n",
        );
        write(
            dir.path(),
            "content/orm/_index.md",
            "+++\ntitle = \"ORM\"\nweight = 2\n+++\n",
        );
        write(
            dir.path(),
            "content/views/_index.md",
            "+++\ntitle = \"Views\"\nweight = 1\n+++\n",
        );
        dir
    }

    fn headlines(diagnostics: Diagnostics) -> Vec<String> {
        diagnostics
            .sorted()
            .iter()
            .map(Diagnostic::headline)
            .collect()
    }

    #[test]
    fn loads_topics_and_questions_in_order() {
        let dir = site();
        write(dir.path(), "content/orm/b.md", &question("mid"));
        write(dir.path(), "content/orm/a.md", &question("junior"));
        write(dir.path(), "content/views/c.md", &question("senior"));
        write(dir.path(), "content/orm/samples/x.py", "print(1)\n");
        let (content, diagnostics) = load(dir.path(), LoadOptions::default());
        assert!(diagnostics.is_empty(), "{:?}", headlines(diagnostics));
        let content = content.unwrap();
        let topics: Vec<_> = content.topics.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(topics, ["views", "orm"]);
        let slugs: Vec<_> = content.questions.iter().map(|q| q.slug.as_str()).collect();
        assert_eq!(slugs, ["c", "a", "b"]);
        let question_topics: Vec<_> = content.questions.iter().map(|q| q.topic.as_str()).collect();
        assert_eq!(question_topics, ["views", "orm", "orm"]);
        assert_eq!(content.questions[1].source.key, "orm/a.md");
    }

    #[test]
    fn collects_errors_from_every_file() {
        let dir = site();
        write(dir.path(), "content/orm/a.md", &question("expert"));
        write(
            dir.path(),
            "content/orm/b.md",
            "+++\ntitle = \"Q\"\nlevle = \"mid\"\n+++\n",
        );
        write(dir.path(), "content/orm/Bad Name.md", &question("mid"));
        write(dir.path(), "content/stray.md", &question("mid"));
        write(dir.path(), "content/nohome/q.md", &question("mid"));
        let (_, diagnostics) = load(dir.path(), LoadOptions::default());
        assert_eq!(
            headlines(diagnostics),
            [
                "content/nohome/q.md:1:1: topic folder `nohome` has no _index.md, so its question is left out",
                "content/orm/Bad Name.md:1:1: question file name `Bad Name` is not a valid URL slug",
                "content/orm/a.md:3:9: unknown level `expert`",
                "content/orm/b.md:3:1: unknown key `levle`",
                "content/stray.md:1:1: question files must sit in a topic folder",
            ]
        );
    }

    #[test]
    fn drafts_are_skipped_unless_asked_for() {
        let dir = site();
        write(
            dir.path(),
            "content/orm/d.md",
            &question("mid").replace("+++\nBody", "draft = true\n+++\nBody"),
        );
        let (content, _) = load(dir.path(), LoadOptions::default());
        let content = content.unwrap();
        assert!(content.questions.is_empty());
        assert_eq!(content.skipped_drafts, ["orm/d.md"]);
        let (content, _) = load(
            dir.path(),
            LoadOptions {
                include_drafts: true,
            },
        );
        assert_eq!(content.unwrap().questions.len(), 1);
    }

    #[test]
    fn sample_paths_cannot_leave_the_topic_folder() {
        let dir = site();
        write(dir.path(), "secret.txt", "password");
        let text = question("mid").replace(
            "+++\nBody",
            "[[samples]]\nfile = \"../../secret.txt\"\n[[samples]]\nfile = \"/etc/passwd\"\n[[samples]]\nfile = \"missing.py\"\n+++\nBody",
        );
        write(dir.path(), "content/orm/a.md", &text);
        let (_, diagnostics) = load(dir.path(), LoadOptions::default());
        let lines = headlines(diagnostics);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].contains("leaves the topic folder"));
        assert!(lines[2].contains("does not exist"));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_content_are_refused() {
        let dir = site();
        write(dir.path(), "outside.md", &question("mid"));
        std::os::unix::fs::symlink(
            dir.path().join("outside.md"),
            dir.path().join("content/orm/link.md"),
        )
        .unwrap();
        let (content, diagnostics) = load(dir.path(), LoadOptions::default());
        assert_eq!(
            headlines(diagnostics),
            ["content/orm/link.md:1:1: symbolic link points outside content/"]
        );
        assert!(content.unwrap().questions.is_empty());
    }

    #[test]
    fn reserved_topic_names_are_refused() {
        let dir = site();
        write(
            dir.path(),
            "content/tags/_index.md",
            "+++\ntitle = \"T\"\n+++\n",
        );
        let (_, diagnostics) = load(dir.path(), LoadOptions::default());
        assert_eq!(
            headlines(diagnostics),
            ["content/tags/_index.md:1:1: topic folder name `tags` is reserved"]
        );
    }
}
