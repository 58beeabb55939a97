//! Theme static files copied to the output; the stylesheet and script get a
//! content hash in their names so browsers may cache them forever.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, PoisonError};

use crate::output_file::OutputFile;
use crate::pages::context::Assets;
use crate::site::Urls;
use crate::theme::Theme;

const STYLESHEET: &str = "style.css";
const SCRIPT: &str = "main.js";
const SEARCH: &str = "search.js";

/// The theme's static files as output files, and the URLs of the fingerprinted ones.
/// `extra_css` (the generated highlighting styles) is appended to the stylesheet.
/// `minified`: what earlier builds minified (`serve`), if anything.
pub fn collect(
    theme: &Theme,
    urls: &Urls,
    extra_css: &str,
    minified: Option<&Minified>,
) -> (Vec<OutputFile>, Assets) {
    let _span = crate::timings::span("assets");
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
        let contents = match minified {
            Some(minified) => minified.minify(path, contents),
            None => minify(path, contents),
        };
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

/// The last minified stylesheet and script, per path, kept between the
/// builds of `djguide serve`: minifying is a pure function of the file, and
/// serve rebuilds with the same stylesheet again and again (lightningcss
/// takes a few milliseconds on it).
#[derive(Debug, Default)]
pub struct Minified(Mutex<HashMap<String, (u64, Vec<u8>)>>);

impl Minified {
    fn minify(&self, path: &str, contents: Vec<u8>) -> Vec<u8> {
        let mut hasher = std::hash::DefaultHasher::new();
        contents.hash(&mut hasher);
        let key = hasher.finish();
        if let Some((hash, minified)) = self.lock().get(path)
            && *hash == key
        {
            return minified.clone();
        }
        let minified = minify(path, contents);
        self.lock()
            .insert(path.to_string(), (key, minified.clone()));
        minified
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (u64, Vec<u8>)>> {
        // Every entry is inserted whole: a poisoned lock still holds whole entries.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Scripts and stylesheets lose comments and whitespace; anything a
/// minifier cannot handle is written unchanged.
fn minify(path: &str, contents: Vec<u8>) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(&contents) else {
        return contents;
    };
    let minified = if path.ends_with(".js") {
        minify_js(text)
    } else if path.ends_with(".css") {
        minify_css(text)
    } else {
        None
    };
    minified.map_or(contents, String::into_bytes)
}

/// Minified CSS, or `None` if the stylesheet does not parse. lightningcss
/// parses values by their grammar, so `clamp()`, `min()`, custom properties
/// and `@media` come out valid (the `minifier` crate's CSS mode dropped the
/// spaces `clamp()` needs around `+` and `-`). Only the printing is minified:
/// merging rules (`StyleSheet::minify`) saved 83 bytes of 48 KB on the
/// default theme, and without it every rule stays as written, in order.
pub fn minify_css(source: &str) -> Option<String> {
    use lightningcss::stylesheet::{ParserOptions, PrinterOptions, StyleSheet};
    let sheet = StyleSheet::parse(source, ParserOptions::default()).ok()?;
    let printed = sheet
        .to_css(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .ok()?;
    Some(printed.code)
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
    use std::path::Path;

    use super::*;

    use lightningcss::rules::CssRule;
    use lightningcss::stylesheet::{ParserOptions, StyleSheet};

    #[test]
    fn scripts_and_stylesheets_are_minified_other_files_are_not() {
        let js = minify("a.js", b"// note\nvar answer = 42; /* why */\n".to_vec());
        assert_eq!(String::from_utf8(js).unwrap(), "var answer=42;");
        let css = minify(
            "a.css",
            b"/* big */\nh1 { font-size: clamp(1rem, 1rem + 2vw, 2rem); }\n".to_vec(),
        );
        assert_eq!(
            String::from_utf8(css).unwrap(),
            "h1{font-size:clamp(1rem,1rem + 2vw,2rem)}"
        );
        assert_eq!(minify("a.svg", b"<svg> </svg>".to_vec()), b"<svg> </svg>");
    }

    #[test]
    fn stylesheets_that_do_not_parse_are_written_unchanged() {
        let broken = b"h1 { color: red; } }} @media {".to_vec();
        assert_eq!(minify("a.css", broken.clone()), broken);
    }

    /// Style rules, counting those inside `@media` and other blocks.
    fn style_rules(rules: &[CssRule]) -> usize {
        rules
            .iter()
            .map(|rule| match rule {
                CssRule::Style(_) => 1,
                CssRule::Media(media) => style_rules(&media.rules.0),
                CssRule::Supports(supports) => style_rules(&supports.rules.0),
                _ => 0,
            })
            .sum()
    }

    fn parsed_style_rules(css: &str) -> usize {
        let sheet = StyleSheet::parse(css, ParserOptions::default()).unwrap();
        style_rules(&sheet.rules.0)
    }

    #[test]
    fn the_minified_theme_stylesheet_parses_back_with_every_rule() {
        let theme = crate::theme::Theme::load(Path::new(env!("CARGO_MANIFEST_DIR")), "default")
            .expect("the default theme loads");
        let palette = crate::highlight::palette("InspiredGitHub", "base16-ocean.dark").unwrap();
        let mut source =
            String::from_utf8(theme.static_files[STYLESHEET].contents.clone()).unwrap();
        source.push_str(&crate::highlight::stylesheet(&palette));
        let minified = minify_css(&source).expect("the theme's stylesheet minifies");
        assert!(
            minified.len() < source.len() * 9 / 10,
            "{} of {}",
            minified.len(),
            source.len()
        );
        assert_eq!(
            minified.matches("clamp(").count(),
            source.matches("clamp(").count() - source.matches("clamp() is").count()
        );
        assert_eq!(parsed_style_rules(&minified), parsed_style_rules(&source));
    }

    #[test]
    fn fingerprints_change_with_content_only() {
        let a = fingerprinted_name("style.css", b"body{}");
        assert_eq!(a, fingerprinted_name("style.css", b"body{}"));
        assert_ne!(a, fingerprinted_name("style.css", b"body{ }"));
        assert!(a.starts_with("assets/style.") && a.ends_with(".css"));
    }
}
