//! Related blocks kept in memory, so that rendering a page does not go to the database
//! for them (issue #5: serving the list adds under 0.1 ms to a render).
//!
//! An entry is forgotten when anything it shows could have changed:
//! - its article's list or pins and excludes are saved (`save_related`,
//!   `clear_related`, `set_related_edits`);
//! - an article it shows, or pins, is written or deleted through this store's
//!   `Writer` (at commit), or appears in the change log read by `changes_after` — the
//!   follow loops read it every 250 ms, which also brings other nodes' writes in;
//! - its time is up: at the earliest publication time among its not-yet-visible
//!   entries (an embargoed pin appears on time), and at most `TTL` after it was read
//!   (edits to a photo's caption, which are not in the change log, show within that).

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Duration, Utc};
use warta_core::ArticleSummary;

const TTL: Duration = Duration::seconds(60);

/// Beyond this many entries the cache starts over. A block holds up to eight
/// summaries with their photos' texts: at a million articles, where readers' misses
/// spread over tens of thousands of stories, 20,000 blocks held a large share of the
/// server's memory (issue #26), while reading a block costs a tenth of a millisecond
/// from the covering indexes (`related_lists_cover`, `articles_summary`). The pages
/// that show the blocks are in the page cache anyway.
const MAX_ENTRIES: usize = 2_000;

/// More ids than this in one forget: start over rather than scan for each.
const BULK_FORGET: usize = 1_000;

struct Entry {
    limit: u32,
    /// The articles the block shows or might show (pins and computed entries).
    depends_on: Vec<i64>,
    filled_at: DateTime<Utc>,
    valid_until: DateTime<Utc>,
    list: Option<Vec<ArticleSummary>>,
}

#[derive(Default)]
pub(crate) struct RelatedCache {
    entries: Mutex<HashMap<i64, Entry>>,
    /// Bumped by every forget: a block read from the database while a write landed
    /// is not kept (it may predate the write).
    generation: AtomicU64,
}

impl std::fmt::Debug for RelatedCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RelatedCache")
    }
}

impl RelatedCache {
    /// The cached block, if there is a current one for this limit. `Some(None)`: the
    /// article has no list (the page falls back to tags).
    pub(crate) fn get(
        &self,
        article_id: i64,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Option<Option<Vec<ArticleSummary>>> {
        let entries = self.entries.lock().ok()?;
        let e = entries.get(&article_id)?;
        (e.limit == limit && e.filled_at <= now && now < e.valid_until).then(|| e.list.clone())
    }

    /// Take this before reading a block from the database, and give it to `put`.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn put(
        &self,
        generation: u64,
        article_id: i64,
        limit: u32,
        depends_on: Vec<i64>,
        now: DateTime<Utc>,
        next_visible: Option<DateTime<Utc>>,
        list: Option<Vec<ArticleSummary>>,
    ) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        // Checked under the lock that `forget` also takes.
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        let expires = now + TTL;
        entries.insert(
            article_id,
            Entry {
                limit,
                depends_on,
                filled_at: now,
                valid_until: next_visible.map_or(expires, |t| t.min(expires)),
                list,
            },
        );
    }

    /// Forgets every block (another node saved related lists).
    pub(crate) fn forget_all(&self) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }

    /// Forgets every block of, or showing, one of `ids`.
    pub(crate) fn forget(&self, ids: &[i64]) {
        if ids.is_empty() {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        self.generation.fetch_add(1, Ordering::AcqRel);
        if ids.len() > BULK_FORGET {
            entries.clear();
            return;
        }
        let ids: HashSet<i64> = ids.iter().copied().collect();
        entries
            .retain(|key, e| !ids.contains(key) && !e.depends_on.iter().any(|d| ids.contains(d)));
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + secs, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn entries_expire_are_forgotten_and_match_their_limit() {
        let c = RelatedCache::default();
        c.put(
            c.generation(),
            1,
            10,
            vec![2, 3],
            t(0),
            None,
            Some(Vec::new()),
        );
        assert_eq!(c.get(1, 10, t(30)), Some(Some(Vec::new())));
        assert_eq!(c.get(1, 5, t(30)), None, "another limit");
        assert_eq!(c.get(1, 10, t(60)), None, "after the TTL");
        assert_eq!(c.get(1, 10, t(-1)), None, "a clock set back");
        // An embargoed entry shortens the life.
        c.put(c.generation(), 1, 10, vec![2, 3], t(0), Some(t(20)), None);
        assert_eq!(c.get(1, 10, t(19)), Some(None));
        assert_eq!(c.get(1, 10, t(20)), None);
        // Forgetting by the article or by what it shows.
        c.put(c.generation(), 1, 10, vec![2, 3], t(0), None, None);
        c.put(c.generation(), 4, 10, vec![5], t(0), None, None);
        c.forget(&[3]);
        assert_eq!(c.get(1, 10, t(1)), None);
        assert_eq!(c.get(4, 10, t(1)), Some(None));
        c.forget(&[4]);
        assert_eq!(c.get(4, 10, t(1)), None);
        // A block read before a write landed is not kept.
        let before = c.generation();
        c.forget(&[99]);
        c.put(before, 6, 10, vec![7], t(0), None, None);
        assert_eq!(c.get(6, 10, t(1)), None);
    }
}
