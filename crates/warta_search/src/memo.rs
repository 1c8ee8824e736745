//! Recent searches' results, kept for the index state they were computed on (what
//! Solr calls its query result cache). Readers ask the same things at once — a name in
//! the news, a disaster's place — and at a million articles one search costs several
//! milliseconds of a core, so the second asker gets the first one's page.
//!
//! A kept result is the same as a fresh one because its key holds everything a search
//! reads: the live generation, the segments the searcher reads with their deletes
//! (what a commit changes; not tantivy's generation number, which every reload bumps,
//! and the follow loop reloads four times a second), and the whole request. Only
//! searches run while nothing in the index is embargoed are kept: then the clock
//! cannot change what they find.

use std::hash::BuildHasher;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use tantivy::SearcherGeneration;

use crate::search::{SearchRequest, SearchResults, Sort};

/// What the kept searches may weigh in all, keys included: about 2,000 pages of ten
/// hits with their snippets. Counted in bytes, not searches, because a request's text
/// comes from the address (up to tens of KiB each).
const KEPT_BYTES: u64 = 16 << 20;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    generation: String,
    /// A hash of the searcher's segments and their delete stamps.
    segments: u64,
    q: String,
    section: Option<String>,
    tag: Option<String>,
    author: Option<String>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    newest: bool,
    page: u32,
    per_page: usize,
}

impl Key {
    /// The key of `req` as run (`page` and `per_page` as clamped) by a searcher of
    /// `segments`, in the generation called `generation`.
    pub(crate) fn new(
        generation: &str,
        segments: &SearcherGeneration,
        req: &SearchRequest,
        page: u32,
        per_page: usize,
    ) -> Key {
        Key::new_hashed(generation, segments.segments(), req, page, per_page)
    }

    fn new_hashed(
        generation: &str,
        segments: &impl std::hash::Hash,
        req: &SearchRequest,
        page: u32,
        per_page: usize,
    ) -> Key {
        Key {
            generation: generation.to_owned(),
            segments: foldhash::fast::FixedState::with_seed(0).hash_one(segments),
            q: req.q.clone(),
            section: req.section.clone(),
            tag: req.tag.clone(),
            author: req.author.clone(),
            from: req.from,
            to: req.to,
            newest: req.sort == Sort::Newest,
            page,
            per_page,
        }
    }
}

#[derive(Clone)]
pub(crate) struct Memo {
    kept: moka::sync::Cache<Key, Arc<SearchResults>>,
    answered: Arc<AtomicU64>,
}

impl Memo {
    pub(crate) fn new() -> Memo {
        Memo {
            kept: moka::sync::Cache::builder()
                .max_capacity(KEPT_BYTES)
                .weigher(|k: &Key, r: &Arc<SearchResults>| weight(k, r))
                .build(),
            answered: Arc::default(),
        }
    }

    pub(crate) fn get(&self, key: &Key) -> Option<SearchResults> {
        let kept = self.kept.get(key)?;
        self.answered.fetch_add(1, Ordering::Relaxed);
        Some((*kept).clone())
    }

    /// Searches answered from here so far.
    pub(crate) fn answered(&self) -> u64 {
        self.answered.load(Ordering::Relaxed)
    }

    pub(crate) fn keep(&self, key: Key, results: &SearchResults) {
        self.kept.insert(key, Arc::new(results.clone()));
    }
}

/// The bytes a kept search holds, about: its key's text and its hits' text.
fn weight(k: &Key, r: &SearchResults) -> u32 {
    let text = |v: &Option<String>| v.as_ref().map_or(0, String::len);
    let key = k.generation.len() + k.q.len() + text(&k.section) + text(&k.tag) + text(&k.author);
    let hits: usize = r
        .hits
        .iter()
        .map(|h| {
            h.slug.len()
                + h.headline.len()
                + h.section_slug.len()
                + h.section_name.len()
                + h.snippet_html.len()
                + 96
        })
        .sum();
    let all = 256 + key + hits + text(&r.suggestion);
    u32::try_from(all).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_request_weighs_what_its_text_does() {
        let req = |q: &str| SearchRequest {
            q: q.to_owned(),
            page: 1,
            per_page: 10,
            ..SearchRequest::default()
        };
        let results = SearchResults {
            total: 0,
            page: 1,
            last_page: 1,
            hits: Vec::new(),
            suggestion: None,
            truncated: false,
            empty_query: false,
        };
        let segments: std::collections::BTreeMap<u64, Option<u64>> = Default::default();
        let short = Key::new_hashed("gen-1", &segments, &req("banjir"), 1, 10);
        let long = Key::new_hashed("gen-1", &segments, &req(&"banjir ".repeat(9_000)), 1, 10);
        assert!(weight(&short, &results) < 512);
        assert!(weight(&long, &results) > 63_000);
        // 16 MiB hold only about 260 such keys, not 2,000.
        assert!(KEPT_BYTES / u64::from(weight(&long, &results)) < 300);
    }
}
