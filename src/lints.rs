//! `djguide check` warnings: questions that are valid but probably not
//! finished. They are printed and never fail a build unless `--strict`.
//!
//! - **No code sample**: the answer has no code block (other than
//!   ```` ```output ````) and no `[[samples]]` file, while another question of
//!   the same topic has one. A topic in which no question shows code is taken
//!   to be conceptual (architecture, trade-offs), so it is never warned about.
//! - **Long summary**: more than three sentences. A sentence ends at `.`, `!`
//!   or `?` followed by a space and a character that is not a lowercase
//!   letter, so `e.g. this` and `obj.save()` do not end one.
//! - **Few follow-ups**: fewer than two `follow_ups`.
//! - **Placeholders**: a front-matter value or a line of the body that still
//!   starts with `TODO`, as `djguide new` writes them; one warning per field
//!   (and one for the body). `build` prints a one-line summary per file
//!   instead ([`placeholder_summary`]): it is the only warning `build` gives,
//!   because publishing a scaffold by mistake is the one that matters.
//!
//! Each warning points at the front-matter key it is about (the start of the
//! body for a missing sample, which is where one would go; the closing `+++`
//! for a missing `follow_ups` key).

use std::ops::Range;

use rayon::prelude::*;
use toml::Spanned;

use crate::content::{Content, Question, SourceFile, front_matter};
use crate::diagnostics::Diagnostic;
use crate::site::{QuestionRecord, Site};

const MAX_SUMMARY_SENTENCES: usize = 3;
const MIN_FOLLOW_UPS: usize = 2;

/// Every warning about the site's pages.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = question_warnings(site);
    for (source, body) in sources(site) {
        warnings.extend(placeholders(source, body).into_iter().map(|placeholder| {
            Diagnostic::at(
                &source.path,
                &source.text,
                placeholder.span,
                placeholder.message,
            )
            .with_hint("replace the `TODO` text that `djguide new` wrote")
            .warning()
        }));
    }
    warnings
}

/// For `build`: one short warning per file that still has placeholders,
/// at the first one, without the source line.
/// It reads the pages before they are rendered, so that rendering can let
/// their text go.
pub fn placeholder_summary(content: &Content) -> Vec<Diagnostic> {
    let _span = crate::timings::span("placeholders");
    // Every page's text is scanned: on every core, in page order.
    let sources: Vec<(&SourceFile, &str)> = content_sources(content).collect();
    sources
        .into_par_iter()
        .filter_map(|(source, body)| {
            let found = placeholders(source, body);
            let first = found.first()?;
            let count = found.len();
            let mut warning = Diagnostic::at(
                &source.path,
                &source.text,
                first.span.clone(),
                format!(
                    "{count} `TODO` placeholder{} from `djguide new` left",
                    if count == 1 { "" } else { "s" }
                ),
            )
            .with_hint("`djguide check` lists them")
            .warning();
            warning.source_line.clear();
            Some(warning)
        })
        .collect()
}

/// Every page's file, with what its body is called in messages.
fn sources(site: &Site) -> impl Iterator<Item = (&SourceFile, &'static str)> {
    page_sources(
        &site.home.home.source,
        site.topics.iter().map(|record| &record.topic.source),
        site.questions.iter().map(|record| &record.question.source),
    )
}

/// [`sources`], before the site is assembled: the same pages in the same
/// order (assembling only drops questions whose topic failed to load, and
/// then the build stops before any warning is shown).
fn content_sources(content: &Content) -> impl Iterator<Item = (&SourceFile, &'static str)> {
    page_sources(
        &content.home.source,
        content.topics.iter().map(|topic| &topic.source),
        content.questions.iter().map(|question| &question.source),
    )
}

fn page_sources<'a>(
    home: &'a SourceFile,
    topics: impl Iterator<Item = &'a SourceFile>,
    questions: impl Iterator<Item = &'a SourceFile>,
) -> impl Iterator<Item = (&'a SourceFile, &'static str)> {
    std::iter::once((home, "the introduction"))
        .chain(topics.map(|source| (source, "the introduction")))
        .chain(questions.map(|source| (source, "the answer")))
}

struct Placeholder {
    span: Range<usize>,
    message: String,
}

/// Front-matter values and body lines that start with `TODO`, in file order.
fn placeholders(source: &SourceFile, body: &str) -> Vec<Placeholder> {
    let text = &source.text;
    let mut found = Vec::new();
    if let Ok(split) = front_matter::split(&source.path, text) {
        let toml_text = &text[split.toml_start..split.toml_end];
        let table =
            toml::from_str::<std::collections::BTreeMap<String, Spanned<toml::Value>>>(toml_text)
                .unwrap_or_default();
        let mut fields: Vec<_> = table
            .iter()
            .filter(|(_, value)| has_placeholder(value.get_ref()))
            .collect();
        fields.sort_by_key(|(_, value)| value.span().start);
        for (key, value) in fields {
            let span = split.toml_start + value.span().start..split.toml_start + value.span().end;
            let start = text[span.clone()]
                .find("TODO")
                .map_or(span.start, |offset| span.start + offset);
            let end = text[start..span.end]
                .find(['"', '\'', '\n'])
                .map_or(span.end, |offset| start + offset);
            found.push(Placeholder {
                span: start..end,
                message: format!("`{key}` is still a placeholder"),
            });
        }
    }
    let body_start = source.body_start;
    let mut offset = body_start;
    for line in text[body_start..].split_inclusive('\n') {
        let marker_free = line.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '>' | '#' | '-' | '*' | '/')
        });
        if marker_free.starts_with("TODO") {
            let start = offset + (line.len() - marker_free.len());
            found.push(Placeholder {
                span: start..offset + line.trim_end().len(),
                message: format!("{body} is still a placeholder"),
            });
            break;
        }
        offset += line.len();
    }
    found
}

fn has_placeholder(value: &toml::Value) -> bool {
    match value {
        toml::Value::String(text) => text.trim_start().starts_with("TODO"),
        toml::Value::Array(items) => items.iter().any(has_placeholder),
        toml::Value::Table(table) => table.values().any(has_placeholder),
        _ => false,
    }
}

/// Warnings about questions that are valid but look unfinished.
fn question_warnings(site: &Site) -> Vec<Diagnostic> {
    let has_code = |record: &QuestionRecord| {
        !record.question.samples.is_empty() || !record.body.samples.is_empty()
    };
    let mut warnings = Vec::new();
    for record in &site.questions {
        let question = &record.question;
        let spans = KeySpans::of(question);
        let warn = |span: Range<usize>, message: String, hint: &str| {
            Diagnostic::at(&question.source.path, &question.source.text, span, message)
                .with_hint(hint)
                .warning()
        };
        let topic = site.topic_of(record);
        let topic_shows_code = topic
            .questions
            .iter()
            .any(|&other| has_code(&site.questions[other]));
        if !has_code(record) && topic_shows_code {
            warnings.push(warn(
                spans.body,
                "question has no code sample".into(),
                &format!(
                    "add a fenced code block or a [[samples]] file: other questions in `{}` show code",
                    topic.topic.slug
                ),
            ));
        }
        let sentences = sentence_count(&question.summary);
        if sentences > MAX_SUMMARY_SENTENCES {
            warnings.push(warn(
                spans.summary,
                format!("summary has {sentences} sentences"),
                "keep the quick answer to three sentences at most; move the rest into the answer",
            ));
        }
        let follow_ups = question.follow_ups.len();
        if follow_ups < MIN_FOLLOW_UPS {
            warnings.push(warn(
                spans.follow_ups,
                match follow_ups {
                    0 => "question has no follow-ups".to_string(),
                    n => format!("question has only {n} follow-up"),
                },
                "list at least two `follow_ups`: what an interviewer would ask next",
            ));
        }
    }
    warnings
}

/// Where the keys a warning can be about sit in a question's file.
struct KeySpans {
    summary: Range<usize>,
    /// The `follow_ups` key, or the closing `+++` when there is none.
    follow_ups: Range<usize>,
    /// The start of the body, or the closing `+++` when it is empty.
    body: Range<usize>,
}

impl KeySpans {
    /// From the value spans the loader kept; the key is looked for on the
    /// line where its value starts.
    fn of(question: &Question) -> KeySpans {
        let source = &question.source;
        let text = &source.text;
        let closing = closing_fence(source);
        let body = match source.body().find(|c: char| !c.is_whitespace()) {
            Some(offset) => source.body_start + offset..source.body_start + offset + 1,
            None => closing.clone(),
        };
        KeySpans {
            summary: key_before(text, question.summary_span.start, "summary"),
            follow_ups: question
                .follow_ups_span
                .as_ref()
                .map_or(closing, |span| key_before(text, span.start, "follow_ups")),
            body,
        }
    }
}

/// The closing `+++` of the front matter: the last line before the body.
fn closing_fence(source: &SourceFile) -> Range<usize> {
    // The fence line is `+++` and possibly trailing white space.
    let before_body = source.text[..source.body_start].trim_end();
    before_body.len().saturating_sub(3)..before_body.len()
}

/// The span of `key` on the line where its value starts at `value_start`,
/// or of the value's first character if the key is written elsewhere.
fn key_before(text: &str, value_start: usize, key: &str) -> Range<usize> {
    let line_start = text[..value_start].rfind('\n').map_or(0, |index| index + 1);
    match text[line_start..value_start].find(key) {
        Some(offset) => line_start + offset..line_start + offset + key.len(),
        None => value_start..value_start + 1,
    }
}

/// Sentences in plain text; see the module documentation for the rule.
fn sentence_count(text: &str) -> usize {
    let chars: Vec<char> = text.trim().chars().collect();
    if chars.is_empty() {
        return 0;
    }
    let mut count = 0;
    let mut index = 0;
    while index < chars.len() {
        if matches!(chars[index], '.' | '!' | '?') {
            let mut next = index + 1;
            // A closing quote or bracket belongs to the sentence.
            while next < chars.len() && matches!(chars[next], '"' | '\'' | ')' | '”' | '’') {
                next += 1;
            }
            if next < chars.len() && chars[next].is_whitespace() {
                let mut after = next;
                while after < chars.len() && chars[after].is_whitespace() {
                    after += 1;
                }
                if after < chars.len() && !chars[after].is_lowercase() {
                    count += 1;
                }
            }
            index = next;
        } else {
            index += 1;
        }
    }
    // The last sentence, whether or not it ends in punctuation.
    count + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_sentences_not_dots() {
        assert_eq!(sentence_count(""), 0);
        assert_eq!(sentence_count("One."), 1);
        assert_eq!(sentence_count("No full stop"), 1);
        assert_eq!(sentence_count("One. Two! Three? Four."), 4);
        assert_eq!(
            sentence_count("Call obj.save() first. Then `qs.update()` runs."),
            2
        );
        assert_eq!(
            sentence_count("Use a cache, e.g. Redis or memcached, i.e. fast."),
            2
        );
        assert_eq!(
            sentence_count("Use a cache (e.g. redis) here. Then stop."),
            2
        );
        assert_eq!(sentence_count("He said \"stop.\" Then left."), 2);
        assert_eq!(sentence_count("Version 5.2 is LTS. 4.2 was too."), 2);
    }

    fn source(text: &str) -> SourceFile {
        let split = front_matter::split(std::path::Path::new("q.md"), text).unwrap();
        SourceFile {
            path: "q.md".into(),
            key: "q.md".into(),
            text: text.to_string(),
            body_start: split.body_start,
        }
    }

    #[test]
    fn placeholders_are_found_per_field_and_once_in_the_body() {
        let text = "+++\ntitle = \"Q?\"\nsummary = \"TODO: the answer.\"\nfollow_ups = [\"Fine?\", \"TODO: next\"]\n+++\nIntro.\n\n> TODO: trap\n\n```python\n# TODO: more\n```\n";
        let found = placeholders(&source(text), "the answer");
        let shown: Vec<_> = found
            .iter()
            .map(|p| (p.message.as_str(), &text[p.span.clone()]))
            .collect();
        assert_eq!(
            shown,
            [
                ("`summary` is still a placeholder", "TODO: the answer."),
                ("`follow_ups` is still a placeholder", "TODO: next"),
                ("the answer is still a placeholder", "TODO: trap"),
            ]
        );
        let finished =
            "+++\ntitle = \"Q?\"\nsummary = \"Mentions TODO lists.\"\n+++\nA TODO app.\n";
        assert!(placeholders(&source(finished), "the answer").is_empty());
    }

    #[test]
    fn finds_the_key_on_the_value_line() {
        let text = "+++\nsummary = \"x\"\n+++\n";
        let value = text.find('"').unwrap();
        let span = key_before(text, value, "summary");
        assert_eq!(&text[span], "summary");
    }
}
