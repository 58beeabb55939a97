//! Content cannot run script on a reader's page (issue 14): raw HTML is
//! sanitised, link and image URLs and `site.toml` URLs must be http(s),
//! mailto or relative. The hostile fixture is built by the real binary and
//! every file it writes is scanned; each defect of the issue has its own test.

mod common;

use std::cell::RefCell;
use std::path::Path;

use common::{Site, djguide, fixture, main_element, read};
use djguide::url_policy;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Build fixture `name` into a temporary folder; the build must succeed.
fn build(name: &str) -> (tempfile::TempDir, std::path::PathBuf, common::Outcome) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let result = djguide(&[
        "build",
        "--root",
        &fixture(name),
        "--output",
        target.to_str().unwrap(),
    ]);
    assert!(result.success, "{}", result.stderr);
    (out, target, result)
}

#[test]
fn no_file_of_the_hostile_site_carries_script() {
    let (_out, target, result) = build("hostile");
    assert!(
        result.stderr.is_empty(),
        "build never warns: {}",
        result.stderr
    );
    let (files, problems) = scan_tree(&target, "/hostile/");
    assert!(files >= 20, "only {files} files");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The payloads were there to be removed: the allowed HTML around them survives.
    let inline = read(&target.join("attacks/inline/index.html"));
    for kept in [
        "Press <kbd>Ctrl</kbd>+<kbd>C</kbd>",
        "<h2 id=\"a-heading--with-esc\">A heading <img src=\"x\"> with <kbd>Esc</kbd> <a class=\"heading-anchor\"",
        "<a href=\"#ok\">ok</a>",
        "<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\nA task <span>item</span></li>",
    ] {
        assert!(inline.contains(kept), "{kept}\n{}", main_element(&inline));
    }
    let blocks = read(&target.join("attacks/blocks/index.html"));
    assert!(blocks.contains("<details open=\"\">\n<summary>Open me</summary>"));
    assert!(blocks.contains("<figure class=\"code\" data-lang=\"python\">"));
    assert!(blocks.contains("<div class=\"callout callout-warning\" role=\"note\">"));
}

/// The scan itself must not flag the theme: the ordinary fixture passes it.
#[test]
fn the_ordinary_site_passes_the_same_scan() {
    let (_out, target, _) = build("basic");
    let (_, problems) = scan_tree(&target, "/guide/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn check_reports_every_removal_where_it_was_written() {
    let result = djguide(&["check", "--root", &fixture("hostile")]);
    assert!(
        result.success,
        "warnings do not fail check: {}",
        result.stderr
    );
    for warning in [
        "warning: content/_index.md:5:9: raw HTML element `<script>` is removed with its content",
        "warning: content/_index.md:7:29: attribute `onclick` is removed from `<a>`",
        "warning: content/attacks/_index.md:7:5: raw HTML element `<iframe>` is removed",
        "warning: content/attacks/blocks.md:28:15: attribute `ontoggle` is removed from `<details>`",
        "warning: content/attacks/inline.md:12:25: attribute `onerror` is removed from `<img>`",
        "warning: content/attacks/inline.md:17:4: attribute `href` is removed from `<a>`: URL `java\\tscript:window.__pwned = 'tab entity'` has the scheme `javascript:`, which is not allowed",
        "warning: content/attacks/inline.md:28:14: attribute `onerror` is removed from `<img>`",
    ] {
        assert!(
            result.stderr.contains(warning),
            "{warning}\n{}",
            result.stderr
        );
    }
    let removals = result.stderr.matches(" is removed").count();
    assert!(removals >= 60, "{removals} removals:\n{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("help: raw HTML is limited to the allowlist")
    );
    let strict = djguide(&["check", "--strict", "--root", &fixture("hostile")]);
    assert!(!strict.success, "--strict fails on them");
}

const QUESTION: &str = "+++\ntitle = \"Links\"\nlevel = \"junior\"\nsummary = \"s\"\nred_flag = \"r\"\nfollow_ups = [\"a\", \"b\"]\n+++\n";

#[test]
fn markdown_links_to_script_urls_are_errors() {
    let body = "[a](javascript:alert(1)) and [b](JaVaScRiPt:alert(1))\n\n[c](< javascript:alert(1)>) [d](java&#x09;script:alert(1))\n\n<javascript:alert(1)> ![e](data:image/svg+xml,x) [f][ref]\n\n[ref]: vbscript:msgbox(1)\n";
    let stderr = common::check_fails_after(|site| {
        site.write("content/orm/links.md", &format!("{QUESTION}{body}"));
    });
    for error in [
        "error: content/orm/links.md:8:5: link URL `javascript:alert(1)` has the scheme `javascript:`, which is not allowed",
        "error: content/orm/links.md:8:34: link URL `JaVaScRiPt:alert(1)` has the scheme `javascript:`, which is not allowed",
        "error: content/orm/links.md:10:6: link URL ` javascript:alert(1)` has the scheme `javascript:`, which is not allowed",
        "error: content/orm/links.md:10:33: link URL `java\\tscript:alert(1)` has the scheme `javascript:`, which is not allowed",
        "error: content/orm/links.md:12:2: link URL `javascript:alert(1)` has the scheme `javascript:`, which is not allowed",
        "error: content/orm/links.md:12:28: image URL `data:image/svg+xml,x` has the scheme `data:`, which is not allowed",
        "error: content/orm/links.md:14:8: link URL `vbscript:msgbox(1)` has the scheme `vbscript:`, which is not allowed",
    ] {
        assert!(stderr.contains(error), "{error}\n{stderr}");
    }
    assert!(
        stderr.contains("help: use an `https:`, `http:` or `mailto:` URL, or a relative one"),
        "{stderr}"
    );
    assert!(stderr.contains("build failed with 7 errors"), "{stderr}");
    // The caret sits under the URL as written.
    assert!(
        stderr.contains("8 | [a](javascript:alert(1)) and"),
        "{stderr}"
    );
    assert!(stderr.contains("  |     ^^^^^^^^^^^^^^^^^^^"), "{stderr}");
}

#[test]
fn repository_with_a_script_url_is_an_error() {
    let stderr = common::check_fails_after(|site| {
        let config = read(&site.path("site.toml"))
            .replace("https://github.com/example/guide", "javascript:alert(1)");
        site.write("site.toml", &config);
    });
    assert_eq!(
        stderr.lines().next().unwrap_or_default(),
        "error: site.toml:4:1: `repository` `javascript:alert(1)` has the scheme `javascript:`, which is not allowed",
        "{stderr}"
    );
}

#[test]
fn build_removes_script_from_bodies_headings_and_intros_without_warning() {
    let site = Site::copy_of("basic");
    let home = read(&site.path("content/_index.md"));
    site.write(
        "content/_index.md",
        &format!("{home}\n\n<script>alert('home')</script>\n"),
    );
    site.write(
        "content/orm/html.md",
        &format!("{QUESTION}## Title <img src=x onerror=alert(1)>\n\n<div><script>alert(2)</script></div>\n"),
    );
    let result = djguide(&["build", "--root", site.root()]);
    assert!(result.success, "{}", result.stderr);
    assert!(
        result.stderr.is_empty(),
        "build never warns: {}",
        result.stderr
    );
    let home = read(&site.path("public/index.html"));
    let question = read(&site.path("public/orm/html/index.html"));
    assert!(!home.contains("alert('home')"), "{}", main_element(&home));
    assert!(!question.contains("alert("), "{}", main_element(&question));
    assert!(
        question.contains("<h2 id=\"title\">Title <img src=\"x\"> <a class=\"heading-anchor\"")
    );
}

#[test]
fn a_trusting_site_passes_raw_html_verbatim_but_not_script_urls() {
    let site = Site::copy_of("basic");
    let config = read(&site.path("site.toml"));
    site.write(
        "site.toml",
        &format!("{config}\n[markdown]\nunsafe_html = true\n"),
    );
    site.write(
        "content/orm/embed.md",
        &format!("{QUESTION}<div id=\"chart\" onclick=\"go()\"></div>\n<script>draw()</script>\n"),
    );
    let result = djguide(&["check", "--root", site.root()]);
    assert!(result.success, "{}", result.stderr);
    assert!(!result.stderr.contains("removed"), "{}", result.stderr);
    assert!(djguide(&["build", "--root", site.root()]).success);
    let page = read(&site.path("public/orm/embed/index.html"));
    assert!(page.contains("<div id=\"chart\" onclick=\"go()\"></div>\n<script>draw()</script>"));

    site.write(
        "content/orm/embed.md",
        &format!("{QUESTION}[x](javascript:draw())\n"),
    );
    let result = djguide(&["check", "--root", site.root()]);
    assert!(!result.success);
    assert!(
        result.stderr.contains(
            "content/orm/embed.md:8:5: link URL `javascript:draw()` has the scheme `javascript:`"
        ),
        "{}",
        result.stderr
    );
}

/// A third-party guide that uses the HTML the allowlist is for builds
/// without a warning and looks as written.
#[test]
fn allowed_html_looks_as_written() {
    let result = djguide(&["check", "--root", &fixture("rich-html"), "--strict"]);
    assert!(result.success, "{}", result.stderr);
    let (_out, target, _) = build("rich-html");
    insta::assert_snapshot!(
        "rich_html_question_main",
        main_element(&read(&target.join("tools/shortcuts/index.html")))
    );
    insta::assert_snapshot!(
        "rich_html_home_main",
        main_element(&read(&target.join("index.html")))
    );
}

// ---------------------------------------------------------------------------
// The scan: every output file, read as a browser would read it.

/// Every file under `root`: HTML is tokenized and checked tag by tag; XML
/// and text must hold no markup or script URL at all; JSON URLs must pass
/// the URL policy. Returns the number of files and the problems found.
fn scan_tree(root: &Path, base_path: &str) -> (usize, Vec<String>) {
    let mut files = 0;
    let mut problems = Vec::new();
    for (path, bytes) in common::tree(root) {
        files += 1;
        let shown = path.display().to_string();
        let Ok(text) = String::from_utf8(bytes) else {
            continue; // favicon.ico
        };
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") => problems.extend(
                scan_html(&text, base_path)
                    .into_iter()
                    .map(|p| format!("{shown}: {p}")),
            ),
            Some("json") => {
                let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                scan_json(&value, &shown, &mut problems);
            }
            // Titles and quick answers as plain text for Anki: payloads are
            // inert there as long as the file tells Anki not to read HTML.
            Some("csv") => {
                if !text.starts_with("#separator:Comma\r\n#html:false\r\n") {
                    problems.push(format!("{shown}: does not declare #html:false"));
                }
            }
            Some("xml" | "txt" | "svg") => {
                let lower = text.to_ascii_lowercase();
                for needle in [
                    "<script",
                    "javascript:",
                    "vbscript:",
                    "data:text",
                    "onerror",
                    "onload",
                ] {
                    if lower.contains(needle) {
                        problems.push(format!("{shown}: contains `{needle}`"));
                    }
                }
            }
            _ => {
                // The theme's own JavaScript and CSS: content never reaches them.
                if text.contains("__pwned") {
                    problems.push(format!("{shown}: contains a payload"));
                }
            }
        }
    }
    (files, problems)
}

fn scan_json(value: &serde_json::Value, shown: &str, problems: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                if let (true, Some(url)) = (key == "url", value.as_str())
                    && url_policy::check(url).is_err()
                {
                    problems.push(format!("{shown}: url `{url}`"));
                }
                scan_json(value, shown, problems);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                scan_json(item, shown, problems);
            }
        }
        _ => {}
    }
}

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "xlink:href",
    "srcset",
    "ping",
    "manifest",
];
/// Elements the theme never writes, so nothing may write them.
const NEVER: &[&str] = &[
    "iframe",
    "object",
    "embed",
    "frame",
    "frameset",
    "base",
    "style",
    "math",
    "xmp",
    "applet",
    "audio",
    "video",
    "source",
    "plaintext",
    "portal",
];
/// Elements the theme writes in its chrome but content may not.
const NOT_IN_CONTENT: &[&str] = &[
    "form", "input", "button", "select", "textarea", "label", "link", "meta", "svg", "noscript",
    "script", "template",
];
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];
const THEME_SCRIPT: &str = "(function(d){d.className=\"js\";";

fn scan_html(html: &str, base_path: &str) -> Vec<String> {
    let mut problems = Vec::new();
    // Open elements, each with whether it is (inside) rendered Markdown.
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut script: Option<String> = None;
    for token in tokens(html) {
        match token {
            Seen::Start {
                name,
                attrs,
                self_closing,
            } => {
                let in_content = open.last().is_some_and(|(_, content)| *content);
                let class = attr(&attrs, "class").unwrap_or_default();
                let content = in_content || class.split_whitespace().any(|c| c == "prose");
                check_attributes(&name, &attrs, &mut problems);
                if NEVER.contains(&name.as_str())
                    || (name == "meta" && attr(&attrs, "http-equiv").is_some())
                {
                    problems.push(format!("<{name}> element"));
                }
                let task_box = name == "input"
                    && attr(&attrs, "type").as_deref() == Some("checkbox")
                    && attr(&attrs, "disabled").is_some();
                if content && NOT_IN_CONTENT.contains(&name.as_str()) && !task_box {
                    problems.push(format!("<{name}> inside the content"));
                }
                if name == "script" {
                    let src = attr(&attrs, "src");
                    let json = attr(&attrs, "type").as_deref() == Some("application/ld+json");
                    match src {
                        Some(src) if !src.starts_with(&format!("{base_path}assets/")) => {
                            problems.push(format!("<script src=\"{src}\">"))
                        }
                        Some(_) => {}
                        None if json => {}
                        None => script = Some(String::new()),
                    }
                }
                if !VOID.contains(&name.as_str()) && !self_closing {
                    open.push((name, content));
                }
            }
            Seen::End(name) => {
                if name == "script"
                    && let Some(text) = script.take()
                    && !text.starts_with(THEME_SCRIPT)
                {
                    problems.push(format!("inline <script>{text}</script>"));
                }
                if let Some(index) = open.iter().rposition(|(open, _)| *open == name) {
                    open.truncate(index);
                }
            }
            Seen::Text(text) => {
                if let Some(script) = &mut script {
                    script.push_str(&text);
                }
            }
        }
    }
    problems
}

fn check_attributes(element: &str, attrs: &[(String, String)], problems: &mut Vec<String>) {
    for (name, value) in attrs {
        if name.starts_with("on") || name == "srcdoc" {
            problems.push(format!("<{element} {name}=\"{value}\">"));
        }
        let cell_alignment = matches!(element, "th" | "td")
            && ["left", "center", "right"]
                .iter()
                .any(|a| *value == format!("text-align: {a}"));
        if name == "style" && !cell_alignment {
            problems.push(format!("<{element} style=\"{value}\">"));
        }
        if URL_ATTRIBUTES.contains(&name.as_str()) && url_policy::check(value).is_err() {
            problems.push(format!("<{element} {name}=\"{value}\">"));
        }
    }
}

fn attr(attrs: &[(String, String)], name: &str) -> Option<String> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

enum Seen {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
    },
    End(String),
    Text(String),
}

/// Tokens as a browser's tokenizer produces them (script and style
/// content as text), with entities in attribute values decoded.
fn tokens(html: &str) -> Vec<Seen> {
    #[derive(Default)]
    struct Sink(RefCell<Vec<Seen>>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _: u64) -> TokenSinkResult<()> {
            let mut seen = self.0.borrow_mut();
            match token {
                Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                    let name = tag.name.to_string();
                    seen.push(Seen::Start {
                        attrs: tag
                            .attrs
                            .iter()
                            .map(|a| (a.name.local.to_string(), a.value.to_string()))
                            .collect(),
                        self_closing: tag.self_closing,
                        name: name.clone(),
                    });
                    return match name.as_str() {
                        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                            TokenSinkResult::RawData(RawKind::Rawtext)
                        }
                        "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                        _ => TokenSinkResult::Continue,
                    };
                }
                Token::TagToken(tag) => seen.push(Seen::End(tag.name.to_string())),
                Token::CharacterTokens(text) => seen.push(Seen::Text(text.to_string())),
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}
