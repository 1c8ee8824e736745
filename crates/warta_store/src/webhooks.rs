//! The webhook delivery log and the webhook follower's place in the change log.

use chrono::{DateTime, Utc};

use crate::db::on_pool;
use crate::rows::{from_time, to_time};
use crate::{Result, Store};

/// One webhook delivery: an event for an article, sent (or being sent) to one address.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: i64,
    pub article_id: i64,
    /// `published`, `updated` or `unpublished`.
    pub event: String,
    pub url: String,
    pub payload: String,
    pub attempts: u32,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub last_error: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

type DeliveryRow = (
    i64,
    i64,
    String,
    String,
    String,
    i64,
    String,
    String,
    i64,
    i64,
);

impl Store {
    /// Where the webhook follower stopped reading the change log; `None` before its
    /// first run.
    pub async fn webhook_cursor(&self) -> Result<Option<i64>> {
        self.cursor("webhook_cursor").await
    }

    pub async fn set_webhook_cursor(&self, seq: i64) -> Result<()> {
        self.set_cursor("webhook_cursor", seq).await
    }

    /// The last event decided for an article (whatever became of its delivery).
    pub async fn last_webhook_event(&self, article_id: i64) -> Result<Option<String>> {
        let row: Option<(String,)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT event FROM webhook_deliveries WHERE article_id = ? \
                 ORDER BY id DESC LIMIT 1",
            ))
            .bind(article_id)
            .fetch_optional(c)
            .await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// Records a delivery about to be attempted; returns its id.
    pub async fn add_delivery(
        &self,
        article_id: i64,
        event: &str,
        url: &str,
        payload: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let (id,): (i64,) = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "INSERT INTO webhook_deliveries \
             (article_id, event, url, payload, status, created_at, updated_at) \
             VALUES (?, ?, ?, ?, 'pending', ?, ?) RETURNING id",
            ))
            .bind(article_id)
            .bind(event)
            .bind(url)
            .bind(payload)
            .bind(from_time(now))
            .bind(from_time(now))
            .fetch_one(c)
            .await
        })?;
        Ok(id)
    }

    /// Records an attempt's outcome: `status` is `pending` (will retry), `delivered`
    /// or `failed` (gave up).
    pub async fn record_attempt(
        &self,
        id: i64,
        attempts: u32,
        status: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql(
                "UPDATE webhook_deliveries SET attempts = ?, status = ?, last_error = ?, \
             updated_at = ? WHERE id = ?",
            ))
            .bind(i64::from(attempts))
            .bind(status)
            .bind(error)
            .bind(from_time(now))
            .bind(id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The latest deliveries, newest first.
    pub async fn deliveries(&self, limit: u32) -> Result<Vec<Delivery>> {
        let rows: Vec<DeliveryRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT id, article_id, event, url, payload, attempts, status, last_error, \
             created_at, updated_at FROM webhook_deliveries ORDER BY id DESC LIMIT ?",
            ))
            .bind(i64::from(limit))
            .fetch_all(c)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|r| Delivery {
                id: r.0,
                article_id: r.1,
                event: r.2,
                url: r.3,
                payload: r.4,
                attempts: u32::try_from(r.5).unwrap_or(0),
                status: r.6,
                last_error: r.7,
                created_at: to_time(r.8),
                updated_at: to_time(r.9),
            })
            .collect())
    }
}
