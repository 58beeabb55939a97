//! The fuzz targets' checks on the stable toolchain, in every `cargo test`:
//!
//! - every input the fuzzer once crashed on, kept in
//!   `tests/fuzz-regressions/TARGET/`, goes through its target again;
//! - the hand-written seeds in `fuzz/seeds/` do too;
//! - a small deterministic mutation run (no libFuzzer, no coverage guidance)
//!   over those seeds, so a plain `cargo test` still shakes the parsers.
//!
//! The checks are `fuzz/src/harness.rs` itself, included by path: the real
//! pipeline, run exactly as `scripts/fuzz.sh` runs it.

#[path = "../fuzz/src/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};

type Target = fn(&[u8]);

const TARGETS: &[(&str, Target)] = &[
    ("front_matter", harness::front_matter),
    ("markdown", harness::markdown),
    ("build_page", harness::build_page),
    ("build_config", harness::build_config),
];

fn files_in(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Run `target` on `data`, naming the input if it panics.
fn run(name: &str, target: Target, data: &[u8], origin: &str) {
    let result = std::panic::catch_unwind(|| target(data));
    if let Err(panic) = result {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        panic!("{name} failed on {origin}: {message}");
    }
}

#[test]
fn kept_crashes_no_longer_crash() {
    let mut count = 0;
    for (name, target) in TARGETS {
        for file in files_in(&repo(&format!("tests/fuzz-regressions/{name}"))) {
            run(
                name,
                *target,
                &std::fs::read(&file).unwrap(),
                &file.display().to_string(),
            );
            count += 1;
        }
    }
    assert!(
        count > 0,
        "no regression input found in tests/fuzz-regressions/"
    );
}

#[test]
fn seeds_pass_every_target() {
    for file in files_in(&repo("fuzz/seeds/question")) {
        let data = std::fs::read(&file).unwrap();
        for (name, target) in &TARGETS[..3] {
            run(name, *target, &data, &file.display().to_string());
        }
    }
    for file in files_in(&repo("fuzz/seeds/site_toml")) {
        let data = std::fs::read(&file).unwrap();
        run(
            "build_config",
            harness::build_config,
            &data,
            &file.display().to_string(),
        );
    }
}

/// Byte-level mutations of the seeds with a fixed-seed generator: flips,
/// inserted syntax, deletions and splices, the moves libFuzzer makes first.
struct Mutator {
    state: u64,
}

const TOKENS: &[&str] = &[
    "+++\n",
    "\n",
    "\r",
    "\"",
    "'''",
    "[[samples]]\n",
    "](",
    "](other.md#",
    "#",
    "## ",
    "{#",
    "> [!NOTE]\n",
    "```",
    "```python title=\"x\" run\n",
    " hl_lines=\"99\"",
    "|",
    "[^1]",
    "\\",
    "\u{0}",
    "\u{1b}",
    "\u{feff}",
    "é",
    "..",
    "/",
    "=",
    "[",
    "]",
    "{",
    "}",
    "<",
    "&",
];

impl Mutator {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn mutate(&mut self, seed: &[u8], other: &[u8]) -> Vec<u8> {
        let mut data = seed.to_vec();
        for _ in 0..=self.below(4) {
            let at = self.below(data.len() + 1);
            match self.below(5) {
                0 if !data.is_empty() => {
                    let index = at.min(data.len() - 1);
                    data[index] ^= 1 << self.below(8);
                }
                1 => {
                    let token = TOKENS[self.below(TOKENS.len())];
                    data.splice(at..at, token.bytes());
                }
                2 => {
                    let end = (at + self.below(16)).min(data.len());
                    data.drain(at..end);
                }
                3 if !other.is_empty() => {
                    let from = self.below(other.len());
                    let end = (from + self.below(64)).min(other.len());
                    data.splice(at..at, other[from..end].iter().copied());
                }
                _ => data.truncate(at),
            }
        }
        data
    }
}

#[test]
fn mutated_seeds_never_crash() {
    let seeds: Vec<Vec<u8>> = files_in(&repo("fuzz/seeds/question"))
        .iter()
        .map(|file| std::fs::read(file).unwrap())
        .collect();
    let configs: Vec<Vec<u8>> = files_in(&repo("fuzz/seeds/site_toml"))
        .iter()
        .map(|file| std::fs::read(file).unwrap())
        .collect();
    assert!(!seeds.is_empty() && !configs.is_empty());
    let mut mutator = Mutator {
        state: 0x9E37_79B9_7F4A_7C15,
    };
    // Whole builds cost milliseconds each; the in-memory targets far less.
    let rounds: &[(&str, Target, &[Vec<u8>], usize)] = &[
        ("front_matter", harness::front_matter, &seeds, 300),
        ("markdown", harness::markdown, &seeds, 300),
        ("build_page", harness::build_page, &seeds, 24),
        ("build_config", harness::build_config, &configs, 24),
    ];
    for (name, target, inputs, count) in rounds {
        for round in 0..*count {
            let seed = &inputs[round % inputs.len()];
            let other = &inputs[mutator.below(inputs.len())];
            let data = mutator.mutate(seed, other);
            run(name, *target, &data, &format!("mutant {round}: {data:?}"));
        }
    }
}
