//! Ghost's JSON export (Ghost 5 and 6, and the older exports without `posts_meta`):
//! `{"db":[{"meta":{…},"data":{…}}]}` (or `{"meta":…,"data":…}`). Posts become
//! articles: the body from `lexical`, else `mobiledoc`, else `html` ([`body`] says which
//! card becomes which block); `custom_excerpt` the lede; the first public tag the
//! section and every public tag a tag (internal `#tags` are skipped); authors (with
//! their bio) from `posts_authors`; the feature image the hero, with its alt and
//! caption; `meta_title`, `meta_description` and `canonical_url` the SEO fields; the
//! old `/{slug}/`
//! address a redirect; `featured` posts join the front page's secondary headlines. `status` published, draft and scheduled keep
//! their meaning; a post for members only, or sent only by email, comes in as a draft,
//! named in the report. Pages (`type: "page"`) become the publication's pages.
//!
//! Ghost writes its own site's addresses as `__GHOST_URL__/…`: links become paths on
//! this site; photos there are brought in with `--media-from` (a copy of
//! `content/images`), and left out, with a note, without it.

mod body;

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;
use warta_core::slug::slugify;
use warta_core::{ArticleInput, Block, Locale, Status, TagKind, TagRef};
use warta_store::{ArticleWrite, NewMedia};

use crate::blocks::Piece;
use crate::{ImportItem, Location, Record, RecordError};

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// An id as text: Ghost's are strings (24 hex digits), older exports' numbers.
fn id(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// A time as Ghost writes it: ISO 8601 (`2023-01-02T03:04:05.000Z`), an SQL time
/// (`2023-01-02 03:04:05`, UTC) or milliseconds since 1970.
fn time(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    match v.get(key)? {
        Value::String(t) => DateTime::parse_from_rfc3339(t)
            .map(|d| d.with_timezone(&Utc))
            .ok()
            .or_else(|| {
                NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S")
                    .ok()
                    .map(|n| Utc.from_utc_datetime(&n))
            }),
        Value::Number(n) => n
            .as_i64()
            .and_then(|ms| Utc.timestamp_millis_opt(ms).single()),
        _ => None,
    }
}

fn truthy(v: &Value, key: &str) -> bool {
    match v.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        Some(Value::String(s)) => s == "1" || s == "true",
        _ => false,
    }
}

fn table<'a>(data: &'a Value, name: &str) -> &'a [Value] {
    data.get(name)
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
}

/// Rows of a link table (`posts_tags`, `posts_authors`) by post id, in `sort_order`.
fn links(data: &Value, name: &str, other: &str) -> HashMap<String, Vec<String>> {
    let mut by_post: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for row in table(data, name) {
        let order = row.get("sort_order").and_then(Value::as_i64).unwrap_or(0);
        by_post
            .entry(id(row, "post_id"))
            .or_default()
            .push((order, id(row, other)));
    }
    by_post
        .into_iter()
        .map(|(k, mut v)| {
            v.sort();
            (k, v.into_iter().map(|(_, id)| id).collect())
        })
        .collect()
}

struct Tag {
    name: String,
    slug: String,
}

struct Author {
    slug: String,
    name: String,
    bio: String,
}

/// Reads a Ghost export into records, for a site in `locale` (the title given to
/// untitled posts).
pub fn parse_for(path: &Path, text: &str, locale: Locale) -> Vec<Record> {
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return vec![Record::Failed(RecordError::new(
                Location::line(path, e.line()),
                format!("not readable JSON (column {}): {e}", e.column()),
            ))];
        }
    };
    let db = root
        .get("db")
        .and_then(Value::as_array)
        .and_then(|d| d.first())
        .unwrap_or(&root);
    let Some(data) = db.get("data").filter(|d| d.is_object()) else {
        return vec![Record::Failed(RecordError::new(
            Location::file(path),
            "not a Ghost export: no `db[0].data` (export the content from Ghost's Settings → Labs → Export)",
        ))];
    };
    let untitled = locale.strings().untitled;
    let tags: HashMap<String, Tag> = table(data, "tags")
        .iter()
        .filter(|t| s(t, "visibility") != "internal" && !s(t, "name").starts_with('#'))
        .filter_map(|t| {
            let name = warta_core::sanitize::clean_text(s(t, "name"));
            let slug = match slugify(s(t, "slug")) {
                x if x.is_empty() => slugify(&name),
                x => x,
            };
            (!slug.is_empty()).then(|| (id(t, "id"), Tag { name, slug }))
        })
        .collect();
    let users: HashMap<String, Author> = table(data, "users")
        .iter()
        .filter_map(|u| {
            let name = warta_core::sanitize::clean_text(s(u, "name"));
            let slug = match slugify(s(u, "slug")) {
                x if x.is_empty() => slugify(&name),
                x => x,
            };
            (!slug.is_empty()).then(|| {
                (
                    id(u, "id"),
                    Author {
                        slug,
                        name,
                        bio: warta_core::sanitize::clean_text(s(u, "bio")),
                    },
                )
            })
        })
        .collect();
    let post_tags = links(data, "posts_tags", "tag_id");
    let post_authors = links(data, "posts_authors", "author_id");
    let metas: HashMap<String, &Value> = table(data, "posts_meta")
        .iter()
        .map(|m| (id(m, "post_id"), m))
        .collect();

    let mut out = Vec::new();
    let mut authors_out: Vec<&Author> = Vec::new();
    for (k, post) in table(data, "posts").iter().enumerate() {
        let post_id = id(post, "id");
        let loc = Location {
            element: Some(format!("posts[{k}] (id {post_id})")),
            ..Location::file(path)
        };
        let meta = metas.get(&post_id).copied();
        let is_page = s(post, "type") == "page" || truthy(post, "page");
        let kind = match s(post, "type") {
            "" | "post" | "page" => "",
            other => other,
        };
        if !kind.is_empty() {
            out.push(skip(&loc, &format!("Ghost post type `{kind}`")));
            continue;
        }
        let (body, dropped) = read_body(post);
        let mut notes: Vec<String> = dropped
            .iter()
            .map(|(card, n)| format!("{n} Ghost card(s) `{card}` left out"))
            .collect();
        if is_page {
            out.extend(page(post, &loc, untitled, body));
            continue;
        }
        let authors: Vec<&Author> = post_authors
            .get(&post_id)
            .cloned()
            .unwrap_or_else(|| vec![id(post, "author_id")])
            .iter()
            .filter_map(|a| users.get(a))
            .collect();
        for &a in &authors {
            if !authors_out.iter().any(|x| x.slug == a.slug) {
                authors_out.push(a);
            }
        }
        let these_tags: Vec<&Tag> = post_tags
            .get(&post_id)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|t| tags.get(t))
            .collect();
        match post_item(
            post,
            meta,
            &loc,
            untitled,
            body,
            &authors,
            &these_tags,
            &mut notes,
        ) {
            Ok(mut item) => {
                item.notes = notes;
                out.push(Record::Article(Box::new(item)));
            }
            Err(why) => out.push(Record::Failed(RecordError::new(loc, why))),
        }
    }
    // Authors first, with their bio: the articles only name them.
    let mut records: Vec<Record> = authors_out
        .into_iter()
        .map(|a| Record::Author {
            slug: a.slug.clone(),
            name: a.name.clone(),
            bio: a.bio.clone(),
        })
        .collect();
    records.extend(out);
    records
}

fn skip(loc: &Location, reason: &str) -> Record {
    Record::Skipped {
        location: loc.clone(),
        reason: reason.into(),
    }
}

/// The body in the richest form the export holds.
fn read_body(post: &Value) -> (Vec<Piece>, std::collections::BTreeMap<String, usize>) {
    let read = body::lexical(s(post, "lexical")).or_else(|| body::mobiledoc(s(post, "mobiledoc")));
    match read {
        Some(b) => (b.pieces, b.dropped),
        None => (crate::blocks::pieces(s(post, "html")), Default::default()),
    }
}

/// A photo of a body or the feature image as a media record: the address as Ghost
/// wrote it (`__GHOST_URL__/content/images/…` for its own; `--media-from` brings those).
fn media(src: &str, alt: &str, caption: &str) -> NewMedia {
    let caption = warta_core::sanitize::clean_text(
        &warta_core::sanitize::SafeHtml::sanitize(caption).to_text(),
    );
    let (caption, credit) = crate::text::split_credit(&caption)
        .map(|(c, cr)| (c.to_owned(), cr.to_owned()))
        .unwrap_or((caption.clone(), String::new()));
    NewMedia {
        file: src.to_owned(),
        mime: String::new(),
        width: 0,
        height: 0,
        alt: warta_core::sanitize::clean_text(alt),
        caption,
        credit,
        renditions: Vec::new(),
    }
}

/// The pieces as blocks, photos as local media references (-1, -2, …).
fn blocks_of(pieces: Vec<Piece>, local: &mut Vec<NewMedia>) -> Vec<Block> {
    let mut out = Vec::with_capacity(pieces.len());
    for p in pieces {
        match p {
            Piece::Block(b) => out.push(b),
            Piece::Photo(f) => {
                let m = media(&f.src, &f.alt, "");
                let (caption, credit) = match crate::text::split_credit(&f.caption) {
                    Some((c, cr)) => (c.to_owned(), cr.to_owned()),
                    None => (f.caption.clone(), String::new()),
                };
                out.push(Block::Photo {
                    media_id: refer(local, m),
                    caption,
                    credit,
                });
            }
        }
    }
    out
}

fn refer(local: &mut Vec<NewMedia>, m: NewMedia) -> i64 {
    if let Some(i) = local.iter().position(|x| *x == m) {
        return -(i as i64) - 1;
    }
    local.push(m);
    -(local.len() as i64)
}

/// A field of the post's `posts_meta` row (Ghost 5 and 6), or of the post itself
/// (older exports kept them there).
fn meta_field<'a>(post: &'a Value, meta: Option<&'a Value>, key: &str) -> &'a str {
    match meta.map(|m| s(m, key)).filter(|v| !v.is_empty()) {
        Some(v) => v,
        None => s(post, key),
    }
}

#[allow(clippy::too_many_arguments)]
fn post_item(
    post: &Value,
    meta: Option<&Value>,
    loc: &Location,
    untitled: &str,
    pieces: Vec<Piece>,
    authors: &[&Author],
    tags: &[&Tag],
    notes: &mut Vec<String>,
) -> Result<ImportItem, String> {
    let post_id = id(post, "id");
    let mut status = match s(post, "status") {
        "published" => Status::Published,
        "draft" | "" => Status::Draft,
        "scheduled" => Status::Scheduled,
        "sent" => {
            notes.push("sent by email only, never on the web: imported as a draft".into());
            Status::Draft
        }
        other => return Err(format!("unknown post status `{other}`")),
    };
    let visibility = s(post, "visibility");
    if !matches!(visibility, "" | "public") && status != Status::Draft {
        notes.push(format!(
            "for Ghost members only (visibility `{visibility}`): imported as a draft"
        ));
        status = Status::Draft;
    }
    let mut headline = warta_core::sanitize::clean_text(s(post, "title"));
    let untitled_post = headline.is_empty();
    if untitled_post {
        headline = untitled.to_owned();
    }
    let published = time(post, "published_at");
    if matches!(status, Status::Published | Status::Scheduled) && published.is_none() {
        return Err("a published or scheduled post without a readable `published_at`".into());
    }
    let mut local = Vec::new();
    let feature = s(post, "feature_image");
    let hero = (!feature.is_empty()).then(|| {
        let m = media(
            feature,
            meta_field(post, meta, "feature_image_alt"),
            meta_field(post, meta, "feature_image_caption"),
        );
        refer(&mut local, m)
    });
    let body = blocks_of(pieces, &mut local);
    let lede = crate::blocks::lede_or_first_paragraph(
        warta_core::sanitize::clean_text(s(post, "custom_excerpt")),
        &body,
    );
    let cut = |v: &str, max: usize| -> String {
        warta_core::sanitize::clean_text(v)
            .chars()
            .take(max)
            .collect()
    };
    let seo = warta_core::Seo {
        title: cut(
            meta_field(post, meta, "meta_title"),
            warta_core::MAX_SEO_TITLE,
        ),
        description: cut(
            meta_field(post, meta, "meta_description"),
            warta_core::MAX_SEO_DESCRIPTION,
        ),
        canonical: crate::blocks::canonical_elsewhere(meta_field(post, meta, "canonical_url")),
    };
    let mut slug = slugify(s(post, "slug"));
    if slug.is_empty() && untitled_post && !post_id.is_empty() {
        slug = slugify(&format!("{untitled} {post_id}"));
    }
    let (section, section_name) = tags
        .first()
        .map(|t| (t.slug.clone(), t.name.clone()))
        .unwrap_or_default();
    let legacy = if s(post, "slug").is_empty() {
        Vec::new()
    } else {
        vec![format!("/{}/", s(post, "slug"))]
    };
    let mut write = ArticleWrite::new(ArticleInput {
        slug: (!slug.is_empty()).then_some(slug),
        headline,
        lede,
        body,
        dateline_place: String::new(),
        dateline_brand: String::new(),
        seo,
        section,
        tags: tags
            .iter()
            .map(|t| TagRef {
                kind: TagKind::Topic,
                name: t.name.clone(),
            })
            .collect(),
        authors: authors.iter().map(|a| a.slug.clone()).collect(),
        hero_media_id: hero,
        status,
        sensitive: false,
        language: "id".into(),
        published_at: published,
    });
    let uuid = s(post, "uuid");
    write.source_id = Some(if uuid.is_empty() {
        format!("ghost:post:{post_id}")
    } else {
        format!("ghost:{uuid}")
    });
    write.slug_may_move = true;
    write.legacy_paths = legacy;
    write.media = local;
    write.created_at = published.or_else(|| time(post, "created_at"));
    write.updated_at = time(post, "updated_at").filter(|u| published.is_some_and(|p| *u > p));
    let sticky = published.filter(|_| truthy(post, "featured") && status == Status::Published);
    Ok(ImportItem {
        write,
        section_name,
        authors: authors
            .iter()
            .map(|a| (a.slug.clone(), a.name.clone()))
            .collect(),
        location: loc.clone(),
        notes: Vec::new(),
        translation_of: None,
        sticky,
    })
}

/// A Ghost page: published ones become pages of the publication.
fn page(post: &Value, loc: &Location, untitled: &str, pieces: Vec<Piece>) -> Vec<Record> {
    if s(post, "status") != "published" || !matches!(s(post, "visibility"), "" | "public") {
        return vec![skip(loc, "Ghost page, not published to everyone")];
    }
    let mut title = warta_core::sanitize::clean_text(s(post, "title"));
    if title.is_empty() {
        title = untitled.to_owned();
    }
    let slug = match slugify(s(post, "slug")) {
        x if x.is_empty() => slugify(&title),
        x => x,
    };
    crate::blocks::page_record(loc, pieces, (slug, title, 0), "Ghost")
}
