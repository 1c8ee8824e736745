//! Saved article pages from an old site. What the page declares comes first —
//! schema.org `NewsArticle` JSON-LD, then Open Graph and `article:` meta tags, then the
//! `<title>`, `<h1>` and `<time>` — and the body is taken from the article container
//! (`itemprop=articleBody`, WordPress's `.entry-content`, Ghost's `.gh-content`, the
//! usual portal classes), or else the element holding the most paragraph text.
//! Navigation, ads, share buttons and related-link blocks are dropped.

use std::path::Path;

use chrono::{DateTime, Utc};
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use warta_core::slug::slugify;
use warta_core::{ArticleInput, Block, Status, TagKind, TagRef};
use warta_store::{ArticleWrite, NewMedia};

use crate::blocks::{self, Piece};
use crate::{ImportItem, Location, Record, RecordError};

/// Containers that hold the article text, most specific first.
const BODY_SELECTORS: [&str; 14] = [
    "[itemprop=articleBody]",
    ".entry-content",
    ".gh-content",
    ".post-content",
    ".article-content",
    ".detail__body-text",
    ".read__content",
    ".detail-text",
    ".txt-article",
    ".article__content",
    ".content-article",
    "article .content",
    "article",
    "main",
];

#[derive(Default, Debug)]
struct Declared {
    headline: String,
    published: Option<DateTime<Utc>>,
    modified: Option<DateTime<Utc>>,
    authors: Vec<String>,
    section: String,
    keywords: Vec<String>,
    description: String,
    url: String,
    image: String,
    image_caption: String,
}

fn sel(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

fn first_attr(doc: &Html, selector: &str, attr: &str) -> String {
    sel(selector)
        .and_then(|s| {
            doc.select(&s)
                .find_map(|e| e.value().attr(attr).map(str::to_owned))
        })
        .map(|v| v.trim().to_owned())
        .unwrap_or_default()
}

fn date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
        .or_else(|| {
            // `2020-02-12T17:00:00+0700` and `2020-02-12 17:00:00`
            chrono::DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z")
                .ok()
                .map(|d| d.with_timezone(&Utc))
        })
        .or_else(|| crate::date::parse_date_line(s, 7))
}

fn names(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(names).collect(),
        Value::Object(o) => o.get("name").map(names).unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn is_article(v: &Value) -> bool {
    let t = |s: &str| {
        matches!(
            s,
            "NewsArticle"
                | "Article"
                | "BlogPosting"
                | "ReportageNewsArticle"
                | "AnalysisNewsArticle"
        )
    };
    match v.get("@type") {
        Some(Value::String(s)) => t(s),
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str().is_some_and(t)),
        _ => false,
    }
}

fn find_article(v: &Value) -> Option<&Value> {
    if is_article(v) {
        return Some(v);
    }
    match v {
        Value::Array(a) => a.iter().find_map(find_article),
        Value::Object(o) => o.get("@graph").and_then(find_article),
        _ => None,
    }
}

fn declared(doc: &Html) -> Declared {
    let mut d = Declared::default();
    if let Some(s) = sel("script[type=\"application/ld+json\"]") {
        for script in doc.select(&s) {
            let Ok(v) = serde_json::from_str::<Value>(&script.text().collect::<String>()) else {
                continue;
            };
            let Some(a) = find_article(&v) else { continue };
            let text = |k: &str| {
                a.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .trim()
                    .to_owned()
            };
            d.headline = text("headline");
            d.published = date(&text("datePublished"));
            d.modified = date(&text("dateModified"));
            d.authors = a.get("author").map(names).unwrap_or_default();
            d.section = match a.get("articleSection") {
                Some(Value::Array(x)) => x.first().and_then(Value::as_str).unwrap_or("").to_owned(),
                Some(Value::String(x)) => x.clone(),
                _ => String::new(),
            };
            d.keywords = match a.get("keywords") {
                Some(Value::String(k)) => k.split(',').map(|x| x.trim().to_owned()).collect(),
                Some(Value::Array(k)) => k
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                _ => Vec::new(),
            };
            d.description = text("description");
            d.url = a
                .get("mainEntityOfPage")
                .and_then(|m| m.get("@id").or(Some(m)))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| text("url"));
            match a.get("image") {
                Some(Value::String(u)) => d.image = u.clone(),
                Some(Value::Array(x)) => {
                    if let Some(first) = x.first() {
                        d.image = first
                            .as_str()
                            .map(str::to_owned)
                            .or_else(|| first.get("url").and_then(Value::as_str).map(str::to_owned))
                            .unwrap_or_default();
                        d.image_caption = first
                            .get("caption")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned();
                    }
                }
                Some(o @ Value::Object(_)) => {
                    d.image = o
                        .get("url")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned();
                    d.image_caption = o
                        .get("caption")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned();
                }
                _ => {}
            }
            break;
        }
    }
    let meta = |p: &str| {
        first_attr(
            doc,
            &format!("meta[property=\"{p}\"], meta[name=\"{p}\"]"),
            "content",
        )
    };
    let or = |a: String, b: String| if a.is_empty() { b } else { a };
    d.headline = or(d.headline, meta("og:title"));
    if d.published.is_none() {
        d.published = date(&meta("article:published_time"))
            .or_else(|| date(&first_attr(doc, "time[datetime]", "datetime")));
    }
    if d.modified.is_none() {
        d.modified = date(&meta("article:modified_time"));
    }
    d.section = or(d.section, meta("article:section"));
    if d.keywords.is_empty()
        && let Some(s) = sel("meta[property=\"article:tag\"]")
    {
        d.keywords = doc
            .select(&s)
            .filter_map(|e| e.value().attr("content"))
            .map(|c| c.trim().to_owned())
            .collect();
    }
    if d.keywords.is_empty() {
        d.keywords = meta("keywords")
            .split(',')
            .map(|k| k.trim().to_owned())
            .filter(|k| !k.is_empty())
            .collect();
    }
    if d.authors.is_empty() {
        let a = or(meta("author"), meta("article:author"));
        if !a.is_empty() && !a.starts_with("http") {
            d.authors.push(a);
        }
    }
    d.description = or(
        d.description,
        or(meta("og:description"), meta("description")),
    );
    d.url = or(
        d.url,
        or(
            first_attr(doc, "link[rel=canonical]", "href"),
            meta("og:url"),
        ),
    );
    d.image = or(d.image, meta("og:image"));
    if d.headline.is_empty() {
        d.headline = sel("h1")
            .and_then(|s| doc.select(&s).next())
            .map(|h| h.text().collect::<String>())
            .or_else(|| {
                sel("title")
                    .and_then(|s| doc.select(&s).next())
                    .map(|t| t.text().collect())
            })
            .unwrap_or_default();
    }
    d.headline = warta_core::sanitize::clean_text(&d.headline);
    d
}

fn body_of(doc: &Html) -> Option<ElementRef<'_>> {
    for s in BODY_SELECTORS.iter().filter_map(|s| sel(s)) {
        if let Some(e) = doc.select(&s).max_by_key(|e| paragraph_text(*e))
            && paragraph_text(e) > 0
        {
            return Some(e);
        }
    }
    // No known container: the element whose own paragraphs hold the most text.
    let p = sel("p")?;
    let mut best: Option<(usize, ElementRef<'_>)> = None;
    for para in doc.select(&p) {
        if let Some(parent) = para.parent().and_then(ElementRef::wrap) {
            let n = paragraph_text(parent);
            if best.is_none_or(|(b, _)| n > b) {
                best = Some((n, parent));
            }
        }
    }
    best.map(|(_, e)| e)
}

fn paragraph_text(e: ElementRef<'_>) -> usize {
    e.children()
        .filter_map(ElementRef::wrap)
        .filter(|c| c.value().name() == "p")
        .map(|c| c.text().map(str::len).sum::<usize>())
        .sum()
}

/// Parses one saved page; the whole file is one article.
/// `https://host` of an absolute address.
fn origin_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    (host_end > 0).then(|| &url[..url.len() - rest.len() + host_end])
}

pub fn parse(path: &Path, text: &str) -> Record {
    match parse_page(path, text) {
        Ok(item) => Record::Article(Box::new(item)),
        Err(e) => Record::Failed(e),
    }
}

fn parse_page(path: &Path, text: &str) -> Result<ImportItem, RecordError> {
    let loc = Location::file(path);
    let doc = Html::parse_document(text);
    let d = declared(&doc);
    if d.headline.is_empty() {
        return Err(RecordError::new(
            loc,
            "no headline: no JSON-LD headline, og:title, <h1> or <title>",
        ));
    }
    let published = d.published.ok_or_else(|| {
        RecordError::new(
            loc.clone(),
            "no publication date: no JSON-LD datePublished, article:published_time or <time datetime>",
        )
    })?;
    let body_el =
        body_of(&doc).ok_or_else(|| RecordError::new(loc.clone(), "no article text found"))?;
    let mut media: Vec<NewMedia> = Vec::new();
    let mut refer = |m: NewMedia| -> i64 {
        media.push(m);
        -(media.len() as i64)
    };
    let mut body = Vec::new();
    let mut hero = None;
    let mut brand = String::new();
    let mut place = String::new();
    for piece in blocks::pieces(&body_el.inner_html()) {
        match piece {
            Piece::Photo(p) => {
                let mut m = blocks::media_for(&p);
                // A path on the page's own site: the address it had there.
                if m.file.starts_with('/')
                    && !m.file.starts_with("//")
                    && let Some(origin) = origin_of(&d.url)
                {
                    m.file = format!("{origin}{}", m.file);
                }
                // A photo before any text is the lead photo.
                if body.is_empty() && hero.is_none() {
                    hero = Some(refer(m));
                } else {
                    body.push(Block::Photo {
                        media_id: refer(m),
                        caption: String::new(),
                        credit: String::new(),
                    });
                }
            }
            Piece::Block(Block::Paragraph { html }) => {
                let t = html.to_text();
                if body.iter().all(|b| !matches!(b, Block::Paragraph { .. }))
                    && let Some((b, pl, rest)) = crate::text::split_dateline(&t)
                {
                    brand = b.to_owned();
                    place = pl.to_owned();
                    body.push(Block::Paragraph {
                        html: warta_core::sanitize::SafeHtml::from_text(rest),
                    });
                    continue;
                }
                body.push(Block::Paragraph { html });
            }
            Piece::Block(b) => body.push(b),
        }
    }
    if !body.iter().any(|b| matches!(b, Block::Paragraph { .. })) {
        return Err(RecordError::new(loc, "no article paragraphs found"));
    }
    if hero.is_none() && !d.image.is_empty() {
        let (caption, credit) = crate::text::split_credit(&d.image_caption)
            .map(|(c, cr)| (c.to_owned(), cr.to_owned()))
            .unwrap_or((d.image_caption.clone(), String::new()));
        hero = Some(refer(NewMedia {
            file: d.image.clone(),
            mime: String::new(),
            width: 0,
            height: 0,
            alt: String::new(),
            caption,
            credit,
            renditions: Vec::new(),
        }));
    }
    let authors: Vec<(String, String)> = d
        .authors
        .iter()
        .map(|n| (slugify(n), warta_core::sanitize::clean_text(n)))
        .filter(|(s, _)| !s.is_empty())
        .collect();
    let section = slugify(&d.section);
    let source = if d.url.is_empty() {
        format!(
            "html:{}",
            path.file_name()
                .map(|f| f.to_string_lossy())
                .unwrap_or_default()
        )
    } else {
        d.url.clone()
    };
    let legacy: Vec<String> = d
        .url
        .split_once("://")
        .and_then(|(_, r)| r.find('/').map(|i| r[i..].to_owned()))
        .filter(|p| p.len() > 1)
        .into_iter()
        .collect();
    let lede = if d.description.is_empty() {
        body.iter()
            .find_map(|b| match b {
                Block::Paragraph { html } => Some(html.to_text().chars().take(300).collect()),
                _ => None,
            })
            .unwrap_or_default()
    } else {
        warta_core::sanitize::clean_text(&d.description)
    };
    let mut write = ArticleWrite::new(ArticleInput {
        slug: None,
        headline: d.headline.clone(),
        lede,
        body,
        dateline_place: place,
        dateline_brand: brand,
        seo: Default::default(),
        section: section.clone(),
        tags: d
            .keywords
            .iter()
            .filter(|k| !slugify(k).is_empty())
            .map(|k| TagRef {
                kind: TagKind::Topic,
                name: k.clone(),
            })
            .collect(),
        authors: authors.iter().map(|(s, _)| s.clone()).collect(),
        hero_media_id: hero,
        status: Status::Published,
        sensitive: false,
        language: first_attr(&doc, "html", "lang")
            .split('-')
            .next()
            .filter(|l| !l.is_empty())
            .unwrap_or("id")
            .to_owned(),
        published_at: Some(published),
    });
    write.source_id = Some(source);
    write.legacy_paths = legacy;
    write.media = media;
    write.created_at = Some(published);
    write.updated_at = d.modified.filter(|m| *m > published);
    Ok(ImportItem {
        write,
        section_name: warta_core::sanitize::clean_text(&d.section),
        authors,
        location: loc,
        notes: Vec::new(),
        sticky: None,
        translation_of: None,
    })
}
