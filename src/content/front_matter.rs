//! Front matter as the author wrote it: TOML between `+++` lines, split from
//! the Markdown body and deserialized into raw structs. Validation of values
//! (levels, tags, links) happens when these become the site's resolved types.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::Diagnostic;
use crate::toml_source::TomlSource;

/// Where the front matter and the body sit in a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the TOML between the fences.
    pub toml_start: usize,
    pub toml_end: usize,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Find the `+++` fences. The opening fence must be the file's first line.
pub fn split(path: &Path, text: &str) -> Result<Split, Diagnostic> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "+++" {
        let start = text.len() - text.trim_start_matches('\u{feff}').len();
        return Err(
            Diagnostic::at(path, text, start..first_line_end, "missing front matter").with_hint(
                "start the file with a `+++` line, the TOML front matter, and another `+++` line",
            ),
        );
    }
    let toml_start = (first_line_end + 1).min(text.len());
    let mut line_start = toml_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |index| line_start + index);
        if text[line_start..line_end].trim_end() == "+++" {
            return Ok(Split {
                toml_start,
                toml_end: line_start,
                body_start: (line_end + 1).min(text.len()),
            });
        }
        line_start = line_end + 1;
    }
    Err(
        Diagnostic::at(path, text, 0..3, "front matter is never closed")
            .with_hint("add a `+++` line after the last front-matter key"),
    )
}

/// Parse the TOML of a file whose fences were found by [`split`].
pub fn parse<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    split: Split,
    known_keys: &[&str],
) -> Result<T, Vec<Diagnostic>> {
    TomlSource {
        path,
        file_text: text,
        offset: split.toml_start,
        toml_text: &text[split.toml_start..split.toml_end],
    }
    .parse(known_keys)
}

/// A question file's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionFrontMatter {
    pub title: Spanned<String>,
    pub level: Spanned<String>,
    pub summary: Spanned<String>,
    pub red_flag: String,
    #[serde(default)]
    pub tags: Vec<Spanned<String>>,
    #[serde(default)]
    pub follow_ups: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub related: Vec<Spanned<String>>,
    #[serde(default)]
    pub samples: Vec<SampleSpec>,
    /// Last meaningful revision, for the feed and sitemap.
    #[serde(default)]
    pub date: Option<Spanned<toml::value::Datetime>>,
    /// The database the page's runnable samples run against.
    #[serde(default)]
    pub sample_database: Option<Spanned<String>>,
}

impl QuestionFrontMatter {
    pub const KEYS: &'static [&'static str] = &[
        "title",
        "level",
        "summary",
        "red_flag",
        "tags",
        "follow_ups",
        "weight",
        "draft",
        "related",
        "samples",
        "date",
        "sample_database",
    ];
}

/// `[[samples]]`: a real source file from the topic folder shown as a code sample.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleSpec {
    pub file: Spanned<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub hl_lines: Option<String>,
    /// Part of the page's runnable scenario, like a fence's `run`.
    #[serde(default)]
    pub run: bool,
    /// A waiver, like a fence's `norun="why"`.
    #[serde(default)]
    pub norun: Option<Spanned<String>>,
}

/// A topic's `_index.md` front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicFrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub weight: i64,
}

impl TopicFrontMatter {
    pub const KEYS: &'static [&'static str] = &["title", "description", "weight"];
}

/// `content/_index.md` front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeFrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: String,
}

impl HomeFrontMatter {
    pub const KEYS: &'static [&'static str] = &["title", "description"];
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "content/orm/q.md";

    #[test]
    fn splits_fences_and_body() {
        let text = "+++\ntitle = \"x\"\n+++\nBody\n";
        let split = split(Path::new(PATH), text).unwrap();
        assert_eq!(&text[split.toml_start..split.toml_end], "title = \"x\"\n");
        assert_eq!(&text[split.body_start..], "Body\n");
    }

    #[test]
    fn accepts_crlf_and_an_empty_body() {
        let text = "+++\r\ntitle = \"x\"\r\n+++";
        let split = split(Path::new(PATH), text).unwrap();
        assert_eq!(&text[split.body_start..], "");
    }

    #[test]
    fn missing_and_unclosed_fences_are_errors() {
        let missing = split(Path::new(PATH), "title = 1\n").unwrap_err();
        assert_eq!(missing.message, "missing front matter");
        let unclosed = split(Path::new(PATH), "+++\ntitle = 1\n").unwrap_err();
        assert_eq!(unclosed.message, "front matter is never closed");
        assert!(split(Path::new(PATH), "").is_err());
    }

    #[test]
    fn every_question_key_deserializes() {
        let text = "+++\ntitle = \"t\"\nlevel = \"mid\"\nsummary = \"s\"\nred_flag = \"r\"\ntags = [\"a\"]\nfollow_ups = [\"f\"]\nweight = 3\ndraft = true\nrelated = [\"orm/x.md\"]\ndate = 2026-11-01\n[[samples]]\nfile = \"samples/a.py\"\ntitle = \"a.py\"\nlang = \"python\"\nhl_lines = \"1\"\nrun = true\n+++\n";
        let split = split(Path::new(PATH), text).unwrap();
        let parsed: QuestionFrontMatter =
            parse(Path::new(PATH), text, split, QuestionFrontMatter::KEYS).unwrap();
        assert_eq!(parsed.level.get_ref(), "mid");
        assert_eq!(parsed.samples.len(), 1);
    }

    #[test]
    fn toml_errors_point_at_the_line_of_the_file() {
        let text = "+++\ntitle = \"t\"\nlevel = mid\n+++\n";
        let split = split(Path::new(PATH), text).unwrap();
        let errors =
            parse::<QuestionFrontMatter>(Path::new(PATH), text, split, QuestionFrontMatter::KEYS)
                .unwrap_err();
        assert_eq!(errors[0].line, 3);
    }
}
