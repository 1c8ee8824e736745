//! The purge hook against a stand-in purge target on loopback.

mod common;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use common::{seen, stand_in, wait_for};
use warta_core::{ArticleInput, Status, TagKind, TagRef};
use warta_store::Store;
use warta_web::purge::{self, Purge, PurgeConfig};

fn quick(url: String) -> PurgeConfig {
    PurgeConfig {
        timeout: Duration::from_millis(300),
        attempts: 3,
        backoff: Duration::from_millis(20),
        ..PurgeConfig::new(url)
    }
}

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 2, 12, 10, 0, 0)
        .single()
        .expect("date")
}

fn story(status: Status) -> ArticleInput {
    ArticleInput {
        slug: Some("pertemuan".into()),
        headline: "Pertemuan".into(),
        lede: String::new(),
        body: Vec::new(),
        dateline_place: String::new(),
        dateline_brand: String::new(),
        seo: Default::default(),
        section: "dunia".into(),
        tags: vec![TagRef {
            kind: TagKind::Person,
            name: "Kim Jong Un".into(),
        }],
        authors: vec!["dimas".into()],
        hero_media_id: None,
        status,
        sensitive: false,
        language: "id".into(),
        published_at: Some(t0()),
    }
}

async fn store_with_article(dir: &std::path::Path) -> (Store, i64) {
    let store = Store::open_sqlite(&dir.join("w.db")).await.expect("store");
    store
        .upsert_section("dunia", "Dunia", 0)
        .await
        .expect("section");
    store
        .upsert_author("dimas", "Dimas", "")
        .await
        .expect("author");
    let a = store
        .create_article(story(Status::Published), t0())
        .await
        .expect("article");
    (store, a.id)
}

#[tokio::test]
async fn a_purge_names_the_article_its_lists_and_the_shared_pages() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, id) = store_with_article(dir.path()).await;
    let p = purge::purge_for(&store, &[id, 999], Utc::now())
        .await
        .expect("purge");
    for k in [
        format!("article-{id}"),
        "article-999".into(),
        "section-dunia".into(),
        "tag-kim-jong-un".into(),
        "author-dimas".into(),
        "home".into(),
        "feeds".into(),
        "sitemaps".into(),
        "sitemap-2020-02".into(),
    ] {
        assert!(
            p.surrogate_keys.contains(&k),
            "{k} not in {:?}",
            p.surrogate_keys
        );
    }
    for path in [
        "/dunia/2020/02/12/pertemuan",
        "/",
        "/dunia",
        "/dunia/rss.xml",
        "/topik/kim-jong-un",
        "/topik/kim-jong-un/atom.xml",
        "/sitemap-news.xml",
    ] {
        assert!(
            p.paths.iter().any(|x| x == path),
            "{path} not in {:?}",
            p.paths
        );
    }
    assert_eq!(
        purge::purge_for(&store, &[], Utc::now())
            .await
            .expect("none"),
        Purge::default()
    );
}

#[tokio::test]
async fn a_purge_is_sent_as_json_once_when_answered() {
    let (url, got) = stand_in(StatusCode::OK, Duration::ZERO).await;
    let p = Purge {
        surrogate_keys: vec!["home".into()],
        paths: vec!["/".into()],
    };
    let mut config = quick(url);
    config.token = Some("kunci".into());
    let attempts = purge::send(&reqwest::Client::new(), &config, &p)
        .await
        .expect("sent");
    assert_eq!(attempts, 1);
    let requests = seen(&got);
    assert_eq!(requests[0].header("authorization"), "Bearer kunci");
    assert_eq!(requests[0].header("content-type"), "application/json");
    let got: Vec<serde_json::Value> = requests.iter().map(|g| g.json()).collect();
    assert_eq!(
        got,
        [serde_json::json!({"surrogate_keys": ["home"], "paths": ["/"]})]
    );
}

#[tokio::test]
async fn a_failing_target_is_retried_then_given_up_with_the_reason() {
    let (url, got) = stand_in(StatusCode::INTERNAL_SERVER_ERROR, Duration::ZERO).await;
    let err = purge::send(&reqwest::Client::new(), &quick(url), &Purge::default())
        .await
        .expect_err("gives up");
    assert!(err.contains("500"), "{err}");
    assert_eq!(seen(&got).len(), 3);
}

#[tokio::test]
async fn a_hanging_target_times_out_and_nobody_waits_for_it() {
    let (url, _) = stand_in(StatusCode::OK, Duration::from_secs(30)).await;
    let started = Instant::now();
    let err = purge::send(&reqwest::Client::new(), &quick(url), &Purge::default())
        .await
        .expect_err("times out");
    assert!(err.contains("did not answer"), "{err}");
    // Three attempts of 0.3 s and two waits: well under the target's 30 s.
    assert!(started.elapsed() < Duration::from_secs(5));

    // Nothing is refused either: a target that is not there.
    let err = purge::send(
        &reqwest::Client::new(),
        &quick("http://127.0.0.1:9/purge".into()),
        &Purge::default(),
    )
    .await
    .expect_err("unreachable");
    assert!(err.contains("cannot be reached"), "{err}");
}

#[tokio::test]
async fn writes_are_purged_by_the_follower() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, id) = store_with_article(dir.path()).await;
    let (url, got) = stand_in(StatusCode::OK, Duration::ZERO).await;
    purge::follow(store.clone(), quick(url), Duration::from_millis(50));
    // Let the follower read where the log ends, then unpublish the article.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        got.lock().expect("lock").is_empty(),
        "purged before any write"
    );
    store
        .update_article(id, story(Status::Draft), Utc::now())
        .await
        .expect("unpublish");
    let body = wait_for(&got, 1).await[0].json();
    let keys = body["surrogate_keys"].as_array().expect("keys");
    // Unpublished: the pages that showed it go by its key; the lists it left need
    // nothing else (it joined none), and its section's address is named for caches
    // that purge by path.
    assert!(keys.iter().any(|k| k == &format!("article-{id}")), "{body}");
    assert!(!keys.iter().any(|k| k == "section-dunia"), "{body}");
    assert!(
        body["paths"]
            .as_array()
            .expect("paths")
            .iter()
            .any(|p| p == "/dunia"),
        "{body}"
    );
}
