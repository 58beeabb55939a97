//! Which URLs content and configuration may point at: `http:`, `https:`,
//! `mailto:` and relative URLs (`#fragment`, `/path`, `../x.md`, `//host`).
//! Everything else (`javascript:`, `vbscript:`, `data:`, `file:`, …) is
//! refused.
//!
//! A browser cleans a URL before reading its scheme: it trims leading and
//! trailing control characters and spaces and deletes every tab and line
//! break, and schemes are case-insensitive. The check does the same first,
//! so ` JaVa\tScRiPt:` is seen as the `javascript:` it becomes. Entities
//! (`java&#x09;script:`) are already decoded by the Markdown or HTML parser
//! that hands the URL over. Any control character left over is refused too:
//! no real URL contains one, and it can only be there to confuse a reader or
//! a parser.

/// The schemes a URL may have, lowercase, without the colon.
pub const ALLOWED_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// What a URL is, when it is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlKind {
    /// No scheme: a path, a fragment, a query or a scheme-relative `//host/…`.
    Relative,
    /// One of [`ALLOWED_SCHEMES`], lowercase.
    Absolute(&'static str),
}

/// Why a URL is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    /// The scheme as the browser would read it, lowercase (`javascript`).
    Scheme(String),
    /// A control character (other than the tabs and line breaks a browser
    /// removes) anywhere in the URL.
    Control(char),
    /// Not an absolute `http(s)://host…` URL where one is required.
    NotAbsolute,
}

impl UrlError {
    /// `path:line:col: {what} …` message for a URL written as `url`, and a hint.
    pub fn describe(&self, what: &str, url: &str) -> (String, String) {
        let message = match self {
            UrlError::Scheme(scheme) => format!(
                "{what} `{}` has the scheme `{scheme}:`, which is not allowed",
                shown(url)
            ),
            UrlError::Control(c) => format!(
                "{what} `{}` contains the control character U+{:04X}",
                shown(url),
                u32::from(*c)
            ),
            UrlError::NotAbsolute => {
                return (
                    format!("{what} `{}` is not an absolute http(s) URL", shown(url)),
                    "write an absolute URL such as `https://github.com/you/guide`".to_string(),
                );
            }
        };
        (message, HINT.to_string())
    }
}

/// The hint shown with every refused URL.
pub const HINT: &str = "use an `https:`, `http:` or `mailto:` URL, or a relative one such as `../orm/n-plus-one.md`, `/path/` or `#section`";

/// Check one URL; see the module documentation for the rules.
pub fn check(url: &str) -> Result<UrlKind, UrlError> {
    let cleaned = browser_cleaned(url);
    if let Some(scheme) = scheme_of(&cleaned) {
        let lower = scheme.to_ascii_lowercase();
        return match ALLOWED_SCHEMES.iter().find(|allowed| **allowed == lower) {
            Some(allowed) => control_free(url).map(|()| UrlKind::Absolute(allowed)),
            None => Err(UrlError::Scheme(lower)),
        };
    }
    control_free(url).map(|()| UrlKind::Relative)
}

/// An absolute `http:` or `https:` URL with a host, for `site.toml` keys that
/// must point at another site (`repository`).
pub fn check_absolute_http(url: &str) -> Result<(), UrlError> {
    match check(url)? {
        UrlKind::Absolute("http" | "https")
            if url
                .split_once("://")
                .is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/')) =>
        {
            Ok(())
        }
        UrlKind::Absolute(_) | UrlKind::Relative => Err(UrlError::NotAbsolute),
    }
}

/// The URL as the WHATWG URL parser sees it before parsing: C0 controls and
/// spaces trimmed from both ends, tabs and line breaks removed everywhere.
fn browser_cleaned(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// `scheme` in `scheme:rest` when it is a valid scheme (a letter, then
/// letters, digits, `+`, `-` or `.`); anything else makes the URL relative.
fn scheme_of(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

fn control_free(url: &str) -> Result<(), UrlError> {
    match url.chars().find(|c| c.is_control()) {
        Some(c) => Err(UrlError::Control(c)),
        None => Ok(()),
    }
}

/// A URL as quoted in a message: control characters escaped, long ones
/// (inline `data:` images) cut short.
fn shown(url: &str) -> String {
    const MAX: usize = 60;
    let escaped: String = url
        .chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if escaped.chars().count() <= MAX {
        escaped
    } else {
        let mut cut: String = escaped.chars().take(MAX).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_web_mail_and_relative_urls() {
        for (url, kind) in [
            ("https://djangoproject.com/", UrlKind::Absolute("https")),
            ("HTTP://example.com", UrlKind::Absolute("http")),
            ("mailto:a@example.com", UrlKind::Absolute("mailto")),
            ("#the-fix", UrlKind::Relative),
            ("/guide/orm/", UrlKind::Relative),
            ("../orm/n-plus-one.md#why", UrlKind::Relative),
            ("samples/x.py", UrlKind::Relative),
            ("//cdn.example.com/x.png", UrlKind::Relative),
            ("?q=1", UrlKind::Relative),
            ("a b.md", UrlKind::Relative),
            ("", UrlKind::Relative),
            // A colon after a slash is part of a path, not a scheme.
            ("./javascript:alert(1)", UrlKind::Relative),
            ("javascript%3Aalert(1)", UrlKind::Relative),
        ] {
            assert_eq!(check(url), Ok(kind), "{url:?}");
        }
    }

    #[test]
    fn refuses_other_schemes_however_they_are_disguised() {
        for (url, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("JaVaScRiPt:alert(1)", "javascript"),
            (" javascript:alert(1)", "javascript"),
            ("\u{1}\u{20}javascript:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("java\nscript:alert(1)", "javascript"),
            ("jav\r\nascript:alert(1)", "javascript"),
            ("vbscript:msgbox(1)", "vbscript"),
            ("data:text/html;base64,PHNjcmlwdD4=", "data"),
            ("DATA:image/png;base64,AAAA", "data"),
            ("file:///etc/passwd", "file"),
            ("ftp://example.com/", "ftp"),
            ("c:\\windows", "c"),
        ] {
            assert_eq!(check(url), Err(UrlError::Scheme(scheme.into())), "{url:?}");
        }
    }

    #[test]
    fn refuses_control_characters_anywhere() {
        assert_eq!(check("java\u{0}script:x"), Err(UrlError::Control('\0')));
        assert_eq!(check("https://x/\u{7f}"), Err(UrlError::Control('\u{7f}')));
        assert_eq!(check("a\tb.md"), Err(UrlError::Control('\t')));
    }

    #[test]
    fn repository_urls_must_be_absolute_http() {
        assert!(check_absolute_http("https://github.com/x/y").is_ok());
        assert_eq!(
            check_absolute_http("javascript://github.com/%0aalert(1)"),
            Err(UrlError::Scheme("javascript".into()))
        );
        for url in ["https:///x", "/x/y", "mailto:a@b.c", "github.com/x"] {
            assert_eq!(
                check_absolute_http(url),
                Err(UrlError::NotAbsolute),
                "{url}"
            );
        }
    }

    #[test]
    fn messages_quote_the_url_safely() {
        let (message, hint) =
            UrlError::Scheme("javascript".into()).describe("link URL", "java\tscript:x");
        assert_eq!(
            message,
            "link URL `java\\tscript:x` has the scheme `javascript:`, which is not allowed"
        );
        assert!(hint.contains("relative"));
        let long = format!("data:{}", "A".repeat(500));
        let (message, _) = UrlError::Scheme("data".into()).describe("image URL", &long);
        assert!(message.len() < 150 && message.contains('…'), "{message}");
    }
}
