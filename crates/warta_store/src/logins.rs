//! What a login needs beyond accounts and sessions (issue #23): failed logins,
//! counted per subject and reserved against their limits before a password is checked, browsers known to an account
//! (devices), and forms kept across a login when a session ran out mid-edit.
//!
//! An attempt is counted *before* argon2 runs, under the write lock, so parallel
//! guesses cannot all pass the count while the first is still being hashed; a
//! successful login takes its reservation back.

use chrono::{DateTime, Utc};

use crate::db::{on_conn, on_pool};
use crate::rows::from_time;
use crate::{Result, Store};

/// Forms kept per account at most (each up to a 4 MB form, for a day).
const KEPT_PER_ACCOUNT: i64 = 5;

/// Failures against one subject within a window (both the check and the reservation).
const COUNT_FAILURES: &str = "SELECT count(*) FROM login_failures WHERE subject = ? AND at >= ?";
/// Failures are forgotten after a day.
const FORGET_OLD_FAILURES: &str = "DELETE FROM login_failures WHERE at < ?";
const DAY: i64 = 86_400;

/// A form kept for an account until it logs in again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormStash {
    pub path: String,
    pub form: String,
}

impl Store {
    /// Notes a failed login against each subject (`account:…`, `address:…`), and
    /// forgets failures older than a day.
    pub async fn record_login_failure(
        &self,
        subjects: &[String],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let at = from_time(now);
        for subject in subjects {
            on_pool!(&self.pool, |c, b| {
                sqlx::query(&b.sql("INSERT INTO login_failures (subject, at) VALUES (?, ?)"))
                    .bind(subject)
                    .bind(at)
                    .execute(c)
                    .await
                    .map(|_| ())
            })?;
        }
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql(FORGET_OLD_FAILURES))
                .bind(at - DAY)
                .execute(c)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Failed logins against `subject` since `since`.
    pub async fn login_failures(&self, subject: &str, since: DateTime<Utc>) -> Result<i64> {
        let (n,): (i64,) = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(COUNT_FAILURES))
                .bind(subject)
                .bind(from_time(since))
                .fetch_one(c)
                .await
        })?;
        Ok(n)
    }

    pub async fn clear_login_failures(&self, subject: &str) -> Result<()> {
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql("DELETE FROM login_failures WHERE subject = ?"))
                .bind(subject)
                .execute(c)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Counts one login attempt against every `(subject, limit)` at once: `None` (and
    /// nothing recorded) when any subject already has `limit` failures since `since`,
    /// else the ids of the rows recorded, for [`Store::release_login_attempt`].
    pub async fn reserve_login_attempt(
        &self,
        subjects: &[(String, i64)],
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<i64>>> {
        let mut tx = self.begin_write().await?;
        for (subject, limit) in subjects {
            let (n,): (i64,) = on_conn!(&mut tx.conn(), |c, b| {
                sqlx::query_as(&b.sql(COUNT_FAILURES))
                    .bind(subject)
                    .bind(from_time(since))
                    .fetch_one(c)
                    .await
            })?;
            if n >= *limit {
                tx.rollback().await?;
                return Ok(None);
            }
        }
        let at = from_time(now);
        let mut ids = Vec::with_capacity(subjects.len());
        for (subject, _) in subjects {
            let (id,): (i64,) = on_conn!(&mut tx.conn(), |c, b| {
                sqlx::query_as(
                    &b.sql("INSERT INTO login_failures (subject, at) VALUES (?, ?) RETURNING id"),
                )
                .bind(subject)
                .bind(at)
                .fetch_one(c)
                .await
            })?;
            ids.push(id);
        }
        on_conn!(&mut tx.conn(), |c, b| {
            sqlx::query(&b.sql(FORGET_OLD_FAILURES))
                .bind(at - DAY)
                .execute(c)
                .await
                .map(|_| ())
        })?;
        tx.commit().await?;
        Ok(Some(ids))
    }

    /// Takes back a reservation: the attempt succeeded.
    pub async fn release_login_attempt(&self, ids: &[i64]) -> Result<()> {
        for id in ids {
            on_pool!(&self.pool, |c, b| {
                sqlx::query(&b.sql("DELETE FROM login_failures WHERE id = ?"))
                    .bind(id)
                    .execute(c)
                    .await
                    .map(|_| ())
            })?;
        }
        Ok(())
    }

    /// Remembers a browser that logged in to `user_id` (by its cookie's hash).
    pub async fn add_device(
        &self,
        token_hash: &str,
        user_id: i64,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql(
                "INSERT INTO devices (token_hash, user_id, created_at, expires_at) \
                 VALUES (?, ?, ?, ?)",
            ))
            .bind(token_hash)
            .bind(user_id)
            .bind(from_time(now))
            .bind(from_time(expires_at))
            .execute(c)
            .await
            .map(|_| ())
        })?;
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql("DELETE FROM devices WHERE expires_at < ?"))
                .bind(from_time(now))
                .execute(c)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// The account a device cookie (by its hash) belongs to, if it is still valid.
    pub async fn device_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(
                &b.sql("SELECT user_id FROM devices WHERE token_hash = ? AND expires_at > ?"),
            )
            .bind(token_hash)
            .bind(from_time(now))
            .fetch_optional(c)
            .await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// Keeps a posted form for `user_id` (found later by the hash of its key).
    pub async fn stash_form(
        &self,
        key_hash: &str,
        user_id: i64,
        stash: &FormStash,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        // Expired ones go, and an account keeps its newest few at most.
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql(
                "DELETE FROM form_stashes WHERE expires_at < ? OR (user_id = ? AND created_at <= \
                 (SELECT created_at FROM form_stashes WHERE user_id = ? \
                  ORDER BY created_at DESC LIMIT 1 OFFSET ?))",
            ))
            .bind(from_time(now))
            .bind(user_id)
            .bind(user_id)
            .bind(KEPT_PER_ACCOUNT - 1)
            .execute(c)
            .await
            .map(|_| ())
        })?;
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql(
                "INSERT INTO form_stashes (key_hash, user_id, path, form, created_at, expires_at) \
                 VALUES (?, ?, ?, ?, ?, ?)",
            ))
            .bind(key_hash)
            .bind(user_id)
            .bind(&stash.path)
            .bind(&stash.form)
            .bind(from_time(now))
            .bind(from_time(expires_at))
            .execute(c)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// The form kept under `key_hash` for `user_id`, unless it expired; another
    /// account's key finds nothing.
    pub async fn stashed_form(
        &self,
        key_hash: &str,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<FormStash>> {
        let row: Option<(String, String)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT path, form FROM form_stashes \
                 WHERE key_hash = ? AND user_id = ? AND expires_at > ?",
            ))
            .bind(key_hash)
            .bind(user_id)
            .bind(from_time(now))
            .fetch_optional(c)
            .await
        })?;
        Ok(row.map(|(path, form)| FormStash { path, form }))
    }
}
