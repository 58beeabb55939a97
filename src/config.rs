//! `site.toml`: the typed site configuration.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostics::Diagnostic;
use crate::toml_source::TomlSource;
use crate::url_policy;

/// The three levels every question belongs to, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Junior,
    Mid,
    Senior,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Junior, Level::Mid, Level::Senior];
    pub const NAMES: [&'static str; 3] = ["junior", "mid", "senior"];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Junior => "junior",
            Level::Mid => "mid",
            Level::Senior => "senior",
        }
    }

    pub fn parse(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.as_str() == name)
    }
}

/// How a level is presented to readers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LevelLabel {
    pub label: String,
    /// Experience band, e.g. "0–2 years".
    pub experience: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LevelLabels {
    pub junior: LevelLabel,
    pub mid: LevelLabel,
    pub senior: LevelLabel,
}

impl LevelLabels {
    pub fn get(&self, level: Level) -> &LevelLabel {
        match level {
            Level::Junior => &self.junior,
            Level::Mid => &self.mid,
            Level::Senior => &self.senior,
        }
    }
}

impl Default for LevelLabels {
    fn default() -> Self {
        let label = |label: &str, experience: &str, description: &str| LevelLabel {
            label: label.into(),
            experience: experience.into(),
            description: description.into(),
        };
        LevelLabels {
            junior: label(
                "Junior",
                "0–2 years",
                "The foundations every Django developer is expected to explain.",
            ),
            mid: label(
                "Mid",
                "2–5 years",
                "Working knowledge: performance, trade-offs and the framework's internals.",
            ),
            senior: label(
                "Senior",
                "5+ years",
                "Design, scale and failure modes: reasoning a team can rely on.",
            ),
        }
    }
}

/// Syntax highlighting themes for the light and dark colour schemes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HighlightConfig {
    /// Spans in `site.toml`, for the error when the highlighter does not
    /// know the theme (an empty span for the default).
    pub light_theme: Spanned<String>,
    pub dark_theme: Spanned<String>,
}

impl Default for HighlightConfig {
    fn default() -> Self {
        HighlightConfig {
            light_theme: Spanned::new(0..0, "InspiredGitHub".into()),
            dark_theme: Spanned::new(0..0, "base16-ocean.dark".into()),
        }
    }
}

/// `[samples]`: what the guide's test suite runs the runnable samples on.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SamplesConfig {
    /// One entry per Django line the suite runs, with the exact versions it
    /// pins. Run samples are marked with them; the suite fails when the
    /// installed versions differ, so the mark stays true.
    #[serde(default)]
    pub verified_with: Vec<VerifiedVersions>,
}

/// The exact versions of one Django line the samples run on.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct VerifiedVersions {
    pub django: String,
    #[serde(default)]
    pub drf: Option<String>,
}

impl VerifiedVersions {
    /// `"5.2"` for Django 5.2.19: the line a fence's `django` attribute names.
    pub fn line(&self) -> &str {
        let mut dots = self.django.match_indices('.').map(|(index, _)| index);
        let _major_end = dots.next();
        match dots.next() {
            Some(end) => &self.django[..end],
            None => &self.django,
        }
    }
}

/// `[markdown]`: how page bodies become HTML.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Pass raw HTML in Markdown through verbatim instead of sanitising it.
    /// Only for a site whose every author is trusted: it lets any author run
    /// script on every reader's page.
    #[serde(default)]
    pub unsafe_html: bool,
}

/// `site.toml` as the author wrote it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Absolute URL of the published site; may carry a path (`https://x.github.io/guide/`).
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Repository web URL for "edit this page" links (GitHub/GitLab style).
    #[serde(default)]
    pub repository: Option<String>,
    /// Branch used in "edit this page" links.
    #[serde(default = "default_branch")]
    pub branch: String,
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    #[serde(default)]
    pub levels: LevelLabels,
    #[serde(default)]
    pub highlight: HighlightConfig,
    #[serde(default)]
    pub samples: SamplesConfig,
    #[serde(default)]
    pub markdown: MarkdownConfig,
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "repository",
    "branch",
    "output_dir",
    "levels",
    "highlight",
    "samples",
    "markdown",
];

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_branch() -> String {
    "main".into()
}
fn default_output_dir() -> PathBuf {
    PathBuf::from("public")
}

impl SiteConfig {
    /// Read `site.toml`, for [`SiteConfig::parse`] and for errors found
    /// later about its values; `shown_path` is the path used in messages.
    pub fn read(path: &Path, shown_path: &Path) -> Result<String, Vec<Diagnostic>> {
        std::fs::read_to_string(path).map_err(|error| {
            vec![
                Diagnostic::file(
                    shown_path,
                    format!("cannot read site configuration: {error}"),
                )
                .with_hint("create site.toml with at least `title` and `base_url`"),
            ]
        })
    }

    pub fn parse(text: &str, shown_path: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let source = TomlSource {
            path: shown_path,
            file_text: text,
            offset: 0,
            toml_text: text,
        };
        let (mut config, entries): (SiteConfig, _) = source.parse_with_entries(KNOWN_KEYS)?;
        let url_error = |message: &str| {
            vec![
                Diagnostic::at(shown_path, text, entries.of("base_url"), message)
                    .with_hint("write an absolute URL such as `https://example.github.io/guide/`"),
            ]
        };
        let Some((scheme, rest)) = config.base_url.split_once("://") else {
            return Err(url_error("`base_url` is not an absolute URL"));
        };
        if !matches!(scheme, "http" | "https") || rest.is_empty() || rest.starts_with('/') {
            return Err(url_error(
                "`base_url` must start with http:// or https:// and a host",
            ));
        }
        if rest.contains(['?', '#', ' ']) {
            return Err(url_error(
                "`base_url` may not contain a query, fragment or space",
            ));
        }
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        // `repository` goes into the `href` of a link on every page.
        if let Some(repository) = &config.repository
            && let Err(error) = url_policy::check_absolute_http(repository)
        {
            let (message, hint) = error.describe("`repository`", repository);
            return Err(vec![
                Diagnostic::at(shown_path, text, entries.of("repository"), message).with_hint(hint),
            ]);
        }
        if let Some(repository) = &mut config.repository {
            while repository.ends_with('/') {
                repository.pop();
            }
        }
        Ok(config)
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        match after_scheme.find('/') {
            Some(index) => after_scheme[index..].to_string(),
            None => "/".to_string(),
        }
    }

    /// `https://host/path` without the trailing slash, for joining with a root-relative URL.
    pub fn origin_with_path(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// Replace `base_url` (the `--base-url` flag), re-validating it.
    pub fn with_base_url(
        mut self,
        base_url: &str,
        shown_path: &Path,
    ) -> Result<Self, Vec<Diagnostic>> {
        let line = format!("base_url = {}", toml::Value::String(base_url.to_string()));
        let checked = SiteConfig::parse(&format!("title = \"x\"\n{line}\n"), shown_path).map_err(
            |errors| {
                // The value came from the command line: point at it, not at
                // a line of site.toml it never was on.
                errors
                    .into_iter()
                    .map(|error| {
                        Diagnostic::at(
                            Path::new("--base-url"),
                            base_url,
                            0..base_url.len(),
                            error.message,
                        )
                        .with_optional_hint(error.hint)
                    })
                    .collect::<Vec<_>>()
            },
        )?;
        self.base_url = checked.base_url;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(text, Path::new("site.toml"))
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let config = parse("title = \"G\"\nbase_url = \"https://x.dev\"\n").unwrap();
        assert_eq!(config.base_url, "https://x.dev/");
        assert_eq!(config.base_path(), "/");
        assert_eq!(config.output_dir, PathBuf::from("public"));
        assert_eq!(config.levels.mid.experience, "2–5 years");
    }

    #[test]
    fn base_url_may_carry_a_path() {
        let config = parse("title = \"G\"\nbase_url = \"https://x.github.io/guide\"\n").unwrap();
        assert_eq!(config.base_path(), "/guide/");
        assert_eq!(config.origin_with_path(), "https://x.github.io/guide");
    }

    #[test]
    fn unknown_keys_get_did_you_mean() {
        let errors = parse("title = \"G\"\nbase_ulr = \"https://x\"\n").unwrap_err();
        assert_eq!(
            errors[0].headline(),
            "site.toml:2:1: unknown key `base_ulr`"
        );
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `base_url`?"));
    }

    #[test]
    fn nested_level_keys_are_checked() {
        let text = "title = \"G\"\nbase_url = \"https://x\"\n[levels.junior]\nlabel = \"J\"\nexperiance = \"0\"\n";
        let errors = parse(text).unwrap_err();
        assert_eq!(errors[0].line, 5);
    }

    #[test]
    fn a_bad_base_url_flag_is_reported_on_the_flag() {
        // Found by fuzzing: the error quoted a line that is not in site.toml.
        let config = parse("title = \"G\"\nbase_url = \"https://x.dev\"\n").unwrap();
        let errors = config
            .with_base_url("ftp://x", Path::new("site.toml"))
            .unwrap_err();
        assert_eq!(
            errors[0].headline(),
            "--base-url:1:1: `base_url` must start with http:// or https:// and a host"
        );
        assert_eq!(errors[0].source_line, "ftp://x");
        assert_eq!(errors[0].width, 7);
    }

    #[test]
    fn relative_base_url_is_rejected() {
        let errors = parse("title = \"G\"\nbase_url = \"/guide/\"\n").unwrap_err();
        assert_eq!(errors[0].line, 2);
        assert!(errors[0].message.contains("absolute"));
    }

    #[test]
    fn verified_versions_name_their_release_line() {
        let text = "title = \"G\"\nbase_url = \"https://x\"\n[samples]\nverified_with = [{ django = \"5.2.19\", drf = \"3.16.1\" }, { django = \"6.1\" }]\n";
        let config = parse(text).unwrap();
        let lines: Vec<_> = config
            .samples
            .verified_with
            .iter()
            .map(VerifiedVersions::line)
            .collect();
        assert_eq!(lines, ["5.2", "6.1"]);
        assert_eq!(
            config.samples.verified_with[0].drf.as_deref(),
            Some("3.16.1")
        );
    }

    #[test]
    fn repository_must_be_an_http_url() {
        for bad in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\\tscript:alert(1)",
            "data:text/html,x",
            "github.com/x/y",
        ] {
            let text =
                format!("title = \"G\"\nbase_url = \"https://x.dev\"\n\nrepository = \"{bad}\"\n");
            let errors = parse(&text).unwrap_err();
            assert_eq!((errors[0].line, errors[0].column), (4, 1), "{bad}");
            assert!(
                errors[0].message.starts_with("`repository` `"),
                "{}",
                errors[0].message
            );
        }
        let config = parse(
            "title = \"G\"\nbase_url = \"https://x.dev\"\nrepository = \"https://github.com/x/y/\"\n",
        )
        .unwrap();
        assert_eq!(config.repository.as_deref(), Some("https://github.com/x/y"));
    }

    #[test]
    fn base_url_errors_point_at_the_key_not_a_comment() {
        let text = "# base_url is below\ntitle = \"G\"\nbase_url = \"javascript:alert(1)//x\"\n";
        let errors = parse(text).unwrap_err();
        assert_eq!((errors[0].line, errors[0].column), (3, 1));
    }

    #[test]
    fn errors_cover_the_entry_not_a_trailing_comment() {
        let text = "title = \"G\"\nbase_url = \"https://x.dev\"\nrepository = \"javascript:x\" # was \"https://y\"\n";
        let errors = parse(text).unwrap_err();
        assert_eq!((errors[0].line, errors[0].column), (3, 1));
        assert_eq!(
            errors[0].width,
            "repository = \"javascript:x\"".chars().count()
        );
    }

    #[test]
    fn highlight_themes_keep_where_they_were_written() {
        let text = "title = \"G\"\nbase_url = \"https://x.dev\"\n# light_theme = \"Nope\"\n[highlight]\nlight_theme = \"Nope\"\ndark_theme = \"Nord\"\n";
        let config = parse(text).unwrap();
        let span = config.highlight.light_theme.span();
        assert_eq!(&text[span.clone()], "\"Nope\"");
        assert!(text[..span.start].ends_with("[highlight]\nlight_theme = "));
    }

    #[test]
    fn raw_html_is_sanitised_unless_the_site_opts_out() {
        let base = "title = \"G\"\nbase_url = \"https://x.dev\"\n";
        assert!(!parse(base).unwrap().markdown.unsafe_html);
        let config = parse(&format!("{base}[markdown]\nunsafe_html = true\n")).unwrap();
        assert!(config.markdown.unsafe_html);
        let errors = parse(&format!("{base}[markdown]\nunsafe_htm = true\n")).unwrap_err();
        assert_eq!(errors[0].line, 4);
        assert_eq!(
            errors[0].hint.as_deref(),
            Some("did you mean `unsafe_html`?")
        );
    }

    #[test]
    fn level_names_round_trip() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()), Some(level));
        }
        assert_eq!(Level::parse("expert"), None);
    }
}
