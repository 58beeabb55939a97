//! Slugs: the URL-safe names of topics, questions, tags and heading anchors.

/// True for `lowercase-words-123`: ASCII lowercase letters and digits in runs
/// joined by single hyphens. Such a name cannot escape a folder or need escaping.
pub fn is_valid(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The closest valid slug to `name`, for hints ("Select Related" → "select-related").
pub fn suggest(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The hint for a name that is not a valid slug, naming the closest valid
/// one when there is one. Every "not a valid slug" error uses it.
pub fn hint(name: &str) -> String {
    match suggest(name) {
        suggestion if suggestion.is_empty() => "use lowercase letters, digits and hyphens".into(),
        suggestion => format!("use lowercase letters, digits and hyphens, e.g. `{suggestion}`"),
    }
}

/// A heading anchor in the style GitHub uses, so links written against a
/// repository preview keep working: lowercase, letters/digits/`-`/`_` kept,
/// spaces to `-`, everything else dropped.
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            id.push(c);
        } else if c == ' ' {
            id.push('-');
        }
    }
    if id.is_empty() {
        id.push_str("section");
    }
    id
}

/// One lowercase character with its accent removed (é → e), for slug
/// suggestions and search terms alike. Greek final sigma folds to σ, so a
/// word typed in lowercase meets the same word in capitals.
///
/// `themes/default/static/search.js` holds the same table (`FOLD`) for
/// queries; `tests/search_tokenizer.rs` checks every entry on both sides.
pub fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ñ' | 'ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
        'ý' | 'ÿ' => 'y',
        'ś' | 'š' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ł' => 'l',
        'ς' => 'σ',
        other => other,
    }
}

/// Every character [`fold_accent`] changes, for the parity test.
pub const FOLDED: &str = "àáâãäåāçćčèéêëēęìíîïīñńòóôõöøōùúûüūýÿśšźżžłς";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_plain_slugs() {
        for good in ["orm", "n-plus-one", "http2", "a-1-b"] {
            assert!(is_valid(good), "{good}");
        }
        for bad in [
            "", "Orm", "a_b", "a--b", "-a", "a-", "..", "a/b", "é", "a b",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn suggests_a_valid_slug() {
        assert_eq!(suggest("Select Related"), "select-related");
        assert_eq!(suggest("café__au lait!"), "cafe-au-lait");
        assert!(is_valid(&suggest("What's N+1?")));
    }

    #[test]
    fn heading_ids_follow_github() {
        assert_eq!(heading_id("The fix"), "the-fix");
        assert_eq!(heading_id("select_related()"), "select_related");
        assert_eq!(heading_id("N+1: what & why?"), "n1-what--why");
        assert_eq!(heading_id("  "), "section");
    }
}
