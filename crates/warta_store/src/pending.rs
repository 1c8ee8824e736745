//! Edits to a live story that saved themselves (issue #28): the editor form as posted,
//! one per story and account. They are not the story: readers never see them, they
//! write no revision and do not move the story's base, so a colleague's autosave never
//! makes anyone else's save a conflict.

use chrono::{DateTime, Utc};

use crate::db::on_pool;
use crate::rows::{from_time, to_time};
use crate::{Result, Store};

/// An account's unsaved edit of a story, as its form was posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingEdit {
    pub form: String,
    pub saved_at: DateTime<Utc>,
}

impl Store {
    /// Keeps (or replaces) `user_id`'s pending edit of `article_id`.
    pub async fn put_pending_edit(
        &self,
        article_id: i64,
        user_id: i64,
        form: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql(
                "INSERT INTO pending_edits (article_id, user_id, form, saved_at) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (article_id, user_id) DO UPDATE SET form = excluded.form, \
                 saved_at = excluded.saved_at",
            ))
            .bind(article_id)
            .bind(user_id)
            .bind(form)
            .bind(from_time(now))
            .execute(c)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// `user_id`'s pending edit of `article_id`, if any.
    pub async fn pending_edit(&self, article_id: i64, user_id: i64) -> Result<Option<PendingEdit>> {
        let row: Option<(String, i64)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT form, saved_at FROM pending_edits WHERE article_id = ? AND user_id = ?",
            ))
            .bind(article_id)
            .bind(user_id)
            .fetch_optional(c)
            .await
        })?;
        Ok(row.map(|(form, at)| PendingEdit {
            form,
            saved_at: to_time(at),
        }))
    }

    /// Drops `user_id`'s pending edit of `article_id` (saved for real, or thrown away).
    pub async fn drop_pending_edit(&self, article_id: i64, user_id: i64) -> Result<()> {
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql("DELETE FROM pending_edits WHERE article_id = ? AND user_id = ?"))
                .bind(article_id)
                .bind(user_id)
                .execute(c)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }
}
