//! Building the index files from the site's documents.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use super::SHARD_TARGET_BYTES;
use super::tokenize::for_each_term;
use crate::output_file::OutputFile;

/// One question as the index sees it. The long texts borrow from the site
/// (a large site's prose would otherwise be in memory twice).
#[derive(Debug, Clone)]
pub struct SearchDocument<'a> {
    pub url: String,
    pub title: String,
    /// `junior`, `mid` or `senior`.
    pub level: String,
    pub level_label: String,
    pub topic: String,
    pub summary: Cow<'a, str>,
    pub tags: Vec<String>,
    /// The question's file name, e.g. `request-response-lifecycle`.
    pub slug: String,
    /// The first section has no heading (the text before the first `##`).
    pub sections: Vec<SearchSection<'a>>,
}

#[derive(Debug, Clone)]
pub struct SearchSection<'a> {
    pub heading_id: Option<Cow<'a, str>>,
    pub heading: Cow<'a, str>,
    pub text: Cow<'a, str>,
    /// Code of the section: indexed, but left out of the fragment files.
    pub code: Cow<'a, str>,
}

/// Field weights: a match in the title or tags says far more than one in the body.
const TITLE: f64 = 10.0;
const TAGS: f64 = 8.0;
const SUMMARY: f64 = 4.0;
const HEADING: f64 = 3.0;
const BODY: f64 = 1.0;
/// Code is searchable (readers look for identifiers) but says less about
/// what a question is about than its prose.
const CODE: f64 = 0.5;
/// Derived terms (parts of identifiers, joined forms, stems) count for less
/// than the words as written, so exact matches rank first.
const DERIVED: f64 = 0.6;

/// BM25 parameters, applied to the weighted term frequency.
const K1: f64 = 1.2;
const B: f64 = 0.5;

/// Postings kept per term, best first: enough for any reader, bounded for
/// very common words on very large sites.
const MAX_POSTINGS: usize = 600;

/// Words too common to help ranking, including the words a reader wraps
/// a question in ("how do I ... in my app"). `meta.json` lists them: the
/// client drops them from queries, so they neither outweigh the words that
/// matter nor get "corrected" into other words. `don`, `t`, `s`... are
/// what is left of "don't" and "user's" once the apostrophe splits them.
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "aren", "as", "at", "be", "but", "by", "can", "could", "did", "didn",
    "do", "does", "doesn", "don", "for", "from", "has", "have", "how", "i", "if", "in", "into",
    "is", "isn", "it", "its", "me", "my", "of", "on", "or", "our", "s", "should", "so", "t",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to",
    "versus", "vs", "was", "wasn", "we", "were", "what", "when", "which", "while", "who", "will",
    "with", "won", "would", "you", "your",
];

fn is_stopword(term: &str) -> bool {
    // Asked for every word of every page: a hash set beats a binary search
    // over strings.
    static SET: OnceLock<HashSet<&str, ahash::RandomState>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.iter().copied().collect())
        .contains(term)
}

impl SearchDocument<'_> {
    /// A hash of every field of the document.
    fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        (
            &self.url,
            &self.title,
            &self.level,
            &self.level_label,
            &self.topic,
        )
            .hash(&mut hasher);
        (&self.tags, &self.slug, &self.summary).hash(&mut hasher);
        for section in &self.sections {
            (
                &section.heading_id,
                &section.heading,
                &section.text,
                &section.code,
            )
                .hash(&mut hasher);
        }
        hasher.finish()
    }
}

/// Per (term, document): the weighted frequency and the section (heading
/// plus text, never the title or summary) where the term weighs most, for
/// the deep link. Sections are added in order, so one running total suffices.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hit {
    weight: f64,
    /// The term occurs in the title: the client ranks a question whose
    /// title has every query word above one that only mentions them.
    in_title: bool,
    best_section: usize,
    best_weight: f64,
    run_section: usize,
    run_weight: f64,
}

impl Hit {
    fn add(&mut self, weight: f64, section: usize) {
        self.weight += weight;
        if section == 0 {
            return;
        }
        if self.run_section != section {
            self.run_section = section;
            self.run_weight = 0.0;
        }
        self.run_weight += weight;
        if self.run_weight > self.best_weight {
            self.best_weight = self.run_weight;
            self.best_section = section;
        }
    }
}

/// Build every index file, fragments included; paths are relative to the
/// site root.
pub fn build(documents: &[SearchDocument]) -> Vec<OutputFile> {
    let mut files = build_cached(documents, None);
    files.extend(fragment_files(documents).collect::<Vec<_>>());
    files
}

/// The tokenized, weighted terms of one document: the expensive part of the
/// index, and a function of that document alone, so `djguide serve` keeps
/// them between rebuilds. Cheap to clone.
#[derive(Debug, Clone)]
pub struct DocumentTerms(Arc<Computed>);

/// Everything the index needs from one document.
#[derive(Debug)]
struct Computed {
    hits: Vec<(String, Hit)>,
    /// Length in words, for BM25's length normalisation.
    length: f64,
}

impl Computed {
    fn of(document: &SearchDocument) -> DocumentTerms {
        let (hits, length) = document_hits(document);
        DocumentTerms(Arc::new(Computed { hits, length }))
    }
}

/// Storage for [`DocumentTerms`] between builds, keyed by document URL and a
/// fingerprint of everything the terms are computed from.
pub trait TermsCache: Sync {
    fn get(&self, key: &str, fingerprint: u64) -> Option<DocumentTerms>;
    fn put(&self, key: &str, fingerprint: u64, terms: &DocumentTerms);
}

/// Documents tokenized at a time: their terms are merged into the postings
/// and dropped before the next batch, so memory holds the postings of the
/// whole site but the per-document term lists of one batch only.
const BATCH: usize = 256;

/// A term's occurrence in one document, as the postings keep it: 16
/// bytes, since a large site has millions.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    doc: u32,
    /// The best section times two, plus one if the term is in the title:
    /// the client's encoding (see [`encode`]).
    flags: u32,
    weight: f64,
}

impl Occurrence {
    fn of(doc: u32, hit: &Hit) -> Self {
        Occurrence {
            doc,
            flags: (hit.best_section * 2 + usize::from(hit.in_title)) as u32,
            weight: hit.weight,
        }
    }
}

/// The meta, titles and shard files (everything but the fragments, see
/// [`fragment_files`]), reusing the terms of documents that did not change.
pub fn build_cached(
    documents: &[SearchDocument],
    cache: Option<&dyn TermsCache>,
) -> Vec<OutputFile> {
    let _span = crate::timings::span("search index");
    let mut scored = if documents.len() > TWO_PASSES_ABOVE {
        score_in_two_passes(documents, cache)
    } else {
        score_in_one_pass(documents, cache)
    };
    scored.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let scored: BTreeMap<String, Vec<u32>> = scored.into_iter().collect();
    let shards = shard(&scored);
    let bounds: Vec<String> = shards
        .iter()
        .map(|terms| terms.first().cloned().unwrap_or_default())
        .collect();
    let mut files: Vec<OutputFile> = shards
        .par_iter()
        .enumerate()
        .map(|(number, terms)| {
            let body: BTreeMap<&str, &Vec<u32>> = terms
                .iter()
                .map(|term| (term.as_str(), &scored[term]))
                .collect();
            json_file(format!("search/s/{number}.json"), &body)
        })
        .collect();
    let meta = Meta {
        version: 3,
        documents: documents.len(),
        levels: documents
            .iter()
            .map(|d| d.level.chars().next().unwrap_or('?'))
            .collect(),
        level_labels: level_labels(documents),
        topics: topics(documents),
        titles_per_file: TITLES_PER_FILE,
        fragments_per_file: FRAGMENTS_PER_FILE,
        stopwords: STOPWORDS,
        bounds,
    };
    files.push(json_file("search/meta.json".into(), &meta));
    files.extend(title_files(documents, &meta.topics));
    files
}

/// Sites with more documents than this collect their postings in two
/// passes: the first counts the documents of each term and measures each
/// document, the second scores every occurrence as soon as it is found and
/// keeps only each term's best [`MAX_POSTINGS`]. One pass keeps every
/// occurrence of every term until the end, 16 bytes each: about 100 MiB at
/// 10,000 pages, most of it for common words that keep 600 postings. Two
/// passes tokenize every document twice, which a small site need not pay.
/// Both give the same index (see the tests).
const TWO_PASSES_ABOVE: usize = 2_000;

/// Every term with its postings, scored and encoded for the client
/// ([`encode`]): every occurrence collected, then scored term by term.
fn score_in_one_pass(
    documents: &[SearchDocument],
    cache: Option<&dyn TermsCache>,
) -> Vec<(String, Vec<u32>)> {
    let (postings, lengths) = collect_postings(documents, cache);
    let scoring = Scoring::new(lengths);
    // Scoring is per term, so it runs on every core.
    postings
        .into_par_iter()
        .map(|(term, list)| {
            let idf = scoring.idf(list.len());
            let entries: Vec<Posting> = list
                .into_iter()
                .map(|occurrence| scoring.posting(idf, occurrence))
                .collect();
            (term, encode(&best_by_document(entries)))
        })
        .collect()
}

/// [`score_in_one_pass`] for large sites, in bounded memory: see
/// [`TWO_PASSES_ABOVE`].
fn score_in_two_passes(
    documents: &[SearchDocument],
    cache: Option<&dyn TermsCache>,
) -> Vec<(String, Vec<u32>)> {
    let shards = rayon::current_num_threads().max(1);
    let mut frequencies: Vec<HashMap<String, usize, ahash::RandomState>> =
        (0..shards).map(|_| HashMap::default()).collect();
    let mut lengths = Vec::with_capacity(documents.len());
    for_each_batch(documents, cache, |batch| {
        lengths.extend(batch.iter().map(|terms| terms.0.length));
        frequencies
            .par_iter_mut()
            .enumerate()
            .for_each(|(shard, counts)| {
                for (term, _) in batch.iter().flat_map(|terms| &terms.0.hits) {
                    if shard_of(term, shards) != shard {
                        continue;
                    }
                    match counts.get_mut(term.as_str()) {
                        Some(frequency) => *frequency += 1,
                        None => {
                            counts.insert(term.clone(), 1);
                        }
                    }
                }
            });
    });
    let scoring = Scoring::new(lengths);
    let mut kept: Vec<HashMap<String, TermPostings, ahash::RandomState>> = frequencies
        .into_iter()
        .map(|counts| {
            (counts.into_iter())
                .map(|(term, frequency)| (term, TermPostings::new(frequency, &scoring)))
                .collect()
        })
        .collect();
    let mut first_doc = 0;
    for_each_batch(documents, cache, |batch| {
        kept.par_iter_mut()
            .enumerate()
            .for_each(|(shard, postings)| {
                for (offset, terms) in batch.iter().enumerate() {
                    let doc = (first_doc + offset) as u32;
                    for (term, hit) in &terms.0.hits {
                        if shard_of(term, shards) != shard {
                            continue;
                        }
                        // Every term was counted in the first pass.
                        if let Some(postings) = postings.get_mut(term.as_str()) {
                            postings.keep(scoring.posting(postings.idf, Occurrence::of(doc, hit)));
                        }
                    }
                }
            });
        first_doc += batch.len();
    });
    kept.into_par_iter()
        .flat_map_iter(|postings| postings.into_iter())
        .map(|(term, postings)| (term, encode(&postings.by_document())))
        .collect()
}

/// Which of `shards` threads handles `term` in [`score_in_two_passes`]:
/// each thread counts and keeps the postings of its own terms, so the
/// per-occurrence map updates run on every core without locks. Any split
/// gives the same index; this one is cheap and spreads terms evenly.
fn shard_of(term: &str, shards: usize) -> usize {
    let hash = (term.bytes()).fold(0u32, |hash, byte| {
        hash.wrapping_mul(31).wrapping_add(byte.into())
    });
    hash as usize % shards
}

/// BM25 over the documents' lengths.
struct Scoring {
    lengths: Vec<f64>,
    average_length: f64,
}

impl Scoring {
    fn new(lengths: Vec<f64>) -> Self {
        let count = lengths.len() as f64;
        let average_length = lengths.iter().sum::<f64>() / count.max(1.0);
        Scoring {
            lengths,
            average_length,
        }
    }

    /// The inverse document frequency of a term found in `frequency` documents.
    fn idf(&self, frequency: usize) -> f64 {
        let count = self.lengths.len() as f64;
        let frequency = frequency as f64;
        (1.0 + (count - frequency + 0.5) / (frequency + 0.5)).ln()
    }

    fn posting(&self, idf: f64, hit: Occurrence) -> Posting {
        let norm = K1 * (1.0 - B + B * self.lengths[hit.doc as usize] / self.average_length);
        let score = idf * hit.weight * (K1 + 1.0) / (hit.weight + norm);
        Posting {
            doc: hit.doc,
            score: (score * 100.0).round().max(1.0) as u32,
            flags: hit.flags,
        }
    }
}

/// A term's [`MAX_POSTINGS`] best postings (highest score, then lowest
/// document), in document order. `entries` are in document order.
fn best_by_document(mut entries: Vec<Posting>) -> Vec<Posting> {
    if entries.len() > MAX_POSTINGS {
        entries.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
        entries.truncate(MAX_POSTINGS);
        entries.sort_by_key(|entry| entry.doc);
    }
    entries
}

/// One term's postings during the second pass: all of them for a term
/// with few enough, otherwise the best so far, worst on top of the heap.
struct TermPostings {
    idf: f64,
    kept: Kept,
}

enum Kept {
    All(Vec<Posting>),
    /// At most [`MAX_POSTINGS`], the worst on top.
    Best(BinaryHeap<Reverse<Ranked>>),
}

/// A posting ordered by how it ranks: higher score first, then the lower
/// document (the order [`best_by_document`] keeps them by).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Ranked {
    score: u32,
    earlier: Reverse<u32>,
    flags: u32,
}

impl TermPostings {
    fn new(frequency: usize, scoring: &Scoring) -> Self {
        let kept = if frequency > MAX_POSTINGS {
            Kept::Best(BinaryHeap::with_capacity(MAX_POSTINGS))
        } else {
            Kept::All(Vec::with_capacity(frequency))
        };
        TermPostings {
            idf: scoring.idf(frequency),
            kept,
        }
    }

    fn keep(&mut self, posting: Posting) {
        match &mut self.kept {
            Kept::All(list) => list.push(posting),
            Kept::Best(heap) => {
                let ranked = Ranked {
                    score: posting.score,
                    earlier: Reverse(posting.doc),
                    flags: posting.flags,
                };
                if heap.len() < MAX_POSTINGS {
                    heap.push(Reverse(ranked));
                } else if let Some(mut worst) = heap.peek_mut()
                    && ranked > worst.0
                {
                    // Most postings of a common word rank below the kept
                    // ones and stop at this comparison.
                    *worst = Reverse(ranked);
                }
            }
        }
    }

    fn by_document(self) -> Vec<Posting> {
        match self.kept {
            Kept::All(list) => list,
            Kept::Best(heap) => {
                let mut entries: Vec<Posting> = heap
                    .into_iter()
                    .map(|Reverse(ranked)| Posting {
                        doc: ranked.earlier.0,
                        score: ranked.score,
                        flags: ranked.flags,
                    })
                    .collect();
                entries.sort_by_key(|entry| entry.doc);
                entries
            }
        }
    }
}

/// Every term's occurrences, in document order.
type Postings = HashMap<String, Vec<Occurrence>, ahash::RandomState>;

/// Every term's occurrences, by document, and each document's length.
fn collect_postings(
    documents: &[SearchDocument],
    cache: Option<&dyn TermsCache>,
) -> (Postings, Vec<f64>) {
    let mut postings = Postings::default();
    let mut lengths = Vec::with_capacity(documents.len());
    for_each_batch(documents, cache, |batch| {
        for terms in batch {
            let doc = lengths.len() as u32;
            lengths.push(terms.0.length);
            for (term, hit) in &terms.0.hits {
                let occurrence = Occurrence::of(doc, hit);
                match postings.get_mut(term.as_str()) {
                    Some(list) => list.push(occurrence),
                    None => {
                        postings.insert(term.clone(), vec![occurrence]);
                    }
                }
            }
        }
    });
    (postings, lengths)
}

/// Calls `f` with the terms of the documents, a batch at a time in
/// document order.
fn for_each_batch(
    documents: &[SearchDocument],
    cache: Option<&dyn TermsCache>,
    mut f: impl FnMut(&[DocumentTerms]),
) {
    for batch in documents.chunks(BATCH) {
        // Tokenizing is the expensive part and independent per document.
        let terms: Vec<DocumentTerms> = batch
            .par_iter()
            .map(|document| terms_of(document, cache))
            .collect();
        f(&terms);
        // Millions of small strings: freeing them is work for every core too.
        terms.into_par_iter().for_each(drop);
    }
}

fn terms_of(document: &SearchDocument, cache: Option<&dyn TermsCache>) -> DocumentTerms {
    let Some(cache) = cache else {
        return Computed::of(document);
    };
    let fingerprint = document.fingerprint();
    if let Some(terms) = cache.get(&document.url, fingerprint) {
        return terms;
    }
    let terms = Computed::of(document);
    cache.put(&document.url, fingerprint, &terms);
    terms
}

/// Fragments per `search/f/<n>.json` file: document `d` is entry
/// `d % FRAGMENTS_PER_FILE` of file `d / FRAGMENTS_PER_FILE`. Neighbouring
/// documents are questions of one topic, which one query often finds
/// together; bundling them saves files on disk (and inodes to create)
/// at the cost of the snippets of neighbours a query may not show.
pub const FRAGMENTS_PER_FILE: usize = 2;

/// The paths of the fragment files of `count` documents, in order.
pub fn fragment_paths(count: usize) -> impl Iterator<Item = String> {
    (0..count.div_ceil(FRAGMENTS_PER_FILE)).map(|number| format!("search/f/{number}.json"))
}

/// The fragment files, made in parallel as the caller consumes them.
pub fn fragment_files(documents: &[SearchDocument]) -> impl ParallelIterator<Item = OutputFile> {
    documents
        .par_chunks(FRAGMENTS_PER_FILE)
        .enumerate()
        .map(|(number, bundle)| {
            let fragments: Vec<Fragment> = bundle.iter().map(Fragment::of).collect();
            json_file(format!("search/f/{number}.json"), &fragments)
        })
}

/// Documents per `search/t/<n>.json` file. The guide's titles fit in one
/// file that the client fetches alongside `meta.json`, so the first results
/// show without a request per result; a large site's results fetch the few
/// files that hold them.
const TITLES_PER_FILE: usize = 1000;

/// Each level's letter and label, as used by the level filter.
fn level_labels(documents: &[SearchDocument]) -> BTreeMap<String, String> {
    documents
        .iter()
        .map(|d| {
            (
                d.level.chars().next().unwrap_or('?').to_string(),
                d.level_label.clone(),
            )
        })
        .collect()
}

/// The topics of the documents, once each, in order of first appearance.
fn topics(documents: &[SearchDocument]) -> Vec<String> {
    let mut topics: Vec<String> = Vec::new();
    for document in documents {
        if !topics.contains(&document.topic) {
            topics.push(document.topic.clone());
        }
    }
    topics
}

/// `search/t/<n>.json`: `[url, title, topic index]` per document.
fn title_files(documents: &[SearchDocument], topics: &[String]) -> Vec<OutputFile> {
    documents
        .chunks(TITLES_PER_FILE)
        .enumerate()
        .map(|(number, chunk)| {
            let rows: Vec<(&str, &str, usize)> = chunk
                .iter()
                .map(|d| {
                    let topic = topics.iter().position(|t| *t == d.topic).unwrap_or(0);
                    (d.url.as_str(), d.title.as_str(), topic)
                })
                .collect();
            json_file(format!("search/t/{number}.json"), &rows)
        })
        .collect()
}

/// The terms of one document with their weighted hits, and its length in words.
fn document_hits(document: &SearchDocument) -> (Vec<(String, Hit)>, f64) {
    let mut hits: HashMap<String, Hit, ahash::RandomState> = HashMap::default();
    let mut add = |text: &str, weight: f64, section: usize, in_title: bool| {
        let mut count = 0;
        for_each_term(text, |term, exact| {
            count += 1;
            if is_stopword(term) {
                return;
            }
            let weight = if exact { weight } else { weight * DERIVED };
            let hit = match hits.get_mut(term) {
                Some(hit) => hit,
                None => hits.entry(term.to_string()).or_default(),
            };
            hit.add(weight, section);
            hit.in_title |= in_title;
        });
        count
    };
    add(&document.title, TITLE, 0, true);
    add(&document.tags.join(" "), TAGS, 0, false);
    // The URL slug is a keyword summary chosen by the author.
    add(&document.slug.replace('-', " "), TAGS, 0, false);
    add(&document.summary, SUMMARY, 0, false);
    let mut length = 0;
    for (index, section) in document.sections.iter().enumerate() {
        if section.heading_id.is_some() {
            add(&section.heading, HEADING, index, false);
        }
        length += add(&section.text, BODY, index, false);
        length += add(&section.code, CODE, index, false);
    }
    (hits.into_iter().collect(), length.max(1) as f64)
}

#[derive(Serialize)]
struct Meta {
    version: u32,
    documents: usize,
    /// One letter per document: `j`, `m` or `s`.
    levels: String,
    /// Letter → the site's label for the level (`m` → `Mid`).
    level_labels: BTreeMap<String, String>,
    /// Topic titles; `search/t/` files refer to them by index.
    topics: Vec<String>,
    /// Documents per `search/t/<n>.json` file.
    titles_per_file: usize,
    /// Documents per `search/f/<n>.json` file.
    fragments_per_file: usize,
    /// Words that are not indexed.
    stopwords: &'static [&'static str],
    /// The first term of each shard. Shards hold contiguous runs of the
    /// sorted terms, so a term lives in the last shard whose bound is not
    /// greater than it.
    bounds: Vec<String>,
}

/// What the client shows for a result beyond its title line (which comes
/// from the titles file): the summary and the sections, for the snippet
/// and the deep link.
#[derive(Serialize)]
struct Fragment<'a> {
    summary: &'a str,
    /// `[heading id, heading, text]`, the first with an empty id.
    sections: Vec<(&'a str, &'a str, &'a str)>,
}

impl<'a> Fragment<'a> {
    fn of(document: &'a SearchDocument<'_>) -> Fragment<'a> {
        Fragment {
            summary: &document.summary,
            sections: document
                .sections
                .iter()
                .map(|s| (s.heading_id.as_deref().unwrap_or(""), &*s.heading, &*s.text))
                .collect(),
        }
    }
}

/// One document's entry in a term's postings.
#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    /// BM25 score × 100.
    score: u32,
    /// The section where the term weighs most (0: none in particular),
    /// times two, plus one if the term is in the title.
    flags: u32,
}

/// Postings as a flat list: doc-id delta, score, then the section times two
/// plus one if the term is in the title; repeated.
fn encode(entries: &[Posting]) -> Vec<u32> {
    let mut flat = Vec::with_capacity(entries.len() * 3);
    let mut previous = 0;
    for entry in entries {
        flat.push(entry.doc - previous);
        flat.push(entry.score);
        flat.push(entry.flags);
        previous = entry.doc;
    }
    flat
}

/// Group terms into shards keyed by prefix. Start with the first character;
/// any group whose postings exceed the target is split on one more character
/// (terms no longer than the key stay under the key itself).
fn shard(scored: &BTreeMap<String, Vec<u32>>) -> Vec<Vec<String>> {
    // Each posting is three numbers of about four characters.
    let size = |term: &String| term.len() + 6 + scored[term].len() * 4;
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    let mut pending: Vec<(String, Vec<String>)> =
        group_by_prefix(scored.keys().cloned().collect(), 1);
    while let Some((key, terms)) = pending.pop() {
        let total: usize = terms.iter().map(size).sum();
        let key_len = key.chars().count();
        if total <= SHARD_TARGET_BYTES || key_len >= 12 {
            groups.push((key, terms));
            continue;
        }
        let (short, long): (Vec<String>, Vec<String>) = terms
            .into_iter()
            .partition(|term| term.chars().count() <= key_len);
        if !short.is_empty() {
            groups.push((key.clone(), short));
        }
        pending.extend(group_by_prefix(long, key_len + 1));
    }
    groups.sort();
    // Pack small neighbouring groups together so a tiny site has few files.
    // Groups sorted by key are runs of the sorted term list, so shards are too.
    let mut shards: Vec<(Vec<String>, usize)> = Vec::new();
    for (_, terms) in groups {
        let total: usize = terms.iter().map(size).sum();
        match shards.last_mut() {
            Some((shard_terms, bytes)) if *bytes + total <= SHARD_TARGET_BYTES => {
                shard_terms.extend(terms);
                *bytes += total;
            }
            _ => shards.push((terms, total)),
        }
    }
    shards.into_iter().map(|(terms, _)| terms).collect()
}

fn group_by_prefix(terms: Vec<String>, length: usize) -> Vec<(String, Vec<String>)> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for term in terms {
        let key: String = term.chars().take(length).collect();
        groups.entry(key).or_default().push(term);
    }
    groups.into_iter().collect()
}

fn json_file<T: Serialize>(path: String, value: &T) -> OutputFile {
    OutputFile {
        path,
        contents: serde_json::to_vec(value).expect("index values serialize"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(title: &str, body: &str) -> SearchDocument<'static> {
        SearchDocument {
            url: format!("/{}/", crate::slug::suggest(title)),
            title: title.into(),
            level: "mid".into(),
            level_label: "Mid".into(),
            topic: "ORM".into(),
            summary: "".into(),
            tags: vec!["orm".into()],
            slug: "question".into(),
            sections: vec![
                SearchSection {
                    heading_id: None,
                    heading: "".into(),
                    text: body.to_string().into(),
                    code: "".into(),
                },
                SearchSection {
                    heading_id: Some("the-fix".into()),
                    heading: "The fix".into(),
                    text: "Use".into(),
                    code: "Book.objects.select_related(\"author\")".into(),
                },
            ],
        }
    }

    /// The shard a term lives in, as the client finds it.
    fn shard_of(meta: &serde_json::Value, term: &str) -> usize {
        let bounds = meta["bounds"].as_array().unwrap();
        bounds
            .iter()
            .rposition(|b| b.as_str().unwrap() <= term)
            .unwrap_or(0)
    }

    fn file(files: &[OutputFile], path: &str) -> serde_json::Value {
        let file = files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path}"));
        serde_json::from_slice(&file.contents).unwrap()
    }

    #[test]
    fn writes_meta_shards_and_fragments() {
        let files = build(&[
            document("N+1 queries", "Loops fire queries."),
            document("Indexes", "B-tree."),
        ]);
        let meta = file(&files, "search/meta.json");
        assert_eq!(meta["documents"], 2);
        assert_eq!(meta["levels"], "mm");
        let terms = file(
            &files,
            &format!("search/s/{}.json", shard_of(&meta, "select_related")),
        );
        let postings = terms["select_related"].as_array().unwrap();
        // Two documents: delta 0 then delta 1; both in section 1 ("The
        // fix", stored doubled), neither in the title.
        assert_eq!(postings.len(), 6);
        assert_eq!(postings[2], 2);
        assert_eq!(postings[3], 1);
        assert_eq!(meta["version"], 3);
        assert_eq!(meta["topics"], serde_json::json!(["ORM"]));
        assert_eq!(meta["level_labels"], serde_json::json!({"m": "Mid"}));
        let titles = file(&files, "search/t/0.json");
        assert_eq!(titles[1], serde_json::json!(["/indexes/", "Indexes", 0]));
        assert_eq!(meta["fragments_per_file"], FRAGMENTS_PER_FILE);
        let (number, entry) = (1 / FRAGMENTS_PER_FILE, 1 % FRAGMENTS_PER_FILE);
        let fragment = &file(&files, &format!("search/f/{number}.json"))[entry];
        assert_eq!(fragment["summary"], "");
        assert_eq!(fragment["sections"][0][2], "B-tree.");
        assert_eq!(fragment["sections"][1][0], "the-fix");
    }

    /// The postings of `caching` for a question titled with it and one that
    /// mentions it in the body.
    fn caching_postings() -> serde_json::Value {
        let files = build(&[
            document("Caching", "Nothing here."),
            document("Other", "We discuss caching once."),
        ]);
        let meta = file(&files, "search/meta.json");
        file(
            &files,
            &format!("search/s/{}.json", shard_of(&meta, "caching")),
        )["caching"]
            .clone()
    }

    #[test]
    fn postings_flag_terms_of_the_title() {
        let postings = caching_postings();
        let flags: Vec<u64> = postings
            .as_array()
            .unwrap()
            .chunks(3)
            .map(|p| p[2].as_u64().unwrap() & 1)
            .collect();
        assert_eq!(flags, [1, 0]);
    }

    #[test]
    fn title_matches_outscore_body_matches() {
        let postings = caching_postings();
        let scores = postings.as_array().unwrap();
        assert!(scores[1].as_u64() > scores[4].as_u64(), "{scores:?}");
    }

    #[test]
    fn large_groups_split_on_more_characters() {
        let documents: Vec<_> = (0..400)
            .map(|i| {
                document(
                    &format!("Question {i}"),
                    &format!("select{i} selection{i} session{i} serializer{i}"),
                )
            })
            .collect();
        let files = build(&documents);
        let meta = file(&files, "search/meta.json");
        let bounds: Vec<&str> = meta["bounds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_str().unwrap())
            .collect();
        assert!(bounds.len() > 4, "{bounds:?}");
        let mut sorted = bounds.clone();
        sorted.sort();
        assert_eq!(sorted, bounds, "bounds are sorted");
        for shard in files.iter().filter(|f| f.path.starts_with("search/s/")) {
            assert!(
                shard.contents.len() < 3 * SHARD_TARGET_BYTES,
                "{} is {} bytes",
                shard.path,
                shard.contents.len()
            );
        }
    }

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn apostrophe_leftovers_are_stopwords() {
        for word in ["don", "t", "s", "doesn"] {
            assert!(is_stopword(word), "{word}");
        }
    }

    #[test]
    fn stopwords_are_not_indexed() {
        let files = build(&[document("The ORM", "the and of")]);
        let all: String = files
            .iter()
            .filter(|f| f.path.starts_with("search/s/"))
            .map(|f| String::from_utf8_lossy(&f.contents).into_owned())
            .collect();
        assert!(!all.contains("\"the\""));
        assert!(all.contains("\"orm\""));
    }

    /// Documents that share common words in many amounts and lengths, so
    /// that several terms have more than [`MAX_POSTINGS`] postings and ties
    /// in rounded scores are common.
    fn many_documents(count: usize) -> Vec<SearchDocument<'static>> {
        let words = [
            "queryset", "cache", "signal", "view", "model", "form", "admin",
        ];
        (0..count)
            .map(|index| {
                let mut body = String::new();
                for (position, word) in words.iter().enumerate() {
                    let repeats = (index * (position + 3) + index / 7) % 5;
                    for _ in 0..repeats {
                        body.push_str(word);
                        body.push(' ');
                    }
                }
                body.push_str(&"filler ".repeat(index % 40));
                body.push_str(&format!("unique{index}"));
                document(&format!("Question {index}"), &body)
            })
            .collect()
    }

    #[test]
    fn two_passes_give_the_index_of_one() {
        let documents = many_documents(MAX_POSTINGS * 2 + 150);
        let sorted = |mut scored: Vec<(String, Vec<u32>)>| {
            scored.sort_by(|a, b| a.0.cmp(&b.0));
            scored
        };
        let one = sorted(score_in_one_pass(&documents, None));
        let two = sorted(score_in_two_passes(&documents, None));
        // The test means something only if some terms were cut.
        let cut = one
            .iter()
            .filter(|(_, postings)| postings.len() == MAX_POSTINGS * 3)
            .count();
        assert!(cut >= 5, "only {cut} terms reach the cut");
        assert_eq!(one, two);
    }
}
