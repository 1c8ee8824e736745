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

/// Searches kept at most. A result is a page of ten hits with snippets, a few KiB.
const KEPT: u64 = 2_000;

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
        Key {
            generation: generation.to_owned(),
            segments: foldhash::fast::FixedState::with_seed(0).hash_one(segments.segments()),
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
            kept: moka::sync::Cache::new(KEPT),
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
