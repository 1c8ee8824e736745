//! The one write path for articles. Creating an article in the newsroom, editing it,
//! and importing a hundred thousand of them all go through [`Writer::write`]: a batch
//! of articles written with multi-row statements inside one transaction, each batch in
//! a savepoint so that a failed batch leaves nothing behind. Every article written gets
//! a `changes` row in the same transaction, which is how search and related lists hear
//! of it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use warta_core::slug::slugify;
use warta_core::{ArticleInput, Block, Status, ValidationError};

use crate::articles::{ARTICLE_COLUMNS, ArticleRow};
use crate::catalog::NewMedia;
use crate::db::{Conn, Tx, on_conn};
use crate::rows::from_time;
use crate::{Result, Store, StoreError};

/// One article to write.
#[derive(Debug, Clone)]
pub struct ArticleWrite {
    pub input: ArticleInput,
    /// Replace this article. Without it, an article with the same `source_id` is
    /// replaced, and otherwise a new one is created.
    pub id: Option<i64>,
    /// A stable identity in the system the article came from (URL, GUID, id).
    pub source_id: Option<String>,
    /// Paths the article had on an old site; Warta redirects them to it.
    pub legacy_paths: Vec<String>,
    /// Media to record with the article. `input.hero_media_id` and photo blocks'
    /// `media_id` point at these with negative numbers: -1 is the first, -2 the second.
    /// Identical records (same file, caption, credit and alt) are stored once.
    pub media: Vec<NewMedia>,
    /// Times kept from the source instead of stamping "now".
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    /// When nothing matches by id or source id, replace the article with the same
    /// slug (Warta's own exports, whose slugs are their identity).
    pub match_slug: bool,
    /// Lets a published article take a new slug (an editor's choice in the newsroom,
    /// who also adds the old address to `legacy_paths`). Without it a published
    /// article keeps its address: an import never moves one by accident.
    pub readdress: bool,
    /// A slug the source gave that another article already holds becomes `{slug}-2`,
    /// `-3`… instead of refusing the write (WordPress keeps two posts of one
    /// `post_name` apart; their old addresses still lead to each).
    pub slug_may_move: bool,
    /// Set by [`ArticleWrite::prepare`].
    prepared: Option<Prepared>,
}

/// What [`ArticleWrite::prepare`] did: the input was checked and cleaned, and the body
/// encoded if no photo in it still waits for its media id.
#[derive(Debug, Clone)]
enum Prepared {
    Ready(Option<Vec<u8>>),
    Invalid(ValidationError),
}

impl ArticleWrite {
    pub fn new(input: ArticleInput) -> ArticleWrite {
        ArticleWrite {
            input,
            id: None,
            source_id: None,
            legacy_paths: Vec::new(),
            media: Vec::new(),
            created_at: None,
            updated_at: None,
            match_slug: false,
            readdress: false,
            slug_may_move: false,
            prepared: None,
        }
    }

    /// Does the part of a write that needs no database (checking and cleaning the
    /// input, encoding the body), so that a bulk writer can run it on another thread
    /// while the store writes the batch before. Optional: [`Writer::write`] does what
    /// was not done. A problem found here is reported by `write`, at this article.
    pub fn prepare(&mut self) {
        if self.prepared.is_some() {
            return;
        }
        self.prepared = Some(match self.input.normalize_in_place() {
            Ok(()) => {
                let waits_for_media = self
                    .input
                    .body
                    .iter()
                    .any(|b| matches!(b, Block::Photo { media_id, .. } if *media_id < 0));
                Prepared::Ready(if waits_for_media {
                    None
                } else {
                    crate::body::encode(&self.input.body).ok()
                })
            }
            Err(e) => Prepared::Invalid(e),
        });
    }
}

/// What happened to one article of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created(i64),
    Updated(i64),
    /// An import gave an article exactly as it is stored: nothing was written, and no
    /// change is logged (a re-imported archive must not flood webhooks and purges).
    Unchanged(i64),
}

impl Outcome {
    pub fn id(self) -> i64 {
        match self {
            Outcome::Created(id) | Outcome::Updated(id) | Outcome::Unchanged(id) => id,
        }
    }
}

/// A batch that was not written. `index` names the article at fault when it is known
/// (validation, a missing section); nothing of the batch was written either way.
#[derive(Debug, thiserror::Error)]
#[error("{}{error}", index.map(|i| format!("article {}: ", i + 1)).unwrap_or_default())]
pub struct BatchError {
    pub index: Option<usize>,
    #[source]
    pub error: StoreError,
}

impl From<StoreError> for BatchError {
    fn from(error: StoreError) -> BatchError {
        BatchError { index: None, error }
    }
}

impl From<sqlx::Error> for BatchError {
    fn from(e: sqlx::Error) -> BatchError {
        BatchError {
            index: None,
            error: e.into(),
        }
    }
}

type MediaKey = (String, String, String, String);

/// A write transaction with caches of what it has looked up. Nothing is visible to
/// readers until [`Writer::commit`]; dropping it rolls everything back.
pub struct Writer {
    pub(crate) tx: Tx,
    pub(crate) now: DateTime<Utc>,
    /// Batches without savepoints: faster, but a failed batch spoils the whole
    /// transaction (it can then only be rolled back).
    all_or_nothing: bool,
    poisoned: bool,
    sections: HashMap<String, i64>,
    authors: HashMap<String, i64>,
    tags: HashMap<String, i64>,
    media: HashMap<MediaKey, i64>,
    /// Articles written or deleted: cached related blocks showing them are forgotten
    /// at commit.
    pub(crate) touched: Vec<i64>,
    related_cache: std::sync::Arc<crate::related_cache::RelatedCache>,
}

/// Rows per multi-row statement (twice as many for the three-column link tables). Each
/// statement is a round trip to the database's thread, which waits meanwhile: a bulk
/// import with 200 ran that thread a fifth idle. 500 articles of 19 columns are 9,500
/// parameters, well under SQLite's 32,766 and PostgreSQL's 65,535.
const CHUNK: usize = 500;

impl Store {
    pub async fn writer(&self, now: DateTime<Utc>) -> Result<Writer> {
        Ok(Writer {
            tx: self.begin_write().await?,
            now,
            all_or_nothing: false,
            poisoned: false,
            sections: HashMap::new(),
            authors: HashMap::new(),
            tags: HashMap::new(),
            media: HashMap::new(),
            touched: Vec::new(),
            related_cache: self.related_cache.clone(),
        })
    }
}

/// What a batch looked up before writing, per article.
struct Resolved {
    section_id: i64,
    author_ids: Vec<i64>,
    tag_slugs: Vec<String>,
    body: Vec<u8>,
    existing: Option<Existing>,
}

#[derive(Clone)]
struct Existing {
    id: i64,
    slug: String,
    was_public: bool,
    /// Readers may know its address: published, or published once and taken down.
    was_seen: bool,
    published_at: Option<i64>,
    updated_at: Option<i64>,
    created_at: i64,
}

impl Writer {
    /// For runs that stop at the first failure anyway (an import without
    /// `--keep-going`): batches skip their savepoint, and after a failed batch the
    /// writer refuses to commit.
    pub fn all_or_nothing(&mut self) {
        self.all_or_nothing = true;
    }

    pub async fn commit(mut self) -> Result<()> {
        if self.poisoned {
            self.tx.rollback().await?;
            return Err(StoreError::Corrupt(
                "a batch failed in an all-or-nothing write; everything was rolled back".into(),
            ));
        }
        reset_cache(&mut self.tx).await?;
        self.tx.commit().await?;
        self.related_cache.forget(&self.touched);
        Ok(())
    }

    pub async fn rollback(mut self) -> Result<()> {
        reset_cache(&mut self.tx).await?;
        self.tx.rollback().await?;
        Ok(())
    }

    /// Counts a change to what every page shows (a section's name in every page's
    /// navigation), in this transaction.
    async fn bump_site(&mut self) -> Result<()> {
        on_conn!(&mut self.tx.conn(), |c, _b| {
            sqlx::query(crate::catalog::BUMP_SITE)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Creates the section if it does not exist (an existing one keeps its name).
    pub async fn ensure_section(&mut self, slug: &str, name: &str) -> Result<i64> {
        crate::catalog::check_section_slug(slug)?;
        if let Some(id) = self.sections.get(slug) {
            return Ok(*id);
        }
        self.check_no_page(slug).await?;
        let inserted = on_conn!(&mut self.tx.conn(), |c, b| {
            sqlx::query(&b.sql(
                "INSERT INTO sections (slug, name, position) VALUES (?, ?, \
             (SELECT coalesce(max(position), 0) + 1 FROM sections)) ON CONFLICT (slug) DO NOTHING",
            ))
            .bind(slug)
            .bind(warta_core::sanitize::clean_text(name))
            .execute(c)
            .await
            .map(|r| r.rows_affected())
        })?;
        if inserted > 0 {
            self.bump_site().await?;
        }
        // Found now, created or not; `lookup` also remembers it.
        lookup(
            &mut self.tx.conn(),
            &mut self.sections,
            "sections",
            "section",
            slug,
        )
        .await
    }

    /// Lets this transaction keep up to `mib` MiB of pages in memory (bulk imports
    /// write far more than the default page cache holds, and spilling dirty pages
    /// mid-transaction costs a third of the time). Reset when the writer finishes.
    pub async fn bulk_cache(&mut self, mib: u32) -> Result<()> {
        // PostgreSQL sizes its buffers for the whole server; nothing to do there.
        if let Tx::Sqlite(tx) = &mut self.tx {
            sqlx::query(&format!("PRAGMA cache_size = -{}", u64::from(mib) * 1024))
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// A section's slug must not be a page of the publication's (one namespace).
    async fn check_no_page(&mut self, slug: &str) -> Result<()> {
        let (n,): (i64,) = on_conn!(&mut self.tx.conn(), |c, b| {
            sqlx::query_as(&b.sql("SELECT count(*) FROM pages WHERE slug = ?"))
                .bind(slug)
                .fetch_one(c)
                .await
        })?;
        if n > 0 {
            return Err(StoreError::Invalid(warta_core::ValidationError::Invalid {
                field: "section",
                reason: warta_core::Reason::ReservedSlug(slug.to_owned()),
            }));
        }
        Ok(())
    }

    /// Creates or replaces a section as given (Warta's own exports carry all of it).
    pub async fn put_section(&mut self, slug: &str, name: &str, position: i64) -> Result<i64> {
        crate::catalog::check_section_slug(slug)?;
        self.check_no_page(slug).await?;
        let (id,): (i64,) = on_conn!(&mut self.tx.conn(), |c, b| {
            sqlx::query_as(&b.sql(
                "INSERT INTO sections (slug, name, position) VALUES (?, ?, ?) \
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, position = excluded.position \
             RETURNING id",
            ))
            .bind(slug)
            .bind(warta_core::sanitize::clean_text(name))
            .bind(position)
            .fetch_one(c)
            .await
        })?;
        self.bump_site().await?;
        self.sections.insert(slug.to_owned(), id);
        Ok(id)
    }

    /// Creates or replaces an author as given.
    pub async fn put_author(&mut self, slug: &str, name: &str, bio: &str) -> Result<i64> {
        crate::catalog::check_slug("author", slug)?;
        let (id,): (i64,) = on_conn!(&mut self.tx.conn(), |c, b| {
            sqlx::query_as(&b.sql(
                "INSERT INTO authors (slug, name, bio) VALUES (?, ?, ?) \
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, bio = excluded.bio \
             RETURNING id",
            ))
            .bind(slug)
            .bind(warta_core::sanitize::clean_text(name))
            .bind(warta_core::sanitize::clean_text(bio))
            .fetch_one(c)
            .await
        })?;
        self.authors.insert(slug.to_owned(), id);
        Ok(id)
    }

    /// Creates the author if it does not exist (an existing one keeps its name).
    pub async fn ensure_author(&mut self, slug: &str, name: &str) -> Result<i64> {
        crate::catalog::check_slug("author", slug)?;
        if let Some(id) = self.authors.get(slug) {
            return Ok(*id);
        }
        on_conn!(&mut self.tx.conn(), |c, b| {
            sqlx::query(&b.sql(
                "INSERT INTO authors (slug, name, bio) VALUES (?, ?, '') \
                 ON CONFLICT (slug) DO NOTHING",
            ))
            .bind(slug)
            .bind(warta_core::sanitize::clean_text(name))
            .execute(c)
            .await
            .map(|r| r.rows_affected())
        })?;
        lookup(
            &mut self.tx.conn(),
            &mut self.authors,
            "authors",
            "author",
            slug,
        )
        .await
    }

    /// Writes a batch: all of it, or (on error) none of it.
    pub async fn write(
        &mut self,
        items: Vec<ArticleWrite>,
    ) -> std::result::Result<Vec<Outcome>, BatchError> {
        if self.poisoned {
            return Err(StoreError::Corrupt(
                "an earlier batch failed in an all-or-nothing write".into(),
            )
            .into());
        }
        if self.all_or_nothing {
            let mut caches = Caches {
                sections: &mut self.sections,
                authors: &mut self.authors,
                tags: &mut self.tags,
                media: &mut self.media,
            };
            let result = write_batch(&mut self.tx.conn(), &mut caches, items, self.now).await;
            self.poisoned = result.is_err();
            if let Ok(out) = &result {
                self.touched.extend(out.iter().map(|o| o.id()));
            }
            return result;
        }
        let before = (
            self.sections.clone(),
            self.authors.clone(),
            self.tags.len(),
            self.media.len(),
        );
        let mut sp = self.tx.savepoint().await?;
        let mut caches = Caches {
            sections: &mut self.sections,
            authors: &mut self.authors,
            tags: &mut self.tags,
            media: &mut self.media,
        };
        let result = write_batch(&mut sp.conn(), &mut caches, items, self.now).await;
        match result {
            Ok(out) => {
                sp.commit().await?;
                self.touched.extend(out.iter().map(|o| o.id()));
                Ok(out)
            }
            Err(e) => {
                sp.rollback().await?;
                // What the failed batch added to the caches was rolled back with it.
                self.sections = before.0;
                self.authors = before.1;
                if self.tags.len() != before.2 {
                    self.tags.clear();
                }
                if self.media.len() != before.3 {
                    self.media.clear();
                }
                Err(e)
            }
        }
    }

    /// Records a deletion.
    pub async fn delete(&mut self, id: i64) -> Result<()> {
        let done = on_conn!(&mut self.tx.conn(), |c, b| {
            sqlx::query(&b.sql("DELETE FROM articles WHERE id = ?"))
                .bind(id)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        if done == 0 {
            return Err(StoreError::NotFound {
                what: "article",
                key: id.to_string(),
            });
        }
        on_conn!(&mut self.tx.conn(), |c, b| {
            sqlx::query(
                &b.sql("INSERT INTO changes (article_id, kind, at) VALUES (?, 'delete', ?)"),
            )
            .bind(id)
            .bind(from_time(self.now))
            .execute(c)
            .await
            .map(|r| r.rows_affected())
        })?;
        self.touched.push(id);
        Ok(())
    }
}

async fn reset_cache(tx: &mut Tx) -> Result<()> {
    if let Tx::Sqlite(tx) = tx {
        sqlx::query(&format!("PRAGMA cache_size = {}", crate::SQLITE_CACHE_SIZE))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

struct Caches<'a> {
    sections: &'a mut HashMap<String, i64>,
    authors: &'a mut HashMap<String, i64>,
    tags: &'a mut HashMap<String, i64>,
    media: &'a mut HashMap<MediaKey, i64>,
}

fn at(index: usize) -> impl FnOnce(StoreError) -> BatchError {
    move |error| BatchError {
        index: Some(index),
        error,
    }
}

async fn write_batch(
    conn: &mut Conn<'_>,
    caches: &mut Caches<'_>,
    items: Vec<ArticleWrite>,
    now: DateTime<Utc>,
) -> std::result::Result<Vec<Outcome>, BatchError> {
    let mut items = items;
    // 1. Validate and clean every article first: a bad one stops the batch before
    //    anything is written.
    let mut encoded: Vec<Option<Vec<u8>>> = Vec::with_capacity(items.len());
    for (i, item) in items.iter_mut().enumerate() {
        match item.prepared.take() {
            Some(Prepared::Ready(body)) => encoded.push(body),
            Some(Prepared::Invalid(e)) => return Err(at(i)(e.into())),
            None => {
                let input = std::mem::replace(&mut item.input, empty_input());
                item.input = input.normalize().map_err(|e| at(i)(e.into()))?;
                encoded.push(None);
            }
        }
        for path in &item.legacy_paths {
            if !path.starts_with('/') || path.len() > 2000 {
                return Err(at(i)(
                    ValidationError::Invalid {
                        field: "legacy_paths",
                        reason: warta_core::Reason::NotAbsolutePath(path.clone()),
                    }
                    .into(),
                ));
            }
        }
    }
    // 2. Media, sections, authors, tags: from the caches, else looked up in bulk.
    write_media(conn, caches, &mut items).await?;
    let mut resolved = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let section_id = lookup(
            conn,
            caches.sections,
            "sections",
            "section",
            &item.input.section,
        )
        .await
        .map_err(at(i))?;
        let mut author_ids = Vec::with_capacity(item.input.authors.len());
        for slug in &item.input.authors {
            let id = lookup(conn, caches.authors, "authors", "author", slug)
                .await
                .map_err(at(i))?;
            if !author_ids.contains(&id) {
                author_ids.push(id);
            }
        }
        let mut tag_slugs: Vec<String> = Vec::with_capacity(item.input.tags.len());
        for tag in &item.input.tags {
            let slug = slugify(&tag.name);
            if slug.is_empty() {
                return Err(at(i)(
                    ValidationError::Invalid {
                        field: "tags",
                        reason: warta_core::Reason::TagWithoutLetters(tag.name.clone()),
                    }
                    .into(),
                ));
            }
            if !tag_slugs.contains(&slug) {
                tag_slugs.push(slug);
            }
        }
        let body = match encoded[i].take() {
            Some(body) => body,
            None => crate::body::encode(&item.input.body).map_err(at(i))?,
        };
        resolved.push(Resolved {
            section_id,
            author_ids,
            tag_slugs,
            body,
            existing: None,
        });
    }
    ensure_tags(conn, caches, &items).await?;
    find_existing(conn, &items, &mut resolved).await?;

    // 3. Slugs for new articles: unique in the store and within the batch.
    let mut taken_in_batch: HashSet<String> = resolved
        .iter()
        .filter_map(|r| r.existing.as_ref().map(|e| e.slug.clone()))
        .collect();
    let mut new_slugs: Vec<Option<String>> = vec![None; items.len()];
    let candidates: Vec<String> = items
        .iter()
        .zip(&resolved)
        .filter(|(_, r)| r.existing.is_none())
        .map(|(it, _)| base_slug(&it.input))
        .collect();
    let mut in_store = slugs_in_store(conn, &candidates).await?;
    for (i, (item, r)) in items.iter().zip(&resolved).enumerate() {
        if r.existing.is_some() {
            continue;
        }
        let base = base_slug(&item.input);
        let slug = if item.input.slug.is_some() && !item.slug_may_move {
            if in_store.contains(&base) || taken_in_batch.contains(&base) {
                return Err(at(i)(StoreError::SlugTaken(base)));
            }
            base
        } else {
            let mut n = 1;
            let mut candidate = base.clone();
            loop {
                if !taken_in_batch.contains(&candidate) {
                    if !in_store.contains(&candidate) && !slug_in_store(conn, &candidate, n).await?
                    {
                        break;
                    }
                    in_store.insert(candidate.clone());
                }
                n += 1;
                if n > 10_000 {
                    return Err(at(i)(StoreError::SlugTaken(base)));
                }
                candidate = format!("{base}-{n}");
            }
            candidate
        };
        taken_in_batch.insert(slug.clone());
        new_slugs[i] = Some(slug);
    }

    // 4. Write: new articles in multi-row inserts, replaced ones one by one.
    let now_s = from_time(now);
    let mut ids: Vec<i64> = vec![0; items.len()];
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(items.len());
    let new_idx: Vec<usize> = (0..items.len())
        .filter(|i| new_slugs[*i].is_some())
        .collect();
    // The writer's transaction holds SQLite's write lock from its first write on, so
    // nothing else can insert between reading the highest id and using the next ones
    // (and if another writer got in before that, the insert fails on the snapshot).
    // Explicit ids spare a `RETURNING` row per article through sqlx's worker thread.
    if !new_idx.is_empty() {
        let (max_id,): (Option<i64>,) = on_conn!(conn, |c, b| {
            sqlx::query_as(&b.sql("SELECT max(id) FROM articles"))
                .fetch_one(c)
                .await
        })?;
        for (id, &i) in (max_id.unwrap_or(0) + 1..).zip(&new_idx) {
            ids[i] = id;
        }
    }
    for chunk in new_idx.chunks(CHUNK) {
        on_conn!(conn, |c, _b| {
            let mut qb = QueryBuilder::new(
                "INSERT INTO articles (id, slug, headline, lede, body, dateline_place, section_id, \
             hero_media_id, status, sensitive, language, published_at, updated_at, \
             created_at, modified_at, source_id, dateline_brand, seo_title, seo_description, \
             seo_canonical) ",
            );
            // New articles' bodies are not needed after this: moved, not copied.
            let bodies: Vec<Vec<u8>> = chunk
                .iter()
                .map(|&i| std::mem::take(&mut resolved[i].body))
                .collect();
            qb.push_values(chunk.iter().zip(bodies), |mut b, (&i, body)| {
                let it = &items[i];
                let r = &resolved[i];
                b.push_bind(ids[i])
                    .push_bind(new_slugs[i].clone().unwrap_or_default())
                    .push_bind(it.input.headline.clone())
                    .push_bind(it.input.lede.clone())
                    .push_bind(body)
                    .push_bind(it.input.dateline_place.clone())
                    .push_bind(r.section_id)
                    .push_bind(it.input.hero_media_id)
                    .push_bind(it.input.status.as_str())
                    .push_bind(it.input.sensitive)
                    .push_bind(it.input.language.clone())
                    .push_bind(it.input.published_at.map(from_time))
                    .push_bind(it.updated_at.map(from_time))
                    .push_bind(it.created_at.map_or(now_s, from_time))
                    .push_bind(now_s)
                    .push_bind(it.source_id.clone())
                    .push_bind(it.input.dateline_brand.clone())
                    .push_bind(it.input.seo.title.clone())
                    .push_bind(it.input.seo.description.clone())
                    .push_bind(it.input.seo.canonical.clone());
            });
            qb.build().execute(&mut *c).await.map(|_| ())
        })?;
    }
    for (i, (item, r)) in items.iter().zip(&resolved).enumerate() {
        let Some(old) = &r.existing else {
            outcomes.push(Outcome::Created(ids[i]));
            continue;
        };
        let changed = update_one(conn, item, r, old, now_s).await.map_err(at(i))?;
        ids[i] = old.id;
        outcomes.push(if changed {
            Outcome::Updated(old.id)
        } else {
            Outcome::Unchanged(old.id)
        });
    }
    let replaced: Vec<i64> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Updated(id) => Some(*id),
            _ => None,
        })
        .collect();
    for chunk in replaced.chunks(CHUNK) {
        for table in ["article_tags", "article_authors"] {
            crate::db::delete_for_articles(conn, table, chunk).await?;
        }
    }

    // 5. Links, legacy paths and the change log, in multi-row inserts.
    let mut tag_rows: Vec<(i64, i64, i64)> = Vec::new();
    let mut author_rows: Vec<(i64, i64, i64)> = Vec::new();
    let mut path_rows: Vec<(String, i64)> = Vec::new();
    for (i, r) in resolved.iter().enumerate() {
        if matches!(outcomes[i], Outcome::Unchanged(_)) {
            // Its tags, authors and old addresses are as stored.
            continue;
        }
        for (pos, slug) in r.tag_slugs.iter().enumerate() {
            let tid = *caches
                .tags
                .get(slug)
                .ok_or_else(|| StoreError::Corrupt(format!("tag `{slug}` not resolved")))?;
            tag_rows.push((ids[i], tid, pos as i64));
        }
        for (pos, aid) in r.author_ids.iter().enumerate() {
            author_rows.push((ids[i], *aid, pos as i64));
        }
        for p in &items[i].legacy_paths {
            path_rows.push((p.clone(), ids[i]));
        }
    }
    for (table, rows) in [
        ("article_tags", &tag_rows),
        ("article_authors", &author_rows),
    ] {
        let col = if table == "article_tags" {
            "tag_id"
        } else {
            "author_id"
        };
        for chunk in rows.chunks(CHUNK * 2) {
            on_conn!(conn, |c, _b| {
                let mut qb = QueryBuilder::new(format!(
                    "INSERT INTO {table} (article_id, {col}, position) "
                ));
                qb.push_values(chunk, |mut b, (a, t, p)| {
                    b.push_bind(*a).push_bind(*t).push_bind(*p);
                });
                qb.build().execute(&mut *c).await.map(|_| ())
            })?;
        }
    }
    for chunk in path_rows.chunks(CHUNK) {
        on_conn!(conn, |c, _b| {
            let mut qb = QueryBuilder::new("INSERT INTO legacy_paths (path, article_id) ");
            qb.push_values(chunk, |mut b, (p, a)| {
                b.push_bind(p.clone()).push_bind(*a);
            });
            qb.push(" ON CONFLICT (path) DO UPDATE SET article_id = excluded.article_id");
            qb.build().execute(&mut *c).await.map(|_| ())
        })?;
    }
    let logged: Vec<Outcome> = outcomes
        .iter()
        .copied()
        .filter(|o| !matches!(o, Outcome::Unchanged(_)))
        .collect();
    for chunk in logged.chunks(CHUNK * 2) {
        on_conn!(conn, |c, _b| {
            let mut qb = QueryBuilder::new("INSERT INTO changes (article_id, kind, at) ");
            qb.push_values(chunk, |mut b, o| {
                let kind = match o {
                    Outcome::Created(_) => "create",
                    _ => "update",
                };
                b.push_bind(o.id()).push_bind(kind).push_bind(now_s);
            });
            qb.build().execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(outcomes)
}

fn empty_input() -> ArticleInput {
    ArticleInput::empty()
}

fn base_slug(input: &ArticleInput) -> String {
    match &input.slug {
        Some(s) => s.clone(),
        None => {
            let s = slugify(&input.headline);
            if s.is_empty() { "berita".to_owned() } else { s }
        }
    }
}

async fn slugs_in_store(conn: &mut Conn<'_>, slugs: &[String]) -> Result<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in slugs.chunks(CHUNK * 2) {
        let rows: Vec<(String,)> = on_conn!(conn, |c, _b| {
            let mut qb = QueryBuilder::new("SELECT slug FROM articles WHERE slug IN (");
            let mut sep = qb.separated(", ");
            for s in chunk {
                sep.push_bind(s.clone());
            }
            qb.push(") UNION SELECT slug FROM retired_slugs WHERE slug IN (");
            let mut sep = qb.separated(", ");
            for s in chunk {
                sep.push_bind(s.clone());
            }
            qb.push(")");
            qb.build_query_as().fetch_all(&mut *c).await
        })?;
        found.extend(rows.into_iter().map(|(s,)| s));
    }
    Ok(found)
}

/// The article holding a slug (bound twice): as its slug, or as one it was moved away
/// from.
pub(crate) const SLUG_HOLDER: &str = "SELECT id FROM articles WHERE slug = ? \
     UNION ALL SELECT article_id FROM retired_slugs WHERE slug = ?";

/// Only suffixed candidates need a look-up: plain ones were checked in bulk.
async fn slug_in_store(conn: &mut Conn<'_>, slug: &str, n: u32) -> Result<bool> {
    if n == 1 {
        return Ok(false);
    }
    let row: Option<(i64,)> = on_conn!(conn, |c, b| {
        sqlx::query_as(&b.sql(SLUG_HOLDER))
            .bind(slug)
            .bind(slug)
            .fetch_optional(c)
            .await
    })?;
    Ok(row.is_some())
}

async fn lookup(
    conn: &mut Conn<'_>,
    cache: &mut HashMap<String, i64>,
    table: &str,
    what: &'static str,
    slug: &str,
) -> Result<i64> {
    if let Some(id) = cache.get(slug) {
        return Ok(*id);
    }
    let row: Option<(i64,)> = on_conn!(conn, |c, b| {
        sqlx::query_as(&b.sql(&format!("SELECT id FROM {table} WHERE slug = ?")))
            .bind(slug)
            .fetch_optional(c)
            .await
    })?;
    let (id,) = row.ok_or_else(|| StoreError::NotFound {
        what,
        key: slug.to_owned(),
    })?;
    cache.insert(slug.to_owned(), id);
    Ok(id)
}

async fn ensure_tags(
    conn: &mut Conn<'_>,
    caches: &mut Caches<'_>,
    items: &[ArticleWrite],
) -> Result<()> {
    let mut missing: Vec<(String, String, &'static str)> = Vec::new();
    let mut seen = HashSet::new();
    for item in items {
        for tag in &item.input.tags {
            let slug = slugify(&tag.name);
            if !caches.tags.contains_key(&slug) && seen.insert(slug.clone()) {
                missing.push((slug, tag.name.clone(), tag.kind.as_str()));
            }
        }
    }
    for chunk in missing.chunks(CHUNK) {
        on_conn!(conn, |c, _b| {
            let mut qb = QueryBuilder::new("INSERT INTO tags (slug, name, kind) ");
            qb.push_values(chunk, |mut b, (slug, name, kind)| {
                b.push_bind(slug.clone())
                    .push_bind(name.clone())
                    .push_bind(*kind);
            });
            qb.push(" ON CONFLICT (slug) DO NOTHING");
            qb.build().execute(&mut *c).await.map(|_| ())
        })?;
        let rows: Vec<(String, i64)> = on_conn!(conn, |c, _b| {
            let mut qb = QueryBuilder::new("SELECT slug, id FROM tags WHERE slug IN (");
            let mut sep = qb.separated(", ");
            for (slug, _, _) in chunk {
                sep.push_bind(slug.clone());
            }
            qb.push(")");
            qb.build_query_as().fetch_all(&mut *c).await
        })?;
        caches.tags.extend(rows);
    }
    Ok(())
}

/// Fills `existing` for articles that replace one: by id, else by source id.
async fn find_existing(
    conn: &mut Conn<'_>,
    items: &[ArticleWrite],
    resolved: &mut [Resolved],
) -> std::result::Result<(), BatchError> {
    type Row = (
        i64,
        String,
        String,
        Option<i64>,
        Option<i64>,
        i64,
        Option<String>,
    );
    const COLS: &str = "id, slug, status, published_at, updated_at, created_at, source_id";
    let to_existing = |r: &Row| Existing {
        id: r.0,
        slug: r.1.clone(),
        was_public: r.2 == Status::Published.as_str() && r.3.is_some(),
        was_seen: (r.2 == Status::Published.as_str() || r.2 == Status::Unpublished.as_str())
            && r.3.is_some(),
        published_at: r.3,
        updated_at: r.4,
        created_at: r.5,
    };
    let sources: Vec<String> = items
        .iter()
        .filter(|i| i.id.is_none())
        .filter_map(|i| i.source_id.clone())
        .collect();
    // Rows whose `column` is one of `keys`, in chunks under SQLite's parameter limit.
    async fn rows_where_in(conn: &mut Conn<'_>, column: &str, keys: &[String]) -> Result<Vec<Row>> {
        let mut out = Vec::new();
        for chunk in keys.chunks(CHUNK * 2) {
            out.extend(on_conn!(conn, |c, _b| {
                let mut qb =
                    QueryBuilder::new(format!("SELECT {COLS} FROM articles WHERE {column} IN ("));
                let mut sep = qb.separated(", ");
                for s in chunk {
                    sep.push_bind(s.clone());
                }
                qb.push(")");
                qb.build_query_as::<Row>().fetch_all(&mut *c).await
            })?);
        }
        Ok(out)
    }
    let mut by_source: HashMap<String, Existing> = HashMap::new();
    for r in rows_where_in(conn, "source_id", &sources).await? {
        if let Some(src) = &r.6 {
            by_source.insert(src.clone(), to_existing(&r));
        }
    }
    let mut seen_sources = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(id) = item.id {
            let row: Option<Row> = on_conn!(conn, |c, b| {
                sqlx::query_as(&b.sql(&format!("SELECT {COLS} FROM articles WHERE id = ?")))
                    .bind(id)
                    .fetch_optional(c)
                    .await
            })?;
            let row = row.ok_or_else(|| {
                at(i)(StoreError::NotFound {
                    what: "article",
                    key: id.to_string(),
                })
            })?;
            resolved[i].existing = Some(to_existing(&row));
        } else if let Some(src) = &item.source_id {
            if !seen_sources.insert(src.clone()) {
                return Err(at(i)(
                    ValidationError::Invalid {
                        field: "source_id",
                        reason: warta_core::Reason::SourceTwice(src.clone()),
                    }
                    .into(),
                ));
            }
            resolved[i].existing = by_source.get(src).cloned();
        }
    }
    // Warta's own exports name their articles by slug: one look-up for the batch.
    let by_slug_wanted: Vec<String> = items
        .iter()
        .zip(resolved.iter())
        .filter(|(item, r)| r.existing.is_none() && item.match_slug)
        .filter_map(|(item, _)| item.input.slug.clone())
        .collect();
    let by_slug: HashMap<String, Existing> = rows_where_in(conn, "slug", &by_slug_wanted)
        .await?
        .iter()
        .map(|r| (r.1.clone(), to_existing(r)))
        .collect();
    if !by_slug.is_empty() {
        for (item, r) in items.iter().zip(resolved.iter_mut()) {
            if r.existing.is_none()
                && item.match_slug
                && let Some(slug) = &item.input.slug
            {
                r.existing = by_slug.get(slug).cloned();
            }
        }
    }
    Ok(())
}

/// Replaces a stored article; `Ok(false)` when an import gave it exactly as stored
/// (nothing is written then).
async fn update_one(
    conn: &mut Conn<'_>,
    item: &ArticleWrite,
    r: &Resolved,
    old: &Existing,
    now_s: i64,
) -> Result<bool> {
    let input = &item.input;
    // A source slug this story could not take (`{slug}-2` was given instead) is not a
    // request to move it on the next import.
    let suffixed = |s: &String| {
        old.slug
            .strip_prefix(s.as_str())
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|n| n.parse::<u32>().is_ok())
    };
    let wanted = input
        .slug
        .as_ref()
        .filter(|s| !(item.slug_may_move && suffixed(s)));
    let slug = match wanted {
        Some(s) if *s != old.slug => {
            if old.was_seen && !item.readdress {
                return Err(ValidationError::Invalid {
                    field: "slug",
                    reason: warta_core::Reason::KeepsAddress,
                }
                .into());
            }
            // Another story's slug, or one another story was moved away from (its old
            // address redirects to that story).
            let row: Option<(i64,)> = on_conn!(conn, |c, b| {
                sqlx::query_as(&b.sql(
                    "SELECT id FROM articles WHERE slug = ? AND id <> ? \
                     UNION ALL SELECT article_id FROM retired_slugs WHERE slug = ? AND article_id <> ?",
                ))
                .bind(s)
                .bind(old.id)
                .bind(s)
                .bind(old.id)
                .fetch_optional(c)
                .await
            })?;
            if row.is_some() {
                return Err(StoreError::SlugTaken(s.clone()));
            }
            // A story readers knew keeps its old slug as its own; one moving back to
            // its old slug takes it out of the retired ones.
            on_conn!(conn, |c, b| {
                sqlx::query(&b.sql("DELETE FROM retired_slugs WHERE slug = ? AND article_id = ?"))
                    .bind(s)
                    .bind(old.id)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
            })?;
            if old.was_seen {
                on_conn!(conn, |c, b| {
                    sqlx::query(&b.sql(
                        "INSERT INTO retired_slugs (slug, article_id) VALUES (?, ?) \
                         ON CONFLICT (slug) DO UPDATE SET article_id = excluded.article_id",
                    ))
                    .bind(&old.slug)
                    .bind(old.id)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
                })?;
            }
            s.clone()
        }
        _ => old.slug.clone(),
    };
    // Edited again after publication: the first publication time stays, and the
    // article gains an update time. Times given by an importer win.
    let stays_public = old.was_public && input.status == Status::Published;
    let published_at = if stays_public && item.updated_at.is_none() && item.created_at.is_none() {
        old.published_at
    } else {
        input.published_at.map(from_time)
    };
    let updated_at = match item.updated_at {
        Some(t) => Some(from_time(t)),
        None if stays_public && item.created_at.is_none() => Some(now_s),
        None => old.updated_at,
    };
    let created_at = item.created_at.map_or(old.created_at, from_time);
    if item.id.is_none() {
        let next = ArticleRow {
            id: old.id,
            slug: slug.clone(),
            headline: input.headline.clone(),
            lede: input.lede.clone(),
            body: r.body.clone(),
            dateline_place: input.dateline_place.clone(),
            dateline_brand: input.dateline_brand.clone(),
            section_id: r.section_id,
            hero_media_id: input.hero_media_id,
            status: input.status.as_str().to_owned(),
            sensitive: input.sensitive,
            language: input.language.clone(),
            published_at,
            updated_at,
            created_at,
            seo_title: input.seo.title.clone(),
            seo_description: input.seo.description.clone(),
            seo_canonical: input.seo.canonical.clone(),
        };
        if same_as_stored(conn, old.id, &next, item, r).await? {
            return Ok(false);
        }
    }
    on_conn!(conn, |c, b| {
        sqlx::query(&b.sql(
            "UPDATE articles SET slug = ?, headline = ?, lede = ?, body = ?, dateline_place = ?, \
         section_id = ?, hero_media_id = ?, status = ?, sensitive = ?, language = ?, \
         published_at = ?, updated_at = ?, created_at = ?, modified_at = ?, \
         source_id = coalesce(?, source_id), dateline_brand = ?, seo_title = ?, \
         seo_description = ?, seo_canonical = ? WHERE id = ?",
        ))
        .bind(slug)
        .bind(&input.headline)
        .bind(&input.lede)
        .bind(&r.body)
        .bind(&input.dateline_place)
        .bind(r.section_id)
        .bind(input.hero_media_id)
        .bind(input.status.as_str())
        .bind(input.sensitive)
        .bind(&input.language)
        .bind(published_at)
        .bind(updated_at)
        .bind(created_at)
        .bind(now_s)
        .bind(&item.source_id)
        .bind(&input.dateline_brand)
        .bind(&input.seo.title)
        .bind(&input.seo.description)
        .bind(&input.seo.canonical)
        .bind(old.id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(true)
}

/// Whether article `id` is stored exactly as `next` would write it: its row, its
/// source, its tags and authors in order, and every old address of the import.
async fn same_as_stored(
    conn: &mut Conn<'_>,
    id: i64,
    next: &ArticleRow,
    item: &ArticleWrite,
    r: &Resolved,
) -> Result<bool> {
    let (stored, source): (Option<ArticleRow>, Option<Option<String>>) = on_conn!(conn, |c, b| {
        let row: Option<ArticleRow> = sqlx::query_as(&b.sql(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
        let source: Option<(Option<String>,)> =
            sqlx::query_as(&b.sql("SELECT source_id FROM articles WHERE id = ?"))
                .bind(id)
                .fetch_optional(&mut *c)
                .await?;
        Ok::<_, sqlx::Error>((row, source.map(|s| s.0)))
    })?;
    if stored.as_ref() != Some(next) {
        return Ok(false);
    }
    if let (Some(want), Some(have)) = (&item.source_id, source)
        && have.as_ref() != Some(want)
    {
        return Ok(false);
    }
    type Links = (Vec<(String,)>, Vec<(i64,)>, Vec<(String,)>);
    let (tags, authors, paths): Links = on_conn!(conn, |c, b| {
        let tags = sqlx::query_as(&b.sql(
            "SELECT t.slug FROM article_tags x JOIN tags t ON t.id = x.tag_id \
                 WHERE x.article_id = ? ORDER BY x.position",
        ))
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        let authors = sqlx::query_as(
            &b.sql("SELECT author_id FROM article_authors WHERE article_id = ? ORDER BY position"),
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        let paths = sqlx::query_as(&b.sql("SELECT path FROM legacy_paths WHERE article_id = ?"))
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
        Ok::<_, sqlx::Error>((tags, authors, paths))
    })?;
    let tags: Vec<String> = tags.into_iter().map(|t| t.0).collect();
    let authors: Vec<i64> = authors.into_iter().map(|a| a.0).collect();
    let paths: HashSet<String> = paths.into_iter().map(|p| p.0).collect();
    Ok(tags == r.tag_slugs
        && authors == r.author_ids
        && item.legacy_paths.iter().all(|p| paths.contains(p)))
}

/// Records the batch's media (once per identical record) and points the articles'
/// local references (-1, -2, …) at the stored ids. Positive ids must exist.
async fn write_media(
    conn: &mut Conn<'_>,
    caches: &mut Caches<'_>,
    items: &mut [ArticleWrite],
) -> std::result::Result<(), BatchError> {
    let key = |m: &NewMedia| -> MediaKey {
        (
            m.file.clone(),
            m.caption.clone(),
            m.credit.clone(),
            m.alt.clone(),
        )
    };
    let mut missing: Vec<NewMedia> = Vec::new();
    let mut seen = HashSet::new();
    for item in items.iter_mut() {
        for m in &mut item.media {
            m.alt = warta_core::sanitize::clean_text(&m.alt);
            m.caption = warta_core::sanitize::clean_text(&m.caption);
            m.credit = warta_core::sanitize::clean_text(&m.credit);
            let k = key(m);
            if !caches.media.contains_key(&k) && seen.insert(k) {
                missing.push(m.clone());
            }
        }
    }
    if !missing.is_empty() {
        // Records stored by an earlier run are reused.
        for chunk in missing.chunks(CHUNK) {
            let rows: Vec<(i64, String, String, String, String)> = on_conn!(conn, |c, _b| {
                let mut qb = QueryBuilder::new(
                    "SELECT id, file, caption, credit, alt FROM media WHERE file IN (",
                );
                let mut sep = qb.separated(", ");
                for m in chunk {
                    sep.push_bind(m.file.clone());
                }
                qb.push(")");
                qb.build_query_as().fetch_all(&mut *c).await
            })?;
            for (id, f, c, cr, a) in rows {
                caches.media.entry((f, c, cr, a)).or_insert(id);
            }
        }
        let still: Vec<&NewMedia> = missing
            .iter()
            .filter(|m| !caches.media.contains_key(&key(m)))
            .collect();
        // Explicit ids, as for articles (see `write_batch`).
        let (max_id,): (Option<i64>,) = on_conn!(conn, |c, b| {
            sqlx::query_as(&b.sql("SELECT max(id) FROM media"))
                .fetch_one(c)
                .await
        })?;
        let mut next = max_id.unwrap_or(0) + 1;
        let now = chrono::Utc::now().timestamp();
        for chunk in still.chunks(CHUNK) {
            let first = next;
            on_conn!(conn, |c, _b| {
                let mut qb = QueryBuilder::new(
                    "INSERT INTO media (id, file, mime, width, height, alt, caption, credit, \
                     renditions, created_at) ",
                );
                qb.push_values(chunk, |mut b, m| {
                    b.push_bind(next)
                        .push_bind(m.file.clone())
                        .push_bind(m.mime.clone())
                        .push_bind(i64::from(m.width))
                        .push_bind(i64::from(m.height))
                        .push_bind(m.alt.clone())
                        .push_bind(m.caption.clone())
                        .push_bind(m.credit.clone())
                        .push_bind(
                            serde_json::to_string(&m.renditions).unwrap_or_else(|_| "[]".into()),
                        )
                        .push_bind(now);
                    next += 1;
                });
                qb.build().execute(&mut *c).await.map(|_| ())
            })?;
            for (m, id) in chunk.iter().zip(first..) {
                caches.media.insert(key(m), id);
            }
        }
    }
    for (i, item) in items.iter_mut().enumerate() {
        let local: Vec<i64> = item
            .media
            .iter()
            .map(|m| caches.media.get(&key(m)).copied().unwrap_or(0))
            .collect();
        let map = |id: i64| -> std::result::Result<i64, BatchError> {
            if id >= 0 {
                return Ok(id);
            }
            let k = usize::try_from(-id - 1).unwrap_or(usize::MAX);
            local.get(k).copied().ok_or_else(|| {
                at(i)(
                    ValidationError::Invalid {
                        field: "media",
                        reason: warta_core::Reason::NoMediaRecord(id),
                    }
                    .into(),
                )
            })
        };
        if let Some(h) = item.input.hero_media_id {
            item.input.hero_media_id = Some(map(h)?);
        }
        for block in &mut item.input.body {
            if let Block::Photo { media_id, .. } = block {
                *media_id = map(*media_id)?;
            }
        }
        let mut positive: Vec<i64> = item
            .input
            .body
            .iter()
            .filter_map(|b| match b {
                Block::Photo { media_id, .. } => Some(*media_id),
                _ => None,
            })
            .collect();
        positive.extend(item.input.hero_media_id);
        for id in positive {
            if local.contains(&id) {
                continue;
            }
            let row: Option<(i64,)> = on_conn!(conn, |c, b| {
                sqlx::query_as(&b.sql("SELECT id FROM media WHERE id = ?"))
                    .bind(id)
                    .fetch_optional(c)
                    .await
            })?;
            if row.is_none() {
                return Err(at(i)(StoreError::NotFound {
                    what: "media",
                    key: id.to_string(),
                }));
            }
        }
    }
    Ok(())
}
