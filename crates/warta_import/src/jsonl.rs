//! Warta's own format: JSON Lines, one record a line, every field kept. A site exports
//! to it and imports from it unchanged (`docs/warta-jsonl.schema.json` describes it).
//!
//! Records: `{"type":"settings",…}`, `{"type":"section",…}`, `{"type":"author",…}`
//! and `{"type":"article",…}`, then `{"type":"front",…}` (the front page by slugs) when
//! it was arranged. Media travel inside the articles that use them. An
//! article's identity is its `source_id`, or else its slug.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use warta_core::sanitize::SafeHtml;
use warta_core::{Article, ArticleInput, Block, Media, Rendition, SiteSettings, Status, TagRef};
use warta_store::{ArticleWrite, NewMedia, Store, StoreError};

use crate::{ImportItem, Location, Record, RecordError};

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Line {
    Settings {
        settings: SiteSettings,
    },
    Section {
        slug: String,
        name: String,
        #[serde(default)]
        position: i64,
    },
    Author {
        slug: String,
        name: String,
        #[serde(default)]
        bio: String,
    },
    Article(Box<ArticleRecord>),
    /// The front page as editors arranged it (issue #29), by article and section
    /// slugs; written after the articles it names.
    Front(FrontRecord),
    /// A page of the publication (issue #30), after the front page.
    Page(PageRecord),
}

/// A page of the publication in an export.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PageRecord {
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub body: Vec<warta_core::Block>,
    #[serde(default)]
    pub position: i64,
}

/// The front page's arrangement in an export.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FrontRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secondary: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub picks: Vec<String>,
    /// Section slugs in the home page's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ArticleRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    pub slug: String,
    pub headline: String,
    #[serde(default)]
    pub lede: String,
    #[serde(default)]
    pub body: Vec<BlockRecord>,
    #[serde(default)]
    pub dateline_place: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub dateline_brand: String,
    /// The title search results and shared cards show; absent: the headline.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub seo_title: String,
    /// Their description; absent: the lede.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub seo_description: String,
    /// Its canonical address elsewhere (first published there); absent: its own.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub seo_canonical: String,
    pub section: String,
    #[serde(default)]
    pub tags: Vec<TagRef>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hero: Option<MediaRecord>,
    pub status: Status,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub published_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legacy_paths: Vec<String>,
    /// The slug of the article this one translates (its group's first article).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation_of: Option<String>,
}

fn default_language() -> String {
    "id".to_owned()
}

#[derive(Debug, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockRecord {
    Paragraph {
        html: String,
    },
    Heading {
        text: String,
    },
    Quote {
        text: String,
        #[serde(default)]
        cite: String,
    },
    List {
        ordered: bool,
        items: Vec<String>,
    },
    Photo {
        media: MediaRecord,
        #[serde(default)]
        caption: String,
        #[serde(default)]
        credit: String,
    },
    Embed {
        url: String,
        #[serde(default)]
        title: String,
    },
    Correction {
        text: String,
        at: DateTime<Utc>,
    },
}

/// Written by hand rather than derived: serde's internally tagged enums buffer every
/// block into an intermediate tree before reading it, which was a tenth of an
/// import's time. Same rules: `type` names the block, unknown fields are refused.
impl<'de> Deserialize<'de> for BlockRecord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<BlockRecord, D::Error> {
        d.deserialize_map(BlockVisitor)
    }
}

struct BlockVisitor;

impl<'de> serde::de::Visitor<'de> for BlockVisitor {
    type Value = BlockRecord;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a block object with a `type`")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<BlockRecord, A::Error> {
        use serde::de::Error;
        const FIELDS: &[&str] = &[
            "type", "html", "text", "cite", "ordered", "items", "media", "caption", "credit",
            "url", "title", "at",
        ];
        let mut kind: Option<String> = None;
        let (mut html, mut text, mut cite, mut caption, mut credit) =
            (None, None, None, None, None);
        let (mut url, mut title, mut at) = (None, None, None);
        let mut media: Option<MediaRecord> = None;
        let mut ordered: Option<bool> = None;
        let mut items: Option<Vec<String>> = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let slot = match key.as_ref() {
                "ordered" => {
                    if ordered.is_some() {
                        return Err(A::Error::duplicate_field("ordered"));
                    }
                    ordered = Some(map.next_value()?);
                    continue;
                }
                "items" => {
                    if items.is_some() {
                        return Err(A::Error::duplicate_field("items"));
                    }
                    items = Some(map.next_value()?);
                    continue;
                }
                "type" => &mut kind,
                "html" => &mut html,
                "text" => &mut text,
                "cite" => &mut cite,
                "caption" => &mut caption,
                "credit" => &mut credit,
                "url" => &mut url,
                "title" => &mut title,
                "at" => &mut at,
                "media" => {
                    if media.is_some() {
                        return Err(A::Error::duplicate_field("media"));
                    }
                    media = Some(map.next_value()?);
                    continue;
                }
                other => return Err(A::Error::unknown_field(other, FIELDS)),
            };
            if slot.is_some() {
                return Err(A::Error::custom(format!("duplicate field `{key}`")));
            }
            *slot = Some(map.next_value::<String>()?);
        }
        let kind = kind.ok_or_else(|| A::Error::missing_field("type"))?;
        // Which fields each kind may carry besides `type`; any other present field is
        // refused by name, as the derived reader did.
        let allowed: &[&str] = match kind.as_str() {
            "paragraph" => &["html"],
            "heading" => &["text"],
            "quote" => &["text", "cite"],
            "list" => &["ordered", "items"],
            "photo" => &["media", "caption", "credit"],
            "embed" => &["url", "title"],
            "correction" => &["text", "at"],
            other => {
                return Err(A::Error::unknown_variant(
                    other,
                    &[
                        "paragraph",
                        "heading",
                        "quote",
                        "list",
                        "photo",
                        "embed",
                        "correction",
                    ],
                ));
            }
        };
        let present = [
            ("html", html.is_some()),
            ("text", text.is_some()),
            ("cite", cite.is_some()),
            ("ordered", ordered.is_some()),
            ("items", items.is_some()),
            ("media", media.is_some()),
            ("caption", caption.is_some()),
            ("credit", credit.is_some()),
            ("url", url.is_some()),
            ("title", title.is_some()),
            ("at", at.is_some()),
        ];
        if let Some((name, _)) = present
            .iter()
            .find(|(name, is)| *is && !allowed.contains(name))
        {
            return Err(A::Error::unknown_field(name, FIELDS));
        }
        let required =
            |v: Option<String>, name: &'static str| v.ok_or_else(|| A::Error::missing_field(name));
        match kind.as_str() {
            "paragraph" => Ok(BlockRecord::Paragraph {
                html: required(html, "html")?,
            }),
            "heading" => Ok(BlockRecord::Heading {
                text: required(text, "text")?,
            }),
            "quote" => Ok(BlockRecord::Quote {
                text: required(text, "text")?,
                cite: cite.unwrap_or_default(),
            }),
            "list" => Ok(BlockRecord::List {
                ordered: ordered.unwrap_or(false),
                items: items.ok_or_else(|| A::Error::missing_field("items"))?,
            }),
            "embed" => Ok(BlockRecord::Embed {
                url: required(url, "url")?,
                title: title.unwrap_or_default(),
            }),
            "correction" => {
                let at = required(at, "at")?;
                Ok(BlockRecord::Correction {
                    text: required(text, "text")?,
                    at: DateTime::parse_from_rfc3339(&at)
                        .map_err(|e| {
                            A::Error::custom(format!("`at` is not an RFC 3339 time: {e}"))
                        })?
                        .with_timezone(&Utc),
                })
            }
            _ => Ok(BlockRecord::Photo {
                media: media.ok_or_else(|| A::Error::missing_field("media"))?,
                caption: caption.unwrap_or_default(),
                credit: credit.unwrap_or_default(),
            }),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MediaRecord {
    pub file: String,
    pub mime: String,
    #[serde(default)]
    pub width: u32,
    #[serde(default)]
    pub height: u32,
    #[serde(default)]
    pub alt: String,
    #[serde(default)]
    pub caption: String,
    #[serde(default)]
    pub credit: String,
    #[serde(default)]
    pub renditions: Vec<Rendition>,
}

impl From<&Media> for MediaRecord {
    fn from(m: &Media) -> MediaRecord {
        MediaRecord {
            file: m.file.clone(),
            mime: m.mime.clone(),
            width: m.width,
            height: m.height,
            alt: m.alt.clone(),
            caption: m.caption.clone(),
            credit: m.credit.clone(),
            renditions: m.renditions.clone(),
        }
    }
}

impl From<MediaRecord> for NewMedia {
    fn from(m: MediaRecord) -> NewMedia {
        NewMedia {
            file: m.file,
            mime: m.mime,
            width: m.width,
            height: m.height,
            alt: m.alt,
            caption: m.caption,
            credit: m.credit,
            renditions: m.renditions,
        }
    }
}

/// Reads every line; blank lines are passed over.
pub fn parse(path: &Path, text: &str) -> Vec<Record> {
    records(path, text).collect()
}

/// The records of a file, one line at a time.
pub fn records<'a>(path: &'a Path, text: &'a str) -> impl Iterator<Item = Record> + 'a {
    records_from(path, text, 0)
}

/// The records of a piece of a file that begins after `lines_before` lines (line
/// numbers in errors count from the file's start).
pub fn records_from<'a>(
    path: &'a Path,
    text: &'a str,
    lines_before: usize,
) -> impl Iterator<Item = Record> + 'a {
    // One buffer for every article line of the piece (see `record`).
    let mut object = String::new();
    text.lines().enumerate().filter_map(move |(n, line)| {
        let line = line.trim();
        (!line.is_empty()).then(|| {
            record(
                Location::line(path, lines_before + n + 1),
                line,
                &mut object,
            )
        })
    })
}

/// How Warta's own export begins an article line.
const ARTICLE_PREFIX: &str = r#"{"type":"article","#;

/// Reads one line; `object` is a buffer the caller keeps from line to line.
fn record(loc: Location, line: &str, object: &mut String) -> Record {
    // Most lines are articles written by `warta export`: read them straight into an
    // `ArticleRecord`, without serde's buffering of internally tagged enums, from a
    // copy without the tag (a buffer reused, not a fresh one each line).
    if let Some(rest) = line.strip_prefix(ARTICLE_PREFIX) {
        object.clear();
        object.push('{');
        object.push_str(rest);
        return match serde_json::from_str::<ArticleRecord>(object) {
            Ok(a) => Record::Article(Box::new(to_item(a, loc))),
            Err(e) => Record::Failed(
                RecordError::new(loc, format!("not a Warta record: {e}")).with_raw(line),
            ),
        };
    }
    match serde_json::from_str::<Line>(line) {
        Err(e) => {
            Record::Failed(RecordError::new(loc, format!("not a Warta record: {e}")).with_raw(line))
        }
        Ok(Line::Settings { settings }) => match settings.validate() {
            Ok(()) => Record::Settings(Box::new(settings)),
            Err(e) => Record::Failed(RecordError::new(loc, e.to_string()).with_raw(line)),
        },
        Ok(Line::Section {
            slug,
            name,
            position,
        }) => Record::Section {
            slug,
            name,
            position,
        },
        Ok(Line::Author { slug, name, bio }) => Record::Author { slug, name, bio },
        Ok(Line::Article(a)) => Record::Article(Box::new(to_item(*a, loc))),
        Ok(Line::Front(f)) => Record::Front(loc, f),
        Ok(Line::Page(p)) => Record::Page(loc, p),
    }
}

fn to_item(a: ArticleRecord, location: Location) -> ImportItem {
    let mut media: Vec<NewMedia> = Vec::new();
    let mut local = |m: MediaRecord| -> i64 {
        media.push(m.into());
        -(media.len() as i64)
    };
    let hero_media_id = a.hero.map(&mut local);
    let body = a
        .body
        .into_iter()
        .map(|b| match b {
            BlockRecord::Paragraph { html } => Block::Paragraph {
                html: SafeHtml::sanitize_owned(html),
            },
            BlockRecord::Heading { text } => Block::Heading { text },
            BlockRecord::Quote { text, cite } => Block::Quote { text, cite },
            BlockRecord::List { ordered, items } => Block::List {
                ordered,
                items: items.into_iter().map(SafeHtml::sanitize_owned).collect(),
            },
            BlockRecord::Embed { url, title } => Block::Embed { url, title },
            BlockRecord::Correction { text, at } => Block::Correction { text, at },
            BlockRecord::Photo {
                media,
                caption,
                credit,
            } => Block::Photo {
                media_id: local(media),
                caption,
                credit,
            },
        })
        .collect();
    let input = ArticleInput {
        slug: Some(a.slug),
        headline: a.headline,
        lede: a.lede,
        body,
        dateline_place: a.dateline_place,
        dateline_brand: a.dateline_brand,
        seo: warta_core::Seo {
            title: a.seo_title,
            description: a.seo_description,
            canonical: a.seo_canonical,
        },
        section: a.section,
        tags: a.tags,
        authors: a.authors,
        hero_media_id,
        status: a.status,
        sensitive: a.sensitive,
        language: a.language,
        published_at: a.published_at,
    };
    let translation_of = a.translation_of;
    let mut write = ArticleWrite::new(input);
    write.source_id = a.source_id;
    write.legacy_paths = a.legacy_paths;
    write.media = media;
    write.created_at = Some(a.created_at);
    write.updated_at = a.updated_at;
    write.match_slug = true;
    ImportItem {
        // Sections and authors come as their own records before the articles.
        section_name: String::new(),
        authors: Vec::new(),
        write,
        location,
        notes: Vec::new(),
        sticky: None,
        translation_of,
    }
}

/// The record for an article as stored.
pub fn article_record(
    a: &Article,
    source_id: Option<String>,
    legacy: Vec<String>,
) -> ArticleRecord {
    let media = |id: i64| a.media(id).map(MediaRecord::from);
    ArticleRecord {
        source_id,
        slug: a.slug.clone(),
        headline: a.headline.clone(),
        lede: a.lede.clone(),
        body: a
            .body
            .iter()
            .filter_map(|b| {
                Some(match b {
                    Block::Paragraph { html } => BlockRecord::Paragraph {
                        html: html.as_str().to_owned(),
                    },
                    Block::Heading { text } => BlockRecord::Heading { text: text.clone() },
                    Block::Quote { text, cite } => BlockRecord::Quote {
                        text: text.clone(),
                        cite: cite.clone(),
                    },
                    Block::List { ordered, items } => BlockRecord::List {
                        ordered: *ordered,
                        items: items.iter().map(|i| i.as_str().to_owned()).collect(),
                    },
                    Block::Embed { url, title } => BlockRecord::Embed {
                        url: url.clone(),
                        title: title.clone(),
                    },
                    Block::Correction { text, at } => BlockRecord::Correction {
                        text: text.clone(),
                        at: *at,
                    },
                    Block::Photo {
                        media_id,
                        caption,
                        credit,
                    } => BlockRecord::Photo {
                        media: media(*media_id)?,
                        caption: caption.clone(),
                        credit: credit.clone(),
                    },
                })
            })
            .collect(),
        dateline_place: a.dateline_place.clone(),
        dateline_brand: a.dateline_brand.clone(),
        seo_title: a.seo.title.clone(),
        seo_description: a.seo.description.clone(),
        seo_canonical: a.seo.canonical.clone(),
        section: a.section.slug.clone(),
        tags: a
            .tags
            .iter()
            .map(|t| TagRef {
                kind: t.kind,
                name: t.name.clone(),
            })
            .collect(),
        authors: a.authors.iter().map(|u| u.slug.clone()).collect(),
        hero: a.hero.as_ref().map(MediaRecord::from),
        status: a.status,
        sensitive: a.sensitive,
        language: a.language.clone(),
        published_at: a.published_at,
        updated_at: a.updated_at,
        created_at: a.created_at,
        legacy_paths: legacy,
        translation_of: None,
    }
}

/// Writes the whole site as JSON Lines: settings, sections, authors, then every
/// article (any status) in id order. Returns the number of articles.
pub async fn export(store: &Store, out: &mut dyn Write) -> Result<usize, StoreError> {
    export_with(store, out, true).await
}

/// [`export`]; `pass_json: false` parses every body and writes it again (the slow way,
/// kept for the test that both give the same bytes).
async fn export_with(
    store: &Store,
    out: &mut dyn Write,
    pass_json: bool,
) -> Result<usize, StoreError> {
    let io = |e: std::io::Error| StoreError::Corrupt(format!("writing the export: {e}"));
    let json = |l: &Line| serde_json::to_string(l).map_err(|e| StoreError::Corrupt(e.to_string()));
    let settings = store.settings().await?;
    writeln!(out, "{}", json(&Line::Settings { settings })?).map_err(io)?;
    for s in store.sections().await? {
        let l = Line::Section {
            slug: s.slug,
            name: s.name,
            position: s.position,
        };
        writeln!(out, "{}", json(&l)?).map_err(io)?;
    }
    for a in store.authors().await? {
        let l = Line::Author {
            slug: a.slug,
            name: a.name,
            bio: a.bio,
        };
        writeln!(out, "{}", json(&l)?).map_err(io)?;
    }
    let roots = store.translation_roots().await?;
    // Pages are read (and their bodies decoded) on a thread of their own while this
    // task writes the page before.
    let mut rx = store.export_pages(1000, pass_json);
    let mut n = 0;
    let mut line = Vec::with_capacity(64 * 1024);
    while let Some(page) = rx.recv().await {
        for full in page? {
            let mut rec = article_record(&full.article, full.source_id, full.legacy_paths);
            rec.translation_of = roots.get(&full.article.id).cloned();
            line.clear();
            serde_json::to_writer(&mut line, &Line::Article(Box::new(rec)))
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            line.push(b'\n');
            match &full.body_json {
                Some(json) => {
                    let at = empty_body_at(&line)?;
                    out.write_all(&line[..at]).map_err(io)?;
                    out.write_all(json).map_err(io)?;
                    out.write_all(&line[at + 2..]).map_err(io)?;
                }
                None => out.write_all(&line).map_err(io)?,
            }
            n += 1;
        }
    }
    if let Some(front) = front_record(store).await? {
        writeln!(out, "{}", json(&Line::Front(front))?).map_err(io)?;
    }
    for p in store.site_pages().await? {
        let rec = PageRecord {
            slug: p.slug,
            title: p.title,
            body: p.body,
            position: p.position,
        };
        writeln!(out, "{}", json(&Line::Page(rec))?).map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(n)
}

/// The front page by slugs (`None`: nobody arranged it).
async fn front_record(store: &Store) -> Result<Option<FrontRecord>, StoreError> {
    let f = store.front_page().await?;
    if f == warta_store::FrontPage::default() {
        return Ok(None);
    }
    let mut ids: Vec<i64> = f.main.into_iter().collect();
    ids.extend(&f.secondary);
    ids.extend(&f.picks);
    let slugs: std::collections::HashMap<i64, String> = store
        .articles_by_ids(&ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a.slug))
        .collect();
    let slug = |id: &i64| slugs.get(id).cloned();
    let sections = store.sections().await?;
    Ok(Some(FrontRecord {
        main: f.main.as_ref().and_then(slug),
        secondary: f.secondary.iter().filter_map(slug).collect(),
        picks: f.picks.iter().filter_map(slug).collect(),
        sections: f
            .sections
            .iter()
            .filter_map(|id| sections.iter().find(|s| s.id == *id))
            .map(|s| s.slug.clone())
            .collect(),
    }))
}

/// Where a body's stored JSON text goes in a serialised article written with an empty
/// body: the index of the `[]` of its `"body":[]`. Only the key can match: every value
/// before it is a string, where a quote is always escaped.
fn empty_body_at(line: &[u8]) -> Result<usize, StoreError> {
    const EMPTY: &[u8] = br#""body":[]"#;
    memchr::memmem::find(line, EMPTY)
        .map(|at| at + EMPTY.len() - 2)
        .ok_or_else(|| StoreError::Corrupt("an exported article has no `body`".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_goes_in_place_of_the_empty_one() {
        let line =
            br#"{"type":"article","slug":"a","headline":"\"body\":[] x","body":[],"section":"s"}"#;
        let at = empty_body_at(line).expect("found");
        let mut whole = line[..at].to_vec();
        whole.extend_from_slice(br#"[{"type":"heading","text":"H"}]"#);
        whole.extend_from_slice(&line[at + 2..]);
        let v: serde_json::Value = serde_json::from_slice(&whole).expect("json");
        assert_eq!(v["body"][0]["text"], "H");
        assert_eq!(v["headline"], "\"body\":[] x");
        assert!(empty_body_at(b"{}").is_err());
    }

    /// The demo site in a SQLite file (kept while the folder lives), and its "now".
    async fn demo_site() -> (tempfile::TempDir, Store, DateTime<Utc>) {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_sqlite(&dir.path().join("w.db"))
            .await
            .expect("store");
        let now = DateTime::parse_from_rfc3339("2024-05-01T00:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        warta_demo::seed(&store, &dir.path().join("media"), now)
            .await
            .expect("seed");
        (dir, store, now)
    }

    /// Bodies written through as stored give the same file as bodies parsed and
    /// written again (the demo has long bodies with and without photos), up to how a
    /// paragraph's HTML spells the same text (`&quot;` as stored, `"` once read), which
    /// the importer's sanitiser makes equal again.
    #[tokio::test]
    async fn passing_bodies_through_changes_nothing() {
        let (_dir, store, _) = demo_site().await;
        let (mut fast, mut slow) = (Vec::new(), Vec::new());
        let n = export_with(&store, &mut fast, true).await.expect("fast");
        export_with(&store, &mut slow, false).await.expect("slow");
        assert!(n > 20);
        let read = |bytes: &[u8]| -> Vec<serde_json::Value> {
            let mut lines = Vec::new();
            for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
                let mut v: serde_json::Value = serde_json::from_slice(line).expect("json");
                if let Some(blocks) = v.get_mut("body").and_then(|b| b.as_array_mut()) {
                    for block in blocks {
                        if let Some(html) = block.get_mut("html") {
                            let clean = SafeHtml::sanitize(html.as_str().unwrap_or_default());
                            *html = clean.as_str().into();
                        }
                    }
                }
                lines.push(v);
            }
            lines
        };
        let (fast, slow) = (read(&fast), read(&slow));
        assert_eq!(fast.len(), slow.len());
        for (f, s) in fast.iter().zip(&slow) {
            assert_eq!(f, s);
        }
        let passed = store
            .export_page_json(0, 1000)
            .await
            .expect("page")
            .iter()
            .filter(|f| f.body_json.is_some())
            .count();
        assert!(passed > 0 && passed < n, "{passed} of {n} passed through");
    }

    /// Writes a published article with these old addresses.
    async fn write_article(store: &Store, now: DateTime<Utc>, headline: &str, legacy: &[&str]) {
        let mut w = ArticleWrite::new(ArticleInput {
            headline: headline.into(),
            section: "nasional".into(),
            status: Status::Published,
            language: "id".into(),
            published_at: Some(now),
            ..ArticleInput::empty()
        });
        w.legacy_paths = legacy.iter().map(|p| (*p).to_owned()).collect();
        let mut writer = store.writer(now).await.expect("writer");
        writer.write(vec![w]).await.expect("write");
        writer.commit().await.expect("commit");
    }

    /// An export of a SQLite file is one snapshot: an article saved while it runs
    /// (the server keeps working) is not half in it.
    #[tokio::test]
    async fn an_export_is_one_snapshot() {
        let (_dir, store, now) = demo_site().await;
        let before = store.export_page(0, 1000).await.expect("all").len();
        let mut rx = store.export_pages(1, true);
        let first = rx.recv().await.expect("a page").expect("page");
        assert_eq!(first.len(), 1);
        write_article(&store, now, "Ditulis di tengah ekspor", &[]).await;
        let mut n = first.len();
        while let Some(page) = rx.recv().await {
            let page = page.expect("page");
            assert!(
                page.iter()
                    .all(|a| a.article.headline != "Ditulis di tengah ekspor")
            );
            n += page.len();
        }
        assert_eq!(n, before);
        assert_eq!(
            store.export_page(0, 1000).await.expect("all").len(),
            before + 1
        );
    }

    /// A SQLite file is read for an export without sqlx (`Store::export_pages`):
    /// every page must hold what sqlx's pages hold, field for field, photos, heroes,
    /// tags, authors and old addresses included.
    #[tokio::test]
    async fn reading_the_file_directly_gives_what_sqlx_gives() {
        let (_dir, store, now) = demo_site().await;
        // The demo has no old addresses: one article that has two.
        write_article(
            &store,
            now,
            "Arsip lama pindah rumah",
            &["/lama/2.html", "/lama/1.html"],
        )
        .await;
        for pass_json in [false, true] {
            // Pages of 7 end mid-way through the demo, so links must not leak across.
            let mut direct = Vec::new();
            let mut rx = store.export_pages(7, pass_json);
            while let Some(page) = rx.recv().await {
                let page = page.expect("page");
                assert!(page.len() <= 7);
                direct.extend(page);
            }
            let mut via_sqlx = Vec::new();
            let mut after = 0;
            loop {
                let page = if pass_json {
                    store.export_page_json(after, 7).await
                } else {
                    store.export_page(after, 7).await
                }
                .expect("page");
                let Some(last) = page.last() else { break };
                after = last.article.id;
                via_sqlx.extend(page);
            }
            assert!(via_sqlx.len() > 20);
            assert_eq!(direct.len(), via_sqlx.len());
            let with =
                |f: fn(&warta_store::FullArticle) -> bool| direct.iter().filter(|a| f(a)).count();
            assert!(with(|a| a.article.hero.is_some()) > 0);
            assert!(with(|a| !a.article.tags.is_empty()) > 0);
            assert!(with(|a| !a.article.authors.is_empty()) > 0);
            assert!(with(|a| a.legacy_paths == ["/lama/1.html", "/lama/2.html"]) == 1);
            for (d, s) in direct.iter().zip(&via_sqlx) {
                assert_eq!(format!("{d:?}"), format!("{s:?}"));
            }
        }
    }

    fn block(json: &str) -> Result<BlockRecord, String> {
        serde_json::from_str::<BlockRecord>(json).map_err(|e| e.to_string())
    }

    #[test]
    fn blocks_read_in_any_field_order() {
        let want = BlockRecord::Quote {
            text: "Kata".into(),
            cite: "Dia".into(),
        };
        assert_eq!(
            block(r#"{"type":"quote","text":"Kata","cite":"Dia"}"#),
            Ok(want)
        );
        let back_to_front = block(r#"{"cite":"Dia","text":"Kata","type":"quote"}"#);
        assert!(matches!(back_to_front, Ok(BlockRecord::Quote { .. })));
        let photo =
            r#"{"type":"photo","media":{"file":"a.jpg","mime":"image/jpeg"},"credit":"ANTARA"}"#;
        assert!(
            matches!(block(photo), Ok(BlockRecord::Photo { credit, .. }) if credit == "ANTARA")
        );
        // The newsroom's blocks: embeds and dated corrections, written and read back.
        for rec in [
            BlockRecord::Embed {
                url: "https://example.org/v".into(),
                title: "Video".into(),
            },
            BlockRecord::List {
                ordered: true,
                items: vec!["satu".into(), "<b>dua</b>".into()],
            },
            BlockRecord::Correction {
                text: "Nama diperbaiki.".into(),
                at: DateTime::parse_from_rfc3339("2026-12-02T04:00:00Z")
                    .expect("time")
                    .with_timezone(&Utc),
            },
        ] {
            let json = serde_json::to_string(&rec).expect("json");
            assert_eq!(block(&json), Ok(rec), "{json}");
        }
        assert!(
            block(r#"{"type":"correction","text":"x","at":"kemarin"}"#)
                .is_err_and(|e| e.contains("`at` is not an RFC 3339 time"))
        );
    }

    /// The hand-written reader refuses what the derived one refused, and says which
    /// field.
    #[test]
    fn bad_blocks_name_what_is_wrong() {
        let cases = [
            (r#"{"html":"x"}"#, "missing field `type`"),
            (r#"{"type":"video","html":"x"}"#, "unknown variant `video`"),
            (r#"{"type":"paragraph"}"#, "missing field `html`"),
            (
                r#"{"type":"paragraph","html":"x","colour":"red"}"#,
                "unknown field `colour`",
            ),
            (
                r#"{"type":"paragraph","html":"x","cite":"y"}"#,
                "unknown field `cite`",
            ),
            (
                r#"{"type":"paragraph","html":"x","html":"y"}"#,
                "duplicate field `html`",
            ),
            (r#"{"type":"photo","caption":"x"}"#, "missing field `media`"),
            (r#"{"type":"list","ordered":true}"#, "missing field `items`"),
            (r#"{"type":"list","items":[1]}"#, "invalid type"),
            (
                r#"{"type":"list","items":[],"html":"x"}"#,
                "unknown field `html`",
            ),
            (r#"{"type":"heading","text":5}"#, "invalid type"),
            (r#"["paragraph","x"]"#, "invalid type"),
        ];
        for (json, want) in cases {
            let err = block(json).expect_err(json);
            assert!(err.contains(want), "{json}: {err}");
        }
    }

    #[test]
    fn article_lines_with_and_without_the_fast_path_agree() {
        let line = r#"{"type":"article","slug":"a","headline":"Judul","section":"nasional","status":"draft","created_at":"2020-01-01T00:00:00Z","body":[{"type":"paragraph","html":"Satu"}]}"#;
        let reordered = r#"{"slug":"a","type":"article","headline":"Judul","section":"nasional","status":"draft","created_at":"2020-01-01T00:00:00Z","body":[{"type":"paragraph","html":"Satu"}]}"#;
        let path = Path::new("x.jsonl");
        // The buffer comes from a longer line before: nothing of it may remain.
        let mut object = format!("{line}{line}");
        let mut read = |l: &str| match record(Location::line(path, 1), l, &mut object) {
            Record::Article(item) => item.write.input,
            other => panic!("{other:?}"),
        };
        assert_eq!(read(line), read(reordered));
        let bad = r#"{"type":"article","slug":"a","headline":"Judul","colour":"red"}"#;
        let Record::Failed(e) = record(Location::line(path, 3), bad, &mut String::new()) else {
            panic!("accepted an unknown field");
        };
        assert!(
            e.to_string().contains("x.jsonl:3") && e.reason.contains("colour"),
            "{e}"
        );
    }
}
