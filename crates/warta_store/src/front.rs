//! The front page as editors arrange it (issue #29): one main headline, a few
//! secondary ones, a "Pilihan Editor" row, and the order of the section blocks. Saved
//! whole, in one transaction that also moves the `front` signal, so every node drops
//! its cached home page and the purge hook tells the CDN.

use chrono::{DateTime, Utc};
use warta_core::ArticleSummary;

use crate::articles::{SummaryRow, rows_for_ids_on, summary_by_id};
use crate::db::{on_conn, on_pool};
use crate::rows::from_time;
use crate::{Result, Store, StoreError};

/// Secondary headlines at most.
pub const MAX_SECONDARY: usize = 4;
/// Stories in "Pilihan Editor" at most.
pub const MAX_PICKS: usize = 6;

/// What editors set; every list in its order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontPage {
    pub main: Option<i64>,
    pub secondary: Vec<i64>,
    pub picks: Vec<i64>,
    /// Section ids, the home page's blocks in this order (sections left out follow in
    /// the navigation's order).
    pub sections: Vec<i64>,
}

impl Store {
    /// The front page as last saved (empty before anyone arranged it).
    pub async fn front_page(&self) -> Result<FrontPage> {
        let rows: Vec<(String, i64, i64)> = on_pool!(&self.reads, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT slot, CAST(position AS BIGINT), article_id FROM front_slots \
                 UNION ALL SELECT 'section', CAST(position AS BIGINT), section_id \
                 FROM front_sections ORDER BY 1, 2",
            ))
            .fetch_all(c)
            .await
        })?;
        let mut f = FrontPage::default();
        for (slot, _, id) in rows {
            match slot.as_str() {
                "main" => f.main = Some(id),
                "secondary" => f.secondary.push(id),
                "pick" => f.picks.push(id),
                _ => f.sections.push(id),
            }
        }
        Ok(f)
    }

    /// Saves the front page whole. Every story must exist and every section too (else
    /// [`StoreError::NotFound`], and nothing changes); a story twice keeps its first
    /// place; lists longer than their limits are refused.
    pub async fn save_front_page(&self, f: &FrontPage) -> Result<()> {
        for (list, max) in [(&f.secondary, MAX_SECONDARY), (&f.picks, MAX_PICKS)] {
            if list.len() > max {
                return Err(StoreError::Invalid(warta_core::ValidationError::Invalid {
                    field: "front",
                    reason: warta_core::Reason::TooManyStories {
                        count: list.len(),
                        max,
                    },
                }));
            }
        }
        let mut slots: Vec<(&str, i64)> = Vec::new();
        for (slot, id) in f
            .main
            .iter()
            .map(|id| ("main", *id))
            .chain(f.secondary.iter().map(|id| ("secondary", *id)))
            .chain(f.picks.iter().map(|id| ("pick", *id)))
        {
            if !slots.iter().any(|(s, other)| *other == id && *s == slot) {
                slots.push((slot, id));
            }
        }
        let mut tx = self.begin_write().await?;
        for (table, ids) in [
            ("articles", slots.iter().map(|s| s.1).collect::<Vec<_>>()),
            ("sections", f.sections.clone()),
        ] {
            for id in ids {
                let sql = format!("SELECT count(*) FROM {table} WHERE id = ?");
                let (n,): (i64,) = on_conn!(&mut tx.conn(), |c, b| {
                    sqlx::query_as(&b.sql(&sql)).bind(id).fetch_one(c).await
                })?;
                if n == 0 {
                    tx.rollback().await?;
                    return Err(StoreError::NotFound {
                        what: if table == "articles" {
                            "article"
                        } else {
                            "section"
                        },
                        key: id.to_string(),
                    });
                }
            }
        }
        for sql in ["DELETE FROM front_slots", "DELETE FROM front_sections"] {
            on_conn!(&mut tx.conn(), |c, b| {
                sqlx::query(&b.sql(sql)).execute(c).await.map(|_| ())
            })?;
        }
        let mut positions: std::collections::HashMap<&str, i64> = Default::default();
        for (slot, id) in &slots {
            let p = positions.entry(slot).or_insert(0);
            *p += 1;
            let position = *p;
            on_conn!(&mut tx.conn(), |c, b| {
                sqlx::query(
                    &b.sql("INSERT INTO front_slots (slot, position, article_id) VALUES (?, ?, ?)"),
                )
                .bind(*slot)
                .bind(position)
                .bind(*id)
                .execute(c)
                .await
                .map(|_| ())
            })?;
        }
        let mut seen = Vec::new();
        for id in &f.sections {
            if seen.contains(id) {
                continue;
            }
            seen.push(*id);
            let position = seen.len() as i64;
            on_conn!(&mut tx.conn(), |c, b| {
                sqlx::query(
                    &b.sql("INSERT INTO front_sections (section_id, position) VALUES (?, ?)"),
                )
                .bind(*id)
                .bind(position)
                .execute(c)
                .await
                .map(|_| ())
            })?;
        }
        on_conn!(&mut tx.conn(), |c, b| {
            sqlx::query(&b.sql(
                "INSERT INTO signals (name, value) VALUES ('front', 1) \
                 ON CONFLICT (name) DO UPDATE SET value = signals.value + 1",
            ))
            .execute(c)
            .await
            .map(|_| ())
        })?;
        tx.commit().await
    }

    /// The stories of `ids` a reader may see at `now`, in the order of `ids` (the
    /// others left out).
    pub async fn visible_summaries(
        &self,
        ids: &[i64],
        now: DateTime<Utc>,
    ) -> Result<Vec<ArticleSummary>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut rows: Vec<SummaryRow> = rows_for_ids_on(
            &self.reads,
            &format!(
                "{} WHERE a.id IN ({{ids}}) AND {}a.status = 'published'",
                summary_by_id(self.backend()),
                self.backend().no_index()
            ),
            ids,
        )
        .await?;
        let now = from_time(now);
        rows.retain(|r| r.published_at <= now);
        rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
        self.summaries(rows).await
    }
}
