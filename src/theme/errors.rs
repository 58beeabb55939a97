//! Tera's errors as located diagnostics: the template file really loaded
//! (the author's override under `themes/NAME/` or the built-in
//! `themes/default/`), line and column, the offending name, and a
//! did-you-mean for misspelt tags, filters, tests, templates, blocks,
//! variables and fields.
//!
//! Tera 2 gives syntax and render errors as a [`tera::ReportError`] with a
//! byte span; the checks it runs after parsing (unknown filters, tests,
//! includes, blocks) come back as one text of rustc-style reports, whose
//! `--> name:line:col` lines are read back here.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use tera::ErrorKind;

use crate::diagnostics::{Diagnostic, did_you_mean, suggestion_hint};

/// Tags of Tera 2 (`parse_tag` in its parser, plus `raw`, handled by its lexer).
const TAGS: &[&str] = &[
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "endfor",
    "break",
    "continue",
    "block",
    "endblock",
    "extends",
    "include",
    "set",
    "set_global",
    "endset",
    "filter",
    "endfilter",
    "raw",
    "endraw",
    "component",
    "endcomponent",
];

/// The built-in filters of Tera 2.4 (`register_builtin_filters`); the
/// tests below fail if a Tera update changes them.
pub(super) const FILTERS: &[&str] = &[
    "safe",
    "default",
    "upper",
    "lower",
    "wordcount",
    "escape",
    "escape_html",
    "escape_xml",
    "newlines_to_br",
    "pluralize",
    "trim",
    "trim_start",
    "trim_end",
    "replace",
    "capitalize",
    "title",
    "truncate",
    "indent",
    "str",
    "int",
    "float",
    "length",
    "reverse",
    "split",
    "abs",
    "round",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "get",
    "values",
    "keys",
    "pairs",
    "group_by",
];

/// The built-in tests of Tera 2.4 (`register_builtin_tests`).
pub(super) const TESTS: &[&str] = &[
    "string",
    "number",
    "map",
    "bool",
    "array",
    "integer",
    "float",
    "none",
    "iterable",
    "defined",
    "undefined",
    "odd",
    "even",
    "divisible_by",
    "starting_with",
    "ending_with",
    "containing",
];

const FUNCTIONS: &[&str] = &["range", "throw", "super"];

/// A template as loaded: where it came from and its text.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub origin: PathBuf,
    pub text: String,
}

/// What was being rendered when the error happened, for messages that
/// need the values (`page`, `site`).
pub struct Rendering<'a> {
    pub template: &'a str,
    pub context: &'a serde_json::Value,
}

/// Diagnostics for one Tera error: one per located report.
pub fn diagnose(
    error: &tera::Error,
    sources: &BTreeMap<String, TemplateSource>,
    rendering: Option<&Rendering>,
) -> Vec<Diagnostic> {
    let locate = Locator { sources, rendering };
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            vec![locate.report(
                report.filename(),
                report.message(),
                report.span().range.clone(),
            )]
        }
        ErrorKind::Msg(text) => {
            let found: Vec<Diagnostic> = reports(text)
                .into_iter()
                .map(|(message, name, line, column)| {
                    let range = locate.offset(&name, line, column);
                    locate.report(&name, &message, range)
                })
                .collect();
            if found.is_empty() {
                vec![locate.whole(None, first_line(text))]
            } else {
                found
            }
        }
        ErrorKind::MissingParent { current, parent } => {
            let text = sources.get(current).map_or("", |s| s.text.as_str());
            let start = text.find(parent.as_str()).unwrap_or(0);
            let diagnostic = locate.at(
                current,
                start..start + parent.len(),
                format!("`{current}` extends `{parent}`, which does not exist"),
            );
            vec![diagnostic.with_hint(suggestion_hint(parent, sources.keys().map(String::as_str)))]
        }
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain: chain,
        }
        | ErrorKind::CircularInclude {
            tpl,
            include_chain: chain,
        } => vec![locate.whole(
            Some(tpl),
            format!(
                "templates include or extend each other in a loop: {}",
                chain.join(" → ")
            ),
        )],
        other => vec![locate.whole(None, first_line(&other.to_string()))],
    }
}

struct Locator<'a> {
    sources: &'a BTreeMap<String, TemplateSource>,
    rendering: Option<&'a Rendering<'a>>,
}

impl Locator<'_> {
    /// A report of Tera's at `range` of template `name`, explained.
    fn report(&self, name: &str, message: &str, range: Range<usize>) -> Diagnostic {
        let text = self.sources.get(name).map_or("", |s| s.text.as_str());
        let (message, hint, range) = self.explain(message, text, range);
        self.at(name, range, message).with_optional_hint(hint)
    }

    fn at(&self, name: &str, range: Range<usize>, message: String) -> Diagnostic {
        match self.sources.get(name) {
            Some(source) => Diagnostic::at(&source.origin, &source.text, range, message),
            None => Diagnostic::file(&Path::new("themes").join(name), message),
        }
    }

    /// An error with no position: at the top of the template it concerns.
    fn whole(&self, name: Option<&str>, message: String) -> Diagnostic {
        let name = name.or(self.rendering.map(|r| r.template)).unwrap_or("");
        match self.sources.get(name) {
            Some(source) => Diagnostic::file(&source.origin, message),
            None => Diagnostic::file(Path::new("themes"), message),
        }
        .with_hint("fix the template, or remove the override to use the built-in one")
    }

    /// Byte offset of 1-based `line` and character `column` in template `name`.
    fn offset(&self, name: &str, line: usize, column: usize) -> Range<usize> {
        let text = self.sources.get(name).map_or("", |s| s.text.as_str());
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let start = text[line_start..]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(text.len(), |(index, _)| line_start + index);
        start..start
    }

    /// Tera's message in the guide's words, a hint, and the span to underline.
    fn explain(
        &self,
        message: &str,
        text: &str,
        range: Range<usize>,
    ) -> (String, Option<String>, Range<usize>) {
        let word = word_at(text, range.start);
        let word_range = range.start..range.start + word.len();
        if message == "Unknown tag" {
            if TAGS.contains(&word) {
                return (
                    format!("unexpected `{{% {word} %}}`"),
                    Some("it does not close the innermost open tag: check that the tags above it are closed in order".into()),
                    word_range,
                );
            }
            return (
                format!("unknown tag `{word}`"),
                Some(suggestion_hint(word, TAGS.iter().copied())),
                word_range,
            );
        }
        let unknown: [(&str, &str, Vec<&str>); 5] = [
            ("Unknown filter `", "filter", FILTERS.to_vec()),
            ("Unknown test `", "test", TESTS.to_vec()),
            ("Unknown function `", "function", FUNCTIONS.to_vec()),
            (
                "Unknown template `",
                "template",
                self.sources.keys().map(String::as_str).collect(),
            ),
            ("Block `", "block", self.block_names(message)),
        ];
        for (prefix, what, known) in unknown {
            if let Some(name) = quoted_after(message, prefix) {
                let name_start = text[range.start..]
                    .find(name)
                    .map_or(range.start, |offset| range.start + offset);
                let message = match what {
                    "block" => format!("block `{name}` is not defined in the template it extends"),
                    _ => format!("unknown {what} `{name}`"),
                };
                return (
                    message,
                    Some(suggestion_hint(name, known.iter().copied())),
                    name_start..name_start + name.len(),
                );
            }
        }
        if let Some(field) = quoted_after(message, "Field `") {
            let available = listed_after(message, "Available fields: ");
            let hint = self.close_name(field, &available);
            return (format!("undefined field `{field}`"), hint, range);
        }
        if let Some(variable) = quoted_after(message, "Variable `") {
            let available = listed_after(message, "Available variables: ");
            let hint = self.close_name(variable, &available);
            return (format!("undefined variable `{variable}`"), hint, range);
        }
        if message.starts_with("Tried to render a variable that is undefined")
            || message.ends_with("but got `undefined`")
        {
            let path = dotted_path_at(text, range.start);
            let hint = self.missing_segment(path);
            let span = range.start..range.start + path.len().max(1);
            return (format!("`{path}` is undefined"), hint, span);
        }
        (message.to_string(), None, range)
    }

    /// "did you mean" among `available`, else among every name in the
    /// context (for values reached through a loop variable or `none`).
    fn close_name(&self, name: &str, available: &[&str]) -> Option<String> {
        if let Some(best) = did_you_mean(name, available.iter().copied()) {
            return Some(format!("did you mean `{best}`?"));
        }
        let every = self.context_names();
        if let Some(best) = did_you_mean(name, every.iter().map(String::as_str)) {
            return Some(format!("did you mean `{best}`?"));
        }
        (!available.is_empty()).then(|| format!("defined here: {}", available.join(", ")))
    }

    /// For `page.question.titel`: the first segment the context lacks, with
    /// a did-you-mean among its siblings. A path that starts at a loop or
    /// `set` variable is not in the context: its last segment is compared
    /// with every name in it.
    fn missing_segment(&self, path: &str) -> Option<String> {
        let context = self.rendering?.context;
        let mut segments = path.split('.');
        let first = segments.next()?;
        let Some(mut value) = context.get(first) else {
            let last = path.rsplit('.').next().unwrap_or(path);
            return self.close_name(last, &[]);
        };
        for segment in segments {
            match value.get(segment) {
                Some(next) => value = next,
                None => {
                    let siblings: Vec<&str> = value
                        .as_object()
                        .map(|map| map.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    return self.close_name(segment, &siblings).or_else(|| {
                        Some(format!(
                            "`{segment}` is not set here: test it with `is defined`"
                        ))
                    });
                }
            }
        }
        None
    }

    fn context_names(&self) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        if let Some(rendering) = self.rendering {
            collect_keys(rendering.context, &mut names);
        }
        names
    }

    /// Every `{% block NAME %}` of every template but the one `message`
    /// is about (the misspelt block itself).
    fn block_names(&self, message: &str) -> Vec<&str> {
        let misspelt = quoted_after(message, "Block `").unwrap_or_default();
        let mut names = BTreeSet::new();
        for source in self.sources.values() {
            for (index, _) in source.text.match_indices("block ") {
                let before = source.text[..index].trim_end_matches([' ', '-']);
                if before.ends_with("{%") {
                    names.insert(word_at(&source.text, index + "block ".len()));
                }
            }
        }
        names
            .into_iter()
            .filter(|name| !name.is_empty() && *name != misspelt)
            .collect()
    }
}

fn collect_keys(value: &serde_json::Value, names: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                names.insert(key.clone());
                collect_keys(value, names);
            }
        }
        serde_json::Value::Array(items) => {
            // Items of one list share their shape; the first one is enough.
            if let Some(first) = items.first() {
                collect_keys(first, names);
            }
        }
        _ => {}
    }
}

/// Tera's reports joined in one text: `error: MESSAGE` followed by
/// ` --> NAME:LINE:COL`, read back as (message, name, line, column).
fn reports(text: &str) -> Vec<(String, String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for pair in lines.windows(2) {
        let Some(message) = pair[0].strip_prefix("error: ") else {
            continue;
        };
        let Some(location) = pair[1].trim_start().strip_prefix("--> ") else {
            continue;
        };
        let mut parts = location.rsplitn(3, ':');
        let (Some(column), Some(line), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if let (Ok(line), Ok(column)) = (line.parse(), column.parse()) {
            found.push((message.to_string(), name.to_string(), line, column));
        }
    }
    found
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

/// The identifier starting at `offset` (empty if none).
fn word_at(text: &str, offset: usize) -> &str {
    let rest = text.get(offset..).unwrap_or_default();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The dotted path (`page.question.title`) starting at `offset`.
fn dotted_path_at(text: &str, offset: usize) -> &str {
    let rest = text.get(offset..).unwrap_or_default();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(rest.len());
    rest[..end].trim_end_matches('.')
}

/// `x` in "PREFIXx` ...".
fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    message.strip_prefix(prefix)?.split('`').next()
}

/// `a, b` in "... PREFIXa, b".
fn listed_after<'a>(message: &'a str, prefix: &str) -> Vec<&'a str> {
    message
        .split_once(prefix)
        .map(|(_, list)| list.split(", ").map(str::trim).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(template: &str) -> Result<tera::Tera, tera::Error> {
        let mut tera = tera::Tera::new();
        tera.add_raw_template("t.html", template)?;
        Ok(tera)
    }

    #[test]
    fn the_lists_match_tera() {
        for filter in FILTERS {
            compile(&format!("{{{{ x | {filter} }}}}")).unwrap_or_else(|e| panic!("{filter}: {e}"));
        }
        for test in TESTS {
            compile(&format!("{{{{ x is {test} }}}}")).unwrap_or_else(|e| panic!("{test}: {e}"));
        }
        assert!(compile("{{ x | shout }}").is_err());
        assert!(compile("{% if x %}{% endif %}{% raw %}{% endraw %}").is_ok());
    }

    fn sources(text: &str) -> BTreeMap<String, TemplateSource> {
        BTreeMap::from([(
            "t.html".to_string(),
            TemplateSource {
                origin: PathBuf::from("themes/mine/templates/t.html"),
                text: text.to_string(),
            },
        )])
    }

    #[test]
    fn post_parse_reports_are_read_back_with_their_location() {
        let text = "<p>\n  {{ x | uper }} {{ y | lowr }}\n</p>";
        let error = compile(text).unwrap_err();
        let found = diagnose(&error, &sources(text), None);
        let lines: Vec<_> = found.iter().map(Diagnostic::headline).collect();
        assert_eq!(
            lines,
            [
                "themes/mine/templates/t.html:2:10: unknown filter `uper`",
                "themes/mine/templates/t.html:2:25: unknown filter `lowr`"
            ]
        );
        assert_eq!(found[0].width, 4);
        assert_eq!(found[1].hint.as_deref(), Some("did you mean `lower`?"));
    }

    #[test]
    fn render_errors_suggest_fields_of_the_context() {
        let text = "{{ page.titel }}";
        let tera = compile(text).unwrap();
        let values = serde_json::json!({ "page": { "title": "t", "url": "u" } });
        let context = tera::Context::from_serialize(&values).unwrap();
        let error = tera.render("t.html", &context).unwrap_err();
        let rendering = Rendering {
            template: "t.html",
            context: &values,
        };
        let found = diagnose(&error, &sources(text), Some(&rendering));
        assert_eq!(
            found[0].headline(),
            "themes/mine/templates/t.html:1:9: undefined field `titel`"
        );
        assert_eq!(found[0].hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn unreadable_reports_still_name_the_template() {
        let error = tera::Error::message("something odd");
        let found = diagnose(&error, &sources(""), None);
        assert_eq!(found[0].headline(), "themes:1:1: something odd");
    }
}
