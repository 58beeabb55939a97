//! HTML text escaping for everything the generator writes outside templates.

/// Escape text for use in HTML element content and double- or single-quoted attributes.
pub fn escape(text: &str) -> String {
    escape_with(text, true)
}

/// Escape text for element content only: quotes need no escape there, and
/// code is full of them (each `&quot;` is five bytes for one).
pub fn escape_text(text: &str) -> String {
    escape_with(text, false)
}

fn escape_with(text: &str, quotes: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quotes => out.push_str("&quot;"),
            '\'' if quotes => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn text_keeps_quotes() {
        assert_eq!(
            super::escape_text(r#"<a href="x">'&'</a>"#),
            r#"&lt;a href="x"&gt;'&amp;'&lt;/a&gt;"#
        );
    }
}
