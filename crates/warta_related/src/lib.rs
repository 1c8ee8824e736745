//! Related news ("Berita terkait"): lists that are relevant, fresh and cheap to serve.
//!
//! Candidates come from the search index (`SearchIndex::neighbours`: "more like this"
//! over the article's telling terms, and articles sharing its rarest names); `rank`
//! blends text, names and recency, drops near-copies and keeps the list diverse. Lists
//! are computed ahead and stored (`Store::save_related`); the article page reads one
//! with a single query and never runs this engine.
//!
//! Keeping lists fresh, incrementally: [`Engine::catch_up`] reads the change log after
//! the search index has. A published or edited article gets its own list; then each of
//! its candidates whose list it would enter (it beats that list's lowest score, or the
//! list is short) is recomputed — a new story enters old lists without recomputing the
//! archive. An article that is unpublished or deleted is recomputed out of every list
//! that showed it (the page already hides it meanwhile). [`Engine::sweep`] recomputes
//! the lists that are oldest, so recency keeps reordering lists nobody touched.
//!
//! Staleness, stated: a new article enters the lists it belongs to within one
//! follow tick after the search index has it (about half a second in `serve`); a list
//! no write has touched is recomputed at least every [`MAX_LIST_AGE_HOURS`] hours.

pub mod rank;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use rayon::prelude::*;
use warta_search::{BulkNeighbours, SearchError, SearchIndex};
use warta_store::Store;

pub use rank::{Config, rank};

/// Candidates fetched per article.
const CANDIDATES: usize = 60;
/// Old or never-computed lists recomputed per sweep (every 40 follow ticks: about
/// 10 s in `serve`), so an imported archive gets its lists in the background.
const SWEEP: u32 = 200;
/// Every this many follow ticks (about a minute in `serve`), the sweep also looks for
/// visible articles that never had a list (an article whose embargo ended, a list
/// that failed): that question reads every article (at a million on a cold file
/// cache, 1.9 s beside the home page's first count; issue #26).
const MISSING_EVERY: u64 = 240;
/// Lists computed before they are stored together.
const REBUILD_CHUNK: usize = 256;
/// From this many lists on, a rebuild reads the whole archive once
/// ([`BulkNeighbours`]) instead of asking the index article by article.
pub const BULK_FROM: usize = 2_000;
/// Lists a bulk rebuild computes (on every core) before storing them together.
const BULK_CHUNK: usize = 4_096;
/// Candidates of a new article whose lists it may enter.
const ENTER: usize = 30;
/// Change-log entries per catch-up batch.
const BATCH: u32 = 500;
pub const MAX_LIST_AGE_HOURS: i64 = 24;

#[derive(Debug, thiserror::Error)]
pub enum RelatedError {
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Store(#[from] warta_store::StoreError),
}

pub type Result<T, E = RelatedError> = std::result::Result<T, E>;

/// The engine over one store and its search index. Cheap to clone.
#[derive(Clone)]
pub struct Engine {
    pub store: Store,
    pub index: SearchIndex,
    pub config: Config,
}

/// What one catch-up did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub changes: usize,
    pub lists: usize,
}

impl Engine {
    pub fn new(store: Store, index: SearchIndex) -> Engine {
        Engine {
            store,
            index,
            config: Config::default(),
        }
    }

    /// The list for article `id` as the engine computes it now, without storing it
    /// (`None`: the article is not visible). Excludes set by editors are honoured.
    pub async fn compute(&self, id: i64, now: DateTime<Utc>) -> Result<Option<Vec<(i64, f32)>>> {
        let edits = self.store.related_edits(id).await?;
        let index = self.index.clone();
        let hood = tokio::task::spawn_blocking(move || index.neighbours(id, CANDIDATES, now))
            .await
            .map_err(|e| SearchError::Corrupt(format!("related task: {e}")))??;
        Ok(hood.map(|n| rank(&n, &edits.excludes, now, &self.config)))
    }

    /// Computes and stores article `id`'s list; returns it (empty if not visible).
    pub async fn refresh(&self, id: i64, now: DateTime<Utc>) -> Result<Vec<(i64, f32)>> {
        match self.compute(id, now).await? {
            Some(list) => {
                self.store.save_related(id, &list, now).await?;
                Ok(list)
            }
            None => {
                self.store.clear_related(id).await?;
                Ok(Vec::new())
            }
        }
    }

    /// Brings lists up to date with the change log (call after the search index's
    /// catch-up, so new articles are in the index).
    pub async fn catch_up(&self, now: DateTime<Utc>) -> Result<Progress> {
        let mut progress = Progress::default();
        let mut seq = self.store.related_cursor().await?;
        // Never ahead of the index: what it has not read cannot be ranked yet.
        let indexed = self.index.seq()?;
        loop {
            let changes = self.store.changes_after(seq, BATCH).await?;
            let changes: Vec<_> = changes.into_iter().filter(|c| c.seq <= indexed).collect();
            let Some(last) = changes.last() else { break };
            let last_seq = last.seq;
            let mut ids: Vec<i64> = changes.iter().map(|c| c.article_id).collect();
            ids.sort_unstable();
            ids.dedup();
            for id in ids {
                progress.lists += self.apply_change(id, now).await?;
            }
            progress.changes += changes.len();
            seq = last_seq;
            self.store.set_related_cursor(seq).await?;
        }
        Ok(progress)
    }

    /// One changed article: its own list, and the lists it enters or leaves.
    /// Returns the number of lists written.
    async fn apply_change(&self, id: i64, now: DateTime<Utc>) -> Result<usize> {
        let own = self.compute(id, now).await?;
        let Some(list) = own else {
            // Gone from readers: out of its own list's table and of every list.
            self.store.clear_related(id).await?;
            let showing = self.store.lists_showing(id).await?;
            self.refresh_many(&showing, now).await?;
            return Ok(showing.len() + 1);
        };
        self.store.save_related(id, &list, now).await?;
        let mut written = 1;
        // Lists this article may enter: its closest candidates, by the same score
        // seen from their side (the blend is near-symmetric), if it beats their floor.
        let candidates: Vec<(i64, f32)> = list.iter().take(ENTER).copied().collect();
        let ids: Vec<i64> = candidates.iter().map(|c| c.0).collect();
        let floors = self.store.list_floors(&ids).await?;
        let shown_in = self.store.lists_showing(id).await?;
        let mut refresh = Vec::new();
        for (other, score) in candidates {
            let enters = match floors.get(&other) {
                Some((len, floor)) => *len < self.config.limit || score > *floor,
                None => true,
            };
            if enters || shown_in.contains(&other) {
                refresh.push(other);
            }
        }
        self.refresh_many(&refresh, now).await?;
        written += refresh.len();
        Ok(written)
    }

    /// [`Engine::refresh`] of several lists: computed at once (every core), stored in
    /// one transaction.
    async fn refresh_many(&self, ids: &[i64], now: DateTime<Utc>) -> Result<()> {
        let mut tasks = tokio::task::JoinSet::new();
        for &id in ids {
            let engine = self.clone();
            tasks.spawn(async move { Ok::<_, RelatedError>((id, engine.compute(id, now).await?)) });
        }
        let mut lists = Vec::with_capacity(ids.len());
        while let Some(done) = tasks.join_next().await {
            let (id, list) =
                done.map_err(|e| SearchError::Corrupt(format!("related task: {e}")))??;
            match list {
                Some(list) => lists.push((id, list)),
                None => self.store.clear_related(id).await?,
            }
        }
        lists.sort_unstable_by_key(|x| x.0);
        self.store.save_related_many(&lists, now).await?;
        Ok(())
    }

    /// Recomputes up to `limit` of the oldest lists (computed more than
    /// [`MAX_LIST_AGE_HOURS`] ago; with `missing`, also the visible articles never
    /// given one, first, which reads every article).
    pub async fn sweep(&self, limit: u32, now: DateTime<Utc>, missing: bool) -> Result<usize> {
        let before = now - Duration::hours(MAX_LIST_AGE_HOURS);
        let ids = if missing {
            self.store.stale_lists(before, limit, now).await?
        } else {
            self.store.old_lists(before, limit, now).await?
        };
        self.rebuild(&ids, now).await
    }

    /// Computes and stores the lists of `ids` in bulk, each chunk of lists stored in
    /// one transaction. What a sweep, an import and a full rebuild use. Up to
    /// [`BULK_FROM`] lists: one computing task per core, and the result is the same as
    /// [`Engine::refresh`] of each. From there on, the archive is read once into a
    /// [`BulkNeighbours`] and candidates come from its pruned postings (the same
    /// ranking; see `warta_search::bulk` for how the candidates can differ).
    pub async fn rebuild(&self, ids: &[i64], now: DateTime<Utc>) -> Result<usize> {
        if ids.len() >= BULK_FROM {
            return self.rebuild_bulk(ids, now).await;
        }
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        for chunk in ids.chunks(REBUILD_CHUNK) {
            let mut tasks = tokio::task::JoinSet::new();
            for part in chunk.chunks(chunk.len().div_ceil(workers).max(1)) {
                let engine = self.clone();
                let part = part.to_vec();
                tasks.spawn(async move {
                    let mut out = Vec::with_capacity(part.len());
                    for id in part {
                        out.push((id, engine.compute(id, now).await?));
                    }
                    Ok::<_, RelatedError>(out)
                });
            }
            let mut lists = Vec::with_capacity(chunk.len());
            while let Some(done) = tasks.join_next().await {
                let done = done.map_err(|e| SearchError::Corrupt(format!("related task: {e}")))?;
                for (id, list) in done? {
                    match list {
                        Some(list) => lists.push((id, list)),
                        // Not visible (any more): no list, as `refresh` does.
                        None => self.store.clear_related(id).await?,
                    }
                }
            }
            self.store.save_related_many(&lists, now).await?;
        }
        Ok(ids.len())
    }

    /// [`Engine::rebuild`] of many lists, whatever their number: the archive read once,
    /// then lists computed on every core, [`BULK_CHUNK`] at a time, each chunk stored
    /// while the next is computed.
    pub async fn rebuild_bulk(&self, ids: &[i64], now: DateTime<Utc>) -> Result<usize> {
        let index = self.index.clone();
        let started = std::time::Instant::now();
        let bulk = Arc::new(
            tokio::task::spawn_blocking(move || index.bulk_neighbours())
                .await
                .map_err(|e| SearchError::Corrupt(format!("related task: {e}")))??,
        );
        tracing::info!(
            articles = bulk.len(),
            secs = started.elapsed().as_secs_f64(),
            "related lists: archive read"
        );
        let excludes = Arc::new(self.store.related_excludes().await?);
        let spawn = |part: &[i64]| {
            let (engine, bulk, excludes) = (self.clone(), bulk.clone(), excludes.clone());
            let part = part.to_vec();
            tokio::task::spawn_blocking(move || engine.lists_from(&bulk, &part, &excludes, now))
        };
        // Each chunk is stored while the next one is computed.
        let mut chunks = ids.chunks(BULK_CHUNK);
        let mut pending = chunks.next().map(spawn);
        while let Some(task) = pending.take() {
            let computed = task
                .await
                .map_err(|e| SearchError::Corrupt(format!("related task: {e}")))??;
            pending = chunks.next().map(spawn);
            let mut lists = Vec::with_capacity(computed.len());
            for (id, list) in computed {
                match list {
                    Some(list) => lists.push((id, list)),
                    None => self.store.clear_related(id).await?,
                }
            }
            self.store.save_related_many(&lists, now).await?;
        }
        Ok(ids.len())
    }

    /// The lists of `ids` from a [`BulkNeighbours`], computed on every core and not
    /// stored (`None`: not visible), honouring `excludes` (article → excluded ids).
    pub fn lists_from(
        &self,
        bulk: &BulkNeighbours,
        ids: &[i64],
        excludes: &HashMap<i64, Vec<i64>>,
        now: DateTime<Utc>,
    ) -> Result<Lists> {
        ids.par_iter()
            .map_init(
                || bulk.scratch(),
                |scratch, &id| {
                    let hood = bulk.neighbours(id, CANDIDATES, now, scratch)?;
                    let excluded = excludes.get(&id).map_or(&[][..], Vec::as_slice);
                    Ok((id, hood.map(|n| rank(&n, excluded, now, &self.config))))
                },
            )
            .collect()
    }
}

/// Lists by article (`None`: the article is not visible).
pub type Lists = Vec<(i64, Option<Vec<(i64, f32)>>)>;
/// Keeps the search index and the related lists in step with the store until the
/// process ends: index catch-up, then related catch-up, every `every`; a sweep of old
/// lists every 40 ticks. Every node keeps its own index; the lists are stored in the
/// database, and one node computes them for all (the `related` duty).
pub fn follow(engine: Engine, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick: u64 = 0;
        let mut busy_said = false;
        let mut duty = engine.store.duty("related");
        loop {
            engine
                .index
                .catch_up_logged(&engine.store, &mut busy_said)
                .await;
            if !duty.held().await {
                tokio::time::sleep(every).await;
                continue;
            }
            let now = Utc::now();
            if let Err(e) = engine.catch_up(now).await {
                tracing::error!(error = %e, "related lists catch-up failed");
            }
            // Not at the first tick: on a cold file cache, even the sweep's cheap
            // question took 2–3 s beside the first pages' reads at a million.
            if tick > 0
                && tick.is_multiple_of(40)
                && let Err(e) = engine
                    .sweep(SWEEP, now, tick.is_multiple_of(MISSING_EVERY))
                    .await
            {
                tracing::error!(error = %e, "related lists sweep failed");
            }
            tick += 1;
            tokio::time::sleep(every).await;
        }
    })
}
