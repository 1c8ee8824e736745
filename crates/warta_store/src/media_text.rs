//! A photo's caption, credit and alt text changed from the photo library (issue #23).
//! A photo that an article shows is part of that article: a change to it is decided
//! and written under the write lock like an article edit, with a revision and a
//! `changes` row for every article that uses it, so that search (which indexes
//! captions), other nodes' page caches, the purge hook and webhooks hear of it.
//! Whether the photo is *live* (shown by an article readers can see now) is decided
//! there too, so the caller's permission check and the write cannot be raced.

use chrono::{DateTime, Utc};
use warta_core::Block;

use crate::body;
use crate::db::on_conn;
use crate::rows::from_time;
use crate::{Result, Store};

/// The new texts of a photo; a caption or credit of `None` stays as it is (the body
/// editor sends only the alt text, so a colleague's caption is never reverted).
#[derive(Debug, Clone, Copy)]
pub struct MediaText<'a> {
    pub alt: &'a str,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
    /// The focal point (percent from the left, from the top); `None` keeps it.
    pub focus: Option<(u8, u8)>,
}

/// What [`Store::update_media_text`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaEdit {
    NotFound,
    /// An article that is live or set to go live (published, embargoed, scheduled)
    /// shows the photo, and the caller may not change live content: nothing written.
    Live,
    /// Written; these articles use the photo (each got a revision and a change).
    Done {
        articles: Vec<i64>,
    },
}

impl Store {
    /// Changes a photo's texts (its files never change). `may_change_live`: whether
    /// the caller may change a photo a visible article shows; `user_id` signs the
    /// revisions of the articles that use it.
    pub async fn update_media_text(
        &self,
        id: i64,
        text: MediaText<'_>,
        user_id: Option<i64>,
        may_change_live: bool,
        now: DateTime<Utc>,
    ) -> Result<MediaEdit> {
        let mut w = self.writer(now).await?;
        let users = articles_using(&mut w, id).await?;
        if !may_change_live && users.iter().any(|(_, visible)| *visible) {
            w.rollback().await?;
            return Ok(MediaEdit::Live);
        }
        let clean = warta_core::sanitize::clean_text;
        let done = on_conn!(&mut w.tx.conn(), |c, b| {
            sqlx::query(&b.sql(
                "UPDATE media SET alt = ?, caption = COALESCE(?, caption), credit = COALESCE(?, credit), \
                 focus_x = COALESCE(?, focus_x), focus_y = COALESCE(?, focus_y) WHERE id = ?",
            ))
                .bind(clean(text.alt))
                .bind(text.caption.map(clean))
                .bind(text.credit.map(clean))
                .bind(text.focus.map(|(x, _)| i64::from(x.min(100))))
                .bind(text.focus.map(|(_, y)| i64::from(y.min(100))))
                .bind(id)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        if done == 0 {
            w.rollback().await?;
            return Ok(MediaEdit::NotFound);
        }
        let articles: Vec<i64> = users.into_iter().map(|(a, _)| a).collect();
        for &article_id in &articles {
            // Read while the write lock is held, so the revision is the article as it is.
            let article = self.article(article_id).await?;
            w.add_revision(
                article_id,
                user_id,
                "photo text changed",
                &article.to_input(),
            )
            .await?;
            on_conn!(&mut w.tx.conn(), |c, b| {
                sqlx::query(
                    &b.sql("INSERT INTO changes (article_id, kind, at) VALUES (?, 'update', ?)"),
                )
                .bind(article_id)
                .bind(from_time(now))
                .execute(c)
                .await
                .map(|_| ())
            })?;
            w.touched.push(article_id);
        }
        w.commit().await?;
        Ok(MediaEdit::Done { articles })
    }
}

/// The articles that show photo `media_id` (as hero or in the body), each with whether
/// it is live or will go live by itself (published, embargoed or scheduled). Bodies are read in full: a caption change is rare,
/// and no index of photo uses is kept.
async fn articles_using(w: &mut crate::Writer, media_id: i64) -> Result<Vec<(i64, bool)>> {
    type Row = (i64, Option<i64>, String, Vec<u8>);
    let rows: Vec<Row> = on_conn!(&mut w.tx.conn(), |c, b| {
        sqlx::query_as(&b.sql("SELECT id, hero_media_id, status, body FROM articles ORDER BY id"))
            .fetch_all(c)
            .await
    })?;
    let mut out = Vec::new();
    for (id, hero, status, stored) in rows {
        // A body Warta compressed names its photos by exact bytes: most are passed over
        // without being parsed (see `body::json_without_photos`).
        let uses = hero == Some(media_id)
            || (body::json_without_photos(id, &stored)?.is_none()
                && body::decode(id, &stored)?
                    .iter()
                    .any(|b| matches!(b, Block::Photo { media_id: m, .. } if *m == media_id)));
        if uses {
            // Live, or set to go live by itself: published (also under an embargo, whose
            // time has not come) or scheduled.
            let live = matches!(status.as_str(), "published" | "scheduled");
            out.push((id, live));
        }
    }
    Ok(out)
}
