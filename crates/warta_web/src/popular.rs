//! "Terpopuler" (issue #29): reads counted without cookies or personal data, and the
//! most read stories of the last 24 hours and 7 days.
//!
//! - A story's page sends a beacon (`POST /baca/{id}`) once it has been visible for a
//!   few seconds, so pages served by a CDN count too.
//! - Bots (by their `User-Agent`) and prefetches are not counted. One client counts a
//!   story once per window (30 minutes): the client is told apart by its address as
//!   the trusted proxies give it, kept only as a salted hash in memory for that
//!   window (the salt is made at start and never stored).
//! - Counts add up in memory and go to the database in batches
//!   ([`AppState::flush_reads`]): a beacon never waits on a write, and a count drops
//!   no page from any cache.
//! - Every node reads the rankings back from the database
//!   ([`AppState::refresh_popular`]), so the counts of all nodes merge there and
//!   every node shows the same lists. Pages read the last rankings from memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use warta_core::ArticleSummary;

use crate::AppState;

/// Stories in each list.
pub const LIST: u32 = 5;
/// One client counts a story once in this long.
pub const DEDUPE: Duration = Duration::from_secs(30 * 60);

/// The rankings pages show.
#[derive(Debug, Clone, Default)]
pub struct Rankings {
    pub day: Vec<ArticleSummary>,
    pub week: Vec<ArticleSummary>,
    /// The last 24 hours per section id.
    pub by_section: HashMap<i64, Vec<ArticleSummary>>,
}

/// A node's counting state.
pub struct Popular {
    salt: [u8; 16],
    /// Hashed (client, story) pairs seen within the window.
    seen: moka::sync::Cache<[u8; 16], ()>,
    /// Counts not yet written: (story, hour) → reads.
    pending: Mutex<HashMap<(i64, i64), i64>>,
    rankings: RwLock<Arc<Rankings>>,
}

impl Popular {
    pub fn new(window: Duration) -> Popular {
        let mut salt = [0u8; 16];
        // Without randomness the hash is still one-way, only guessable.
        let _ = getrandom::fill(&mut salt);
        Popular {
            salt,
            seen: moka::sync::Cache::builder()
                .max_capacity(1_000_000)
                .time_to_live(window)
                .build(),
            pending: Mutex::default(),
            rankings: RwLock::default(),
        }
    }

    /// Counts one read of `story` by `client` (false: the same client read it within
    /// the window, and nothing is counted).
    pub fn note(&self, client: &str, story: i64, now: DateTime<Utc>) -> bool {
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(client.as_bytes());
        h.update(story.to_le_bytes());
        let digest = h.finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        if self.seen.contains_key(&key) {
            return false;
        }
        self.seen.insert(key, ());
        if let Ok(mut p) = self.pending.lock() {
            *p.entry((story, warta_store::hour_of(now))).or_insert(0) += 1;
        }
        true
    }

    /// The last rankings read.
    pub fn rankings(&self) -> Arc<Rankings> {
        self.rankings.read().map(|r| r.clone()).unwrap_or_default()
    }
}

/// Whether a `User-Agent` is a crawler, a link preview or a script rather than a
/// reader (none at all counts as not a reader).
pub fn is_bot(user_agent: &str) -> bool {
    const MARKS: [&str; 12] = [
        "bot",
        "crawl",
        "spider",
        "slurp",
        "preview",
        "facebookexternalhit",
        "whatsapp",
        "curl",
        "wget",
        "python",
        "httpclient",
        "monitor",
    ];
    let ua = user_agent.to_ascii_lowercase();
    ua.trim().is_empty() || MARKS.iter().any(|m| ua.contains(m))
}

/// `POST /baca/{id}`: a reader's beacon. Always 204 (a beacon is not answered).
pub(crate) async fn beacon(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let ua = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let prefetch = parts
        .headers
        .get("sec-purpose")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("prefetch"));
    if !is_bot(ua) && !prefetch && id > 0 {
        let client = crate::client::request_ip(&parts, &app.config.trusted_proxies)
            .map(crate::client::throttle_key)
            .unwrap_or_else(|| "unknown".into());
        app.popular.note(&client, id, app.now());
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    res
}

impl AppState {
    /// Writes the counts gathered since the last call (kept for the next call if the
    /// write fails).
    pub async fn flush_reads(&self) {
        let batch: Vec<(i64, i64, i64)> = match self.popular.pending.lock() {
            Ok(mut p) => p.drain().map(|((a, h), n)| (a, h, n)).collect(),
            Err(_) => return,
        };
        if let Err(e) = self.store.add_reads(&batch, self.now()).await {
            tracing::warn!(error = %e, "reads not written; kept for the next try");
            if let Ok(mut p) = self.popular.pending.lock() {
                for (a, h, n) in batch {
                    *p.entry((a, h)).or_insert(0) += n;
                }
            }
        }
    }

    /// Reads the rankings back from the database (every node's counts).
    pub async fn refresh_popular(&self) {
        match self.read_rankings().await {
            Ok(r) => {
                if let Ok(mut slot) = self.popular.rankings.write() {
                    *slot = Arc::new(r);
                }
            }
            Err(e) => tracing::warn!(error = %e, "rankings not read"),
        }
    }

    async fn read_rankings(&self) -> Result<Rankings, warta_store::StoreError> {
        let now = self.now();
        let day = now - chrono::Duration::hours(24);
        let week = now - chrono::Duration::days(7);
        let mut r = Rankings {
            day: self.store.most_read(day, None, LIST, now).await?,
            week: self.store.most_read(week, None, LIST, now).await?,
            by_section: HashMap::new(),
        };
        for s in self.store.sections().await? {
            let list = self.store.most_read(day, Some(s.id), LIST, now).await?;
            if !list.is_empty() {
                r.by_section.insert(s.id, list);
            }
        }
        Ok(r)
    }
}

/// Writes counts every `every` and reads the rankings every `refresh`, until the
/// process ends.
pub fn follow_reads(
    state: &AppState,
    every: Duration,
    refresh: Duration,
) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let mut last = tokio::time::Instant::now() - refresh;
        loop {
            state.flush_reads().await;
            if last.elapsed() >= refresh {
                state.refresh_popular().await;
                last = tokio::time::Instant::now();
            }
            tokio::time::sleep(every).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bots_and_scripts_are_not_readers() {
        assert!(is_bot("Googlebot/2.1 (+http://www.google.com/bot.html)"));
        assert!(is_bot("facebookexternalhit/1.1"));
        assert!(is_bot("WhatsApp/2.23.20.0"));
        assert!(is_bot("curl/8.5.0"));
        assert!(is_bot(""));
        assert!(!is_bot(
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
        ));
    }

    #[test]
    fn a_client_counts_a_story_once_per_window() {
        let p = Popular::new(Duration::from_secs(60));
        let now = Utc::now();
        assert!(p.note("10.0.0.1", 7, now));
        assert!(!p.note("10.0.0.1", 7, now), "the same client again");
        assert!(p.note("10.0.0.2", 7, now));
        assert!(p.note("10.0.0.1", 8, now));
        let pending = p.pending.lock().expect("lock");
        let hour = warta_store::hour_of(now);
        assert_eq!(pending.get(&(7, hour)), Some(&2));
        assert_eq!(pending.get(&(8, hour)), Some(&1));
    }
}
