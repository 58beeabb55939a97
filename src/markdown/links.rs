//! Links between pages: authors write relative paths to `.md` files
//! (`../orm/n-plus-one.md#the-fix`); the build turns them into URLs and
//! rejects any that name a missing page or heading.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::did_you_mean;

/// A page that can be linked to.
#[derive(Debug, Clone, Default)]
pub struct LinkTarget {
    /// Root-relative URL including the site's base path (`/guide/orm/n-plus-one/`).
    pub url: String,
    pub anchors: BTreeSet<String>,
}

/// Every linkable page by key (its path under `content/`, e.g. `orm/n-plus-one.md`).
#[derive(Debug, Clone, Default)]
pub struct LinkTargets {
    pub pages: BTreeMap<String, LinkTarget>,
    /// Keys of drafts left out of this build.
    pub drafts: BTreeSet<String>,
    /// Keys of pages that failed to load: links to them are not checked.
    pub failed: BTreeSet<String>,
}

/// Why a link could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkError {
    pub message: String,
    pub hint: Option<String>,
}

impl LinkTargets {
    /// Resolve a Markdown link destination written in the page `from_key`.
    /// `Ok(None)` leaves the destination unchanged (external links, files that
    /// are not pages).
    pub fn resolve(&self, from_key: &str, destination: &str) -> Result<Option<String>, LinkError> {
        if destination.is_empty() || has_scheme(destination) || destination.starts_with("//") {
            return Ok(None);
        }
        let (path, fragment) = match destination.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (destination, None),
        };
        if path.is_empty() {
            let fragment = fragment.unwrap_or_default();
            self.check_anchor(from_key, fragment)?;
            return Ok(None);
        }
        if !path.ends_with(".md") {
            return Ok(None);
        }
        let key = join_relative(from_key, path).ok_or_else(|| LinkError {
            message: format!("link `{destination}` leaves the content folder"),
            hint: Some("link to a page inside content/".into()),
        })?;
        if self.failed.contains(&key) {
            return Ok(None);
        }
        let target = self.page(&key, destination)?;
        let mut url = target.url.clone();
        if let Some(fragment) = fragment {
            self.check_anchor(&key, fragment)?;
            url.push('#');
            url.push_str(fragment);
        }
        Ok(Some(url))
    }

    /// Resolve a `related` entry, written as a path under `content/`.
    /// Returns the normalized key with the target.
    pub fn resolve_key(&self, key: &str) -> Result<(String, &LinkTarget), LinkError> {
        let normalized = join_relative("", key).unwrap_or_default();
        let target = self.page(&normalized, key)?;
        Ok((normalized, target))
    }

    fn page(&self, key: &str, written: &str) -> Result<&LinkTarget, LinkError> {
        if let Some(target) = self.pages.get(key) {
            return Ok(target);
        }
        if self.drafts.contains(key) {
            return Err(LinkError {
                message: format!("`{written}` is a draft and is not part of this build"),
                hint: Some(
                    "publish it (remove `draft = true`), build with --drafts, or drop the link"
                        .into(),
                ),
            });
        }
        let hint = did_you_mean(key, self.pages.keys().map(String::as_str))
            .map(|best| format!("did you mean `{best}`?"))
            .or_else(|| Some("link to an existing file under content/".into()));
        Err(LinkError {
            message: format!("`{written}` links to a page that does not exist ({key})"),
            hint,
        })
    }

    fn check_anchor(&self, key: &str, fragment: &str) -> Result<(), LinkError> {
        let Some(target) = self.pages.get(key) else {
            return Ok(());
        };
        if target.anchors.contains(fragment) {
            return Ok(());
        }
        let hint = did_you_mean(fragment, target.anchors.iter().map(String::as_str))
            .map(|best| format!("did you mean `#{best}`?"))
            .or_else(|| {
                (!target.anchors.is_empty()).then(|| {
                    format!(
                        "headings in {key}: {}",
                        target
                            .anchors
                            .iter()
                            .map(|a| format!("#{a}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
            });
        Err(LinkError {
            message: format!("heading `#{fragment}` does not exist in {key}"),
            hint,
        })
    }
}

fn has_scheme(destination: &str) -> bool {
    let Some((scheme, _)) = destination.split_once(':') else {
        return false;
    };
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Resolve `path` relative to the folder of `from_key`; `None` if it climbs
/// above `content/`. A leading `/` means the content root.
fn join_relative(from_key: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        let mut parts: Vec<&str> = from_key.split('/').collect();
        parts.pop();
        parts
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> LinkTargets {
        let mut targets = LinkTargets::default();
        targets.pages.insert(
            "orm/n-plus-one.md".into(),
            LinkTarget {
                url: "/g/orm/n-plus-one/".into(),
                anchors: ["the-fix".to_string()].into(),
            },
        );
        targets.pages.insert(
            "orm/_index.md".into(),
            LinkTarget {
                url: "/g/orm/".into(),
                anchors: BTreeSet::new(),
            },
        );
        targets.drafts.insert("orm/draft.md".into());
        targets
    }

    #[test]
    fn resolves_relative_markdown_links() {
        let t = targets();
        assert_eq!(
            t.resolve("views/a.md", "../orm/n-plus-one.md#the-fix")
                .unwrap(),
            Some("/g/orm/n-plus-one/#the-fix".into())
        );
        assert_eq!(
            t.resolve("orm/b.md", "n-plus-one.md").unwrap(),
            Some("/g/orm/n-plus-one/".into())
        );
        assert_eq!(
            t.resolve("orm/b.md", "_index.md").unwrap(),
            Some("/g/orm/".into())
        );
        assert_eq!(
            t.resolve("orm/b.md", "./../orm/n-plus-one.md").unwrap(),
            Some("/g/orm/n-plus-one/".into())
        );
    }

    #[test]
    fn leaves_external_and_non_page_links_alone() {
        let t = targets();
        for dest in [
            "https://djangoproject.com",
            "mailto:a@b.c",
            "//cdn/x",
            "samples/x.py",
            "",
        ] {
            assert_eq!(t.resolve("orm/b.md", dest).unwrap(), None, "{dest}");
        }
    }

    #[test]
    fn missing_pages_and_headings_are_errors_with_hints() {
        let t = targets();
        let error = t.resolve("orm/b.md", "n-plus-on.md").unwrap_err();
        assert_eq!(
            error.hint.as_deref(),
            Some("did you mean `orm/n-plus-one.md`?")
        );
        let error = t.resolve("orm/b.md", "n-plus-one.md#the-fx").unwrap_err();
        assert_eq!(
            error.message,
            "heading `#the-fx` does not exist in orm/n-plus-one.md"
        );
        assert_eq!(error.hint.as_deref(), Some("did you mean `#the-fix`?"));
        assert!(
            t.resolve("orm/b.md", "draft.md")
                .unwrap_err()
                .message
                .contains("draft")
        );
        assert!(
            t.resolve("orm/b.md", "../../x.md")
                .unwrap_err()
                .message
                .contains("leaves")
        );
    }

    #[test]
    fn same_page_anchors_are_checked() {
        let t = targets();
        assert_eq!(t.resolve("orm/n-plus-one.md", "#the-fix").unwrap(), None);
        assert!(t.resolve("orm/n-plus-one.md", "#nope").is_err());
    }

    #[test]
    fn related_keys_resolve_from_the_content_root() {
        let t = targets();
        assert_eq!(
            t.resolve_key("orm/n-plus-one.md").unwrap().1.url,
            "/g/orm/n-plus-one/"
        );
        assert!(t.resolve_key("orm/missing.md").is_err());
    }
}
