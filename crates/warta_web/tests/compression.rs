//! Pages as browsers fetch them (issue #25): compressed once and kept in the page
//! cache with a tag per coding, ages true at the moment of sending, dropped precisely
//! when a write touches them (on every node), and sitemaps of busy months split.

#[path = "support/desk.rs"]
mod desk;

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration as StdDuration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, Duration, TimeZone, Utc};
use warta_store::{ListFilter, Store};
use warta_web::encoding::{Coding, Level, compress};
use warta_web::{AppState, WebConfig};

const CHROME: &str = "gzip, deflate, br, zstd";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 2, 12, 10, 0, 0)
        .single()
        .expect("date")
}

/// One node: its state (for the cache's counters) and its router.
struct Node {
    state: AppState,
    router: axum::Router,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The body decoded from its `Content-Encoding`.
    fn text(&self) -> String {
        let mut out = String::new();
        match self.header("content-encoding") {
            "br" => {
                brotli_decode(&self.bytes, &mut out);
            }
            "zstd" => {
                let v = zstd::stream::decode_all(&self.bytes[..]).expect("zstd");
                out = String::from_utf8(v).expect("utf-8");
            }
            "gzip" => {
                flate2::read::GzDecoder::new(&self.bytes[..])
                    .read_to_string(&mut out)
                    .expect("gzip");
            }
            "" => out = String::from_utf8(self.bytes.clone()).expect("utf-8"),
            other => panic!("unexpected coding {other}"),
        }
        out
    }

    fn keys(&self) -> Vec<String> {
        self.header("surrogate-key")
            .split(' ')
            .map(str::to_owned)
            .collect()
    }
}

fn brotli_decode(bytes: &[u8], out: &mut String) {
    brotli::Decompressor::new(bytes, 4096)
        .read_to_string(out)
        .expect("brotli");
}

impl Node {
    fn new(store: Store, clock: Arc<AtomicI64>, dir: &std::path::Path, config: &WebConfig) -> Node {
        let mut config = config.clone();
        config.media_dir = dir.join("media");
        let state = AppState::new(
            store,
            config,
            Arc::new(move || {
                DateTime::from_timestamp(clock.load(Ordering::SeqCst), 0).unwrap_or_default()
            }),
        );
        Node {
            router: warta_web::router(state.clone()),
            state,
        }
    }

    async fn get(&self, uri: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = Request::get(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let (status, headers, bytes) =
            desk::fetch(&self.router, req.body(Body::empty()).expect("request")).await;
        Reply {
            status,
            headers,
            bytes,
        }
    }

    fn compressions(&self) -> u64 {
        self.state.cache.stats().compressions.load(Ordering::SeqCst)
    }
}

struct Site {
    store: Store,
    clock: Arc<AtomicI64>,
    dir: tempfile::TempDir,
}

impl Site {
    /// The demo site on a fresh SQLite file, published counting back from t0.
    async fn demo() -> Site {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_sqlite(&dir.path().join("w.db"))
            .await
            .expect("store");
        warta_demo::seed(&store, &dir.path().join("media"), t0())
            .await
            .expect("seed");
        Site {
            store,
            clock: Arc::new(AtomicI64::new(t0().timestamp())),
            dir,
        }
    }

    fn node(&self) -> Node {
        self.node_with(&WebConfig::new(self.dir.path().join("media")))
    }

    fn node_with(&self, config: &WebConfig) -> Node {
        Node::new(
            self.store.clone(),
            self.clock.clone(),
            self.dir.path(),
            config,
        )
    }

    /// Another node: its own store handle on the same database, its own cache.
    async fn other_node(&self) -> Node {
        let store = Store::open_sqlite(&self.dir.path().join("w.db"))
            .await
            .expect("second store");
        Node::new(
            store,
            self.clock.clone(),
            self.dir.path(),
            &WebConfig::new(self.dir.path().join("media")),
        )
    }

    fn advance(&self, d: Duration) {
        self.clock.fetch_add(d.num_seconds(), Ordering::SeqCst);
    }

    /// Visible stories, newest first: (id, address, section).
    async fn stories(&self) -> Vec<(i64, String, String)> {
        let list = self
            .store
            .list(ListFilter::All, 1, 100, t0())
            .await
            .expect("list");
        list.items
            .iter()
            .map(|a| {
                (
                    a.id,
                    warta_core::article_path(
                        &a.section_slug,
                        a.published_at,
                        chrono_tz::Asia::Jakarta,
                        &a.slug,
                    ),
                    a.section_slug.clone(),
                )
            })
            .collect()
    }
}

#[tokio::test]
async fn every_coding_comes_from_the_cache_and_a_hit_compresses_nothing() {
    let site = Site::demo().await;
    let node = site.node();
    let (_, path, _) = site.stories().await.remove(0);
    let first = node.get(&path, &[("accept-encoding", CHROME)]).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("x-warta-cache"), "miss");
    assert_eq!(first.header("content-encoding"), "br");
    assert_eq!(
        node.compressions(),
        1,
        "the miss compresses once, in brotli only"
    );
    let plain = node.get(&path, &[]).await;
    assert_eq!(plain.header("content-encoding"), "");
    let text = plain.text();
    assert!(text.contains("</html>"), "{text}");
    assert_eq!(first.text(), text);
    assert!(first.bytes.len() * 3 < text.len(), "{}", first.bytes.len());

    let cases = [
        (CHROME, "br"),
        ("br", "br"),
        ("zstd", "zstd"),
        ("gzip", "gzip"),
        ("gzip, deflate", "gzip"),
        ("zstd;q=1, br;q=0.5", "zstd"),
        ("deflate", ""),
        ("identity", ""),
    ];
    for round in 0..5 {
        for (accept, coding) in cases {
            let r = node.get(&path, &[("accept-encoding", accept)]).await;
            assert_eq!(r.status, StatusCode::OK);
            assert_eq!(r.header("x-warta-cache"), "hit", "{accept}");
            assert_eq!(r.header("content-encoding"), coding, "{accept}");
            assert_eq!(r.header("vary"), "accept-encoding", "{accept}");
            assert_eq!(
                r.header("content-length"),
                r.bytes.len().to_string(),
                "{accept}"
            );
            assert_eq!(r.text(), text, "{accept}");
        }
        // zstd and gzip are made the first time they are asked for, then kept.
        assert_eq!(node.compressions(), 3, "round {round}");
    }
    // Kept 20 s: a shared cache is told, and counts its own 30 s from the render.
    assert_eq!(first.header("age"), "");
    site.advance(Duration::seconds(20));
    assert_eq!(node.get(&path, &[]).await.header("age"), "20");
    let stats = node.state.cache.stats();
    assert_eq!(stats.hits.load(Ordering::SeqCst), 42);
    assert_eq!(stats.misses.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn each_coding_has_its_own_tag_and_its_own_304() {
    let site = Site::demo().await;
    let node = site.node();
    let (_, path, _) = site.stories().await.remove(0);
    // A page read once keeps its fast variants: no brotli 11 for it.
    node.get(&path, &[("accept-encoding", "br")]).await;
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(node.state.cache.stats().upgrades.load(Ordering::SeqCst), 0);
    let mut tags = Vec::new();
    for accept in ["br", "zstd", "gzip", "identity"] {
        let r = node.get(&path, &[("accept-encoding", accept)]).await;
        let tag = r.header("etag").to_owned();
        assert!(tag.starts_with("W/\""), "{tag}");
        assert!(!tags.contains(&tag), "{accept}: {tag} repeated");
        tags.push(tag);
    }
    // The brotli copy's tag: 304 for a brotli request (no body, no coding), the page
    // for a gzip one.
    let br = &tags[0];
    let again = node
        .get(&path, &[("accept-encoding", "br"), ("if-none-match", br)])
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.bytes.is_empty());
    assert_eq!(again.header("etag"), br);
    assert_eq!(again.header("content-encoding"), "");
    assert_eq!(again.header("vary"), "accept-encoding");
    let other = node
        .get(&path, &[("accept-encoding", "gzip"), ("if-none-match", br)])
        .await;
    assert_eq!(other.status, StatusCode::OK);
    assert_eq!(other.header("etag"), tags[2]);

    // Not upgraded yet: six hits so far.
    let stats = node.state.cache.stats();
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(stats.upgrades.load(Ordering::SeqCst), 0);
    // A page asked for again and again is upgraded in the background (brotli 11…):
    // smaller bytes under the same tag.
    let text = node.get(&path, &[]).await.text();
    let fast = compress(Coding::Brotli, Level::Fast, text.as_bytes()).len();
    node.get(&path, &[("accept-encoding", "br")]).await;
    for _ in 0..200 {
        if stats.upgrades.load(Ordering::SeqCst) > 0 {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    assert_eq!(
        stats.upgrades.load(Ordering::SeqCst),
        1,
        "on the eighth hit"
    );
    let best = node.get(&path, &[("accept-encoding", "br")]).await;
    assert_eq!(best.header("etag"), br);
    assert!(best.bytes.len() < fast, "{} {fast}", best.bytes.len());
    assert_eq!(best.text(), text);
}

#[tokio::test]
async fn ages_are_filled_for_the_moment_of_sending() {
    let site = Site::demo().await;
    // Kept a day, so that its ages move on while it is cached.
    let mut config = WebConfig::new(site.dir.path().join("media"));
    config.page_ttl = StdDuration::from_secs(86_400);
    let node = site.node_with(&config);
    let first = node.get("/", &[("accept-encoding", "br")]).await;
    let before = first.text();
    assert_eq!(node.compressions(), 1);
    // Same minute: the same bytes. Three hours on: other ages, made once.
    let same = node.get("/", &[("accept-encoding", "br")]).await;
    assert_eq!(same.header("etag"), first.header("etag"));
    assert_eq!(node.compressions(), 1);
    site.advance(Duration::hours(3));
    let later = node.get("/", &[("accept-encoding", "br")]).await;
    assert_eq!(later.header("x-warta-cache"), "hit");
    assert_ne!(later.header("etag"), first.header("etag"));
    let after = later.text();
    assert_ne!(after, before);
    assert_eq!(node.compressions(), 2);
    for coding in ["zstd", "gzip", "identity"] {
        let r = node.get("/", &[("accept-encoding", coding)]).await;
        assert_eq!(r.text(), after, "{coding}");
    }
    // zstd and gzip made as they were asked for, of the new text.
    assert_eq!(node.compressions(), 4);
    // What the cache sends is what a fresh render says at that moment.
    let fresh = site.node().get("/", &[]).await.text();
    assert_eq!(after, fresh);
}

#[tokio::test]
async fn feeds_and_sitemaps_come_from_the_cache_too() {
    let site = Site::demo().await;
    let node = site.node();
    for path in ["/rss.xml", "/atom.xml", "/sitemap.xml", "/sitemap-news.xml"] {
        let first = node.get(path, &[("accept-encoding", CHROME)]).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        assert_eq!(first.header("x-warta-cache"), "miss", "{path}");
        let second = node.get(path, &[("accept-encoding", CHROME)]).await;
        assert_eq!(second.header("x-warta-cache"), "hit", "{path}");
        assert_eq!(second.header("content-encoding"), "br", "{path}");
        assert!(second.header("content-type").contains("xml"), "{path}");
        assert_eq!(second.text(), first.text(), "{path}");
    }
}

/// The Content API's JSON is kept like a page, but privately (it is behind a key); an
/// edit of a story drops the answers that show it and no others.
#[tokio::test]
async fn the_content_apis_json_comes_from_the_cache_too() {
    let site = Site::demo().await;
    let node = site.node();
    let (key, hash) = warta_web::content_api::new_key().expect("key");
    site.store
        .add_api_key("mitra", &hash, site.clock_now())
        .await
        .expect("key stored");
    node.state.catch_up().await;
    let bearer = format!("Bearer {key}");
    let auth = [
        ("authorization", bearer.as_str()),
        ("accept-encoding", CHROME),
    ];
    let stories = site.stories().await;
    let (x, _, x_section) = stories[0].clone();
    let (y, _, _) = stories
        .iter()
        .find(|(_, _, s)| *s != x_section)
        .cloned()
        .expect("a story in another section");
    let x_api = format!("/api/v1/articles/{x}");
    let y_api = format!("/api/v1/articles/{y}");
    let x_list = format!("/api/v1/articles?section={x_section}");
    let paths = [
        x_api.as_str(),
        y_api.as_str(),
        x_list.as_str(),
        "/api/v1/articles",
        "/api/v1/sections",
        "/api/v1/authors",
    ];
    for path in paths {
        let first = node.get(path, &auth).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        assert_eq!(first.header("x-warta-cache"), "miss", "{path}");
        let second = node.get(path, &auth).await;
        assert_eq!(second.header("x-warta-cache"), "hit", "{path}");
        assert_eq!(second.header("content-encoding"), "br", "{path}");
        assert_eq!(second.header("content-type"), "application/json", "{path}");
        assert_eq!(
            second.header("cache-control"),
            "private, no-cache",
            "{path}"
        );
        assert_eq!(second.header("vary"), "accept-encoding", "{path}");
        let value: serde_json::Value = serde_json::from_str(&second.text()).expect("JSON");
        assert!(!value.is_null(), "{path}");
        assert_eq!(second.text(), first.text(), "{path}");
        // Its variant's tag gives a 304.
        let tag = second.header("etag").to_owned();
        let again = node
            .get(path, &[auth[0], auth[1], ("if-none-match", tag.as_str())])
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
    }
    // The key is still asked for on a hit.
    let anonymous = node.get(&x_api, &[("accept-encoding", CHROME)]).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    // Errors are never kept.
    let missing = "/api/v1/articles?section=tidak-ada";
    for _ in 0..2 {
        let r = node.get(missing, &auth).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_ne!(r.header("x-warta-cache"), "hit");
    }

    let mut input = site.store.article(x).await.expect("x").to_input();
    input.headline = "Judul baru untuk mitra".into();
    site.store
        .update_article(x, input, site.clock_now())
        .await
        .expect("edit");
    node.state.catch_up().await;
    for (path, want) in [
        (x_api.as_str(), "miss"),
        (x_list.as_str(), "miss"),
        ("/api/v1/articles", "miss"),
        (y_api.as_str(), "hit"),
        ("/api/v1/sections", "hit"),
    ] {
        let r = node.get(path, &auth).await;
        assert_eq!(r.header("x-warta-cache"), want, "{path} after the edit");
        if path == x_api {
            assert!(r.text().contains("Judul baru untuk mitra"));
        }
    }
}

/// Node A writes; both nodes catch up and drop exactly the pages the write touched.
#[tokio::test]
async fn a_write_drops_only_the_pages_it_touches_on_every_node() {
    let site = Site::demo().await;
    let a = site.node();
    let b = site.other_node().await;
    for node in [&a, &b] {
        node.state.catch_up().await;
    }
    let stories = site.stories().await;
    let (x, x_path, x_section) = stories[0].clone();
    // A story that the edited one's page and lists do not show, and whose page does not
    // show it, in another section.
    let x_keys = a.get(&x_path, &[]).await.keys();
    let mut unrelated = None;
    for (id, path, section) in stories.iter().rev() {
        if *section == x_section || x_keys.contains(&format!("article-{id}")) {
            continue;
        }
        if !a
            .get(path, &[])
            .await
            .keys()
            .contains(&format!("article-{x}"))
        {
            unrelated = Some((*id, path.clone(), section.clone()));
            break;
        }
    }
    let (y, y_path, y_section) = unrelated.expect("an unrelated story");
    let y_list = format!("/{y_section}");
    let pages = [x_path.as_str(), y_path.as_str(), "/", "/rss.xml"];
    for node in [&a, &b] {
        for p in pages.iter().chain([&y_list.as_str()]) {
            node.get(p, &[]).await;
        }
    }

    // A draft is saved: no reader sees it, nothing is dropped.
    let mut draft = site.store.article(x).await.expect("x").to_input();
    draft.slug = Some("draf-baru".into());
    draft.status = warta_core::Status::Draft;
    draft.published_at = None;
    draft.headline = "Draf yang belum terbit".into();
    site.store
        .create_article(draft, site.clock_now())
        .await
        .expect("draft");
    for node in [&a, &b] {
        node.state.catch_up().await;
        for p in pages {
            assert_eq!(cache_state(node, p).await, "hit", "{p} after a draft");
        }
    }

    // The story is edited: its page, the home page and the feed go; the other story
    // and its section's second page stay.
    let mut input = site.store.article(x).await.expect("x").to_input();
    input.headline = "Judul yang diperbarui redaksi".into();
    site.store
        .update_article(x, input, site.clock_now())
        .await
        .expect("edit");
    for node in [&a, &b] {
        node.state.catch_up().await;
        assert_eq!(cache_state(node, &y_path).await, "hit");
        assert_eq!(cache_state(node, &y_list).await, "hit");
        let page = node.get(&x_path, &[]).await;
        assert_eq!(page.header("x-warta-cache"), "miss");
        assert!(page.text().contains("Judul yang diperbarui redaksi"));
        assert_eq!(cache_state(node, "/").await, "miss");
        assert_eq!(cache_state(node, "/rss.xml").await, "miss");
    }

    // The other story's related list is saved: its page goes, nothing else.
    site.store
        .save_related(y, &[(x, 1.0)], site.clock_now())
        .await
        .expect("related");
    for node in [&a, &b] {
        node.state.catch_up().await;
        assert_eq!(cache_state(node, &x_path).await, "hit");
        assert_eq!(cache_state(node, "/").await, "hit");
        assert_eq!(cache_state(node, &y_path).await, "miss");
    }

    // The site's settings change: every page shows them.
    let settings = site.store.settings().await.expect("settings");
    site.store.save_settings(&settings).await.expect("save");
    for node in [&a, &b] {
        node.state.catch_up().await;
        for p in pages {
            assert_eq!(cache_state(node, p).await, "miss", "{p} after settings");
        }
    }
}

/// What every render reads (settings, sections, picks) is kept between misses on a node
/// that follows the writes, and a write on the site is seen on every node's next miss.
#[tokio::test]
async fn kept_settings_and_picks_follow_the_writes_on_every_node() {
    let site = Site::demo().await;
    let a = site.node();
    let b = site.other_node().await;
    // Followers as `serve` runs them, ticking once an hour: the catch-ups below are
    // the ticks.
    let followers =
        [&a, &b].map(|n| warta_web::follow_site(&n.state, StdDuration::from_secs(3600)));
    for node in [&a, &b] {
        node.state.catch_up().await;
    }
    let stories = site.stories().await;
    let mut paths = stories.iter().map(|(_, p, _)| p.clone());
    let first = paths.next().expect("a story");
    for node in [&a, &b] {
        assert!(node.get(&first, &[]).await.status.is_success());
    }

    let mut settings = site.store.settings().await.expect("settings");
    settings.name = "Kabar Pesisir Baru".into();
    site.store.save_settings(&settings).await.expect("save");
    let second = paths.next().expect("a second story");
    for node in [&a, &b] {
        node.state.catch_up().await;
        for p in [&first, &second] {
            let page = node.get(p, &[]).await;
            assert_eq!(page.header("x-warta-cache"), "miss", "{p}");
            assert!(
                page.text().contains("Kabar Pesisir Baru"),
                "{p}: the old name"
            );
        }
    }

    // The editors pick another story: the next page rendered shows it in its rail.
    let mut front = site.store.front_page().await.expect("front");
    let (pick, _, _) = stories
        .iter()
        .rev()
        .find(|(id, _, _)| !front.picks.contains(id))
        .cloned()
        .expect("a story not picked yet");
    let headline = site.store.article(pick).await.expect("pick").headline;
    let picks_box = |html: &str| -> String {
        html.split("data-test=\"picks\"")
            .nth(1)
            .and_then(|rest| rest.split("</section>").next())
            .unwrap_or_default()
            .to_owned()
    };
    let third = paths.next().expect("a third story");
    for node in [&a, &b] {
        let page = node.get(&third, &[]).await.text();
        assert!(
            !picks_box(&page).contains(&headline),
            "picked before it was"
        );
    }
    front.picks = vec![pick];
    site.store
        .save_front_page(&front)
        .await
        .expect("front saved");
    let fourth = paths.next().expect("a fourth story");
    for node in [&a, &b] {
        node.state.catch_up().await;
        let page = node.get(&fourth, &[]).await;
        assert_eq!(page.header("x-warta-cache"), "miss");
        assert!(
            picks_box(&page.text()).contains(&headline),
            "the new pick is missing"
        );
    }
    for f in followers {
        f.abort();
    }
}

#[tokio::test]
async fn kept_counts_follow_the_writes_on_every_node() {
    let site = Site::demo().await;
    let a = site.node();
    let b = site.other_node().await;
    let followers =
        [&a, &b].map(|n| warta_web::follow_site(&n.state, StdDuration::from_secs(3600)));
    let mut settings = site.store.settings().await.expect("settings");
    settings.page_size = 1;
    site.store.save_settings(&settings).await.expect("save");
    for node in [&a, &b] {
        node.state.catch_up().await;
    }
    let stories = site.stories().await;
    let (x, _, _) = stories.first().cloned().expect("a story");
    let story = site.store.article(x).await.expect("x");
    let list = format!("/{}", story.section.slug);
    let filter = ListFilter::Section(story.section.id);
    let k = site
        .store
        .count(filter, site.clock_now())
        .await
        .expect("count");
    assert!(k >= 2, "the pager shows from two pages");
    let pages_of = |html: &str| -> String {
        html.split("data-test=\"pager\"")
            .nth(1)
            .and_then(|rest| rest.split("</nav>").next())
            .unwrap_or_default()
            .to_owned()
    };
    // Counted on each node: the page after the last is the last.
    for node in [&a, &b] {
        let html = node
            .get(&format!("{list}?page={}", k + 1), &[])
            .await
            .text();
        let want = format!("Halaman {k} dari {k}");
        assert!(
            pages_of(&html).contains(&want),
            "{want}: {}",
            pages_of(&html)
        );
        let first = node.get(&list, &[]).await.text();
        assert!(pages_of(&first).contains(&format!("Halaman 1 dari {k}")));
    }
    // A story more in the section, written through another node's store: once the
    // followers have seen it, every node counts one page more.
    let mut input = story.to_input();
    input.slug = Some("satu-lagi-di-kanal-ini".into());
    input.headline = "Satu lagi di kanal ini".into();
    site.store
        .create_article(input, site.clock_now())
        .await
        .expect("created");
    for node in [&a, &b] {
        node.state.catch_up().await;
        let html = node
            .get(&format!("{list}?page={}", k + 1), &[])
            .await
            .text();
        let want = format!("Halaman {} dari {}", k + 1, k + 1);
        assert!(
            pages_of(&html).contains(&want),
            "{want}: {}",
            pages_of(&html)
        );
    }
    for f in followers {
        f.abort();
    }
}

async fn cache_state(node: &Node, path: &str) -> String {
    node.get(path, &[]).await.header("x-warta-cache").to_owned()
}

impl Site {
    fn clock_now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.clock.load(Ordering::SeqCst), 0).unwrap_or_default()
    }
}

#[tokio::test]
async fn a_busy_month_is_split_into_sitemap_files() {
    let site = Site::demo().await;
    let mut config = WebConfig::new(site.dir.path().join("media"));
    config.sitemap_urls = 2;
    let node = site.node_with(&config);
    let months = site.store.visible_months(t0()).await.expect("months");
    let busy = months
        .iter()
        .find(|m| m.articles > 2)
        .expect("a month of more than two stories");
    let index = node.get("/sitemap.xml", &[]).await.text();
    let files = busy.articles.div_ceil(2);
    let mut seen = Vec::new();
    for n in 1..=files {
        let file = format!("/sitemaps/{}-{n}.xml", busy.month);
        assert!(index.contains(&file), "{file} not in {index}");
        let body = node.get(&file, &[]).await.text();
        let urls: Vec<&str> = body.matches("<loc>").collect();
        assert!((1..=2).contains(&urls.len()), "{file}: {body}");
        for part in body.split("<loc>").skip(1) {
            seen.push(part.split("</loc>").next().unwrap_or("").to_owned());
        }
    }
    assert!(!index.contains(&format!("/sitemaps/{}.xml", busy.month)));
    assert_eq!(
        node.get(&format!("/sitemaps/{}-{}.xml", busy.month, files + 1), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len() as u64, busy.articles, "every story once");
    // The month's old address still answers, with its first file's stories.
    let whole = node
        .get(&format!("/sitemaps/{}.xml", busy.month), &[])
        .await;
    assert_eq!(whole.status, StatusCode::OK);
    let first = node
        .get(&format!("/sitemaps/{}-1.xml", busy.month), &[])
        .await;
    assert_eq!(whole.text(), first.text());
}
