//! Version notes: callouts that say what a later release changed.
//!
//! The guide's answers are exact for one baseline (Django 5.2 LTS, say);
//! where a later release changed the answer, the page says so in a callout
//! whose first words, in bold, name the change and the release:
//!
//! ```markdown
//! > [!NOTE]
//! > **Changed in Django 6.0:** `DEFAULT_AUTO_FIELD` defaults to `BigAutoField`.
//! ```
//!
//! The lead becomes the callout's title, the callout gets an anchor, and the
//! note is collected so the site can list every change by release.

use std::cmp::Ordering;

use serde::Serialize;

/// The kinds of change a note can announce, as written in its lead.
const CHANGES: &[&str] = &["Changed", "New", "Deprecated", "Removed"];

/// Products whose releases notes can name.
const PRODUCTS: &[&str] = &["Django", "DRF"];

/// A release that notes refer to, such as Django 6.1.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Release {
    pub product: String,
    pub major: u32,
    pub minor: u32,
}

impl Release {
    /// `Django 6.1`.
    pub fn label(&self) -> String {
        format!("{} {}.{}", self.product, self.major, self.minor)
    }

    /// `django-6.1`: for URLs and `data-` attributes.
    pub fn key(&self) -> String {
        format!(
            "{}-{}.{}",
            self.product.to_ascii_lowercase(),
            self.major,
            self.minor
        )
    }
}

impl Ord for Release {
    /// Products in the order of [`PRODUCTS`], then newest release first.
    fn cmp(&self, other: &Self) -> Ordering {
        let rank = |product: &str| PRODUCTS.iter().position(|p| *p == product);
        rank(&self.product)
            .cmp(&rank(&other.product))
            .then(other.major.cmp(&self.major))
            .then(other.minor.cmp(&self.minor))
    }
}

impl PartialOrd for Release {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// One version note of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionNote {
    /// Element id of the callout, unique on the page.
    pub id: String,
    /// `Changed in Django 6.0`, as the callout's title shows it.
    pub label: String,
    pub release: Release,
    /// The note's text after its lead, as inline HTML (escaped text and
    /// `<code>`), for lists of changes outside the page.
    pub html: String,
}

/// What a bold callout lead says.
#[derive(Debug, PartialEq, Eq)]
pub enum Lead {
    /// Not a version note: an ordinary callout that starts in bold.
    Other,
    /// A well-formed lead: the change (`Changed`) and its release.
    Note { change: String, release: Release },
    /// Starts like a version note but does not follow the form.
    Malformed,
}

/// Read a callout's bold lead, such as `Changed in Django 6.0:`.
pub fn parse_lead(text: &str) -> Lead {
    let lead = text.trim().trim_end_matches(':').trim_end();
    let words: Vec<&str> = lead.split_whitespace().collect();
    let Some(&change) = words.first() else {
        return Lead::Other;
    };
    if !CHANGES.contains(&change) || words.get(1) != Some(&"in") {
        return Lead::Other;
    }
    let [_, _, product, version] = words[..] else {
        return Lead::Malformed;
    };
    if !PRODUCTS.contains(&product) {
        return Lead::Malformed;
    }
    let Some((major, minor)) = version.split_once('.') else {
        return Lead::Malformed;
    };
    let number = |part: &str| {
        (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    match (number(major), number(minor)) {
        (Some(major), Some(minor)) => Lead::Note {
            change: change.to_string(),
            release: Release {
                product: product.to_string(),
                major,
                minor,
            },
        },
        _ => Lead::Malformed,
    }
}

/// The hint for a malformed lead.
pub fn expected_form() -> String {
    format!(
        "write the lead as `**<change> in <product> X.Y:**`, with the change one of {} and the product one of {}, e.g. `**Changed in Django 6.0:**`",
        CHANGES.join(", "),
        PRODUCTS.join(", ")
    )
}

/// The element id for a note: `changed-in-django-6-0`.
pub fn base_id(change: &str, release: &Release) -> String {
    format!(
        "{}-in-{}-{}-{}",
        change.to_ascii_lowercase(),
        release.product.to_ascii_lowercase(),
        release.major,
        release.minor
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(product: &str, major: u32, minor: u32) -> Release {
        Release {
            product: product.into(),
            major,
            minor,
        }
    }

    #[test]
    fn a_lead_names_the_change_and_the_release() {
        assert_eq!(
            parse_lead("Changed in Django 6.0:"),
            Lead::Note {
                change: "Changed".into(),
                release: release("Django", 6, 0)
            }
        );
        assert_eq!(
            parse_lead("New in DRF 3.17"),
            Lead::Note {
                change: "New".into(),
                release: release("DRF", 3, 17)
            }
        );
    }

    #[test]
    fn other_bold_openings_are_not_notes() {
        assert_eq!(parse_lead("Careful:"), Lead::Other);
        assert_eq!(parse_lead("New users"), Lead::Other);
        assert_eq!(parse_lead(""), Lead::Other);
    }

    #[test]
    fn near_misses_are_reported() {
        for lead in [
            "Changed in Django 6:",
            "Changed in Djnago 6.0:",
            "Changed in Django 6.x:",
            "New in Django:",
            "Removed in Django 6.0 and 6.1:",
            "Changed in Django .1:",
        ] {
            assert_eq!(parse_lead(lead), Lead::Malformed, "{lead}");
        }
    }

    #[test]
    fn releases_sort_by_product_then_newest_first() {
        let mut releases = [
            release("DRF", 3, 17),
            release("Django", 6, 0),
            release("DRF", 3, 18),
            release("Django", 6, 1),
            release("Django", 5, 10),
        ];
        releases.sort();
        let labels: Vec<String> = releases.iter().map(Release::label).collect();
        assert_eq!(
            labels,
            [
                "Django 6.1",
                "Django 6.0",
                "Django 5.10",
                "DRF 3.18",
                "DRF 3.17"
            ]
        );
        assert_eq!(release("Django", 6, 1).key(), "django-6.1");
        assert_eq!(
            base_id("Changed", &release("DRF", 3, 18)),
            "changed-in-drf-3-18"
        );
    }
}
