//! The code-block stage: every fenced block and `[[samples]]` file passes
//! through [`Highlighter::render`], which returns the finished HTML.
//!
//! Output shape (the theme styles it; line numbers are CSS counters so they
//! are never selected or copied with the code):
//!
//! ```html
//! <figure class="code" data-lang="python">
//!   <figcaption class="code-title">views.py</figcaption>
//!   <pre class="code-block linenos"><code class="language-python">
//!     <span class="line">…</span><span class="line hl">…</span>
//!   </code></pre>
//! </figure>
//! ```

mod cache;
mod classes;
pub mod info;
mod lines;
mod theme_css;

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};

pub use cache::{CacheFiles, DEFAULT_DIR as DEFAULT_CACHE_DIR};
pub use classes::Palette;
use classes::TokenStyle;
pub use info::{CodeInfo, InfoError};
pub use theme_css::{ThemeError, palette, stylesheet};

use crate::config::{HighlightConfig, VerifiedVersions};
use crate::html::{escape, escape_text};
use crate::languages;

/// Fences whose content is a program's output rather than code.
pub const OUTPUT_LANG: &str = "output";

/// Loaded on first use and shared by every thread: loading the syntax
/// definitions costs tens of milliseconds, so a build without code pays nothing.
pub(crate) fn syntax_set() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
}

/// A code block ready to render.
#[derive(Debug, Clone)]
pub struct CodeBlock<'a> {
    pub code: &'a str,
    pub info: &'a CodeInfo,
}

/// Why a block could not be rendered; the Markdown stage adds the location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    HighlightedLinePastEnd { line: usize, lines: usize },
    UnknownLanguage { lang: String, hint: String },
}

impl CodeError {
    /// The message and hint every caller reports; `what` names the code
    /// (`block` for a fence, `file` for a `[[samples]]` file).
    pub fn describe(&self, what: &str) -> (String, String) {
        match self {
            CodeError::UnknownLanguage { lang, hint } => {
                (format!("unknown language `{lang}`"), hint.clone())
            }
            CodeError::HighlightedLinePastEnd { line, lines } => (
                format!(
                    "`hl_lines` names line {line} but the {what} has {lines} line{}",
                    if *lines == 1 { "" } else { "s" }
                ),
                format!("highlight lines between 1 and {lines}"),
            ),
        }
    }
}

/// Renders code blocks to HTML with syntax highlighting done at build time.
///
/// Parsing with syntect is most of a build's work, and the same snippet often
/// appears on several pages (an install command, a settings block), so each
/// rendered block is remembered by its exact code and fence attributes, and
/// kept on disk between builds with [`Highlighter::with_disk_cache`].
#[derive(Debug)]
pub struct Highlighter {
    /// Every block this build rendered or found, by [`cache::key`].
    rendered: Mutex<cache::Entries>,
    /// Every line this build highlighted, by its text and parser state.
    lines: lines::LineMemo,
    disk: Option<cache::DiskCache>,
    /// What besides the block shapes its HTML (with a disk cache; 0 otherwise).
    fingerprint: u128,
    /// The versions `run` samples are marked as having run on.
    verified_with: Vec<VerifiedVersions>,
    /// Token classes of the configured themes.
    palette: Arc<Palette>,
}

impl Default for Highlighter {
    /// A highlighter with the default themes' classes.
    fn default() -> Self {
        let themes = HighlightConfig::default();
        let palette = palette(themes.light_theme.get_ref(), themes.dark_theme.get_ref())
            .expect("the default highlighting themes exist");
        Highlighter::configured(palette, Vec::new())
    }
}

/// How a language is rendered.
enum Grammar {
    Plain,
    Syntax(&'static SyntaxReference),
}

impl Highlighter {
    pub fn new() -> Self {
        Highlighter::default()
    }

    /// A highlighter that marks `run` samples with the versions the test
    /// suite runs them on (`[samples] verified_with` in `site.toml`).
    pub fn with_verified_versions(verified_with: Vec<VerifiedVersions>) -> Self {
        Highlighter {
            verified_with,
            ..Highlighter::default()
        }
    }

    /// Check a fence's language without rendering anything.
    pub fn check_language(&self, lang: &str) -> Result<(), CodeError> {
        self.grammar(lang).map(|_| ())
    }

    /// Classes tokens by the looks of `palette`'s themes (the configured
    /// ones; the stylesheet must come from the same palette).
    /// A highlighter for the configured themes' classes: the build's, made
    /// without first computing the default themes' classes.
    pub fn configured(palette: Arc<Palette>, verified_with: Vec<VerifiedVersions>) -> Self {
        Highlighter {
            rendered: Mutex::default(),
            lines: lines::LineMemo::default(),
            disk: None,
            fingerprint: 0,
            verified_with,
            palette,
        }
    }

    /// Read highlighted blocks from the cache in `dir` and keep them there
    /// ([`Highlighter::save_disk_cache`]). `full_build`: this build renders
    /// every page, so blocks it does not use are dropped from the cache.
    /// `files`: what earlier builds of this process read or wrote, which
    /// spares reading the file again while it is unchanged (`serve`).
    pub fn with_disk_cache(self, dir: &Path, full_build: bool, files: Option<CacheFiles>) -> Self {
        let fingerprint = cache::fingerprint(&self.palette, &self.verified_with);
        Highlighter {
            disk: Some(cache::DiskCache::new(dir, fingerprint, full_build, files)),
            fingerprint,
            ..self
        }
    }

    /// Write the blocks of this build to the disk cache, if there is one and
    /// it changed. Never fails the build: a cache that cannot be written is
    /// rendered again next time.
    pub fn save_disk_cache(&self) {
        if let Some(disk) = &self.disk {
            disk.save(&self.memo());
        }
    }

    fn grammar(&self, lang: &str) -> Result<Grammar, CodeError> {
        let syntaxes = syntax_set();
        let syntax = match languages::find(lang).map(|language| language.grammar) {
            _ if lang.is_empty() => return Ok(Grammar::Plain),
            Some(languages::Grammar::Plain) => return Ok(Grammar::Plain),
            Some(languages::Grammar::Syntax(name)) => syntaxes.find_syntax_by_name(name),
            None => syntaxes.find_syntax_by_token(lang),
        };
        syntax
            .map(Grammar::Syntax)
            .ok_or_else(|| CodeError::UnknownLanguage {
                lang: lang.to_string(),
                hint: match crate::diagnostics::did_you_mean(lang, languages::known_names()) {
                    Some(best) => format!("did you mean `{best}`? Use `text` for no highlighting"),
                    None => format!(
                        "known languages include {}",
                        crate::diagnostics::quoted_list(languages::known_names())
                    ),
                },
            })
    }

    pub fn render(&self, block: &CodeBlock) -> Result<String, CodeError> {
        let key = cache::key(self.fingerprint, &(block.code, block.info));
        if let Some(html) = self.memo().get(&key) {
            return Ok(html.to_string());
        }
        let html = match self.disk.as_ref().and_then(|disk| disk.get(key)) {
            Some(html) => html,
            None => Arc::from(self.render_uncached(block)?),
        };
        self.memo().insert(key, Arc::clone(&html));
        Ok(html.to_string())
    }

    fn memo(&self) -> std::sync::MutexGuard<'_, cache::Entries> {
        // The map is only ever inserted into: a poisoned lock still holds a
        // consistent map.
        self.rendered
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn render_uncached(&self, block: &CodeBlock) -> Result<String, CodeError> {
        let code = block.code.strip_suffix('\n').unwrap_or(block.code);
        let lines: Vec<&str> = code.split('\n').map(|l| l.trim_end_matches('\r')).collect();
        if let Some(last) = block.info.last_highlighted_line()
            && last > lines.len()
        {
            return Err(CodeError::HighlightedLinePastEnd {
                line: last,
                lines: lines.len(),
            });
        }
        let lang = block.info.lang.as_deref().unwrap_or("text");
        let grammar = self.grammar(lang)?;
        let is_output = lang == OUTPUT_LANG;
        let is_diff = matches!(lang, "diff" | "patch");

        let mut html = String::with_capacity(code.len() * 3 + 200);
        html.push_str(if is_output {
            "<figure class=\"code output\""
        } else {
            "<figure class=\"code\""
        });
        html.push_str(" data-lang=\"");
        html.push_str(&escape(lang));
        html.push_str("\">");
        let output_caption = is_output.then(|| match &block.info.django {
            Some(line) => format!("Output · Django {line}"),
            None => "Output".to_string(),
        });
        let caption = block.info.title.as_deref().or(output_caption.as_deref());
        let ran_mark = self.ran_mark(block.info);
        if caption.is_some() || ran_mark.is_some() {
            html.push_str("<figcaption class=\"code-title\">");
            html.push_str(&escape(caption.unwrap_or_default()));
            if let Some(mark) = ran_mark {
                html.push_str(&mark);
            }
            html.push_str("</figcaption>");
        }
        let marks = line_marks(block.info, &lines, is_diff);
        // A line needs an element of its own only to carry a number or a
        // mark; elsewhere lines are plain text (most of a block's weight
        // was these wrappers).
        let wrap_lines = block.info.linenos || marks.iter().any(|mark| !mark.is_empty());
        html.push_str("<pre class=\"code-block hl-code");
        if wrap_lines {
            html.push_str(" lines");
        }
        if block.info.linenos {
            html.push_str(" linenos");
        }
        html.push_str("\"><code class=\"language-");
        html.push_str(&escape(lang));
        html.push_str("\">");

        let mut spans = LineSpans::new(&grammar, &self.palette, &self.lines);
        for (line, mark) in lines.iter().zip(&marks) {
            if wrap_lines {
                html.push_str("<span class=\"line");
                html.push_str(mark);
                html.push_str("\">");
            }
            spans.push_line(&mut html, line);
            html.push_str(if wrap_lines { "\n</span>" } else { "\n" });
        }
        html.push_str("</code></pre></figure>\n");
        Ok(html)
    }
}

/// Each line's extra classes: ` hl` for a highlighted line, ` add` and
/// ` del` for a diff's added and removed lines, or nothing.
fn line_marks(info: &CodeInfo, lines: &[&str], is_diff: bool) -> Vec<&'static str> {
    lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let diff = match line.as_bytes().first() {
                Some(b'+') if is_diff && !line.starts_with("+++") => Some(true),
                Some(b'-') if is_diff && !line.starts_with("---") => Some(false),
                _ => None,
            };
            match (info.is_highlighted(index + 1), diff) {
                (false, None) => "",
                (false, Some(true)) => " add",
                (false, Some(false)) => " del",
                (true, None) => " hl",
                (true, Some(true)) => " hl add",
                (true, Some(false)) => " hl del",
            }
        })
        .collect()
}

impl Highlighter {
    /// The "ran on" mark of a `run` sample: the versions of every Django
    /// line it runs on (all of them, or the one its `django` attribute names).
    fn ran_mark(&self, info: &CodeInfo) -> Option<String> {
        if !info.run {
            return None;
        }
        let versions: Vec<&VerifiedVersions> = self
            .verified_with
            .iter()
            .filter(|versions| {
                info.django
                    .as_deref()
                    .is_none_or(|line| versions.line() == line)
            })
            .collect();
        if versions.is_empty() {
            return None;
        }
        let described: Vec<String> = versions
            .iter()
            .map(|versions| match &versions.drf {
                Some(drf) => format!("Django {} + DRF {drf}", versions.django),
                None => format!("Django {}", versions.django),
            })
            .collect();
        Some(format!(
            "<span class=\"code-ran\" title=\"Executed by the guide's test suite\">ran on {}</span>",
            escape(&described.join(" · "))
        ))
    }
}

/// Highlights line by line. Each line is wrapped in its own element, so a
/// token that spans lines (a docstring) gets a span on every line; within a
/// line, text of one class is one span and default text has none.
struct LineSpans<'a> {
    state: Option<lines::LineState>,
    resolver: classes::Resolver<'a>,
    memo: &'a lines::LineMemo,
}

impl<'a> LineSpans<'a> {
    fn new(grammar: &Grammar, palette: &'a Palette, memo: &'a lines::LineMemo) -> Self {
        let state = match grammar {
            Grammar::Plain => None,
            Grammar::Syntax(syntax) => Some((ParseState::new(syntax), ScopeStack::new())),
        };
        LineSpans {
            state,
            resolver: palette.resolver(),
            memo,
        }
    }

    fn push_line(&mut self, html: &mut String, line: &str) {
        let Some(state) = &mut self.state else {
            html.push_str(&escape_text(line));
            return;
        };
        if let Some((line_html, after)) = self.memo.get(line, state) {
            html.push_str(&line_html);
            *state = after;
            return;
        }
        let before = state.clone();
        let start = html.len();
        self.parse_line(html, line);
        // A line the grammar failed on leaves no state, and is not kept.
        if let Some(after) = &self.state {
            self.memo.insert(line, before, &html[start..], after);
        }
    }

    fn parse_line(&mut self, html: &mut String, line: &str) {
        let Some((parser, stack)) = &mut self.state else {
            html.push_str(&escape_text(line));
            return;
        };
        let with_newline = format!("{line}\n");
        let Ok(ops) = parser.parse_line(&with_newline, syntax_set()) else {
            // A grammar failure must not lose the code: fall back to plain text.
            self.state = None;
            html.push_str(&escape_text(line));
            return;
        };
        let mut runs = ClassRuns::new(html);
        let mut start = 0;
        for (end, op) in ops {
            runs.push(
                &line[start.min(line.len())..end.min(line.len())],
                self.resolver.style(stack),
            );
            start = end;
            if stack.apply(&op).is_err() {
                self.state = None;
                runs.finish();
                html.push_str(&escape_text(&line[start.min(line.len())..]));
                return;
            }
        }
        // The newline fed to the parser is not part of the line: the caller
        // adds its own after the line's element.
        runs.push(&line[start.min(line.len())..], self.resolver.style(stack));
        runs.finish();
    }
}

/// Writes text in spans of its class, merging neighbours of the same class.
/// Whitespace shows no colour, so blank text joins whatever span is open
/// instead of opening its own; only an underline shows on it.
struct ClassRuns<'h> {
    html: &'h mut String,
    open: Option<TokenStyle>,
}

impl<'h> ClassRuns<'h> {
    fn new(html: &'h mut String) -> Self {
        ClassRuns { html, open: None }
    }

    fn push(&mut self, text: &str, style: &TokenStyle) {
        if text.is_empty() {
            return;
        }
        let open_underlined = self.open.as_ref().is_some_and(|open| open.underlined);
        let blends_in = text.chars().all(char::is_whitespace) && !style.underlined;
        if blends_in {
            if open_underlined {
                self.close();
            }
        } else if self.open.as_ref().map(|open| &open.class) != Some(&style.class) {
            self.close();
            if let Some(class) = &style.class {
                self.html.push_str("<span class=\"");
                self.html.push_str(class);
                self.html.push_str("\">");
                self.open = Some(style.clone());
            }
        }
        self.html.push_str(&escape_text(text));
    }

    fn close(&mut self) {
        if self.open.take().is_some() {
            self.html.push_str("</span>");
        }
    }

    fn finish(mut self) {
        self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(code: &str, info: &str) -> Result<String, CodeError> {
        let info = CodeInfo::parse(info).unwrap();
        Highlighter::new().render(&CodeBlock { code, info: &info })
    }

    #[test]
    fn plain_text_is_escaped_and_lines_marked() {
        insta::assert_snapshot!(
            render("x = '<b>'\ny = 2\n", "text title=\"a.txt\" linenos hl_lines=\"2\"").unwrap(),
            @r#"<figure class="code" data-lang="text"><figcaption class="code-title">a.txt</figcaption><pre class="code-block hl-code lines linenos"><code class="language-text"><span class="line">x = '&lt;b&gt;'
</span><span class="line hl">y = 2
</span></code></pre></figure>"#
        );
    }

    #[test]
    fn python_is_highlighted_with_classes() {
        insta::assert_snapshot!(render(
            "def greet(name):\n    \"\"\"Say hi.\n    Twice.\"\"\"\n    return f\"hi {name}\"  # <b>\n",
            "python title=\"greet.py\""
        )
        .unwrap());
    }

    #[test]
    fn a_repeated_line_is_highlighted_by_the_state_it_starts_in() {
        // The same text as code, inside a docstring, and as code again: the
        // line memo must tell the middle one apart by the parser state.
        let html = render(
            "x = 1
\"\"\"\nx = 1\n\"\"\"\nx = 1\n",
            "python linenos",
        )
        .unwrap();
        let code = html.trim_end_matches("</code></pre></figure>\n");
        let lines: Vec<&str> = code.split("<span class=\"line\">").skip(1).collect();
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[0], lines[4], "the same line in the same state");
        assert_ne!(lines[0], lines[2], "the same text inside a string");
        let alone = render("x = 1\n", "python linenos").unwrap();
        assert!(
            alone.contains(lines[0]),
            "as a fresh highlighter renders it"
        );
    }

    #[test]
    fn multi_line_strings_are_reopened_on_each_line() {
        let html = render("x = \"\"\"a\nb\"\"\"\n", "python").unwrap();
        for line in html.split("<span class=\"line\">").skip(1) {
            assert_eq!(
                line.matches("<span").count(),
                line.matches("</span>").count() - 1,
                "{line}"
            );
        }
    }

    #[test]
    fn every_alias_resolves() {
        for name in languages::known_names() {
            assert!(Highlighter::new().check_language(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn unknown_languages_suggest_close_names() {
        let error = render("x\n", "pyhton").unwrap_err();
        assert_eq!(
            error,
            CodeError::UnknownLanguage {
                lang: "pyhton".into(),
                hint: "did you mean `python`? Use `text` for no highlighting".into()
            }
        );
    }

    #[test]
    fn diff_lines_are_marked() {
        let html = render("--- a\n+++ b\n-old\n+new\n same\n", "diff").unwrap();
        assert!(html.contains("<span class=\"line del\">"));
        assert!(html.contains("<span class=\"line add\">"));
        assert_eq!(html.matches("line add").count(), 1);
    }

    #[test]
    fn run_samples_are_marked_with_the_versions_they_run_on() {
        let versions = |django: &str, drf: &str| VerifiedVersions {
            django: django.into(),
            drf: Some(drf.into()),
        };
        let highlighter = Highlighter::with_verified_versions(vec![
            versions("5.2.19", "3.16.1"),
            versions("6.1.3", "3.18.3"),
        ]);
        let render = |info: &str| {
            let info = CodeInfo::parse(info).unwrap();
            highlighter
                .render(&CodeBlock {
                    code: "x = 1\n",
                    info: &info,
                })
                .unwrap()
        };
        assert!(render("python run").contains(
            "<figcaption class=\"code-title\"><span class=\"code-ran\" title=\"Executed by the guide's test suite\">ran on Django 5.2.19 + DRF 3.16.1 · Django 6.1.3 + DRF 3.18.3</span></figcaption>"
        ));
        assert!(render("python title=\"a.py\" run django=\"6.1\"")
            .contains(">a.py<span class=\"code-ran\" title=\"Executed by the guide's test suite\">ran on Django 6.1.3 + DRF 3.18.3</span>"));
        assert!(!render("python title=\"a.py\"").contains("code-ran"));
        assert!(!render("python norun=\"needs Redis\"").contains("code-ran"));
        assert!(render("output django=\"6.1\"").contains(">Output · Django 6.1</figcaption>"));
        let unconfigured = CodeInfo::parse("python run").unwrap();
        let html = Highlighter::new()
            .render(&CodeBlock {
                code: "x\n",
                info: &unconfigured,
            })
            .unwrap();
        assert!(
            !html.contains("code-ran"),
            "no versions configured, no claim"
        );
    }

    #[test]
    fn output_blocks_get_a_caption() {
        let html = render("42\n", "output").unwrap();
        assert!(html.starts_with("<figure class=\"code output\" data-lang=\"output\"><figcaption class=\"code-title\">Output</figcaption>"));
    }

    #[test]
    fn highlighted_lines_must_exist() {
        assert_eq!(
            render("a\nb\n", "py hl_lines=\"3\""),
            Err(CodeError::HighlightedLinePastEnd { line: 3, lines: 2 })
        );
    }
}
