//! The search client tokenizes queries in JavaScript with the same rules the
//! Rust index builder uses for documents; if the two drift apart, queries
//! stop matching. This runs both on the same inputs and compares: a few
//! fixed strings, every character the accent fold changes (and its capital),
//! and a few thousand strings generated from a fixed seed out of several
//! scripts (Greek with final sigma, Devanagari with vowel signs, Cyrillic,
//! CJK), case, accents, punctuation and identifiers.

use std::io::Write;
use std::process::{Command, Stdio};

use djguide::search::tokenize::{stem, variants, words};

const FIXED: &[&str] = &[
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

/// How many generated strings are compared, and the seed they grow from.
const GENERATED: usize = 3000;
const SEED: u64 = 0x5eed_d1a9_0000_0018;

/// Pieces the generated strings are made of.
const PIECES: &[&str] = &[
    // Greek, with final sigma in lowercase and in capitals.
    "λόγος",
    "ΛΌΓΟΣ",
    "Σίσυφος",
    "ΟΔΥΣΣΕΥΣ",
    "ερώτησης",
    "ΣΧΉΜΑ",
    "βάσεις",
    // Devanagari: vowel signs (ि, ी, ा, े, ो), virama (्), anusvara (ं).
    "हिन्दी",
    "नमस्ते",
    "प्रोग्रामिंग",
    "डेटाबेस",
    "क्वेरी",
    "मॉडल",
    // Cyrillic.
    "Привет",
    "ЗАПРОС",
    "модель",
    "Ёлка",
    "базы",
    "Джанго",
    // CJK and Hangul.
    "日本語",
    "データベース",
    "查询集",
    "テスト",
    "한국어",
    "模型",
    // Latin with accents and case.
    "Café",
    "naïve",
    "RÉSUMÉ",
    "Łódź",
    "Ørsted",
    "Zürich",
    "ŠKODA",
    "façade",
    "Ångström",
    // Identifiers.
    "QuerySet.only()",
    "select_related",
    "@login_required",
    "AUTH_USER_MODEL",
    "author__name",
    "N+1",
    "C++",
    "django.db.models.F()",
    "__init__.py",
    "--flag",
    "v5.2",
    "3.14",
    "Book.objects.select_related(\"author\")",
    "request.user.is_staff",
    "X-Frame-Options",
    "+1",
    "a.b.c",
    "user's",
    "don't",
    ".env",
    "HTTP_X_FORWARDED_FOR",
    // Words the stemmer changes (or must not).
    "logging",
    "tattooed",
    "booed",
    "migrations",
    "queries",
    "caches",
    "https",
    "series",
    "passed",
    "stopped",
    "buzzing",
    "Prefetching",
    "called",
    "classes",
    "status",
];

/// What goes between pieces.
const GLUE: &[&str] = &[
    " ", " ", " ", "", ".", ",", ";", ":", "!", "?", "(", ")", "[", "]", "\"", "'", "—", "–", "-",
    "_", "+", "@", "#", "/", "\\", "\n", "\t", " = ", "…", "«", "»",
];

/// Blocks single characters are drawn from: Latin-1 and Latin Extended-A,
/// Greek, Cyrillic, Devanagari, CJK, ASCII punctuation and digits.
const BLOCKS: &[(u32, u32)] = &[
    (0x21, 0x7e),
    (0xc0, 0x17f),
    (0x386, 0x3ce),
    (0x400, 0x45f),
    (0x900, 0x97f),
    (0x3041, 0x30ff),
    (0x4e00, 0x4e7f),
];

/// splitmix64: small, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn char_from_blocks(&mut self) -> char {
        let (low, high) = BLOCKS[self.below(BLOCKS.len())];
        let code = low + self.below((high - low + 1) as usize) as u32;
        char::from_u32(code).unwrap_or('?')
    }
}

/// One generated string: pieces (some with their case changed) and single
/// characters, with glue between them.
fn generated(rng: &mut Rng) -> String {
    let mut text = String::new();
    for _ in 0..1 + rng.below(8) {
        match rng.below(6) {
            0 => text.push(rng.char_from_blocks()),
            1 => text.push_str(&rng.pick(PIECES).to_uppercase()),
            2 => text.push_str(&rng.pick(PIECES).to_lowercase()),
            _ => text.push_str(rng.pick(PIECES)),
        }
        text.push_str(rng.pick(GLUE));
    }
    text
}

/// The fixed strings, each folded character and its capital, and the
/// generated strings.
fn inputs() -> Vec<String> {
    let mut inputs: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
    for c in djguide::slug::FOLDED.chars() {
        let capital: String = c.to_uppercase().collect();
        inputs.push(format!("{c}x x{c} {capital}X X{capital}"));
    }
    let mut rng = Rng(SEED);
    inputs.extend((0..GENERATED).map(|_| generated(&mut rng)));
    inputs
}

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
         let input = '';\
         process.stdin.on('data', d => input += d);\
         process.stdin.on('end', () => {{\
           const samples = JSON.parse(input);\
           const out = samples.map(s => t.words(s).map(w => [w, t.variants(w), t.variants(w).map(t.stem)]));\
           console.log(JSON.stringify(out));\
         }});"
    );
    let inputs = inputs();
    let mut child = match Command::new("node")
        .arg("-e")
        .arg(&program)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(error) => panic!("node is required for this test: {error}"),
    };
    let json = serde_json::to_vec(&inputs).unwrap();
    child.stdin.take().unwrap().write_all(&json).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let from_js: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(from_js.len(), inputs.len());
    let differing: Vec<String> = inputs
        .iter()
        .zip(&from_js)
        .filter_map(|(input, js)| {
            let rust = serde_json::to_value(tokenized(input)).unwrap();
            (rust != *js).then(|| format!("{input:?}\n  rust: {rust}\n  js:   {js}"))
        })
        .collect();
    assert!(
        differing.is_empty(),
        "{} of {} inputs tokenize differently, e.g.\n{}",
        differing.len(),
        inputs.len(),
        differing[..differing.len().min(5)].join("\n")
    );
}

fn tokenized(text: &str) -> Vec<Tokenized> {
    words(text)
        .into_iter()
        .map(|word| {
            let variants = variants(&word);
            let stems = variants.iter().map(|v| stem(v)).collect();
            (word, variants, stems)
        })
        .collect()
}
