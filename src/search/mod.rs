//! The search index, written by the build for `search.js`.
//!
//! Layout under `/search/` (all JSON):
//!
//! - `meta.json`: loaded first. Document count, one level letter per
//!   document (for the level filter) and the levels' labels, topic titles,
//!   and the shard table: which file holds the terms starting with each key.
//! - `t/<n>.json`: URL, title and topic of each document, a thousand per
//!   file, so results show without a request per result. The client
//!   fetches `t/0.json` alongside `meta.json`.
//! - `s/<n>.json`: a shard of the term dictionary with its postings. Terms
//!   are grouped by their first characters; a group that grows past
//!   [`SHARD_TARGET_BYTES`] is split on the next character, so a query
//!   downloads only the few kilobytes that can match it.
//! - `f/<n>.json`: the fragments (summary and section texts) of
//!   [`FRAGMENTS_PER_FILE`] neighbouring questions, fetched once typing
//!   pauses and only for the results on screen, to draw the snippet and
//!   deep-link to the matching heading.
//!
//! Scores are computed here (BM25 over field-weighted term frequencies), so
//! the client only adds integers; `docs/search-ranking.md` explains how the
//! client combines them.

mod index;
pub mod tokenize;

use rayon::prelude::*;

use crate::markdown::Section;
use crate::site::{QuestionRecord, Site};

pub use index::{
    DocumentTerms, FRAGMENTS_PER_FILE, SearchDocument, SearchSection, TermsCache, build,
    build_cached, fragment_files, fragment_paths,
};

/// A shard is split when its JSON would exceed this many bytes.
pub const SHARD_TARGET_BYTES: usize = 24 * 1024;

/// The site's questions as search documents, in site order (document ids
/// are question indices), borrowing their text from the site.
pub fn documents(site: &Site) -> Vec<SearchDocument<'_>> {
    site.questions
        .par_iter()
        .map(|record| {
            let sections = (record.body.sections.iter())
                .map(|section| SearchSection {
                    heading_id: section.heading_id.as_deref().map(Into::into),
                    heading: section.heading.as_str().into(),
                    text: section.text.as_str().into(),
                    code: section.code.as_str().into(),
                })
                .collect();
            document(site, record, sections)
        })
        .collect()
}

/// [`documents`] owning the sections taken from the site
/// ([`Site::take_search_sections`]), so they go when the documents go.
pub fn documents_owning(site: &Site, sections: Vec<Vec<Section>>) -> Vec<SearchDocument<'_>> {
    (site.questions.par_iter())
        .zip(sections)
        .map(|(record, sections)| {
            let sections = (sections.into_iter())
                .map(|section| SearchSection {
                    heading_id: section.heading_id.map(Into::into),
                    heading: section.heading.into(),
                    text: section.text.into(),
                    code: section.code.into(),
                })
                .collect();
            document(site, record, sections)
        })
        .collect()
}

fn document<'a>(
    site: &'a Site,
    record: &'a QuestionRecord,
    sections: Vec<SearchSection<'a>>,
) -> SearchDocument<'a> {
    let question = &record.question;
    let label = site.config.levels.get(question.level);
    SearchDocument {
        url: site.urls.path(&record.location),
        title: question.title.clone(),
        level: question.level.as_str().to_string(),
        level_label: label.label.clone(),
        topic: site.topic_of(record).topic.title.clone(),
        summary: question.summary.as_str().into(),
        tags: question.tags.clone(),
        slug: question.slug.clone(),
        sections,
    }
}
