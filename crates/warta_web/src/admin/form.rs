//! The editor form: its fields as posted, read into an `ArticleInput` (tags as
//! `kind: name` lines, article numbers, local times in the site's zone, the body as
//! text or as the editor's document), and back from an article.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use warta_core::locale::AdminStrings;
use warta_core::newsroom::{body_from_text, body_to_text, with_corrections};
use warta_core::{Article, ArticleInput, Block, TagKind, TagRef, ValidationError};
use warta_store::RelatedEdits;

use crate::views::Site;

/// The editor's fields as the form sends them (and as the page shows them again
/// after a refused save, so nothing typed is lost).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub(crate) struct ArticleForm {
    #[serde(default)]
    pub headline: String,
    #[serde(default)]
    pub lede: String,
    #[serde(default)]
    pub body: String,
    /// With the editor's script: the body as its document (ProseMirror's JSON), read
    /// into `body` by [`ArticleForm::with_doc`].
    #[serde(default)]
    pub body_doc: String,
    /// The address's last part; see `address`.
    #[serde(default)]
    pub slug: String,
    /// Ticked: the address follows the headline (until the story first goes live).
    #[serde(default)]
    pub slug_follows: Option<String>,
    /// What search results and shared cards show; empty: the headline and the lede.
    #[serde(default)]
    pub seo_title: String,
    #[serde(default)]
    pub seo_description: String,
    /// The canonical address elsewhere of a story first published there.
    #[serde(default)]
    pub seo_canonical: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub dateline_place: String,
    #[serde(default)]
    pub hero: String,
    #[serde(default)]
    pub sensitive: Option<String>,
    #[serde(default)]
    pub publish_at: String,
    #[serde(default)]
    pub pins: String,
    #[serde(default)]
    pub excludes: String,
    /// The article's language (`id`, `en`); empty keeps it.
    #[serde(default)]
    pub language: String,
    /// The number of the article this one translates; empty: none.
    #[serde(default)]
    pub translation_of: String,
    /// Pins, excludes and translation as the form was opened with them (they are not
    /// kept with versions): a save writes them only if the person changed them, so a
    /// form opened before a colleague's change never puts the old ones back.
    #[serde(default)]
    pub related_was: Option<String>,
    /// The revision number the form was opened on.
    #[serde(default)]
    pub base: i64,
    /// With `base` 0 (an imported article no one has saved in the newsroom yet): a
    /// fingerprint of the version the form was opened on, so that an import landing
    /// meanwhile is a conflict too.
    #[serde(default)]
    pub seen: String,
    /// A new article's form: one random key, so posting it twice makes one article.
    #[serde(default)]
    pub form_key: String,
    #[serde(default)]
    pub action: String,
    /// Set when the save merged a colleague's newer version in (the editor then says
    /// so, beside what was done).
    #[serde(default)]
    pub merged: Option<String>,
}

pub(crate) fn kind_word(t: &AdminStrings, k: TagKind) -> &'static str {
    match (t.lang, k) {
        ("id", TagKind::Person) => "orang",
        ("id", TagKind::Organisation) => "organisasi",
        ("id", TagKind::Place) => "tempat",
        ("id", TagKind::Topic) => "topik",
        (_, k) => k.as_str(),
    }
}

pub(crate) fn parse_kind(word: &str) -> Option<TagKind> {
    Some(match word.trim().to_lowercase().as_str() {
        "person" | "orang" | "tokoh" => TagKind::Person,
        "organisation" | "organization" | "organisasi" => TagKind::Organisation,
        "place" | "tempat" | "lokasi" => TagKind::Place,
        "topic" | "topik" => TagKind::Topic,
        _ => return None,
    })
}

/// `kind: name` per line (a line without a known kind is a topic).
pub(crate) fn parse_tags(text: &str) -> Vec<TagRef> {
    let mut out: Vec<TagRef> = Vec::new();
    for line in text.lines().flat_map(|l| l.split(';')) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (kind, name) = match line.split_once(':') {
            Some((k, n)) if parse_kind(k).is_some() && !n.trim().is_empty() => {
                (parse_kind(k).unwrap_or(TagKind::Topic), n.trim())
            }
            _ => (TagKind::Topic, line),
        };
        if !out.iter().any(|t| t.name.eq_ignore_ascii_case(name)) {
            out.push(TagRef {
                kind,
                name: name.to_owned(),
            });
        }
    }
    out
}

pub(crate) fn tags_text(t: &AdminStrings, tags: &[TagRef]) -> String {
    tags.iter()
        .map(|g| format!("{}: {}", kind_word(t, g.kind), g.name))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn ids_text(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn parse_ids(field: &'static str, text: &str) -> Result<Vec<i64>, ValidationError> {
    let mut out = Vec::new();
    for part in text
        .split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let id = part
            .trim_start_matches('#')
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| ValidationError::Invalid {
                field,
                reason: warta_core::Reason::NotArticleNumber(part.to_owned()),
            })?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

pub(crate) fn local_input(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()
}

pub(crate) fn parse_local(text: &str, tz: Tz) -> Result<Option<DateTime<Utc>>, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || ValidationError::Invalid {
        field: "publish_at",
        reason: warta_core::Reason::NotDateTime(text.to_owned()),
    };
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| bad())?;
    let local = tz.from_local_datetime(&naive).earliest().ok_or_else(bad)?;
    Ok(Some(local.with_timezone(&Utc)))
}

impl ArticleForm {
    pub(crate) fn from_article(
        a: &Article,
        edits: &RelatedEdits,
        translation_of: Option<i64>,
        base: i64,
        site: &Site,
    ) -> ArticleForm {
        let t = site.locale.admin();
        let input = a.to_input();
        ArticleForm {
            headline: a.headline.clone(),
            lede: a.lede.clone(),
            body: body_to_text(&a.body),
            body_doc: String::new(),
            slug: a.slug.clone(),
            // Exactly the headline's slug (a `-2` the headline's may have needed is
            // told apart from a number set by hand in `address::follows_now`).
            slug_follows: (!super::address::has_been_live(a)
                && a.slug == super::address::from_headline(&a.headline))
            .then(|| "on".to_owned()),
            seo_title: a.seo.title.clone(),
            seo_description: a.seo.description.clone(),
            seo_canonical: a.seo.canonical.clone(),
            section: a.section.slug.clone(),
            tags: tags_text(t, &input.tags),
            dateline_place: a.dateline_place.clone(),
            hero: a
                .hero
                .as_ref()
                .map(|m| m.id.to_string())
                .unwrap_or_default(),
            sensitive: a.sensitive.then(|| "on".to_owned()),
            publish_at: a
                .published_at
                .map(|p| local_input(p, site.tz))
                .unwrap_or_default(),
            pins: ids_text(&edits.pins),
            excludes: ids_text(&edits.excludes),
            language: a.language.clone(),
            translation_of: translation_of.map(|i| i.to_string()).unwrap_or_default(),
            related_was: Some(related_key(
                &ids_text(&edits.pins),
                &ids_text(&edits.excludes),
                &translation_of.map(|i| i.to_string()).unwrap_or_default(),
            )),
            base,
            seen: if base == 0 {
                version_mark(a)
            } else {
                String::new()
            },
            form_key: String::new(),
            action: String::new(),
            merged: None,
        }
    }

    /// Whether the "follow the headline" box was ticked.
    pub(crate) fn follows_headline(&self) -> bool {
        self.slug_follows.as_deref().is_some_and(|v| !v.is_empty())
    }

    /// The body the editor's script sent as its document, read into `body` (the text
    /// form holds the same blocks: `warta_core::doc`'s round trip). A document that
    /// cannot be read stays where it is, and [`ArticleForm::to_input`] says why.
    pub(crate) fn with_doc(mut self) -> ArticleForm {
        if self.body_doc.trim().is_empty() {
            self.body_doc.clear();
            return self;
        }
        if let Ok(blocks) = read_doc(&self.body_doc) {
            self.body = body_to_text(&blocks);
            self.body_doc.clear();
        }
        self
    }

    /// The content this form asks to save, on top of `old` (its corrections, authors
    /// and language stay).
    pub(crate) fn to_input(&self, old: Option<&Article>) -> Result<ArticleInput, ValidationError> {
        let blocks = if self.body_doc.is_empty() {
            body_from_text(&self.body)?
        } else {
            read_doc(&self.body_doc)?
        };
        let hero = match self.hero.trim() {
            "" => None,
            h => Some(
                h.trim_start_matches('#')
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| ValidationError::Invalid {
                        field: "hero",
                        reason: warta_core::Reason::NotPhotoNumber(h.to_owned()),
                    })?,
            ),
        };
        let mut input = ArticleInput::empty();
        input.headline = self.headline.clone();
        input.lede = self.lede.clone();
        input.seo = warta_core::Seo {
            title: self.seo_title.clone(),
            description: self.seo_description.clone(),
            canonical: self.seo_canonical.clone(),
        };
        input.body = match old {
            Some(o) => with_corrections(blocks, &o.body),
            None => blocks,
        };
        input.section = self.section.clone();
        input.tags = parse_tags(&self.tags);
        input.dateline_place = self.dateline_place.clone();
        input.hero_media_id = hero;
        input.sensitive = self.sensitive.as_deref().is_some_and(|s| !s.is_empty());
        let language = self.language.trim();
        if let Some(o) = old {
            input.slug = Some(o.slug.clone());
            input.authors = o.authors.iter().map(|a| a.slug.clone()).collect();
            input.language = o.language.clone();
            input.dateline_brand = o.dateline_brand.clone();
            input.status = o.status;
            input.published_at = o.published_at;
        }
        if !language.is_empty() {
            if warta_core::Locale::parse(language).is_none() {
                return Err(ValidationError::Invalid {
                    field: "language",
                    reason: warta_core::Reason::NoLocale(language.to_owned()),
                });
            }
            input.language = language.to_owned();
        }
        Ok(input)
    }
}

/// Pins, excludes and translation in one comparable line (numbers as read).
pub(crate) fn related_key(pins: &str, excludes: &str, translation_of: &str) -> String {
    let norm = |field, text: &str| {
        parse_ids(field, text)
            .map(|ids| ids_text(&ids))
            .unwrap_or_else(|_| text.trim().to_owned())
    };
    format!(
        "{}|{}|{}",
        norm("pins", pins),
        norm("excludes", excludes),
        norm("translation_of", translation_of)
    )
}

impl ArticleForm {
    /// Whether the person changed pins, excludes or translation in this form (a form
    /// without its opening values counts as changed).
    pub(crate) fn related_changed(&self) -> bool {
        self.related_was
            .as_deref()
            .is_none_or(|was| was != related_key(&self.pins, &self.excludes, &self.translation_of))
    }
}

/// Characters of a headline that search results show before cutting it.
pub(crate) const HEADLINE_SHOWN: usize = 70;

/// The blocks of the editor's document as the form sent it.
pub(crate) fn read_doc(json: &str) -> Result<Vec<Block>, ValidationError> {
    let doc: warta_core::doc::Node =
        serde_json::from_str(json).map_err(|e| ValidationError::Invalid {
            field: "body",
            reason: warta_core::Reason::DocUnreadable(e.to_string()),
        })?;
    warta_core::doc::from_doc(&doc)
}

/// A short fingerprint of an article's content (see `ArticleForm::seen`).
pub(crate) fn version_mark(a: &Article) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_vec(&a.to_input()).unwrap_or_default();
    Sha256::digest(&json)
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_by_kind() {
        let tags = parse_tags("orang: Kim Jong Un\nKorea Utara\nplace: Hanoi; topik: nuklir\n\n");
        assert_eq!(tags.len(), 4);
        assert_eq!(tags[0].kind, TagKind::Person);
        assert_eq!(tags[1].kind, TagKind::Topic);
        assert_eq!(tags[1].name, "Korea Utara");
        assert_eq!(tags[2].kind, TagKind::Place);
        // A colon that names no kind is part of the name.
        assert_eq!(parse_tags("Pemilu: 2029")[0].name, "Pemilu: 2029");
    }

    #[test]
    fn local_times_follow_the_site_zone() {
        let t = parse_local("2020-02-12T17:00", Tz::Asia__Jakarta)
            .expect("valid")
            .expect("some");
        assert_eq!(t.to_rfc3339(), "2020-02-12T10:00:00+00:00");
        assert_eq!(local_input(t, Tz::Asia__Jakarta), "2020-02-12T17:00");
        assert!(parse_local("besok pagi", Tz::Asia__Jakarta).is_err());
        assert_eq!(parse_local(" ", Tz::Asia__Jakarta), Ok(None));
    }

    #[test]
    fn article_numbers_are_checked() {
        assert_eq!(parse_ids("pins", "3, #4 3\n5"), Ok(vec![3, 4, 5]));
        assert!(parse_ids("pins", "3, tiga").is_err());
    }
}
