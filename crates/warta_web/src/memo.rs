//! What every page render reads and few writes change, kept in memory between page-cache
//! misses (issue #26: a miss must not run a dozen statements where two would do): the
//! site's settings, sections and footer links, and the editors' picks.
//!
//! Kept only while this node runs the follower ([`crate::follow_site`], as `serve`
//! does): the follower drops the site's part when the `site` signal moves (or it drops every page),
//! and the picks on any change of articles or of the front page, before it drops the
//! pages that showed them; a write elsewhere shows within its tick, as in the page
//! cache. A node that does not run it (tests, commands) reads afresh each time. A value read before a drop is not kept after it (a generation count).

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

/// The node's memo; see the module's comment.
pub(crate) struct Memo {
    following: AtomicBool,
    site: Slot<SiteParts>,
    picks: Slot<Vec<ArticleSummary>>,
}

impl Default for Memo {
    fn default() -> Self {
        Memo {
            following: AtomicBool::new(false),
            site: Slot::new(),
            picks: Slot::new(),
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
