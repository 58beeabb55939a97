//! Theme static files copied to the output; the stylesheet and script get a
//! content hash in their names so browsers may cache them forever.

use crate::output_file::OutputFile;
use crate::pages::context::Assets;
use crate::site::Urls;
use crate::theme::Theme;

const STYLESHEET: &str = "style.css";
const SCRIPT: &str = "main.js";
const SEARCH: &str = "search.js";

/// The theme's static files as output files, and the URLs of the fingerprinted ones.
/// `extra_css` (the generated highlighting styles) is appended to the stylesheet.
pub fn collect(theme: &Theme, urls: &Urls, extra_css: &str) -> (Vec<OutputFile>, Assets) {
    let mut files = Vec::with_capacity(theme.static_files.len());
    let mut assets = Assets {
        stylesheet: urls.path(STYLESHEET),
        script: urls.path(SCRIPT),
        search: urls.path(SEARCH),
    };
    for (path, file) in &theme.static_files {
        let mut contents = file.contents.clone();
        if path == STYLESHEET {
            contents.extend_from_slice(extra_css.as_bytes());
        }
        let contents = minify(path, contents);
        let slot = match path.as_str() {
            STYLESHEET => Some(&mut assets.stylesheet),
            SCRIPT => Some(&mut assets.script),
            SEARCH => Some(&mut assets.search),
            _ => None,
        };
        let output_path = match slot {
            Some(url) => {
                let fingerprinted = fingerprinted_name(path, &contents);
                *url = urls.path(&fingerprinted);
                fingerprinted
            }
            None => path.clone(),
        };
        files.push(OutputFile {
            path: output_path,
            contents,
        });
    }
    (files, assets)
}

/// Scripts lose comments and whitespace; anything the minifier cannot
/// handle is written unchanged. Stylesheets are left alone: the CSS minifier
/// drops the spaces `clamp()` needs around `+` and `-`, silently breaking a
/// theme's rules, and gzip recovers most of what it would save.
fn minify(path: &str, contents: Vec<u8>) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(&contents) else {
        return contents;
    };
    let minified = if path.ends_with(".js") {
        minify_js(text)
    } else {
        None
    };
    minified.map_or(contents, String::into_bytes)
}

/// Minified JavaScript, or `None` if the minifier rejects the source.
pub fn minify_js(source: &str) -> Option<String> {
    minifier::js::minify(source).ok().map(|js| js.to_string())
}

/// `style.css` → `assets/style.3f2a9c1d.css`.
fn fingerprinted_name(path: &str, contents: &[u8]) -> String {
    let (stem, extension) = path.rsplit_once('.').unwrap_or((path, ""));
    format!("assets/{stem}.{:08x}.{extension}", fnv1a(contents) as u32)
}

/// FNV-1a: stable across Rust releases and platforms, unlike std's hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_minified_other_files_are_not() {
        let js = minify("a.js", b"// note\nvar answer = 42; /* why */\n".to_vec());
        assert_eq!(String::from_utf8(js).unwrap(), "var answer=42;");
        let css = b"h1 { font-size: clamp(1rem, 1rem + 2vw, 2rem); }".to_vec();
        assert_eq!(minify("a.css", css.clone()), css);
        assert_eq!(minify("a.svg", b"<svg> </svg>".to_vec()), b"<svg> </svg>");
    }

    #[test]
    fn fingerprints_change_with_content_only() {
        let a = fingerprinted_name("style.css", b"body{}");
        assert_eq!(a, fingerprinted_name("style.css", b"body{}"));
        assert_ne!(a, fingerprinted_name("style.css", b"body{ }"));
        assert!(a.starts_with("assets/style.") && a.ends_with(".css"));
    }
}
