//! From a request target to a file of the built site: percent-decoding,
//! refusing anything that could name a file outside the site, and the
//! content type of each kind of file. Only keys of the in-memory tree are
//! ever served, so this is a second wall, not the only one.

use crate::output::is_safe_relative;

/// What a request path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A folder (the path ends in `/`): its `index.html`, by tree key.
    Index(String),
    /// A path without a trailing slash: the file `file` if the site has it,
    /// else a folder whose `index.html` is `index`, reached by redirecting
    /// to `location` (the path with a slash, query kept).
    Path {
        file: String,
        index: String,
        location: String,
    },
    /// Malformed, or an attempt to leave the site: answered with the 404 page.
    Refused,
}

/// Resolve a request target (`/orm/?q=1` → `orm/index.html`).
pub fn resolve(target: &str) -> Target {
    let target = target.split('#').next().unwrap_or_default();
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let Some(raw) = path.strip_prefix('/') else {
        return Target::Refused;
    };
    // Decode once, then judge the decoded path: `%2e%2e%2f` is `../`.
    let Some(decoded) = percent_decode(raw) else {
        return Target::Refused;
    };
    if decoded.is_empty() {
        return Target::Index("index.html".into());
    }
    if let Some(folder) = decoded.strip_suffix('/') {
        let key = format!("{folder}/index.html");
        return if is_safe_relative(&key) {
            Target::Index(key)
        } else {
            Target::Refused
        };
    }
    if !is_safe_relative(&decoded) {
        return Target::Refused;
    }
    let mut location = format!("/{raw}/");
    if let Some(query) = query {
        location.push('?');
        location.push_str(query);
    }
    Target::Path {
        index: format!("{decoded}/index.html"),
        file: decoded,
        location,
    }
}

/// `%XX` sequences to bytes; `None` for a malformed escape, invalid UTF-8 or NUL.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    (!decoded.contains('\0')).then_some(decoded)
}

/// The `Content-Type` of a file of the site, by extension.
pub fn content_type(key: &str) -> &'static str {
    let extension = key.rsplit_once('.').map_or("", |(_, ext)| ext);
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(key: &str) -> Target {
        Target::Index(key.into())
    }

    #[test]
    fn folders_and_files() {
        assert_eq!(resolve("/"), index("index.html"));
        assert_eq!(resolve("/?q=1"), index("index.html"));
        assert_eq!(resolve("/orm/"), index("orm/index.html"));
        assert_eq!(
            resolve("/orm/n-plus-one/?x=1#y"),
            index("orm/n-plus-one/index.html")
        );
        assert_eq!(resolve("/search/?q=a%2Fb"), index("search/index.html"));
        assert_eq!(resolve("/tags/caf%C3%A9/"), index("tags/café/index.html"));
        assert_eq!(
            resolve("/assets/style.1a.css"),
            Target::Path {
                file: "assets/style.1a.css".into(),
                index: "assets/style.1a.css/index.html".into(),
                location: "/assets/style.1a.css/".into()
            }
        );
        assert_eq!(
            resolve("/orm?x=1"),
            Target::Path {
                file: "orm".into(),
                index: "orm/index.html".into(),
                location: "/orm/?x=1".into()
            }
        );
    }

    #[test]
    fn traversal_in_any_spelling_is_refused() {
        for attempt in [
            "/../site.toml",
            "/%2e%2e/site.toml",
            "/%2E%2E/site.toml",
            "/..%2fsite.toml",
            "/..%2Fsite.toml",
            "/%2e%2e%2fsite.toml",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/orm/../../site.toml",
            "/orm/%2e%2e/%2e%2e/site.toml",
            "/..\\site.toml",
            "/..%5csite.toml",
            "/a%00.html",
            "/%zz",
            "/%2",
            "/%ff.html",
            "/./index.html",
            "/orm/./",
            "/orm//",
            "http://example.com/",
            "*",
            "",
        ] {
            assert_eq!(resolve(attempt), Target::Refused, "{attempt}");
        }
    }

    #[test]
    fn double_encoding_is_decoded_once() {
        // `%252e` is the literal name `%2e`: harmless, and simply not found.
        assert_eq!(resolve("/%252e%252e/"), index("%2e%2e/index.html"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("assets/main.1.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("search-index.json"), "application/json");
        assert_eq!(content_type("atom.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("favicon.ico"), "image/x-icon");
        assert_eq!(content_type("f.WOFF2"), "font/woff2");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
