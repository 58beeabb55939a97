//! The search client tokenizes queries in JavaScript with the same rules the
//! Rust index builder uses for documents; if the two drift apart, queries
//! stop matching. This runs both on the same inputs and compares.

use std::process::Command;

use djguide::search::tokenize::{stem, variants, words};

const SAMPLES: &[&str] = &[
    "How do select_related and prefetch_related differ?",
    "N+1 queries: author__name, django.db.models.F() and C++",
    "Book.objects.select_related(\"author\").prefetch_related(Prefetch(\"x\"))",
    "Migrations, migrating, migrated — caching cached caches queries",
    "Café naïve résumé ÉCOLE Łódź",
    "__init__.py .env --flag -x +1 a.b.c",
    "CSRF_COOKIE_HTTPONLY=True; X-Frame-Options: DENY",
    "Ünïcödé 日本語 テスト 42nd 3.14 v5.2",
    "logging logs stopped called passed buzzing don't user's Book.objects.only(\"x\") https series",
];

/// A word, its variants, and the stem of each variant.
type Tokenized = (String, Vec<String>, Vec<String>);

const SOURCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/themes/default/static/search.js"
);

#[test]
fn javascript_and_rust_tokenize_alike() {
    compare_with(SOURCE);
}

/// The build ships search.js minified: the minified code must behave the same.
#[test]
fn minified_javascript_tokenizes_alike() {
    let source = std::fs::read_to_string(SOURCE).unwrap();
    let minified = djguide::assets::minify_js(&source).expect("search.js minifies");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search.min.js");
    std::fs::write(&path, minified).unwrap();
    compare_with(path.to_str().unwrap());
}

fn compare_with(script: &str) {
    let program = format!(
        "const t = require({script:?});\
         const samples = JSON.parse(process.argv[1]);\
         const out = samples.map(s => t.words(s).map(w => [w, t.variants(w), t.variants(w).map(t.stem)]));\
         console.log(JSON.stringify(out));"
    );
    let samples = serde_json::to_string(SAMPLES).unwrap();
    let output = match Command::new("node")
        .arg("-e")
        .arg(&program)
        .arg(&samples)
        .output()
    {
        Ok(output) => output,
        Err(error) => panic!("node is required for this test: {error}"),
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let from_js: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let from_rust: Vec<Vec<Tokenized>> = SAMPLES
        .iter()
        .map(|sample| {
            words(sample)
                .into_iter()
                .map(|word| {
                    let variants = variants(&word);
                    let stems = variants.iter().map(|v| stem(v)).collect();
                    (word, variants, stems)
                })
                .collect()
        })
        .collect();
    assert_eq!(from_js, serde_json::to_value(&from_rust).unwrap());
}
