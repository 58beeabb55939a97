//! What build-time highlighting costs: every fenced code block of a content
//! folder (default: the guide's `content/`) rendered through the highlighting
//! stage, reported per 1,000 lines. Run with
//! `cargo bench --bench highlight [-- CONTENT_DIR]`.

use std::time::{Duration, Instant};

use djguide::highlight::{CodeBlock, CodeInfo, Highlighter};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

fn main() {
    let folder = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/content").to_string());
    let blocks = collect_blocks(&folder);
    let lines: usize = blocks.iter().map(|(code, _)| code.lines().count()).sum();

    // The syntax definitions load once per process, on first use.
    let started = Instant::now();
    let _ = Highlighter::new().check_language("python");
    let first_use = started.elapsed();

    let mut runs: Vec<Duration> = (0..5)
        .map(|_| {
            // A fresh highlighter each run: its memo of rendered blocks starts empty.
            let highlighter = Highlighter::new();
            let started = Instant::now();
            for (code, info) in &blocks {
                let _ = highlighter.render(&CodeBlock { code, info });
            }
            started.elapsed()
        })
        .collect();
    runs.sort();
    let median = runs[runs.len() / 2];
    let per_thousand = median.as_secs_f64() * 1000.0 / (lines.max(1) as f64 / 1000.0);
    println!("highlighting benchmark: {folder}");
    println!(
        "{} code blocks, {lines} lines; loading the syntax definitions: {:.1} ms",
        blocks.len(),
        first_use.as_secs_f64() * 1000.0
    );
    println!(
        "median of 5 runs (one thread): {:.1} ms, {per_thousand:.1} ms per 1,000 lines",
        median.as_secs_f64() * 1000.0
    );
}

/// Every fenced block under `folder` with its parsed info string.
fn collect_blocks(folder: &str) -> Vec<(String, CodeInfo)> {
    let mut blocks = Vec::new();
    for entry in walkdir::WalkDir::new(folder).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if entry.path().extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let mut current: Option<(String, CodeInfo)> = None;
        for event in Parser::new(&text) {
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    current = CodeInfo::parse(&info)
                        .ok()
                        .map(|info| (String::new(), info));
                }
                Event::Text(text) => {
                    if let Some((code, _)) = &mut current {
                        code.push_str(&text);
                    }
                }
                Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
                _ => {}
            }
        }
    }
    blocks
}
