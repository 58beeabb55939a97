//! djguide: a static-site generator for interview guides.
//!
//! Layers, lowest first; a module uses only modules listed before it
//! (checked by reading the `use crate::` lines, not by the compiler):
//!
//! 1. `diagnostics`, `slug`, `html`, `url_policy`, `output_file`, `languages`,
//!    `slash_path`, `timings` (per-stage times for profiling): leaves.
//! 2. `toml_source` → `config` → `content`: what the author wrote, validated.
//! 3. `highlight` (code blocks) → `markdown` (page bodies, links, version notes).
//! 4. `site`: one record per page, Markdown rendered, links and `related` resolved.
//! 5. `theme` (templates and static files; uses only `diagnostics`) → `pages`
//!    (template contexts, one output file per page) → `assets` (fingerprinted
//!    static files; uses `pages`' asset table).
//! 6. `feeds`, `search`, `lints`: more views of the same `site`.
//! 7. `output`: checks every path first, writes files into a staging
//!    folder as the stages produce them (an `output_file::Sink`) and swaps
//!    it in (uses only leaves: `output_file`, `slash_path`);
//!    `samples_export` writes `djguide samples` through it.
//! 8. `build` (the pipeline, top to bottom) → `serve` → the CLI in `main.rs`.
//!
//! `scaffold` (`djguide new`) uses `config`, `content`, `diagnostics` and `slug`.

// A `Diagnostic` is the error of every content stage; it is built only on the
// cold path, so its size is not worth boxing.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod build;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod feeds;
pub mod highlight;
pub mod html;
pub mod languages;
pub mod lints;
pub mod markdown;
pub mod output;
pub mod output_file;
pub mod pages;
pub mod samples_export;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slash_path;
pub mod slug;
pub mod theme;
pub mod timings;
pub mod toml_source;
pub mod url_policy;

pub use build::{BuildFailure, BuildOptions, BuildReport, build, export_samples};
