//! An export's reading of a SQLite site, with rusqlite on a thread of its own rather
//! than through sqlx: sqlx's SQLite driver hands each row from its worker thread to
//! the async side one at a time (a wake-up and a copy of every value per row), which
//! was most of an export's time. Here a plain connection steps through the rows, reads
//! each body straight out of SQLite's page (no copy of the compressed bytes), and
//! sends whole pages of articles. The statements are the same SQL as the sqlx path's;
//! the rows are put together by the same [`assemble`].
//!
//! Everything is read in one read transaction: the export is one snapshot of the
//! site, whatever a running server writes meanwhile.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row};
use tokio::sync::mpsc::Sender;
use warta_core::{Media, Section};

use super::{ArticleRow, FullArticle, PageBody, PageLinks, assemble};
use crate::rows::{MEDIA_COLUMNS, MediaRow};
use crate::{Result, StoreError};

/// Reads every article of the database at `path`, in id order, `page` at a time,
/// sending each page (or the first error, after which it stops) until the receiver
/// is dropped. Blocks: run it on a thread of its own.
pub(super) fn send_pages(
    path: &Path,
    page: usize,
    pass_json: bool,
    tx: &Sender<Result<Vec<FullArticle>>>,
) {
    if let Err(e) = read_pages(path, page, pass_json, tx) {
        // The receiver may be gone already; then nobody is waiting for the error.
        let _ = tx.blocking_send(Err(e));
    }
}

fn read_pages(
    path: &Path,
    page: usize,
    pass_json: bool,
    tx: &Sender<Result<Vec<FullArticle>>>,
) -> Result<()> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Pages come from the file's mapping instead of being copied out by read calls.
    conn.pragma_update(None, "mmap_size", 1i64 << 40)?;
    conn.execute_batch("BEGIN")?;
    let sections: HashMap<i64, Section> = conn
        .prepare("SELECT id, slug, name, position FROM sections")?
        .query_map([], |r| {
            Ok(Section {
                id: r.get(0)?,
                slug: r.get(1)?,
                name: r.get(2)?,
                position: r.get(3)?,
            })
        })?
        .map(|s| s.map(|s| (s.id, s)))
        .collect::<rusqlite::Result<_>>()?;
    let mut articles = conn.prepare(&format!(
        "SELECT {}, source_id FROM articles WHERE id > ?1 ORDER BY id LIMIT ?2",
        super::ARTICLE_COLUMNS
    ))?;
    let page_of = |sql: &str| sql.replace("{which}", "BETWEEN ?1 AND ?2");
    let mut tags = conn.prepare(&page_of(PageLinks::TAGS))?;
    let mut authors = conn.prepare(&page_of(PageLinks::AUTHORS))?;
    let mut paths = conn.prepare(&page_of(PageLinks::PATHS))?;
    let mut media_by_id =
        conn.prepare(&format!("SELECT {MEDIA_COLUMNS} FROM media WHERE id = ?1"))?;
    let mut after = 0i64;
    loop {
        let mut media: HashMap<i64, Media> = HashMap::new();
        let mut rows = Vec::with_capacity(page);
        let mut media_ids = Vec::new();
        let mut q = articles.query((after, page as i64))?;
        while let Some(r) = q.next()? {
            let (a, source_id, body) = article(r, pass_json)?;
            body.media_ids(a.hero_media_id, &mut media_ids);
            rows.push((a, source_id, body));
        }
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            return Ok(());
        };
        let (first, last) = (first.0.id, last.0.id);
        // Articles may share media: each is read once a page.
        for id in media_ids {
            if media.contains_key(&id) {
                continue;
            }
            let row = media_by_id
                .query_row([id], |r| {
                    Ok(MediaRow {
                        id: r.get(0)?,
                        file: r.get(1)?,
                        mime: r.get(2)?,
                        width: r.get(3)?,
                        height: r.get(4)?,
                        alt: r.get(5)?,
                        caption: r.get(6)?,
                        credit: r.get(7)?,
                        renditions: r.get(8)?,
                        focus_x: r.get(9)?,
                        focus_y: r.get(10)?,
                    })
                })
                .optional()?;
            if let Some(row) = row {
                media.insert(id, Media::try_from(row)?);
            }
        }
        let five = |r: &Row| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?));
        let links = PageLinks {
            tags: tags
                .query_map((first, last), five)?
                .collect::<rusqlite::Result<_>>()?,
            authors: authors
                .query_map((first, last), five)?
                .collect::<rusqlite::Result<_>>()?,
            paths: paths
                .query_map((first, last), |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?,
        };
        let done = rows.len() < page;
        let full = assemble(rows, &sections, links, &media)?;
        if tx.blocking_send(Ok(full)).is_err() || done {
            return Ok(());
        }
        after = last;
    }
}

/// One row of the article statement: the article (its stored body left empty), its
/// source identity and its body, read in place.
fn article(r: &Row, pass_json: bool) -> Result<(ArticleRow, Option<String>, PageBody)> {
    let id: i64 = r.get(0)?;
    let stored = match r.get_ref(4)? {
        ValueRef::Blob(b) | ValueRef::Text(b) => b,
        _ => return Err(StoreError::Corrupt(format!("article {id}: no body"))),
    };
    let body = PageBody::read(id, stored, pass_json)?;
    let a = ArticleRow {
        id,
        slug: r.get(1)?,
        headline: r.get(2)?,
        lede: r.get(3)?,
        body: Vec::new(),
        dateline_place: r.get(5)?,
        dateline_brand: r.get(6)?,
        section_id: r.get(7)?,
        hero_media_id: r.get(8)?,
        status: r.get(9)?,
        sensitive: r.get(10)?,
        language: r.get(11)?,
        published_at: r.get(12)?,
        updated_at: r.get(13)?,
        created_at: r.get(14)?,
        seo_title: r.get(15)?,
        seo_description: r.get(16)?,
        seo_canonical: r.get(17)?,
    };
    Ok((a, r.get(18)?, body))
}
