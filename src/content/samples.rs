//! `[[samples]]`: real source files shown as code samples, confined to the
//! question's topic folder so front matter can never read outside `content/`.

use std::path::{Component, Path};

use super::front_matter::SampleSpec;
use crate::diagnostics::Diagnostic;

/// A sample file, read and ready for the highlighting stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// The path as written, relative to the topic folder.
    pub file: String,
    pub title: String,
    /// Language name; defaults from the file extension.
    pub lang: String,
    pub hl_lines: Option<String>,
    pub code: String,
    /// Part of the page's runnable scenario.
    pub run: bool,
    /// Why the sample is not run, if it is waived.
    pub norun: Option<String>,
    /// Byte span of the `file` value in the question's text, for later errors.
    pub span: std::ops::Range<usize>,
}

/// Read the sample named by `spec` from `topic_dir`; `error_at` locates errors
/// at the `file = "..."` value, `span_of` turns a span of the front matter
/// into one of the file.
pub fn load(
    spec: &SampleSpec,
    topic_dir: &Path,
    span: std::ops::Range<usize>,
    span_of: &dyn Fn(std::ops::Range<usize>) -> std::ops::Range<usize>,
    error_at: &dyn Fn(std::ops::Range<usize>, String) -> Diagnostic,
) -> Result<Sample, Diagnostic> {
    let norun = run_waiver(spec, span_of, error_at)?;
    let file = spec.file.get_ref();
    let relative = Path::new(file);
    let escapes = relative.is_absolute()
        || file.starts_with('/')
        || file.starts_with('\\')
        || relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if file.is_empty() || escapes {
        return Err(error_at(
            span,
            format!("sample path `{file}` leaves the topic folder"),
        )
        .with_hint(
            "write a path relative to the topic folder, without `..`, e.g. `samples/views.py`",
        ));
    }
    let full = topic_dir.join(relative);
    let canonical_topic = topic_dir
        .canonicalize()
        .map_err(|e| error_at(span.clone(), format!("cannot read topic folder: {e}")))?;
    let canonical = full.canonicalize().map_err(|_| {
        error_at(span.clone(), format!("sample file `{file}` does not exist"))
            .with_hint(format!("create {} or fix the path", full.display()))
    })?;
    if !canonical.starts_with(&canonical_topic) {
        return Err(error_at(
            span,
            format!("sample `{file}` is a link that points outside the topic folder"),
        )
        .with_hint("copy the file into the topic folder instead of linking to it"));
    }
    if !canonical.is_file() {
        return Err(error_at(span, format!("sample `{file}` is not a file")));
    }
    let code = std::fs::read_to_string(&canonical).map_err(|error| {
        error_at(
            span.clone(),
            format!("cannot read sample `{file}`: {error}"),
        )
        .with_hint("samples must be UTF-8 text files")
    })?;
    let lang = spec.lang.clone().unwrap_or_else(|| {
        relative
            .extension()
            .and_then(|ext| ext.to_str())
            .map_or("text", language_for_extension)
            .to_string()
    });
    let title = spec.title.clone().unwrap_or_else(|| {
        relative
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    Ok(Sample {
        file: file.clone(),
        title,
        lang,
        hl_lines: spec.hl_lines.clone(),
        code,
        run: spec.run,
        norun,
        span,
    })
}

/// The `norun` reason of a `[[samples]]` entry, which must say why.
fn run_waiver(
    spec: &SampleSpec,
    span_of: &dyn Fn(std::ops::Range<usize>) -> std::ops::Range<usize>,
    error_at: &dyn Fn(std::ops::Range<usize>, String) -> Diagnostic,
) -> Result<Option<String>, Diagnostic> {
    let Some(norun) = &spec.norun else {
        return Ok(None);
    };
    let reason = norun.get_ref().trim();
    if reason.is_empty() {
        return Err(error_at(
            span_of(norun.span()),
            "a `norun` waiver needs a reason".into(),
        )
        .with_hint("say why the sample cannot run, e.g. norun = \"needs a Redis server\""));
    }
    if spec.run {
        return Err(error_at(
            span_of(norun.span()),
            "a sample cannot be both `run` and `norun`".into(),
        )
        .with_hint("keep `run = true` to execute it, or `norun = \"why\"` to waive it"));
    }
    Ok(Some(reason.to_string()))
}

/// The language of a `[[samples]]` file without `lang`: by its extension
/// (an unknown one is reported as an unknown language when highlighted).
fn language_for_extension(extension: &str) -> &str {
    crate::languages::for_extension(extension).map_or(extension, |language| language.name)
}
