//! Markdown to HTML with pulldown-cmark, in two passes.
//!
//! [`headings`] runs first on every page so that links can be checked against
//! every heading of the site; [`render`] then rewrites links, hands code
//! blocks to the highlighting stage, turns GitHub alerts into callouts and
//! gives headings ids and permalink anchors. Both passes parse with the same
//! options, so the n-th heading of one is the n-th heading of the other.

pub mod links;

use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;

use crate::content::SourceFile;
use crate::diagnostics::Diagnostic;
use crate::highlight::{CodeBlock, CodeError, CodeInfo, Highlighter, OUTPUT_LANG};
use crate::html::escape;
use crate::slug;
pub use links::{LinkTarget, LinkTargets};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Element ids used by the page templates around the Markdown; a heading
/// whose text would produce one of these gets a `-1` suffix instead.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "top",
    "content",
    "search-input",
    "search-popup",
    "search-listbox",
    "search-page-input",
    "quick-answer",
    "quick-answer-title",
    "toc",
    "toc-title",
    "red-flag",
    "red-flag-title",
    "follow-ups",
    "follow-ups-title",
    "related",
    "related-title",
    "levels-heading",
    "topics-heading",
    "first-read-heading",
];

/// A heading with the id it is rendered with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Text under one heading, for the search index (the first has no heading).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Section {
    pub heading_id: Option<String>,
    pub heading: String,
    /// Prose, with whitespace collapsed.
    pub text: String,
    /// The code blocks of the section: searchable, but not snippet material.
    pub code: String,
}

/// A fenced code block as written, for `djguide samples`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeSample {
    pub lang: String,
    pub title: Option<String>,
    /// 1-based line in the file of the block's first code line.
    pub line: usize,
    pub nocheck: bool,
    pub code: String,
    pub run: bool,
    pub norun: Option<String>,
    pub sql: bool,
    pub django: Option<String>,
    /// The ```` ```output ```` blocks that follow the sample.
    pub outputs: Vec<OutputBlock>,
}

/// A program's output as the page shows it, checked by the sample runner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutputBlock {
    /// 1-based line in the file of the block's first text line.
    pub line: usize,
    /// The Django line the output belongs to; `None` for every line.
    pub django: Option<String>,
    /// Why this output is not checked (a production log, say).
    pub norun: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub sections: Vec<Section>,
    pub samples: Vec<CodeSample>,
    /// Output blocks with no sample before them on the page.
    pub loose_outputs: Vec<OutputBlock>,
}

/// The headings of a Markdown body with unique ids: `{#custom}` ids as
/// written, others derived from the text; repeats get `-1`, `-2`, ...
pub fn headings(body: &str) -> Vec<Heading> {
    let mut found = Vec::new();
    // Ids the page layout uses itself; a heading never takes one of them.
    let mut used: BTreeSet<String> = RESERVED_IDS.iter().map(|id| id.to_string()).collect();
    let mut current: Option<(u8, Option<String>, String)> = None;
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                current = Some((
                    level_number(level),
                    id.map(|id| id.to_string()),
                    String::new(),
                ));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, buffer)) = &mut current {
                    buffer.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, custom, text)) = current.take() {
                    let base = custom.unwrap_or_else(|| slug::heading_id(&text));
                    let mut id = base.clone();
                    let mut counter = 0;
                    while !used.insert(id.clone()) {
                        counter += 1;
                        id = format!("{base}-{counter}");
                    }
                    found.push(Heading {
                        level,
                        id,
                        text: text.trim().to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    found
}

/// Every link destination in a body, parsed as [`render`] parses it: the
/// only values `render` hands to [`LinkTargets::resolve`]. `djguide serve`
/// fingerprints a page's links with them to know when a cached render of
/// the page is still valid.
pub fn link_destinations(body: &str) -> Vec<String> {
    Parser::new_ext(body, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.into_string()),
            _ => None,
        })
        .collect()
}

/// Render a page body. `headings` must come from [`headings`] on the same body.
pub fn render(
    source: &SourceFile,
    headings: &[Heading],
    targets: &LinkTargets,
    highlighter: &Highlighter,
) -> (Rendered, Vec<Diagnostic>) {
    let body = source.body();
    let mut state = RenderState {
        source,
        targets,
        highlighter,
        diagnostics: Vec::new(),
        rendered: Rendered {
            headings: headings.to_vec(),
            sections: vec![Section::default()],
            ..Rendered::default()
        },
    };
    let mut events: Vec<Event> = Vec::new();
    let mut heading_index = 0;
    let mut parser = Parser::new_ext(body, options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let heading = headings
                    .get(heading_index)
                    .cloned()
                    .unwrap_or_else(|| Heading {
                        level: level_number(level),
                        id: format!("section-{heading_index}"),
                        text: String::new(),
                    });
                heading_index += 1;
                state.rendered.sections.push(Section {
                    heading_id: Some(heading.id.clone()),
                    heading: heading.text.clone(),
                    text: String::new(),
                    code: String::new(),
                });
                let mut inner = Vec::new();
                for (event, range) in parser.by_ref() {
                    if matches!(event, Event::End(TagEnd::Heading(_))) {
                        break;
                    }
                    inner.push(state.rewrite_inline(event, range));
                }
                state.push_text(" ");
                let mut inner_html = String::new();
                pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                let id = escape(&heading.id);
                events.push(Event::Html(CowStr::from(format!(
                    "<h{n} id=\"{id}\">{inner_html} <a class=\"heading-anchor\" href=\"#{id}\" aria-label=\"Permalink: {label}\">#</a></h{n}>\n",
                    n = heading.level,
                    label = escape(&heading.text),
                ))));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                for (event, _) in parser.by_ref() {
                    match event {
                        Event::Text(text) => code.push_str(&text),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                // Code is searchable too: readers look for the identifiers in it.
                if let Some(section) = state.rendered.sections.last_mut() {
                    section.code.push_str(&code);
                }
                let html = match kind {
                    CodeBlockKind::Fenced(info) => state.fenced_block(&info, &code, range),
                    CodeBlockKind::Indented => {
                        state.code_block(&CodeInfo::default(), &code, range, None)
                    }
                };
                events.push(Event::Html(CowStr::from(html)));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = callout(kind);
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                events.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Start(Tag::Table(alignments)) => {
                events.push(Event::Html(CowStr::from("<div class=\"table-wrap\">")));
                events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableRow | TagEnd::TableCell) => {
                state.push_text(" ");
                events.push(event);
            }
            event => {
                let event = state.rewrite_inline(event, range);
                events.push(event);
            }
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let mut rendered = state.rendered;
    rendered.html = html;
    for section in &mut rendered.sections {
        section.text = collapse_whitespace(&section.text);
    }
    rendered.sections.retain(|section| {
        section.heading_id.is_some() || !section.text.is_empty() || !section.code.is_empty()
    });
    (rendered, state.diagnostics)
}

struct RenderState<'a> {
    source: &'a SourceFile,
    targets: &'a LinkTargets,
    highlighter: &'a Highlighter,
    diagnostics: Vec<Diagnostic>,
    rendered: Rendered,
}

impl RenderState<'_> {
    /// Byte range in the body → diagnostic in the file.
    fn error(&self, range: Range<usize>, message: String, hint: Option<String>) -> Diagnostic {
        let start = self.source.body_start;
        Diagnostic::at(
            &self.source.path,
            &self.source.text,
            start + range.start..start + range.end,
            message,
        )
        .with_optional_hint(hint)
    }

    fn push_text(&mut self, text: &str) {
        if let Some(section) = self.rendered.sections.last_mut() {
            section.text.push_str(text);
        }
    }

    /// Events inside paragraphs and headings: links are resolved, text is
    /// recorded for search.
    fn rewrite_inline<'e>(&mut self, event: Event<'e>, range: Range<usize>) -> Event<'e> {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match self.targets.resolve(&self.source.key, &dest_url) {
                    Ok(Some(url)) => CowStr::from(url),
                    Ok(None) => dest_url,
                    Err(error) => {
                        let span = self.narrow_to(range, &dest_url);
                        let diagnostic = self.error(span, error.message, error.hint);
                        self.diagnostics.push(diagnostic);
                        dest_url
                    }
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                let text = text.to_string();
                self.push_text(&text);
                event
            }
            Event::SoftBreak | Event::HardBreak => {
                self.push_text(" ");
                event
            }
            other => other,
        }
    }

    /// The span of `needle` inside `range` of the body, or `range` itself.
    fn narrow_to(&self, range: Range<usize>, needle: &str) -> Range<usize> {
        let body = self.source.body();
        body.get(range.clone())
            .and_then(|slice| slice.rfind(needle))
            .filter(|_| !needle.is_empty())
            .map_or(range.clone(), |offset| {
                range.start + offset..range.start + offset + needle.len()
            })
    }

    fn fenced_block(&mut self, info_text: &str, code: &str, range: Range<usize>) -> String {
        let info_span = self.narrow_to(
            range.start..range.start + self.first_line_len(range.start),
            info_text,
        );
        match CodeInfo::parse(info_text) {
            Ok(info) => self.code_block(&info, code, range, Some(info_span)),
            Err(error) => {
                let span = info_span.start + error.span.start..info_span.start + error.span.end;
                let diagnostic = self.error(span, error.message, error.hint);
                self.diagnostics.push(diagnostic);
                String::new()
            }
        }
    }

    fn first_line_len(&self, start: usize) -> usize {
        let body = self.source.body();
        body[start.min(body.len())..]
            .find('\n')
            .unwrap_or(body.len() - start.min(body.len()))
    }

    fn code_block(
        &mut self,
        info: &CodeInfo,
        code: &str,
        range: Range<usize>,
        info_span: Option<Range<usize>>,
    ) -> String {
        let lang = info.lang.clone().unwrap_or_else(|| "text".into());
        let first_code_line = self.source.text[..self.source.body_start + range.start]
            .matches('\n')
            .count()
            + 2;
        if lang == OUTPUT_LANG {
            // An output belongs to the sample before it.
            let output = OutputBlock {
                line: first_code_line,
                django: info.django.clone(),
                norun: info.norun.clone(),
                text: code.to_string(),
            };
            match self.rendered.samples.last_mut() {
                Some(sample) => sample.outputs.push(output),
                None => self.rendered.loose_outputs.push(output),
            }
        } else {
            self.rendered.samples.push(CodeSample {
                lang,
                title: info.title.clone(),
                line: first_code_line,
                nocheck: info.nocheck,
                code: code.to_string(),
                run: info.run,
                norun: info.norun.clone(),
                sql: info.sql,
                django: info.django.clone(),
                outputs: Vec::new(),
            });
        }
        match self.highlighter.render(&CodeBlock { code, info }) {
            Ok(html) => html,
            Err(CodeError::UnknownLanguage { lang, hint }) => {
                let span = info_span
                    .map(|s| s.start + info.lang_span.start..s.start + info.lang_span.end)
                    .unwrap_or(range);
                let diagnostic = self.error(span, format!("unknown language `{lang}`"), Some(hint));
                self.diagnostics.push(diagnostic);
                String::new()
            }
            Err(CodeError::HighlightedLinePastEnd { line, lines }) => {
                let span = info_span
                    .map(|s| s.start + info.hl_lines_span.start..s.start + info.hl_lines_span.end)
                    .unwrap_or(range);
                let diagnostic = self.error(
                    span,
                    format!(
                        "`hl_lines` names line {line} but the block has {lines} line{}",
                        if lines == 1 { "" } else { "s" }
                    ),
                    Some(format!("highlight lines between 1 and {lines}")),
                );
                self.diagnostics.push(diagnostic);
                String::new()
            }
        }
    }
}

fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn source(body: &str) -> SourceFile {
        let text = format!("+++\ntitle = \"t\"\n+++\n{body}");
        SourceFile {
            path: PathBuf::from("content/orm/a.md"),
            key: "orm/a.md".into(),
            body_start: 19,
            text,
        }
    }

    fn targets() -> LinkTargets {
        let mut targets = LinkTargets::default();
        targets.pages.insert(
            "orm/b.md".into(),
            LinkTarget {
                url: "/orm/b/".into(),
                anchors: ["why".to_string()].into(),
            },
        );
        targets
    }

    fn render_body(body: &str) -> (Rendered, Vec<Diagnostic>) {
        let source = source(body);
        let headings = headings(source.body());
        render(&source, &headings, &targets(), &Highlighter::new())
    }

    #[test]
    fn headings_never_take_the_layout_ids() {
        let ids: Vec<_> = headings("## Main\n\n## Related\n")
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(ids, ["main-1", "related-1"]);
    }

    #[test]
    fn heading_ids_are_unique_and_custom_ids_win() {
        let found = headings("## Why\n\n## Why\n\n### `select_related()` {#sr}\n");
        let ids: Vec<_> = found.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["why", "why-1", "sr"]);
        assert_eq!(found[2].text, "select_related()");
    }

    #[test]
    fn renders_headings_links_callouts_and_tables() {
        let (rendered, diagnostics) = render_body(
            "## The fix\n\nSee [B](b.md#why) and [Django](https://djangoproject.com).\n\n> [!WARNING]\n> Careful.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done ~~no~~[^1]\n\n[^1]: Note.\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        insta::assert_snapshot!(rendered.html);
    }

    #[test]
    fn broken_links_are_located_in_the_file() {
        let (_, diagnostics) = render_body("Intro\n\nSee [x](missing.md) and [y](b.md#nope).\n");
        let lines: Vec<_> = diagnostics.iter().map(Diagnostic::headline).collect();
        assert_eq!(
            lines,
            [
                "content/orm/a.md:6:9: `missing.md` links to a page that does not exist (orm/missing.md)",
                "content/orm/a.md:6:29: heading `#nope` does not exist in orm/b.md",
            ]
        );
    }

    #[test]
    fn code_fences_go_through_the_highlighter_and_are_recorded() {
        let (rendered, diagnostics) =
            render_body("Text\n\n```python title=\"v.py\"\nx = 1\n```\n\n```output\n1\n```\n");
        assert!(diagnostics.is_empty());
        assert!(
            rendered
                .html
                .contains("<figcaption class=\"code-title\">v.py</figcaption>")
        );
        assert!(rendered.html.contains("class=\"code output\""));
        assert_eq!(rendered.samples.len(), 1);
        assert_eq!(rendered.samples[0].line, 7);
        assert_eq!(rendered.samples[0].code, "x = 1\n");
        assert_eq!(
            rendered.samples[0].outputs,
            [OutputBlock {
                line: 11,
                django: None,
                norun: None,
                text: "1\n".into()
            }]
        );
    }

    #[test]
    fn bad_fence_attributes_point_at_the_attribute() {
        let (_, diagnostics) =
            render_body("```python titel=\"x\"\nx\n```\n\n```py hl_lines=\"9\"\nx\n```\n");
        let lines: Vec<_> = diagnostics.iter().map(Diagnostic::headline).collect();
        assert_eq!(
            lines,
            [
                "content/orm/a.md:4:11: unknown code block attribute `titel`",
                "content/orm/a.md:8:7: `hl_lines` names line 9 but the block has 1 line",
            ]
        );
    }

    #[test]
    fn sections_collect_plain_text_for_search() {
        let (rendered, _) = render_body("Intro *text*.\n\n## Why `F()`\n\nBecause.\n");
        assert_eq!(rendered.sections.len(), 2);
        assert_eq!(rendered.sections[0].text, "Intro text.");
        assert_eq!(rendered.sections[1].heading, "Why F()");
        assert_eq!(rendered.sections[1].text, "Why F() Because.");
    }

    #[test]
    fn raw_html_passes_through_but_text_is_escaped() {
        let (rendered, _) = render_body("<kbd>Ctrl</kbd> and 1 < 2 & \"x\"\n");
        assert!(
            rendered
                .html
                .contains("<kbd>Ctrl</kbd> and 1 &lt; 2 &amp; \"x\""),
            "{}",
            rendered.html
        );
    }
}
