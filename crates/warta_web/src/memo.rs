//! What every page render reads and few writes change, kept in memory between page-cache
//! misses (issue #26: a miss must not run a dozen statements where two would do): the
//! site's settings, sections and footer links, the editors' picks, and how many stories
//! each list has (the home list's count reads a million index entries at a million).
//!
//! Kept only while this node runs the follower ([`crate::follow_site`], as `serve`
//! does): the follower drops the site's part when the `site` signal moves (or it drops every page),
//! and the picks on any change of articles or of the front page, before it drops the
//! pages that showed them; a write elsewhere shows within its tick, as in the page
//! cache. A node that does not run it (tests, commands) reads afresh each time. A value read before a drop is not kept after it (a generation count).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use warta_core::{ArticleSummary, Section, SiteSettings};

/// The longest any value is kept, should a drop be missed.
const KEEP: Duration = Duration::from_secs(30);

/// The site's part of every page.
#[derive(Clone)]
pub(crate) struct SiteParts {
    pub settings: SiteSettings,
    pub sections: Vec<Section>,
    /// The publication's pages: (slug, title).
    pub pages: Vec<(String, String)>,
}

struct Slot<T> {
    value: Mutex<Option<(T, Instant)>>,
    generation: AtomicU64,
}

impl<T: Clone> Slot<T> {
    fn new() -> Self {
        Slot {
            value: Mutex::new(None),
            generation: AtomicU64::new(0),
        }
    }

    fn get(&self) -> Option<T> {
        let guard = self.value.lock().ok()?;
        guard
            .as_ref()
            .filter(|(_, at)| at.elapsed() < KEEP)
            .map(|(v, _)| v.clone())
    }

    fn put(&self, generation: u64, value: T) {
        if let Ok(mut guard) = self.value.lock() {
            // Checked under the lock a drop takes too: a drop since the read wins.
            if self.generation.load(Ordering::Acquire) == generation {
                *guard = Some((value, Instant::now()));
            }
        }
    }

    fn drop_value(&self) {
        if let Ok(mut guard) = self.value.lock() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            *guard = None;
        }
    }
}

/// Lists' counts by list, each kept at most [`KEEP`].
struct Counts {
    map: Mutex<HashMap<String, (i64, Instant)>>,
    generation: AtomicU64,
}

/// Counts kept at most (a list per section, tag, author and day: a bound, not a
/// budget).
const MAX_COUNTS: usize = 4096;

/// The node's memo; see the module's comment.
pub(crate) struct Memo {
    following: AtomicBool,
    site: Slot<SiteParts>,
    picks: Slot<Vec<ArticleSummary>>,
    counts: Counts,
}

impl Default for Memo {
    fn default() -> Self {
        Memo {
            following: AtomicBool::new(false),
            site: Slot::new(),
            picks: Slot::new(),
            counts: Counts {
                map: Mutex::new(HashMap::new()),
                generation: AtomicU64::new(0),
            },
        }
    }
}

impl Memo {
    /// From now on this node follows the writes, so values may be kept.
    pub fn start_following(&self) {
        self.following.store(true, Ordering::Release);
    }

    fn following(&self) -> bool {
        self.following.load(Ordering::Acquire)
    }

    /// The kept site part, or `None` with the generation to [`Memo::keep_site`] under.
    pub fn site(&self) -> Result<SiteParts, u64> {
        match self.site.get().filter(|_| self.following()) {
            Some(v) => Ok(v),
            None => Err(self.site.generation.load(Ordering::Acquire)),
        }
    }

    pub fn keep_site(&self, generation: u64, parts: SiteParts) {
        if self.following() {
            self.site.put(generation, parts);
        }
    }

    /// The kept picks, or `None` with the generation to [`Memo::keep_picks`] under.
    pub fn picks(&self) -> Result<Vec<ArticleSummary>, u64> {
        match self.picks.get().filter(|_| self.following()) {
            Some(v) => Ok(v),
            None => Err(self.picks.generation.load(Ordering::Acquire)),
        }
    }

    pub fn keep_picks(&self, generation: u64, picks: Vec<ArticleSummary>) {
        if self.following() {
            self.picks.put(generation, picks);
        }
    }

    /// Settings, sections or pages changed.
    pub fn drop_site(&self) {
        self.site.drop_value();
    }

    /// Articles or the front page changed.
    pub fn drop_picks(&self) {
        self.picks.drop_value();
    }

    /// The kept count of the list `list`, or `None` with the generation to
    /// [`Memo::keep_count`] under.
    pub fn count(&self, list: &str) -> Result<i64, u64> {
        let kept = self
            .following()
            .then(|| self.counts.map.lock().ok())
            .flatten()
            .and_then(|m| {
                m.get(list)
                    .filter(|(_, at)| at.elapsed() < KEEP)
                    .map(|(n, _)| *n)
            });
        kept.ok_or_else(|| self.counts.generation.load(Ordering::Acquire))
    }

    pub fn keep_count(&self, generation: u64, list: String, n: i64) {
        if !self.following() {
            return;
        }
        if let Ok(mut m) = self.counts.map.lock()
            && self.counts.generation.load(Ordering::Acquire) == generation
        {
            if m.len() >= MAX_COUNTS {
                m.retain(|_, (_, at)| at.elapsed() < KEEP);
                if m.len() >= MAX_COUNTS {
                    m.clear();
                }
            }
            m.insert(list, (n, Instant::now()));
        }
    }

    /// Articles changed: every list may count otherwise.
    pub fn drop_counts(&self) {
        if let Ok(mut m) = self.counts.map.lock() {
            self.counts.generation.fetch_add(1, Ordering::AcqRel);
            m.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(name: &str) -> SiteParts {
        SiteParts {
            settings: SiteSettings {
                name: name.to_owned(),
                ..SiteSettings::default()
            },
            sections: vec![],
            pages: vec![],
        }
    }

    #[test]
    fn nothing_is_kept_until_the_node_follows_the_writes() {
        let memo = Memo::default();
        let generation = memo.site().err().unwrap_or(99);
        memo.keep_site(generation, parts("A"));
        assert!(memo.site().is_err());
        memo.start_following();
        let generation = memo.site().err().unwrap_or(99);
        memo.keep_site(generation, parts("A"));
        assert_eq!(
            memo.site().ok().map(|p| p.settings.name),
            Some("A".to_owned())
        );
    }

    #[test]
    fn a_value_read_before_a_drop_is_not_kept_after_it() {
        let memo = Memo::default();
        memo.start_following();
        let before = memo.site().err().unwrap_or(99);
        memo.drop_site();
        memo.keep_site(before, parts("old"));
        assert!(memo.site().is_err(), "the stale value was kept");
        let now = memo.site().err().unwrap_or(99);
        memo.keep_site(now, parts("new"));
        assert_eq!(
            memo.site().ok().map(|p| p.settings.name),
            Some("new".to_owned())
        );
        memo.drop_site();
        assert!(memo.site().is_err());
    }

    #[test]
    fn counts_are_kept_per_list_and_dropped_together() {
        let memo = Memo::default();
        let g = memo.count("All").err().unwrap_or(99);
        memo.keep_count(g, "All".into(), 7);
        assert!(memo.count("All").is_err(), "kept while not following");
        memo.start_following();
        let g = memo.count("All").err().unwrap_or(99);
        memo.keep_count(g, "All".into(), 7);
        memo.keep_count(g, "Section(2)".into(), 3);
        assert_eq!(memo.count("All"), Ok(7));
        assert_eq!(memo.count("Section(2)"), Ok(3));
        assert!(memo.count("Section(3)").is_err());
        // A count read before a drop is not kept after it.
        let before = memo.count("Tag(1)").err().unwrap_or(99);
        memo.drop_counts();
        assert!(memo.count("All").is_err() && memo.count("Section(2)").is_err());
        memo.keep_count(before, "Tag(1)".into(), 1);
        assert!(memo.count("Tag(1)").is_err());
        // Bounded.
        let g = memo.count("x").err().unwrap_or(99);
        for i in 0..(MAX_COUNTS + 10) {
            memo.keep_count(g, format!("Tag({i})"), 1);
        }
        assert!(memo.counts.map.lock().map(|m| m.len()).unwrap_or(0) <= MAX_COUNTS);
    }

    #[test]
    fn picks_are_dropped_apart_from_the_site() {
        let memo = Memo::default();
        memo.start_following();
        let g = memo.picks().err().unwrap_or(99);
        memo.keep_picks(g, vec![]);
        let g = memo.site().err().unwrap_or(99);
        memo.keep_site(g, parts("A"));
        memo.drop_picks();
        assert!(memo.picks().is_err());
        assert!(memo.site().is_ok());
    }
}
