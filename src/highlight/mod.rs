//! The code-block stage: every fenced block and `[[samples]]` file passes
//! through [`Highlighter::render`], which returns the finished HTML.
//!
//! Output shape (the theme styles it; line numbers are CSS counters so they
//! are never selected or copied with the code):
//!
//! ```html
//! <figure class="code" data-lang="python">
//!   <figcaption class="code-title">views.py</figcaption>
//!   <pre class="code-block linenos"><code class="language-python">
//!     <span class="line">…</span><span class="line hl">…</span>
//!   </code></pre>
//! </figure>
//! ```

pub mod info;

pub use info::{CodeInfo, InfoError};

use crate::html::escape;

/// Fences whose content is a program's output rather than code.
pub const OUTPUT_LANG: &str = "output";

/// A code block ready to render.
#[derive(Debug, Clone)]
pub struct CodeBlock<'a> {
    pub code: &'a str,
    pub info: &'a CodeInfo,
}

/// Why a block could not be rendered; the Markdown stage adds the location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    HighlightedLinePastEnd { line: usize, lines: usize },
}

/// Renders code blocks. Stateless for now: plain escaped code with line
/// markup; syntax highlighting plugs in here.
#[derive(Debug, Default)]
pub struct Highlighter;

impl Highlighter {
    pub fn new() -> Self {
        Highlighter
    }

    pub fn render(&self, block: &CodeBlock) -> Result<String, CodeError> {
        let code = block.code.strip_suffix('\n').unwrap_or(block.code);
        let lines: Vec<&str> = code.split('\n').collect();
        if let Some(last) = block.info.last_highlighted_line()
            && last > lines.len()
        {
            return Err(CodeError::HighlightedLinePastEnd {
                line: last,
                lines: lines.len(),
            });
        }
        let lang = block.info.lang.as_deref().unwrap_or("text");
        let is_output = lang == OUTPUT_LANG;
        let mut html = String::with_capacity(code.len() * 2 + 200);
        html.push_str(if is_output {
            "<figure class=\"code output\""
        } else {
            "<figure class=\"code\""
        });
        html.push_str(" data-lang=\"");
        html.push_str(&escape(lang));
        html.push_str("\">");
        let caption = block
            .info
            .title
            .as_deref()
            .or(is_output.then_some("Output"));
        if let Some(caption) = caption {
            html.push_str("<figcaption class=\"code-title\">");
            html.push_str(&escape(caption));
            html.push_str("</figcaption>");
        }
        html.push_str("<pre class=\"code-block");
        if block.info.linenos {
            html.push_str(" linenos");
        }
        html.push_str("\"><code class=\"language-");
        html.push_str(&escape(lang));
        html.push_str("\">");
        for (index, line) in lines.iter().enumerate() {
            html.push_str(if block.info.is_highlighted(index + 1) {
                "<span class=\"line hl\">"
            } else {
                "<span class=\"line\">"
            });
            html.push_str(&escape(line.trim_end_matches('\r')));
            html.push_str("\n</span>");
        }
        html.push_str("</code></pre></figure>\n");
        Ok(html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(code: &str, info: &str) -> Result<String, CodeError> {
        let info = CodeInfo::parse(info).unwrap();
        Highlighter::new().render(&CodeBlock { code, info: &info })
    }

    #[test]
    fn escapes_code_and_marks_lines() {
        insta::assert_snapshot!(
            render("x = '<b>'\ny = 2\n", "python title=\"a.py\" linenos hl_lines=\"2\"").unwrap(),
            @r#"<figure class="code" data-lang="python"><figcaption class="code-title">a.py</figcaption><pre class="code-block linenos"><code class="language-python"><span class="line">x = &#39;&lt;b&gt;&#39;
</span><span class="line hl">y = 2
</span></code></pre></figure>"#
        );
    }

    #[test]
    fn output_blocks_get_a_caption() {
        let html = render("42\n", "output").unwrap();
        assert!(html.starts_with("<figure class=\"code output\" data-lang=\"output\"><figcaption class=\"code-title\">Output</figcaption>"));
    }

    #[test]
    fn highlighted_lines_must_exist() {
        assert_eq!(
            render("a\nb\n", "py hl_lines=\"3\""),
            Err(CodeError::HighlightedLinePastEnd { line: 3, lines: 2 })
        );
    }
}
