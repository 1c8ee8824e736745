//! Article pages flattened to text, the way crawlers keep them: the headline, an
//! Indonesian date line, photo captions ending in their credit (`… REUTERS`), a
//! `BRAND, Place - ` dateline opening the first paragraph, the paragraphs, ad markers
//! (`Advertising`) and a trailing "Berita terkait" block.
//!
//! What is kept: headline, publication time, captions with their credits as photo
//! blocks (the text has no image files, so the photos have none), the dateline brand
//! and place, every paragraph. What is dropped and reported: ad markers, inline
//! "Baca juga" links, and the "Berita terkait" entries — they are a snapshot of the
//! old site's related list on the day of the crawl, and Warta computes its own.

use std::path::Path;

use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, Status};
use warta_store::{ArticleWrite, NewMedia};

use crate::date::parse_date_line;
use crate::{ImportItem, Location, Record, RecordError};

/// Lines that are page furniture, not text.
const AD_MARKERS: [&str; 6] = [
    "advertising",
    "advertisement",
    "iklan",
    "scroll to continue with content",
    "scroll untuk melanjutkan",
    "lanjutkan membaca",
];

const RELATED_HEADERS: [&str; 3] = ["berita terkait", "artikel terkait", "baca juga"];

/// Parses one file; the whole file is one article.
pub fn parse(path: &Path, text: &str) -> Record {
    match parse_article(path, text) {
        Ok(item) => Record::Article(Box::new(item)),
        Err(e) => Record::Failed(e),
    }
}

fn parse_article(path: &Path, text: &str) -> Result<ImportItem, RecordError> {
    let fail = |line: usize, why: &str| RecordError::new(Location::line(path, line), why);
    // Non-empty lines with their line numbers.
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut ads = 0;
    let mut related = 0;
    let mut inline_links = 0;
    let mut in_related = false;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let lower = line.to_lowercase();
        if in_related {
            if lower == "baca selengkapnya" {
                related += 1;
            }
            continue;
        }
        if AD_MARKERS.contains(&lower.as_str()) {
            ads += 1;
            continue;
        }
        if RELATED_HEADERS.contains(&lower.trim_end_matches(':')) && !lines.is_empty() {
            in_related = true;
            continue;
        }
        if lower.starts_with("baca juga:") {
            inline_links += 1;
            continue;
        }
        lines.push((n + 1, line));
    }
    let Some(&(_, headline)) = lines.first() else {
        return Err(fail(1, "the file has no text"));
    };
    if headline.chars().count() > warta_core::MAX_HEADLINE {
        return Err(fail(
            lines[0].0,
            "the first line is too long for a headline",
        ));
    }
    // The date line follows the headline (a kicker or byline may sit between).
    let (date_at, published) = lines
        .iter()
        .enumerate()
        .skip(1)
        .take(3)
        .find_map(|(i, (_, l))| parse_date_line(l, 7).map(|t| (i, t)))
        .ok_or_else(|| {
            fail(
                lines.get(1).map_or(lines[0].0 + 1, |l| l.0),
                "no date line such as `Rabu, 12 Februari 2020 17:00 WIB` after the headline",
            )
        })?;
    let rest = &lines[date_at + 1..];
    let dateline_at = rest
        .iter()
        .take(6)
        .position(|(_, l)| split_dateline(l).is_some());
    let (captions, body_lines) = match dateline_at {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (&rest[..0], rest),
    };
    if body_lines.is_empty() {
        return Err(fail(
            lines.last().map_or(1, |l| l.0),
            "no article text after the date line",
        ));
    }

    let mut media: Vec<NewMedia> = Vec::new();
    let mut photo = |text: &str| -> i64 {
        let (caption, credit) = split_credit(text).unwrap_or((text, ""));
        media.push(NewMedia {
            file: String::new(),
            mime: String::new(),
            width: 0,
            height: 0,
            alt: String::new(),
            caption: caption.to_owned(),
            credit: credit.to_owned(),
            renditions: Vec::new(),
        });
        -(media.len() as i64)
    };
    let hero = captions.first().map(|(_, c)| photo(c));
    let mut body = Vec::with_capacity(body_lines.len());
    for (_, c) in captions.iter().skip(1) {
        body.push(Block::Photo {
            media_id: photo(c),
            caption: String::new(),
            credit: String::new(),
        });
    }
    let (mut brand, mut place) = (String::new(), String::new());
    for (i, (_, line)) in body_lines.iter().enumerate() {
        if i == 0
            && let Some((b, p, text)) = split_dateline(line)
        {
            brand = b.to_owned();
            place = p.to_owned();
            body.push(Block::Paragraph {
                html: SafeHtml::from_text(text),
            });
            continue;
        }
        if split_credit(line).is_some() {
            body.push(Block::Photo {
                media_id: photo(line),
                caption: String::new(),
                credit: String::new(),
            });
        } else {
            body.push(Block::Paragraph {
                html: SafeHtml::from_text(line),
            });
        }
    }
    let lede = body
        .iter()
        .find_map(|b| match b {
            Block::Paragraph { html } => Some(first_sentence(&html.to_text())),
            _ => None,
        })
        .unwrap_or_default();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut write = ArticleWrite::new(ArticleInput {
        slug: None,
        headline: headline.to_owned(),
        lede,
        body,
        dateline_place: place,
        dateline_brand: brand,
        seo: Default::default(),
        section: String::new(),
        tags: Vec::new(),
        authors: Vec::new(),
        hero_media_id: hero,
        status: Status::Published,
        sensitive: false,
        language: "id".into(),
        published_at: Some(published),
    });
    write.source_id = Some(format!("text:{stem}"));
    write.media = media;
    write.created_at = Some(published);
    let mut notes = Vec::new();
    if related > 0 {
        notes.push(format!(
            "{related} \"Berita terkait\" entries recognised and dropped"
        ));
    }
    if ads > 0 {
        notes.push(format!("{ads} ad markers removed"));
    }
    if inline_links > 0 {
        notes.push(format!("{inline_links} \"Baca juga\" links removed"));
    }
    Ok(ImportItem {
        write,
        section_name: String::new(),
        authors: Vec::new(),
        location: Location::file(path),
        notes,
        sticky: None,
        translation_of: None,
    })
}

/// `TEMPO.CO, Jakarta - Presiden …` → (`TEMPO.CO`, `Jakarta`, `Presiden …`).
pub fn split_dateline(line: &str) -> Option<(&str, &str, &str)> {
    let (brand, rest) = line.split_once(", ")?;
    if brand.is_empty()
        || brand.len() > 30
        || brand.contains(' ')
        || !brand.chars().any(|c| c.is_ascii_uppercase())
        || !brand.chars().next().is_some_and(|c| c.is_alphabetic())
    {
        return None;
    }
    let (place, text) = rest
        .split_once(" - ")
        .or_else(|| rest.split_once(" – "))
        .or_else(|| rest.split_once(" — "))?;
    let words = place.split_whitespace().count();
    if words == 0
        || words > 4
        || place.len() > 40
        || !place.chars().next().is_some_and(char::is_uppercase)
        || text.trim().is_empty()
    {
        return None;
    }
    Some((brand, place, text.trim()))
}

/// A caption ends in its credit after the last sentence: `… 2019. REUTERS`,
/// `… Jakarta. ANTARA FOTO/Nama`, `… (29/6). TEMPO/Nama`.
pub fn split_credit(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    if text.ends_with(['.', '!', '?', '"', '”', ':', ',', ';']) {
        return None;
    }
    let cut = text.rfind(". ")?;
    let (caption, credit) = (&text[..=cut], text[cut + 2..].trim());
    let words: Vec<&str> = credit.split_whitespace().collect();
    if credit.is_empty() || credit.len() > 60 || words.len() > 6 {
        return None;
    }
    // The agency part (before any `/`) is in capitals: REUTERS, AP, ANTARA FOTO.
    let agency = credit.split('/').next().unwrap_or("");
    let letters: Vec<char> = agency.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 || letters.iter().any(|c| c.is_lowercase()) {
        return None;
    }
    Some((caption.trim(), credit))
}

fn first_sentence(text: &str) -> String {
    let end = text
        .char_indices()
        .find(|(i, c)| *c == '.' && text[i + 1..].starts_with(' ') && *i > 40)
        .map_or(text.len(), |(i, _)| i + 1);
    let s = &text[..end];
    if s.chars().count() > 300 {
        s.chars().take(297).collect::<String>() + "…"
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dateline_table() {
        assert_eq!(
            split_dateline("TEMPO.CO, Jakarta - Presiden berkata."),
            Some(("TEMPO.CO", "Jakarta", "Presiden berkata."))
        );
        assert_eq!(
            split_dateline("WARTA, Labuan Bajo – Kapal bersandar."),
            Some(("WARTA", "Labuan Bajo", "Kapal bersandar."))
        );
        assert_eq!(split_dateline("Trump, kata dia - bukan dateline"), None);
        assert_eq!(split_dateline("Presiden AS Donald Trump berbincang."), None);
        assert_eq!(split_dateline("WARTA, Jakarta -"), None);
    }

    #[test]
    fn credit_table() {
        assert_eq!(
            split_credit("Warga antre di pasar, Ahad, 30 Juni 2019. REUTERS"),
            Some(("Warga antre di pasar, Ahad, 30 Juni 2019.", "REUTERS"))
        );
        assert_eq!(
            split_credit("Petugas berjaga. ANTARA FOTO/Rina Sari"),
            Some(("Petugas berjaga.", "ANTARA FOTO/Rina Sari"))
        );
        assert_eq!(split_credit("Kalimat biasa yang selesai."), None);
        assert_eq!(
            split_credit("Tanpa titik sama sekali di KTT NATO di London"),
            None
        );
        assert_eq!(
            split_credit("Satu kalimat. Lalu kalimat lain tanpa titik"),
            None
        );
    }
}
