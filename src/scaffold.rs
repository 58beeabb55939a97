//! `djguide new TOPIC/SLUG`: a new question file with every front-matter key
//! filled with a `TODO` placeholder, and the skeleton of an answer. It is
//! valid, so `djguide check` passes, but each placeholder is a warning
//! (`check --strict` fails, `build` warns) until the author replaces it. Never overwrites a file; refuses unknown topics
//! (with a did-you-mean) unless asked to create one.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::Level;
use crate::content::{RESERVED_TOPICS, front_matter};
use crate::diagnostics::{did_you_mean, suggestion_hint};
use crate::slug;

/// What to create.
#[derive(Debug, Clone)]
pub struct NewQuestion {
    pub root: PathBuf,
    /// `TOPIC/SLUG` as typed (a trailing `.md` is allowed).
    pub target: String,
    pub level: String,
    /// Create the topic folder and its `_index.md` when it does not exist.
    pub create_topic: bool,
}

/// Why nothing was created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaffoldError {
    pub message: String,
    pub hint: Option<String>,
}

impl ScaffoldError {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        ScaffoldError {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}

/// Create the question (and the topic, if asked); returns the files
/// written, relative to the root.
pub fn new_question(request: &NewQuestion) -> Result<Vec<PathBuf>, ScaffoldError> {
    let (topic, slug) = parse_target(&request.target)?;
    let level = Level::parse(&request.level).ok_or_else(|| {
        ScaffoldError::new(
            format!("unknown level `{}`", request.level),
            suggestion_hint(&request.level, Level::NAMES),
        )
    })?;
    let content = request.root.join("content");
    if !content.is_dir() {
        return Err(ScaffoldError::new(
            format!("no content folder in {}", request.root.display()),
            "run this in the site's folder, or pass --root",
        ));
    }
    let topic_dir = content.join(&topic);
    let question = topic_dir.join(format!("{slug}.md"));
    let shown_question = PathBuf::from(format!("content/{topic}/{slug}.md"));
    if question.exists() {
        return Err(ScaffoldError::new(
            format!("{} already exists", shown_question.display()),
            "pick another slug, or edit the existing file",
        ));
    }

    let mut written = Vec::new();
    if !topic_dir.join("_index.md").is_file() {
        if !request.create_topic {
            return Err(unknown_topic(&content, &topic));
        }
        let weight = next_weight(&content, |path| {
            path.file_name().is_some_and(|name| name == "_index.md")
                && path != content.join("_index.md")
        });
        std::fs::create_dir_all(&topic_dir).map_err(|error| io_error(&topic_dir, error))?;
        let index = topic_dir.join("_index.md");
        create_new(&index, &topic_index(&topic, weight))?;
        written.push(PathBuf::from(format!("content/{topic}/_index.md")));
    }

    let weight = next_weight(&topic_dir, |path| {
        path.parent() == Some(topic_dir.as_path())
            && path.extension().is_some_and(|ext| ext == "md")
            && path.file_name().is_some_and(|name| name != "_index.md")
    });
    create_new(&question, &question_file(&topic, &slug, level, weight))?;
    written.push(shown_question);
    Ok(written)
}

fn parse_target(target: &str) -> Result<(String, String), ScaffoldError> {
    let target = target.strip_suffix(".md").unwrap_or(target);
    let target = target.strip_prefix("content/").unwrap_or(target);
    let Some((topic, slug)) = target
        .split_once('/')
        .filter(|(_, slug)| !slug.contains('/'))
    else {
        return Err(ScaffoldError::new(
            format!("`{target}` is not TOPIC/SLUG"),
            "name the topic folder and the new question's slug, e.g. `orm/bulk-create`",
        ));
    };
    for (name, what) in [(topic, "topic"), (slug, "slug")] {
        if !slug::is_valid(name) {
            return Err(ScaffoldError::new(
                format!("{what} `{name}` is not a valid URL slug"),
                slug::hint(name),
            ));
        }
    }
    if RESERVED_TOPICS.contains(&topic) {
        return Err(ScaffoldError::new(
            format!("topic name `{topic}` is reserved"),
            format!(
                "these names are used by generated pages: {}",
                RESERVED_TOPICS.join(", ")
            ),
        ));
    }
    Ok((topic.to_string(), slug.to_string()))
}

fn unknown_topic(content: &Path, topic: &str) -> ScaffoldError {
    let mut known: Vec<String> = std::fs::read_dir(content)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join("_index.md").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    known.sort();
    let create = format!("or add --create-topic to start the topic `{topic}`");
    let hint = match did_you_mean(topic, known.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`? {create}"),
        None if known.is_empty() => "there are no topics yet: add --create-topic".to_string(),
        None => format!(
            "topics are {}; {create}",
            crate::diagnostics::quoted_list(known.iter().map(String::as_str))
        ),
    };
    ScaffoldError::new(format!("unknown topic `{topic}`"), hint)
}

/// 10 more than the largest `weight` among the Markdown files `include`
/// picks under `folder` (one level down), or 10.
fn next_weight(folder: &Path, include: impl Fn(&Path) -> bool) -> i64 {
    #[derive(Deserialize)]
    struct Weight {
        #[serde(default)]
        weight: i64,
    }
    let files = walkdir::WalkDir::new(folder)
        .max_depth(2)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file() && include(entry.path()));
    let mut largest = None;
    for entry in files {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        // Files that do not parse are reported by `check`; here they just
        // do not count.
        let Ok(split) = front_matter::split(entry.path(), &text) else {
            continue;
        };
        if let Ok(found) = toml::from_str::<Weight>(&text[split.toml_start..split.toml_end]) {
            largest = largest.max(Some(found.weight));
        }
    }
    largest.map_or(10, |weight| weight.saturating_add(10))
}

/// `n-plus-one` → `N plus one`.
fn words(slug: &str) -> String {
    let text = slug.replace('-', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

fn question_file(topic: &str, slug: &str, level: Level, weight: i64) -> String {
    let title = toml_string(&format!("{}?", words(slug)));
    let level = level.as_str();
    format!(
        r#"+++
title = {title}  # the question, as an interviewer asks it
level = "{level}"  # junior | mid | senior
summary = "TODO: the quick answer a strong candidate opens with, in two or three sentences."
red_flag = "TODO: what a weak answer sounds like, and why it worries an interviewer."
tags = ["{topic}"]  # lowercase words joined by hyphens
follow_ups = ["TODO: what would an interviewer ask next?", "TODO: and after that?"]
weight = {weight}  # order inside the topic
related = []  # other questions, as paths under content/: "orm/n-plus-one.md"
+++
TODO: answer the question directly in one paragraph, then go deeper below.

## How it works

TODO: the mechanism, and why it behaves the way it does.

```python title="example.py"
# TODO: a short, complete example with its imports; the test suite compiles it.
```

## Trade-offs

TODO: when to reach for it, when not to, and what it costs.

## Common mistakes

> [!WARNING]
> TODO: the trap that catches people, and how to avoid it.
"#
    )
}

fn topic_index(topic: &str, weight: i64) -> String {
    let title = toml_string(&words(topic));
    format!(
        r#"+++
title = {title}
description = "TODO: one sentence that tells a reader what this topic covers."
weight = {weight}  # order on the home page
+++
TODO: one or two short paragraphs introducing the topic.
"#
    )
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Write a new file, failing if it exists (even if it appeared just now).
fn create_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|error| io_error(path, error))?;
    file.write_all(text.as_bytes())
        .map_err(|error| io_error(path, error))
}

fn io_error(path: &Path, error: std::io::Error) -> ScaffoldError {
    ScaffoldError {
        message: format!("cannot write {}: {error}", path.display()),
        hint: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let orm = dir.path().join("content/orm");
        std::fs::create_dir_all(&orm).unwrap();
        std::fs::write(
            dir.path().join("content/_index.md"),
            "+++\ntitle = \"H\"\n+++\n",
        )
        .unwrap();
        std::fs::write(
            orm.join("_index.md"),
            "+++\ntitle = \"ORM\"\nweight = 5\n+++\n",
        )
        .unwrap();
        std::fs::write(orm.join("a.md"), "+++\ntitle = \"A\"\nweight = 30\n+++\n").unwrap();
        std::fs::write(orm.join("b.md"), "+++\nweight = 20\n+++\n").unwrap();
        dir
    }

    fn request(root: &Path, target: &str) -> NewQuestion {
        NewQuestion {
            root: root.to_path_buf(),
            target: target.into(),
            level: "junior".into(),
            create_topic: false,
        }
    }

    #[test]
    fn weight_follows_the_last_question() {
        let dir = site();
        let written = new_question(&request(dir.path(), "orm/bulk-create")).unwrap();
        assert_eq!(written, [PathBuf::from("content/orm/bulk-create.md")]);
        let text = std::fs::read_to_string(dir.path().join("content/orm/bulk-create.md")).unwrap();
        assert!(text.contains("weight = 40"), "{text}");
        assert!(text.contains("title = \"Bulk create?\""), "{text}");
    }

    #[test]
    fn refuses_to_overwrite() {
        let dir = site();
        let error = new_question(&request(dir.path(), "orm/a")).unwrap_err();
        assert_eq!(error.message, "content/orm/a.md already exists");
    }

    #[test]
    fn unknown_topics_get_did_you_mean() {
        let dir = site();
        let error = new_question(&request(dir.path(), "orn/x")).unwrap_err();
        assert_eq!(error.message, "unknown topic `orn`");
        assert!(error.hint.unwrap().starts_with("did you mean `orm`?"));
    }

    #[test]
    fn create_topic_writes_its_index() {
        let dir = site();
        let mut request = request(dir.path(), "query-tuning/explain");
        request.create_topic = true;
        let written = new_question(&request).unwrap();
        assert_eq!(written.len(), 2);
        let index =
            std::fs::read_to_string(dir.path().join("content/query-tuning/_index.md")).unwrap();
        assert!(index.contains("title = \"Query tuning\"\n"), "{index}");
        assert!(index.contains("weight = 15"), "{index}");
    }

    #[test]
    fn bad_names_and_levels_are_refused() {
        let dir = site();
        for (target, message) in [
            ("orm", "`orm` is not TOPIC/SLUG"),
            ("orm/a/b", "`orm/a/b` is not TOPIC/SLUG"),
            (
                "orm/Bulk Create",
                "slug `Bulk Create` is not a valid URL slug",
            ),
            ("../x", "topic `..` is not a valid URL slug"),
            ("tags/x", "topic name `tags` is reserved"),
        ] {
            let error = new_question(&request(dir.path(), target)).unwrap_err();
            assert_eq!(error.message, message, "{target}");
        }
        let mut bad_level = request(dir.path(), "orm/x");
        bad_level.level = "senoir".into();
        let error = new_question(&bad_level).unwrap_err();
        assert_eq!(error.hint.as_deref(), Some("did you mean `senior`?"));
    }
}
