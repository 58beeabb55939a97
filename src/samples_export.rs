//! `djguide samples --out DIR`: every code sample of the site written to its
//! own file, with `samples.json` describing where each came from, so other
//! tools (the guide's Python checker, linters) can check them.

use std::path::Path;

use serde::Serialize;

use crate::output::{self, OutputError, OutputFile};
use crate::site::Site;

#[derive(Debug, Serialize)]
struct Manifest {
    samples: Vec<Entry>,
}

#[derive(Debug, Serialize)]
struct Entry {
    /// The file the sample is written to, relative to the export folder.
    file: String,
    /// The file it came from: the Markdown page for a fence, the source
    /// file itself for a `[[samples]]` entry.
    source: String,
    /// 1-based line of the sample's first code line in `source`.
    line: usize,
    lang: String,
    title: Option<String>,
    /// `false` for fences marked `nocheck`.
    check: bool,
    page_url: String,
}

/// Replace `folder` with the exported samples; returns how many were written.
pub fn write(site: &Site, folder: &Path) -> Result<usize, OutputError> {
    let mut files = Vec::new();
    let mut entries = Vec::new();
    for (index, question) in site.content.questions.iter().enumerate() {
        let rendered = &site.questions[index];
        let source = question.source.path.to_string_lossy().replace('\\', "/");
        let page_url = site.urls.path(&site.question_location(index));
        let fenced = rendered.samples.iter().map(|sample| {
            let origin = (source.clone(), sample.line);
            (
                origin,
                sample.lang.clone(),
                sample.title.clone(),
                !sample.nocheck,
                sample.code.clone(),
            )
        });
        let topic_folder = question.source.path.parent().unwrap_or(Path::new(""));
        let from_files = question.samples.iter().map(|sample| {
            let path = topic_folder
                .join(&sample.file)
                .to_string_lossy()
                .replace('\\', "/");
            let origin = (path, 1);
            (
                origin,
                sample.lang.clone(),
                Some(sample.title.clone()),
                true,
                sample.code.clone(),
            )
        });
        for ((source, line), lang, title, check, code) in fenced.chain(from_files) {
            let file = format!("{:04}.{}", entries.len() + 1, extension(&lang));
            files.push(OutputFile {
                path: file.clone(),
                contents: code.into_bytes(),
            });
            entries.push(Entry {
                file,
                source,
                line,
                lang,
                title,
                check,
                page_url: page_url.clone(),
            });
        }
    }
    let count = entries.len();
    let manifest = serde_json::to_string_pretty(&Manifest { samples: entries })
        .expect("a manifest of strings and numbers serializes");
    files.push(OutputFile {
        path: "samples.json".into(),
        contents: manifest.into_bytes(),
    });
    let tree = output::prepare(files)?;
    output::write_atomically(folder, &tree)?;
    Ok(count)
}

fn extension(lang: &str) -> &str {
    match lang {
        "python" | "py" | "python3" | "py3" | "pycon" => "py",
        "bash" | "sh" | "shell" | "console" | "zsh" => "sh",
        "html+django" | "django" | "htmldjango" | "jinja" | "jinja2" | "html" => "html",
        "yaml" | "yml" => "yaml",
        "javascript" | "js" => "js",
        "toml" | "json" | "sql" | "ini" | "css" | "diff" | "nginx" => lang,
        "dockerfile" | "docker" => "dockerfile",
        _ => "txt",
    }
}
