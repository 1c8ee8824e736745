//! Content API keys, by hash.

use chrono::{DateTime, Utc};

use crate::db::on_pool;
use crate::rows::{from_time, to_time};
use crate::{Result, Store};

/// A partner's key as stored (its hash, never the key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

type KeyRow = (i64, String, i64, Option<i64>);

fn key(r: KeyRow) -> ApiKey {
    ApiKey {
        id: r.0,
        name: r.1,
        created_at: to_time(r.2),
        revoked_at: r.3.map(to_time),
    }
}

impl Store {
    /// Stores a new key's hash under a partner's name; returns its id.
    pub async fn add_api_key(&self, name: &str, key_hash: &str, now: DateTime<Utc>) -> Result<i64> {
        let (id,): (i64,) = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "INSERT INTO api_keys (name, key_hash, created_at) VALUES (?, ?, ?) RETURNING id",
            ))
            .bind(name)
            .bind(key_hash)
            .bind(from_time(now))
            .fetch_one(c)
            .await
        })?;
        Ok(id)
    }

    /// Revokes every live key of a partner; returns how many.
    pub async fn revoke_api_keys(&self, name: &str, now: DateTime<Utc>) -> Result<u64> {
        let done = on_pool!(&self.pool, |c, b| {
            sqlx::query(
                &b.sql("UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL"),
            )
            .bind(from_time(now))
            .bind(name)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done)
    }

    pub async fn api_key_by_hash(&self, key_hash: &str) -> Result<Option<ApiKey>> {
        let row: Option<KeyRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(
                &b.sql("SELECT id, name, created_at, revoked_at FROM api_keys WHERE key_hash = ?"),
            )
            .bind(key_hash)
            .fetch_optional(c)
            .await
        })?;
        Ok(row.map(key))
    }

    pub async fn api_keys(&self) -> Result<Vec<ApiKey>> {
        let rows: Vec<KeyRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(
                &b.sql("SELECT id, name, created_at, revoked_at FROM api_keys ORDER BY id"),
            )
            .fetch_all(c)
            .await
        })?;
        Ok(rows.into_iter().map(key).collect())
    }
}
