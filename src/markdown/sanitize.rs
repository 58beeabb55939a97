//! The content HTML policy: what raw HTML an author may write in Markdown,
//! and the sanitiser (ammonia) that enforces it.
//!
//! A page body with raw HTML in it is sanitised **as a whole**, after
//! pulldown-cmark has rendered it: an element the author opens in one HTML
//! block and closes in another (`<details>` … Markdown … `</details>`), or
//! inline tags that arrive as separate events (`<kbd>`, `Ctrl`, `</kbd>`),
//! are seen by the sanitiser as the browser will see them. The generator's
//! own markup (highlighted code, headings with their anchors, callouts, table
//! wrappers, task-list boxes) must not be touched, so it is held out in
//! *slots*: an empty element with an unguessable name stands in for it while
//! the sanitiser runs and is replaced by the real markup afterwards. A slot is
//! an element rather than a text marker so that it can only be restored where
//! an element can stand: a slot that an author's broken HTML swallows into an
//! attribute value or a comment is escaped or dropped, never restored there.
//!
//! Pages without raw HTML are not sanitised at all, so their output is
//! byte-for-byte what pulldown-cmark writes.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Range;

use crate::url_policy;

/// Elements an author may write. Anything else is removed; its content is
/// kept, except for [`CONTENT_REMOVED`].
#[rustfmt::skip]
pub const ALLOWED_ELEMENTS: &[&str] = &[
    // Text
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "ins",
    "kbd", "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub",
    "sup", "time", "u", "var", "wbr",
    // Blocks
    "blockquote", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "summary", "ul",
    // Tables
    "caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    // Images (with a safe `src`)
    "img",
];

/// Elements removed together with everything inside them (ammonia's default).
pub const CONTENT_REMOVED: &[&str] = &["script", "style"];

/// Attributes allowed on every allowed element.
pub const GENERIC_ATTRIBUTES: &[&str] = &["title", "lang", "dir"];

/// Attributes allowed on particular elements. `href` and `src` must also pass
/// [`url_policy::check`]; the starred ones are limited to the markup
/// pulldown-cmark itself writes (see [`attribute_value_allowed`]).
pub const ELEMENT_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href"]),
    ("img", &["src", "alt", "width", "height", "loading"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("del", &["datetime"]),
    ("ins", &["datetime"]),
    ("time", &["datetime"]),
    ("details", &["open"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("th", &["colspan", "rowspan", "scope", "style"]), // style*
    ("td", &["colspan", "rowspan", "style"]),          // style*
    ("div", &["id"]),                                  // id*
];

/// Classes allowed per element: only those of pulldown-cmark's footnotes.
pub const ELEMENT_CLASSES: &[(&str, &[&str])] = &[
    ("sup", &["footnote-reference", "footnote-definition-label"]),
    ("div", &["footnote-definition"]),
];

/// Table-cell alignment exactly as pulldown-cmark writes it for `:--:`.
const CELL_STYLES: &[&str] = &[
    "text-align: left",
    "text-align: center",
    "text-align: right",
];

/// What the policy does with one attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Keep,
    Remove,
    /// A URL attribute whose URL is refused.
    RemoveUrl(url_policy::UrlError),
}

pub fn element_allowed(name: &str) -> bool {
    ALLOWED_ELEMENTS.contains(&name)
}

/// The verdict on `attribute="value"` of an allowed `element`. `footnotes`
/// are the page's footnote names: pulldown-cmark writes them as `div` ids.
pub fn attribute_verdict(
    element: &str,
    attribute: &str,
    value: &str,
    footnotes: &BTreeSet<String>,
) -> Verdict {
    if attribute == "class" {
        let allowed = ELEMENT_CLASSES
            .iter()
            .find(|(name, _)| *name == element)
            .is_some_and(|(_, classes)| {
                value
                    .split_ascii_whitespace()
                    .all(|class| classes.contains(&class))
            });
        return if allowed {
            Verdict::Keep
        } else {
            Verdict::Remove
        };
    }
    let listed = GENERIC_ATTRIBUTES.contains(&attribute)
        || ELEMENT_ATTRIBUTES
            .iter()
            .any(|(name, attributes)| *name == element && attributes.contains(&attribute));
    if !listed {
        return Verdict::Remove;
    }
    if matches!(attribute, "href" | "src") {
        return match url_policy::check(value) {
            Ok(_) => Verdict::Keep,
            Err(error) => Verdict::RemoveUrl(error),
        };
    }
    if attribute_value_allowed(element, attribute, value, footnotes) {
        Verdict::Keep
    } else {
        Verdict::Remove
    }
}

/// The attributes allowed only with the values pulldown-cmark writes: cell
/// alignment (a `style` that can hold nothing else) and footnote ids (an
/// author-chosen `id` could shadow one the theme's script looks up).
fn attribute_value_allowed(
    element: &str,
    attribute: &str,
    value: &str,
    footnotes: &BTreeSet<String>,
) -> bool {
    match (element, attribute) {
        ("th" | "td", "style") => CELL_STYLES.contains(&value),
        ("div", "id") => footnotes.contains(value),
        _ => true,
    }
}

/// Sanitise a rendered page body. `slots` holds the generator's markup that
/// the body refers to; returns the clean HTML and the source spans of any
/// held markup that the author's HTML made disappear (an unclosed comment
/// or `<textarea>` before a code block, say).
pub fn sanitize(
    html: &str,
    slots: Slots,
    footnotes: &BTreeSet<String>,
) -> (String, Vec<Range<usize>>) {
    let clean = clean(html, Some(&slots.tag), footnotes);
    slots.restore(&clean)
}

/// Sanitise a fragment that holds no generator markup (a heading's text).
pub fn sanitize_fragment(html: &str, footnotes: &BTreeSet<String>) -> String {
    clean(html, None, footnotes)
}

fn clean(html: &str, slot_tag: Option<&str>, footnotes: &BTreeSet<String>) -> String {
    let mut tags: HashSet<&str> = ALLOWED_ELEMENTS.iter().copied().collect();
    let mut tag_attributes: HashMap<&str, HashSet<&str>> = ELEMENT_ATTRIBUTES
        .iter()
        .map(|(name, attributes)| (*name, attributes.iter().copied().collect()))
        .collect();
    if let Some(slot_tag) = slot_tag {
        tags.insert(slot_tag);
        tag_attributes.insert(slot_tag, HashSet::from([SLOT_ATTRIBUTE]));
    }
    let classes: HashMap<&str, HashSet<&str>> = ELEMENT_CLASSES
        .iter()
        .map(|(name, classes)| (*name, classes.iter().copied().collect()))
        .collect();
    ammonia::Builder::empty()
        .tags(tags)
        .clean_content_tags(CONTENT_REMOVED.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(tag_attributes)
        .allowed_classes(classes)
        .url_schemes(url_policy::ALLOWED_SCHEMES.into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        // pulldown-cmark writes no `rel`; adding one would change every link.
        .link_rel(None)
        .strip_comments(true)
        // ammonia has already checked the names; this adds the value rules
        // (and our own URL check on top of ammonia's).
        .attribute_filter({
            // The filter must own what it reads ('static).
            let footnotes = footnotes.clone();
            let slot_tag = slot_tag.map(str::to_string);
            move |element, attribute, value| {
                if slot_tag.as_deref() == Some(element) || attribute == "class" {
                    return Some(value.into());
                }
                (attribute_verdict(element, attribute, value, &footnotes) == Verdict::Keep)
                    .then(|| value.into())
            }
        })
        .clean(html)
        .to_string()
}

const SLOT_ATTRIBUTE: &str = "data-slot";

/// Generator markup held out of the sanitiser (see the module documentation).
pub struct Slots {
    /// `djguide-slot-<hash of the page body>`: an author cannot write the
    /// name without knowing the hash of the text that contains it.
    tag: String,
    held: Vec<(String, Range<usize>)>,
}

impl Slots {
    pub fn new(body: &str) -> Self {
        let mut hasher = std::hash::DefaultHasher::new();
        body.hash(&mut hasher);
        Slots {
            tag: format!("djguide-slot-{:016x}", hasher.finish()),
            held: Vec::new(),
        }
    }

    /// Hold `html` (from the body's `source` span); returns the element that
    /// stands in for it.
    pub fn hold(&mut self, mut html: String, source: Range<usize>) -> String {
        // pulldown-cmark starts the next block on a new line unless what it
        // wrote last ended one: a final newline stays outside the slot, so
        // the page is laid out exactly as with the markup in place.
        let newline = if html.ends_with('\n') {
            html.pop();
            "\n"
        } else {
            ""
        };
        let index = self.held.len();
        self.held.push((html, source));
        format!(
            "<{tag} {SLOT_ATTRIBUTE}=\"{index}\"></{tag}>{newline}",
            tag = self.tag
        )
    }

    /// Put the held markup back in place of its slots, each at most once.
    fn restore(self, clean: &str) -> (String, Vec<Range<usize>>) {
        let open = format!("<{} {SLOT_ATTRIBUTE}=\"", self.tag);
        let close = format!("\"></{}>", self.tag);
        let mut restored = vec![false; self.held.len()];
        let mut out =
            String::with_capacity(clean.len() + self.held.iter().map(|h| h.0.len()).sum::<usize>());
        let mut rest = clean;
        while let Some(start) = rest.find(&open) {
            out.push_str(&rest[..start]);
            let after = &rest[start + open.len()..];
            let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let index: Option<usize> = after[..digits].parse().ok();
            match index.filter(|&i| i < self.held.len() && !restored[i]) {
                Some(i) if after[digits..].starts_with(&close) => {
                    out.push_str(&self.held[i].0);
                    restored[i] = true;
                    rest = &after[digits + close.len()..];
                }
                _ => {
                    // Not one of ours as written: keep it, it is an inert element.
                    out.push_str(&open);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        let lost = self
            .held
            .into_iter()
            .zip(restored)
            .filter(|(_, restored)| !restored)
            .map(|((_, source), _)| source)
            .collect();
        (out, lost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean_page(html: &str) -> String {
        sanitize(html, Slots::new(html), &BTreeSet::new()).0
    }

    #[test]
    fn keeps_what_guides_use() {
        for html in [
            "<p><kbd>Ctrl</kbd> + <kbd>C</kbd></p>",
            "<details open=\"\"><summary>Why?</summary><p>Because.</p></details>",
            "<p>H<sub>2</sub>O, x<sup>2</sup>, <abbr title=\"Object-relational mapper\">ORM</abbr></p>",
            "<p><mark>new</mark> <del>old</del> <ins>added</ins><br>next</p>",
            "<table><thead><tr><th style=\"text-align: center\">a</th></tr></thead><tbody><tr><td colspan=\"2\">1</td></tr></tbody></table>",
            "<p><a href=\"https://djangoproject.com\" title=\"Django\">D</a> <a href=\"../x/\">x</a> <a href=\"#why\">w</a> <a href=\"mailto:a@b.c\">m</a></p>",
            "<p><img src=\"diagram.png\" alt=\"A diagram\" width=\"300\"></p>",
            "<dl><dt>term</dt><dd>definition</dd></dl>",
        ] {
            assert_eq!(clean_page(html), html);
        }
    }

    #[test]
    fn removes_script_handlers_styles_and_embeds() {
        assert_eq!(
            clean_page("<p>a<script>alert(1)</script>b</p>"),
            "<p>ab</p>"
        );
        assert_eq!(
            clean_page("<p onclick=\"x()\" style=\"color:red\" class=\"hero\" id=\"main\">a</p>"),
            "<p>a</p>"
        );
        assert_eq!(
            clean_page(
                "<img src=x onerror=alert(1)><style>*{}</style><iframe src=\"https://x\"></iframe><object data=x></object><embed src=x><form action=x><input name=q><button>go</button></form>"
            ),
            "<img src=\"x\">go"
        );
        assert_eq!(
            clean_page("<svg onload=alert(1)><circle></circle></svg><math><mi>x</mi></math>"),
            ""
        );
        assert_eq!(
            clean_page("<td style=\"text-align: left; background: url(x)\">"),
            ""
        );
        assert_eq!(
            clean_page("<table><tr><td style=\"color: red\">a</td></tr></table>"),
            "<table><tbody><tr><td>a</td></tr></tbody></table>"
        );
    }

    #[test]
    fn removes_unsafe_urls_however_disguised() {
        for href in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java&#x09;script:alert(1)",
            "java&Tab;script:alert(1)",
            "&#106;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            let html = format!("<a href=\"{href}\">x</a><img src=\"{href}\">");
            assert_eq!(clean_page(&html), "<a>x</a><img>", "{href}");
        }
    }

    #[test]
    fn footnote_markup_passes_only_as_pulldown_writes_it() {
        let footnotes = BTreeSet::from(["1".to_string()]);
        let html = "<p>a<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p>\n<div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup>\n<p>Note.</p>\n</div>\n";
        assert_eq!(sanitize(html, Slots::new(""), &footnotes).0, html);
        let forged = "<div class=\"footnote-definition hero\" id=\"search-input\">x</div>";
        assert_eq!(
            sanitize(forged, Slots::new(""), &footnotes).0,
            "<div class=\"footnote-definition\">x</div>"
        );
    }

    #[test]
    fn held_markup_is_restored_untouched_and_in_place() {
        let mut slots = Slots::new("body");
        let code = slots.hold(
            "<figure class=\"code\"><pre><span style=\"x\" onclick=\"kept\">1</span></pre></figure>\n".into(),
            10..20,
        );
        let html = format!("<details>\n<summary>S</summary>\n<p>text</p>\n{code}</details>\n");
        let (clean, lost) = sanitize(&html, slots, &BTreeSet::new());
        assert!(lost.is_empty());
        assert_eq!(
            clean,
            "<details>\n<summary>S</summary>\n<p>text</p>\n<figure class=\"code\"><pre><span style=\"x\" onclick=\"kept\">1</span></pre></figure>\n</details>\n"
        );
    }

    #[test]
    fn held_markup_swallowed_by_broken_html_is_reported_not_misplaced() {
        for broken in ["<!-- never closed", "<textarea>", "<p title=\"never closed"] {
            let mut slots = Slots::new(broken);
            let code = slots.hold("<pre>CODE</pre>".into(), 3..7);
            let (clean, lost) = sanitize(&format!("{broken}\n{code}"), slots, &BTreeSet::new());
            assert_eq!(lost, vec![(3..7)], "{broken}");
            assert!(!clean.contains("CODE"), "{broken}: {clean}");
        }
    }

    #[test]
    fn a_slot_written_by_the_author_is_not_restored() {
        let mut slots = Slots::new("x");
        let real = slots.hold("<pre>CODE</pre>".into(), 0..1);
        let forged =
            "<djguide-slot-0000000000000000 data-slot=\"0\"></djguide-slot-0000000000000000>";
        let (clean, _) = sanitize(&format!("{forged}{real}{real}"), slots, &BTreeSet::new());
        assert_eq!(clean.matches("CODE").count(), 1, "{clean}");
    }
}
