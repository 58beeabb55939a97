//! Tokenizing for an interview guide full of identifiers.
//!
//! A word like `select_related`, `author__name`, `django.db.models` or `N+1`
//! is kept whole, and also indexed by its parts (`select`, `related`) and
//! joined (`selectrelated`), so a reader finds it however they type it.
//! Every term also gets a light stem so `migrating` meets `migrations`.
//!
//! `themes/default/static/search.js` implements the same rules for queries;
//! `tests/search_tokenizer.rs` checks the two agree.

/// Characters that join the parts of one identifier.
fn is_connector(c: char) -> bool {
    matches!(c, '_' | '.' | '+' | '-')
}

/// Lowercase and strip common Latin accents (é → e), one character at a
/// time: no rule looks at a character's neighbours (JavaScript's
/// `String.toLowerCase` does, for Greek final sigma), so the client can
/// fold a query exactly the same way.
pub fn fold(text: &str) -> String {
    // Most text is ASCII, where folding is plain lowercasing.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.chars()
        .flat_map(char::to_lowercase)
        .map(crate::slug::fold_accent)
        .collect()
}

/// The words of `text` as written (folded): runs of letters, digits and
/// connectors, with connectors trimmed from both ends (`end.` → `end`).
pub fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_word(&fold(text), |word| words.push(word.to_string()));
    words
}

/// Calls `f` with each word of already-folded text, without allocating.
fn for_each_word(folded: &str, mut f: impl FnMut(&str)) {
    for run in folded.split(|c: char| !(c.is_alphanumeric() || is_connector(c))) {
        let word = run.trim_matches(|c: char| is_connector(c) && c != '+');
        let word = word.trim_start_matches('+');
        if word.chars().any(char::is_alphanumeric) {
            f(word);
        }
    }
}

/// The terms a word is indexed under: the word itself, then its parts and
/// its joined form when it is a compound. The first entry is the exact form.
pub fn variants(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    if word.contains(is_connector) {
        // A dotted path keeps its identifiers whole too:
        // `book.objects.select_related` is found by `select_related`.
        if word.contains('.') {
            for segment in word.split('.') {
                if segment.contains(is_connector)
                    && segment.chars().count() >= 2
                    && !out.iter().any(|t| t == segment)
                {
                    out.push(segment.to_string());
                }
            }
        }
        let parts: Vec<&str> = word.split(is_connector).filter(|p| !p.is_empty()).collect();
        let joined: String = parts.concat();
        // `n+1` keeps only its whole and joined forms: `n` and `1` alone mean nothing.
        for part in &parts {
            if part.chars().count() >= 2 && !out.iter().any(|t| t == part) {
                out.push((*part).to_string());
            }
        }
        if joined.chars().count() >= 2 && !out.contains(&joined) {
            out.push(joined);
        }
        // `.only` for `Book.objects.only`: the name as called or read off an
        // object, so `only()` and `QuerySet.only` find the pages that call it
        // rather than every page that says "only".
        if let Some(last) = word.rsplit('.').next().filter(|_| word.contains('.'))
            && last.chars().any(char::is_alphabetic)
        {
            let attribute = format!(".{last}");
            if !out.contains(&attribute) {
                out.push(attribute);
            }
        }
    }
    out
}

/// Words ending in `s` that are not plurals: stemming them would merge
/// unrelated words (`https` with `http`).
const NOT_PLURALS: &[&str] = &["alias", "bias", "canvas", "https", "news", "series"];

/// `logg`, `stopp`: a doubled consonant other than `l`, `s` or `z`.
fn ends_in_doubled_consonant(word: &str) -> bool {
    let mut last = word.chars().rev();
    match (last.next(), last.next()) {
        (Some(a), Some(b)) => a == b && a.is_ascii_lowercase() && !"aeiouylsz".contains(a),
        _ => false,
    }
}

/// A light English stemmer, enough to meet plural and -ing/-ed forms:
/// `migrations`, `migrating`, `migrated`, `migrate` → `migrat`;
/// `queries` → `query`; `caching`, `cached`, `cache` → `cach`.
pub fn stem(term: &str) -> String {
    let mut word = String::new();
    stem_into(term, &mut word);
    word
}

/// [`stem`] into `word`, replacing what it held: the index stems millions
/// of words and reuses one buffer for them.
fn stem_into(term: &str, word: &mut String) {
    word.clear();
    word.push_str(term);
    if term.chars().count() < 4
        || !term.chars().all(char::is_alphabetic)
        || NOT_PLURALS.contains(&term)
    {
        return;
    }
    let len = |w: &str| w.chars().count();
    if word.ends_with("ies") && len(word) > 4 {
        word.truncate(word.len() - 3);
        word.push('y');
    } else if word.ends_with("sses") {
        word.truncate(word.len() - 2);
    } else if word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
        && len(word) > 3
    {
        word.pop();
    }
    for (suffix, replacement, min_len) in [("ation", "at", 7), ("ing", "", 6), ("ed", "", 5)] {
        if word.ends_with(suffix) && len(word) >= min_len {
            word.truncate(word.len() - suffix.len());
            word.push_str(replacement);
            // `logging` → `logg` → `log`, `stopped` → `stop`; `called` keeps its `ll`.
            if replacement.is_empty() && ends_in_doubled_consonant(word) {
                word.pop();
            }
            break;
        }
    }
    if word.ends_with('e') && len(word) > 4 {
        word.pop();
    }
}

/// Every term to index for `text`, in order, with whether each is an exact
/// form (`true`) or a derived one (part, joined or stem).
pub fn terms(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for_each_term(text, |term, exact| out.push((term.to_string(), exact)));
    out
}

/// [`terms`] without the allocations: the index calls this for every word
/// of every page. Simple words (most of them) need no variants.
pub fn for_each_term(text: &str, mut f: impl FnMut(&str, bool)) {
    let folded = fold(text);
    let mut stemmed = String::new();
    let mut emit = |variant: &str, exact: bool| {
        if may_stem(variant) {
            stem_into(variant, &mut stemmed);
            if stemmed != variant {
                f(&stemmed, false);
            }
        }
        f(variant, exact);
    };
    for_each_word(&folded, |word| {
        if word.contains(is_connector) {
            for (index, variant) in variants(word).iter().enumerate() {
                emit(variant, index == 0);
            }
        } else {
            emit(word, true);
        }
    });
}

/// Whether [`stem`] could change `term` (it only touches alphabetic words of
/// four characters or more ending in one of its suffixes).
fn may_stem(term: &str) -> bool {
    term.len() >= 4 && matches!(term.as_bytes().last(), Some(b's' | b'g' | b'd' | b'e'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_undouble_a_final_consonant() {
        assert_eq!(stem("logging"), stem("logs"));
        assert_eq!(stem("stopped"), "stop");
        assert_eq!(stem("called"), "call");
        assert_eq!(stem("passed"), "pass");
        assert_eq!(stem("https"), "https");
    }

    #[test]
    fn identifiers_are_kept_whole_and_split() {
        assert_eq!(
            variants("select_related"),
            ["select_related", "select", "related", "selectrelated"]
        );
        assert_eq!(
            variants("author__name"),
            ["author__name", "author", "name", "authorname"]
        );
        assert_eq!(variants("n+1"), ["n+1", "n1"]);
        assert_eq!(
            variants("django.db.models"),
            [
                "django.db.models",
                "django",
                "db",
                "models",
                "djangodbmodels",
                ".models"
            ]
        );
        assert_eq!(
            variants("book.objects.only"),
            [
                "book.objects.only",
                "book",
                "objects",
                "only",
                "bookobjectsonly",
                ".only"
            ]
        );
        assert_eq!(variants("3.14"), ["3.14", "14", "314"]);
    }

    #[test]
    fn words_trim_punctuation_but_keep_connectors_inside() {
        assert_eq!(
            words("Use select_related() — or N+1 happens. See django.db.models, `F()`!"),
            [
                "use",
                "select_related",
                "or",
                "n+1",
                "happens",
                "see",
                "django.db.models",
                "f"
            ]
        );
        assert_eq!(
            variants("book.objects.select_related"),
            [
                "book.objects.select_related",
                "select_related",
                "book",
                "objects",
                "select",
                "related",
                "bookobjectsselectrelated",
                ".select_related"
            ]
        );
        assert_eq!(words("Café -- __init__ .env"), ["cafe", "init", "env"]);
    }

    #[test]
    fn stems_meet_across_forms() {
        for form in [
            "migrations",
            "migrating",
            "migrated",
            "migrate",
            "migration",
        ] {
            assert_eq!(stem(form), "migrat", "{form}");
        }
        assert_eq!(stem("queries"), "query");
        for form in ["caching", "cached", "cache", "caches"] {
            assert_eq!(stem(form), "cach", "{form}");
        }
        assert_eq!(stem("class"), "class");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("orm"), "orm");
        assert_eq!(stem("select_related"), "select_related");
    }

    #[test]
    fn the_fast_path_emits_exactly_the_terms() {
        let text = "Migrations: select_related() and N+1 — caching, queries, __init__, a.b.c";
        let mut fast = Vec::new();
        for_each_term(text, |term, exact| fast.push((term.to_string(), exact)));
        let mut slow = Vec::new();
        for word in words(text) {
            for (index, variant) in variants(&word).into_iter().enumerate() {
                let stemmed = stem(&variant);
                if stemmed != variant {
                    slow.push((stemmed, false));
                }
                slow.push((variant, index == 0));
            }
        }
        assert_eq!(fast, slow);
    }

    #[test]
    fn terms_mark_exact_forms() {
        let terms = terms("Prefetching");
        assert_eq!(
            terms,
            [
                ("prefetch".to_string(), false),
                ("prefetching".to_string(), true)
            ]
        );
    }
}
