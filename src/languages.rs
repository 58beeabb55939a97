//! The one table of languages authors name in code fences and `[[samples]]`
//! files: the names accepted, how each is highlighted, its file extension,
//! and what the sample tools do with it. Highlighting, fence attributes
//! (`run`), `[[samples]]` files, `djguide samples` (the `language` and
//! `kind` of each sample in `samples.json`) and the Python sample tools
//! (through `scripts/languages.json`, written from this table and checked
//! by a test) all read it.

use serde::Serialize;

/// A language and every name it goes by.
#[derive(Debug, Serialize)]
pub struct Language {
    /// The canonical name, exported in `samples.json`.
    pub name: &'static str,
    /// Every name an author may write, in the order error hints list them.
    pub names: &'static [&'static str],
    #[serde(skip)]
    pub grammar: Grammar,
    /// The extension of an exported sample, and the extension by which a
    /// `[[samples]]` file gets this language (the first language listed
    /// with an extension wins).
    pub extension: &'static str,
    pub kind: Kind,
}

/// How a language is highlighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grammar {
    /// Not highlighted: escaped text.
    Plain,
    /// The syntax of this name in the bundled set (syntect's defaults plus
    /// the `two-face` collection).
    Syntax(&'static str),
}

/// What the sample tools do with a sample in the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Python source: compiled and import-checked, run as a module or in
    /// the shell.
    PythonModule,
    /// An interactive session (`>>>` prompts and their output). Its
    /// statements are checked one by one as interactive input, never
    /// compiled as a module; the runner replays it as a transcript.
    PythonConsole,
    /// A shell session of commands (`python manage.py …`): runnable.
    Shell,
    /// Shown only.
    Other,
}

impl Kind {
    /// Whether a fence in such a language may carry `run`.
    pub fn is_runnable(self) -> bool {
        self != Kind::Other
    }
}

const fn language(
    name: &'static str,
    names: &'static [&'static str],
    grammar: Grammar,
    extension: &'static str,
    kind: Kind,
) -> Language {
    Language {
        name,
        names,
        grammar,
        extension,
        kind,
    }
}

use Grammar::{Plain, Syntax};
use Kind::{Other, PythonConsole, PythonModule, Shell};

const BASH: Grammar = Syntax("Bourne Again Shell (bash)");
/// Django templates use the Jinja2 HTML grammar: the tag and variable
/// syntax is the same.
const DJANGO: Grammar = Syntax("HTML (Jinja2)");

pub const LANGUAGES: &[Language] = &[
    language(
        "text",
        &["text", "txt", "plain", "plaintext"],
        Plain,
        "txt",
        Other,
    ),
    language("output", &["output"], Plain, "txt", Other),
    language(
        "python",
        &["python", "py", "python3", "py3"],
        Syntax("Python"),
        "py",
        PythonModule,
    ),
    // A transcript is not a module: exported as text so that linters run
    // over the export's `*.py` files do not read prompts as code.
    language("pycon", &["pycon"], Syntax("Python"), "txt", PythonConsole),
    language(
        "html+django",
        &[
            "django",
            "html+django",
            "htmldjango",
            "jinja",
            "jinja2",
            "html+jinja",
        ],
        DJANGO,
        "html",
        Other,
    ),
    language("html", &["html"], Syntax("HTML"), "html", Other),
    language("xml", &["xml"], Syntax("XML"), "xml", Other),
    language("css", &["css"], Syntax("CSS"), "css", Other),
    language(
        "javascript",
        &["javascript", "js"],
        Syntax("JavaScript"),
        "js",
        Other,
    ),
    language(
        "typescript",
        &["typescript", "ts"],
        Syntax("TypeScript"),
        "ts",
        Other,
    ),
    language("bash", &["bash", "sh", "shell"], BASH, "sh", Shell),
    language("zsh", &["zsh"], BASH, "sh", Other),
    language("console", &["console", "shell-session"], BASH, "sh", Shell),
    language(
        "sql",
        &["sql", "postgresql", "psql"],
        Syntax("SQL"),
        "sql",
        Other,
    ),
    language("toml", &["toml"], Syntax("TOML"), "toml", Other),
    language("yaml", &["yaml", "yml"], Syntax("YAML"), "yaml", Other),
    language("json", &["json"], Syntax("JSON"), "json", Other),
    language(
        "dockerfile",
        &["dockerfile", "docker"],
        Syntax("Dockerfile"),
        "dockerfile",
        Other,
    ),
    language("nginx", &["nginx"], Syntax("nginx"), "nginx", Other),
    language("ini", &["ini", "cfg"], Syntax("INI"), "ini", Other),
    language("diff", &["diff", "patch"], Syntax("Diff"), "diff", Other),
    language(
        "markdown",
        &["markdown", "md"],
        Syntax("Markdown"),
        "md",
        Other,
    ),
    language("rust", &["rust", "rs"], Syntax("Rust"), "rs", Other),
    language("go", &["go"], Syntax("Go"), "go", Other),
    language("c", &["c"], Syntax("C"), "c", Other),
    language(
        "makefile",
        &["makefile", "make"],
        Syntax("Makefile"),
        "mk",
        Other,
    ),
    language(
        "regex",
        &["regex"],
        Syntax("Regular Expression"),
        "txt",
        Other,
    ),
];

/// The language an author's name stands for (names are matched as written;
/// fences lowercase theirs first).
pub fn find(name: &str) -> Option<&'static Language> {
    LANGUAGES
        .iter()
        .find(|language| language.names.contains(&name))
}

/// The language of a `[[samples]]` file by its extension: the first
/// language exported with that extension, else one that has the extension
/// as a name (`yml`, `cfg`).
pub fn for_extension(extension: &str) -> Option<&'static Language> {
    LANGUAGES
        .iter()
        .find(|language| language.extension == extension)
        .or_else(|| find(extension))
}

/// Every name accepted in a fence, for "did you mean" and error listings.
pub fn known_names() -> impl Iterator<Item = &'static str> + Clone {
    LANGUAGES
        .iter()
        .flat_map(|language| language.names.iter().copied())
}

/// What the Python sample tools read when they parse Markdown themselves
/// (`scripts/check_python_samples.py --content`): every name with its
/// canonical name and kind, as `scripts/languages.json` holds it.
pub fn names_json() -> String {
    #[derive(Serialize)]
    struct Entry {
        language: &'static str,
        kind: Kind,
    }
    let names: std::collections::BTreeMap<&str, Entry> = LANGUAGES
        .iter()
        .flat_map(|language| {
            language.names.iter().map(|name| {
                let entry = Entry {
                    language: language.name,
                    kind: language.kind,
                };
                (*name, entry)
            })
        })
        .collect();
    let mut json = serde_json::to_string_pretty(&names).expect("strings serialize");
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_belongs_to_one_language() {
        let mut seen = std::collections::BTreeSet::new();
        for name in known_names() {
            assert!(seen.insert(name), "`{name}` is listed twice");
        }
        for language in LANGUAGES {
            assert!(language.names.contains(&language.name), "{}", language.name);
        }
    }

    #[test]
    fn sample_files_get_the_languages_they_always_had() {
        let by_extension = |ext: &str| for_extension(ext).map(|l| l.name);
        assert_eq!(by_extension("py"), Some("python"));
        assert_eq!(by_extension("html"), Some("html+django"));
        assert_eq!(by_extension("sh"), Some("bash"));
        assert_eq!(by_extension("yml"), Some("yaml"));
        assert_eq!(by_extension("txt"), Some("text"));
        assert_eq!(by_extension("rb"), None);
    }

    /// The Python tools read `scripts/languages.json`; it must be this
    /// table. Regenerate with `DJGUIDE_WRITE_LANGUAGES=1 cargo test --lib languages`.
    #[test]
    fn the_python_tools_table_matches() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/languages.json");
        let expected = names_json();
        if std::env::var_os("DJGUIDE_WRITE_LANGUAGES").is_some() {
            std::fs::write(path, &expected).unwrap();
        }
        let written = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            written == expected,
            "scripts/languages.json is out of date: run DJGUIDE_WRITE_LANGUAGES=1 cargo test --lib languages"
        );
    }
}
