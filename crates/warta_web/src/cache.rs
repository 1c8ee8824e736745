//! The page cache: every rendered page, feed and sitemap, kept with its compressed
//! variants so that a hit copies bytes and compresses nothing (issue #25).
//!
//! - **Ages.** A page is rendered with *slots* where relative ages go (`3 jam lalu`,
//!   marked with [`AgeSlot`]); the cache fills them for the moment of rendering and
//!   remembers where they are. A hit first checks whether every age still reads the
//!   same at `now` (no allocation); when one has moved on (a story turns `4 jam
//!   lalu`), the page's text is spliced anew and its variants remade, once, by the
//!   first request that sees it. Most cached pages' ages change once an hour or less.
//! - **Variants.** Whenever a page's text is made (a miss, or ages that moved on), it is
//!   compressed at a fast level in brotli, zstd and gzip, each with its `ETag`
//!   (the identity tag with the coding appended); the request gets the best its
//!   `Accept-Encoding` allows. A page asked for again (a hit on fast variants) is
//!   upgraded in the background (brotli 11, zstd 19, gzip 9: about 22 ms of a core
//!   for a 13 KB page, against 1 ms for the fast levels: `benches/codings.rs`), one
//!   page at a time; if the upgrader is busy, the next hit asks again. So no request
//!   waits for brotli 11, and a page read once never pays for it.
//! - **Keys.** Each page lists what it shows ([`CachedPage::keys`]: `article-17`,
//!   `section-dunia`, `home`…), and [`PageCache::purge`] drops exactly the pages
//!   that show something that changed.
//! - **Budget.** The cache is bounded by bytes (`page_cache_bytes`): each page weighs
//!   its text twice (the text, and about as much again for its three compressed
//!   variants: 0.98× the text for a 13 KB demo article page at the fast levels, 0.92×
//!   at the best) plus its keys.
//!   Eviction is moka's: admission by TinyLFU (a page that is asked for rarely does
//!   not push out one asked for often), least recently used first, and every page
//!   lives at most `page_ttl`.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use warta_core::Locale;
use warta_core::locale::Age;

use crate::encoding::{Coding, Level, compress};

const MARK: char = '\u{1}';

/// A relative age to be filled in when the page is served.
#[derive(Debug, Clone, Copy)]
pub struct AgeSlot(pub DateTime<Utc>);

impl fmt::Display for AgeSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{MARK}{}{MARK}", self.0.timestamp())
    }
}

/// Rendered text split at its age slots.
enum Piece<'a> {
    Text(&'a str),
    Age(DateTime<Utc>),
}

fn pieces(rendered: &str) -> impl Iterator<Item = Piece<'_>> {
    rendered.split(MARK).enumerate().filter_map(|(i, piece)| {
        // Odd pieces sit between two marks: a slot, if it parses as one.
        if i % 2 == 1
            && let Some(t) = piece
                .parse::<i64>()
                .ok()
                .and_then(|s| DateTime::from_timestamp(s, 0))
        {
            return Some(Piece::Age(t));
        }
        (!piece.is_empty()).then_some(Piece::Text(piece))
    })
}

/// Rendered text with every age as seen at `now` (for what is not cached: search
/// answers, previews).
pub fn fill(rendered: &str, locale: Locale, now: DateTime<Utc>) -> String {
    let mut out = String::with_capacity(rendered.len() + 64);
    for p in pieces(rendered) {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Age(t) => out.push_str(&locale.relative(t, now)),
        }
    }
    out
}

/// Marks a response whose body is already in its final coding, for the compression
/// layer to leave alone.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Precoded;

/// One state of a page's text: the text as sent without coding, where its ages are,
/// and its compressed variants.
struct Variants {
    /// The age of each slot this text shows.
    ages: Vec<Age>,
    identity: Bytes,
    /// Byte ranges of the age texts in `identity`, in slot order.
    spans: Vec<(usize, usize)>,
    /// brotli, zstd, gzip (`None` if a coder failed: that coding is then not offered).
    compressed: [Option<Bytes>; 3],
    /// `ETag`s: brotli, zstd, gzip, identity.
    tags: [HeaderValue; 4],
    /// Whether the variants are at the best level.
    best: bool,
}

impl Variants {
    fn make(identity: String, spans: Vec<(usize, usize)>, ages: Vec<Age>, level: Level) -> Self {
        let base = format!(
            "{:x}-{:08x}",
            identity.len(),
            crc32fast::hash(identity.as_bytes())
        );
        let tag = |suffix: &str| {
            HeaderValue::from_str(&format!("W/\"{base}{suffix}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""))
        };
        let compressed = Coding::COMPRESSED.map(|c| {
            let v = compress(c, level, identity.as_bytes());
            (!v.is_empty()).then(|| Bytes::from(v))
        });
        Variants {
            ages,
            identity: Bytes::from(identity),
            spans,
            compressed,
            tags: [tag("-br"), tag("-zstd"), tag("-gzip"), tag("")],
            best: level == Level::Best,
        }
    }

    /// The same text with other ages, spliced in place of the old ones.
    fn refill(&self, locale: Locale, ages: Vec<Age>) -> (String, Vec<(usize, usize)>) {
        let mut out = String::with_capacity(self.identity.len() + 16);
        let mut spans = Vec::with_capacity(self.spans.len());
        let text = String::from_utf8_lossy(&self.identity);
        let mut at = 0;
        for ((start, end), age) in self.spans.iter().zip(&ages) {
            out.push_str(text.get(at..*start).unwrap_or(""));
            let s = out.len();
            out.push_str(&locale.format_age(*age));
            spans.push((s, out.len()));
            at = *end;
        }
        out.push_str(text.get(at..).unwrap_or(""));
        (out, spans)
    }
}

/// A rendered page (or feed, or sitemap) as the cache keeps it.
pub struct CachedPage {
    locale: Locale,
    /// The time of each age slot.
    times: Vec<DateTime<Utc>>,
    content_type: HeaderValue,
    cache_control: HeaderValue,
    /// What the page shows, for [`PageCache::purge`].
    keys: Vec<String>,
    /// `Surrogate-Key`: the keys shared caches may purge by.
    surrogate: Option<HeaderValue>,
    last_modified: Option<HeaderValue>,
    variants: Mutex<Arc<Variants>>,
    weight: u32,
    /// When it was rendered, by the app's clock.
    rendered: DateTime<Utc>,
}

/// What a handler rendered, before it is cached.
pub struct Rendered {
    /// The text, age slots unfilled.
    pub text: String,
    pub locale: Locale,
    pub content_type: &'static str,
    /// `Cache-Control`: [`crate::http_cache::PAGE_CACHE_CONTROL`] for what anyone may
    /// read; [`crate::http_cache::PRIVATE_CACHE_CONTROL`] for the key-gated API.
    pub cache_control: &'static str,
    /// Surrogate keys, sent in `Surrogate-Key` and purged by.
    pub keys: Vec<String>,
    /// Keys purged by but not sent (`related-17`: the related block of article 17).
    pub private_keys: Vec<String>,
    /// When what the page is about last changed (`Last-Modified`), if known.
    pub modified: Option<DateTime<Utc>>,
}

impl Rendered {
    pub fn html(text: String, locale: Locale, keys: Vec<String>) -> Rendered {
        Rendered {
            text,
            locale,
            content_type: "text/html; charset=utf-8",
            cache_control: crate::http_cache::PAGE_CACHE_CONTROL,
            keys,
            private_keys: Vec::new(),
            modified: None,
        }
    }
}

impl CachedPage {
    /// The page as rendered, its ages filled for `now`, compressed at the fast level.
    pub fn new(r: Rendered, now: DateTime<Utc>) -> CachedPage {
        let mut text = String::with_capacity(r.text.len() + 64);
        let mut times = Vec::new();
        let mut spans = Vec::new();
        let mut ages = Vec::new();
        for p in pieces(&r.text) {
            match p {
                Piece::Text(t) => text.push_str(t),
                Piece::Age(t) => {
                    let age = Age::between(t, now);
                    let s = text.len();
                    text.push_str(&r.locale.format_age(age));
                    spans.push((s, text.len()));
                    times.push(t);
                    ages.push(age);
                }
            }
        }
        let surrogate = (!r.keys.is_empty())
            .then(|| HeaderValue::from_str(&r.keys.join(" ")).ok())
            .flatten();
        let last_modified = r
            .modified
            .and_then(|t| HeaderValue::from_str(&crate::http_cache::http_date(t)).ok());
        let mut keys = r.keys;
        keys.extend(r.private_keys);
        let key_bytes: usize = keys.iter().map(|k| k.len() + 24).sum();
        let weight = u32::try_from(2 * text.len() + key_bytes + 512).unwrap_or(u32::MAX);
        let variants = Variants::make(text, spans, ages, Level::Fast);
        CachedPage {
            locale: r.locale,
            times,
            content_type: HeaderValue::from_static(r.content_type),
            cache_control: HeaderValue::from_static(r.cache_control),
            keys,
            surrogate,
            last_modified,
            variants: Mutex::new(Arc::new(variants)),
            weight,
            rendered: now,
        }
    }

    fn current(&self) -> Arc<Variants> {
        match self.variants.lock() {
            Ok(v) => v.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn replace(&self, old: &Arc<Variants>, new: Arc<Variants>) {
        let mut guard = match self.variants.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if Arc::ptr_eq(&guard, old) {
            *guard = new;
        }
    }

    /// The page's text for `now`: the kept one when every age still reads the same,
    /// else spliced anew (and the variants remade at the fast level).
    fn for_time(&self, now: DateTime<Utc>, stats: &Stats) -> Arc<Variants> {
        let v = self.current();
        let same = self
            .times
            .iter()
            .zip(&v.ages)
            .all(|(t, age)| Age::between(*t, now) == *age);
        if same {
            return v;
        }
        let ages: Vec<Age> = self.times.iter().map(|t| Age::between(*t, now)).collect();
        let (text, spans) = v.refill(self.locale, ages.clone());
        stats.compressions.fetch_add(1, Ordering::Relaxed);
        let fresh = Arc::new(Variants::make(text, spans, ages, Level::Fast));
        self.replace(&v, fresh.clone());
        fresh
    }

    /// What this page shows (surrogate keys and private ones).
    pub fn keys(&self) -> &[String] {
        &self.keys
    }
}

/// Counters of what the cache did, for tests, benchmarks and metrics.
#[derive(Default, Debug)]
pub struct Stats {
    /// Pages compressed while a request waited (misses and ages that moved on).
    pub compressions: AtomicU64,
    /// Pages recompressed at the best level in the background.
    pub upgrades: AtomicU64,
    pub hits: AtomicU64,
    pub misses: AtomicU64,
    /// Bytes of the bodies sent from the cache (as sent: compressed where asked).
    pub bytes_sent: AtomicU64,
}

/// Rendered pages by address. Cheap to clone.
#[derive(Clone)]
pub struct PageCache {
    inner: moka::sync::Cache<String, Arc<CachedPage>>,
    stats: Arc<Stats>,
    /// One page is upgraded at a time (it takes a core for tens of milliseconds).
    upgrader: Arc<tokio::sync::Semaphore>,
    ttl: chrono::Duration,
}

impl PageCache {
    /// A cache of at most `max_bytes` (see the module's notes on weight), each page
    /// kept at most `ttl`.
    pub fn new(ttl: Duration, max_bytes: u64) -> PageCache {
        PageCache {
            inner: moka::sync::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|_k: &String, v: &Arc<CachedPage>| v.weight)
                .time_to_live(ttl)
                .build(),
            stats: Arc::new(Stats::default()),
            upgrader: Arc::new(tokio::sync::Semaphore::new(1)),
            ttl: chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX),
        }
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The counters, shared (for metrics).
    pub fn stats_handle(&self) -> Arc<Stats> {
        self.stats.clone()
    }

    /// The page cached under `key`, unless it is older than the cache's lifetime at
    /// `now` by the app's clock (as well as by the system's, which moka keeps).
    pub fn get(&self, key: &str, now: DateTime<Utc>) -> Option<Arc<CachedPage>> {
        let page = self.inner.get(key)?;
        if now - page.rendered >= self.ttl || now < page.rendered {
            self.inner.invalidate(key);
            return None;
        }
        Some(page)
    }

    /// Caches a rendered page under `key` (compressing it at the fast level) and
    /// returns it.
    pub fn insert(&self, key: String, r: Rendered, now: DateTime<Utc>) -> Arc<CachedPage> {
        self.stats.compressions.fetch_add(1, Ordering::Relaxed);
        let page = Arc::new(CachedPage::new(r, now));
        self.inner.insert(key, page.clone());
        page
    }

    /// The answer for a cached page: its text for `now` in `coding`, copied, with its
    /// validators. `label` goes in `X-Warta-Cache` (`hit` or `miss`).
    pub fn respond(
        &self,
        page: &Arc<CachedPage>,
        coding: Coding,
        now: DateTime<Utc>,
        label: &'static str,
    ) -> Response {
        let counter = if label == "hit" {
            &self.stats.hits
        } else {
            &self.stats.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        let v = page.for_time(now, &self.stats);
        // A page read once (most of an archive) keeps its fast variants; one asked for
        // again is worth brotli 11.
        if !v.best && label == "hit" {
            self.upgrade(page, &v);
        }
        let (body, encoding, tag) = match coding.slot() {
            Some(i) if v.compressed[i].is_some() => (
                v.compressed[i].clone().unwrap_or_default(),
                coding.token(),
                v.tags[i].clone(),
            ),
            _ => (v.identity.clone(), None, v.tags[3].clone()),
        };
        self.stats
            .bytes_sent
            .fetch_add(body.len() as u64, Ordering::Relaxed);
        let mut res = Response::new(Body::from(body));
        *res.status_mut() = StatusCode::OK;
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, page.content_type.clone());
        h.insert(header::CACHE_CONTROL, page.cache_control.clone());
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        h.insert(header::ETAG, tag);
        if let Some(e) = encoding {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
        }
        if let Some(k) = &page.surrogate {
            h.insert("surrogate-key", k.clone());
        }
        if let Some(m) = &page.last_modified {
            h.insert(header::LAST_MODIFIED, m.clone());
        }
        // How long the page has been kept here, so that a shared cache or a browser
        // counts its 30 s (and 30 more stale) from when it was made, not sent.
        let age = (now - page.rendered).num_seconds().max(0);
        if age > 0 {
            h.insert(header::AGE, HeaderValue::from(age));
        }
        h.insert("x-warta-cache", HeaderValue::from_static(label));
        res.extensions_mut().insert(Precoded);
        res
    }

    /// Recompresses a page at the best level in the background, if the upgrader is
    /// free; a page whose text changed meanwhile keeps its newer variants.
    fn upgrade(&self, page: &Arc<CachedPage>, v: &Arc<Variants>) {
        let Ok(permit) = self.upgrader.clone().try_acquire_owned() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let (page, v, stats) = (page.clone(), v.clone(), self.stats.clone());
        runtime.spawn_blocking(move || {
            let _permit = permit;
            let text = String::from_utf8_lossy(&v.identity).into_owned();
            let best = Variants::make(text, v.spans.clone(), v.ages.clone(), Level::Best);
            stats.upgrades.fetch_add(1, Ordering::Relaxed);
            page.replace(&v, Arc::new(best));
        });
    }

    /// Drops every page that shows one of `keys`; returns how many.
    pub fn purge(&self, keys: &std::collections::HashSet<String>) -> usize {
        if keys.is_empty() {
            return 0;
        }
        let mut dropped = 0;
        for (k, page) in self.inner.iter() {
            if page.keys.iter().any(|k| keys.contains(k)) {
                self.inner.invalidate(k.as_str());
                dropped += 1;
            }
        }
        dropped
    }

    /// Drops every page (the site's settings or sections changed: every page shows
    /// them).
    pub fn clear(&self) {
        self.inner.invalidate_all();
    }

    /// Pages and their weight in bytes, as of the cache's last housekeeping.
    pub fn size(&self) -> (u64, u64) {
        self.inner.run_pending_tasks();
        (self.inner.entry_count(), self.inner.weighted_size())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
            .single()
            .expect("date")
    }

    fn body_of(v: &Variants) -> String {
        String::from_utf8_lossy(&v.identity).into_owned()
    }

    #[test]
    fn slots_are_filled_for_the_time_of_serving() {
        let t = t0();
        let html = format!("<p>a <time>{}</time> b</p>", AgeSlot(t));
        assert_eq!(
            fill(&html, Locale::Id, t + chrono::Duration::hours(3)),
            "<p>a <time>3 jam lalu</time> b</p>"
        );
        let stats = Stats::default();
        let page = CachedPage::new(
            Rendered::html(html, Locale::Id, vec![]),
            t + chrono::Duration::hours(3),
        );
        assert_eq!(
            body_of(&page.for_time(t + chrono::Duration::hours(3), &stats)),
            "<p>a <time>3 jam lalu</time> b</p>"
        );
        assert_eq!(stats.compressions.load(Ordering::Relaxed), 0);
        // Two days on: spliced anew, once.
        let later = t + chrono::Duration::days(2);
        assert_eq!(
            body_of(&page.for_time(later, &stats)),
            "<p>a <time>2 hari lalu</time> b</p>"
        );
        page.for_time(later + chrono::Duration::hours(1), &stats);
        assert_eq!(stats.compressions.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn splicing_keeps_every_age_in_its_place() {
        let t = t0();
        let html = format!(
            "{}<a>{}</a>mid{}end",
            AgeSlot(t),
            AgeSlot(t - chrono::Duration::days(400)),
            AgeSlot(t + chrono::Duration::minutes(30))
        );
        let stats = Stats::default();
        let page = CachedPage::new(Rendered::html(html.clone(), Locale::Id, vec![]), t);
        for hours in [0, 1, 5, 30, 24 * 40] {
            let now = t + chrono::Duration::hours(hours);
            assert_eq!(
                body_of(&page.for_time(now, &stats)),
                fill(&html, Locale::Id, now),
                "{hours}"
            );
        }
    }

    #[test]
    fn a_stray_marker_is_kept_as_text_not_a_slot() {
        assert_eq!(fill("x\u{1}abc\u{1}y", Locale::Id, Utc::now()), "xabcy");
    }

    #[test]
    fn purge_drops_only_the_pages_showing_a_key() {
        let cache = PageCache::new(Duration::from_secs(60), 1 << 20);
        let now = t0();
        for (path, keys) in [
            ("/a", vec!["article-1", "section-dunia"]),
            ("/b", vec!["article-2", "section-dunia"]),
            ("/c", vec!["article-3", "section-bola"]),
        ] {
            let keys = keys.into_iter().map(String::from).collect();
            cache.insert(
                path.into(),
                Rendered::html("<p>x</p>".into(), Locale::Id, keys),
                now,
            );
        }
        let purge = ["article-2".to_owned()].into_iter().collect();
        assert_eq!(cache.purge(&purge), 1);
        assert!(cache.get("/a", now).is_some() && cache.get("/c", now).is_some());
        assert!(cache.get("/b", now).is_none());
        let purge = ["section-dunia".to_owned(), "home".to_owned()]
            .into_iter()
            .collect();
        assert_eq!(cache.purge(&purge), 1);
        assert!(cache.get("/a", now).is_none() && cache.get("/c", now).is_some());
        // By the app's clock too, a page lives at most the cache's lifetime.
        assert!(
            cache
                .get("/c", now + chrono::Duration::seconds(59))
                .is_some()
        );
        assert!(
            cache
                .get("/c", now + chrono::Duration::seconds(60))
                .is_none()
        );
    }

    #[test]
    fn the_byte_budget_bounds_what_is_kept() {
        // Pages of about 20 KB each (weight about 40 KB) under a 400 KB budget.
        let cache = PageCache::new(Duration::from_secs(60), 400_000);
        let now = t0();
        let text: String = (0..2_000).map(|i| format!("{:09}\n", i * 7919)).collect();
        for i in 0..50 {
            cache.insert(
                format!("/p{i}"),
                Rendered::html(format!("{i}{text}"), Locale::Id, vec![]),
                now,
            );
        }
        let (entries, bytes) = cache.size();
        assert!(bytes <= 400_000, "{bytes}");
        assert!((5..=10).contains(&entries), "{entries}");
    }
}
