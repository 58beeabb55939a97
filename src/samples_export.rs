//! `djguide samples --out DIR`: every code sample of the site written to its
//! own file, with `samples.json` describing where each came from, so other
//! tools (the guide's Python checker, linters) can check them.

use std::path::Path;

use serde::Serialize;

use crate::config::VerifiedVersions;
use crate::content::Sample;
use crate::languages::{self, Kind};
use crate::markdown::{CodeSample, OutputBlock};
use crate::output::{self, OutputError};
use crate::output_file::OutputFile;
use crate::site::Site;
use crate::slash_path;

/// `samples.json`, version 2 (`docs/runnable-samples.md`).
#[derive(Debug, Serialize)]
struct Manifest<'a> {
    version: u32,
    /// The versions the site claims its run samples ran on.
    verified_with: &'a [VerifiedVersions],
    pages: Vec<PageEntry>,
    samples: Vec<Entry>,
}

/// A question page: what the runner needs to build its project.
#[derive(Debug, Serialize)]
struct PageEntry {
    source: String,
    page_url: String,
    topic: String,
    slug: String,
    database: &'static str,
    /// Output blocks with no sample before them: each must be waived.
    loose_outputs: Vec<OutputBlock>,
}

#[derive(Debug, Serialize)]
struct Entry {
    /// The file the sample is written to, relative to the export folder.
    file: String,
    /// The file it came from: the Markdown page for a fence, the source
    /// file itself for a `[[samples]]` entry.
    source: String,
    /// The Markdown page the sample belongs to.
    page: String,
    /// 1-based line of the sample's first code line in `source`.
    line: usize,
    /// The language as the author wrote it, for messages.
    lang: String,
    /// Its canonical name (`python` for `py3`), or `lang` when the table
    /// does not know it.
    language: String,
    /// What the sample tools do with it ([`Kind`]).
    kind: Kind,
    title: Option<String>,
    /// `false` for fences marked `nocheck`.
    check: bool,
    page_url: String,
    run: bool,
    norun: Option<String>,
    sql: bool,
    django: Option<String>,
    outputs: Vec<OutputBlock>,
}

/// Replace `folder` with the exported samples; returns how many were written.
pub fn write(site: &Site, folder: &Path) -> Result<usize, OutputError> {
    let mut files = Vec::new();
    let mut pages = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    for record in &site.questions {
        let question = &record.question;
        let page = slash_path::to_slash(&question.source.path);
        let page_url = site.urls.path(&record.location);
        pages.push(PageEntry {
            source: page.clone(),
            page_url: page_url.clone(),
            topic: question.topic.clone(),
            slug: question.slug.clone(),
            database: question.sample_database.as_str(),
            loose_outputs: record.body.loose_outputs.clone(),
        });
        let fenced = record
            .body
            .samples
            .iter()
            .map(|sample| fenced_entry(sample, &page));
        let topic_folder = question.source.path.parent().unwrap_or(Path::new(""));
        let from_files = question
            .samples
            .iter()
            .map(|sample| file_entry(sample, topic_folder, &page));
        for (mut entry, code) in fenced.chain(from_files) {
            entry.file = format!("{:04}.{}", entries.len() + 1, extension(&entry.lang));
            entry.page_url = page_url.clone();
            files.push(OutputFile {
                path: entry.file.clone(),
                contents: code.into_bytes(),
            });
            entries.push(entry);
        }
    }
    let count = entries.len();
    let manifest = Manifest {
        version: 2,
        verified_with: &site.config.samples.verified_with,
        pages,
        samples: entries,
    };
    let manifest = serde_json::to_string_pretty(&manifest)
        .expect("a manifest of strings and numbers serializes");
    files.push(OutputFile {
        path: "samples.json".into(),
        contents: manifest.into_bytes(),
    });
    let tree = output::prepare(files)?;
    output::write_atomically(folder, &tree)?;
    Ok(count)
}

/// A fence's entry (its file name and URL still to fill in) and its code.
fn fenced_entry(sample: &CodeSample, page: &str) -> (Entry, String) {
    (
        Entry {
            file: String::new(),
            source: page.to_string(),
            page: page.to_string(),
            line: sample.line,
            lang: sample.lang.clone(),
            language: canonical(&sample.lang),
            kind: kind(&sample.lang),
            title: sample.title.clone(),
            check: !sample.nocheck,
            page_url: String::new(),
            run: sample.run,
            norun: sample.norun.clone(),
            sql: sample.sql,
            django: sample.django.clone(),
            outputs: sample.outputs.clone(),
        },
        sample.code.clone(),
    )
}

/// A `[[samples]]` file's entry and its code.
fn file_entry(sample: &Sample, topic_folder: &Path, page: &str) -> (Entry, String) {
    let source = slash_path::to_slash(&topic_folder.join(&sample.file));
    (
        Entry {
            file: String::new(),
            source,
            page: page.to_string(),
            line: 1,
            lang: sample.lang.clone(),
            language: canonical(&sample.lang),
            kind: kind(&sample.lang),
            title: Some(sample.title.clone()),
            check: true,
            page_url: String::new(),
            run: sample.run,
            norun: sample.norun.clone(),
            sql: false,
            django: None,
            outputs: Vec::new(),
        },
        sample.code.clone(),
    )
}

fn canonical(lang: &str) -> String {
    languages::find(lang)
        .map_or(lang, |language| language.name)
        .to_string()
}

fn kind(lang: &str) -> Kind {
    languages::find(lang).map_or(Kind::Other, |language| language.kind)
}

fn extension(lang: &str) -> &str {
    languages::find(lang).map_or("txt", |language| language.extension)
}
