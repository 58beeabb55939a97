//! `questions.csv`: every question with its quick answer, as a file that Anki
//! (and any spreadsheet) imports. Fields follow RFC 4180; the `#` lines
//! before the records are the file headers Anki 2.1.55+ reads, so the
//! import needs no settings: comma-separated, plain text (not HTML), named
//! columns, and the last column as the note's tags.

use std::fmt::Write as _;

use crate::output_file::OutputFile;
use crate::site::Site;

/// Where the file is written, relative to the output folder.
pub const LOCATION: &str = "questions.csv";

const HEADER: &str = "#separator:Comma\r\n\
                      #html:false\r\n\
                      #columns:Question,Quick answer,Topic,Level,URL,Tags\r\n\
                      #tags column:6\r\n";

/// One question as one Anki note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub question: String,
    pub quick_answer: String,
    pub topic: String,
    pub level: String,
    /// Absolute, so the link works from inside Anki.
    pub url: String,
    /// Space-separated Anki tags: the topic's slug and the level's name.
    pub tags: String,
}

/// The guide's questions, in the order of the all-questions page.
pub fn questions_csv(site: &Site) -> OutputFile {
    let _span = crate::timings::span("anki csv");
    let notes = site.questions.iter().map(|record| {
        let question = &record.question;
        let topic = &site.topic_of(record).topic;
        Note {
            question: question.title.clone(),
            quick_answer: question.summary.clone(),
            topic: topic.title.clone(),
            level: site.config.levels.get(question.level).label.clone(),
            url: site.urls.absolute(&record.location),
            tags: format!("{} {}", topic.slug, question.level.as_str()),
        }
    });
    OutputFile {
        path: LOCATION.into(),
        contents: csv(notes).into_bytes(),
    }
}

/// The header lines, then one CRLF-terminated record per note.
pub fn csv(notes: impl IntoIterator<Item = Note>) -> String {
    let mut out = String::from(HEADER);
    for note in notes {
        let fields = [
            &note.question,
            &note.quick_answer,
            &note.topic,
            &note.level,
            &note.url,
            &note.tags,
        ];
        for (index, field) in fields.into_iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            let _ = write!(out, "{}", Field(field));
        }
        out.push_str("\r\n");
    }
    out
}

/// An RFC 4180 field: quoted when it holds a comma, a quote or a line break
/// (quotes doubled inside), and also when it starts with `#` or a space, so
/// Anki never takes a record for a header line and keeps edge spaces.
struct Field<'a>(&'a str);

impl std::fmt::Display for Field<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.0;
        let needs_quotes = text.contains([',', '"', '\r', '\n'])
            || text.starts_with(['#', ' '])
            || text.ends_with(' ');
        if needs_quotes {
            write!(formatter, "\"{}\"", text.replace('"', "\"\""))
        } else {
            formatter.write_str(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(question: &str, quick_answer: &str) -> Note {
        Note {
            question: question.into(),
            quick_answer: quick_answer.into(),
            topic: "ORM".into(),
            level: "Mid".into(),
            url: "https://example.org/orm/q/".into(),
            tags: "orm mid".into(),
        }
    }

    fn records(csv: &str) -> Vec<&str> {
        csv.split("\r\n")
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect()
    }

    #[test]
    fn plain_fields_stay_bare() {
        let out = csv([note("What is a QuerySet?", "A lazy query.")]);
        assert_eq!(
            records(&out),
            ["What is a QuerySet?,A lazy query.,ORM,Mid,https://example.org/orm/q/,orm mid"]
        );
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted_with_quotes_doubled() {
        let out = csv([note(
            "Why \"select_related\", not a loop?",
            "One query,\r\nnot N.",
        )]);
        assert!(out.ends_with(
            "\"Why \"\"select_related\"\", not a loop?\",\"One query,\r\nnot N.\",ORM,Mid,https://example.org/orm/q/,orm mid\r\n"
        ));
    }

    #[test]
    fn a_field_that_looks_like_a_header_or_has_edge_spaces_is_quoted() {
        let out = csv([note("#separator:Tab", " padded ")]);
        assert!(out.contains("\r\n\"#separator:Tab\",\" padded \",ORM"));
    }

    #[test]
    fn markup_is_kept_as_text() {
        // `#html:false` tells Anki to show these characters, not parse them.
        let out = csv([note("<app>/management/commands/<name>.py", "a & b")]);
        assert!(out.contains("\r\n<app>/management/commands/<name>.py,a & b,"));
    }

    #[test]
    fn the_header_names_every_column_and_the_tags_column() {
        let out = csv([]);
        assert_eq!(
            out,
            "#separator:Comma\r\n#html:false\r\n#columns:Question,Quick answer,Topic,Level,URL,Tags\r\n#tags column:6\r\n"
        );
    }
}
