//! `djguide new` scaffolds questions that already pass `djguide check`, and
//! `djguide check` warns (without failing, unless `--strict`) about
//! questions that look unfinished.

mod common;

use common::{Site, djguide};

#[test]
fn a_scaffolded_question_passes_check() {
    let site = Site::copy_of("basic");
    let created = djguide(&[
        "new",
        "orm/bulk-create",
        "--level",
        "mid",
        "--root",
        site.root(),
    ]);
    assert!(created.success, "{}", created.stderr);
    assert_eq!(created.stdout, "created content/orm/bulk-create.md\n");

    let text = common::read(&site.path("content/orm/bulk-create.md"));
    for key in [
        "title = \"Bulk create?\"",
        "level = \"mid\"",
        "summary = ",
        "red_flag = ",
        "tags = [\"orm\"]",
        "follow_ups = [",
        "weight = 20",
        "related = []",
        "\n## ",
    ] {
        assert!(text.contains(key), "missing `{key}`:\n{text}");
    }

    // Valid, so `check` passes; unfinished, so `--strict` fails with one
    // warning per placeholder field and `build` says so in one line.
    let checked = djguide(&["check", "--root", site.root()]);
    assert!(checked.success, "{}", checked.stderr);
    assert!(
        checked.stdout.starts_with("checked 18 pages (4 questions"),
        "{}",
        checked.stdout
    );
    let strict = djguide(&["check", "--root", site.root(), "--strict"]);
    assert!(!strict.success, "{}", strict.stderr);
    let placeholders: Vec<&str> = strict
        .stderr
        .lines()
        .filter(|line| line.starts_with("warning: content/orm/bulk-create.md:"))
        .collect();
    assert_eq!(
        placeholders,
        [
            "warning: content/orm/bulk-create.md:4:12: `summary` is still a placeholder",
            "warning: content/orm/bulk-create.md:5:13: `red_flag` is still a placeholder",
            "warning: content/orm/bulk-create.md:7:16: `follow_ups` is still a placeholder",
            "warning: content/orm/bulk-create.md:11:1: the answer is still a placeholder",
        ],
        "{}",
        strict.stderr
    );
    let out = tempfile::tempdir().unwrap();
    let built = djguide(&[
        "build",
        "--root",
        site.root(),
        "--output",
        out.path().join("public").to_str().unwrap(),
    ]);
    assert!(built.success, "{}", built.stderr);
    assert_eq!(
        built.stderr,
        "warning: content/orm/bulk-create.md:4:12: 4 `TODO` placeholders from `djguide new` left\n  = help: `djguide check` lists them\n\n"
    );
}

#[test]
fn a_new_topic_is_created_only_when_asked() {
    let site = Site::copy_of("basic");
    let refused = djguide(&["new", "caching/per-view", "--root", site.root()]);
    assert!(!refused.success);
    assert!(
        refused.stderr.contains("unknown topic `caching`"),
        "{}",
        refused.stderr
    );
    assert!(!site.path("content/caching").exists());

    let created = djguide(&[
        "new",
        "caching/per-view",
        "--create-topic",
        "--root",
        site.root(),
    ]);
    assert!(created.success, "{}", created.stderr);
    assert_eq!(
        created.stdout,
        "created content/caching/_index.md\ncreated content/caching/per-view.md\n"
    );
    let checked = djguide(&["check", "--root", site.root()]);
    assert!(checked.success, "{}", checked.stderr);
    assert!(!checked.stderr.contains("error"), "{}", checked.stderr);
    assert!(
        checked.stderr.contains(
            "warning: content/caching/_index.md:3:16: `description` is still a placeholder"
        ),
        "{}",
        checked.stderr
    );
    assert!(
        checked.stderr.contains(
            "warning: content/caching/_index.md:6:1: the introduction is still a placeholder"
        ),
        "{}",
        checked.stderr
    );
}

#[test]
fn mistakes_are_refused_with_a_hint() {
    let site = Site::copy_of("basic");
    let before = common::read(&site.path("content/orm/n-plus-one.md"));
    for (args, message, hint) in [
        (
            vec!["orm/n-plus-one"],
            "error: content/orm/n-plus-one.md already exists",
            "pick another slug",
        ),
        (
            vec!["orn/x"],
            "error: unknown topic `orn`",
            "did you mean `orm`?",
        ),
        (
            vec!["orm/x", "--level", "senoir"],
            "error: unknown level `senoir`",
            "did you mean `senior`?",
        ),
        (
            vec!["orm/Bulk_Create"],
            "error: slug `Bulk_Create` is not a valid URL slug",
            "e.g. `bulk-create`",
        ),
        (
            vec!["bulk-create"],
            "error: `bulk-create` is not TOPIC/SLUG",
            "orm/bulk-create",
        ),
    ] {
        let mut full = vec!["new"];
        full.extend(args);
        full.extend(["--root", site.root()]);
        let result = djguide(&full);
        assert!(!result.success, "{full:?}");
        assert!(
            result.stderr.starts_with(message),
            "{full:?}: {}",
            result.stderr
        );
        assert!(result.stderr.contains(hint), "{full:?}: {}", result.stderr);
    }
    assert_eq!(
        common::read(&site.path("content/orm/n-plus-one.md")),
        before
    );
}

#[test]
fn check_warns_about_unfinished_questions() {
    let site = Site::copy_of("basic");
    site.write(
        "content/orm/wordy.md",
        "+++\ntitle = \"Wordy?\"\nlevel = \"mid\"\nsummary = \"One. Two. Three. Four.\"\nred_flag = \"R.\"\nfollow_ups = [\"Just one?\"]\n+++\nNo code here.\n",
    );
    let checked = djguide(&["check", "--root", site.root()]);
    assert!(checked.success, "warnings do not fail: {}", checked.stderr);
    for warning in [
        "warning: content/orm/wordy.md:4:1: summary has 4 sentences",
        "warning: content/orm/wordy.md:6:1: question has only 1 follow-up",
        "warning: content/orm/wordy.md:8:1: question has no code sample",
        // The orm topic shows code elsewhere; views (no code at all) is conceptual.
        "warning: content/orm/lazy-querysets.md:11:1: question has no code sample",
    ] {
        assert!(
            checked.stderr.contains(warning),
            "{warning}\n{}",
            checked.stderr
        );
    }
    assert!(
        !checked.stderr.contains("views/cbv.md"),
        "{}",
        checked.stderr
    );

    let strict = djguide(&["check", "--root", site.root(), "--strict"]);
    assert!(!strict.success);
    assert!(
        strict.stderr.contains("error: 4 warnings with --strict"),
        "{}",
        strict.stderr
    );

    let built = djguide(&[
        "build",
        "--root",
        site.root(),
        "--output",
        site.path("public").to_str().unwrap(),
    ]);
    assert!(built.success);
    assert!(
        !built.stderr.contains("warning"),
        "only check warns: {}",
        built.stderr
    );
}
