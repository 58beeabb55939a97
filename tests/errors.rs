//! Broken input: every problem is reported as `path:line:col: message` with
//! the source line and a hint, all at once, with exit code 1 and no output.

mod common;

use common::{Site, djguide, fixture};

#[test]
fn every_error_in_a_broken_site_is_reported_at_once() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let result = djguide(&[
        "build",
        "--root",
        &fixture("broken"),
        "--output",
        target.to_str().unwrap(),
    ]);
    assert!(!result.success);
    assert!(!target.exists(), "nothing is written");
    insta::assert_snapshot!(result.stderr);
}

fn first_line(stderr: &str) -> &str {
    stderr.lines().next().unwrap_or_default()
}

#[test]
fn missing_site_toml() {
    let stderr = common::check_fails_after(|site| site.remove("site.toml"));
    assert!(
        first_line(&stderr).starts_with("error: site.toml:1:1: cannot read site configuration"),
        "{stderr}"
    );
}

#[test]
fn misspelt_site_toml_key() {
    let stderr = common::check_fails_after(|site| {
        site.write(
            "site.toml",
            "title = \"x\"\nbase_url = \"https://x/\"\ndescripion = \"d\"\n",
        )
    });
    assert_eq!(
        first_line(&stderr),
        "error: site.toml:3:1: unknown key `descripion`"
    );
    assert!(stderr.contains("help: did you mean `description`?"));
}

/// Regression: the theme was located by searching the file for its quoted
/// name, so a comment mentioning it earlier got the blame.
#[test]
fn an_unknown_highlight_theme_is_located_at_its_value_not_a_comment() {
    let stderr = common::check_fails_after(|site| {
        site.write(
            "site.toml",
            "title = \"x\"\nbase_url = \"https://x/\"\n# light_theme = \"Nope\" did not work\n[highlight]\nlight_theme = \"Nope\"\ndark_theme = \"Nord\"\n",
        )
    });
    assert_eq!(
        first_line(&stderr),
        "error: site.toml:5:15: unknown highlighting theme `Nope`"
    );
}

#[test]
fn invalid_utf8_is_located() {
    let stderr = common::check_fails_after(|site| {
        std::fs::write(
            site.path("content/orm/lazy-querysets.md"),
            b"+++\ntitle = \"\xff\"\n+++\n",
        )
        .unwrap()
    });
    assert_eq!(
        first_line(&stderr),
        "error: content/orm/lazy-querysets.md:2:10: file is not valid UTF-8"
    );
}

#[test]
fn a_byte_order_mark_is_not_an_error() {
    let site = Site::copy_of("basic");
    let text = common::read(&site.path("content/views/cbv.md"));
    std::fs::write(site.path("content/views/cbv.md"), format!("\u{feff}{text}")).unwrap();
    let result = djguide(&["check", "--root", site.root()]);
    assert!(result.success, "{}", result.stderr);
}

#[test]
fn empty_and_fence_only_files() {
    let stderr = common::check_fails_after(|site| {
        site.write("content/orm/empty.md", "");
        site.write("content/orm/fence.md", "+++");
        site.write("content/orm/closed.md", "+++\n+++\n");
    });
    assert!(
        stderr.contains("content/orm/closed.md:1:1: missing field `title`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/orm/empty.md:1:1: missing front matter"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/orm/fence.md:1:1: front matter is never closed"),
        "{stderr}"
    );
    assert!(stderr.contains("build failed with 3 errors"), "{stderr}");
}

#[test]
fn binary_garbage_does_not_panic() {
    let stderr = common::check_fails_after(|site| {
        let garbage: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        std::fs::write(site.path("content/orm/garbage.md"), garbage).unwrap();
    });
    assert!(stderr.contains("content/orm/garbage.md:"), "{stderr}");
}

#[test]
fn sample_paths_are_confined() {
    let stderr = common::check_fails_after(|site| {
        let text = common::read(&site.path("content/orm/n-plus-one.md"))
            .replace("samples/n_plus_one.py", "../../site.toml");
        site.write("content/orm/n-plus-one.md", &text);
    });
    assert_eq!(
        first_line(&stderr),
        "error: content/orm/n-plus-one.md:13:8: sample path `../../site.toml` leaves the topic folder",
        "links to the failed page are not reported again"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_content_are_refused() {
    let stderr = common::check_fails_after(|site| {
        site.write("outside/secret.md", "+++\ntitle = \"s\"\n+++\n");
        std::os::unix::fs::symlink(
            site.path("outside/secret.md"),
            site.path("content/orm/secret.md"),
        )
        .unwrap();
        std::os::unix::fs::symlink(site.path("outside"), site.path("content/outside")).unwrap();
    });
    assert!(
        stderr.contains("content/orm/secret.md:1:1: symbolic link points outside content/"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/outside:1:1: symbolic link points outside content/"),
        "{stderr}"
    );
}

#[test]
fn links_to_drafts_say_so() {
    let stderr = common::check_fails_after(|site| {
        site.write(
            "content/orm/lazy-querysets.md",
            "+++\ntitle = \"x\"\nlevel = \"junior\"\nsummary = \"s\"\nred_flag = \"r\"\n+++\n[draft](unfinished.md)\n",
        )
    });
    assert!(
        stderr.contains("`unfinished.md` is a draft and is not part of this build"),
        "{stderr}"
    );
}

#[test]
fn unknown_theme_and_broken_templates() {
    let stderr = common::check_fails_after(|site| {
        let config = common::read(&site.path("site.toml"));
        site.write("site.toml", &format!("{config}theme = \"mine\"\n"));
    });
    assert!(stderr.contains("theme `mine` not found"), "{stderr}");

    let stderr = common::check_fails_after(|site| {
        let config = common::read(&site.path("site.toml"));
        site.write("site.toml", &format!("{config}theme = \"mine\"\n"));
        site.write(
            "themes/mine/templates/404.html",
            "{% extends \"base.html\" %}{% block content %}{{ page.nope }}{% endblock content %}",
        );
    });
    assert_eq!(
        first_line(&stderr),
        "error: themes/mine/templates/404.html:1:53: undefined field `nope`",
        "{stderr}"
    );
}

/// `check` on the basic site with `themes/mine/templates/404.html` set to
/// `template`; returns stderr.
fn check_template(template: &str) -> String {
    check_theme_file("templates/404.html", template)
}

/// `check` on the basic site using theme `mine` with one file, `path` under
/// `themes/mine/`, set to `text`; returns stderr.
fn check_theme_file(path: &str, text: &str) -> String {
    common::check_fails_after(|site| {
        let config = common::read(&site.path("site.toml"));
        site.write("site.toml", &format!("{config}theme = \"mine\"\n"));
        site.write(&format!("themes/mine/{path}"), text);
    })
}

#[test]
fn template_errors_name_the_file_line_and_a_close_name() {
    for (template, headline, hint) in [
        (
            "{% extends \"base.html\" %}\n{% block content %}{% iff page %}x{% endif %}{% endblock content %}",
            "themes/mine/templates/404.html:2:23: unknown tag `iff`",
            "did you mean `if`?",
        ),
        (
            "{% extends \"base.html\" %}{% block content %}\n  {{ page.meta.title | uper }}\n{% endblock content %}",
            "themes/mine/templates/404.html:2:24: unknown filter `uper`",
            "did you mean `upper`?",
        ),
        (
            "{% extends \"base.html\" %}{% block content %}\n<h1>{{ page.meta.titel }}</h1>{% endblock content %}",
            "themes/mine/templates/404.html:2:18: undefined field `titel`",
            "did you mean `title`?",
        ),
        (
            "{% extends \"base.html\" %}{% block content %}{% for t in site.topics %}\n{{ t.slgu | upper }}{% endfor %}{% endblock content %}",
            "themes/mine/templates/404.html:2:4: `t.slgu` is undefined",
            "did you mean `slug`?",
        ),
        (
            "{% extends \"base.html\" %}{% block content %}{% include \"partials/question.html\" %}{% endblock content %}",
            "themes/mine/templates/404.html:1:57: unknown template `partials/question.html`",
            "did you mean `partials/question-item.html`?",
        ),
    ] {
        let stderr = check_template(template);
        assert_eq!(
            first_line(&stderr),
            format!("error: {headline}"),
            "{stderr}"
        );
        assert!(stderr.contains(&format!("= help: {hint}")), "{stderr}");
        assert!(!stderr.contains("error: error"), "{stderr}");
        assert!(stderr.contains("build failed with 1 error;"), "{stderr}");
    }
}

#[test]
fn a_template_error_in_the_built_in_theme_names_its_file() {
    // Errors are located in the file really loaded: the override, or a
    // file under themes/default/ (on disk here, as when developing the theme).
    let stderr = check_template("{% extends \"bse.html\" %}");
    assert_eq!(
        first_line(&stderr),
        "error: themes/mine/templates/404.html:1:13: `404.html` extends `bse.html`, which does not exist",
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `base.html`?"), "{stderr}");
    let stderr = common::check_fails_after(|site| {
        site.write(
            "themes/default/templates/tags.html",
            "{% extends \"base.html\" %}{% block content %}{{ page.tag }}{% endblock content %}",
        );
    });
    assert_eq!(
        first_line(&stderr),
        "error: themes/default/templates/tags.html:1:53: undefined field `tag`",
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `tags`?"), "{stderr}");
}

#[test]
fn an_overridden_partial_is_named_when_a_built_in_page_includes_it() {
    let stderr = check_theme_file(
        "templates/partials/question-item.html",
        "<li>{{ question.titel }}</li>\n",
    );
    assert_eq!(
        first_line(&stderr),
        "error: themes/mine/templates/partials/question-item.html:1:17: undefined field `titel`",
        "{stderr}"
    );
}

#[test]
fn reserved_and_invalid_names() {
    let stderr = common::check_fails_after(|site| {
        site.write("content/tags/_index.md", "+++\ntitle = \"t\"\n+++\n");
        site.write("content/orm/Select Related.md", "+++\ntitle = \"t\"\n+++\n");
    });
    assert!(
        stderr.contains("topic folder name `tags` is reserved"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: use lowercase letters, digits and hyphens, e.g. `select-related`"),
        "{stderr}"
    );
}

#[test]
fn escape_sequences_in_files_reach_the_terminal_escaped() {
    let stderr = common::check_fails_after(|site| {
        site.write(
            "content/orm/lazy-querysets.md",
            "+++\ntitle = \"x\"\nlevel = \"junior\"\nsummary = \"s\"\nred_flag = \"r\"\n+++\nSee [it](<\x1b]0;pwned\x07\x1b[2J\u{202e}gone.md>) now.\n",
        );
        site.write("content/orm/\x1b[31mred.md", "no front matter\x1b[0m\n");
    });
    assert!(
        !stderr.contains(['\x1b', '\x07', '\u{202e}']),
        "raw control characters in:\n{stderr}"
    );
    assert!(
        stderr.contains(
            "content/orm/lazy-querysets.md:7:11: link URL `\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{202e}gone.md` contains the control character U+001B"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: content/orm/\\x1b[31mred.md:1:1: question file name"),
        "{stderr}"
    );
    // The carets sit under the whole destination, escapes included.
    let lines: Vec<&str> = stderr.lines().collect();
    let source = lines.iter().position(|l| l.starts_with("7 | See")).unwrap();
    let value_at = lines[source].find("\\x1b]").unwrap();
    let carets = lines[source + 1];
    let caret_at = carets.find('^').unwrap();
    assert_eq!(caret_at, value_at, "{stderr}");
    assert_eq!(
        carets[caret_at..].len(),
        lines[source][value_at..].find(">)").unwrap(),
        "{stderr}"
    );
}

#[test]
fn a_missing_bracket_is_one_error_on_the_line_that_lacks_it() {
    let stderr = common::check_fails_after(|site| {
        let text = common::read(&site.path("content/orm/n-plus-one.md")).replace(
            "tags = [\"orm\", \"performance\"]",
            "tags = [\"orm\", \"performance\"",
        );
        site.write("content/orm/n-plus-one.md", &text);
    });
    assert_eq!(
        first_line(&stderr),
        "error: content/orm/n-plus-one.md:6:8: the array of `tags` is never closed: missing `]`",
        "{stderr}"
    );
    assert!(stderr.contains("build failed with 1 error;"), "{stderr}");
}

#[test]
fn a_topic_without_index_is_one_error_not_a_link_cascade() {
    let stderr = common::check_fails_after(|site| site.remove("content/orm/_index.md"));
    assert_eq!(
        first_line(&stderr),
        "error: content/orm/lazy-querysets.md:1:1: topic folder `orm` has no _index.md, so its 2 questions are left out",
        "{stderr}"
    );
    assert!(!stderr.contains("does not exist"), "{stderr}");
    assert!(stderr.contains("build failed with 1 error;"), "{stderr}");
}

#[test]
fn a_broken_topic_or_home_index_is_not_also_reported_missing() {
    let stderr = common::check_fails_after(|site| {
        site.write("content/orm/_index.md", "+++\ntitel = \"ORM\"\n+++\n");
        site.write(
            "content/_index.md",
            "+++\ntitle = \"Home\"\ndescripton = \"d\"\n+++\n",
        );
    });
    assert!(!stderr.contains("has no _index.md"), "{stderr}");
    assert!(!stderr.contains("home page not found"), "{stderr}");
    assert!(!stderr.contains("does not exist"), "{stderr}");
    assert!(stderr.contains("build failed with 2 errors;"), "{stderr}");
}

#[test]
fn links_to_a_file_refused_by_name_are_not_reported_again() {
    let stderr = common::check_fails_after(|site| {
        site.write(
            "content/orm/Bad Name.md",
            "+++\ntitle = \"b\"\nlevel = \"mid\"\nsummary = \"s\"\nred_flag = \"r\"\n+++\n",
        );
        site.write(
            "content/views/cbv.md",
            &format!(
                "{}\nSee [bad](<../orm/Bad Name.md>).\n",
                common::read(&site.path("content/views/cbv.md"))
            ),
        );
    });
    assert!(!stderr.contains("does not exist"), "{stderr}");
    assert!(stderr.contains("build failed with 1 error;"), "{stderr}");
}

#[test]
fn two_questions_with_one_title_name_both_files() {
    let stderr = common::check_fails_after(|site| {
        let text = common::read(&site.path("content/orm/n-plus-one.md"));
        let title = text.lines().nth(1).unwrap().to_string();
        site.write(
            "content/views/same.md",
            &format!(
                "+++\n{}\nlevel = \"mid\"\nsummary = \"s\"\nred_flag = \"r\"\n+++\nBody\n",
                title.to_uppercase().replace("TITLE", "title")
            ),
        );
    });
    assert_eq!(
        first_line(&stderr),
        "error: content/views/same.md:2:9: duplicate title: content/orm/n-plus-one.md:2:9 already asks `What is the N+1 query problem?`",
        "{stderr}"
    );
    assert!(stderr.contains("build failed with 1 error;"), "{stderr}");
}
