//! The guide's content: the home page, topics and questions, loaded from
//! `content/` and validated into the types the rest of the site uses.
//!
//! `front_matter` holds what the author wrote; this module holds what the site
//! uses (a validated [`Level`], slugs that are safe in URLs and paths, sample
//! files already read and confined to their topic folder).

pub mod front_matter;
mod loader;
mod samples;

use std::path::PathBuf;

pub use loader::{LoadOptions, load};
pub use samples::Sample;

use crate::config::Level;

/// Topic folder names that would collide with generated pages.
pub const RESERVED_TOPICS: &[&str] = &["levels", "questions", "tags", "search", "assets"];

/// A Markdown file as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path shown to authors, relative to the site root (`content/orm/x.md`).
    pub path: PathBuf,
    /// Key used by links: the path relative to `content/` with `/` separators.
    pub key: String,
    pub text: String,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
}

impl SourceFile {
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or_default()
    }

    /// Forget the file's text once nothing will read it again (diagnostics
    /// and rendering are done): at 10,000 pages it is a sixth of a build's
    /// memory. The body reads as empty afterwards.
    pub fn release_text(&mut self) {
        self.text = String::new();
        self.body_start = 0;
    }
}

#[derive(Debug, Clone)]
pub struct Home {
    pub title: String,
    pub description: String,
    pub source: SourceFile,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub weight: i64,
    pub source: SourceFile,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub slug: String,
    /// Slug of the topic folder the file sits in.
    pub topic: String,
    pub level: Level,
    pub title: String,
    /// Byte span of the `title` value in the file, for errors about it.
    pub title_span: std::ops::Range<usize>,
    pub summary: String,
    /// Byte span of the `summary` value in the file.
    pub summary_span: std::ops::Range<usize>,
    pub red_flag: String,
    pub tags: Vec<String>,
    pub follow_ups: Vec<String>,
    /// Byte span of the `follow_ups` value, when the key is written.
    pub follow_ups_span: Option<std::ops::Range<usize>>,
    pub weight: i64,
    pub draft: bool,
    /// `related` entries as written, with their byte spans in the file; they are
    /// resolved with the other links once every page is known.
    pub related: Vec<(String, std::ops::Range<usize>)>,
    pub samples: Vec<Sample>,
    /// RFC 3339 timestamp from the `date` key.
    pub date: Option<String>,
    /// Where the sample runner runs the page's runnable samples.
    pub sample_database: SampleDatabase,
    pub source: SourceFile,
}

/// The database a page's runnable samples need (`sample_database`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SampleDatabase {
    #[default]
    Sqlite,
    Postgresql,
}

impl SampleDatabase {
    pub const NAMES: [&'static str; 2] = ["sqlite", "postgresql"];

    pub fn parse(name: &str) -> Option<SampleDatabase> {
        match name {
            "sqlite" => Some(SampleDatabase::Sqlite),
            "postgresql" => Some(SampleDatabase::Postgresql),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SampleDatabase::Sqlite => "sqlite",
            SampleDatabase::Postgresql => "postgresql",
        }
    }
}

/// Everything under `content/`, in a deterministic order: topics by weight then
/// slug, questions grouped by topic in the same order (every question's topic
/// is among `topics`).
#[derive(Debug, Clone)]
pub struct Content {
    pub home: Home,
    pub topics: Vec<Topic>,
    pub questions: Vec<Question>,
    /// Keys of draft questions left out of this build, so a link to one can say so.
    pub skipped_drafts: Vec<String>,
    /// Keys of pages that failed to load; their errors are already reported,
    /// so links to them are not reported again.
    pub failed: Vec<String>,
}
