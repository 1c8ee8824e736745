//! WordPress exports (WXR, an RSS dialect), read as the WordPress Importer plugin reads
//! them. Posts become articles with their status, dates, category (the section), tags,
//! author, featured image (`_thumbnail_id`) and body; Yoast SEO's title and description
//! become the SEO fields; sticky posts are offered to the front page's headlines.
//! Attachments become media records (size from `_wp_attachment_metadata`, caption from
//! the excerpt, alt from `_wp_attachment_image_alt`, credit from the Media Credit
//! plugin's meta or the end of the caption). Published pages become the publication's
//! pages (a child page keeps its slug, or takes its parent's in front where two share
//! one). Private and password-protected posts come in as drafts; menu items, other post
//! types and comments are skipped and counted.
//!
//! XML entities: only the five predefined ones and character references are read;
//! entities declared in a DTD are never expanded, so an "entity bomb" is an error, not
//! a hang.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use quick_xml::Reader;
use quick_xml::events::Event;
use warta_core::slug::slugify;
use warta_core::{ArticleInput, Block, Locale, Status, TagKind, TagRef};
use warta_store::{ArticleWrite, NewMedia};

use crate::blocks::{self, FoundPhoto, Piece};
use crate::{ImportItem, Location, Record, RecordError};

/// An element of the document: enough of a tree for WXR's shallow structure.
#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<El>,
}

impl El {
    fn child(&self, name: &str) -> Option<&El> {
        self.children.iter().find(|c| c.name == name)
    }
    fn text_of(&self, name: &str) -> String {
        self.child(name)
            .map(|c| c.text.trim().to_owned())
            .unwrap_or_default()
    }
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

const MAX_DEPTH: usize = 64;

fn element(e: &quick_xml::events::BytesStart<'_>) -> El {
    let mut el = El {
        name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
        ..El::default()
    };
    for a in e.attributes().flatten() {
        let v = a
            .unescape_value()
            .map(|v| v.into_owned())
            .unwrap_or_default();
        el.attrs
            .push((String::from_utf8_lossy(a.key.as_ref()).into_owned(), v));
    }
    el
}

fn parse_tree(path: &Path, text: &str) -> Result<El, RecordError> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<El> = vec![El::default()];
    let at = |pos: usize, why: String| {
        RecordError::new(
            Location {
                element: Some(format!("byte {pos}")),
                ..Location::file(path)
            },
            why,
        )
    };
    loop {
        let pos = reader.buffer_position();
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                if stack.len() > MAX_DEPTH {
                    return Err(at(pos, "elements nested too deep".into()));
                }
                stack.push(element(&e));
            }
            Ok(Event::Empty(e)) => {
                let el = element(&e);
                if let Some(top) = stack.last_mut() {
                    top.children.push(el);
                }
            }
            Ok(Event::End(_)) => {
                if stack.len() < 2 {
                    return Err(at(pos, "a closing tag without an opening one".into()));
                }
                let el = stack.pop().unwrap_or_default();
                if let Some(top) = stack.last_mut() {
                    top.children.push(el);
                }
            }
            Ok(Event::Text(t)) => {
                let s = t.unescape().map_err(|e| {
                    at(
                        pos,
                        format!(
                            "unreadable text ({e}); only the predefined XML entities are accepted"
                        ),
                    )
                })?;
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&s);
                }
            }
            Ok(Event::CData(c)) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&c.into_inner()));
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(at(
                    reader.buffer_position(),
                    format!("not well-formed XML: {e}"),
                ));
            }
        }
    }
    if stack.len() != 1 {
        return Err(at(
            text.len(),
            "the file ends inside an element (truncated?)".into(),
        ));
    }
    Ok(stack.pop().unwrap_or_default())
}

/// Reads a WXR file into records, for a site in Indonesian.
pub fn parse(path: &Path, text: &str) -> Vec<Record> {
    parse_for(path, text, Locale::Id)
}

/// Reads a WXR file into records for a site in `locale` (the title given to untitled
/// posts).
pub fn parse_for(path: &Path, text: &str, locale: Locale) -> Vec<Record> {
    let untitled = locale.strings().untitled;
    let root = match parse_tree(path, text) {
        Ok(r) => r,
        Err(e) => return vec![Record::Failed(e)],
    };
    let Some(channel) = root.child("rss").and_then(|r| r.child("channel")) else {
        return vec![Record::Failed(RecordError::new(
            Location::file(path),
            "not a WordPress export: no <rss><channel>",
        ))];
    };
    let mut out = Vec::new();
    let site = channel.text_of("link");
    let site_name = clean(&channel.text_of("title"));
    let authors: HashMap<String, String> = channel
        .children
        .iter()
        .filter(|c| c.name == "wp:author")
        .map(|a| {
            (
                a.text_of("wp:author_login"),
                a.text_of("wp:author_display_name"),
            )
        })
        .collect();
    // Attachments first: posts refer to them by id.
    let mut media: HashMap<i64, NewMedia> = HashMap::new();
    let mut media_by_url: HashMap<String, i64> = HashMap::new();
    for item in channel.children.iter().filter(|c| c.name == "item") {
        if item.text_of("wp:post_type") != "attachment" {
            continue;
        }
        let Ok(id) = item.text_of("wp:post_id").parse::<i64>() else {
            continue;
        };
        let meta = postmeta(item);
        let url = item.text_of("wp:attachment_url");
        let excerpt = clean(&item.text_of("excerpt:encoded"));
        let (caption, mut credit) = crate::text::split_credit(&excerpt)
            .map(|(c, cr)| (c.to_owned(), cr.to_owned()))
            .unwrap_or((excerpt.clone(), String::new()));
        for key in ["_media_credit", "media_credit", "credit", "_credit"] {
            if let Some(c) = meta.get(key).filter(|c| !c.is_empty()) {
                credit = c.clone();
                break;
            }
        }
        media_by_url.insert(url.clone(), id);
        // The photo's size as WordPress measured it (PHP-serialised).
        let size = meta
            .get("_wp_attachment_metadata")
            .and_then(|m| crate::php::unserialize(m))
            .map(|m| {
                let dim = |k: &str| m.get(k).and_then(crate::php::Php::as_u32).unwrap_or(0);
                (dim("width"), dim("height"))
            })
            .unwrap_or((0, 0));
        media.insert(
            id,
            NewMedia {
                file: url,
                mime: item.text_of("wp:post_mime_type"),
                width: size.0,
                height: size.1,
                alt: meta
                    .get("_wp_attachment_image_alt")
                    .cloned()
                    .unwrap_or_default(),
                caption,
                credit,
                renditions: Vec::new(),
            },
        );
    }
    // Pages by id, for child pages (`/tentang-kami/redaksi/` on WordPress): a child
    // keeps its own slug, or takes its parent's before it where two pages share one.
    let page_items: Vec<&El> = channel
        .children
        .iter()
        .filter(|c| c.name == "item" && c.text_of("wp:post_type") == "page")
        .collect();
    let page_slugs: HashMap<String, String> = page_items
        .iter()
        .map(|p| (p.text_of("wp:post_id"), slugify(&p.text_of("wp:post_name"))))
        .collect();
    let mut slug_uses: HashMap<String, usize> = HashMap::new();
    for p in &page_items {
        *slug_uses
            .entry(slugify(&p.text_of("wp:post_name")))
            .or_default() += 1;
    }
    let parent_of = |item: &El| -> Option<String> {
        let own = slugify(&item.text_of("wp:post_name"));
        if slug_uses.get(&own).copied().unwrap_or(0) < 2 {
            return None;
        }
        page_slugs
            .get(&item.text_of("wp:post_parent"))
            .filter(|s| !s.is_empty())
            .cloned()
    };
    let mut guids: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (k, item) in channel
        .children
        .iter()
        .filter(|c| c.name == "item")
        .enumerate()
    {
        let post_id = item.text_of("wp:post_id");
        let loc = Location {
            element: Some(format!("item {} (post id {post_id})", k + 1)),
            ..Location::file(path)
        };
        let kind = item.text_of("wp:post_type");
        let comments = item
            .children
            .iter()
            .filter(|c| c.name == "wp:comment")
            .count();
        for _ in 0..comments {
            out.push(Record::Skipped {
                location: loc.clone(),
                reason: "comment (Warta imports no comments)".into(),
            });
        }
        match kind.as_str() {
            "post" => {}
            "attachment" => continue,
            "page" => {
                out.extend(page(item, &loc, untitled, parent_of(item)));
                continue;
            }
            "nav_menu_item" => {
                out.push(skip(&loc, "menu item"));
                continue;
            }
            other => {
                out.push(skip(&loc, &format!("post type `{other}`")));
                continue;
            }
        }
        out.push(
            match post(
                item,
                &loc,
                (&site, &site_name),
                &authors,
                (&media, &media_by_url),
                untitled,
            ) {
                Ok(Some(mut i)) => {
                    // Real exports repeat GUIDs: the later posts are known by their id.
                    if let Some(src) = i.write.source_id.clone()
                        && !guids.insert(src)
                    {
                        i.write.source_id = Some(format!("wxr:post:{post_id}"));
                        i.notes.push(format!(
                            "its GUID is also an earlier item's: identified by post id {post_id}"
                        ));
                    }
                    Record::Article(Box::new(i))
                }
                Ok(None) => skip(&loc, "post in the trash"),
                Err(why) => Record::Failed(RecordError::new(loc, why)),
            },
        );
    }
    out
}

fn skip(loc: &Location, reason: &str) -> Record {
    Record::Skipped {
        location: loc.clone(),
        reason: reason.into(),
    }
}

fn clean(s: &str) -> String {
    warta_core::sanitize::clean_text(&warta_core::sanitize::SafeHtml::sanitize(s).to_text())
}

fn postmeta(item: &El) -> HashMap<String, String> {
    item.children
        .iter()
        .filter(|c| c.name == "wp:postmeta")
        .map(|m| (m.text_of("wp:meta_key"), m.text_of("wp:meta_value")))
        .collect()
}

fn gmt(s: &str) -> Option<DateTime<Utc>> {
    if s.is_empty() || s.starts_with("0000") {
        return None;
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|n| Utc.from_utc_datetime(&n))
}

/// The SEO title or description Yoast SEO stored for a post (`_yoast_wpseo_title`,
/// `_yoast_wpseo_metadesc`), its snippet variables filled as Yoast fills them where
/// the export knows them (`%%title%%`, `%%sitename%%`, `%%sep%%`) and dropped
/// otherwise; empty when it comes to the headline itself. Cut to `max` characters.
fn yoast(raw: &str, title: &str, site_name: &str, max: usize) -> String {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(i) = rest.find("%%") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find("%%") {
            Some(j) => {
                out.push_str(match &after[..j] {
                    "title" => title,
                    "sitename" => site_name,
                    "sep" => "-",
                    _ => "",
                });
                rest = &after[j + 2..];
            }
            None => {
                rest = after;
                break;
            }
        }
    }
    out.push_str(rest);
    let cleaned = clean(&out);
    let mut text = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    // A separator left at either end by a dropped variable.
    let seps: &[char] = &['-', '|', '–', '—', '·', '•', ' '];
    text = text.trim_matches(seps).to_owned();
    if text == title {
        return String::new();
    }
    text.chars().take(max).collect()
}

fn post(
    item: &El,
    loc: &Location,
    (site, site_name): (&str, &str),
    authors: &HashMap<String, String>,
    (media, media_by_url): (&HashMap<i64, NewMedia>, &HashMap<String, i64>),
    untitled: &str,
) -> Result<Option<ImportItem>, String> {
    let status = match item.text_of("wp:status").as_str() {
        "publish" => Status::Published,
        "draft" | "auto-draft" => Status::Draft,
        "pending" => Status::InReview,
        "future" => Status::Scheduled,
        // Never published by an import: a private post was for its author's eyes.
        "private" => Status::Draft,
        "trash" => return Ok(None),
        other => return Err(format!("unknown post status `{other}`")),
    };
    // A post behind a password was not for every reader: a draft, said in the report.
    let mut notes = Vec::new();
    let status = if !item.text_of("wp:post_password").is_empty()
        && matches!(status, Status::Published | Status::Scheduled)
    {
        notes.push("password-protected: imported as a draft".to_owned());
        Status::Draft
    } else {
        if item.text_of("wp:status") == "private" {
            notes.push("private: imported as a draft".to_owned());
        }
        status
    };
    // WordPress allows a post without a title (it shows "(no title)").
    let mut title = clean(&item.text_of("title"));
    let is_untitled = title.is_empty();
    if is_untitled {
        title = untitled.to_owned();
    }
    let published = gmt(&item.text_of("wp:post_date_gmt"))
        .or_else(|| {
            DateTime::parse_from_rfc2822(&item.text_of("pubDate"))
                .ok()
                .map(|d| d.with_timezone(&Utc))
        })
        .or_else(|| {
            // Drafts carry only the local time; WordPress sites here are on WIB.
            NaiveDateTime::parse_from_str(&item.text_of("wp:post_date"), "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|n| Utc.from_utc_datetime(&(n - chrono::Duration::hours(7))))
        });
    if matches!(status, Status::Published | Status::Scheduled) && published.is_none() {
        return Err(
            "a published post without a readable date (wp:post_date_gmt or pubDate)".into(),
        );
    }
    let modified = gmt(&item.text_of("wp:post_modified_gmt"));
    let cats: Vec<&El> = item
        .children
        .iter()
        .filter(|c| c.name == "category")
        .collect();
    let section = cats
        .iter()
        .find(|c| c.attr("domain") == Some("category"))
        .map(|c| {
            let slug = c
                .attr("nicename")
                .map(slugify)
                .unwrap_or_else(|| slugify(&c.text));
            (slug, clean(&c.text))
        });
    let tags: Vec<TagRef> = cats
        .iter()
        .filter(|c| c.attr("domain") == Some("post_tag"))
        .map(|c| TagRef {
            kind: TagKind::Topic,
            name: clean(&c.text),
        })
        .filter(|t| !slugify(&t.name).is_empty())
        .collect();
    let login = item.text_of("dc:creator");
    let author_slug = slugify(&login);
    let author_name = authors
        .get(&login)
        .filter(|n| !n.is_empty())
        .cloned()
        .unwrap_or(login);

    // Body and media: local references -1, -2, … into `write.media`.
    let mut local: Vec<NewMedia> = Vec::new();
    let mut refer = |m: NewMedia| -> i64 {
        if let Some(i) = local.iter().position(|x| *x == m) {
            return -(i as i64) - 1;
        }
        local.push(m);
        -(local.len() as i64)
    };
    let meta = postmeta(item);
    let hero = meta
        .get("_thumbnail_id")
        .and_then(|id| id.parse::<i64>().ok())
        .and_then(|id| media.get(&id))
        .map(|m| refer(m.clone()));
    let mut body = Vec::new();
    for piece in blocks::pieces(&item.text_of("content:encoded")) {
        match piece {
            Piece::Block(b) => body.push(b),
            Piece::Photo(p) => {
                let m = resolve(&p, media, media_by_url);
                let (caption, credit) = if p.caption.is_empty() {
                    (String::new(), String::new())
                } else {
                    let own = blocks::media_for(&p);
                    (own.caption, own.credit)
                };
                body.push(Block::Photo {
                    media_id: refer(m),
                    caption,
                    credit,
                });
            }
        }
    }
    let lede = blocks::lede_or_first_paragraph(clean(&item.text_of("excerpt:encoded")), &body);
    let link = item.text_of("link");
    let mut legacy = Vec::new();
    if let Some(p) = path_of(&link, site) {
        legacy.push(p);
    }
    let post_id = item.text_of("wp:post_id");
    if !post_id.is_empty() && !legacy.contains(&format!("/?p={post_id}")) {
        legacy.push(format!("/?p={post_id}"));
    }
    let guid = item.text_of("guid");
    let source = if guid.is_empty() {
        format!("wxr:post:{post_id}")
    } else {
        format!("wxr:{guid}")
    };
    let mut slug = slugify(&item.text_of("wp:post_name"));
    if slug.is_empty() && is_untitled && !post_id.is_empty() {
        slug = slugify(&format!("{untitled} {post_id}"));
    }
    let (section_slug, section_name) = section.filter(|(s, _)| !s.is_empty()).unwrap_or_default();
    let seo = warta_core::Seo {
        title: meta
            .get("_yoast_wpseo_title")
            .map(|t| yoast(t, &title, site_name, warta_core::MAX_SEO_TITLE))
            .unwrap_or_default(),
        description: meta
            .get("_yoast_wpseo_metadesc")
            .map(|t| yoast(t, &title, site_name, warta_core::MAX_SEO_DESCRIPTION))
            .unwrap_or_default(),
        canonical: meta
            .get("_yoast_wpseo_canonical")
            .map(|c| blocks::canonical_elsewhere(c))
            .unwrap_or_default(),
    };
    let sticky =
        published.filter(|_| item.text_of("wp:is_sticky") == "1" && status == Status::Published);
    let mut write = ArticleWrite::new(ArticleInput {
        slug: (!slug.is_empty()).then_some(slug),
        headline: title,
        lede,
        body,
        dateline_place: String::new(),
        dateline_brand: String::new(),
        seo,
        section: section_slug,
        tags,
        authors: if author_slug.is_empty() {
            Vec::new()
        } else {
            vec![author_slug.clone()]
        },
        hero_media_id: hero,
        status,
        sensitive: false,
        language: "id".into(),
        published_at: published,
    });
    write.source_id = Some(source);
    write.slug_may_move = true;
    write.legacy_paths = legacy;
    write.media = local;
    write.created_at = published;
    write.updated_at = modified.filter(|m| published.is_some_and(|p| *m > p));
    Ok(Some(ImportItem {
        write,
        section_name,
        authors: if author_slug.is_empty() {
            Vec::new()
        } else {
            vec![(author_slug, author_name)]
        },
        location: loc.clone(),
        notes,
        translation_of: None,
        sticky,
    }))
}

/// A WordPress page: published ones become pages of the publication (`/{slug}`, in
/// the footer by `menu_order`); others are skipped and counted. Photos in a page are
/// left out (pages take no media from an export), and counted.
fn page(item: &El, loc: &Location, untitled: &str, parent: Option<String>) -> Vec<Record> {
    if item.text_of("wp:status") != "publish" || !item.text_of("wp:post_password").is_empty() {
        return vec![skip(loc, "WordPress page, not published")];
    }
    let mut title = clean(&item.text_of("title"));
    if title.is_empty() {
        title = untitled.to_owned();
    }
    let slug = match slugify(&item.text_of("wp:post_name")) {
        s if s.is_empty() => slugify(&title),
        s => s,
    };
    let slug = match parent {
        Some(p) => format!("{p}-{slug}"),
        None => slug,
    };
    let position = item.text_of("wp:menu_order").parse().unwrap_or(0);
    blocks::page_record(
        loc,
        blocks::pieces(&item.text_of("content:encoded")),
        (slug, title, position),
        "WordPress",
    )
}

fn resolve(
    p: &FoundPhoto,
    media: &HashMap<i64, NewMedia>,
    by_url: &HashMap<String, i64>,
) -> NewMedia {
    let known = p
        .attachment
        .and_then(|id| media.get(&id))
        .or_else(|| by_url.get(&p.src).and_then(|id| media.get(id)));
    match known {
        Some(m) => {
            let mut m = m.clone();
            if m.alt.is_empty() {
                m.alt = p.alt.clone();
            }
            m
        }
        None => blocks::media_for(p),
    }
}

/// The path of a post's old address on its own site (`/2020/02/12/slug/`).
fn path_of(link: &str, site: &str) -> Option<String> {
    let rest = link.split_once("://").map(|(_, r)| r)?;
    let path = rest.find('/').map(|i| &rest[i..])?;
    let _ = site;
    (path.len() > 1).then(|| path.to_owned())
}
