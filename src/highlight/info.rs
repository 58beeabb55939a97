//! The info string of a code fence: ```` ```python title="views.py" linenos hl_lines="3 5-7" ````.

use std::ops::{Range, RangeInclusive};

/// A problem in an info string, with the byte span inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoError {
    pub span: Range<usize>,
    pub message: String,
    pub hint: Option<String>,
}

/// What a fence asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CodeInfo {
    /// Language as written (lowercased), `None` for a bare fence.
    pub lang: Option<String>,
    /// Span of the language inside the info string.
    pub lang_span: Range<usize>,
    pub title: Option<String>,
    pub linenos: bool,
    pub hl_lines: Vec<RangeInclusive<usize>>,
    /// Span of the `hl_lines` value, to report lines past the end of the block.
    pub hl_lines_span: Range<usize>,
    /// A deliberate fragment: the sample checker skips it.
    pub nocheck: bool,
    /// Part of the page's runnable scenario (`docs/runnable-samples.md`).
    pub run: bool,
    /// A waiver: why the sample is not run. Never empty.
    pub norun: Option<String>,
    /// `queries`: the sample's output is the SQL it executes.
    pub sql: bool,
    /// The Django line (`"6.1"`) a run sample or an output block belongs to.
    pub django: Option<String>,
}

pub const ATTRIBUTES: &[&str] = &[
    "title", "linenos", "hl_lines", "nocheck", "run", "norun", "queries", "django",
];

/// Attributes without a value. Any other bare first word is the language,
/// even one that is also an attribute's name (`django`).
const FLAGS: &[&str] = &["linenos", "nocheck", "run", "queries"];

impl CodeInfo {
    pub fn parse(info: &str) -> Result<CodeInfo, InfoError> {
        let mut parsed = CodeInfo::default();
        let mut run_spans = RunSpans::default();
        for (index, token) in tokens(info)?.into_iter().enumerate() {
            let Token { key, value, span } = token;
            if index == 0 && value.is_none() && !FLAGS.contains(&key.as_str()) {
                // Pandoc-style `{.python}` and `python,ignore` are common in the wild.
                let lang = key.trim_start_matches(['{', '.']).trim_end_matches('}');
                let lang = lang.split(',').next().unwrap_or_default().to_lowercase();
                parsed.lang = Some(lang);
                parsed.lang_span = span;
                continue;
            }
            match (key.as_str(), value) {
                ("title", Some(value)) => parsed.title = Some(value),
                ("linenos", None) => parsed.linenos = true,
                ("nocheck", None) => parsed.nocheck = true,
                ("run", None) => {
                    parsed.run = true;
                    run_spans.run = Some(span);
                }
                ("queries", None) => {
                    parsed.sql = true;
                    run_spans.sql = Some(span);
                }
                ("norun", Some(reason)) if !reason.trim().is_empty() => {
                    parsed.norun = Some(reason.trim().to_string());
                    run_spans.norun = Some(span);
                }
                ("norun", _) => {
                    return Err(InfoError {
                        span,
                        message: "a `norun` waiver needs a reason".into(),
                        hint: Some(
                            "say why the sample cannot run, e.g. norun=\"needs a Redis server\""
                                .into(),
                        ),
                    });
                }
                ("django", Some(version)) => {
                    if !is_release_line(&version) {
                        return Err(InfoError {
                            span,
                            message: format!("`{version}` is not a Django release line"),
                            hint: Some(
                                "write the major and minor version, e.g. django=\"6.1\"".into(),
                            ),
                        });
                    }
                    parsed.django = Some(version);
                    run_spans.django = Some(span);
                }
                ("hl_lines", Some(value)) => {
                    parsed.hl_lines = parse_line_ranges(&value).map_err(|message| InfoError {
                        span: span.clone(),
                        message,
                        hint: Some("write line numbers and ranges, e.g. hl_lines=\"3 5-7\"".into()),
                    })?;
                    parsed.hl_lines_span = span;
                }
                ("title" | "hl_lines" | "django", None) => {
                    return Err(InfoError {
                        span,
                        message: format!("`{key}` needs a value"),
                        hint: Some(format!("write {key}=\"...\"")),
                    });
                }
                ("linenos" | "nocheck" | "run" | "queries", Some(_)) => {
                    return Err(InfoError {
                        span,
                        message: format!("`{key}` takes no value"),
                        hint: Some(format!("write just `{key}`")),
                    });
                }
                (other, _) => {
                    return Err(InfoError {
                        span,
                        message: format!("unknown code block attribute `{other}`"),
                        hint: Some(crate::diagnostics::suggestion_hint(
                            other,
                            ATTRIBUTES.iter().copied(),
                        )),
                    });
                }
            }
        }
        parsed.check_run_attributes(&run_spans)?;
        Ok(parsed)
    }

    /// The run attributes must fit together and fit the language.
    fn check_run_attributes(&self, spans: &RunSpans) -> Result<(), InfoError> {
        let lang = self.lang.as_deref().unwrap_or("");
        let error = |span: &Option<Range<usize>>, message: &str, hint: &str| InfoError {
            span: span.clone().unwrap_or_default(),
            message: message.into(),
            hint: Some(hint.into()),
        };
        if lang == super::OUTPUT_LANG {
            for (span, name) in [(&spans.run, "run"), (&spans.sql, "queries")] {
                if span.is_some() {
                    return Err(error(
                        span,
                        &format!("`{name}` belongs on the sample, not on its output"),
                        "move it to the code fence above; an output block takes only `django` and `norun`",
                    ));
                }
            }
            return Ok(());
        }
        if self.run && self.norun.is_some() {
            return Err(error(
                &spans.norun,
                "a sample cannot be both `run` and `norun`",
                "keep `run` to execute it, or `norun=\"why\"` to waive it",
            ));
        }
        let marked = spans.run.as_ref().or(spans.norun.as_ref());
        // Any file the page shows by name can be part of the project (a
        // template, a JSON fixture); untitled code runs only if it is Python
        // or a shell session.
        if marked.is_some() && self.title.is_none() && !is_runnable(lang) {
            return Err(InfoError {
                span: marked.cloned().unwrap_or_default(),
                message: format!("`{lang}` samples cannot be run"),
                hint: Some(
                    "`run` applies to python samples, console sessions of `python manage.py` commands, and files with a `title` path"
                        .into(),
                ),
            });
        }
        if self.sql && !self.run {
            return Err(error(
                &spans.sql,
                "`queries` only applies to a `run` sample",
                "add `run`, or remove `queries`",
            ));
        }
        if self.django.is_some() && !self.run {
            return Err(error(
                &spans.django,
                "`django` only applies to a `run` sample or an output block",
                "add `run` to run the sample on that Django line only",
            ));
        }
        Ok(())
    }

    pub fn is_highlighted(&self, line: usize) -> bool {
        self.hl_lines.iter().any(|range| range.contains(&line))
    }

    /// The highest line `hl_lines` names.
    pub fn last_highlighted_line(&self) -> Option<usize> {
        self.hl_lines.iter().map(|range| *range.end()).max()
    }
}

/// Where the run attributes were written, for errors about how they combine.
#[derive(Default)]
struct RunSpans {
    run: Option<Range<usize>>,
    norun: Option<Range<usize>>,
    sql: Option<Range<usize>>,
    django: Option<Range<usize>>,
}

/// `"5.2"`, `"6.1"`: a major and a minor version.
fn is_release_line(version: &str) -> bool {
    version.split_once('.').is_some_and(|(major, minor)| {
        [major, minor]
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
    })
}

struct Token {
    key: String,
    value: Option<String>,
    span: Range<usize>,
}

/// Split on whitespace, keeping `key="quoted value"` together.
fn tokens(info: &str) -> Result<Vec<Token>, InfoError> {
    let mut tokens = Vec::new();
    let mut chars = info.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut key = String::new();
        let mut value = None;
        let mut end = start;
        while let Some(&(index, c)) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            end = index + c.len_utf8();
            if c == '=' {
                let mut text = String::new();
                if let Some(&(_, quote @ ('"' | '\''))) = chars.peek() {
                    chars.next();
                    let mut closed = false;
                    for (index, c) in chars.by_ref() {
                        end = index + c.len_utf8();
                        if c == quote {
                            closed = true;
                            break;
                        }
                        text.push(c);
                    }
                    if !closed {
                        return Err(InfoError {
                            span: start..info.len(),
                            message: format!("unclosed quote in `{key}` value"),
                            hint: Some(format!("close the value with {quote}")),
                        });
                    }
                } else {
                    while let Some(&(index, c)) = chars.peek() {
                        if c.is_whitespace() {
                            break;
                        }
                        chars.next();
                        end = index + c.len_utf8();
                        text.push(c);
                    }
                }
                value = Some(text);
                break;
            }
            key.push(c);
        }
        tokens.push(Token {
            key,
            value,
            span: start..end,
        });
    }
    Ok(tokens)
}

/// `"3 5-7"` or `"3,5-7"` → `[3..=3, 5..=7]`.
pub fn parse_line_ranges(text: &str) -> Result<Vec<RangeInclusive<usize>>, String> {
    let mut ranges = Vec::new();
    for part in text.split([' ', ',']).filter(|part| !part.is_empty()) {
        let number = |s: &str| {
            s.trim()
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("`{part}` is not a line number or range"))
        };
        let range = match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (number(from)?, number(to)?);
                if from > to {
                    return Err(format!("range `{part}` runs backwards"));
                }
                from..=to
            }
            None => {
                let line = number(part)?;
                line..=line
            }
        };
        ranges.push(range);
    }
    if ranges.is_empty() {
        return Err("`hl_lines` is empty".into());
    }
    Ok(ranges)
}

/// Languages a `run` sample may have: Python, and shell sessions of
/// `python manage.py` commands.
fn is_runnable(lang: &str) -> bool {
    crate::languages::find(lang).is_some_and(|language| language.kind.is_runnable())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_language_and_attributes() {
        let info =
            CodeInfo::parse(r#"python title="shop/views.py" linenos hl_lines="3 5-7""#).unwrap();
        assert_eq!(info.lang.as_deref(), Some("python"));
        assert_eq!(info.title.as_deref(), Some("shop/views.py"));
        assert!(info.linenos);
        assert_eq!(info.hl_lines, vec![3..=3, 5..=7]);
        assert!(info.is_highlighted(6) && !info.is_highlighted(4));
        assert_eq!(info.last_highlighted_line(), Some(7));
    }

    #[test]
    fn titles_may_hold_spaces_and_single_quotes() {
        let info = CodeInfo::parse("html+django title='my template.html' nocheck").unwrap();
        assert_eq!(info.title.as_deref(), Some("my template.html"));
        assert!(info.nocheck);
    }

    #[test]
    fn empty_info_means_no_language() {
        assert_eq!(CodeInfo::parse("").unwrap(), CodeInfo::default());
        assert_eq!(
            CodeInfo::parse("Python").unwrap().lang.as_deref(),
            Some("python")
        );
    }

    #[test]
    fn unknown_attributes_get_a_hint() {
        let error = CodeInfo::parse("python titel=\"x\"").unwrap_err();
        assert_eq!(error.message, "unknown code block attribute `titel`");
        assert_eq!(error.hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(error.span, 7..16);
    }

    #[test]
    fn run_attributes_parse() {
        let info =
            CodeInfo::parse(r#"python title="shop/models.py" run queries django="6.1""#).unwrap();
        assert!(info.run && info.sql);
        assert_eq!(info.django.as_deref(), Some("6.1"));
        let waived = CodeInfo::parse(r#"python norun="needs a Redis server""#).unwrap();
        assert_eq!(waived.norun.as_deref(), Some("needs a Redis server"));
        let output = CodeInfo::parse(r#"output django="5.2""#).unwrap();
        assert_eq!(output.django.as_deref(), Some("5.2"));
        let log = CodeInfo::parse(r#"output norun="a production log""#).unwrap();
        assert_eq!(log.norun.as_deref(), Some("a production log"));
        assert!(CodeInfo::parse("console run").unwrap().run);
        let template = CodeInfo::parse(r#"html+django title="shop/templates/shop/list.html" run"#);
        assert!(
            template.unwrap().run,
            "a file the page names joins the project"
        );
    }

    #[test]
    fn run_attributes_that_do_not_fit_are_errors() {
        let message = |info: &str| CodeInfo::parse(info).unwrap_err().message;
        assert_eq!(message("python norun"), "a `norun` waiver needs a reason");
        assert_eq!(
            message(r#"python norun="  ""#),
            "a `norun` waiver needs a reason"
        );
        assert_eq!(
            message(r#"python run norun="x""#),
            "a sample cannot be both `run` and `norun`"
        );
        assert_eq!(
            message("output run"),
            "`run` belongs on the sample, not on its output"
        );
        assert_eq!(message("html run"), "`html` samples cannot be run");
        assert_eq!(
            message("python queries"),
            "`queries` only applies to a `run` sample"
        );
        assert_eq!(CodeInfo::parse("sql").unwrap().lang.as_deref(), Some("sql"));
        assert_eq!(
            CodeInfo::parse("django").unwrap().lang.as_deref(),
            Some("django")
        );
        assert_eq!(
            message(r#"python django="6""#),
            "`6` is not a Django release line"
        );
        assert_eq!(
            message(r#"python django="6.1""#),
            "`django` only applies to a `run` sample or an output block"
        );
        let error = CodeInfo::parse("python norun").unwrap_err();
        assert_eq!(error.span, 7..12);
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(CodeInfo::parse("py hl_lines=\"7-3\"").is_err());
        assert!(CodeInfo::parse("py hl_lines=\"x\"").is_err());
        assert!(CodeInfo::parse("py title=\"open").is_err());
        assert!(CodeInfo::parse("py linenos=yes").is_err());
        assert!(CodeInfo::parse("py title").is_err());
    }
}
