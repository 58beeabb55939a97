//! Which templates a page's rendering reads. A template's fingerprint
//! covers its own text and that of every template it names in an
//! `extends`, `include` or `import` tag, transitively; `djguide serve`'s
//! page cache keys on it, so a template edit re-renders exactly the pages
//! whose templates reach the edited one.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use super::errors::TemplateSource;

/// The fingerprint of every template.
pub fn of_each(sources: &BTreeMap<String, TemplateSource>) -> BTreeMap<String, u64> {
    let named: BTreeMap<&str, Vec<String>> = sources
        .iter()
        .map(|(name, source)| (name.as_str(), referenced(&source.text)))
        .collect();
    sources
        .keys()
        .map(|name| {
            let mut hasher = DefaultHasher::new();
            for reached in reachable(name, &named) {
                reached.hash(&mut hasher);
                sources[reached].text.hash(&mut hasher);
            }
            (name.clone(), hasher.finish())
        })
        .collect()
}

/// `name` and every template it reaches, in name order. A name no
/// template has (a typo Tera reports when rendering) reaches nothing.
fn reachable<'a>(name: &'a str, named: &BTreeMap<&'a str, Vec<String>>) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut pending = vec![name];
    while let Some(next) = pending.pop() {
        let Some((&known, references)) = named.get_key_value(next) else {
            continue;
        };
        if seen.insert(known) {
            pending.extend(references.iter().map(String::as_str));
        }
    }
    seen
}

/// The template names a template's tags refer to: the quoted first
/// argument of `extends`, `include` and `import`.
fn referenced(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in text.split("{%").skip(1) {
        let tag = tag.trim_start_matches(['-', '+']).trim_start();
        let Some(rest) = ["extends", "include", "import"]
            .iter()
            .find_map(|keyword| tag.strip_prefix(keyword))
        else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            names.push(rest[1..=end].to_string());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn sources(templates: &[(&str, &str)]) -> BTreeMap<String, TemplateSource> {
        templates
            .iter()
            .map(|(name, text)| {
                let source = TemplateSource {
                    origin: PathBuf::from(name),
                    text: text.to_string(),
                };
                (name.to_string(), source)
            })
            .collect()
    }

    #[test]
    fn finds_extends_include_and_import() {
        let text = r#"{% extends "base.html" %}{%- include 'partials/a.html' -%}{% import "macros.html" as m %}{% if x %}{% endif %}"#;
        assert_eq!(
            referenced(text),
            ["base.html", "partials/a.html", "macros.html"]
        );
    }

    #[test]
    fn an_edit_changes_the_fingerprints_of_the_templates_that_reach_it() {
        let before = sources(&[
            (
                "base.html",
                "<html>{% block content %}{% endblock %}</html>",
            ),
            ("item.html", "<li>"),
            (
                "question.html",
                r#"{% extends "base.html" %}{% include "item.html" %}"#,
            ),
            ("topic.html", r#"{% extends "base.html" %}"#),
        ]);
        let mut after = sources(&[("item.html", "<li class=x>")]);
        for (name, source) in &before {
            after.entry(name.clone()).or_insert(TemplateSource {
                origin: source.origin.clone(),
                text: source.text.clone(),
            });
        }
        let (before, after) = (of_each(&before), of_each(&after));
        assert_ne!(before["question.html"], after["question.html"]);
        assert_ne!(before["item.html"], after["item.html"]);
        assert_eq!(before["topic.html"], after["topic.html"]);
        assert_eq!(before["base.html"], after["base.html"]);
    }

    #[test]
    fn cycles_and_unknown_names_end() {
        let fingerprints = of_each(&sources(&[
            (
                "a.html",
                r#"{% include "b.html" %}{% include "nowhere.html" %}"#,
            ),
            ("b.html", r#"{% include "a.html" %}"#),
        ]));
        assert_eq!(fingerprints.len(), 2);
    }
}
