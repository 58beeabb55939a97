//! Themes: the default theme is compiled into the binary; a folder
//! `themes/NAME/` overrides it file by file (`templates/x.html`, `static/x`).

mod errors;
mod fingerprints;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
pub use errors::{Rendering, TemplateSource};

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8])),*]
    };
}

/// The default theme's files, relative to `themes/default/`.
const DEFAULT_FILES: &[(&str, &[u8])] = embedded![
    "templates/base.html",
    "templates/home.html",
    "templates/topic.html",
    "templates/question.html",
    "templates/level.html",
    "templates/questions.html",
    "templates/tag.html",
    "templates/tags.html",
    "templates/search.html",
    "templates/changes.html",
    "templates/404.html",
    "templates/partials/question-item.html",
    "templates/partials/progress.html",
    "templates/partials/practice.html",
    "templates/partials/practice-bar.html",
    "static/style.css",
    "static/main.js",
    "static/search.js",
    "static/favicon.svg",
    "static/favicon.ico",
];

/// A file of the theme and where it came from, for error messages.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub contents: Vec<u8>,
    /// Path shown to authors: on disk for overrides; for built-in files, where
    /// they live in djguide's repository (`themes/default/...`).
    pub origin: PathBuf,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (`question.html`) → file.
    pub templates: BTreeMap<String, ThemeFile>,
    /// Path under the output root (`style.css`) → file.
    pub static_files: BTreeMap<String, ThemeFile>,
}

impl Theme {
    /// The built-in theme overlaid with `root/themes/<name>/` when that folder exists.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut theme = Theme::default();
        for (path, contents) in DEFAULT_FILES {
            theme.insert(
                path,
                contents.to_vec(),
                PathBuf::from(format!("themes/default/{path}")),
            );
        }
        // A name, not a path: `theme = "/"` or `"../.."` would read (and
        // publish) files from outside `themes/`.
        let mut parts = Path::new(name).components();
        let is_folder_name = !name.contains(['/', '\\'])
            && matches!(
                (parts.next(), parts.next()),
                (Some(Component::Normal(_)), None)
            );
        if !is_folder_name {
            return Err(Diagnostic::file(
                Path::new("site.toml"),
                format!("theme `{name}` is not a folder name"),
            )
            .with_hint("name a folder in themes/, e.g. `theme = \"default\"`"));
        }
        let folder = root.join("themes").join(name);
        if !folder.is_dir() {
            if name == "default" {
                return Ok(theme);
            }
            return Err(Diagnostic::file(
                Path::new("site.toml"),
                format!("theme `{name}` not found"),
            )
            .with_hint(format!(
                "create themes/{name}/ or set `theme = \"default\"`"
            )));
        }
        for entry in WalkDir::new(&folder)
            .follow_links(false)
            .sort_by_file_name()
        {
            let entry = entry.map_err(|error| {
                Diagnostic::file(&folder, format!("cannot read theme folder: {error}"))
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = crate::slash_path::relative(&folder, entry.path());
            let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let contents = std::fs::read(entry.path())
                .map_err(|error| Diagnostic::file(shown, format!("cannot read: {error}")))?;
            theme.insert(&relative, contents, shown.to_path_buf());
        }
        Ok(theme)
    }

    fn insert(&mut self, relative: &str, contents: Vec<u8>, origin: PathBuf) {
        let file = ThemeFile { contents, origin };
        if let Some(name) = relative.strip_prefix("templates/") {
            self.templates.insert(name.to_string(), file);
        } else if let Some(name) = relative.strip_prefix("static/") {
            self.static_files.insert(name.to_string(), file);
        }
    }

    /// Compile the templates; HTML and XML output is autoescaped.
    pub fn compile(&self) -> Result<Templates, Vec<Diagnostic>> {
        let _span = crate::timings::span("templates");
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let mut sources = BTreeMap::new();
        for (name, file) in &self.templates {
            let text = std::str::from_utf8(&file.contents).map_err(|_| {
                vec![Diagnostic::file(
                    &file.origin,
                    "template is not valid UTF-8",
                )]
            })?;
            sources.insert(
                name.clone(),
                TemplateSource {
                    origin: file.origin.clone(),
                    text: text.to_string(),
                },
            );
        }
        let raw = sources
            .iter()
            .map(|(name, source)| (name.as_str(), source.text.as_str()));
        if let Err(error) = tera.add_raw_templates(raw) {
            return Err(errors::diagnose(&error, &sources, None));
        }
        let fingerprints = fingerprints::of_each(&sources);
        Ok(Templates {
            tera,
            sources,
            fingerprints,
        })
    }
}

/// The compiled templates, and their sources for error messages.
pub struct Templates {
    pub tera: tera::Tera,
    sources: BTreeMap<String, TemplateSource>,
    /// Per template, a fingerprint of its text and of every template it
    /// extends, includes or imports.
    fingerprints: BTreeMap<String, u64>,
}

impl Templates {
    /// What a page rendered with `template` depends on in the theme: a page
    /// cache keyed by it re-renders exactly the pages an edit reaches.
    pub fn fingerprint(&self, template: &str) -> u64 {
        self.fingerprints.get(template).copied().unwrap_or_default()
    }

    /// Render `template`; an error is located in the template file it
    /// comes from (which may be a parent or a partial).
    pub fn render<T: serde::Serialize>(
        &self,
        template: &str,
        site: &impl serde::Serialize,
        page: &T,
    ) -> Result<String, Vec<Diagnostic>> {
        let mut context = tera::Context::new();
        context.insert("site", site);
        context.insert("page", page);
        self.tera.render(template, &context).map_err(|error| {
            // Only on failure: the values, for did-you-mean on their fields.
            let values = serde_json::json!({ "site": site, "page": page });
            let rendering = Rendering {
                template,
                context: &values,
            };
            errors::diagnose(&error, &self.sources, Some(&rendering))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_theme_compiles() {
        let dir = tempfile::tempdir().unwrap();
        let theme = Theme::load(dir.path(), "default").unwrap();
        assert!(theme.templates.contains_key("question.html"));
        assert!(theme.static_files.contains_key("style.css"));
        theme.compile().unwrap();
    }

    #[test]
    fn a_theme_folder_overrides_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("themes/mine/templates");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("404.html"), "custom").unwrap();
        let theme = Theme::load(dir.path(), "mine").unwrap();
        assert_eq!(theme.templates["404.html"].contents, b"custom");
        assert_eq!(
            theme.templates["404.html"].origin,
            PathBuf::from("themes/mine/templates/404.html")
        );
        assert!(
            theme.templates["question.html"].origin
                == Path::new("themes/default/templates/question.html")
        );
    }

    #[test]
    fn a_missing_named_theme_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let error = Theme::load(dir.path(), "fancy").unwrap_err();
        assert_eq!(error.message, "theme `fancy` not found");
    }

    #[test]
    fn a_theme_name_cannot_leave_the_themes_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("themes")).unwrap();
        for name in ["/", "..", "../..", ".", "", "a/b", "a\\b", "/etc"] {
            let error = Theme::load(dir.path(), name).unwrap_err();
            assert_eq!(
                error.message,
                format!("theme `{name}` is not a folder name")
            );
        }
    }
}
