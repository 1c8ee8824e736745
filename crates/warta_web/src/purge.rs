//! The purge hook: when articles are published, updated, unpublished or deleted, tell
//! a shared cache (a CDN, a Varnish) which pages to drop, by surrogate key and by path.
//!
//! It follows the store's change log like search does, so it fires for every write,
//! whoever made it (newsroom, import, another node's scheduler). Each tick sends at most
//! one `POST` of JSON to the configured address:
//!
//! ```json
//! {"surrogate_keys": ["article-17", "section-dunia", "tag-kim-jong-un", "home", "feeds", "sitemaps"],
//!  "paths": ["/dunia/2020/02/12/slug", "/", "/dunia", "/topik/kim-jong-un", "/rss.xml", …]}
//! ```
//!
//! The keys are the ones pages carry in `Surrogate-Key` (see `http_cache`): every
//! page names each story it shows (`article-17`), so the article's key reaches its
//! page, the lists and feeds that show it and other articles' related blocks; a
//! visible story also names its section, tags and authors, the home page and feeds
//! (lists it may have joined), and sitemaps. The same keys drop pages from each
//! node's own page cache ([`crate::follow_site`]). A failed or slow purge is retried with back-off a few times
//! and then given up (logged); it runs on its own task and never delays a write.

use std::time::Duration;

use serde::Serialize;
use warta_store::{Store, StoreError};

use crate::http_cache::key;

/// Where purges go.
#[derive(Debug, Clone)]
pub struct PurgeConfig {
    pub url: String,
    /// Sent as `Authorization: Bearer …` when set.
    pub token: Option<String>,
    /// How long one attempt may take.
    pub timeout: Duration,
    /// Attempts per purge (the first and the retries).
    pub attempts: u32,
    /// The wait before the first retry; doubled for each next one.
    pub backoff: Duration,
    /// Where each purge's outcome is counted.
    pub metrics: Option<crate::metrics::Metrics>,
}

impl PurgeConfig {
    pub fn new(url: String) -> PurgeConfig {
        PurgeConfig {
            url,
            token: None,
            timeout: Duration::from_secs(5),
            attempts: 4,
            backoff: Duration::from_millis(500),
            metrics: None,
        }
    }
}

/// One purge request's body.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Purge {
    pub surrogate_keys: Vec<String>,
    pub paths: Vec<String>,
}

impl Purge {
    fn add_key(&mut self, k: String) {
        if !self.surrogate_keys.contains(&k) {
            self.surrogate_keys.push(k);
        }
    }

    fn add_path(&mut self, p: String) {
        if !self.paths.contains(&p) {
            self.paths.push(p);
        }
    }
}

/// What to purge for these changed articles, as seen at `now`:
///
/// - always the article's key (`article-17`: its page and every page that shows it —
///   lists, the home page, feeds, other articles' related blocks), the sitemap index
///   and news sitemap (`sitemaps`) and its month's sitemap (`sitemap-2020-02`);
/// - if it is visible now, also the lists it may have joined or moved in: its
///   section, tags and authors, the home page and the feeds. A draft's save purges
///   nothing a reader sees; an unpublished story leaves the pages that showed it by
///   its own key.
///
/// Paths (for caches that purge by address) always name its page, its old addresses
/// (which redirect to it) and its lists.
pub async fn purge_for(
    store: &Store,
    ids: &[i64],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Purge, StoreError> {
    let mut p = Purge::default();
    if ids.is_empty() {
        return Ok(p);
    }
    let settings = store.settings().await?;
    let tz = settings.tz().unwrap_or(chrono_tz::Tz::Asia__Jakarta);
    let mut any_visible = false;
    for id in ids {
        p.add_key(key("article", &id.to_string()));
        let a = match store.article(*id).await {
            Ok(a) => a,
            Err(StoreError::NotFound { .. }) => continue,
            Err(e) => return Err(e),
        };
        if let Some(at) = a.published_at {
            p.add_key(key("sitemap", &at.format("%Y-%m").to_string()));
        }
        let visible =
            a.status == warta_core::Status::Published && a.published_at.is_some_and(|t| t <= now);
        if visible {
            any_visible = true;
            p.add_key(key("section", &a.section.slug));
            for t in &a.tags {
                p.add_key(key("tag", &t.slug));
            }
            for u in &a.authors {
                p.add_key(key("author", &u.slug));
            }
        }
        if let Some(at) = a.published_at {
            p.add_path(warta_core::article_path(&a.section.slug, at, tz, &a.slug));
        }
        // Its old addresses answer with a redirect to the current one, which may have
        // just changed (a new slug: the address it had until now is among them).
        for old in store.legacy_paths_of(*id).await? {
            p.add_path(old);
        }
        p.add_path(format!("/{}", a.section.slug));
        p.add_path(format!("/{}/rss.xml", a.section.slug));
        p.add_path(format!("/{}/atom.xml", a.section.slug));
        for t in &a.tags {
            p.add_path(format!("/topik/{}", t.slug));
            p.add_path(format!("/topik/{}/rss.xml", t.slug));
            p.add_path(format!("/topik/{}/atom.xml", t.slug));
        }
    }
    if any_visible {
        p.add_key("home".to_owned());
        p.add_key("feeds".to_owned());
    }
    p.add_key("sitemaps".to_owned());
    for path in [
        "/",
        "/rss.xml",
        "/atom.xml",
        "/sitemap.xml",
        "/sitemap-news.xml",
    ] {
        p.add_path(path.to_owned());
    }
    Ok(p)
}

/// Sends one purge, retrying with back-off. `Ok(attempts)` when the target answered
/// 2xx; `Err` with the last reason after the last attempt.
pub async fn send(
    client: &reqwest::Client,
    config: &PurgeConfig,
    purge: &Purge,
) -> Result<u32, String> {
    let mut wait = config.backoff;
    let mut last = String::new();
    for attempt in 1..=config.attempts.max(1) {
        let mut req = client.post(&config.url).timeout(config.timeout).json(purge);
        if let Some(t) = &config.token {
            req = req.bearer_auth(t);
        }
        match req.send().await {
            Ok(res) if res.status().is_success() => return Ok(attempt),
            Ok(res) => last = format!("the purge target answered {}", res.status()),
            Err(e) if e.is_timeout() => {
                last = format!("the purge target did not answer in {:?}", config.timeout);
            }
            Err(e) => last = format!("the purge target cannot be reached: {e}"),
        }
        if attempt < config.attempts {
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
    }
    Err(last)
}

/// Follows the change log from its current end and purges what each batch of writes
/// changed, until the process ends.
pub fn follow(store: Store, config: PurgeConfig, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        let mut after = match store.last_change().await {
            Ok(seq) => seq,
            Err(e) => {
                tracing::error!(error = %e, "purge hook: cannot read the change log; not started");
                return;
            }
        };
        // With several nodes, one calls the hook; the others keep their place in the
        // change log, so that one taking over starts near where the last one stopped.
        let mut duty = store.duty("purge");
        // The front page's arrangement (the `front` signal): the home page goes too.
        let mut front = store.watermark().await.map(|w| w.front).unwrap_or(0);
        loop {
            tokio::time::sleep(every).await;
            let changes = match store.changes_after(after, 500).await {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "purge hook: reading the change log failed");
                    continue;
                }
            };
            let front_now = store.watermark().await.map(|w| w.front).unwrap_or(front);
            let rearranged = front_now != front;
            front = front_now;
            if let Some(last) = changes.last() {
                after = last.seq;
            } else if !rearranged {
                continue;
            }
            if !duty.held().await {
                continue;
            }
            let ids: Vec<i64> = changes.iter().map(|c| c.article_id).collect();
            let mut purge = match purge_for(&store, &ids, chrono::Utc::now()).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(error = %e, "purge hook: resolving changed articles failed");
                    continue;
                }
            };
            if rearranged {
                purge.add_key("home".to_owned());
                purge.add_path("/".to_owned());
            }
            // Sent beside the follow loop: a slow target delays purges, not this log.
            let (client, config) = (client.clone(), config.clone());
            tokio::spawn(async move {
                let sent = send(&client, &config, &purge).await;
                if let Some(m) = &config.metrics {
                    m.delivered(crate::metrics::DeliveryKind::Purge, sent.is_ok());
                }
                match sent {
                    Ok(n) => tracing::debug!(attempts = n, "purged"),
                    Err(why) => {
                        tracing::error!(url = %config.url, %why, "purge hook gave up");
                    }
                }
            });
        }
    })
}
