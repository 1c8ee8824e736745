//! Scheduled and embargoed articles going live, exactly once.
//!
//! A *scheduled* article (status `scheduled`) becomes `published` at its publication
//! time; an *embargoed* one (status `published`, publication time ahead) becomes
//! visible by itself at that time. Either way, going live is a write: it appends an
//! `update` to the change log, so search, related lists, webhooks and purges hear of
//! it at that moment rather than at the next edit.
//!
//! [`Store::publish_due`] does both in one write transaction. Writes are serial (see
//! `begin_write`), the status change is conditional (`WHERE status = 'scheduled'`),
//! and the embargo cursor (`signals.live_until`) moves in the same transaction: two
//! nodes calling it at the same moment publish each article once. A server that was
//! down at an article's time publishes it when it next calls (on start).

use chrono::{DateTime, Utc};

use crate::db::on_conn;
use crate::rows::from_time;
use crate::{Result, Store};

impl Store {
    /// Publishes every scheduled article whose time has come and announces every
    /// embargo that has ended since the last call; returns those articles' ids. The
    /// first call on a site only notes the time (embargoes that ended before it are
    /// not announced again).
    pub async fn publish_due(&self, now: DateTime<Utc>) -> Result<Vec<i64>> {
        let now_s = from_time(now);
        let mut tx = self.begin_write().await?;
        let ids = on_conn!(&mut tx.conn(), |c, b| {
            let scheduled: Vec<(i64,)> = sqlx::query_as(&b.sql(
                "UPDATE articles SET status = 'published', modified_at = ? \
                 WHERE status = 'scheduled' AND published_at <= ? RETURNING id",
            ))
            .bind(now_s)
            .bind(now_s)
            .fetch_all(&mut *c)
            .await?;
            let cursor: Option<(i64,)> =
                sqlx::query_as("SELECT value FROM signals WHERE name = 'live_until'")
                    .fetch_optional(&mut *c)
                    .await?;
            let mut ids: Vec<i64> = scheduled.into_iter().map(|(id,)| id).collect();
            if let Some((since,)) = cursor {
                let ended: Vec<(i64,)> = sqlx::query_as(&b.sql(
                    "SELECT id FROM articles WHERE status = 'published' \
                     AND published_at > ? AND published_at <= ? ORDER BY id",
                ))
                .bind(since)
                .bind(now_s)
                .fetch_all(&mut *c)
                .await?;
                ids.extend(ended.into_iter().map(|(id,)| id));
            }
            // The cursor never goes back (a node with a slow clock changes nothing).
            sqlx::query(&b.sql(
                "INSERT INTO signals (name, value) VALUES ('live_until', ?) \
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value \
                 WHERE excluded.value > signals.value",
            ))
            .bind(now_s)
            .execute(&mut *c)
            .await?;
            ids.sort_unstable();
            ids.dedup();
            for id in &ids {
                sqlx::query(
                    &b.sql("INSERT INTO changes (article_id, kind, at) VALUES (?, 'update', ?)"),
                )
                .bind(id)
                .bind(now_s)
                .execute(&mut *c)
                .await?;
            }
            Ok::<_, sqlx::Error>(ids)
        })?;
        tx.commit().await?;
        self.related_cache.forget(&ids);
        Ok(ids)
    }
}
