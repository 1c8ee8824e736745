//! Translations: articles that tell one story in different languages form a group
//! (`article_translations`, keyed by the id of the group's first article, its root).
//! Pages name the group's visible members with `hreflang`. A change of group is
//! written to the change log for every member whose translations changed, so pages,
//! caches and other nodes follow it like any other write.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::db::{Conn, on_conn, on_pool};
use crate::rows::{from_time, to_time};
use crate::write::Writer;
use crate::{Result, Store, StoreError};

/// A visible member of an article's translation group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub id: i64,
    pub language: String,
    pub section_slug: String,
    pub slug: String,
    pub published_at: DateTime<Utc>,
}

impl Store {
    /// Every member of this article's group a reader may see now (the article itself
    /// included when visible), by language; empty when it has no translation.
    pub async fn translations(
        &self,
        article_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<Translation>> {
        let rows: Vec<(i64, String, String, String, i64)> = on_pool!(&self.reads, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT a.id, a.language, s.slug, a.slug, a.published_at \
                 FROM article_translations t1 \
                 JOIN article_translations t2 ON t2.group_id = t1.group_id \
                 JOIN articles a ON a.id = t2.article_id \
                 JOIN sections s ON s.id = a.section_id \
                 WHERE t1.article_id = ? AND a.status = 'published' AND a.published_at <= ? \
                 ORDER BY a.language, a.id",
            ))
            .bind(article_id)
            .bind(from_time(now))
            .fetch_all(c)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|r| Translation {
                id: r.0,
                language: r.1,
                section_slug: r.2,
                slug: r.3,
                published_at: to_time(r.4),
            })
            .collect())
    }

    /// The root of the article's group when the article is another member of it
    /// (what the editor shows as "translation of").
    pub async fn translation_of(&self, article_id: i64) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT group_id FROM article_translations WHERE article_id = ? AND group_id <> article_id",
            ))
            .bind(article_id)
            .fetch_optional(c)
            .await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// Makes `article_id` a translation of `of` (joining `of`'s group), or takes it
    /// out of its group (`None`).
    pub async fn set_translation_of(
        &self,
        article_id: i64,
        of: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        join_group(&mut tx.conn(), article_id, of, from_time(now)).await?;
        tx.commit().await
    }

    /// For the exporter: every article that is a translation of another, with the
    /// slug of its group's root.
    pub async fn translation_roots(&self) -> Result<HashMap<i64, String>> {
        let rows: Vec<(i64, String)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT t.article_id, r.slug FROM article_translations t \
                 JOIN articles r ON r.id = t.group_id WHERE t.article_id <> t.group_id",
            ))
            .fetch_all(c)
            .await
        })?;
        Ok(rows.into_iter().collect())
    }
}

impl Writer {
    /// Links imported articles (by slug) to the articles they translate (by slug);
    /// returns the pairs where either slug names no article, which are not linked.
    pub async fn link_translations(
        &mut self,
        pairs: &[(String, String)],
    ) -> Result<Vec<(String, String)>> {
        let now = from_time(self.now);
        let mut missing = Vec::new();
        for (slug, of) in pairs {
            let mut ids = Vec::with_capacity(2);
            for s in [slug, of] {
                let row: Option<(i64,)> = on_conn!(&mut self.tx.conn(), |c, b| {
                    sqlx::query_as(&b.sql("SELECT id FROM articles WHERE slug = ?"))
                        .bind(s)
                        .fetch_optional(c)
                        .await
                })?;
                ids.extend(row.map(|r| r.0));
            }
            match ids[..] {
                [id, of_id] if id != of_id => {
                    join_group(&mut self.tx.conn(), id, Some(of_id), now).await?;
                }
                _ => missing.push((slug.clone(), of.clone())),
            }
        }
        Ok(missing)
    }
}

/// The group an article is in, if any.
async fn group_of(conn: &mut Conn<'_>, article_id: i64) -> Result<Option<i64>> {
    let row: Option<(i64,)> = on_conn!(conn, |c, b| {
        sqlx::query_as(&b.sql("SELECT group_id FROM article_translations WHERE article_id = ?"))
            .bind(article_id)
            .fetch_optional(c)
            .await
    })?;
    Ok(row.map(|r| r.0))
}

async fn members(conn: &mut Conn<'_>, group: i64) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = on_conn!(conn, |c, b| {
        sqlx::query_as(&b.sql("SELECT article_id FROM article_translations WHERE group_id = ?"))
            .bind(group)
            .fetch_all(c)
            .await
    })?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

async fn exec(conn: &mut Conn<'_>, sql: &str, a: i64, bb: i64) -> Result<()> {
    on_conn!(conn, |c, b| {
        sqlx::query(&b.sql(sql))
            .bind(a)
            .bind(bb)
            .execute(c)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// Moves `article_id` into `of`'s group (made if `of` has none) or out of any
/// (`None`), in the caller's write transaction; a group left with one member is
/// dissolved. Every article whose translations changed gets a `changes` row.
async fn join_group(conn: &mut Conn<'_>, article_id: i64, of: Option<i64>, now: i64) -> Result<()> {
    if of == Some(article_id) {
        return Err(StoreError::Invalid(warta_core::ValidationError::Invalid {
            field: "translation_of",
            reason: warta_core::Reason::SelfTranslation,
        }));
    }
    let old = group_of(conn, article_id).await?;
    let new = match of {
        None => None,
        Some(o) => {
            let exists: Option<(i64,)> = on_conn!(conn, |c, b| {
                sqlx::query_as(&b.sql("SELECT id FROM articles WHERE id = ?"))
                    .bind(o)
                    .fetch_optional(c)
                    .await
            })?;
            if exists.is_none() {
                return Err(StoreError::NotFound {
                    what: "article",
                    key: o.to_string(),
                });
            }
            Some(group_of(conn, o).await?.unwrap_or(o))
        }
    };
    if old == new && old.is_some() {
        return Ok(());
    }
    let mut touched = vec![article_id];
    if let Some(g) = old {
        touched.extend(members(conn, g).await?);
        exec(
            conn,
            "DELETE FROM article_translations WHERE article_id = ? AND group_id = ?",
            article_id,
            g,
        )
        .await?;
        // The root left: the group goes on under the lowest remaining id.
        let rest = members(conn, g).await?;
        if rest.len() <= 1 {
            for m in rest {
                exec(
                    conn,
                    "DELETE FROM article_translations WHERE article_id = ? AND group_id = ?",
                    m,
                    g,
                )
                .await?;
            }
        } else if g == article_id
            && let Some(root) = rest.iter().min().copied()
        {
            exec(
                conn,
                "UPDATE article_translations SET group_id = ? WHERE group_id = ?",
                root,
                g,
            )
            .await?;
        }
    }
    if let (Some(g), Some(o)) = (new, of) {
        // `of`'s group, made with `of` as its root if it had none.
        if group_of(conn, o).await?.is_none() {
            exec(
                conn,
                "INSERT INTO article_translations (article_id, group_id) VALUES (?, ?)",
                o,
                o,
            )
            .await?;
        }
        exec(
            conn,
            "INSERT INTO article_translations (article_id, group_id) VALUES (?, ?)",
            article_id,
            g,
        )
        .await?;
        touched.extend(members(conn, g).await?);
    }
    touched.sort_unstable();
    touched.dedup();
    for id in touched {
        exec(
            conn,
            "INSERT INTO changes (article_id, kind, at) VALUES (?, 'update', ?)",
            id,
            now,
        )
        .await?;
    }
    Ok(())
}
