//! Backups of a SQLite site while it serves and writes (issue #34): `VACUUM INTO`
//! copies the database as one read transaction sees it, so the copy holds every
//! write committed before it began and no half of any other, and writers are not
//! held up (WAL). Each backup is recorded (`signals.last_backup`) for the status page.
//! A PostgreSQL site is backed up with `pg_dump` (README).

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::db::{Pool, on_pool};
use crate::rows::{from_time, to_time};
use crate::{Result, Store, StoreError};

impl Store {
    /// Copies a SQLite database to `out` (which must not exist), consistently, while
    /// others read and write; records the time of the backup (`at`).
    pub async fn backup_sqlite(&self, out: &Path, at: DateTime<Utc>) -> Result<u64> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Err(StoreError::Unsupported(
                "a PostgreSQL site is backed up with pg_dump (see the README), not `warta backup`",
            ));
        };
        if out.exists() {
            return Err(StoreError::Taken {
                what: "backup file",
                key: out.display().to_string(),
            });
        }
        let Some(path) = out.to_str() else {
            return Err(StoreError::BadUrl(out.display().to_string()));
        };
        sqlx::query("VACUUM INTO ?")
            .bind(path)
            .execute(pool)
            .await?;
        self.record_backup(at).await?;
        Ok(std::fs::metadata(out).map(|m| m.len()).unwrap_or(0))
    }

    async fn record_backup(&self, at: DateTime<Utc>) -> Result<()> {
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql(
                "INSERT INTO signals (name, value) VALUES ('last_backup', ?) \
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            ))
            .bind(from_time(at))
            .execute(c)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// When the last `warta backup` of this site was taken, if ever.
    pub async fn last_backup(&self) -> Result<Option<DateTime<Utc>>> {
        let row: Option<(i64,)> = on_pool!(&self.pool, |c| {
            sqlx::query_as("SELECT value FROM signals WHERE name = 'last_backup'")
                .fetch_optional(c)
                .await
        })?;
        Ok(row.map(|(t,)| to_time(t)))
    }

    /// SQLite's `PRAGMA integrity_check` of this database: `["ok"]` when sound.
    pub async fn integrity_check(&self) -> Result<Vec<String>> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Err(StoreError::Unsupported(
                "PostgreSQL checks its own storage: see `amcheck`",
            ));
        };
        let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
            .fetch_all(pool)
            .await?;
        Ok(rows.into_iter().map(|(r,)| r).collect())
    }
}
