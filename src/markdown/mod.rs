//! Markdown to HTML with pulldown-cmark, in two passes.
//!
//! [`headings`] runs first on every page so that links can be checked against
//! every heading of the site; [`render`] then rewrites links, hands code
//! blocks to the highlighting stage, turns GitHub alerts into callouts and
//! gives headings ids and permalink anchors. Both passes parse with the same
//! options, so the n-th heading of one is the n-th heading of the other.
//!
//! Content is untrusted: link and image URLs must pass [`url_policy`], and
//! raw HTML is sanitised ([`sanitize`]) unless the site trusts its authors
//! ([`HtmlPolicy::Trust`]).

pub mod links;
mod raw_html;
pub mod sanitize;
pub mod version_notes;

use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, RefDefs,
    Tag, TagEnd,
};
use serde::Serialize;

use crate::content::SourceFile;
use crate::diagnostics::Diagnostic;
use crate::highlight::{CodeBlock, CodeError, CodeInfo, Highlighter, OUTPUT_LANG};
use crate::html::escape;
use crate::{slug, url_policy};
pub use links::{LinkTarget, LinkTargets};
use version_notes::Lead;
pub use version_notes::{Release, VersionNote};

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
    "changes-heading",
];

/// A heading with the id it is rendered with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
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

/// What becomes of raw HTML written in Markdown (`[markdown] unsafe_html`
/// in `site.toml`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum HtmlPolicy {
    /// Sanitised to the allowlist of [`sanitize`]; `check` warns about
    /// every removal.
    #[default]
    Sanitize,
    /// Passed through verbatim: for sites whose every author is trusted.
    Trust,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub sections: Vec<Section>,
    pub samples: Vec<CodeSample>,
    /// Output blocks with no sample before them on the page.
    pub loose_outputs: Vec<OutputBlock>,
    /// Callouts that say what a later release changed, in page order.
    pub version_notes: Vec<VersionNote>,
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
    policy: HtmlPolicy,
) -> (Rendered, Vec<Diagnostic>) {
    let body = source.body();
    let mut state = RenderState {
        source,
        targets,
        highlighter,
        policy,
        diagnostics: Vec::new(),
        rendered: Rendered {
            headings: headings.to_vec(),
            sections: vec![Section::default()],
            ..Rendered::default()
        },
        generated: Vec::new(),
        raw_html: Vec::new(),
        html_block: None,
        footnotes: BTreeSet::new(),
        removed_content: None,
        callouts: Vec::new(),
    };
    let mut events: Vec<Event> = Vec::new();
    let mut heading_index = 0;
    let mut parser = Parser::new_ext(body, options()).into_offset_iter();
    state.check_reference_definitions(parser.reference_definitions());
    while let Some((event, range)) = parser.next() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let inner: Vec<_> = parser
                    .by_ref()
                    .take_while(|(event, _)| !matches!(event, Event::End(TagEnd::Heading(_))))
                    .collect();
                let html = state.heading(heading_index, level, inner);
                heading_index += 1;
                state.generated(&mut events, html, range);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let code = code_text(&mut parser);
                // Code is searchable too: readers look for the identifiers in it.
                if let Some(section) = state.rendered.sections.last_mut() {
                    section.code.push_str(&code);
                }
                let html = match kind {
                    CodeBlockKind::Fenced(info) => state.fenced_block(&info, &code, range.clone()),
                    CodeBlockKind::Indented => {
                        state.code_block(&CodeInfo::default(), &code, range.clone(), None)
                    }
                };
                state.generated(&mut events, html, range);
            }
            event => {
                if let Some(event) = state.structure(&mut events, event, range.clone()) {
                    let event = state.rewrite_inline(event, range);
                    events.push(event);
                }
            }
        }
    }
    let html = state.finish(events);
    state.into_rendered(html)
}

/// The text of a code block, consuming its events up to the end.
fn code_text<'a>(events: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>) -> String {
    let mut code = String::new();
    for (event, _) in events {
        match event {
            Event::Text(text) => code.push_str(&text),
            Event::End(TagEnd::CodeBlock) => break,
            _ => {}
        }
    }
    code
}

struct RenderState<'a> {
    source: &'a SourceFile,
    targets: &'a LinkTargets,
    highlighter: &'a Highlighter,
    policy: HtmlPolicy,
    diagnostics: Vec<Diagnostic>,
    rendered: Rendered,
    /// The generator's markup: (index in the event list, HTML, source span).
    /// Placed by [`RenderState::finish`], in a slot if the page is sanitised.
    generated: Vec<(usize, String, Range<usize>)>,
    /// Every piece of raw HTML the author wrote, for the sanitiser's report.
    raw_html: Vec<raw_html::Fragment>,
    /// The HTML block being read, line by line.
    html_block: Option<raw_html::Fragment>,
    /// Footnote names: pulldown-cmark writes them as element ids.
    footnotes: BTreeSet<String>,
    /// Inside an inline `<script>` or `<style>` (its name): the sanitiser
    /// drops the text, so search must not index it either.
    removed_content: Option<&'static str>,
    /// The callouts being read, innermost last.
    callouts: Vec<OpenCallout>,
}

/// A callout whose end has not been read yet.
struct OpenCallout {
    /// Index of its placeholder in the event list.
    event: usize,
    /// Index of its opening markup in [`RenderState::generated`].
    generated: usize,
    class: &'static str,
    range: Range<usize>,
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

    /// Push a placeholder event for the generator's `html`, made from the
    /// body's `source` span; [`Self::finish`] fills it in.
    /// The generator's markup around blocks (callouts, table wrappers, task
    /// boxes) and the text search reads between cells and rows. Returns the
    /// event when it is none of those, for [`RenderState::rewrite_inline`].
    fn structure<'e>(
        &mut self,
        events: &mut Vec<Event<'e>>,
        event: Event<'e>,
        range: Range<usize>,
    ) -> Option<Event<'e>> {
        match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = callout(kind);
                let html = format!(
                    "<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
                );
                self.callouts.push(OpenCallout {
                    event: events.len(),
                    generated: self.generated.len(),
                    class,
                    range: range.clone(),
                });
                self.generated(events, html, range);
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                if let Some(open) = self.callouts.pop() {
                    self.close_callout(events, open);
                }
                self.generated(events, "</div>\n".into(), range);
            }
            Event::Start(Tag::Table(alignments)) => {
                self.generated(events, "<div class=\"table-wrap\">".into(), range);
                events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                self.generated(events, "</div>\n".into(), range);
            }
            // pulldown-cmark's own markup for the box, held out of the
            // sanitiser like the rest of the generator's (no `<input>` for authors).
            Event::TaskListMarker(checked) => {
                let checked = if checked { " checked=\"\"" } else { "" };
                let html = format!("<input disabled=\"\" type=\"checkbox\"{checked}/>\n");
                self.generated(events, html, range);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                self.removed_content = None;
                self.push_text(" ");
                events.push(event);
            }
            // A table row reads as its cells in search snippets:
            // `select_related · FK, one-to-one · 1;`.
            Event::End(TagEnd::TableCell) => {
                self.removed_content = None;
                self.push_text(" · ");
                events.push(event);
            }
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                self.removed_content = None;
                self.end_table_row();
                events.push(event);
            }
            event => return Some(event),
        }
        None
    }

    fn generated(&mut self, events: &mut Vec<Event<'_>>, html: String, source: Range<usize>) {
        self.generated.push((events.len(), html, source));
        events.push(Event::Html(CowStr::Borrowed("")));
    }

    /// The page's HTML. With raw HTML in the body (and the site not trusting
    /// it), the whole body is sanitised at once, the generator's markup held
    /// out in slots; see [`sanitize`] for why.
    fn finish(&mut self, mut events: Vec<Event<'_>>) -> String {
        let sanitizing = self.policy == HtmlPolicy::Sanitize && !self.raw_html.is_empty();
        let mut slots = sanitizing.then(|| sanitize::Slots::new(self.source.body()));
        for (index, html, source) in std::mem::take(&mut self.generated) {
            let html = match &mut slots {
                Some(slots) => slots.hold(html, source),
                None => html,
            };
            events[index] = Event::Html(CowStr::from(html));
        }
        let mut html = String::with_capacity(self.source.body().len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        let Some(slots) = slots else {
            return html;
        };
        for fragment in std::mem::take(&mut self.raw_html) {
            for finding in raw_html::removals(&fragment, &self.footnotes) {
                let warning = self.error(finding.span, finding.message, Some(finding.hint));
                self.diagnostics.push(warning.warning());
            }
        }
        let (clean, lost) = sanitize::sanitize(&html, slots, &self.footnotes);
        for span in lost {
            let warning = self.error(
                span,
                "this block disappears into the raw HTML before it".into(),
                Some("close every element and comment the raw HTML above opens, and use only allowed elements (README.md, \"Raw HTML\")".into()),
            );
            self.diagnostics.push(warning.warning());
        }
        clean
    }

    fn into_rendered(self, mut html: String) -> (Rendered, Vec<Diagnostic>) {
        // The site keeps every body until its page is written: without the
        // room these strings grew into, a large site needs a third less memory.
        html.shrink_to_fit();
        let mut rendered = self.rendered;
        rendered.html = html;
        for section in &mut rendered.sections {
            section.text = collapse_whitespace(&section.text);
            section.text.shrink_to_fit();
            section.code.shrink_to_fit();
        }
        rendered.sections.retain(|section| {
            section.heading_id.is_some() || !section.text.is_empty() || !section.code.is_empty()
        });
        (rendered, self.diagnostics)
    }

    /// A heading with its id and permalink. Its text is rendered apart from
    /// the page, so raw HTML in it is sanitised here.
    fn heading(
        &mut self,
        index: usize,
        level: HeadingLevel,
        inner: Vec<(Event<'_>, Range<usize>)>,
    ) -> String {
        let heading = self
            .rendered
            .headings
            .get(index)
            .cloned()
            .unwrap_or_else(|| Heading {
                level: level_number(level),
                id: format!("section-{index}"),
                text: String::new(),
            });
        self.rendered.sections.push(Section {
            heading_id: Some(heading.id.clone()),
            heading: heading.text.clone(),
            text: String::new(),
            code: String::new(),
        });
        let has_raw_html = inner
            .iter()
            .any(|(event, _)| matches!(event, Event::InlineHtml(_)));
        let inner: Vec<Event> = inner
            .into_iter()
            .map(|(event, range)| self.rewrite_inline(event, range))
            .collect();
        self.push_text(" ");
        let mut inner_html = String::new();
        pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
        if has_raw_html && self.policy == HtmlPolicy::Sanitize {
            inner_html = sanitize::sanitize_fragment(&inner_html, &self.footnotes);
        }
        let id = escape(&heading.id);
        format!(
            "<h{n} id=\"{id}\">{inner_html} <a class=\"heading-anchor\" href=\"#{id}\" aria-label=\"Permalink: {label}\">#</a></h{n}>\n",
            n = heading.level,
            label = escape(&heading.text),
        )
    }

    /// Reference definitions (`[name]: url`) are checked where they are
    /// written, whether or not a link uses them.
    fn check_reference_definitions(&mut self, definitions: &RefDefs<'_>) {
        let mut definitions: Vec<_> = definitions.iter().map(|(_, def)| def).collect();
        definitions.sort_by_key(|def| def.span.start);
        for definition in definitions {
            self.check_url(
                LinkType::Inline,
                &definition.dest,
                definition.span.clone(),
                "link URL",
            );
        }
    }

    /// Report a refused link or image URL; `true` if it is allowed.
    fn check_url(
        &mut self,
        link_type: LinkType,
        url: &str,
        range: Range<usize>,
        what: &str,
    ) -> bool {
        // A reference-style link's URL was checked at its definition.
        if matches!(
            link_type,
            LinkType::Reference
                | LinkType::ReferenceUnknown
                | LinkType::Collapsed
                | LinkType::CollapsedUnknown
                | LinkType::Shortcut
                | LinkType::ShortcutUnknown
        ) {
            return true;
        }
        let Err(error) = url_policy::check(url) else {
            return true;
        };
        let (message, hint) = error.describe(what, url);
        let span = self.url_span(range, url);
        let diagnostic = self.error(span, message, Some(hint));
        self.diagnostics.push(diagnostic);
        false
    }

    /// Where `url` is written inside a link, image or definition at `range`.
    /// A URL written with entities or escapes is not there as parsed, so
    /// point at where the destination starts instead.
    fn url_span(&self, range: Range<usize>, url: &str) -> Range<usize> {
        let narrowed = self.narrow_to(range.clone(), url);
        let Some(written) = self.source.body().get(range.clone()) else {
            return narrowed;
        };
        if narrowed != range || url.is_empty() {
            return narrowed;
        }
        let after = |marker: &str| written.rfind(marker).map(|i| i + marker.len());
        let start = after("](")
            .or_else(|| after("]:"))
            .unwrap_or(usize::from(written.starts_with('<')));
        let rest = &written[start..];
        let rest_start =
            start + (rest.len() - rest.trim_start_matches([' ', '\t', '\n', '<']).len());
        let length = written[rest_start..]
            .find(|c: char| c.is_whitespace() || c == ')' || c == '>')
            .unwrap_or(written.len() - rest_start);
        range.start + rest_start..range.start + rest_start + length
    }

    /// Follow inline `<script>` … `</script>` (and `<style>`): inline tags
    /// arrive one event each, with the text between them as Markdown text.
    fn track_removed_content(&mut self, tag: &str) {
        let lower = tag.to_ascii_lowercase();
        let name_at = |prefix: &str, name: &str| {
            lower
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix(name))
                .is_some_and(|rest| {
                    rest.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/')
                })
        };
        for name in sanitize::CONTENT_REMOVED {
            if name_at("<", name) {
                self.removed_content = Some(name);
            } else if name_at("</", name) && self.removed_content == Some(name) {
                self.removed_content = None;
            }
        }
    }

    fn push_text(&mut self, text: &str) {
        if let Some(section) = self.rendered.sections.last_mut() {
            section.text.push_str(text);
        }
    }

    /// Every event the other arms of [`render`] leave alone: links are
    /// checked and resolved, image URLs checked, raw HTML collected for the
    /// sanitiser's report, text recorded for search.
    fn rewrite_inline<'e>(&mut self, event: Event<'e>, range: Range<usize>) -> Event<'e> {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let allowed = self.check_url(link_type, &dest_url, range.clone(), "link URL");
                let resolved = if allowed {
                    self.targets.resolve(&self.source.key, &dest_url)
                } else {
                    Ok(None)
                };
                let dest_url = match resolved {
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
                if self.removed_content.is_none() {
                    let text = text.to_string();
                    self.push_text(&text);
                }
                event
            }
            Event::SoftBreak | Event::HardBreak => {
                self.push_text(" ");
                event
            }
            Event::Start(Tag::Image {
                link_type,
                ref dest_url,
                ..
            }) => {
                self.check_url(link_type, dest_url, range, "image URL");
                event
            }
            Event::Start(Tag::FootnoteDefinition(ref name)) => {
                self.footnotes.insert(name.to_string());
                event
            }
            Event::Start(Tag::HtmlBlock) => {
                self.html_block = Some(raw_html::Fragment::default());
                event
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(block) = self.html_block.take().filter(|b| !b.is_empty()) {
                    self.raw_html.push(block);
                }
                event
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                if matches!(event, Event::InlineHtml(_)) && self.policy == HtmlPolicy::Sanitize {
                    self.track_removed_content(html);
                }
                match &mut self.html_block {
                    Some(block) if matches!(event, Event::Html(_)) => block.push(html, range.start),
                    _ => {
                        let mut fragment = raw_html::Fragment::default();
                        fragment.push(html, range.start);
                        self.raw_html.push(fragment);
                    }
                }
                event
            }
            other => other,
        }
    }

    /// The span of `needle` inside `range` of the body, or `range` itself.
    /// Replace the separator after a row's last cell with the row's end.
    fn end_table_row(&mut self) {
        if let Some(section) = self.rendered.sections.last_mut() {
            let kept = section
                .text
                .trim_end()
                .trim_end_matches('·')
                .trim_end()
                .len();
            section.text.truncate(kept);
            section.text.push_str("; ");
        }
    }

    /// At the end of a callout: one that opens with a version lead
    /// (`**Changed in Django 6.0:**`) becomes a version note, the lead its
    /// title, with an anchor; see [`version_notes`].
    fn close_callout(&mut self, events: &mut [Event<'_>], open: OpenCallout) {
        let lead_at = open.event + 2;
        let lead = match events.get(open.event + 1..lead_at + 3) {
            Some(
                [
                    Event::Start(Tag::Paragraph),
                    Event::Start(Tag::Strong),
                    Event::Text(lead),
                    Event::End(TagEnd::Strong),
                ],
            ) => lead.to_string(),
            _ => return,
        };
        let (change, release) = match version_notes::parse_lead(&lead) {
            Lead::Other => return,
            Lead::Malformed => {
                let span = self.first_in(open.range, &lead);
                let diagnostic = self.error(
                    span,
                    format!("`{}` is not a version note's lead", lead.trim()),
                    Some(version_notes::expected_form()),
                );
                self.diagnostics.push(diagnostic);
                return;
            }
            Lead::Note { change, release } => (change, release),
        };
        // The lead moves into the title; the text after it loses its colon.
        for event in &mut events[lead_at..lead_at + 3] {
            *event = Event::Text(CowStr::Borrowed(""));
        }
        if let Some(Event::Text(text)) = events.get_mut(lead_at + 3) {
            let rest = text.trim_start_matches(|c: char| c == ':' || c.is_whitespace());
            *text = CowStr::from(rest.to_string());
        }
        // One release per note: a second lead would be listed under the
        // first note's release on the changes page.
        for pair in events[lead_at + 3..].windows(2) {
            if let [Event::Start(Tag::Strong), Event::Text(second)] = pair
                && matches!(version_notes::parse_lead(second), Lead::Note { .. })
            {
                let span = self.first_in(open.range.clone(), second);
                let diagnostic = self.error(
                    span,
                    format!("a second version lead `{}` in one note", second.trim()),
                    Some("give each release its own `> [!NOTE]` callout".into()),
                );
                self.diagnostics.push(diagnostic);
            }
        }
        let label = format!("{change} in {}", release.label());
        let id = self.unique_note_id(&version_notes::base_id(&change, &release));
        self.generated[open.generated].1 = format!(
            "<div class=\"callout callout-{} callout-version\" role=\"note\" id=\"{id}\"><p class=\"callout-title\">{}</p>\n",
            open.class,
            escape(&label)
        );
        let html = inline_html(&events[lead_at + 3..]);
        self.rendered.version_notes.push(VersionNote {
            id,
            label,
            release,
            html,
        });
    }

    /// `base`, or `base-2`, `base-3`... if a heading or an earlier note has it.
    fn unique_note_id(&self, base: &str) -> String {
        let taken = |id: &str| {
            self.rendered.headings.iter().any(|h| h.id == id)
                || self.rendered.version_notes.iter().any(|n| n.id == id)
        };
        let mut id = base.to_string();
        let mut counter = 1;
        while taken(&id) {
            counter += 1;
            id = format!("{base}-{counter}");
        }
        id
    }

    /// The span of the first `needle` inside `range`, or `range`.
    fn first_in(&self, range: Range<usize>, needle: &str) -> Range<usize> {
        self.span_of(range, needle.trim(), |slice, needle| slice.find(needle))
    }

    /// The span of the last `needle` inside `range`, or `range`.
    fn narrow_to(&self, range: Range<usize>, needle: &str) -> Range<usize> {
        self.span_of(range, needle, |slice, needle| slice.rfind(needle))
    }

    fn span_of(
        &self,
        range: Range<usize>,
        needle: &str,
        search: fn(&str, &str) -> Option<usize>,
    ) -> Range<usize> {
        self.source
            .body()
            .get(range.clone())
            .and_then(|slice| search(slice, needle))
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
            Err(error) => {
                let attribute = match error {
                    CodeError::UnknownLanguage { .. } => &info.lang_span,
                    CodeError::HighlightedLinePastEnd { .. } => &info.hl_lines_span,
                };
                let span = info_span
                    .map(|s| s.start + attribute.start..s.start + attribute.end)
                    .unwrap_or(range);
                let (message, hint) = error.describe("block");
                let diagnostic = self.error(span, message, Some(hint));
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

/// Text and inline code of `events` as HTML, everything else dropped: a
/// note's words, shown again outside its page.
fn inline_html(events: &[Event<'_>]) -> String {
    let mut html = String::new();
    for event in events {
        match event {
            Event::Text(text) => html.push_str(&escape(text)),
            Event::Code(code) => {
                html.push_str("<code>");
                html.push_str(&escape(code));
                html.push_str("</code>");
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => html.push(' '),
            _ => {}
        }
    }
    collapse_whitespace(&html)
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
        render_with(body, HtmlPolicy::Sanitize)
    }

    fn render_with(body: &str, policy: HtmlPolicy) -> (Rendered, Vec<Diagnostic>) {
        let source = source(body);
        let headings = headings(source.body());
        render(&source, &headings, &targets(), &Highlighter::new(), policy)
    }

    /// In file order, as the build reports them.
    fn headlines(diagnostics: &[Diagnostic]) -> Vec<String> {
        let mut sorted = crate::diagnostics::Diagnostics::default();
        sorted.extend(diagnostics.iter().cloned());
        sorted.sorted().iter().map(Diagnostic::headline).collect()
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
    fn a_version_note_takes_its_lead_as_title_and_gets_an_anchor() {
        let (rendered, diagnostics) = render_body(
            "## Changed in Django 6.0 {#changed-in-django-6-0}\n\n> [!NOTE]\n> **Changed in Django 6.0:** `DEFAULT_AUTO_FIELD`\n> defaults to 1 < 2 & 3.\n\n> [!TIP]\n> **Changed in Django 6.0:** again.\n\n> [!NOTE]\n> **Careful:** an ordinary callout.\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            rendered.html,
            "<h2 id=\"changed-in-django-6-0\">Changed in Django 6.0 <a class=\"heading-anchor\" href=\"#changed-in-django-6-0\" aria-label=\"Permalink: Changed in Django 6.0\">#</a></h2>\n\
             <div class=\"callout callout-note callout-version\" role=\"note\" id=\"changed-in-django-6-0-2\"><p class=\"callout-title\">Changed in Django 6.0</p>\n\
             <p><code>DEFAULT_AUTO_FIELD</code>\ndefaults to 1 &lt; 2 &amp; 3.</p>\n</div>\n\
             <div class=\"callout callout-tip callout-version\" role=\"note\" id=\"changed-in-django-6-0-3\"><p class=\"callout-title\">Changed in Django 6.0</p>\n\
             <p>again.</p>\n</div>\n\
             <div class=\"callout callout-note\" role=\"note\"><p class=\"callout-title\">Note</p>\n\
             <p><strong>Careful:</strong> an ordinary callout.</p>\n</div>\n"
        );
        let notes: Vec<_> = rendered
            .version_notes
            .iter()
            .map(|n| {
                (
                    n.id.as_str(),
                    n.label.as_str(),
                    n.release.key(),
                    n.html.as_str(),
                )
            })
            .collect();
        assert_eq!(
            notes,
            [
                (
                    "changed-in-django-6-0-2",
                    "Changed in Django 6.0",
                    "django-6.0".to_string(),
                    "<code>DEFAULT_AUTO_FIELD</code> defaults to 1 &lt; 2 &amp; 3."
                ),
                (
                    "changed-in-django-6-0-3",
                    "Changed in Django 6.0",
                    "django-6.0".to_string(),
                    "again."
                ),
            ]
        );
    }

    #[test]
    fn one_note_names_one_release() {
        let (_, diagnostics) = render_body(
            "Intro\n\n> [!NOTE]\n> **Changed in Django 6.0:** one.\n>\n> **Changed in Django 6.1:** two.\n",
        );
        assert_eq!(
            headlines(&diagnostics),
            ["content/orm/a.md:9:5: a second version lead `Changed in Django 6.1:` in one note"]
        );
    }

    #[test]
    fn a_malformed_version_lead_is_an_error_at_the_lead() {
        let (rendered, diagnostics) =
            render_body("Intro\n\n> [!NOTE]\n> **Changed in Django 6:** text.\n");
        assert_eq!(
            headlines(&diagnostics),
            ["content/orm/a.md:7:5: `Changed in Django 6:` is not a version note's lead"]
        );
        assert!(
            diagnostics[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("**Changed in Django 6.0:**")
        );
        assert!(rendered.version_notes.is_empty());
    }

    #[test]
    fn a_table_reads_as_rows_of_cells_in_search_text() {
        let (rendered, _) = render_body(
            "## The fix\n\n| Tool | Relation |\n|---|---|\n| `select_related` | FK |\n| `prefetch_related` | M2M |\n\nAfter.\n",
        );
        assert_eq!(
            rendered.sections[0].text,
            "The fix Tool · Relation; select_related · FK; prefetch_related · M2M; After."
        );
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
    fn allowed_raw_html_passes_through_but_text_is_escaped() {
        let (rendered, diagnostics) = render_body("<kbd>Ctrl</kbd> and 1 < 2 & \"x\"\n");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert!(
            rendered
                .html
                .contains("<kbd>Ctrl</kbd> and 1 &lt; 2 &amp; \"x\""),
            "{}",
            rendered.html
        );
    }

    /// Raw HTML around Markdown, code, a callout, a table, a task list and a
    /// footnote: the author's elements stay where the browser would put
    /// them, the generator's markup comes out exactly as without raw HTML.
    #[test]
    fn raw_html_is_sanitised_with_the_page_as_one_document() {
        let body = "Press <kbd>Ctrl</kbd>+<kbd onclick=\"x()\">C</kbd>.<script>alert(1)</script>\n\n<details>\n<summary>Why <em>this</em>?</summary>\n\nBecause **Markdown** works inside[^n].\n\n```python\nx = \"<script>\"\n```\n\n> [!TIP]\n> A <mark>tip</mark>.\n\n| a | b |\n|:-:|--:|\n| <sup>1</sup> | 2 |\n\n- [x] done\n\n</details>\n\n[^n]: A note.\n";
        let (rendered, diagnostics) = render_body(body);
        assert_eq!(
            headlines(&diagnostics),
            [
                "content/orm/a.md:4:28: attribute `onclick` is removed from `<kbd>`",
                "content/orm/a.md:4:50: raw HTML element `<script>` is removed with its content",
            ]
        );
        assert!(
            diagnostics
                .iter()
                .all(|d| d.severity == crate::diagnostics::Severity::Warning)
        );
        insta::assert_snapshot!(rendered.html);

        // Without the raw HTML, the generator's markup is the same bytes.
        let (plain, _) = render_body(
            "```python\nx = \"<script>\"\n```\n\n> [!TIP]\n> A tip.\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n- [x] done\n",
        );
        for generated in [
            plain.html.split("</figure>").next().unwrap(),
            "<div class=\"callout callout-tip\" role=\"note\"><p class=\"callout-title\">Tip</p>",
            "<div class=\"table-wrap\"><table><thead><tr><th style=\"text-align: center\">a</th><th style=\"text-align: right\">b</th>",
            "<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\ndone</li>",
        ] {
            assert!(
                plain.html.contains(generated),
                "{generated}\n{}",
                plain.html
            );
            assert!(
                rendered.html.contains(generated),
                "{generated}\n{}",
                rendered.html
            );
        }
    }

    #[test]
    fn raw_html_in_headings_is_sanitised_and_the_anchor_kept() {
        let (rendered, diagnostics) =
            render_body("## Press <kbd>Esc</kbd><img src=x onerror=alert(1)>\n\nText.\n");
        assert_eq!(
            headlines(&diagnostics),
            ["content/orm/a.md:4:35: attribute `onerror` is removed from `<img>`"]
        );
        assert_eq!(
            rendered.html,
            "<h2 id=\"press-esc\">Press <kbd>Esc</kbd><img src=\"x\"> <a class=\"heading-anchor\" href=\"#press-esc\" aria-label=\"Permalink: Press Esc\">#</a></h2>\n<p>Text.</p>\n"
        );
    }

    #[test]
    fn every_removal_is_located() {
        let (rendered, diagnostics) = render_body(
            "> <div style=\"color: red\">\n> <iframe src=\"https://evil.example\"></iframe>\n\n- <a href=\"JaVaScRiPt:alert(1)\" title=\"t\">x</a>\n- <form action=\"/x\"><input name=\"q\"></form>\n",
        );
        assert_eq!(
            headlines(&diagnostics),
            [
                "content/orm/a.md:4:8: attribute `style` is removed from `<div>`",
                "content/orm/a.md:5:3: raw HTML element `<iframe>` is removed",
                "content/orm/a.md:7:6: attribute `href` is removed from `<a>`: URL `JaVaScRiPt:alert(1)` has the scheme `javascript:`, which is not allowed",
                "content/orm/a.md:8:3: raw HTML element `<form>` is removed",
                "content/orm/a.md:8:21: raw HTML element `<input>` is removed",
            ]
        );
        for gone in [
            "style=",
            "<iframe",
            "javascript",
            "JaVaScRiPt",
            "<form",
            "<input",
        ] {
            assert!(!rendered.html.contains(gone), "{gone}: {}", rendered.html);
        }
        assert!(
            rendered.html.contains("<a title=\"t\">x</a>"),
            "{}",
            rendered.html
        );
    }

    #[test]
    fn a_block_lost_in_broken_raw_html_is_reported() {
        // The HTML block ends at the blank line, the attribute value does not.
        let (rendered, diagnostics) =
            render_body("<div title=\"unclosed\n\n```python\nx = 1\n```\n");
        assert_eq!(
            headlines(&diagnostics),
            ["content/orm/a.md:6:1: this block disappears into the raw HTML before it"]
        );
        assert!(!rendered.html.contains("x = 1"), "{}", rendered.html);
    }

    #[test]
    fn removed_script_text_is_not_indexed_for_search() {
        let (rendered, _) = render_body(
            "Before <script>window.__pwned = 1</script> after <STYLE>p{}</STYLE>.\n\nNext <kbd>k</kbd>.\n",
        );
        assert_eq!(rendered.sections[0].text, "Before after . Next k.");
    }

    #[test]
    fn trusted_raw_html_passes_verbatim() {
        let body = "<script>alert(1)</script>\n\nA <b onclick=\"x()\">b</b>.\n";
        let (rendered, diagnostics) = render_with(body, HtmlPolicy::Trust);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            rendered.html,
            "<script>alert(1)</script>\n<p>A <b onclick=\"x()\">b</b>.</p>\n"
        );
    }

    #[test]
    fn link_and_image_urls_must_be_web_mail_or_relative() {
        let body = "[a](javascript:alert(1)) [b](<JaVaScRiPt:alert(1)>) ![c](data:image/png;base64,AAAA)\n\n[d](java&#x09;script:alert(1)) <javascript:alert(1)> [e][r] [f](#top) [g](mailto:a@b.c) <a@b.c>\n\n[r]: vbscript:msgbox(1)\n[unused]: file:///etc/passwd\n";
        for policy in [HtmlPolicy::Sanitize, HtmlPolicy::Trust] {
            let (_, diagnostics) = render_with(body, policy);
            assert_eq!(
                headlines(&diagnostics),
                [
                    "content/orm/a.md:4:5: link URL `javascript:alert(1)` has the scheme `javascript:`, which is not allowed",
                    "content/orm/a.md:4:31: link URL `JaVaScRiPt:alert(1)` has the scheme `javascript:`, which is not allowed",
                    "content/orm/a.md:4:58: image URL `data:image/png;base64,AAAA` has the scheme `data:`, which is not allowed",
                    "content/orm/a.md:6:5: link URL `java\\tscript:alert(1)` has the scheme `javascript:`, which is not allowed",
                    "content/orm/a.md:6:33: link URL `javascript:alert(1)` has the scheme `javascript:`, which is not allowed",
                    "content/orm/a.md:8:6: link URL `vbscript:msgbox(1)` has the scheme `vbscript:`, which is not allowed",
                    "content/orm/a.md:9:11: link URL `file:///etc/passwd` has the scheme `file:`, which is not allowed",
                ],
                "{policy:?}"
            );
            assert!(
                diagnostics
                    .iter()
                    .all(|d| d.hint.as_deref() == Some(url_policy::HINT))
            );
        }
    }
}
