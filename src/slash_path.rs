//! Paths as `/`-separated text: link keys (`orm/n-plus-one.md`), theme file
//! names, output paths and the paths shown in exports are written this way
//! on every platform.

use std::path::Path;

/// `path` below `base` (all of `path` if it is not below it), with `/`
/// between its parts.
pub fn relative(base: &Path, path: &Path) -> String {
    to_slash(path.strip_prefix(base).unwrap_or(path))
}

/// `path` with `/` between its parts.
pub fn to_slash(path: &Path) -> String {
    path.components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_the_parts_below_the_base() {
        let base = Path::new("site/content");
        assert_eq!(relative(base, &base.join("orm").join("a.md")), "orm/a.md");
        assert_eq!(
            relative(base, Path::new("elsewhere/b.md")),
            "elsewhere/b.md"
        );
        assert_eq!(
            to_slash(Path::new("content").join("x.md").as_path()),
            "content/x.md"
        );
    }
}
