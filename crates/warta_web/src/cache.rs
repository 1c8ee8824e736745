//! The page cache: every rendered page, feed and sitemap, kept with its compressed
//! variants so that a hit copies bytes and compresses nothing (issue #25).
//!
//! - **Ages.** A page is rendered with *slots* where relative ages go (`3 jam lalu`,
//!   marked with [`AgeSlot`]); the cache fills them for the moment of rendering and
//!   remembers where they are. A hit first checks whether every age still reads the
//!   same at `now` (no allocation); when one has moved on (a story turns `4 jam
//!   lalu`), the page's text is spliced anew and its variants remade, once, by the
//!   first request that sees it. Most cached pages' ages change once an hour or less.
//! - **Variants.** Whenever a page's text is made (a miss, or ages that moved on), it
//!   is compressed, at a fast level, in the one coding the request asked for; another
//!   coding is made the first time a request asks for it (most readers' browsers ask
//!   for brotli, so most pages are never made in zstd or gzip at all). Each coding has
//!   its `ETag` (the identity tag with the coding appended). A page asked for again and
//!   again ([`UPGRADE_AFTER`] hits on its fast variants) is upgraded in the background,
//!   in the codings it was asked in (brotli 11, zstd 19, gzip 9: about 22 ms of a core
//!   for a 13 KB page in brotli, against under 1 ms at the fast level:
//!   `benches/codings.rs`), one page at a time; if the upgrader is busy, the next hit
//!   asks again. So no request waits for brotli 11, and a page read a few times never
//!   pays for it (issue #26: at a million, upgrades of pages read twice took a core).
//! - **One render at a time.** Requests that miss the same address wait for the first
//!   one's render ([`PageCache::flight`]) and are answered from what it cached: when a
//!   popular page expires under load, it is rendered once, not once per connection
//!   (at a million, a tag page's 64 parallel renders made its p99 1.5 s).
//! - **Keys.** Each page lists what it shows ([`CachedPage::keys`]: `article-17`,
//!   `section-dunia`, `home`…), and [`PageCache::purge`] drops exactly the pages
//!   that show something that changed.
//! - **Budget.** The cache is bounded by bytes (`page_cache_bytes`): each page weighs
//!   its text twice (the text, and as much again for compressed variants: all three
//!   together are 0.98× the text for a 13 KB demo article page at the fast levels,
//!   0.92× at the best; one is about a third) plus its keys.
//!   Eviction is moka's: admission by TinyLFU (a page that is asked for rarely does
//!   not push out one asked for often), least recently used first, and every page
//!   lives at most `page_ttl`.

use std::fmt;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
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

/// Hits on a page's fast variants before they are remade at the best level.
pub const UPGRADE_AFTER: u32 = 8;

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
    /// brotli, zstd, gzip, each made when first asked for (`None` if a coder failed:
    /// that coding is then not offered).
    compressed: [OnceLock<Option<Bytes>>; 3],
    /// `ETag`s: brotli, zstd, gzip, identity.
    tags: [HeaderValue; 4],
    /// Whether the variants are at the best level.
    best: bool,
    /// Hits on these variants (counted while they are fast).
    hits: AtomicU32,
}

impl Variants {
    /// The variants of `identity`, none compressed yet.
    fn new(identity: String, spans: Vec<(usize, usize)>, ages: Vec<Age>) -> Self {
        let base = format!(
            "{:x}-{:08x}",
            identity.len(),
            crc32fast::hash(identity.as_bytes())
        );
        let tag = |suffix: &str| {
            HeaderValue::from_str(&format!("W/\"{base}{suffix}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""))
        };
        Variants {
            ages,
            identity: Bytes::from(identity),
            spans,
            compressed: Default::default(),
            tags: [tag("-br"), tag("-zstd"), tag("-gzip"), tag("")],
            best: false,
            hits: AtomicU32::new(0),
        }
    }

    /// The text in the coding of `slot`, compressed at the fast level if it was not
    /// yet (counted in `made`).
    fn coded(&self, slot: usize, made: &AtomicU64) -> Option<Bytes> {
        let cell = self.compressed.get(slot)?;
        cell.get_or_init(|| {
            made.fetch_add(1, Ordering::Relaxed);
            encode(slot, Level::Fast, &self.identity)
        })
        .clone()
    }

    /// The same text and tags, each coding these variants were made in remade at
    /// the best level.
    fn best(&self) -> Variants {
        let compressed: [OnceLock<Option<Bytes>>; 3] = std::array::from_fn(|slot| {
            let cell = OnceLock::new();
            if let Some(Some(_)) = self.compressed[slot].get() {
                let _ = cell.set(encode(slot, Level::Best, &self.identity));
            }
            cell
        });
        Variants {
            ages: self.ages.clone(),
            identity: self.identity.clone(),
            spans: self.spans.clone(),
            compressed,
            tags: self.tags.clone(),
            best: true,
            hits: AtomicU32::new(0),
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

/// `text` in the coding of `slot` (`None` if the coder failed).
fn encode(slot: usize, level: Level, text: &[u8]) -> Option<Bytes> {
    let v = compress(Coding::COMPRESSED[slot], level, text);
    (!v.is_empty()).then(|| Bytes::from(v))
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
        let variants = Variants::new(text, spans, ages);
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
    /// else spliced anew (its codings made again as they are asked for).
    fn for_time(&self, now: DateTime<Utc>) -> Arc<Variants> {
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
        let fresh = Arc::new(Variants::new(text, spans, ages));
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
    /// Codings of pages made while a request waited (a page's first request in a
    /// coding, after a miss or ages that moved on).
    pub compressions: AtomicU64,
    /// Pages recompressed at the best level in the background.
    pub upgrades: AtomicU64,
    pub hits: AtomicU64,
    pub misses: AtomicU64,
    /// Bytes of the bodies sent from the cache (as sent: compressed where asked).
    pub bytes_sent: AtomicU64,
}

/// Renders under way, by address.
type Flights = Arc<Mutex<std::collections::HashMap<String, Arc<tokio::sync::Mutex<()>>>>>;

/// The right to render one address: others asking for it wait until it is dropped.
pub struct Flight {
    flights: Flights,
    key: String,
    lock: Arc<tokio::sync::Mutex<()>>,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for Flight {
    fn drop(&mut self) {
        // Released first; then forgotten unless someone else holds or awaits it (the
        // map, this flight and nobody else).
        self.guard.take();
        if let Ok(mut map) = self.flights.lock()
            && map
                .get(&self.key)
                .is_some_and(|l| Arc::ptr_eq(l, &self.lock) && Arc::strong_count(l) <= 2)
        {
            map.remove(&self.key);
        }
    }
}

/// Rendered pages by address. Cheap to clone.
#[derive(Clone)]
pub struct PageCache {
    inner: moka::sync::Cache<String, Arc<CachedPage>>,
    flights: Flights,
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
            flights: Flights::default(),
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

    /// Waits until no other request is rendering `key`, and holds it until the
    /// returned flight is dropped: the caller looks in the cache again, and renders
    /// only if it is still missing.
    pub async fn flight(&self, key: &str) -> Flight {
        let lock = match self.flights.lock() {
            Ok(mut map) => map.entry(key.to_owned()).or_default().clone(),
            // A poisoned map: no coalescing, each request renders.
            Err(_) => Arc::default(),
        };
        let guard = lock.clone().lock_owned().await;
        Flight {
            flights: self.flights.clone(),
            key: key.to_owned(),
            lock,
            guard: Some(guard),
        }
    }

    /// Renders under way or awaited (for tests).
    pub fn flights(&self) -> usize {
        self.flights.lock().map_or(0, |m| m.len())
    }

    /// Caches a rendered page under `key` and returns it (compressed by
    /// [`PageCache::respond`], in the coding asked for).
    pub fn insert(&self, key: String, r: Rendered, now: DateTime<Utc>) -> Arc<CachedPage> {
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
        let v = page.for_time(now);
        // A page read a few times (most of an archive) keeps its fast variants; one
        // asked for again and again is worth brotli 11.
        if !v.best && label == "hit" && v.hits.fetch_add(1, Ordering::Relaxed) + 1 >= UPGRADE_AFTER
        {
            self.upgrade(page, &v);
        }
        let coded = coding
            .slot()
            .and_then(|i| Some((i, v.coded(i, &self.stats.compressions)?)));
        let (body, encoding, tag) = match coded {
            Some((i, body)) => (body, coding.token(), v.tags[i].clone()),
            None => (v.identity.clone(), None, v.tags[3].clone()),
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
            let best = v.best();
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
        let page = CachedPage::new(
            Rendered::html(html, Locale::Id, vec![]),
            t + chrono::Duration::hours(3),
        );
        let first = page.for_time(t + chrono::Duration::hours(3));
        assert_eq!(body_of(&first), "<p>a <time>3 jam lalu</time> b</p>");
        // Two days on: spliced anew, once.
        let later = t + chrono::Duration::days(2);
        let spliced = page.for_time(later);
        assert!(!Arc::ptr_eq(&first, &spliced));
        assert_eq!(body_of(&spliced), "<p>a <time>2 hari lalu</time> b</p>");
        let again = page.for_time(later + chrono::Duration::hours(1));
        assert!(Arc::ptr_eq(&spliced, &again));
    }

    #[test]
    fn a_coding_is_made_when_first_asked_for_and_upgraded_in_the_codings_used() {
        let text: String = (0..500).map(|i| format!("<p>{i} berita</p>\n")).collect();
        let v = Variants::new(text.clone(), vec![], vec![]);
        let made = AtomicU64::new(0);
        assert!(v.compressed.iter().all(|c| c.get().is_none()));
        let br = v.coded(0, &made).expect("brotli");
        assert_eq!(made.load(Ordering::Relaxed), 1);
        assert_eq!(v.coded(0, &made), Some(br.clone()));
        assert_eq!(made.load(Ordering::Relaxed), 1, "made once");
        assert!(v.compressed[1].get().is_none() && v.compressed[2].get().is_none());
        // The best variants: brotli only, smaller, the same tags.
        let best = v.best();
        assert!(best.best);
        assert_eq!(best.tags, v.tags);
        let best_br = best.coded(0, &made).expect("brotli");
        assert_eq!(made.load(Ordering::Relaxed), 1, "upgraded, not made again");
        assert!(best_br.len() < br.len(), "{} {}", best_br.len(), br.len());
        assert!(best.compressed[1].get().is_none() && best.compressed[2].get().is_none());
        let mut got = String::new();
        std::io::Read::read_to_string(&mut brotli::Decompressor::new(&best_br[..], 4096), &mut got)
            .expect("decodes");
        assert_eq!(got, text);
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
        let page = CachedPage::new(Rendered::html(html.clone(), Locale::Id, vec![]), t);
        for hours in [0, 1, 5, 30, 24 * 40] {
            let now = t + chrono::Duration::hours(hours);
            assert_eq!(
                body_of(&page.for_time(now)),
                fill(&html, Locale::Id, now),
                "{hours}"
            );
        }
    }

    #[test]
    fn a_stray_marker_is_kept_as_text_not_a_slot() {
        assert_eq!(fill("x\u{1}abc\u{1}y", Locale::Id, Utc::now()), "xabcy");
    }

    #[tokio::test]
    async fn one_render_per_address_at_a_time() {
        let cache = PageCache::new(Duration::from_secs(60), 1 << 20);
        let first = cache.flight("/a").await;
        // Another address does not wait.
        let other = cache.flight("/b").await;
        drop(other);
        let waiting = {
            let cache = cache.clone();
            tokio::spawn(async move {
                let _f = cache.flight("/a").await;
                cache.get("/a", t0()).is_some()
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the second render did not wait");
        cache.insert(
            "/a".into(),
            Rendered::html("<p>a</p>".into(), Locale::Id, vec![]),
            t0(),
        );
        drop(first);
        let found = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("released")
            .expect("joined");
        assert!(found, "the waiter finds the first render's page");
        assert_eq!(cache.flights(), 0, "nothing left behind");
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
