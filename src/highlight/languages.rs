//! Language names authors type in code fences, mapped to syntect syntaxes.

/// Names that do not go through syntect at all.
pub const PLAIN: &[&str] = &["text", "txt", "plain", "plaintext", "output"];

/// `(alias, syntax name)`: every name an author may write, and the syntax in
/// the bundled set (syntect's defaults plus the `two-face` collection) that
/// renders it. Django templates use the Jinja2 HTML grammar: the tag and
/// variable syntax is the same.
pub const ALIASES: &[(&str, &str)] = &[
    ("python", "Python"),
    ("py", "Python"),
    ("python3", "Python"),
    ("py3", "Python"),
    ("pycon", "Python"),
    ("django", "HTML (Jinja2)"),
    ("html+django", "HTML (Jinja2)"),
    ("htmldjango", "HTML (Jinja2)"),
    ("jinja", "HTML (Jinja2)"),
    ("jinja2", "HTML (Jinja2)"),
    ("html+jinja", "HTML (Jinja2)"),
    ("html", "HTML"),
    ("xml", "XML"),
    ("css", "CSS"),
    ("javascript", "JavaScript"),
    ("js", "JavaScript"),
    ("typescript", "TypeScript"),
    ("ts", "TypeScript"),
    ("bash", "Bourne Again Shell (bash)"),
    ("sh", "Bourne Again Shell (bash)"),
    ("shell", "Bourne Again Shell (bash)"),
    ("zsh", "Bourne Again Shell (bash)"),
    ("console", "Bourne Again Shell (bash)"),
    ("shell-session", "Bourne Again Shell (bash)"),
    ("sql", "SQL"),
    ("postgresql", "SQL"),
    ("psql", "SQL"),
    ("toml", "TOML"),
    ("yaml", "YAML"),
    ("yml", "YAML"),
    ("json", "JSON"),
    ("dockerfile", "Dockerfile"),
    ("docker", "Dockerfile"),
    ("nginx", "nginx"),
    ("ini", "INI"),
    ("cfg", "INI"),
    ("diff", "Diff"),
    ("patch", "Diff"),
    ("markdown", "Markdown"),
    ("md", "Markdown"),
    ("rust", "Rust"),
    ("rs", "Rust"),
    ("go", "Go"),
    ("c", "C"),
    ("makefile", "Makefile"),
    ("make", "Makefile"),
    ("regex", "Regular Expression"),
];

/// Every name accepted in a fence, for "did you mean" and error listings.
pub fn known_names() -> impl Iterator<Item = &'static str> + Clone {
    PLAIN
        .iter()
        .copied()
        .chain(ALIASES.iter().map(|(alias, _)| *alias))
}

/// The syntax name for an alias, if it is one.
pub fn syntax_name(alias: &str) -> Option<&'static str> {
    ALIASES
        .iter()
        .find(|(name, _)| *name == alias)
        .map(|(_, syntax)| *syntax)
}
