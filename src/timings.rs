//! Per-stage wall-clock times on stderr, for profiling builds:
//! `DJGUIDE_TIMINGS=1 djguide build` prints one `timing: STAGE N.N ms` line
//! as each stage ends, followed on Linux by the CPU time every thread of the
//! process spent meanwhile and, of it, the calling thread's (`cpu N ms,
//! serial M ms`). Work on rayon's threads is not serial: when the machine is
//! shared and wall times say little, a stage whose CPU time is mostly
//! "serial" is one that does not run in parallel. Then comes the resident
//! memory at the stage's end and the peak so far (`rss N MiB, peak M MiB`),
//! which tells the stage that sets a build's peak. Off (and nearly free: one
//! cached check) otherwise.

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
    started: Option<(Instant, Option<CpuTimes>)>,
}

pub fn span(stage: &'static str) -> Span {
    Span {
        stage,
        started: enabled().then(|| (Instant::now(), CpuTimes::now())),
    }
}

impl Drop for Span {
    fn drop(&mut self) {
        let Some((started, cpu_at_start)) = self.started else {
            return;
        };
        let wall = started.elapsed().as_secs_f64() * 1000.0;
        let cpu = cpu_at_start
            .zip(CpuTimes::now())
            .map(|(start, end)| {
                format!(
                    " cpu {} ms, serial {} ms",
                    end.process.saturating_sub(start.process),
                    end.thread.saturating_sub(start.thread)
                )
            })
            .unwrap_or_default();
        let memory = resident_memory()
            .map(|(now, peak)| format!(", rss {now} MiB, peak {peak} MiB"))
            .unwrap_or_default();
        eprintln!("timing: {} {wall:.1} ms{cpu}{memory}", self.stage);
    }
}

/// CPU milliseconds so far of the process and of the calling thread.
#[derive(Clone, Copy)]
struct CpuTimes {
    process: u64,
    thread: u64,
}

impl CpuTimes {
    fn now() -> Option<CpuTimes> {
        Some(CpuTimes {
            process: cpu_ms("/proc/self/stat")?,
            thread: cpu_ms("/proc/thread-self/stat")?,
        })
    }
}

/// User and system time from a `stat` file of procfs (in clock ticks,
/// assumed to be 100 a second: 10 ms resolution).
fn cpu_ms(stat_file: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(stat_file).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some((user + system) * 10)
}

/// Resident memory now and at its peak so far, in MiB (`VmRSS`, `VmHWM`).
fn resident_memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|line| line.starts_with(name))?;
        let kib: u64 = line[name.len()..]
            .trim()
            .strip_suffix("kB")?
            .trim()
            .parse()
            .ok()?;
        Some(kib / 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}
