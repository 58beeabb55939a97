//! The fuzz targets' checks live in `harness.rs`, which the main crate's
//! `tests/fuzz_regressions.rs` also includes, so `cargo test` replays every
//! kept crash exactly as the fuzzer ran it.

mod harness;

pub use harness::{build_config, build_page, front_matter, markdown};
