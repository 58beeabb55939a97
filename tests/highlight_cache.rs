//! The persistent highlight cache through the real binary: a build with a
//! warm cache is byte-identical to one without, a damaged cache is rebuilt,
//! `--no-cache` neither reads nor writes it, and it never lands in the output.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Site, fixture};

/// The cache file inside the cache folder, and where its entries start
/// (see `src/highlight/cache.rs`): magic, format, fingerprint, checksum.
const FILE: &str = "highlight.bin";
const CHECKSUM_AT: usize = 24 + 4 + 16;
const BODY_AT: usize = CHECKSUM_AT + 16;

/// Run `djguide build` of `root` into `output`, with the cache in
/// `cache` (`None`: the default folder under the root).
fn build(root: &str, output: &Path, cache: Option<&Path>, extra: &[&str]) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_djguide"));
    command
        .args(["build", "--root", root, "--output"])
        .arg(output)
        .args(extra)
        .env("NO_COLOR", "1")
        .env_remove("DJGUIDE_CACHE_DIR");
    if let Some(cache) = cache {
        command.env("DJGUIDE_CACHE_DIR", cache);
    }
    let result = command.output().expect("run djguide");
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

/// Build `root` without a cache, then twice with an empty one (filling it,
/// then using it): all three outputs must be the same bytes.
fn assert_warm_build_is_identical(root: &str) {
    let work = tempfile::tempdir().unwrap();
    let cache = work.path().join("cache");
    let outputs: Vec<PathBuf> = ["none", "cold", "warm"]
        .iter()
        .map(|name| work.path().join(name))
        .collect();
    build(root, &outputs[0], Some(&cache), &["--no-cache"]);
    assert!(!cache.exists(), "--no-cache wrote a cache");
    build(root, &outputs[1], Some(&cache), &[]);
    let filled = std::fs::read(cache.join(FILE)).expect("the build wrote the cache");
    build(root, &outputs[2], Some(&cache), &[]);
    let without = common::tree(&outputs[0]);
    assert_eq!(without, common::tree(&outputs[1]), "{root}: cold cache");
    assert_eq!(without, common::tree(&outputs[2]), "{root}: warm cache");
    assert_eq!(
        std::fs::read(cache.join(FILE)).unwrap(),
        filled,
        "a build that rendered nothing new rewrote the cache"
    );
}

#[test]
fn warm_cache_builds_of_the_fixtures_are_byte_identical() {
    for name in ["basic", "rich-html", "run-samples", "hostile"] {
        assert_warm_build_is_identical(&fixture(name));
    }
}

#[test]
fn a_warm_cache_build_of_the_guide_is_byte_identical() {
    assert_warm_build_is_identical(env!("CARGO_MANIFEST_DIR"));
}

#[test]
fn the_default_cache_lives_under_the_root_and_ignores_itself() {
    let site = Site::copy_of("basic");
    let output = site.path("public");
    build(site.root(), &output, None, &[]);
    let cache = site.path(".djguide-cache");
    assert!(cache.join(FILE).is_file());
    assert_eq!(
        common::read(&cache.join(".gitignore")).lines().last(),
        Some("*")
    );
    assert!(!output.join(".djguide-cache").exists());
}

/// Overwrite the cache's file with `damage` applied; the next build must
/// succeed with the same output and leave a usable cache.
fn assert_damage_is_ignored(damage: impl Fn(&mut Vec<u8>)) {
    let site = Site::copy_of("basic");
    let cache = site.path("cache");
    build(site.root(), &site.path("first"), Some(&cache), &[]);
    let file = cache.join(FILE);
    let good = std::fs::read(&file).unwrap();
    let mut bytes = good.clone();
    damage(&mut bytes);
    std::fs::write(&file, &bytes).unwrap();
    build(site.root(), &site.path("second"), Some(&cache), &[]);
    assert_eq!(
        common::tree(&site.path("first")),
        common::tree(&site.path("second"))
    );
    assert_eq!(std::fs::read(&file).unwrap(), good, "the cache was rebuilt");
}

#[test]
fn a_corrupt_truncated_or_foreign_cache_file_is_rebuilt() {
    assert_damage_is_ignored(|bytes| {
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
    });
    assert_damage_is_ignored(|bytes| bytes.truncate(bytes.len() - 7));
    assert_damage_is_ignored(|bytes| bytes.truncate(10));
    assert_damage_is_ignored(|bytes| *bytes = b"\x00\xffnot a cache".to_vec());
    assert_damage_is_ignored(|bytes| bytes[30] ^= 0x80); // another fingerprint
}

/// Change every `class="line"` in the cache's entries to `class="LINE"` and
/// sign the result, as a cache from another djguide could hold.
fn forge_entries(file: &Path) {
    let mut bytes = std::fs::read(file).unwrap();
    let body = &mut bytes[BODY_AT..];
    let (from, to) = (b"class=\"line\"", b"class=\"LINE\"");
    let mut replaced = 0;
    for start in 0..body.len().saturating_sub(from.len()) {
        if &body[start..start + from.len()] == from {
            body[start..start + to.len()].copy_from_slice(to);
            replaced += 1;
        }
    }
    assert!(replaced > 0);
    let checksum = siphasher::sip128::SipHasher13::new()
        .hash(&bytes[BODY_AT..])
        .as_u128();
    bytes[CHECKSUM_AT..BODY_AT].copy_from_slice(&checksum.to_le_bytes());
    std::fs::write(file, bytes).unwrap();
}

#[test]
fn no_cache_neither_reads_nor_writes_the_cache() {
    let site = Site::copy_of("basic");
    let cache = site.path("cache");
    build(site.root(), &site.path("first"), Some(&cache), &[]);
    let file = cache.join(FILE);
    forge_entries(&file);
    let forged = std::fs::read(&file).unwrap();
    let page = "orm/n-plus-one/index.html";

    build(site.root(), &site.path("cached"), Some(&cache), &[]);
    let cached = common::read(&site.path("cached").join(page));
    assert!(cached.contains("class=\"LINE\""), "the cache is read");

    // Changed code: a block the cache cannot hold, so a build that used
    // the cache would write it.
    let question = site.path("content/orm/n-plus-one.md");
    let text = common::read(&question).replacen(
        "from shop.models import Book\n",
        "fresh_marker_17 = 1\nfrom shop.models import Book\n",
        1,
    );
    std::fs::write(&question, text).unwrap();
    build(
        site.root(),
        &site.path("uncached"),
        Some(&cache),
        &["--no-cache"],
    );
    let uncached = common::read(&site.path("uncached").join(page));
    assert!(
        !uncached.contains("class=\"LINE\""),
        "--no-cache read the cache"
    );
    assert!(uncached.contains("fresh_marker_17"));
    assert_eq!(std::fs::read(&file).unwrap(), forged, "--no-cache wrote");
}

#[test]
fn a_cache_folder_inside_the_output_is_not_used() {
    let site = Site::copy_of("basic");
    let output = site.path("public");
    let cache = output.join("cache");
    build(site.root(), &output, Some(&cache), &[]);
    build(site.root(), &output, Some(&cache), &[]);
    assert!(!cache.exists());
    assert!(
        common::tree(&output)
            .keys()
            .all(|path| !path.starts_with("cache"))
    );
}

#[test]
fn concurrent_builds_leave_a_whole_cache() {
    let site = Site::copy_of("basic");
    let cache = site.path("cache");
    let spawn = |output: &str| {
        Command::new(env!("CARGO_BIN_EXE_djguide"))
            .args(["build", "--root", site.root(), "--output"])
            .arg(site.path(output))
            .env("DJGUIDE_CACHE_DIR", &cache)
            .spawn()
            .expect("run djguide")
    };
    for _ in 0..4 {
        // Both builds start cold, so both write the file.
        let _ = std::fs::remove_file(cache.join(FILE));
        let builds = [spawn("a"), spawn("b")];
        for mut build in builds {
            assert!(build.wait().unwrap().success());
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .filter(|name| name.to_string_lossy().starts_with(".highlight"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let warm = std::fs::read(cache.join(FILE)).unwrap();
    build(site.root(), &site.path("c"), Some(&cache), &[]);
    build(site.root(), &site.path("d"), None, &["--no-cache"]);
    assert_eq!(common::tree(&site.path("c")), common::tree(&site.path("d")));
    assert!(warm.starts_with(b"djguide highlight cache\n"));
}
