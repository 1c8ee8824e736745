//! Links sent by email (issue #28): an invitation to choose a first password, and a
//! password reset. Only a token's SHA-256 is kept. A link works once and only until it
//! expires, only for an account that is not disabled; a newer link of the same kind
//! for the same account voids the older; using one sets the password, ends the
//! account's sessions and forgets its browsers, in one transaction.

use chrono::{DateTime, Utc};

use crate::db::{on_conn, on_pool};
use crate::newsroom::{USER_COLUMNS, UserRow, user};
use crate::rows::from_time;
use crate::{Result, Store, User};

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// A new account chooses its first password.
    Invite,
    /// An account that forgot its password chooses a new one.
    Reset,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Invite => "invite",
            LinkPurpose::Reset => "reset",
        }
    }
}

/// The password hash of an account invited by email that has not chosen a password:
/// no password matches it (it is not a PHC string).
pub const NO_PASSWORD_YET: &str = "!invited";

/// A link is valid while unused, unexpired, and its account is enabled.
const VALID: &str = "l.token_hash = ? AND l.purpose = ? AND l.used_at IS NULL \
                     AND l.expires_at > ? AND NOT u.disabled";

/// The account of a valid link (binds: token hash, purpose, now).
fn valid_link_user() -> String {
    format!(
        "SELECT {USER_COLUMNS} FROM account_links l JOIN users u ON u.id = l.user_id \
         WHERE {VALID}"
    )
}

impl Store {
    /// Keeps a new link (by its token's hash) for `user_id`; older unused links of the
    /// same kind for the account stop working, and expired links of every account go.
    pub async fn add_account_link(
        &self,
        token_hash: &str,
        user_id: i64,
        purpose: LinkPurpose,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        on_conn!(&mut tx.conn(), |c, b| {
            sqlx::query(&b.sql(
                "DELETE FROM account_links WHERE expires_at < ? \
                 OR (user_id = ? AND purpose = ? AND used_at IS NULL)",
            ))
            .bind(from_time(now))
            .bind(user_id)
            .bind(purpose.as_str())
            .execute(c)
            .await
            .map(|_| ())
        })?;
        on_conn!(&mut tx.conn(), |c, b| {
            sqlx::query(&b.sql(
                "INSERT INTO account_links (token_hash, user_id, purpose, created_at, expires_at) \
                 VALUES (?, ?, ?, ?, ?)",
            ))
            .bind(token_hash)
            .bind(user_id)
            .bind(purpose.as_str())
            .bind(from_time(now))
            .bind(from_time(expires_at))
            .execute(c)
            .await
            .map(|_| ())
        })?;
        tx.commit().await?;
        Ok(())
    }

    /// The account a link is for, while the link is valid (to show its form).
    pub async fn account_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<User>> {
        let row: Option<UserRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(&valid_link_user()))
                .bind(token_hash)
                .bind(purpose.as_str())
                .bind(from_time(now))
                .fetch_optional(c)
                .await
        })?;
        row.map(user).transpose()
    }

    /// Uses a link: marks it used and sets the account's password hash, ends its
    /// sessions and forgets its browsers, all or nothing. `None`: the link is not
    /// valid (used, expired, replaced, or its account disabled), and nothing changed.
    pub async fn use_account_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>> {
        let mut tx = self.begin_write().await?;
        let row: Option<UserRow> = on_conn!(&mut tx.conn(), |c, b| {
            sqlx::query_as(&b.sql(&valid_link_user()))
                .bind(token_hash)
                .bind(purpose.as_str())
                .bind(from_time(now))
                .fetch_optional(c)
                .await
        })?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(None);
        };
        let found = user(row)?;
        // Under the write lock: a second use of the same link waits, then finds it used.
        let used = on_conn!(&mut tx.conn(), |c, b| {
            sqlx::query(&b.sql(
                "UPDATE account_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
            ))
            .bind(from_time(now))
            .bind(token_hash)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
        })?;
        if used != 1 {
            tx.rollback().await?;
            return Ok(None);
        }
        on_conn!(&mut tx.conn(), |c, b| {
            sqlx::query(&b.sql("UPDATE users SET password_hash = ? WHERE id = ?"))
                .bind(password_hash)
                .bind(found.id)
                .execute(c)
                .await
                .map(|_| ())
        })?;
        // Every other link of the account goes too (an old reset link must not undo
        // the password just chosen), and so do its sessions and known browsers.
        for sql in [
            "DELETE FROM account_links WHERE user_id = ? AND used_at IS NULL",
            "DELETE FROM sessions WHERE user_id = ?",
            "DELETE FROM devices WHERE user_id = ?",
        ] {
            on_conn!(&mut tx.conn(), |c, b| {
                sqlx::query(&b.sql(sql))
                    .bind(found.id)
                    .execute(c)
                    .await
                    .map(|_| ())
            })?;
        }
        tx.commit().await?;
        Ok(Some(found))
    }

    /// Accounts invited by email that have not chosen a password yet, with when their
    /// newest invitation expires (`None`: it has expired or was never sent).
    pub async fn awaiting_invitation(&self, now: DateTime<Utc>) -> Result<Vec<(i64, Option<i64>)>> {
        let rows: Vec<(i64, Option<i64>)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT u.id, (SELECT max(l.expires_at) FROM account_links l \
                   WHERE l.user_id = u.id AND l.purpose = 'invite' AND l.used_at IS NULL \
                   AND l.expires_at > ?) \
                 FROM users u WHERE u.password_hash = ? ORDER BY u.id",
            ))
            .bind(from_time(now))
            .bind(NO_PASSWORD_YET)
            .fetch_all(c)
            .await
        })?;
        Ok(rows)
    }
}
