//! Demo content: the sample site `warta serve --demo` creates on an empty data folder.
//!
//! The articles in `content/articles.toml` are original texts written for Warta (the
//! events and people in them are fictional; places are real). Photos are drawn by
//! code, so the demo ships no image files and copies no one's pictures.

mod photos;

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, SiteSettings, Status, TagKind, TagRef};
use warta_store::{NewMedia, Store};

const ARTICLES: &str = include_str!("../content/articles.toml");
const PAGES: &str = include_str!("../content/pages.toml");

/// The publication's own pages of the demo.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PagesFile {
    page: Vec<PageDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageDef {
    slug: String,
    title: String,
    /// The newsroom's text form: paragraphs, `## ` headings, `- ` lists.
    body: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo content, {0}")]
    Parse(String),
    #[error("writing demo photo {path}: {source}")]
    Photo {
        path: String,
        source: image::ImageError,
    },
    #[error(transparent)]
    Store(#[from] warta_store::StoreError),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Content {
    sections: Vec<SectionDef>,
    authors: Vec<AuthorDef>,
    article: Vec<ArticleDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionDef {
    slug: String,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorDef {
    slug: String,
    name: String,
    bio: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleDef {
    headline: String,
    section: String,
    place: String,
    /// How long before "now" it was published: `40m`, `5h`, `3d`.
    age: String,
    authors: Vec<String>,
    /// `kind:Name`, kind one of person, organisation, place, topic.
    tags: Vec<String>,
    lede: String,
    hero: PhotoDef,
    #[serde(default)]
    sensitive: bool,
    /// Reads counted for Terpopuler.
    #[serde(default)]
    reads: u32,
    /// Among the front page's "Pilihan Editor".
    #[serde(default)]
    pick: bool,
    /// Paragraphs separated by blank lines; `## ` starts a sub-heading, `> text | cite`
    /// a quote, `[foto: caption | credit | alt]` an inline photo.
    body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhotoDef {
    caption: String,
    credit: String,
    alt: String,
}

/// How many articles the demo has.
pub fn article_count() -> Result<usize, DemoError> {
    Ok(parse()?.article.len())
}

fn parse() -> Result<Content, DemoError> {
    toml::from_str(ARTICLES).map_err(|e| DemoError::Parse(e.to_string()))
}

fn parse_age(age: &str) -> Option<Duration> {
    let (n, unit) = age.split_at(age.len().checked_sub(1)?);
    let n: i64 = n.parse().ok()?;
    match unit {
        "m" => Some(Duration::minutes(n)),
        "h" => Some(Duration::hours(n)),
        "d" => Some(Duration::days(n)),
        _ => None,
    }
}

fn parse_tag(tag: &str) -> Option<TagRef> {
    let (kind, name) = tag.split_once(':')?;
    Some(TagRef {
        kind: TagKind::parse(kind)?,
        name: name.trim().to_owned(),
    })
}

/// Fills an empty site with the demo: settings, sections, authors, photos (written to
/// `media_dir`) and articles, published at times counted back from `now`.
pub async fn seed(store: &Store, media_dir: &Path, now: DateTime<Utc>) -> Result<usize, DemoError> {
    let content = parse()?;
    let settings = SiteSettings {
        name: "Warta".into(),
        tagline: "Contoh situs berita Warta".into(),
        dateline_brand: "WARTA".into(),
        ad_first_after: 3,
        ad_every: 4,
        ..store.settings().await?
    };
    store.save_settings(&settings).await?;
    for (i, s) in content.sections.iter().enumerate() {
        store.upsert_section(&s.slug, &s.name, i as i64).await?;
    }
    for a in &content.authors {
        store.upsert_author(&a.slug, &a.name, &a.bio).await?;
    }
    std::fs::create_dir_all(media_dir).map_err(|e| DemoError::Photo {
        path: media_dir.display().to_string(),
        source: image::ImageError::IoError(e),
    })?;
    // Whole minutes, so a re-seeded demo and its pages line up.
    let now = DateTime::from_timestamp(now.timestamp() / 60 * 60, 0).unwrap_or(now);
    let mut inputs = Vec::with_capacity(content.article.len());
    for (n, def) in content.article.iter().enumerate() {
        let at = format!("article {} ({})", n + 1, def.headline);
        let age = parse_age(&def.age)
            .ok_or_else(|| DemoError::Parse(format!("{at}: age `{}`", def.age)))?;
        let tags = def
            .tags
            .iter()
            .map(|t| parse_tag(t).ok_or_else(|| DemoError::Parse(format!("{at}: tag `{t}`"))))
            .collect::<Result<Vec<_>, _>>()?;
        let seed = n as u64 * 7919 + 17;
        let hero = photo(store, media_dir, &def.section, seed, &def.hero, now).await?;
        let mut body = Vec::new();
        for (k, chunk) in def.body.split("\n\n").enumerate() {
            let chunk = chunk.trim();
            if chunk.is_empty() {
                continue;
            }
            if let Some(text) = chunk.strip_prefix("## ") {
                body.push(Block::Heading { text: text.into() });
            } else if let Some(quote) = chunk.strip_prefix("> ") {
                let (text, cite) = quote.split_once(" | ").unwrap_or((quote, ""));
                body.push(Block::Quote {
                    text: text.into(),
                    cite: cite.into(),
                });
            } else if chunk.starts_with("- ") || chunk.starts_with("1. ") {
                body.push(Block::List {
                    ordered: chunk.starts_with("1. "),
                    items: chunk
                        .lines()
                        .map(|l| {
                            let item = l.trim_start_matches(|c: char| c.is_ascii_digit());
                            let item = item.trim_start_matches(['-', '.']).trim();
                            SafeHtml::from_text(item)
                        })
                        .collect(),
                });
            } else if let Some(spec) = chunk
                .strip_prefix("[foto: ")
                .and_then(|s| s.strip_suffix(']'))
            {
                let mut parts = spec.split(" | ");
                let def = PhotoDef {
                    caption: parts.next().unwrap_or_default().into(),
                    credit: parts.next().unwrap_or_default().into(),
                    alt: parts.next().unwrap_or_default().into(),
                };
                let m = photo(
                    store,
                    media_dir,
                    &def.caption,
                    seed + 1000 + k as u64,
                    &def,
                    now,
                )
                .await?;
                body.push(Block::Photo {
                    media_id: m,
                    caption: String::new(),
                    credit: String::new(),
                });
            } else {
                body.push(Block::Paragraph {
                    html: SafeHtml::from_text(chunk),
                });
            }
        }
        inputs.push(ArticleInput {
            slug: None,
            headline: def.headline.clone(),
            lede: def.lede.clone(),
            body,
            dateline_place: def.place.clone(),
            dateline_brand: String::new(),
            seo: Default::default(),
            section: def.section.clone(),
            tags,
            authors: def.authors.clone(),
            hero_media_id: Some(hero),
            status: Status::Published,
            sensitive: def.sensitive,
            language: "id".into(),
            published_at: Some(now - age),
        });
    }
    let ids = store.create_articles(inputs, now).await?;
    // Terpopuler and Pilihan Editor, so the demo's rail looks like a live site's.
    let mut reads = Vec::new();
    let mut picks = Vec::new();
    for (def, id) in content.article.iter().zip(&ids) {
        let age = parse_age(&def.age).unwrap_or_default();
        if def.reads > 0 {
            let at = (now - age + Duration::hours(2)).min(now - Duration::minutes(10));
            reads.push((*id, warta_store::hour_of(at), i64::from(def.reads)));
        }
        if def.pick && picks.len() < warta_store::MAX_PICKS {
            picks.push(*id);
        }
    }
    store.add_reads(&reads, now).await?;
    let pages: PagesFile = toml::from_str(PAGES).map_err(|e| DemoError::Parse(e.to_string()))?;
    for (i, p) in pages.page.iter().enumerate() {
        let body = warta_core::newsroom::body_from_text(&p.body)
            .map_err(|e| DemoError::Parse(format!("page {}: {e}", p.slug)))?;
        let input = warta_store::PageInput {
            slug: p.slug.clone(),
            title: p.title.clone(),
            body,
            position: i as i64,
        };
        store.save_site_page(None, &input, now).await?;
    }
    store
        .save_front_page(&warta_store::FrontPage {
            picks,
            ..Default::default()
        })
        .await?;
    Ok(ids.len())
}

async fn photo(
    store: &Store,
    media_dir: &Path,
    theme: &str,
    seed: u64,
    def: &PhotoDef,
    now: DateTime<Utc>,
) -> Result<i64, DemoError> {
    let files = photos::write(media_dir, theme, seed)?;
    let m = store
        .insert_media(
            &NewMedia {
                file: files.original.file.clone(),
                mime: "image/jpeg".into(),
                width: files.original.width,
                height: files.original.height,
                alt: def.alt.clone(),
                caption: def.caption.clone(),
                credit: def.credit.clone(),
                renditions: files.renditions,
            },
            now,
        )
        .await?;
    Ok(m.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_pages_parse_into_blocks() {
        let pages: PagesFile = toml::from_str(PAGES).expect("pages parse");
        let slugs: Vec<&str> = pages.page.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(
            slugs,
            ["tentang-kami", "redaksi", "pedoman-media-siber", "kontak"]
        );
        for p in &pages.page {
            let body = warta_core::newsroom::body_from_text(&p.body).expect("body");
            assert!(body.len() >= 3, "{}: {} blocks", p.slug, body.len());
        }
    }

    #[test]
    fn demo_content_parses_and_is_big_enough() {
        let c = parse().expect("demo content parses");
        assert!(c.article.len() >= 24, "{} articles", c.article.len());
        assert!(c.sections.len() >= 5);
        assert!(c.authors.len() >= 3);
        for a in &c.article {
            assert!(parse_age(&a.age).is_some(), "{}: age", a.headline);
            for t in &a.tags {
                assert!(parse_tag(t).is_some(), "{}: tag {t}", a.headline);
            }
            assert!(
                c.sections.iter().any(|s| s.slug == a.section),
                "{}",
                a.headline
            );
            assert!(!a.hero.credit.is_empty(), "{}: credit", a.headline);
        }
    }

    #[test]
    fn ages_cover_hours_days_and_months() {
        let c = parse().expect("parses");
        let ages: Vec<Duration> = c.article.iter().filter_map(|a| parse_age(&a.age)).collect();
        assert!(
            ages.iter()
                .any(|d| d.num_hours() < 24 && d.num_hours() >= 1)
        );
        assert!(ages.iter().any(|d| d.num_days() >= 1 && d.num_days() <= 31));
        assert!(ages.iter().any(|d| d.num_days() > 60));
    }

    #[test]
    fn age_syntax() {
        assert_eq!(parse_age("40m"), Some(Duration::minutes(40)));
        assert_eq!(parse_age("3d"), Some(Duration::days(3)));
        assert_eq!(parse_age("3w"), None);
        assert_eq!(parse_age(""), None);
    }

    #[tokio::test]
    async fn seeding_fills_an_empty_site() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_sqlite(&dir.path().join("w.db"))
            .await
            .expect("store");
        let n = seed(&store, &dir.path().join("media"), Utc::now())
            .await
            .expect("seed");
        assert_eq!(n, article_count().expect("count"));
        assert!(!store.is_empty().await.expect("q"));
        assert!(dir.path().join("media").read_dir().expect("dir").count() >= 2 * n);
    }
}
