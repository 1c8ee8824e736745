//! Articles: writing them (always in one transaction with their tags, authors and a
//! change-log entry) and reading them back for pages and lists.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use warta_core::{
    Article, ArticleInput, ArticleSummary, Author, Block, Media, Page, PageWindow, Section, Status,
    Tag,
};

use crate::db::{Backend, Pool, on_pool};
use crate::rows::{MEDIA_COLUMNS, MediaRow, SectionRow, TagRow, from_time, to_time};
use crate::write::ArticleWrite;
use crate::{Result, Store, StoreError};

mod sqlite_pages;

/// Which published articles a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFilter {
    All,
    Section(i64),
    Tag(i64),
    Author(i64),
    /// Published from `from` (inclusive) to `to` (exclusive), in one section or all:
    /// a day of the Indeks.
    Between {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        section: Option<i64>,
    },
}

/// An article's row as stored (also what an import compares with before writing).
#[derive(sqlx::FromRow, PartialEq)]
pub(crate) struct ArticleRow {
    pub(crate) id: i64,
    pub(crate) slug: String,
    pub(crate) headline: String,
    pub(crate) lede: String,
    pub(crate) body: Vec<u8>,
    pub(crate) dateline_place: String,
    pub(crate) dateline_brand: String,
    pub(crate) seo_title: String,
    pub(crate) seo_description: String,
    pub(crate) seo_canonical: String,
    pub(crate) section_id: i64,
    pub(crate) hero_media_id: Option<i64>,
    pub(crate) status: String,
    pub(crate) sensitive: bool,
    pub(crate) language: String,
    pub(crate) published_at: Option<i64>,
    pub(crate) updated_at: Option<i64>,
    pub(crate) created_at: i64,
}

pub(crate) const ARTICLE_COLUMNS: &str = "id, slug, headline, lede, body, dateline_place, dateline_brand, section_id, \
    hero_media_id, status, sensitive, language, published_at, updated_at, created_at, \
    seo_title, seo_description, seo_canonical";

#[derive(sqlx::FromRow)]
pub(crate) struct SummaryRow {
    pub(crate) id: i64,
    slug: String,
    headline: String,
    lede: String,
    section_slug: String,
    section_name: String,
    pub(crate) published_at: i64,
    updated_at: Option<i64>,
    hero_media_id: Option<i64>,
}

pub(crate) const SUMMARY_SELECT: &str = "SELECT a.id, a.slug, a.headline, a.lede, s.slug AS section_slug, \
    s.name AS section_name, a.published_at, a.updated_at, a.hero_media_id \
    FROM articles a JOIN sections s ON s.id = a.section_id";

/// [`SUMMARY_SELECT`] for statements that name their stories by id (`a.id IN (…)`, or
/// a join on `a.id`): on SQLite the summaries come from the `articles_summary` covering
/// index rather than the stories' rows, which hold their bodies (migration 0022). Not
/// for statements that walk stories by date: that index is ordered by id.
pub(crate) fn summary_by_id(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "SELECT a.id, a.slug, a.headline, a.lede, s.slug AS section_slug, \
             s.name AS section_name, a.published_at, a.updated_at, a.hero_media_id \
             FROM articles a INDEXED BY articles_summary JOIN sections s ON s.id = a.section_id"
        }
        Backend::Postgres => SUMMARY_SELECT,
    }
}

/// The condition for "a reader may see it now"; binds `now` once.
const VISIBLE: &str = "a.status = 'published' AND a.published_at <= ?";

/// A month with visible stories, as the sitemap index lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// `YYYY-MM` (UTC).
    pub month: String,
    /// The latest publication or update among its stories.
    pub last_modified: DateTime<Utc>,
    pub articles: u64,
}

impl Store {
    /// Creates an article. The slug comes from the input or the headline, made unique
    /// with a numeric suffix.
    pub async fn create_article(&self, input: ArticleInput, now: DateTime<Utc>) -> Result<Article> {
        let id = self.write_one(ArticleWrite::new(input), now).await?;
        self.article(id).await
    }

    /// Replaces an article's content. A published article keeps its slug and gains an
    /// update time.
    pub async fn update_article(
        &self,
        id: i64,
        input: ArticleInput,
        now: DateTime<Utc>,
    ) -> Result<Article> {
        let mut w = ArticleWrite::new(input);
        w.id = Some(id);
        let id = self.write_one(w, now).await?;
        self.article(id).await
    }

    async fn write_one(&self, item: ArticleWrite, now: DateTime<Utc>) -> Result<i64> {
        let mut writer = self.writer(now).await?;
        let out = writer.write(vec![item]).await.map_err(|e| e.error)?;
        writer.commit().await?;
        out.first()
            .map(|o| o.id())
            .ok_or_else(|| StoreError::Corrupt("write returned nothing".into()))
    }

    /// Writes many articles in one transaction: all of them land, or none.
    pub async fn create_articles(
        &self,
        inputs: Vec<ArticleInput>,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        let mut writer = self.writer(now).await?;
        let out = writer
            .write(inputs.into_iter().map(ArticleWrite::new).collect())
            .await
            .map_err(|e| e.error)?;
        writer.commit().await?;
        Ok(out.into_iter().map(|o| o.id()).collect())
    }

    /// Deletes an article for good.
    pub async fn delete_article(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let mut writer = self.writer(now).await?;
        writer.delete(id).await?;
        writer.commit().await
    }

    /// The article an old site's path now lives at, if any.
    pub async fn legacy_path(&self, path: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql("SELECT article_id FROM legacy_paths WHERE path = ?"))
                .bind(path)
                .fetch_optional(c)
                .await
        })?;
        Ok(row.map(|(id,)| id))
    }

    /// The old addresses that answer with a 301 to this article.
    pub async fn legacy_paths_of(&self, id: i64) -> Result<Vec<String>> {
        let rows: Vec<(String,)> =
            on_pool!(&self.pool, |c, b| {
                sqlx::query_as(&b.sql(
                    "SELECT path FROM legacy_paths WHERE article_id = ? ORDER BY path LIMIT 100",
                ))
                .bind(id)
                .fetch_all(c)
                .await
            })?;
        Ok(rows.into_iter().map(|(p,)| p).collect())
    }

    /// The article that holds this slug, whatever its status: as its slug, or as one
    /// it was moved away from (which no other story may take).
    pub async fn slug_holder(&self, slug: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(crate::write::SLUG_HOLDER))
                .bind(slug)
                .bind(slug)
                .fetch_optional(c)
                .await
        })?;
        Ok(row.map(|(id,)| id))
    }

    /// Any article by id, whatever its status.
    pub async fn article(&self, id: i64) -> Result<Article> {
        let row: Option<ArticleRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(&format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?"
            )))
            .bind(id)
            .fetch_optional(c)
            .await
        })?;
        let row = row.ok_or_else(|| StoreError::NotFound {
            what: "article",
            key: id.to_string(),
        })?;
        self.resolve(row, &self.pool).await
    }

    /// The article a reader may see under this slug now, if any.
    pub async fn visible_article_by_slug(
        &self,
        slug: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Article>> {
        let row: Option<ArticleRow> = on_pool!(&self.reads, |c, b| {
            sqlx::query_as(&b.sql(&format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.slug = ? AND {VISIBLE}"
            )))
            .bind(slug)
            .bind(from_time(now))
            .fetch_optional(c)
            .await
        })?;
        match row {
            None => Ok(None),
            Some(r) => self.resolve(r, &self.reads).await.map(Some),
        }
    }

    /// A list's join, visibility and condition, with the condition's values (after
    /// the time bound by the visibility).
    fn list_query(&self, filter: ListFilter) -> (&'static str, String, &'static str, Vec<i64>) {
        let plus = self.backend().no_index();
        // A tag's or an author's list starts from its links and looks each story up
        // (`+` keeps SQLite from walking every visible story of the archive to find
        // them: 13 s for a tag's count and 5.7 s for a rare tag's page at a million,
        // against 60 ms and 0.1 ms; issue #26).
        let linked = format!("{plus}a.status = 'published' AND {plus}a.published_at <= ?");
        match filter {
            ListFilter::All => ("", VISIBLE.to_owned(), "", vec![]),
            ListFilter::Section(id) => ("", VISIBLE.to_owned(), " AND a.section_id = ?", vec![id]),
            ListFilter::Tag(id) => (
                " JOIN article_tags f ON f.article_id = a.id",
                linked,
                " AND f.tag_id = ?",
                vec![id],
            ),
            ListFilter::Author(id) => (
                " JOIN article_authors f ON f.article_id = a.id",
                linked,
                " AND f.author_id = ?",
                vec![id],
            ),
            ListFilter::Between { from, to, section } => {
                let range = vec![from_time(from), from_time(to)];
                match section {
                    None => (
                        "",
                        VISIBLE.to_owned(),
                        " AND a.published_at >= ? AND a.published_at < ?",
                        range,
                    ),
                    Some(id) => (
                        "",
                        VISIBLE.to_owned(),
                        " AND a.published_at >= ? AND a.published_at < ? AND a.section_id = ?",
                        [range, vec![id]].concat(),
                    ),
                }
            }
        }
    }

    /// A page (1-based) of visible articles, newest first. A page past the end gives
    /// the last page.
    pub async fn list(
        &self,
        filter: ListFilter,
        page: u32,
        per_page: u32,
        now: DateTime<Utc>,
    ) -> Result<Page<ArticleSummary>> {
        let total = self.count(filter, now).await?;
        self.list_counted(filter, page, per_page, total, now).await
    }

    /// How many visible articles `filter` lists (for a list's pages; the web layer
    /// keeps it between writes: at a million, the home list's count reads 1M index
    /// entries, 51 ms).
    pub async fn count(&self, filter: ListFilter, now: DateTime<Utc>) -> Result<i64> {
        let (join, visible, cond, keys) = self.list_query(filter);
        let count_sql = format!("SELECT count(*) FROM articles a{join} WHERE {visible}{cond}");
        let (total,): (i64,) = on_pool!(&self.reads, |c, b| {
            let count_sql = b.sql(&count_sql);
            let mut q = sqlx::query_as(&count_sql).bind(from_time(now));
            for k in &keys {
                q = q.bind(*k);
            }
            q.fetch_one(c).await
        })?;
        Ok(total)
    }

    /// A page of what `filter` lists, of `total` stories in all (from
    /// [`Store::count`], perhaps kept from a moment ago).
    pub async fn list_counted(
        &self,
        filter: ListFilter,
        page: u32,
        per_page: u32,
        total: i64,
        now: DateTime<Utc>,
    ) -> Result<Page<ArticleSummary>> {
        let (join, visible, cond, keys) = self.list_query(filter);
        let w = PageWindow::new(total, page, per_page);
        // The page's ids first, from the index alone, then only their rows: a deep
        // page (`?page=500`) skips index entries, not 10,000 stories' rows (230 ms →
        // 3.6 ms for a section's page 500 at a million).
        let sql = format!(
            "{} JOIN (SELECT a.id FROM articles a{join} WHERE {visible}{cond} \
             ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?) k ON k.id = a.id \
             ORDER BY a.published_at DESC, a.id DESC",
            summary_by_id(self.backend())
        );
        let rows: Vec<SummaryRow> = on_pool!(&self.reads, |c, b| {
            let sql = b.sql(&sql);
            let mut q = sqlx::query_as(&sql).bind(from_time(now));
            for k in &keys {
                q = q.bind(*k);
            }
            q.bind(i64::from(w.per_page))
                .bind(w.offset())
                .fetch_all(c)
                .await
        })?;
        Ok(w.of(self.summaries(rows).await?))
    }

    /// Visible articles sharing the most tags with this one, newest first among equals;
    /// never the article itself. The first related-news engine, now the fallback until
    /// `warta_related` has stored a list. (`+` keeps SQLite starting from this
    /// article's tags rather than walking every visible article.)
    pub async fn related_by_tags(
        &self,
        article_id: i64,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<ArticleSummary>> {
        let plus = self.backend().no_index();
        let sql = format!(
            "SELECT a.id, a.slug, a.headline, a.lede, s.slug AS section_slug, \
            s.name AS section_name, a.published_at, a.updated_at, a.hero_media_id \
            FROM article_tags t \
            JOIN article_tags o ON o.tag_id = t.tag_id AND o.article_id <> t.article_id \
            JOIN articles a ON a.id = o.article_id \
            JOIN sections s ON s.id = a.section_id \
            WHERE t.article_id = ? AND {plus}a.status = 'published' AND {plus}a.published_at <= ? \
            GROUP BY a.id, a.slug, a.headline, a.lede, s.slug, s.name, a.published_at, a.updated_at, \
            a.hero_media_id \
            ORDER BY count(*) DESC, a.published_at DESC, a.id DESC LIMIT ?"
        );
        let rows: Vec<SummaryRow> = on_pool!(&self.reads, |c, b| {
            sqlx::query_as(&b.sql(&sql))
                .bind(article_id)
                .bind(from_time(now))
                .bind(i64::from(limit))
                .fetch_all(c)
                .await
        })?;
        self.summaries(rows).await
    }

    /// The months (UTC, `YYYY-MM`) that have visible articles, newest first, with the
    /// latest publication or update in each: what a sitemap index lists.
    pub async fn visible_months(&self, now: DateTime<Utc>) -> Result<Vec<Month>> {
        let sql = format!(
            "SELECT {} AS month, \
             max(coalesce(a.updated_at, a.published_at)), count(*) FROM articles a \
             WHERE {VISIBLE} GROUP BY month ORDER BY month DESC",
            self.backend().month_of("a.published_at")
        );
        let rows: Vec<(String, i64, i64)> = on_pool!(&self.reads, |c, b| {
            sqlx::query_as(&b.sql(&sql))
                .bind(from_time(now))
                .fetch_all(c)
                .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(month, t, n)| Month {
                month,
                last_modified: to_time(t),
                articles: u64::try_from(n).unwrap_or(0),
            })
            .collect())
    }

    /// The days that have visible articles, newest first, counted in a zone
    /// `offset_secs` east of UTC (day 0 is 1970-01-01), with the latest publication
    /// or update of each: what the Indeks' sitemap lists.
    pub async fn visible_days(
        &self,
        offset_secs: i32,
        now: DateTime<Utc>,
    ) -> Result<Vec<(i64, DateTime<Utc>)>> {
        let sql = format!(
            "SELECT (a.published_at + ?) / 86400 AS d, \
             max(coalesce(a.updated_at, a.published_at)) FROM articles a \
             WHERE {VISIBLE} GROUP BY d ORDER BY d DESC"
        );
        let rows: Vec<(i64, i64)> = on_pool!(&self.reads, |c, b| {
            sqlx::query_as(&b.sql(&sql))
                .bind(i64::from(offset_secs))
                .bind(from_time(now))
                .fetch_all(c)
                .await
        })?;
        Ok(rows.into_iter().map(|(d, t)| (d, to_time(t))).collect())
    }

    /// Visible articles published in `[from, to)`, newest first, at most `limit`.
    pub async fn published_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<ArticleSummary>> {
        self.published_between_from(from, to, 0, limit, now).await
    }

    /// [`Store::published_between`] after skipping the newest `skip` (a sitemap's
    /// second file and on).
    pub async fn published_between_from(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        skip: u64,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<ArticleSummary>> {
        let sql = format!(
            "{SUMMARY_SELECT} WHERE {VISIBLE} AND a.published_at >= ? AND a.published_at < ? \
             ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?"
        );
        let rows: Vec<SummaryRow> = on_pool!(&self.reads, |c, b| {
            sqlx::query_as(&b.sql(&sql))
                .bind(from_time(now))
                .bind(from_time(from))
                .bind(from_time(to))
                .bind(i64::from(limit))
                .bind(i64::try_from(skip).unwrap_or(i64::MAX))
                .fetch_all(c)
                .await
        })?;
        self.summaries(rows).await
    }

    pub(crate) async fn summaries(&self, rows: Vec<SummaryRow>) -> Result<Vec<ArticleSummary>> {
        let ids: Vec<i64> = rows.iter().filter_map(|r| r.hero_media_id).collect();
        let media = self.media_by_ids(&ids, &self.reads).await?;
        Ok(rows
            .into_iter()
            .map(|r| ArticleSummary {
                hero: r
                    .hero_media_id
                    .and_then(|id| media.iter().find(|m| m.id == id).cloned()),
                id: r.id,
                slug: r.slug,
                headline: r.headline,
                lede: r.lede,
                section_slug: r.section_slug,
                section_name: r.section_name,
                published_at: to_time(r.published_at),
                updated_at: r.updated_at.map(to_time),
            })
            .collect())
    }

    async fn media_by_ids(&self, ids: &[i64], pool: &Pool) -> Result<Vec<Media>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!("SELECT {MEDIA_COLUMNS} FROM media WHERE id IN ({{ids}})");
        let rows: Vec<MediaRow> = rows_for_ids_on(pool, &sql, ids).await?;
        rows.into_iter().map(Media::try_from).collect()
    }

    async fn resolve(&self, row: ArticleRow, pool: &Pool) -> Result<Article> {
        let section: SectionRow = on_pool!(pool, |c, b| {
            sqlx::query_as(&b.sql("SELECT id, slug, name, position FROM sections WHERE id = ?"))
                .bind(row.section_id)
                .fetch_one(c)
                .await
        })?;
        let tags: Vec<TagRow> = on_pool!(pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT t.id, t.slug, t.name, t.kind FROM article_tags at \
             JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ? ORDER BY at.position",
            ))
            .bind(row.id)
            .fetch_all(c)
            .await
        })?;
        let authors: Vec<(i64, String, String, String)> = on_pool!(pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT u.id, u.slug, u.name, u.bio FROM article_authors aa \
             JOIN authors u ON u.id = aa.author_id WHERE aa.article_id = ? ORDER BY aa.position",
            ))
            .bind(row.id)
            .fetch_all(c)
            .await
        })?;
        let body = crate::body::decode(row.id, &row.body)?;
        let mut media_ids: Vec<i64> = body
            .iter()
            .filter_map(|b| match b {
                Block::Photo { media_id, .. } => Some(*media_id),
                _ => None,
            })
            .collect();
        media_ids.extend(row.hero_media_id);
        let media = self.media_by_ids(&media_ids, pool).await?;
        let status = Status::parse(&row.status).ok_or_else(|| {
            StoreError::Corrupt(format!("article {}: status `{}`", row.id, row.status))
        })?;
        Ok(Article {
            id: row.id,
            slug: row.slug,
            headline: row.headline,
            lede: row.lede,
            hero: row
                .hero_media_id
                .and_then(|id| media.iter().find(|m| m.id == id).cloned()),
            body_media: media,
            body,
            dateline_place: row.dateline_place,
            dateline_brand: row.dateline_brand,
            seo: warta_core::Seo {
                title: row.seo_title,
                description: row.seo_description,
                canonical: row.seo_canonical,
            },
            section: Section::from(section),
            tags: tags
                .into_iter()
                .map(Tag::try_from)
                .collect::<Result<Vec<_>>>()?,
            authors: authors
                .into_iter()
                .map(|(id, slug, name, bio)| Author {
                    id,
                    slug,
                    name,
                    bio,
                })
                .collect(),
            status,
            sensitive: row.sensitive,
            language: row.language,
            published_at: row.published_at.map(to_time),
            updated_at: row.updated_at.map(to_time),
            created_at: to_time(row.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct FullRow {
    #[sqlx(flatten)]
    a: ArticleRow,
    source_id: Option<String>,
}

/// An article with what only exports need: its source identity and old addresses.
#[derive(Debug, Clone)]
pub struct FullArticle {
    pub article: Article,
    pub source_id: Option<String>,
    pub legacy_paths: Vec<String>,
    /// Only from [`Store::export_page_json`]: the body's JSON text as Warta stored it,
    /// for a body without photo blocks (its blocks are then written out exactly as
    /// read), and `article.body` is left empty. `None`: the body is in `article.body`.
    pub body_json: Option<Vec<u8>>,
}

impl Store {
    /// Up to `limit` articles with ids above `after`, in id order, resolved in a few
    /// bulk queries (the exporter's page).
    pub async fn export_page(&self, after: i64, limit: u32) -> Result<Vec<FullArticle>> {
        self.export_rows(after, limit, false).await
    }

    /// [`Store::export_page`] for an exporter that writes JSON: bodies without photo
    /// blocks come as their stored JSON text in [`FullArticle::body_json`], not parsed
    /// (parsing and writing them again was most of an export's time).
    pub async fn export_page_json(&self, after: i64, limit: u32) -> Result<Vec<FullArticle>> {
        self.export_rows(after, limit, true).await
    }

    /// Every article in id order, `page` at a time, read ahead of the caller on a
    /// thread or task of its own (an exporter writes one page while the next is read).
    /// With `pass_json`, as [`Store::export_page_json`]. A SQLite file is read in one
    /// snapshot without sqlx (see `sqlite_pages`); PostgreSQL (or a database in memory)
    /// a page at a time through the pool. The channel ends after the last page, or
    /// after the first error.
    pub fn export_pages(
        &self,
        page: u32,
        pass_json: bool,
    ) -> tokio::sync::mpsc::Receiver<Result<Vec<FullArticle>>> {
        let (tx, rx) = tokio::sync::mpsc::channel(2);
        if let Some(path) = self.sqlite_file() {
            std::thread::spawn(move || {
                sqlite_pages::send_pages(&path, page as usize, pass_json, &tx);
            });
            return rx;
        }
        let store = self.clone();
        tokio::spawn(async move {
            let mut after = 0;
            loop {
                let read = store.export_rows(after, page, pass_json).await;
                let last = match &read {
                    Ok(p) => p.last().map(|l| l.article.id),
                    Err(_) => None,
                };
                if tx.send(read).await.is_err() {
                    return;
                }
                match last {
                    Some(id) => after = id,
                    None => return,
                }
            }
        });
        rx
    }

    /// The database file of a SQLite store (not one in memory).
    fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        match &self.pool {
            Pool::Sqlite(p) => {
                let path = p.connect_options().get_filename().to_path_buf();
                path.is_file().then_some(path)
            }
            Pool::Postgres(_) => None,
        }
    }

    async fn export_rows(
        &self,
        after: i64,
        limit: u32,
        pass_json: bool,
    ) -> Result<Vec<FullArticle>> {
        let rows: Vec<FullRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(&format!(
                "SELECT {ARTICLE_COLUMNS}, source_id FROM articles WHERE id > ? ORDER BY id LIMIT ?"
            )))
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(c)
            .await
        })?;
        self.full_articles(rows, pass_json).await
    }

    /// The articles with these ids that exist, whatever their status, in id order
    /// (what the search index and related lists read when they catch up).
    pub async fn articles_by_ids(&self, ids: &[i64]) -> Result<Vec<Article>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let rows: Vec<FullRow> = self
                .rows_for_ids(
                    &format!(
                        "SELECT {ARTICLE_COLUMNS}, source_id FROM articles \
                         WHERE id IN ({{ids}}) ORDER BY id"
                    ),
                    chunk,
                )
                .await?;
            out.extend(
                self.full_articles(rows, false)
                    .await?
                    .into_iter()
                    .map(|f| f.article),
            );
        }
        Ok(out)
    }

    /// Resolves rows into whole articles with a few bulk queries.
    /// With `pass_json`, bodies without photo blocks stay JSON text (see
    /// [`FullArticle::body_json`]).
    async fn full_articles(&self, rows: Vec<FullRow>, pass_json: bool) -> Result<Vec<FullArticle>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.a.id).collect();
        let sections: HashMap<i64, Section> = self
            .sections()
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let links = PageLinks {
            tags: self
                .rows_for_ids(&PageLinks::TAGS.replace("{which}", "IN ({ids})"), &ids)
                .await?,
            authors: self
                .rows_for_ids(&PageLinks::AUTHORS.replace("{which}", "IN ({ids})"), &ids)
                .await?,
            paths: self
                .rows_for_ids(&PageLinks::PATHS.replace("{which}", "IN ({ids})"), &ids)
                .await?,
        };
        let mut page = Vec::with_capacity(rows.len());
        let mut media_ids = Vec::new();
        for mut r in rows {
            let stored = std::mem::take(&mut r.a.body);
            let body = PageBody::read(r.a.id, &stored, pass_json)?;
            body.media_ids(r.a.hero_media_id, &mut media_ids);
            page.push((r.a, r.source_id, body));
        }
        media_ids.sort_unstable();
        media_ids.dedup();
        let mut media = Vec::new();
        for chunk in media_ids.chunks(500) {
            media.extend(self.media_by_ids(chunk, &self.pool).await?);
        }
        let media: HashMap<i64, Media> = media.into_iter().map(|m| (m.id, m)).collect();
        assemble(page, &sections, links, &media)
    }
}

/// What the articles of a page link to, read in bulk: rows keyed by article id, in
/// each article's own order (tags and authors by position, old addresses by path).
struct PageLinks {
    /// (article, tag id, slug, name, kind)
    tags: Vec<(i64, i64, String, String, String)>,
    /// (article, author id, slug, name, bio)
    authors: Vec<(i64, i64, String, String, String)>,
    /// (article, path)
    paths: Vec<(i64, String)>,
}

impl PageLinks {
    // The statements that read them; `{which}` picks the articles (`IN (…)` for any
    // ids, `BETWEEN` for a page of consecutive ones).
    const TAGS: &str = "SELECT at.article_id, t.id, t.slug, t.name, t.kind FROM article_tags at \
        JOIN tags t ON t.id = at.tag_id WHERE at.article_id {which} \
        ORDER BY at.article_id, at.position";
    const AUTHORS: &str = "SELECT aa.article_id, u.id, u.slug, u.name, u.bio FROM article_authors aa \
        JOIN authors u ON u.id = aa.author_id WHERE aa.article_id {which} \
        ORDER BY aa.article_id, aa.position";
    const PATHS: &str = "SELECT article_id, path FROM legacy_paths WHERE article_id {which} ORDER BY article_id, path";
}

/// A stored body as an export page carries it: blocks, or (see
/// [`FullArticle::body_json`]) the JSON text itself with no blocks.
struct PageBody {
    blocks: Vec<Block>,
    json: Option<Vec<u8>>,
}

impl PageBody {
    fn read(id: i64, stored: &[u8], pass_json: bool) -> Result<PageBody> {
        if pass_json && let Some(json) = crate::body::json_without_photos(id, stored)? {
            return Ok(PageBody {
                blocks: Vec::new(),
                json: Some(json),
            });
        }
        Ok(PageBody {
            blocks: crate::body::decode(id, stored)?,
            json: None,
        })
    }

    /// The media the article shows: its photo blocks' and its hero's.
    fn media_ids(&self, hero: Option<i64>, out: &mut Vec<i64>) {
        out.extend(self.blocks.iter().filter_map(|b| match b {
            Block::Photo { media_id, .. } => Some(*media_id),
            _ => None,
        }));
        out.extend(hero);
    }
}

/// Puts a page of articles together from its rows, however they were read.
fn assemble(
    page: Vec<(ArticleRow, Option<String>, PageBody)>,
    sections: &HashMap<i64, Section>,
    links: PageLinks,
    media: &HashMap<i64, Media>,
) -> Result<Vec<FullArticle>> {
    let mut tags_of: HashMap<i64, Vec<Tag>> = HashMap::new();
    for t in links.tags {
        let tag = Tag::try_from(TagRow {
            id: t.1,
            slug: t.2,
            name: t.3,
            kind: t.4,
        })?;
        tags_of.entry(t.0).or_default().push(tag);
    }
    let mut authors_of: HashMap<i64, Vec<Author>> = HashMap::new();
    for a in links.authors {
        authors_of.entry(a.0).or_default().push(Author {
            id: a.1,
            slug: a.2,
            name: a.3,
            bio: a.4,
        });
    }
    let mut paths_of: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, path) in links.paths {
        paths_of.entry(id).or_default().push(path);
    }
    let mut out = Vec::with_capacity(page.len());
    for (a, source_id, body) in page {
        let id = a.id;
        let mut body_media: Vec<Media> = body
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Photo { media_id, .. } => media.get(media_id).cloned(),
                _ => None,
            })
            .collect();
        let hero = a.hero_media_id.and_then(|h| media.get(&h).cloned());
        body_media.extend(hero.clone());
        let status = Status::parse(&a.status)
            .ok_or_else(|| StoreError::Corrupt(format!("article {id}: status `{}`", a.status)))?;
        let section = sections
            .get(&a.section_id)
            .cloned()
            .ok_or_else(|| StoreError::Corrupt(format!("article {id}: section")))?;
        out.push(FullArticle {
            article: Article {
                id,
                slug: a.slug,
                headline: a.headline,
                lede: a.lede,
                body: body.blocks,
                dateline_place: a.dateline_place,
                dateline_brand: a.dateline_brand,
                seo: warta_core::Seo {
                    title: a.seo_title,
                    description: a.seo_description,
                    canonical: a.seo_canonical,
                },
                section,
                tags: tags_of.remove(&id).unwrap_or_default(),
                authors: authors_of.remove(&id).unwrap_or_default(),
                hero,
                body_media,
                status,
                sensitive: a.sensitive,
                language: a.language,
                published_at: a.published_at.map(to_time),
                updated_at: a.updated_at.map(to_time),
                created_at: to_time(a.created_at),
            },
            source_id,
            legacy_paths: paths_of.remove(&id).unwrap_or_default(),
            body_json: body.json,
        });
    }
    Ok(out)
}

impl Store {
    /// Runs `sql` with `{ids}` replaced by one placeholder per id, all bound, on the
    /// primary database.
    pub(crate) async fn rows_for_ids<T>(&self, sql: &str, ids: &[i64]) -> Result<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin,
    {
        rows_for_ids_on(&self.pool, sql, ids).await
    }
}

/// [`Store::rows_for_ids`] on the given pool (the primary or the read replica).
pub(crate) async fn rows_for_ids_on<T>(pool: &Pool, sql: &str, ids: &[i64]) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    let sql = sql.replace("{ids}", &vec!["?"; ids.len()].join(","));
    Ok(on_pool!(pool, |c, b| {
        let sql = b.sql(&sql);
        let mut q = sqlx::query_as::<_, T>(&sql);
        for id in ids {
            q = q.bind(id);
        }
        q.fetch_all(c).await
    })?)
}
