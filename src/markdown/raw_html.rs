//! The author's raw HTML read tag by tag, to tell the author what the
//! sanitiser ([`super::sanitize`]) removes and where.
//!
//! The sanitiser works on the rendered page and cannot say where anything
//! came from, so this pass reads each piece of raw HTML as written (an
//! inline tag, or the lines of an HTML block) with html5ever's tokenizer,
//! the one the sanitiser parses with, and applies the same policy
//! functions. It only finds things to report; what reaches the page is
//! decided by the sanitiser alone.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::ops::Range;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::sanitize::{self, CONTENT_REMOVED, Verdict};

/// Raw HTML as the author wrote it: one inline tag, or the lines of one HTML
/// block (which pulldown-cmark hands over line by line, without the `> ` or
/// list indentation around them).
#[derive(Debug, Clone, Default)]
pub struct Fragment {
    text: String,
    /// (offset in `text`, offset in the body) where each piece starts.
    pieces: Vec<(usize, usize)>,
}

impl Fragment {
    pub fn push(&mut self, text: &str, body_offset: usize) {
        self.pieces.push((self.text.len(), body_offset));
        self.text.push_str(text);
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Offset in the body of offset `at` in the fragment's text.
    fn body_offset(&self, at: usize) -> usize {
        let index = self.pieces.partition_point(|(start, _)| *start <= at);
        match index.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some((start, body)) => body + (at - start),
            None => 0,
        }
    }
}

/// Something the sanitiser removes, located in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub span: Range<usize>,
    pub message: String,
    pub hint: String,
}

const HINT: &str = "raw HTML is limited to the allowlist in README.md (\"Raw HTML\"); a site whose every author is trusted can set `unsafe_html = true` under `[markdown]` in site.toml";

/// What the sanitiser will remove from `fragment`. `footnotes` as for
/// [`sanitize::attribute_verdict`].
pub fn removals(fragment: &Fragment, footnotes: &BTreeSet<String>) -> Vec<Finding> {
    let mut cursor = Cursor {
        text: &fragment.text,
        at: 0,
    };
    let mut findings = Vec::new();
    for token in tokens(&fragment.text) {
        match token {
            Seen::Start { name, attributes } => {
                // Not found only if the text and the tokenizer disagree;
                // the report then points at the last known position.
                let tag = cursor
                    .find_tag("<", &name)
                    .unwrap_or(cursor.at..cursor.at + 1);
                let located = |span: Range<usize>| {
                    fragment.body_offset(span.start)..fragment.body_offset(span.end)
                };
                if !sanitize::element_allowed(&name) {
                    let what = if CONTENT_REMOVED.contains(&name.as_str()) {
                        "is removed with its content"
                    } else {
                        "is removed"
                    };
                    findings.push(Finding {
                        span: located(tag.clone()),
                        message: format!("raw HTML element `<{name}>` {what}"),
                        hint: HINT.to_string(),
                    });
                    continue;
                }
                for (attribute, value) in attributes {
                    let verdict = sanitize::attribute_verdict(&name, &attribute, &value, footnotes);
                    let span = located(cursor.find_attribute(tag.start, &attribute));
                    let (message, hint) = match verdict {
                        Verdict::Keep => continue,
                        Verdict::Remove => (
                            format!("attribute `{attribute}` is removed from `<{name}>`"),
                            HINT.to_string(),
                        ),
                        Verdict::RemoveUrl(error) => {
                            let (why, hint) = error.describe("URL", &value);
                            (
                                format!(
                                    "attribute `{attribute}` is removed from `<{name}>`: {why}"
                                ),
                                hint,
                            )
                        }
                    };
                    findings.push(Finding {
                        span,
                        message,
                        hint,
                    });
                }
            }
            Seen::End(name) => {
                cursor.find_tag("</", &name);
            }
            Seen::Comment(text) => cursor.skip(&text),
        }
    }
    findings
}

/// A token as far as the policy cares.
#[derive(Debug)]
enum Seen {
    Start {
        name: String,
        attributes: Vec<(String, String)>,
    },
    End(String),
    Comment(String),
}

/// Tokenize `html` as the sanitiser's parser would, including the switch to
/// raw text after `<script>`, `<style>`, `<textarea>` and the like, so that
/// `<b>` inside a script is not taken for a tag.
fn tokens(html: &str) -> Vec<Seen> {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Collector::default(), TokenizerOpts::default());
    // The sink never asks to stop for a script, so one feed reads everything.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.seen.take()
}

#[derive(Default)]
struct Collector {
    seen: RefCell<Vec<Seen>>,
}

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let name = tag.name.to_string();
                let next = match name.as_str() {
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                        TokenSinkResult::RawData(RawKind::Rawtext)
                    }
                    "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                    "plaintext" => TokenSinkResult::Plaintext,
                    _ => TokenSinkResult::Continue,
                };
                let attributes = tag
                    .attrs
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect();
                self.seen
                    .borrow_mut()
                    .push(Seen::Start { name, attributes });
                next
            }
            Token::TagToken(tag) => {
                self.seen.borrow_mut().push(Seen::End(tag.name.to_string()));
                TokenSinkResult::Continue
            }
            Token::CommentToken(text) => {
                self.seen.borrow_mut().push(Seen::Comment(text.to_string()));
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// Walks the fragment's text in step with the tokens to find where each
/// one was written (the tokenizer reports lines, not offsets).
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl Cursor<'_> {
    /// The next `<name` (or `</name`) not followed by more of a name: its
    /// span is the `<` and the name.
    fn find_tag(&mut self, open: &str, name: &str) -> Option<Range<usize>> {
        let needle = format!("{open}{name}");
        let mut from = self.at;
        while let Some(start) = find_ignoring_case(self.text, &needle, from) {
            let end = start + needle.len();
            let next = self.text[end..].chars().next();
            if next.is_none_or(|c| c.is_whitespace() || c == '>' || c == '/') {
                self.at = end;
                return Some(start..end);
            }
            from = end;
        }
        None
    }

    /// The attribute's name after the tag starting at `tag_start`, or the tag.
    fn find_attribute(&self, tag_start: usize, attribute: &str) -> Range<usize> {
        match find_ignoring_case(self.text, attribute, tag_start) {
            Some(start) => start..start + attribute.len(),
            None => tag_start..tag_start + 1,
        }
    }

    fn skip(&mut self, text: &str) {
        if let Some(start) = self.text[self.at..].find(text).filter(|_| !text.is_empty()) {
            self.at += start + text.len();
        }
    }
}

/// Byte offset of `needle` in `haystack` from `from`, ASCII case-insensitive.
fn find_ignoring_case(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let hay = haystack.as_bytes();
    let needle = needle.as_bytes();
    let last_start = hay.len().checked_sub(needle.len())?;
    if needle.is_empty() || from > last_start {
        return None;
    }
    (from..=last_start).find(|&start| hay[start..start + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pieces: &[(&str, usize)]) -> Vec<(Range<usize>, String)> {
        let mut fragment = Fragment::default();
        for (text, offset) in pieces {
            fragment.push(text, *offset);
        }
        removals(&fragment, &BTreeSet::new())
            .into_iter()
            .map(|f| (f.span, f.message))
            .collect()
    }

    #[test]
    fn allowed_html_has_nothing_to_report() {
        assert!(found(&[("<kbd title=\"key\">", 0)]).is_empty());
        assert!(found(&[("<details open>\n", 0), ("<summary>Why?</summary>\n", 20)]).is_empty());
        assert!(found(&[("<!-- <script> in a comment -->\n", 0)]).is_empty());
        assert!(found(&[("<a href=\"../x.md\">", 0)]).is_empty());
    }

    #[test]
    fn reports_elements_and_attributes_where_they_are_written() {
        let text = "<p>x</p><SCRIPT>if (a<b) { x('<iframe>') }</script><iframe src=\"https://x\"></iframe>";
        let found = found(&[(text, 100)]);
        assert_eq!(
            found,
            [
                (
                    108..115,
                    "raw HTML element `<script>` is removed with its content".to_string()
                ),
                (
                    151..158,
                    "raw HTML element `<iframe>` is removed".to_string()
                ),
            ]
        );
        let found = super::tests::found(&[
            ("<img\n", 10),
            ("  src=x onerror=\"alert(1)\" style=\"\">\n", 40),
        ]);
        assert_eq!(
            found,
            [
                (
                    48..55,
                    "attribute `onerror` is removed from `<img>`".to_string()
                ),
                (
                    67..72,
                    "attribute `style` is removed from `<img>`".to_string()
                ),
            ]
        );
    }

    #[test]
    fn reports_refused_urls_after_decoding_entities() {
        let found = found(&[("<a href=\"java&#x09;script:alert(1)\">", 0)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 3..7);
        assert!(
            found[0].1.starts_with(
                "attribute `href` is removed from `<a>`: URL `java\\tscript:alert(1)` has the scheme `javascript:`"
            ),
            "{}",
            found[0].1
        );
    }

    #[test]
    fn broken_html_does_not_panic() {
        for text in [
            "<",
            "<a",
            "<a href=",
            "</",
            "<!--",
            "<!DOCTYPE",
            "<é é=é>",
            "<a\u{0}b>",
        ] {
            let _ = found(&[(text, 0)]);
        }
    }
}
