//! The first sentence of a quick answer, for lists that show only a line or
//! two of it (related questions): the rest would be cut off on screen, yet
//! weigh on every page that lists the question.

/// Words whose trailing full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &["cf", "e.g", "eg", "i.e", "ie", "vs"];

/// `text` up to the end of its first sentence: a `.`, `?` or `!` followed by
/// whitespace and then a capital, a digit, a quote, a bracket or a backtick.
/// The whole text when no such end is found.
pub fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    for (index, mark) in text.char_indices() {
        if !matches!(mark, '.' | '?' | '!') {
            continue;
        }
        let end = index + mark.len_utf8();
        let rest = &text[end..];
        let next = rest.trim_start();
        let starts_sentence = next
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "`\"'(“‘".contains(c));
        if rest.len() > next.len() && starts_sentence && !after_abbreviation(&text[..index]) {
            return &text[..end];
        }
    }
    text
}

fn after_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or_default();
    ABBREVIATIONS
        .iter()
        .any(|abbreviation| word.eq_ignore_ascii_case(abbreviation))
}

#[cfg(test)]
mod tests {
    use super::first_sentence;

    #[test]
    fn stops_at_the_first_sentence_end() {
        assert_eq!(
            first_sentence("It runs one query. Then it caches."),
            "It runs one query."
        );
        assert_eq!(first_sentence("Why? Because `save()` ran."), "Why?");
        assert_eq!(first_sentence("Use it: 2. It is fine"), "Use it: 2.");
    }

    #[test]
    fn dots_inside_code_and_abbreviations_do_not_end_it() {
        assert_eq!(
            first_sentence("Call obj.save() first, e.g. In views. Then more."),
            "Call obj.save() first, e.g. In views."
        );
        assert_eq!(
            first_sentence("Pick one (vs. Two) of them. Next."),
            "Pick one (vs. Two) of them."
        );
    }

    #[test]
    fn a_single_sentence_is_kept_whole() {
        assert_eq!(
            first_sentence("  Just one sentence.  "),
            "Just one sentence."
        );
        assert_eq!(first_sentence("no end mark"), "no end mark");
        assert_eq!(first_sentence(""), "");
    }
}
