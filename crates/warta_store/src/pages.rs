//! The publication's own pages (issue #30): Redaksi, Pedoman Media Siber, Kontak,
//! Tentang Kami. Each has a title, a body in the article's blocks and a slug at the
//! top of the site (`/redaksi`); the footer lists them by position.
//!
//! Page slugs, section slugs and the site's reserved names are one namespace, checked
//! here ([`top_level_owner`]) for both pages and sections. A save changes what every
//! page's footer shows: it bumps the `site` signal, so every node drops its cache.

use chrono::{DateTime, Utc};
use warta_core::{Block, Reason, ValidationError};

use crate::catalog::BUMP_SITE;
use crate::db::{on_conn, on_pool};
use crate::rows::{from_time, to_time};
use crate::{Result, Store, StoreError};

/// A page of the publication as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePage {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub body: Vec<Block>,
    /// The footer's order, smallest first.
    pub position: i64,
    pub updated_at: DateTime<Utc>,
}

/// What a page's form or an import gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageInput {
    pub slug: String,
    pub title: String,
    pub body: Vec<Block>,
    pub position: i64,
}

/// The most pages a site keeps (the footer lists them all).
pub const MAX_PAGES: usize = 40;

type PageRow = (i64, String, String, String, i64, i64);

fn page_of(r: PageRow) -> Result<SitePage> {
    let (id, slug, title, body, position, updated_at) = r;
    let body: Vec<Block> = serde_json::from_str(&body)
        .map_err(|e| StoreError::Corrupt(format!("page {id}: body: {e}")))?;
    Ok(SitePage {
        id,
        slug,
        title,
        body,
        position,
        updated_at: to_time(updated_at),
    })
}

const COLUMNS: &str = "id, slug, title, body, position, updated_at";

/// Who holds `slug` at the top of the site, if anyone but page `except`: a reserved
/// name, a section or another page. The one check both pages and sections pass.
pub(crate) async fn top_level_owner(
    pool: &crate::db::Pool,
    slug: &str,
    except_page: Option<i64>,
    except_section: bool,
) -> Result<Option<&'static str>> {
    if warta_core::slug::is_reserved(slug) {
        return Ok(Some("reserved"));
    }
    if !except_section {
        let n: (i64,) = on_pool!(pool, |c, b| {
            sqlx::query_as(&b.sql("SELECT count(*) FROM sections WHERE slug = ?"))
                .bind(slug)
                .fetch_one(c)
                .await
        })?;
        if n.0 > 0 {
            return Ok(Some("section"));
        }
    }
    let n: (i64,) = on_pool!(pool, |c, b| {
        sqlx::query_as(&b.sql("SELECT count(*) FROM pages WHERE slug = ? AND id <> ?"))
            .bind(slug)
            .bind(except_page.unwrap_or(0))
            .fetch_one(c)
            .await
    })?;
    Ok((n.0 > 0).then_some("page"))
}

fn taken(field: &'static str, slug: &str) -> StoreError {
    StoreError::Invalid(ValidationError::Invalid {
        field,
        reason: Reason::ReservedSlug(slug.to_owned()),
    })
}

impl Store {
    /// Every page, in the footer's order.
    pub async fn site_pages(&self) -> Result<Vec<SitePage>> {
        let rows: Vec<PageRow> = on_pool!(&self.reads, |c, b| {
            sqlx::query_as(&b.sql(&format!(
                "SELECT {COLUMNS} FROM pages ORDER BY position, id"
            )))
            .fetch_all(c)
            .await
        })?;
        rows.into_iter().map(page_of).collect()
    }

    /// Every page's slug and title, in the footer's order: what each rendered page's
    /// footer needs, without reading and parsing the bodies.
    pub async fn site_page_links(&self) -> Result<Vec<(String, String)>> {
        Ok(on_pool!(&self.reads, |c, b| {
            sqlx::query_as(&b.sql("SELECT slug, title FROM pages ORDER BY position, id"))
                .fetch_all(c)
                .await
        })?)
    }

    pub async fn site_page_by_slug(&self, slug: &str) -> Result<Option<SitePage>> {
        let row: Option<PageRow> = on_pool!(&self.reads, |c, b| {
            sqlx::query_as(&b.sql(&format!("SELECT {COLUMNS} FROM pages WHERE slug = ?")))
                .bind(slug)
                .fetch_optional(c)
                .await
        })?;
        row.map(page_of).transpose()
    }

    pub async fn site_page(&self, id: i64) -> Result<Option<SitePage>> {
        let row: Option<PageRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(&format!("SELECT {COLUMNS} FROM pages WHERE id = ?")))
                .bind(id)
                .fetch_optional(c)
                .await
        })?;
        row.map(page_of).transpose()
    }

    /// What [`Store::save_site_page`] would refuse, without writing (an import's dry
    /// run): the slug must be free at the top of the site, the title not empty. The
    /// title as it would be saved.
    pub async fn check_site_page(&self, id: Option<i64>, page: &PageInput) -> Result<String> {
        crate::catalog::check_slug("slug", &page.slug)?;
        let title = warta_core::sanitize::clean_text(&page.title);
        if title.is_empty() {
            return Err(StoreError::Invalid(ValidationError::Required {
                field: "title",
            }));
        }
        if top_level_owner(&self.pool, &page.slug, id, false)
            .await?
            .is_some()
        {
            return Err(taken("slug", &page.slug));
        }
        Ok(title)
    }

    /// Creates a page (`id` `None`) or changes page `id`; returns its id. The slug must
    /// be free at the top of the site; the title must not be empty.
    pub async fn save_site_page(
        &self,
        id: Option<i64>,
        page: &PageInput,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let title = self.check_site_page(id, page).await?;
        let body = serde_json::to_string(&page.body)
            .map_err(|e| StoreError::Corrupt(format!("page body: {e}")))?;
        let mut tx = self.begin_write().await?;
        let id = match id {
            None => {
                let count: (i64,) = on_conn!(&mut tx.conn(), |c, b| {
                    sqlx::query_as(&b.sql("SELECT count(*) FROM pages"))
                        .fetch_one(c)
                        .await
                })?;
                if count.0 as usize >= MAX_PAGES {
                    return Err(StoreError::Invalid(ValidationError::Invalid {
                        field: "pages",
                        reason: Reason::OutOfRange {
                            min: 0,
                            max: MAX_PAGES as i64,
                        },
                    }));
                }
                let (id,): (i64,) = on_conn!(&mut tx.conn(), |c, b| {
                    sqlx::query_as(&b.sql(
                        "INSERT INTO pages (slug, title, body, position, updated_at) \
                         VALUES (?, ?, ?, ?, ?) RETURNING id",
                    ))
                    .bind(&page.slug)
                    .bind(&title)
                    .bind(&body)
                    .bind(page.position)
                    .bind(from_time(now))
                    .fetch_one(c)
                    .await
                })?;
                id
            }
            Some(id) => {
                let done = on_conn!(&mut tx.conn(), |c, b| {
                    sqlx::query(&b.sql(
                        "UPDATE pages SET slug = ?, title = ?, body = ?, position = ?, \
                         updated_at = ? WHERE id = ?",
                    ))
                    .bind(&page.slug)
                    .bind(&title)
                    .bind(&body)
                    .bind(page.position)
                    .bind(from_time(now))
                    .bind(id)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
                })?;
                if done == 0 {
                    return Err(StoreError::NotFound {
                        what: "page",
                        key: id.to_string(),
                    });
                }
                id
            }
        };
        bump_site(&mut tx).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Deletes page `id`; false when there was none.
    pub async fn delete_site_page(&self, id: i64) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let done = on_conn!(&mut tx.conn(), |c, b| {
            sqlx::query(&b.sql("DELETE FROM pages WHERE id = ?"))
                .bind(id)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        bump_site(&mut tx).await?;
        tx.commit().await?;
        Ok(done > 0)
    }

    /// Sections whose slug the site has since reserved for itself (a new route such as
    /// `/indeks`) are renamed `{slug}-kanal` (`-kanal-2`… when taken), so the route and
    /// the section both answer; their stories' old addresses lead to the new ones by
    /// the article route's redirect to its canonical address. Returns `(old, new)` for
    /// each, for the log. Run at every start; a no-op once done.
    pub async fn rename_reserved_sections(&self) -> Result<Vec<(String, String)>> {
        let slugs: Vec<(i64, String)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql("SELECT id, slug FROM sections ORDER BY id"))
                .fetch_all(c)
                .await
        })?;
        let mut renamed = Vec::new();
        for (id, slug) in slugs {
            if !warta_core::slug::is_reserved(&slug) {
                continue;
            }
            let mut new = format!("{slug}-kanal");
            let mut n = 2;
            while top_level_owner(&self.pool, &new, None, false)
                .await?
                .is_some()
            {
                new = format!("{slug}-kanal-{n}");
                n += 1;
            }
            let mut tx = self.begin_write().await?;
            on_conn!(&mut tx.conn(), |c, b| {
                sqlx::query(&b.sql("UPDATE sections SET slug = ? WHERE id = ?"))
                    .bind(&new)
                    .bind(id)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
            })?;
            bump_site(&mut tx).await?;
            tx.commit().await?;
            renamed.push((slug, new));
        }
        Ok(renamed)
    }
}

/// Counts a change every page shows (see `catalog::BUMP_SITE`), in `tx`.
async fn bump_site(tx: &mut crate::Tx) -> Result<()> {
    on_conn!(&mut tx.conn(), |c, b| {
        sqlx::query(&b.sql(BUMP_SITE))
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// A section's slug must not be a page's: the other half of the namespace check.
pub(crate) async fn check_section_free(pool: &crate::db::Pool, slug: &str) -> Result<()> {
    match top_level_owner(pool, slug, None, true).await? {
        Some(_) => Err(taken("section", slug)),
        None => Ok(()),
    }
}
