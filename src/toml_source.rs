//! Parsing TOML that an author typed (front matter, `site.toml`) into typed
//! structs, turning every problem into a located [`Diagnostic`].
//!
//! Serde stops at the first error, so unknown top-level keys are found first
//! with toml's span-keeping parser: an author who misspells three keys sees
//! three errors, each with a did-you-mean hint.
//!
//! Syntax errors are the opposite: the recovering parser reports every token
//! it trips over after the first mistake (a missing `]` gives one error per
//! following key), so only the first is kept, and an array or inline table
//! that is never closed is reported where it opens.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml::de::DeTable;

use crate::diagnostics::{Diagnostic, did_you_mean, quoted_list, suggestion_hint};

/// A TOML document embedded in a file at byte `offset` (0 for a whole file).
pub struct TomlSource<'a> {
    pub path: &'a Path,
    /// The whole file, for line numbers and the source line shown in errors.
    pub file_text: &'a str,
    pub offset: usize,
    pub toml_text: &'a str,
}

impl TomlSource<'_> {
    /// Deserialize into `T`, whose top-level keys are `known_keys`.
    pub fn parse<T: DeserializeOwned>(&self, known_keys: &[&str]) -> Result<T, Vec<Diagnostic>> {
        self.parse_with_entries(known_keys).map(|(value, _)| value)
    }

    /// [`TomlSource::parse`], also returning where each top-level entry
    /// (`key = value`) was written, for errors about values that parse but
    /// are not valid.
    pub fn parse_with_entries<T: DeserializeOwned>(
        &self,
        known_keys: &[&str],
    ) -> Result<(T, EntrySpans), Vec<Diagnostic>> {
        let (table, syntax_errors) = DeTable::parse_recoverable(self.toml_text);
        if let Some(first) = syntax_errors
            .iter()
            .min_by_key(|error| error.span().map_or(0, |span| span.start))
        {
            return Err(vec![self.syntax_error(first)]);
        }
        let mut keys: Vec<_> = table.get_ref().keys().collect();
        keys.sort_by_key(|key| key.span().start);
        let unknown: Vec<Diagnostic> = keys
            .into_iter()
            .filter(|key| !known_keys.contains(&key.get_ref().as_ref()))
            .map(|key| {
                let name: &str = key.get_ref().as_ref();
                self.error_at(key.span(), format!("unknown key `{name}`"))
                    .with_hint(suggestion_hint(name, known_keys.iter().copied()))
            })
            .collect();
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let entries = EntrySpans(
            table
                .get_ref()
                .iter()
                .map(|(key, value)| {
                    let span = key.span().start..value.span().end.max(key.span().end);
                    let file_span = self.offset + span.start..self.offset + span.end;
                    (key.get_ref().to_string(), file_span)
                })
                .collect(),
        );
        let value =
            toml::from_str(self.toml_text).map_err(|error| vec![self.diagnostic_for(&error)])?;
        Ok((value, entries))
    }

    /// A diagnostic at a span of the TOML text.
    pub fn error_at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(
            self.path,
            self.file_text,
            self.offset + span.start..self.offset + span.end,
            message,
        )
    }

    /// The first syntax error, or the bracket left open before it.
    fn syntax_error(&self, first: &toml::de::Error) -> Diagnostic {
        let at = first.span().map_or(0, |span| span.start);
        let line_of = |offset: usize| self.toml_text[..offset].matches('\n').count();
        let Some(open) = unclosed_brackets(self.toml_text)
            .into_iter()
            .rfind(|open| open.offset < at && line_of(open.offset) < line_of(at))
        else {
            return self.diagnostic_for(first);
        };
        let (what, close) = match open.bracket {
            b'{' => ("inline table", '}'),
            _ => ("array", ']'),
        };
        let line_start = self.toml_text[..open.offset]
            .rfind('\n')
            .map_or(0, |index| index + 1);
        let line_end = self.toml_text[open.offset..]
            .find('\n')
            .map_or(self.toml_text.len(), |index| open.offset + index);
        let line = &self.toml_text[line_start..line_end];
        let key = line
            .split_once('=')
            .map(|(key, _)| key.trim())
            .filter(|key| !key.is_empty() && line_start + key.len() < open.offset);
        let message = match key {
            Some(key) => format!("the {what} of `{key}` is never closed: missing `{close}`"),
            None => format!("{what} is never closed: missing `{close}`"),
        };
        let end = line_start + line.trim_end().len();
        self.error_at(open.offset..end.max(open.offset + 1), message)
            .with_hint(format!(
                "add `{close}` after its last item; the lines after it were read as part of it"
            ))
    }

    fn diagnostic_for(&self, error: &toml::de::Error) -> Diagnostic {
        let message = error.message().trim_end().replace('\n', " ");
        if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            // The span is the whole document; the file's first line reads better.
            let first_line = self.file_text.find('\n').unwrap_or(self.file_text.len());
            return Diagnostic::at(self.path, self.file_text, 0..first_line, message.clone())
                .with_hint(format!("add `{field} = ...` to the front matter"));
        }
        let span = error.span().unwrap_or(0..0);
        let hint = unknown_field_hint(&message);
        self.error_at(span, message).with_optional_hint(hint)
    }
}

/// File spans of top-level entries, from the key to the end of its value.
#[derive(Debug, Default)]
pub struct EntrySpans(std::collections::BTreeMap<String, Range<usize>>);

impl EntrySpans {
    /// Where `key = value` was written; an empty span at the start of the
    /// file if the key is not there (a default was used).
    pub fn of(&self, key: &str) -> Range<usize> {
        self.0.get(key).cloned().unwrap_or(0..0)
    }
}

/// An opening bracket with no closing one.
struct OpenBracket {
    offset: usize,
    bracket: u8,
}

/// Every `[` and `{` of `text` that is never closed, outermost first. Uses
/// toml's own lexer, so brackets inside strings and comments do not count;
/// table headers (`[a]`, `[[a]]`) balance themselves.
fn unclosed_brackets(text: &str) -> Vec<OpenBracket> {
    use toml_parser::lexer::TokenKind;
    let mut open: Vec<OpenBracket> = Vec::new();
    for token in toml_parser::Source::new(text).lex() {
        let offset = token.span().start();
        match token.kind() {
            TokenKind::LeftSquareBracket => open.push(OpenBracket {
                offset,
                bracket: b'[',
            }),
            TokenKind::LeftCurlyBracket => open.push(OpenBracket {
                offset,
                bracket: b'{',
            }),
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                open.pop();
            }
            _ => {}
        }
    }
    open
}

/// Serde reports "unknown field `x`, expected one of `a`, `b`"; turn the list
/// into a did-you-mean when one name is close.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    if expected.is_empty() {
        return None;
    }
    Some(match did_you_mean(field, expected.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("expected one of {}", quoted_list(expected)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        #[serde(default)]
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        file: String,
    }

    fn parse(file: &str) -> Result<Doc, Vec<Diagnostic>> {
        let offset = 4;
        TomlSource {
            path: Path::new("x.md"),
            file_text: file,
            offset,
            toml_text: &file[offset..],
        }
        .parse(&["title", "items"])
    }

    #[test]
    fn every_unknown_top_level_key_is_reported() {
        let errors = parse("+++\ntitel = \"a\"\nitmes = []\n").unwrap_err();
        let lines: Vec<_> = errors.iter().map(|d| d.headline()).collect();
        assert_eq!(
            lines,
            [
                "x.md:2:1: unknown key `titel`",
                "x.md:3:1: unknown key `itmes`"
            ]
        );
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let errors = parse("+++\ntitle = \"a\"\nbroken = \n").unwrap_err();
        assert_eq!(errors[0].line, 3);
    }

    #[test]
    fn nested_unknown_fields_get_a_hint() {
        let errors = parse("+++\ntitle = \"a\"\n[[items]]\nfiel = \"x\"\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 4);
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `file`?"));
    }

    #[test]
    fn an_unclosed_array_is_reported_once_where_it_opens() {
        let errors = parse(
            "+++\ntitle = \"a\"\nitems = [\"a\", \"b\"\nflag = true\nother = 1\n[[items]]\nfile = \"x\"\n",
        )
        .unwrap_err();
        let lines: Vec<_> = errors.iter().map(|d| d.headline()).collect();
        assert_eq!(
            lines,
            ["x.md:3:9: the array of `items` is never closed: missing `]`"]
        );
        assert_eq!(errors[0].width, "[\"a\", \"b\"".len());
    }

    #[test]
    fn a_multi_line_array_left_open_and_an_inline_table() {
        let errors = parse("+++\nitems = [\n  \"a\",\n  \"b\"\ntitle = \"x\"\n").unwrap_err();
        assert_eq!(
            errors[0].headline(),
            "x.md:2:9: the array of `items` is never closed: missing `]`"
        );
        let errors = parse("+++\nt = { a = 1\ntitle = \"x\"\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("missing `}`"), "{errors:?}");
    }

    #[test]
    fn one_syntax_error_per_file_and_brackets_in_strings_do_not_count() {
        let errors = parse("+++\ntitle = \"[a\"  # {\nx = [\"a\" \"b\"]\ny = \n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 3, "{errors:?}");
    }

    #[test]
    fn type_errors_are_located() {
        let errors = parse("+++\ntitle = 3\n").unwrap_err();
        assert_eq!((errors[0].line, errors[0].column), (2, 9));
    }
}
