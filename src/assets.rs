//! Theme static files copied to the output; the stylesheet and script get a
//! content hash in their names so browsers may cache them forever.

use crate::output::OutputFile;
use crate::pages::context::Assets;
use crate::site::Urls;
use crate::theme::Theme;

const STYLESHEET: &str = "style.css";
const SCRIPT: &str = "main.js";

/// The theme's static files as output files, and the URLs of the fingerprinted ones.
/// `extra_css` (the generated highlighting styles) is appended to the stylesheet.
pub fn collect(theme: &Theme, urls: &Urls, extra_css: &str) -> (Vec<OutputFile>, Assets) {
    let mut files = Vec::with_capacity(theme.static_files.len());
    let mut stylesheet = urls.path(STYLESHEET);
    let mut script = urls.path(SCRIPT);
    for (path, file) in &theme.static_files {
        let mut contents = file.contents.clone();
        if path == STYLESHEET {
            contents.extend_from_slice(extra_css.as_bytes());
        }
        let output_path = if path == STYLESHEET || path == SCRIPT {
            let fingerprinted = fingerprinted_name(path, &contents);
            if path == STYLESHEET {
                stylesheet = urls.path(&fingerprinted);
            } else {
                script = urls.path(&fingerprinted);
            }
            fingerprinted
        } else {
            path.clone()
        };
        files.push(OutputFile {
            path: output_path,
            contents,
        });
    }
    (files, Assets { stylesheet, script })
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
    fn fingerprints_change_with_content_only() {
        let a = fingerprinted_name("style.css", b"body{}");
        assert_eq!(a, fingerprinted_name("style.css", b"body{}"));
        assert_ne!(a, fingerprinted_name("style.css", b"body{ }"));
        assert!(a.starts_with("assets/style.") && a.ends_with(".css"));
    }
}
