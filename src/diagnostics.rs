//! Content errors: one type for every problem an author can cause, located by
//! file, line and column, and a collector so a build reports all of them at once.
//!
//! The first line of each rendered diagnostic is `path:line:col: message`, the
//! form editors and CI log viewers turn into a link; the source line, a caret
//! under the span and a hint follow, in the style of rustc.
//!
//! Everything echoed from the author's files (paths, source lines, values in
//! messages) goes through [`escape_control`] on the way out, so a file cannot
//! move the cursor, retitle the terminal or reorder text in a CI log.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Whether a diagnostic fails the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One located problem in the author's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the author, relative to the site root when possible.
    pub path: PathBuf,
    /// 1-based line and column (column counted in characters).
    pub line: usize,
    pub column: usize,
    /// How many characters to underline on that line (at least 1).
    pub width: usize,
    /// The full text of the offending line, without its newline.
    pub source_line: String,
    pub message: String,
    pub hint: Option<String>,
    /// A problem that makes others follow (a topic without `_index.md`):
    /// listed before every other diagnostic, so the author reads it first.
    pub root_cause: bool,
}

impl Diagnostic {
    /// An error at a byte range of `source`, the whole text of the file at `path`.
    pub fn at(path: &Path, source: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |index| index + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |index| start + index);
        let line = source[..start].matches('\n').count() + 1;
        let source_line = source[line_start..line_end].trim_end_matches('\r');
        // The `\r` of a CRLF line is not shown: a span on it or after it
        // points just past the end of the shown line.
        let shown_end = line_start + source_line.len();
        let start = start.min(shown_end);
        let column = source[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(source, span.end.clamp(start, shown_end));
        let width = source[start..end].chars().count().max(1);
        Diagnostic {
            severity: Severity::Error,
            path: path.to_path_buf(),
            line,
            column,
            width,
            source_line: source_line.to_string(),
            message: message.into(),
            hint: None,
            root_cause: false,
        }
    }

    /// An error about a whole file that has no better location (line 1, column 1).
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            width: 1,
            source_line: String::new(),
            message: message.into(),
            hint: None,
            root_cause: false,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_optional_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn root_cause(mut self) -> Self {
        self.root_cause = true;
        self
    }

    /// `path:line:col: message` — the one-line form, with control characters
    /// escaped (see [`escape_control`]).
    pub fn headline(&self) -> String {
        format!(
            "{}:{}:{}: {}",
            escape_control(&self.path.to_string_lossy()),
            self.line,
            self.column,
            escape_control(&self.message)
        )
    }

    /// The full multi-line form: headline, source line with a caret, hint.
    pub fn render(&self, style: &Style) -> String {
        let mut out = String::new();
        let label = match self.severity {
            Severity::Error => style.paint("error", style.red),
            Severity::Warning => style.paint("warning", style.yellow),
        };
        let _ = writeln!(
            out,
            "{label}: {}",
            style.paint(&self.headline(), style.bold)
        );
        if !self.source_line.is_empty() {
            let caret_colour = match self.severity {
                Severity::Error => style.red,
                Severity::Warning => style.yellow,
            };
            self.render_source(&mut out, style, caret_colour);
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(
                out,
                "  = {}: {}",
                style.paint("help", style.bold),
                escape_control(hint)
            );
        }
        out
    }

    /// The source line (cut around the span when long) and the carets under
    /// the span. Escaping happens per piece, so an escaped character before
    /// the span moves the carets along with the text and one inside widens them.
    fn render_source(&self, out: &mut String, style: &Style, caret_colour: &str) {
        let number = self.line.to_string();
        let gutter = " ".repeat(number.len());
        let bar = style.paint("|", style.blue);
        let (shown_line, caret_column) = window(&self.source_line, self.column, self.width);
        let chars: Vec<char> = shown_line.chars().collect();
        let span_start = (caret_column - 1).min(chars.len());
        let span_end = (span_start + self.width).min(chars.len());
        let piece = |range: Range<usize>| -> String {
            let text: String = chars[range].iter().collect();
            escape_control(&text).into_owned()
        };
        let (before, inside, after) = (
            piece(0..span_start),
            piece(span_start..span_end),
            piece(span_end..chars.len()),
        );
        let pad: String = before
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let carets = style.paint(&"^".repeat(inside.chars().count().max(1)), caret_colour);
        let _ = writeln!(out, "{gutter} {bar}");
        let _ = writeln!(
            out,
            "{} {bar} {before}{inside}{after}",
            style.paint(&number, style.blue),
        );
        let _ = writeln!(out, "{gutter} {bar} {pad}{carets}");
    }
}

/// Every diagnostic found in one run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Print every diagnostic to stderr, sorted, coloured when stderr is a
    /// terminal: how the CLI and `serve` report.
    pub fn print_to_stderr(self) {
        let style = Style::for_stderr();
        for diagnostic in self.sorted() {
            eprintln!("{}", diagnostic.render(&style));
        }
    }

    /// Root causes first, then by file, position and message, so output is
    /// deterministic whatever order parallel stages found them in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (
                !a.root_cause,
                &a.path,
                a.line,
                a.column,
                a.severity,
                &a.message,
            )
                .cmp(&(
                    !b.root_cause,
                    &b.path,
                    b.line,
                    b.column,
                    b.severity,
                    &b.message,
                ))
        });
        self.items.dedup();
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// ANSI styling, switched off when the output is not a terminal.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    enabled: bool,
    red: &'static str,
    yellow: &'static str,
    blue: &'static str,
    bold: &'static str,
}

impl Style {
    pub fn plain() -> Self {
        Style {
            enabled: false,
            red: "",
            yellow: "",
            blue: "",
            bold: "",
        }
    }

    /// Colour when stderr is a terminal and `NO_COLOR` is unset.
    pub fn for_stderr() -> Self {
        let enabled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        if !enabled {
            return Style::plain();
        }
        Style {
            enabled,
            red: "\x1b[1;31m",
            yellow: "\x1b[1;33m",
            blue: "\x1b[1;34m",
            bold: "\x1b[1m",
        }
    }

    fn paint(&self, text: &str, code: &str) -> String {
        if self.enabled {
            format!("{code}{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// The closest candidate to `input`, if any is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let candidate_lower = candidate.to_lowercase();
            let score = strsim::jaro_winkler(&input_lower, &candidate_lower);
            // Jaro-Winkler rewards shared prefixes (`views/...`), so also require
            // few edits relative to the length before suggesting.
            let edits = strsim::levenshtein(&input_lower, &candidate_lower);
            let allowed = (input_lower.chars().count() / 4).max(2);
            (if edits <= allowed { score } else { 0.0 }, candidate)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

/// "did you mean `x`?" or a list of what is expected.
pub fn suggestion_hint<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    match did_you_mean(input, candidates.clone()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("expected one of {}", quoted_list(candidates)),
    }
}

/// `a`, `b`, `c`
pub fn quoted_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` with every character that a terminal or a log viewer would act on
/// written out as an escape instead: C0 controls but tab, DEL and C1 controls
/// as `\x1b`, bidirectional overrides and isolates (which reorder what
/// follows, as in "Trojan Source") and line separators as `\u{202e}`.
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_unsafe_char(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Long lines (a paragraph is one line in Markdown) are cut to a window
/// around the span; returns the text shown and the span's column in it.
fn window(line: &str, column: usize, width: usize) -> (String, usize) {
    const BEFORE: usize = 40;
    const MAX: usize = 100;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX {
        return (line.to_string(), column);
    }
    let start = column.saturating_sub(1).saturating_sub(BEFORE);
    let span_end = (column - 1 + width.max(1)).min(chars.len());
    let end = (start + MAX).max(span_end).min(chars.len());
    let mut shown = String::new();
    let mut caret = column - start;
    if start > 0 {
        shown.push('…');
        caret += 1;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_a_span_by_line_and_character_column() {
        let source = "+++\ntitle = \"é\"\nlevle = \"mid\"\n";
        let start = source.find("levle").unwrap();
        let d = Diagnostic::at(Path::new("a.md"), source, start..start + 5, "unknown key");
        assert_eq!((d.line, d.column, d.width), (3, 1, 5));
        assert_eq!(d.source_line, "levle = \"mid\"");
        assert_eq!(d.headline(), "a.md:3:1: unknown key");
    }

    #[test]
    fn column_counts_characters_not_bytes() {
        let source = "é = x";
        let d = Diagnostic::at(Path::new("a.md"), source, 5..6, "m");
        assert_eq!(d.column, 5);
    }

    #[test]
    fn a_span_on_the_end_of_a_crlf_line_stays_on_the_shown_line() {
        // Found by fuzzing: an unclosed TOML string in a CRLF file.
        let source = "+++\r\ntitle = \"x\r\n+++\r\n";
        let newline = source.find("x\r\n").unwrap() + 2;
        for start in [newline - 1, newline] {
            let d = Diagnostic::at(Path::new("a.md"), source, start..start + 1, "m");
            assert_eq!(d.source_line, "title = \"x");
            assert_eq!((d.line, d.column, d.width), (2, 11, 1));
        }
    }

    #[test]
    fn out_of_range_spans_do_not_panic() {
        let d = Diagnostic::at(Path::new("a.md"), "ab", 10..20, "m");
        assert_eq!((d.line, d.column), (1, 3));
        let d = Diagnostic::at(Path::new("a.md"), "", 0..0, "m");
        assert_eq!((d.line, d.column), (1, 1));
    }

    #[test]
    fn renders_source_line_caret_and_hint() {
        let source = "levle = 1";
        let d = Diagnostic::at(Path::new("x.md"), source, 0..5, "unknown key `levle`")
            .with_hint("did you mean `level`?");
        assert_eq!(
            d.render(&Style::plain()),
            "error: x.md:1:1: unknown key `levle`\n  |\n1 | levle = 1\n  | ^^^^^\n  = help: did you mean `level`?\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("{}TARGET{}", "a".repeat(200), "b".repeat(200));
        let d = Diagnostic::at(Path::new("x.md"), &line, 200..206, "m");
        let rendered = d.render(&Style::plain());
        let shown: Vec<&str> = rendered.lines().collect();
        assert!(shown[2].contains("…") && shown[2].contains("TARGET"));
        let caret_at = shown[3].find('^').unwrap();
        let target_at = shown[2].find("TARGET").unwrap();
        assert_eq!(
            shown[3][..caret_at].chars().count(),
            shown[2][..target_at].chars().count()
        );
        assert!(shown[2].chars().count() < 160);
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(escape_control("plain\ttab é"), "plain\ttab é");
        assert_eq!(
            escape_control("a\x1b]0;t\x07b\x1b[2J\r\x7f\u{9b}c\u{202e}d\u{2066}"),
            "a\\x1b]0;t\\x07b\\x1b[2J\\x0d\\x7f\\u{9b}c\\u{202e}d\\u{2066}"
        );
        let source = "title = \"\x1b[2J\u{202e}\"\nlevle = \"\x1b]0;x\x07\"";
        let d = Diagnostic::at(Path::new("a\x1b.md"), source, 0..5, "bad `\x1b[31m`")
            .with_hint("\u{202e}");
        let rendered = d.render(&Style::plain());
        assert!(
            !rendered.contains(['\x1b', '\x07', '\u{202e}']),
            "{rendered}"
        );
        assert!(rendered.starts_with("error: a\\x1b.md:1:1: bad `\\x1b[31m`\n"));
        assert!(rendered.contains("= help: \\u{202e}"), "{rendered}");
    }

    #[test]
    fn carets_stay_under_the_span_after_escaping() {
        let source = "x = \"\x1b[2J\u{202e}\" + bad\x07z";
        let start = source.find("bad").unwrap();
        let d = Diagnostic::at(Path::new("a.md"), source, start..start + 4, "m");
        let rendered = d.render(&Style::plain());
        let lines: Vec<&str> = rendered.lines().collect();
        let text_at = lines[2].find("bad").unwrap();
        let caret_at = lines[3].find('^').unwrap();
        assert_eq!(
            lines[3][caret_at..].trim_end(),
            "^^^^^^^",
            "bad\\x07 is 7 wide"
        );
        assert_eq!(
            lines[3][..caret_at].chars().count(),
            lines[2][..text_at].chars().count()
        );
    }

    #[test]
    fn root_causes_come_first() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::file(Path::new("a.md"), "cascade"));
        all.push(Diagnostic::file(Path::new("z.md"), "cause").root_cause());
        let order: Vec<_> = all.sorted().into_iter().map(|d| d.headline()).collect();
        assert_eq!(order, ["z.md:1:1: cause", "a.md:1:1: cascade"]);
    }

    #[test]
    fn suggests_close_names_only() {
        let known = ["title", "level", "summary"];
        assert_eq!(did_you_mean("levle", known), Some("level"));
        assert_eq!(did_you_mean("Title", known), Some("title"));
        assert_eq!(did_you_mean("zzz", known), None);
        assert_eq!(
            did_you_mean(
                "views/generic-views-and-mixins.md",
                ["views/function-vs-class-based-views.md"]
            ),
            None
        );
        assert_eq!(
            suggestion_hint("zzz", known),
            "expected one of `title`, `level`, `summary`"
        );
    }

    #[test]
    fn sorts_by_file_then_position() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::file(Path::new("b.md"), "x"));
        all.push(Diagnostic::at(Path::new("a.md"), "1\n2", 2..3, "y"));
        all.push(Diagnostic::file(Path::new("a.md"), "z"));
        let order: Vec<_> = all.sorted().into_iter().map(|d| d.headline()).collect();
        assert_eq!(order, ["a.md:1:1: z", "a.md:2:1: y", "b.md:1:1: x"]);
    }
}
