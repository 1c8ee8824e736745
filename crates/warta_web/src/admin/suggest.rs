//! Tag suggestions in the editor: the names the text mentions (the related-news
//! engine's extractor) that the article is not tagged with yet.

use warta_core::locale::AdminStrings;
use warta_core::{Block, TagKind, TagRef};

use warta_core::newsroom::body_from_text;

use super::form::kind_word;
use crate::{AppError, AppState};

/// The lede and the body's blocks as plain sentences, for the name extractor.
pub(super) fn suggestion_text(lede: &str, body: &str) -> String {
    let mut parts = vec![lede.trim().to_owned()];
    match body_from_text(body) {
        Ok(blocks) => {
            for b in blocks {
                parts.push(match b {
                    Block::Paragraph { html } => html.to_text(),
                    Block::List { items, .. } => items
                        .iter()
                        .map(|i| i.to_text())
                        .collect::<Vec<_>>()
                        .join("\n"),
                    Block::Heading { text } => text,
                    Block::Quote { text, cite } => format!("{text}\n{cite}"),
                    Block::Photo { caption, .. } => caption,
                    Block::Embed { title, .. } => title,
                    Block::Correction { text, .. } => text,
                });
            }
        }
        Err(_) => parts.push(body.to_owned()),
    }
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let p = p.trim().to_owned();
            if p.ends_with(['.', '!', '?', '"', '”']) {
                p
            } else {
                format!("{p}.")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Names the text mentions (people, organisations, places: the related-news engine's
/// extractor) that the article is not tagged with yet, as existing tags where there
/// is one, else as they are written.
pub(super) async fn suggest_tags(
    app: &AppState,
    text: &str,
    have: &[TagRef],
    t: &AdminStrings,
) -> Result<Vec<String>, AppError> {
    let have: Vec<String> = have
        .iter()
        .map(|g| warta_text::entities::normalise(&g.name))
        .collect();
    let mut out = Vec::new();
    for (name, kind) in warta_text::entities::extract_kinds(text, 12) {
        if out.len() >= 8 || have.iter().any(|h| names_part_of(&name, h)) {
            continue;
        }
        let slug = warta_core::slug::slugify(&name);
        // A tag the site has keeps its kind; a new name gets the one the text suggests.
        let kind = match kind {
            warta_text::entities::Kind::Person => TagKind::Person,
            warta_text::entities::Kind::Organisation => TagKind::Organisation,
            warta_text::entities::Kind::Place => TagKind::Place,
            warta_text::entities::Kind::Other => TagKind::Topic,
        };
        let line = match app.store.tag_by_slug(&slug).await? {
            Some(tag) => format!("{}: {}", kind_word(t, tag.kind), tag.name),
            None => format!(
                "{}: {}",
                kind_word(t, kind),
                as_written(text, &name).unwrap_or_else(|| title_case(&name))
            ),
        };
        if !out.contains(&line) {
            out.push(line);
        }
    }
    Ok(out)
}

/// Whether a normalised name is a tag's name or a run of its words (`hendra` of
/// `hendra saputra`): a tag already says it.
fn names_part_of(name: &str, tag: &str) -> bool {
    let (n, t): (Vec<&str>, Vec<&str>) = (name.split(' ').collect(), tag.split(' ').collect());
    !n.is_empty() && t.windows(n.len()).any(|w| w == n.as_slice())
}

/// A normalised name as the text writes it (`APBD DKI`, `Wali Kota Bogor`), if it
/// does word for word.
fn as_written(text: &str, name: &str) -> Option<String> {
    let want: Vec<&str> = name.split(' ').collect();
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    words
        .windows(want.len())
        .find(|w| w.iter().zip(&want).all(|(a, b)| a.to_lowercase() == *b))
        .map(|w| w.join(" "))
}

fn title_case(name: &str) -> String {
    name.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_a_tag_holds_is_not_offered_again() {
        assert!(names_part_of("hendra", "hendra saputra"));
        assert!(names_part_of("hendra saputra", "hendra saputra"));
        assert!(names_part_of("saputra", "hendra saputra"));
        assert!(!names_part_of("hendra saputra", "hendra"));
        assert!(!names_part_of("hen", "hendra saputra"));
    }

    #[test]
    fn new_names_keep_the_texts_capitals() {
        let text = "Kenaikan APBD DKI dibahas. \"Kami menolak,\" kata Wali Kota Bogor.";
        assert_eq!(as_written(text, "apbd dki").as_deref(), Some("APBD DKI"));
        assert_eq!(
            as_written(text, "wali kota bogor").as_deref(),
            Some("Wali Kota Bogor")
        );
        assert_eq!(as_written(text, "korea utara"), None);
        assert_eq!(title_case("korea utara"), "Korea Utara");
    }
}
