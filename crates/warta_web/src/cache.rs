//! The page cache. A page is cached as text with *slots* where relative ages go
//! (`3 jam lalu`), and the ages are filled in for the current time on every hit, so a
//! page served from the cache an hour later says `4 jam lalu`. Templates mark a slot
//! with [`AgeSlot`]; sanitised content can never contain the marker character.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use warta_core::Locale;

const MARK: char = '\u{1}';

/// A relative age to be filled in when the page is served.
#[derive(Debug, Clone, Copy)]
pub struct AgeSlot(pub DateTime<Utc>);

impl fmt::Display for AgeSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{MARK}{}{MARK}", self.0.timestamp())
    }
}

#[derive(Debug)]
enum Part {
    Text(String),
    Age(DateTime<Utc>),
}

/// A rendered page, split at its age slots.
#[derive(Debug)]
pub struct CachedPage {
    parts: Vec<Part>,
    locale: Locale,
    len_hint: usize,
    /// What the page shows, for shared caches to purge by (`Surrogate-Key`).
    pub keys: String,
    /// When what the page is about last changed (`Last-Modified`), if known.
    pub modified: Option<DateTime<Utc>>,
}

impl CachedPage {
    pub fn new(rendered: &str, locale: Locale) -> CachedPage {
        let mut parts = Vec::new();
        for (i, piece) in rendered.split(MARK).enumerate() {
            // Odd pieces sit between two marks: a slot, if it parses as one.
            if i % 2 == 1
                && let Some(t) = piece
                    .parse::<i64>()
                    .ok()
                    .and_then(|s| DateTime::from_timestamp(s, 0))
            {
                parts.push(Part::Age(t));
                continue;
            }
            if !piece.is_empty() {
                match parts.last_mut() {
                    Some(Part::Text(prev)) => prev.push_str(piece),
                    _ => parts.push(Part::Text(piece.to_owned())),
                }
            }
        }
        CachedPage {
            len_hint: rendered.len(),
            parts,
            locale,
            keys: String::new(),
            modified: None,
        }
    }

    /// The page's HTML with every age as seen at `now`.
    pub fn fill(&self, now: DateTime<Utc>) -> String {
        let mut out = String::with_capacity(self.len_hint + 64);
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Age(t) => out.push_str(&self.locale.relative(*t, now)),
            }
        }
        out
    }
}

/// Rendered pages by path; entries live at most `ttl`. Cheap to clone.
#[derive(Clone)]
pub struct PageCache {
    inner: moka::sync::Cache<String, Arc<CachedPage>>,
}

impl PageCache {
    pub fn new(ttl: Duration, max_entries: u64) -> PageCache {
        PageCache {
            inner: moka::sync::Cache::builder()
                .max_capacity(max_entries)
                .time_to_live(ttl)
                .build(),
        }
    }

    pub fn get(&self, key: &str) -> Option<Arc<CachedPage>> {
        self.inner.get(key)
    }

    pub fn insert(&self, key: String, page: Arc<CachedPage>) {
        self.inner.insert(key, page);
    }

    /// Drops every page: after a publish, every list and related block may change.
    pub fn clear(&self) {
        self.inner.invalidate_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn slots_are_filled_for_the_time_of_serving() {
        let t = Utc
            .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
            .single()
            .expect("date");
        let html = format!("<p>a <time>{}</time> b</p>", AgeSlot(t));
        let page = CachedPage::new(&html, Locale::Id);
        assert_eq!(
            page.fill(t + chrono::Duration::hours(3)),
            "<p>a <time>3 jam lalu</time> b</p>"
        );
        assert_eq!(
            page.fill(t + chrono::Duration::days(2)),
            "<p>a <time>2 hari lalu</time> b</p>"
        );
    }

    #[test]
    fn a_stray_marker_is_kept_as_text_not_a_slot() {
        let page = CachedPage::new("x\u{1}abc\u{1}y", Locale::Id);
        assert_eq!(page.fill(Utc::now()), "xabcy");
    }
}
