//! The real binary against fixture sites: golden output for the pages that
//! matter, determinism, atomic output, and located errors for broken input.

mod common;

use std::path::Path;

use common::{Outcome, Site, djguide, fixture, main_element, read};

/// Build the `basic` fixture into a fresh temporary folder with `extra`
/// arguments; the build must succeed. Keep the returned folder alive.
fn build_basic(extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, Outcome) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let root = fixture("basic");
    let mut args = vec![
        "build",
        "--root",
        &root,
        "--output",
        target.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let result = djguide(&args);
    assert!(result.success, "{}", result.stderr);
    (out, target, result)
}

#[test]
fn builds_the_fixture_site() {
    let (_out, target, result) = build_basic(&[]);
    assert!(
        result
            .stdout
            .starts_with("built 17 pages (3 questions in 2 topics) into "),
        "{}",
        result.stdout
    );
    for page in [
        "index.html",
        "orm/index.html",
        "orm/n-plus-one/index.html",
        "orm/lazy-querysets/index.html",
        "views/cbv/index.html",
        "levels/junior/index.html",
        "levels/mid/index.html",
        "levels/senior/index.html",
        "questions/index.html",
        "tags/index.html",
        "tags/orm/index.html",
        "changes/index.html",
        "search/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "questions.csv",
        "favicon.ico",
    ] {
        assert!(target.join(page).is_file(), "missing {page}");
    }
    assert!(
        !target.join("orm/unfinished").exists(),
        "drafts are skipped"
    );

    insta::assert_snapshot!(
        "question_main",
        main_element(&read(&target.join("orm/n-plus-one/index.html")))
    );
    insta::assert_snapshot!(
        "topic_main",
        main_element(&read(&target.join("orm/index.html")))
    );
    insta::assert_snapshot!("home_main", main_element(&read(&target.join("index.html"))));
    insta::assert_snapshot!(
        "changes_main",
        main_element(&read(&target.join("changes/index.html")))
    );
    insta::assert_snapshot!("sitemap", read(&target.join("sitemap.xml")));
    insta::assert_snapshot!("atom", read(&target.join("atom.xml")));
    insta::assert_snapshot!("robots", read(&target.join("robots.txt")));
    insta::assert_snapshot!("questions_csv", read(&target.join("questions.csv")));
}

#[test]
fn pages_carry_metadata_and_work_under_a_base_path() {
    let (_out, target, _) = build_basic(&[]);
    let page = read(&target.join("orm/n-plus-one/index.html"));
    assert!(page.contains(
        r#"<link rel="canonical" href="https://example.github.io/guide/orm/n-plus-one/">"#
    ));
    // The description is the quick answer's first sentence; the structured
    // data carries all of it.
    assert!(page.contains(
        r#"<meta name="description" content="One query for a list, then one more per row.">"#
    ));
    assert!(page.contains(
        r#""text":"One query for a list, then one more per row. Fix it with select_related or prefetch_related.""#
    ));
    assert!(page.contains(
        r#"href="https://github.com/example/guide/edit/main/content/orm/n-plus-one.md""#
    ));
    assert!(
        page.contains(r#"<script type="application/ld+json">{"@context":"https://schema.org""#)
    );
    // Every internal link and asset starts with the base path.
    for attribute in ["href=\"/", "src=\"/"] {
        for (index, _) in page.match_indices(attribute) {
            let rest = &page[index + attribute.len() - 1..];
            assert!(
                rest.starts_with("/guide/"),
                "link outside the base path: {}",
                &rest[..40.min(rest.len())]
            );
        }
    }
    let stylesheet = page
        .split("<link rel=\"stylesheet\" href=\"/guide/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert!(stylesheet.starts_with("assets/style.") && target.join(stylesheet).is_file());
}

#[test]
fn base_url_flag_overrides_the_config() {
    let (_out, target, _) = build_basic(&["--base-url", "http://127.0.0.1:8080"]);
    let page = read(&target.join("views/cbv/index.html"));
    assert!(page.contains(r#"href="http://127.0.0.1:8080/views/cbv/""#));
    assert!(page.contains(r#"<a class="site-title" href="/">"#));
}

#[test]
fn two_builds_are_byte_identical() {
    let (_first_folder, first, _) = build_basic(&[]);
    let (_second_folder, second, _) = build_basic(&[]);
    assert_eq!(common::tree(&first), common::tree(&second));
}

#[test]
fn drafts_flag_includes_drafts() {
    let (_out, target, _) = build_basic(&["--drafts"]);
    assert!(target.join("orm/unfinished/index.html").is_file());
}

#[test]
fn check_writes_nothing() {
    let site = Site::copy_of("basic");
    let result = djguide(&["check", "--root", site.root()]);
    assert!(result.success, "{}", result.stderr);
    assert!(
        result.stdout.starts_with("checked 17 pages"),
        "{}",
        result.stdout
    );
    assert!(!site.path("public").exists());
}

#[test]
fn allowed_author_html_passes_but_markdown_text_is_escaped() {
    let (_out, target, _) = build_basic(&[]);
    let page = read(&target.join("views/cbv/index.html"));
    assert!(page.contains("<code>&lt;b&gt;code&lt;/b&gt;</code> and 1 &lt; 2"));
    assert!(page.contains("<b>this</b>"));
    assert!(page.contains("response. <kbd>Ctrl</kbd>+<kbd>C</kbd> stops"));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::copy_of("basic");
    assert!(djguide(&["build", "--root", site.root()]).success);
    let before = common::tree(&site.path("public"));
    site.write(
        "content/orm/lazy-querysets.md",
        "+++\ntitle = \"x\"\nlevel = \"expert\"\n+++\n",
    );
    let result = djguide(&["build", "--root", site.root()]);
    assert!(!result.success);
    assert_eq!(common::tree(&site.path("public")), before);
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A template error shows only while pages are rendered, after the first
/// files are already in the staging folder: the build still fails whole.
#[test]
fn a_template_error_midway_through_writing_leaves_the_previous_output_untouched() {
    let site = Site::copy_of("basic");
    assert!(djguide(&["build", "--root", site.root()]).success);
    let before = common::tree(&site.path("public"));
    site.write(
        "themes/default/templates/tags.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.tag }}{% endblock content %}",
    );
    let result = djguide(&["build", "--root", site.root()]);
    assert!(!result.success);
    assert!(
        result.stderr.contains("undefined field `tag`"),
        "{}",
        result.stderr
    );
    assert_eq!(common::tree(&site.path("public")), before);
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The issue's reproduction: a Pages checkout in `public/` keeps its `.git`
/// and `CNAME` across builds, and files the author drops in survive.
#[test]
fn a_rebuild_keeps_every_file_it_did_not_write() {
    let site = Site::copy_of("basic");
    assert!(djguide(&["build", "--root", site.root()]).success);
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    site.write("public/CNAME", "guide.example\n");
    site.write("public/.nojekyll", "");
    site.write("public/orm/notes.txt", "mine\n");
    site.remove("content/orm/lazy-querysets.md");
    site.write(
        "content/orm/n-plus-one.md",
        &read(&site.path("content/orm/n-plus-one.md"))
            .replace("related = [\"orm/lazy-querysets.md\", ", "related = ["),
    );
    site.write(
        "content/orm/n-plus-one.md",
        &read(&site.path("content/orm/n-plus-one.md")).replace("[lazy](lazy-querysets.md)", "lazy"),
    );
    let result = djguide(&["build", "--root", site.root()]);
    assert!(result.success, "{}", result.stderr);
    assert!(
        result
            .stdout
            .contains("(kept 4 files djguide did not write)"),
        "{}",
        result.stdout
    );
    assert_eq!(
        read(&site.path("public/.git/HEAD")),
        "ref: refs/heads/gh-pages\n"
    );
    assert_eq!(read(&site.path("public/CNAME")), "guide.example\n");
    assert!(site.path("public/.nojekyll").is_file());
    assert_eq!(read(&site.path("public/orm/notes.txt")), "mine\n");
    assert!(
        !site.path("public/orm/lazy-querysets").exists(),
        "the removed page's output is gone"
    );
}

#[test]
fn a_file_of_the_author_where_a_page_would_go_stops_the_build() {
    let site = Site::copy_of("basic");
    site.write("public/index.html", "<p>my own page</p>");
    site.write("public/notes.txt", "mine");
    let result = djguide(&["build", "--root", site.root()]);
    assert!(!result.success);
    assert!(
        result.stderr.contains("refusing to overwrite 1 file in ")
            && result.stderr.contains("\n  index.html\n"),
        "{}",
        result.stderr
    );
    assert_eq!(read(&site.path("public/index.html")), "<p>my own page</p>");
    assert_eq!(read(&site.path("public/notes.txt")), "mine");
}

#[test]
fn refuses_to_replace_a_folder_that_is_not_a_site() {
    let site = Site::copy_of("basic");
    site.write("notes/keep.txt", "precious");
    let result = djguide(&[
        "build",
        "--root",
        site.root(),
        "--output",
        site.path("notes").to_str().unwrap(),
    ]);
    assert!(!result.success);
    assert!(
        result.stderr.contains("refusing to build into"),
        "{}",
        result.stderr
    );
    assert_eq!(read(&site.path("notes/keep.txt")), "precious");
    let result = djguide(&["build", "--root", site.root(), "--output", site.root()]);
    assert!(!result.success);
    assert!(Path::new(site.root()).join("content").is_dir());
}
