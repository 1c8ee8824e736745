//! Everything around articles: site settings, sections, authors, tags and media.

use chrono::{DateTime, Utc};
use warta_core::{Author, Media, Rendition, Section, SiteSettings, Tag};

use crate::db::{on_conn, on_pool};
use crate::rows::{MEDIA_COLUMNS, MediaRow, SectionRow, TagRow, from_time};
use crate::{Result, Store, StoreError};

/// A media file to record; the file itself is already in the media folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMedia {
    pub file: String,
    pub mime: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub renditions: Vec<Rendition>,
}

impl Store {
    /// The site settings; defaults on a new site.
    pub async fn settings(&self) -> Result<SiteSettings> {
        let row: Option<(String,)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql("SELECT json FROM site_settings WHERE id = 1"))
                .fetch_optional(c)
                .await
        })?;
        match row {
            None => Ok(SiteSettings::default()),
            Some((json,)) => serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("site settings: {e}"))),
        }
    }

    pub async fn save_settings(&self, settings: &SiteSettings) -> Result<()> {
        settings.validate()?;
        let json = serde_json::to_string(settings)
            .map_err(|e| StoreError::Corrupt(format!("site settings: {e}")))?;
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql(
                "INSERT INTO site_settings (id, json) VALUES (1, ?)
             ON CONFLICT (id) DO UPDATE SET json = excluded.json",
            ))
            .bind(json)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
        })?;
        bump_site(&self.pool).await
    }

    /// Creates the section, or renames and re-orders the one with this slug.
    pub async fn upsert_section(&self, slug: &str, name: &str, position: i64) -> Result<Section> {
        check_section_slug(slug)?;
        crate::pages::check_section_free(&self.pool, slug).await?;
        let row: SectionRow = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "INSERT INTO sections (slug, name, position) VALUES (?, ?, ?)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, position = excluded.position
             RETURNING id, slug, name, position",
            ))
            .bind(slug)
            .bind(name)
            .bind(position)
            .fetch_one(c)
            .await
        })?;
        bump_site(&self.pool).await?;
        Ok(row.into())
    }

    pub async fn sections(&self) -> Result<Vec<Section>> {
        let rows: Vec<SectionRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(
                &b.sql("SELECT id, slug, name, position FROM sections ORDER BY position, name"),
            )
            .fetch_all(c)
            .await
        })?;
        Ok(rows.into_iter().map(Section::from).collect())
    }

    pub async fn section_by_slug(&self, slug: &str) -> Result<Option<Section>> {
        let row: Option<SectionRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql("SELECT id, slug, name, position FROM sections WHERE slug = ?"))
                .bind(slug)
                .fetch_optional(c)
                .await
        })?;
        Ok(row.map(Section::from))
    }

    pub async fn upsert_author(&self, slug: &str, name: &str, bio: &str) -> Result<Author> {
        check_slug("author", slug)?;
        let (id, slug, name, bio): (i64, String, String, String) = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "INSERT INTO authors (slug, name, bio) VALUES (?, ?, ?)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, bio = excluded.bio
             RETURNING id, slug, name, bio",
            ))
            .bind(slug)
            .bind(name)
            .bind(bio)
            .fetch_one(c)
            .await
        })?;
        // A byline and an author page show the name and bio on every node.
        bump_site(&self.pool).await?;
        Ok(Author {
            id,
            slug,
            name,
            bio,
        })
    }

    pub async fn author_by_slug(&self, slug: &str) -> Result<Option<Author>> {
        let row: Option<(i64, String, String, String)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql("SELECT id, slug, name, bio FROM authors WHERE slug = ?"))
                .bind(slug)
                .fetch_optional(c)
                .await
        })?;
        Ok(row.map(|(id, slug, name, bio)| Author {
            id,
            slug,
            name,
            bio,
        }))
    }

    pub async fn authors(&self) -> Result<Vec<Author>> {
        let rows: Vec<(i64, String, String, String)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql("SELECT id, slug, name, bio FROM authors ORDER BY id"))
                .fetch_all(c)
                .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, slug, name, bio)| Author {
                id,
                slug,
                name,
                bio,
            })
            .collect())
    }

    pub async fn tag_by_slug(&self, slug: &str) -> Result<Option<Tag>> {
        let row: Option<TagRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql("SELECT id, slug, name, kind FROM tags WHERE slug = ?"))
                .bind(slug)
                .fetch_optional(c)
                .await
        })?;
        row.map(Tag::try_from).transpose()
    }

    /// The tag under `slug` if a reader can see at least one article with it at `now`
    /// (a tag only drafts use has no public page, feed or API entry).
    pub async fn visible_tag_by_slug(&self, slug: &str, now: DateTime<Utc>) -> Result<Option<Tag>> {
        let row: Option<TagRow> = on_pool!(&self.reads, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT t.id, t.slug, t.name, t.kind FROM tags t WHERE t.slug = ? AND EXISTS \
                 (SELECT 1 FROM article_tags x JOIN articles a ON a.id = x.article_id \
                  WHERE x.tag_id = t.id AND a.status = 'published' AND a.published_at <= ?)",
            ))
            .bind(slug)
            .bind(from_time(now))
            .fetch_optional(c)
            .await
        })?;
        row.map(Tag::try_from).transpose()
    }

    pub async fn insert_media(&self, m: &NewMedia, now: DateTime<Utc>) -> Result<Media> {
        let renditions = serde_json::to_string(&m.renditions)
            .map_err(|e| StoreError::Corrupt(format!("renditions: {e}")))?;
        // Media ids are the highest + 1 under the write lock, as the batch writer
        // gives them, so the two never hand out the same id.
        let mut tx = self.begin_write().await?;
        let row: MediaRow = on_conn!(&mut tx.conn(), |c, b| {
            sqlx::query_as(&b.sql(&format!(
                "INSERT INTO media (id, file, mime, width, height, alt, caption, credit, \
                 renditions, created_at) \
                 VALUES ((SELECT coalesce(max(id), 0) + 1 FROM media), ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                 RETURNING {MEDIA_COLUMNS}"
            )))
            .bind(&m.file)
            .bind(&m.mime)
            .bind(i64::from(m.width))
            .bind(i64::from(m.height))
            .bind(warta_core::sanitize::clean_text(&m.alt))
            .bind(warta_core::sanitize::clean_text(&m.caption))
            .bind(warta_core::sanitize::clean_text(&m.credit))
            .bind(renditions)
            .bind(from_time(now))
            .fetch_one(&mut *c)
            .await
        })?;
        tx.commit().await?;
        Media::try_from(row)
    }

    pub async fn media(&self, id: i64) -> Result<Option<Media>> {
        let row: Option<MediaRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(&format!("SELECT {MEDIA_COLUMNS} FROM media WHERE id = ?")))
                .bind(id)
                .fetch_optional(c)
                .await
        })?;
        row.map(Media::try_from).transpose()
    }

    /// A photo already stored from the same bytes: the pipeline names its files
    /// `{content}-…` after the bytes' hash, so an import run again finds the photos it
    /// brought the first time instead of processing them again.
    pub async fn media_by_content(&self, content: &str) -> Result<Option<Media>> {
        if content.is_empty() || !content.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let pattern = format!("{content}-%");
        let row: Option<MediaRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(&format!(
                "SELECT {MEDIA_COLUMNS} FROM media WHERE file LIKE ? ORDER BY id LIMIT 1"
            )))
            .bind(pattern)
            .fetch_optional(c)
            .await
        })?;
        row.map(Media::try_from).transpose()
    }

    /// True when the site has no articles yet (the demo fills such a site).
    pub async fn is_empty(&self) -> Result<bool> {
        let (n,): (i64,) = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql("SELECT count(*) FROM articles"))
                .fetch_one(c)
                .await
        })?;
        Ok(n == 0)
    }
}

pub(crate) fn check_slug(what: &'static str, slug: &str) -> Result<()> {
    if warta_core::slug::is_valid(slug) {
        Ok(())
    } else {
        Err(StoreError::Invalid(warta_core::ValidationError::Invalid {
            field: what,
            reason: warta_core::Reason::NotSlug(slug.to_owned()),
        }))
    }
}

/// A section's slug: valid, and not one of the site's own top-level names.
pub(crate) fn check_section_slug(slug: &str) -> Result<()> {
    check_slug("section", slug)?;
    if warta_core::slug::is_reserved(slug) {
        return Err(StoreError::Invalid(warta_core::ValidationError::Invalid {
            field: "section",
            reason: warta_core::Reason::ReservedSlug(slug.to_owned()),
        }));
    }
    Ok(())
}

/// The statement that counts a change to what every page shows (the `site` signal of
/// [`Store::watermark`]): every node then drops its whole page cache.
pub(crate) const BUMP_SITE: &str = "INSERT INTO signals (name, value) VALUES ('site', 1) \
     ON CONFLICT (name) DO UPDATE SET value = signals.value + 1";

async fn bump_site(pool: &crate::db::Pool) -> Result<()> {
    on_pool!(pool, |c| {
        sqlx::query(BUMP_SITE)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}
