//! Articles: writing them (always in one transaction with their tags, authors and a
//! change-log entry) and reading them back for pages and lists.

use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};
use warta_core::slug::slugify;
use warta_core::{
    Article, ArticleInput, ArticleSummary, Author, Block, Media, Page, Section, Status, Tag,
    ValidationError, page_count,
};

use crate::catalog::tag_kind_str;
use crate::rows::{MEDIA_COLUMNS, MediaRow, SectionRow, TagRow, from_time, to_time};
use crate::{Result, Store, StoreError};

/// Which published articles a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFilter {
    All,
    Section(i64),
    Tag(i64),
    Author(i64),
}

#[derive(sqlx::FromRow)]
struct ArticleRow {
    id: i64,
    slug: String,
    headline: String,
    lede: String,
    body: String,
    dateline_place: String,
    section_id: i64,
    hero_media_id: Option<i64>,
    status: String,
    sensitive: bool,
    language: String,
    published_at: Option<i64>,
    updated_at: Option<i64>,
    created_at: i64,
}

const ARTICLE_COLUMNS: &str = "id, slug, headline, lede, body, dateline_place, section_id, \
    hero_media_id, status, sensitive, language, published_at, updated_at, created_at";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    slug: String,
    headline: String,
    lede: String,
    section_slug: String,
    section_name: String,
    published_at: i64,
    hero_media_id: Option<i64>,
}

const SUMMARY_SELECT: &str = "SELECT a.id, a.slug, a.headline, a.lede, s.slug AS section_slug, \
    s.name AS section_name, a.published_at, a.hero_media_id \
    FROM articles a JOIN sections s ON s.id = a.section_id";

/// The condition for "a reader may see it now"; binds `now` once.
const VISIBLE: &str = "a.status = 'published' AND a.published_at <= ?";

impl Store {
    /// Creates an article. The slug comes from the input or the headline, made unique
    /// with a numeric suffix.
    pub async fn create_article(&self, input: ArticleInput, now: DateTime<Utc>) -> Result<Article> {
        let mut tx = self.pool.begin().await?;
        let id = write_article(&mut tx, None, input, now).await?;
        tx.commit().await?;
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
        let mut tx = self.pool.begin().await?;
        write_article(&mut tx, Some(id), input, now).await?;
        tx.commit().await?;
        self.article(id).await
    }

    /// Writes many articles in one transaction: all of them land, or none (the batch
    /// form of the publish path, for importers).
    pub async fn create_articles(
        &self,
        inputs: Vec<ArticleInput>,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        let mut tx = self.pool.begin().await?;
        let mut ids = Vec::with_capacity(inputs.len());
        for input in inputs {
            ids.push(write_article(&mut tx, None, input, now).await?);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Deletes an article for good.
    pub async fn delete_article(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("DELETE FROM articles WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "article",
                key: id.to_string(),
            });
        }
        log_change(&mut tx, id, "delete", now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Any article by id, whatever its status.
    pub async fn article(&self, id: i64) -> Result<Article> {
        let row: Option<ArticleRow> = sqlx::query_as(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let row = row.ok_or_else(|| StoreError::NotFound {
            what: "article",
            key: id.to_string(),
        })?;
        self.resolve(row).await
    }

    /// The article a reader may see under this slug now, if any.
    pub async fn visible_article_by_slug(
        &self,
        slug: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Article>> {
        let row: Option<ArticleRow> = sqlx::query_as(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.slug = ? AND {VISIBLE}"
        ))
        .bind(slug)
        .bind(from_time(now))
        .fetch_optional(&self.pool)
        .await?;
        match row {
            None => Ok(None),
            Some(r) => self.resolve(r).await.map(Some),
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
        let (join, cond, key) = match filter {
            ListFilter::All => ("", "", None),
            ListFilter::Section(id) => ("", " AND a.section_id = ?", Some(id)),
            ListFilter::Tag(id) => (
                " JOIN article_tags f ON f.article_id = a.id",
                " AND f.tag_id = ?",
                Some(id),
            ),
            ListFilter::Author(id) => (
                " JOIN article_authors f ON f.article_id = a.id",
                " AND f.author_id = ?",
                Some(id),
            ),
        };
        let count_sql = format!("SELECT count(*) FROM articles a{join} WHERE {VISIBLE}{cond}");
        let mut count = sqlx::query_as::<_, (i64,)>(&count_sql).bind(from_time(now));
        if let Some(k) = key {
            count = count.bind(k);
        }
        let (total,) = count.fetch_one(&self.pool).await?;
        let total = u64::try_from(total).unwrap_or(0);
        let per_page = per_page.max(1);
        let last_page = page_count(total, per_page);
        let page = page.clamp(1, last_page);
        let sql = format!(
            "{SUMMARY_SELECT}{join} WHERE {VISIBLE}{cond} \
             ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?"
        );
        let mut q = sqlx::query_as::<_, SummaryRow>(&sql).bind(from_time(now));
        if let Some(k) = key {
            q = q.bind(k);
        }
        let rows = q
            .bind(i64::from(per_page))
            .bind(i64::from(page - 1) * i64::from(per_page))
            .fetch_all(&self.pool)
            .await?;
        Ok(Page {
            items: self.summaries(rows).await?,
            page,
            last_page,
            total,
        })
    }

    /// Visible articles sharing the most tags with this one, newest first among equals;
    /// never the article itself. The first related-news engine: fresh and cheap.
    pub async fn related_by_tags(
        &self,
        article_id: i64,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<ArticleSummary>> {
        let sql = "SELECT a.id, a.slug, a.headline, a.lede, s.slug AS section_slug, \
            s.name AS section_name, a.published_at, a.hero_media_id \
            FROM article_tags t \
            JOIN article_tags o ON o.tag_id = t.tag_id AND o.article_id <> t.article_id \
            JOIN articles a ON a.id = o.article_id \
            JOIN sections s ON s.id = a.section_id \
            WHERE t.article_id = ? AND a.status = 'published' AND a.published_at <= ? \
            GROUP BY a.id, a.slug, a.headline, a.lede, s.slug, s.name, a.published_at, a.hero_media_id \
            ORDER BY count(*) DESC, a.published_at DESC, a.id DESC LIMIT ?";
        let rows: Vec<SummaryRow> = sqlx::query_as(sql)
            .bind(article_id)
            .bind(from_time(now))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        self.summaries(rows).await
    }

    async fn summaries(&self, rows: Vec<SummaryRow>) -> Result<Vec<ArticleSummary>> {
        let ids: Vec<i64> = rows.iter().filter_map(|r| r.hero_media_id).collect();
        let media = self.media_by_ids(&ids).await?;
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
            })
            .collect())
    }

    async fn media_by_ids(&self, ids: &[i64]) -> Result<Vec<Media>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; ids.len()].join(",");
        let sql = format!("SELECT {MEDIA_COLUMNS} FROM media WHERE id IN ({marks})");
        let mut q = sqlx::query_as::<_, MediaRow>(&sql);
        for id in ids {
            q = q.bind(id);
        }
        q.fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(Media::try_from)
            .collect()
    }

    async fn resolve(&self, row: ArticleRow) -> Result<Article> {
        let section: SectionRow =
            sqlx::query_as("SELECT id, slug, name, position FROM sections WHERE id = ?")
                .bind(row.section_id)
                .fetch_one(&self.pool)
                .await?;
        let tags: Vec<TagRow> = sqlx::query_as(
            "SELECT t.id, t.slug, t.name, t.kind FROM article_tags at \
             JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ? ORDER BY at.position",
        )
        .bind(row.id)
        .fetch_all(&self.pool)
        .await?;
        let authors: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT u.id, u.slug, u.name, u.bio FROM article_authors aa \
             JOIN authors u ON u.id = aa.author_id WHERE aa.article_id = ? ORDER BY aa.position",
        )
        .bind(row.id)
        .fetch_all(&self.pool)
        .await?;
        let body: Vec<Block> = serde_json::from_str(&row.body)
            .map_err(|e| StoreError::Corrupt(format!("article {}: body: {e}", row.id)))?;
        let mut media_ids: Vec<i64> = body
            .iter()
            .filter_map(|b| match b {
                Block::Photo { media_id, .. } => Some(*media_id),
                _ => None,
            })
            .collect();
        media_ids.extend(row.hero_media_id);
        let media = self.media_by_ids(&media_ids).await?;
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

/// The one write path for an article's content: create when `id` is `None`.
async fn write_article(
    tx: &mut Transaction<'_, Sqlite>,
    id: Option<i64>,
    input: ArticleInput,
    now: DateTime<Utc>,
) -> Result<i64> {
    let input = input.normalize()?;
    let section: Option<(i64,)> = sqlx::query_as("SELECT id FROM sections WHERE slug = ?")
        .bind(&input.section)
        .fetch_optional(&mut **tx)
        .await?;
    let (section_id,) = section.ok_or_else(|| StoreError::NotFound {
        what: "section",
        key: input.section.clone(),
    })?;
    let mut author_ids = Vec::with_capacity(input.authors.len());
    for slug in &input.authors {
        let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM authors WHERE slug = ?")
            .bind(slug)
            .fetch_optional(&mut **tx)
            .await?;
        let (aid,) = row.ok_or_else(|| StoreError::NotFound {
            what: "author",
            key: slug.clone(),
        })?;
        if !author_ids.contains(&aid) {
            author_ids.push(aid);
        }
    }
    let mut media_ids: Vec<i64> = input
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Photo { media_id, .. } => Some(*media_id),
            _ => None,
        })
        .collect();
    media_ids.extend(input.hero_media_id);
    for mid in media_ids {
        let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM media WHERE id = ?")
            .bind(mid)
            .fetch_optional(&mut **tx)
            .await?;
        if row.is_none() {
            return Err(StoreError::NotFound {
                what: "media",
                key: mid.to_string(),
            });
        }
    }
    let mut tag_ids = Vec::with_capacity(input.tags.len());
    for tag in &input.tags {
        let slug = slugify(&tag.name);
        if slug.is_empty() {
            return Err(ValidationError::Invalid {
                field: "tags",
                reason: format!(
                    "tag `{}` has no letters or digits for its address",
                    tag.name
                ),
            }
            .into());
        }
        let (tid,): (i64,) = sqlx::query_as(
            "INSERT INTO tags (slug, name, kind) VALUES (?, ?, ?)
             ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id",
        )
        .bind(&slug)
        .bind(&tag.name)
        .bind(tag_kind_str(tag.kind))
        .fetch_one(&mut **tx)
        .await?;
        if !tag_ids.contains(&tid) {
            tag_ids.push(tid);
        }
    }
    let body = serde_json::to_string(&input.body)
        .map_err(|e| StoreError::Corrupt(format!("body: {e}")))?;

    let article_id = match id {
        None => {
            let slug = match &input.slug {
                Some(s) => {
                    if slug_taken(tx, s, None).await? {
                        return Err(StoreError::SlugTaken(s.clone()));
                    }
                    s.clone()
                }
                None => unique_slug(tx, &input.headline, None).await?,
            };
            let (new_id,): (i64,) = sqlx::query_as(
                "INSERT INTO articles (slug, headline, lede, body, dateline_place, section_id, \
                 hero_media_id, status, sensitive, language, published_at, updated_at, \
                 created_at, modified_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?) RETURNING id",
            )
            .bind(slug)
            .bind(&input.headline)
            .bind(&input.lede)
            .bind(&body)
            .bind(&input.dateline_place)
            .bind(section_id)
            .bind(input.hero_media_id)
            .bind(input.status.as_str())
            .bind(input.sensitive)
            .bind(&input.language)
            .bind(input.published_at.map(from_time))
            .bind(from_time(now))
            .bind(from_time(now))
            .fetch_one(&mut **tx)
            .await?;
            log_change(tx, new_id, "create", now).await?;
            new_id
        }
        Some(id) => {
            let old: Option<(String, String, Option<i64>, Option<i64>)> = sqlx::query_as(
                "SELECT slug, status, published_at, updated_at FROM articles WHERE id = ?",
            )
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
            let (old_slug, old_status, old_published, old_updated) =
                old.ok_or_else(|| StoreError::NotFound {
                    what: "article",
                    key: id.to_string(),
                })?;
            let was_public = old_status == Status::Published.as_str() && old_published.is_some();
            let slug = match &input.slug {
                Some(s) if *s != old_slug => {
                    if was_public {
                        return Err(ValidationError::Invalid {
                            field: "slug",
                            reason: "a published article keeps its address".into(),
                        }
                        .into());
                    }
                    if slug_taken(tx, s, Some(id)).await? {
                        return Err(StoreError::SlugTaken(s.clone()));
                    }
                    s.clone()
                }
                _ => old_slug,
            };
            // A published article edited again keeps its first publication time and
            // gains an update time.
            let (published_at, updated_at) = if was_public && input.status == Status::Published {
                (old_published, Some(from_time(now)))
            } else {
                (input.published_at.map(from_time), old_updated)
            };
            sqlx::query(
                "UPDATE articles SET slug = ?, headline = ?, lede = ?, body = ?, \
                 dateline_place = ?, section_id = ?, hero_media_id = ?, status = ?, \
                 sensitive = ?, language = ?, published_at = ?, updated_at = ?, \
                 modified_at = ? WHERE id = ?",
            )
            .bind(slug)
            .bind(&input.headline)
            .bind(&input.lede)
            .bind(&body)
            .bind(&input.dateline_place)
            .bind(section_id)
            .bind(input.hero_media_id)
            .bind(input.status.as_str())
            .bind(input.sensitive)
            .bind(&input.language)
            .bind(published_at)
            .bind(updated_at)
            .bind(from_time(now))
            .bind(id)
            .execute(&mut **tx)
            .await?;
            sqlx::query("DELETE FROM article_tags WHERE article_id = ?")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            sqlx::query("DELETE FROM article_authors WHERE article_id = ?")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            log_change(tx, id, "update", now).await?;
            id
        }
    };
    for (pos, tid) in tag_ids.iter().enumerate() {
        sqlx::query("INSERT INTO article_tags (article_id, tag_id, position) VALUES (?, ?, ?)")
            .bind(article_id)
            .bind(tid)
            .bind(pos as i64)
            .execute(&mut **tx)
            .await?;
    }
    for (pos, aid) in author_ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO article_authors (article_id, author_id, position) VALUES (?, ?, ?)",
        )
        .bind(article_id)
        .bind(aid)
        .bind(pos as i64)
        .execute(&mut **tx)
        .await?;
    }
    Ok(article_id)
}

async fn slug_taken(
    tx: &mut Transaction<'_, Sqlite>,
    slug: &str,
    except: Option<i64>,
) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM articles WHERE slug = ?")
        .bind(slug)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(matches!(row, Some((id,)) if Some(id) != except))
}

async fn unique_slug(
    tx: &mut Transaction<'_, Sqlite>,
    headline: &str,
    except: Option<i64>,
) -> Result<String> {
    let mut base = slugify(headline);
    if base.is_empty() {
        base = "berita".to_owned();
    }
    if !slug_taken(tx, &base, except).await? {
        return Ok(base);
    }
    for n in 2..10_000 {
        let candidate = format!("{base}-{n}");
        if !slug_taken(tx, &candidate, except).await? {
            return Ok(candidate);
        }
    }
    Err(StoreError::SlugTaken(base))
}

async fn log_change(
    tx: &mut Transaction<'_, Sqlite>,
    article_id: i64,
    kind: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("INSERT INTO changes (article_id, kind, at) VALUES (?, ?, ?)")
        .bind(article_id)
        .bind(kind)
        .bind(from_time(now))
        .execute(&mut **tx)
        .await?;
    Ok(())
}
