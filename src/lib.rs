//! djguide: a static-site generator for interview guides.
//!
//! Layers, lowest first; a module only uses the ones above it in this list:
//! `diagnostics`, `slug`, `html`, `url_policy` → `config`, `toml_source` → `content` →
//! `highlight` → `markdown` → `site` → `theme`, `pages`, `lints`, `feeds`,
//! `assets` → `output`, `samples_export` → `build` → `serve` → the CLI in
//! `main.rs`. `scaffold` (`djguide new`) uses `config`, `content` and `slug`.

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
pub mod lints;
pub mod markdown;
pub mod output;
pub mod pages;
pub mod samples_export;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod theme;
pub mod toml_source;
pub mod url_policy;

pub use build::{BuildFailure, BuildOptions, BuildReport, build, export_samples};
