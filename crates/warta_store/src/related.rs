//! Related lists: stored per article by the related-news engine, read by the article
//! page with one query, with the editors' pins first and their excludes left out.
//! Entries are shown only while visible, so a list never shows a deleted, unpublished
//! or embargoed article even before the engine has recomputed it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use warta_core::ArticleSummary;

use crate::articles::{SummaryRow, summary_by_id};
use crate::rows::from_time;
use sqlx::QueryBuilder;

use crate::db::{delete_for_articles, on_conn, on_pool};
use crate::{Result, Store};

/// An editor's choices for one article's related block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RelatedEdits {
    /// Shown first, in this order (while visible).
    pub pins: Vec<i64>,
    /// Never shown.
    pub excludes: Vec<i64>,
}

impl Store {
    /// Replaces an article's computed list (best first) and records when.
    pub async fn save_related(
        &self,
        article_id: i64,
        list: &[(i64, f32)],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        delete_for_articles(&mut tx.conn(), "related_lists", &[article_id]).await?;
        for (pos, (id, score)) in list.iter().enumerate() {
            on_conn!(&mut tx.conn(), |c, b| {
                sqlx::query(&b.sql(
                    "INSERT INTO related_lists (article_id, position, related_id, score) \
                 SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?)",
                ))
                .bind(article_id)
                .bind(i64::try_from(pos).unwrap_or(i64::MAX))
                .bind(id)
                .bind(f64::from(*score))
                .bind(id)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
            })?;
        }
        on_conn!(&mut tx.conn(), |c, b| {
            sqlx::query(&b.sql(
                "INSERT INTO related_computed (article_id, at) SELECT ?, ? \
             WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?) \
             ON CONFLICT (article_id) DO UPDATE SET at = excluded.at",
            ))
            .bind(article_id)
            .bind(from_time(now))
            .bind(article_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
        })?;
        bump_related(&mut tx, &[article_id]).await?;
        tx.commit().await?;
        self.related_cache.forget(&[article_id]);
        Ok(())
    }

    /// [`Store::save_related`] for many articles in one transaction, with multi-row
    /// statements (a full rebuild or an import's lists).
    pub async fn save_related_many(
        &self,
        lists: &[(i64, Vec<(i64, f32)>)],
        now: DateTime<Utc>,
    ) -> Result<()> {
        if lists.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        let ids: Vec<i64> = lists.iter().map(|(id, _)| *id).collect();
        for chunk in ids.chunks(500) {
            delete_for_articles(&mut tx.conn(), "related_lists", chunk).await?;
        }
        let mut rows: Vec<(i64, i64, i64, f64)> = lists
            .iter()
            .flat_map(|(id, list)| {
                list.iter().enumerate().map(move |(pos, (other, score))| {
                    (
                        *id,
                        i64::try_from(pos).unwrap_or(i64::MAX),
                        *other,
                        f64::from(*score),
                    )
                })
            })
            .collect();
        // In the order of the entries' articles: the `related_id` index and the
        // articles' existence checks are then walked page by page instead of at random
        // (for a rebuild of many lists, most of the time of storing them).
        rows.sort_unstable_by_key(|r| (r.2, r.0, r.1));
        // Entries and lists of articles deleted meanwhile are left out, as one by one.
        for chunk in rows.chunks(500) {
            on_conn!(&mut tx.conn(), |c, _b| {
                let mut qb = QueryBuilder::new(
                    "INSERT INTO related_lists (article_id, position, related_id, score) \
                 SELECT v.column1, v.column2, v.column3, v.column4 FROM (",
                );
                qb.push_values(chunk, |mut b, (a, pos, other, score)| {
                    b.push_bind(*a)
                        .push_bind(*pos)
                        .push_bind(*other)
                        .push_bind(*score);
                });
                qb.push(
                    ") v WHERE EXISTS (SELECT 1 FROM articles WHERE id = v.column3) \
                 AND EXISTS (SELECT 1 FROM articles WHERE id = v.column1)",
                );
                qb.build().execute(&mut *c).await.map(|_| ())
            })?;
        }
        for chunk in ids.chunks(500) {
            on_conn!(&mut tx.conn(), |c, _b| {
                let mut qb = QueryBuilder::new(
                    "INSERT INTO related_computed (article_id, at) SELECT v.column1, v.column2 FROM (",
                );
                qb.push_values(chunk, |mut b, id| {
                    b.push_bind(*id).push_bind(from_time(now));
                });
                qb.push(
                    ") v WHERE EXISTS (SELECT 1 FROM articles WHERE id = v.column1) \
                 ON CONFLICT (article_id) DO UPDATE SET at = excluded.at",
                );
                qb.build().execute(&mut *c).await.map(|_| ())
            })?;
        }
        bump_related(&mut tx, &ids).await?;
        tx.commit().await?;
        self.related_cache.forget(&ids);
        Ok(())
    }

    /// Forgets an article's computed list (it is no longer visible).
    pub async fn clear_related(&self, article_id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for table in ["related_lists", "related_computed"] {
            delete_for_articles(&mut tx.conn(), table, &[article_id]).await?;
        }
        bump_related(&mut tx, &[article_id]).await?;
        tx.commit().await?;
        self.related_cache.forget(&[article_id]);
        Ok(())
    }

    /// The related block of an article: pins first, then the computed list without
    /// excluded or pinned entries, only what readers may see at `now`, at most
    /// `limit`. `None` if no list was computed yet (the page falls back to tags).
    pub async fn related_list(
        &self,
        article_id: i64,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<ArticleSummary>>> {
        if let Some(hit) = self.related_cache.get(article_id, limit, now) {
            return Ok(hit);
        }
        let generation = self.related_cache.generation();
        let (list, depends_on, next_visible) =
            self.read_related_list(article_id, limit, now).await?;
        self.related_cache.put(
            generation,
            article_id,
            limit,
            depends_on,
            now,
            next_visible,
            list.clone(),
        );
        Ok(list)
    }

    /// [`Store::related_list`] from the database, with what the cache needs: the ids
    /// the block depends on and the earliest time one of them becomes visible.
    async fn read_related_list(
        &self,
        article_id: i64,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<(Option<Vec<ArticleSummary>>, Vec<i64>, Option<DateTime<Utc>>)> {
        // One statement for whether a list exists, the editors' pins and excludes, and
        // the computed entries: each statement costs a hand-off to sqlx's worker.
        let mut rows: Vec<(i64, i64, i64)> = on_pool!(&self.reads, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT) \
                 FROM related_computed WHERE article_id = ?1 \
                 UNION ALL SELECT CAST(CASE kind WHEN 'pin' THEN 1 ELSE 2 END AS BIGINT), \
                 other_id, position FROM related_edits WHERE article_id = ?1 \
                 UNION ALL SELECT CAST(3 AS BIGINT), related_id, position \
                 FROM related_lists WHERE article_id = ?1",
            ))
            .bind(article_id)
            .fetch_all(c)
            .await
        })?;
        rows.sort_unstable_by_key(|&(kind, _, position)| (kind, position));
        let computed = rows.iter().any(|r| r.0 == 0);
        let pins: Vec<i64> = rows.iter().filter(|r| r.0 == 1).map(|r| r.1).collect();
        let excludes: Vec<i64> = rows.iter().filter(|r| r.0 == 2).map(|r| r.1).collect();
        if !computed && pins.is_empty() {
            return Ok((None, Vec::new(), None));
        }
        let mut ids: Vec<i64> = pins.clone();
        ids.extend(
            rows.iter()
                .filter(|r| r.0 == 3)
                .map(|r| r.1)
                .filter(|id| !pins.contains(id) && !excludes.contains(id)),
        );
        ids.retain(|id| *id != article_id);
        if ids.is_empty() {
            return Ok((Some(Vec::new()), ids, None));
        }
        let mut rows: Vec<SummaryRow> = crate::articles::rows_for_ids_on(
            &self.reads,
            // `+` keeps SQLite on the primary key: with the status index it would walk
            // every visible article.
            &format!(
                "{} WHERE a.id IN ({{ids}}) AND {}a.status = 'published'",
                summary_by_id(self.backend()),
                self.backend().no_index()
            ),
            &ids,
        )
        .await?;
        // Embargoed entries wait for their time; the cache keeps the block until then.
        let now_s = from_time(now);
        let next_visible = rows
            .iter()
            .map(|r| r.published_at)
            .filter(|t| *t > now_s)
            .min()
            .map(crate::rows::to_time);
        rows.retain(|r| r.published_at <= now_s);
        rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok((Some(self.summaries(rows).await?), ids, next_visible))
    }

    /// The computed list as stored: (related id, score), best first.
    pub async fn related_scores(&self, article_id: i64) -> Result<Vec<(i64, f32)>> {
        let rows: Vec<(i64, f64)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT related_id, score FROM related_lists WHERE article_id = ? \
                 ORDER BY position",
            ))
            .bind(article_id)
            .fetch_all(c)
            .await
        })?;
        Ok(rows.into_iter().map(|(id, s)| (id, s as f32)).collect())
    }

    pub async fn related_edits(&self, article_id: i64) -> Result<RelatedEdits> {
        let rows: Vec<(i64, String)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT other_id, kind FROM related_edits WHERE article_id = ? ORDER BY position",
            ))
            .bind(article_id)
            .fetch_all(c)
            .await
        })?;
        let mut e = RelatedEdits::default();
        for (id, kind) in rows {
            if kind == "pin" {
                e.pins.push(id);
            } else {
                e.excludes.push(id);
            }
        }
        Ok(e)
    }

    /// Every article's excludes (what a bulk rebuild honours without a query per
    /// article).
    pub async fn related_excludes(&self) -> Result<HashMap<i64, Vec<i64>>> {
        let rows: Vec<(i64, i64)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT article_id, other_id FROM related_edits WHERE kind = 'exclude' \
                 ORDER BY article_id, position",
            ))
            .fetch_all(c)
            .await
        })?;
        let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
        for (id, other) in rows {
            out.entry(id).or_default().push(other);
        }
        Ok(out)
    }

    /// Replaces an article's pins and excludes (an id in both is pinned).
    pub async fn set_related_edits(&self, article_id: i64, edits: &RelatedEdits) -> Result<()> {
        let mut tx = self.begin_write().await?;
        delete_for_articles(&mut tx.conn(), "related_edits", &[article_id]).await?;
        let excludes = edits.excludes.iter().filter(|id| !edits.pins.contains(id));
        for (kind, ids) in [
            ("pin", edits.pins.iter().collect::<Vec<_>>()),
            ("exclude", excludes.collect()),
        ] {
            for (pos, id) in ids.into_iter().enumerate() {
                on_conn!(&mut tx.conn(), |c, b| {
                    sqlx::query(&b.sql(
                        "INSERT INTO related_edits (article_id, other_id, kind, position) \
                     VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    ))
                    .bind(article_id)
                    .bind(id)
                    .bind(kind)
                    .bind(i64::try_from(pos).unwrap_or(i64::MAX))
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
                })?;
            }
        }
        bump_related(&mut tx, &[article_id]).await?;
        tx.commit().await?;
        self.related_cache.forget(&[article_id]);
        Ok(())
    }

    /// Articles whose computed list shows `related_id`.
    pub async fn lists_showing(&self, related_id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(
                &b.sql("SELECT DISTINCT article_id FROM related_lists WHERE related_id = ?"),
            )
            .bind(related_id)
            .fetch_all(c)
            .await
        })?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// For each of `ids` that has a computed list: its length and its lowest score
    /// (what a newcomer must beat to enter it).
    pub async fn list_floors(&self, ids: &[i64]) -> Result<HashMap<i64, (usize, f32)>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let rows: Vec<(i64, i64, f64)> = self
                .rows_for_ids(
                    "SELECT article_id, count(*), min(score) FROM related_lists \
                     WHERE article_id IN ({ids}) GROUP BY article_id",
                    chunk,
                )
                .await?;
            for (id, n, min) in rows {
                out.insert(id, (usize::try_from(n).unwrap_or(0), min as f32));
            }
        }
        Ok(out)
    }

    /// Up to `limit` visible articles whose list is oldest (never computed first),
    /// computed before `before`.
    pub async fn stale_lists(
        &self,
        before: DateTime<Utc>,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        self.lists_to_sweep(
            "SELECT a.id FROM articles a LEFT JOIN related_computed c ON c.article_id = a.id \
             WHERE a.status = 'published' AND a.published_at <= ? AND coalesce(c.at, 0) < ? \
             ORDER BY coalesce(c.at, 0), a.published_at DESC LIMIT ?",
            before,
            limit,
            now,
        )
        .await
    }

    /// Up to `limit` visible articles whose list was computed before `before`, the
    /// oldest first: from the index of computation times, without reading every
    /// article (the sweep's question every few seconds; [`Store::stale_lists`], which
    /// also finds the articles never given a list, reads them all: 1.2 s at a
    /// million).
    pub async fn old_lists(
        &self,
        before: DateTime<Utc>,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        self.lists_to_sweep(
            "SELECT c.article_id FROM related_computed c JOIN articles a ON a.id = c.article_id \
             WHERE a.status = 'published' AND a.published_at <= ? AND c.at < ? \
             ORDER BY c.at LIMIT ?",
            before,
            limit,
            now,
        )
        .await
    }

    /// Article ids by `sql`, which takes `now`, `before` and `limit` in that order.
    async fn lists_to_sweep(
        &self,
        sql: &str,
        before: DateTime<Utc>,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(sql))
                .bind(from_time(now))
                .bind(from_time(before))
                .bind(i64::from(limit))
                .fetch_all(c)
                .await
        })?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// How far into the change log the related lists have been brought.
    pub async fn related_cursor(&self) -> Result<i64> {
        Ok(self.cursor("related_cursor").await?.unwrap_or(0))
    }

    pub async fn set_related_cursor(&self, seq: i64) -> Result<()> {
        self.set_cursor("related_cursor", seq).await
    }
}

/// Counts a change to related lists, pins or excludes in the same transaction, so that
/// every node (see [`Store::watermark`]) knows its cached blocks may be stale.
async fn bump_related(tx: &mut crate::db::Tx, ids: &[i64]) -> Result<()> {
    on_conn!(&mut tx.conn(), |c, _b| {
        sqlx::query("UPDATE signals SET value = value + 1 WHERE name = 'related'")
            .execute(&mut *c)
            .await
            .map(|_| ())
    })?;
    for chunk in ids.chunks(500) {
        on_conn!(&mut tx.conn(), |c, _b| {
            let mut qb = QueryBuilder::new("INSERT INTO related_saves (article_id) ");
            qb.push_values(chunk, |mut b, id| {
                b.push_bind(*id);
            });
            qb.build().execute(&mut *c).await.map(|_| ())
        })?;
    }
    on_conn!(&mut tx.conn(), |c, b| {
        sqlx::query(&b.sql(
            "DELETE FROM related_saves WHERE seq <= \
             (SELECT max(seq) FROM related_saves) - ?",
        ))
        .bind(RELATED_SAVES_KEPT)
        .execute(&mut *c)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Where the site stands (see [`Store::watermark`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watermark {
    /// The last change-log entry.
    pub changes: i64,
    /// Related-list saves so far.
    pub related: i64,
    /// Changes to what every page shows (settings, sections) so far.
    pub site: i64,
    /// Saves of the front page's arrangement so far.
    pub front: i64,
}

/// Rows of `related_saves` kept.
const RELATED_SAVES_KEPT: i64 = 100_000;

/// Articles whose related lists were saved after a point of `related_saves`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedSaves {
    /// Each article once, at most the `limit` asked for.
    pub ids: Vec<i64>,
    /// Where the reader now stands.
    pub last: i64,
    /// Rows after the point were already dropped: the reader cannot know them all.
    pub incomplete: bool,
}

impl Store {
    /// Where the site stands: the last change-log entry, the count of related-list
    /// saves and of changes to what every page shows. A node that sees one move knows
    /// that pages it cached may be stale, whichever node (or command) wrote.
    pub async fn watermark(&self) -> Result<Watermark> {
        let (changes, related, site, front): (i64, i64, i64, i64) = on_pool!(&self.pool, |c| {
            sqlx::query_as(
                "SELECT (SELECT coalesce(max(seq), 0) FROM changes), \
                 (SELECT coalesce(max(value), 0) FROM signals WHERE name = 'related'), \
                 (SELECT coalesce(max(value), 0) FROM signals WHERE name = 'site'), \
                 (SELECT coalesce(max(value), 0) FROM signals WHERE name = 'front')",
            )
            .fetch_one(c)
            .await
        })?;
        Ok(Watermark {
            changes,
            related,
            site,
            front,
        })
    }

    /// The articles whose related lists were saved after `seq` of `related_saves`
    /// (0: from the start), at most `limit` rows.
    pub async fn related_saved_after(&self, seq: i64, limit: u32) -> Result<RelatedSaves> {
        let rows: Vec<(i64, i64)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT seq, article_id FROM related_saves WHERE seq > ? ORDER BY seq LIMIT ?",
            ))
            .bind(seq)
            .bind(i64::from(limit))
            .fetch_all(c)
            .await
        })?;
        let (oldest,): (Option<i64>,) = on_pool!(&self.pool, |c| {
            sqlx::query_as("SELECT min(seq) FROM related_saves")
                .fetch_one(c)
                .await
        })?;
        let mut ids: Vec<i64> = rows.iter().map(|r| r.1).collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(RelatedSaves {
            ids,
            last: rows.last().map_or(seq, |r| r.0),
            incomplete: oldest.is_some_and(|o| o > seq + 1)
                || rows.len() >= usize::try_from(limit).unwrap_or(usize::MAX),
        })
    }

    /// The newest row of `related_saves` (0 when none): where a new reader starts.
    pub async fn last_related_save(&self) -> Result<i64> {
        let (last,): (Option<i64>,) = on_pool!(&self.pool, |c| {
            sqlx::query_as("SELECT max(seq) FROM related_saves")
                .fetch_one(c)
                .await
        })?;
        Ok(last.unwrap_or(0))
    }

    /// Forgets every cached related block (after [`Store::watermark`] showed that
    /// lists were saved elsewhere).
    pub fn forget_related_blocks(&self) {
        self.related_cache.forget_all();
    }
}
