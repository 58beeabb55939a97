//! Per-stage wall-clock times on stderr, for profiling builds:
//! `DJGUIDE_TIMINGS=1 djguide build` prints one `timing: STAGE N.N ms` line
//! as each stage ends. Off (and nearly free: one cached check) otherwise.

use std::sync::OnceLock;
use std::time::Instant;

/// The environment variable that turns timings on.
pub const ENV: &str = "DJGUIDE_TIMINGS";

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os(ENV).is_some_and(|value| !value.is_empty()))
}

/// Measures from its creation to its drop: `let _span = timings::span("pages");`.
#[must_use = "the span measures until it is dropped"]
pub struct Span {
    stage: &'static str,
    started: Option<Instant>,
}

pub fn span(stage: &'static str) -> Span {
    Span {
        stage,
        started: enabled().then(Instant::now),
    }
}

impl Drop for Span {
    fn drop(&mut self) {
        if let Some(started) = self.started {
            let elapsed = started.elapsed();
            eprintln!(
                "timing: {} {:.1} ms",
                self.stage,
                elapsed.as_secs_f64() * 1000.0
            );
        }
    }
}
