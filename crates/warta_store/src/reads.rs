//! Reads for "Terpopuler" (issue #29): counts per story and hour, added in batches
//! (each node sums its beacons in memory first), and the most read stories of a
//! period, site-wide or in one section. A count is not a content change: it writes
//! no `changes` row, so no page is dropped for it.

use chrono::{DateTime, Utc};
use warta_core::ArticleSummary;

use crate::articles::{SummaryRow, summary_by_id};
use crate::db::{on_conn, on_pool};
use crate::rows::from_time;
use crate::{Result, Store};

/// Hours of counts kept (the longest period shown is seven days).
const KEPT_HOURS: i64 = 8 * 24;

/// The hour (since the Unix epoch) a moment falls in.
pub fn hour_of(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(3600)
}

impl Store {
    /// Adds `(article, hour, reads)` counts in one transaction; counts for a story
    /// deleted meanwhile are dropped. Hours older than the kept ones go.
    pub async fn add_reads(&self, counts: &[(i64, i64, i64)], now: DateTime<Utc>) -> Result<()> {
        if counts.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for (article, hour, n) in counts {
            on_conn!(&mut tx.conn(), |c, b| {
                sqlx::query(&b.sql(
                    "INSERT INTO reads (article_id, hour, count) \
                     SELECT id, ?, ? FROM articles WHERE id = ? \
                     ON CONFLICT (article_id, hour) DO UPDATE SET count = reads.count + excluded.count",
                ))
                .bind(*hour)
                .bind(*n)
                .bind(*article)
                .execute(c)
                .await
                .map(|_| ())
            })?;
        }
        on_conn!(&mut tx.conn(), |c, b| {
            sqlx::query(&b.sql("DELETE FROM reads WHERE hour < ?"))
                .bind(hour_of(now) - KEPT_HOURS)
                .execute(c)
                .await
                .map(|_| ())
        })?;
        tx.commit().await
    }

    /// The most read stories visible at `now` among reads since `since` (in `section`
    /// if given), most first (ties: newest first), at most `limit`.
    pub async fn most_read(
        &self,
        since: DateTime<Utc>,
        section: Option<i64>,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<ArticleSummary>> {
        // `+` (SQLite) keeps the plan starting from the hours' reads and looking each
        // story up, rather than walking every visible story of the archive to find the
        // few read (31 s on a cold million, issue #26).
        let plus = self.backend().no_index();
        let cond = if section.is_some() {
            format!(" AND {plus}a.section_id = ?")
        } else {
            String::new()
        };
        let sql = format!(
            "{} JOIN (SELECT article_id, sum(count) AS n FROM reads \
             WHERE hour >= ? GROUP BY article_id) r ON r.article_id = a.id \
             WHERE {plus}a.status = 'published' AND {plus}a.published_at <= ?{cond} \
             ORDER BY r.n DESC, a.published_at DESC, a.id DESC LIMIT ?",
            summary_by_id(self.backend())
        );
        let rows: Vec<SummaryRow> = on_pool!(&self.reads, |c, b| {
            let sql = b.sql(&sql);
            let mut q = sqlx::query_as(&sql)
                .bind(hour_of(since))
                .bind(from_time(now));
            if let Some(s) = section {
                q = q.bind(s);
            }
            q.bind(i64::from(limit)).fetch_all(c).await
        })?;
        self.summaries(rows).await
    }
}
