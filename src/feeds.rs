//! Machine-readable files: `sitemap.xml`, `robots.txt` and `atom.xml`.
//! Dates come only from content, so output stays reproducible.

use std::fmt::Write as _;

use crate::config::Level;
use crate::html::escape;
use crate::output_file::OutputFile;
use crate::site::{QuestionRecord, Site, location};

/// Used when no question carries a `date`: a fixed value keeps builds identical.
const FALLBACK_DATE: &str = "1970-01-01T00:00:00Z";

pub fn all(site: &Site) -> Vec<OutputFile> {
    let _span = crate::timings::span("feeds");
    vec![
        OutputFile {
            path: "sitemap.xml".into(),
            contents: sitemap(site).into_bytes(),
        },
        OutputFile {
            path: "robots.txt".into(),
            contents: robots(site).into_bytes(),
        },
        OutputFile {
            path: "atom.xml".into(),
            contents: atom(site).into_bytes(),
        },
    ]
}

/// Every indexable page: home, topics, questions, levels, the hub and tags.
pub fn sitemap(site: &Site) -> String {
    let mut entries: Vec<(String, Option<&str>)> = vec![(location::HOME.to_string(), None)];
    entries.extend(site.topics.iter().map(|t| (t.location.clone(), None)));
    entries.extend(
        site.questions
            .iter()
            .map(|q| (q.location.clone(), q.question.date.as_deref())),
    );
    entries.extend(
        Level::ALL
            .into_iter()
            .map(|level| (location::level(level), None)),
    );
    entries.push((location::QUESTIONS.to_string(), None));
    entries.push((location::TAGS.to_string(), None));
    if !site.changes().is_empty() {
        entries.push((location::CHANGES.to_string(), None));
    }
    entries.extend(site.tags.keys().map(|tag| (location::tag(tag), None)));

    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (location, date) in entries {
        let _ = write!(
            xml,
            "  <url><loc>{}</loc>",
            escape(&site.urls.absolute(&location))
        );
        if let Some(date) = date {
            let _ = write!(xml, "<lastmod>{}</lastmod>", escape(date));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.urls.absolute("sitemap.xml")
    )
}

/// An Atom feed of every question, newest first (by `date`, then path).
pub fn atom(site: &Site) -> String {
    let mut order: Vec<&QuestionRecord> = site.questions.iter().collect();
    order.sort_by(|a, b| {
        (&b.question.date, &a.question.source.key).cmp(&(&a.question.date, &b.question.source.key))
    });
    let updated = site
        .questions
        .iter()
        .filter_map(|q| q.question.date.as_deref())
        .max()
        .unwrap_or(FALLBACK_DATE);
    let config = &site.config;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape(&config.language)
    );
    let _ = writeln!(xml, "  <title>{}</title>", escape(&config.title));
    if !config.description.is_empty() {
        let _ = writeln!(
            xml,
            "  <subtitle>{}</subtitle>",
            escape(&config.description)
        );
    }
    let _ = writeln!(
        xml,
        "  <link href=\"{}\" rel=\"self\"/>",
        escape(&site.urls.absolute("atom.xml"))
    );
    let _ = writeln!(xml, "  <link href=\"{}\"/>", escape(&config.base_url));
    let _ = writeln!(xml, "  <id>{}</id>", escape(&config.base_url));
    let _ = writeln!(xml, "  <updated>{updated}</updated>");
    let _ = writeln!(
        xml,
        "  <author><name>{}</name></author>",
        escape(&config.title)
    );
    for record in order {
        let question = &record.question;
        let url = site.urls.absolute(&record.location);
        let topic = &site.topic_of(record).topic;
        xml.push_str("  <entry>\n");
        let _ = writeln!(xml, "    <title>{}</title>", escape(&question.title));
        let _ = writeln!(xml, "    <link href=\"{}\"/>", escape(&url));
        let _ = writeln!(xml, "    <id>{}</id>", escape(&url));
        let _ = writeln!(
            xml,
            "    <updated>{}</updated>",
            question.date.as_deref().unwrap_or(updated)
        );
        let _ = writeln!(
            xml,
            "    <category term=\"{}\" label=\"{}\"/>",
            escape(&topic.slug),
            escape(&topic.title)
        );
        let _ = writeln!(xml, "    <summary>{}</summary>", escape(&question.summary));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}
