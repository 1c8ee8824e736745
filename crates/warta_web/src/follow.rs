//! Keeps this node's page cache true to the database, whoever wrote to it (this node,
//! another node on the same PostgreSQL, a command), dropping only the pages a write
//! touches (issue #25):
//!
//! - articles written (the change log): the keys [`purge::purge_for`] names — the
//!   article's own key reaches every page that shows it;
//! - related lists saved (`related_saves`): the pages of those articles (their
//!   `related-N` key);
//! - settings or sections changed (the `site` signal): every page, as every page
//!   shows them;
//! - the front page rearranged (the `front` signal): the home page.
//!
//! Each node runs [`follow_site`]; a node that wrote also catches up at once
//! ([`AppState::catch_up`]., so an editor sees the change on the next request. A page
//! rendered from data read just before a write and cached just after it is kept at
//! most `page_ttl`, as before.

use std::collections::HashSet;
use std::time::Duration;

use warta_store::Watermark;

use crate::http_cache::key;
use crate::{AppState, purge};

/// Change-log entries read at one time; more (an import) drop the whole cache.
const CHANGES_AT_ONCE: u32 = 2_000;
/// Related-list saves read at one time; more (a rebuild) drop the whole cache.
const RELATED_AT_ONCE: u32 = 20_000;

/// Where this node's page cache stands in the site's writes.
pub(crate) struct Followed {
    mark: Watermark,
    /// The last row of `related_saves` seen.
    related_seq: i64,
}

impl AppState {
    /// Drops the cached pages that writes since the last call touched (on the first
    /// call, notes where the site stands and drops every page). Errors are logged: cached pages keep being
    /// served, and the next call catches up.
    pub async fn catch_up(&self) {
        if let Err(e) = self.try_catch_up().await {
            tracing::warn!(error = %e, "cannot follow the site's writes");
        }
    }

    async fn try_catch_up(&self) -> Result<(), warta_store::StoreError> {
        let mut followed = self.followed.lock().await;
        let mark = self.store.watermark().await?;
        let Some(f) = followed.as_mut() else {
            // Where the site stands is not known of what is cached: none of it stays.
            *followed = Some(Followed {
                mark,
                related_seq: self.store.last_related_save().await?,
            });
            self.memo.drop_site();
            self.memo.drop_picks();
            self.memo.drop_counts();
            self.cache.clear();
            return Ok(());
        };
        if mark == f.mark {
            return Ok(());
        }
        let mut all = mark.site != f.mark.site;
        let mut keys = HashSet::new();
        // The front page rearranged: the home page only.
        if mark.front != f.mark.front {
            keys.insert("home".to_owned());
        }
        let mut changes_seen = mark.changes;
        if !all && mark.changes != f.mark.changes {
            let changes = self
                .store
                .changes_after(f.mark.changes, CHANGES_AT_ONCE)
                .await?;
            if changes.len() >= CHANGES_AT_ONCE as usize {
                all = true;
            } else {
                let mut ids: Vec<i64> = changes.iter().map(|c| c.article_id).collect();
                ids.sort_unstable();
                ids.dedup();
                keys.extend(
                    purge::purge_for(&self.store, &ids, self.now())
                        .await?
                        .surrogate_keys,
                );
                changes_seen = changes.last().map_or(mark.changes, |c| c.seq);
            }
        }
        let mut related_seq = f.related_seq;
        if mark.related != f.mark.related || all {
            self.store.forget_related_blocks();
            let saves = self
                .store
                .related_saved_after(f.related_seq, RELATED_AT_ONCE)
                .await?;
            if saves.incomplete {
                all = true;
            }
            keys.extend(saves.ids.iter().map(|id| key("related", &id.to_string())));
            related_seq = saves.last;
        }
        // What pages are rendered from goes before the pages rendered from it.
        if all {
            self.memo.drop_site();
        }
        if all || mark.front != f.mark.front || mark.changes != f.mark.changes {
            self.memo.drop_picks();
        }
        if all || mark.changes != f.mark.changes {
            self.memo.drop_counts();
        }
        if all {
            self.cache.clear();
            tracing::debug!("page cache dropped");
        } else {
            let dropped = self.cache.purge(&keys);
            tracing::debug!(dropped, keys = keys.len(), "pages purged");
        }
        f.mark = Watermark {
            changes: changes_seen.max(mark.changes),
            ..mark
        };
        f.related_seq = related_seq;
        Ok(())
    }
}

/// Runs [`AppState::catch_up`].every `every`, until the process ends. From then on
/// the node keeps what every render reads in memory ([`crate::memo`]), as the
/// follower drops it when it changes, whoever wrote.
pub fn follow_site(state: &AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    state.memo.start_following();
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            state.catch_up().await;
            tokio::time::sleep(every).await;
        }
    })
}
