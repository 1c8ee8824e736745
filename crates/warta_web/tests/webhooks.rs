//! Webhooks against a stand-in receiver on loopback.

mod common;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use common::{seen, stand_in, wait_for};
use hmac::{Hmac, Mac};
use warta_core::{ArticleInput, Status};
use warta_store::Store;
use warta_web::webhooks::{self, WebhookConfig, WebhookTarget};

fn config(url: String) -> WebhookConfig {
    WebhookConfig {
        timeout: Duration::from_millis(300),
        attempts: 3,
        backoff: Duration::from_millis(20),
        ..WebhookConfig::new(
            vec![WebhookTarget {
                url,
                secret: "rahasia".into(),
            }],
            "https://warta.example".into(),
        )
    }
}

fn story(status: Status) -> ArticleInput {
    ArticleInput {
        slug: Some("banjir".into()),
        headline: "Banjir di Bekasi".into(),
        lede: String::new(),
        body: Vec::new(),
        dateline_place: String::new(),
        dateline_brand: String::new(),
        seo: Default::default(),
        section: "nasional".into(),
        tags: Vec::new(),
        authors: Vec::new(),
        hero_media_id: None,
        status,
        sensitive: false,
        language: "id".into(),
        published_at: Some(
            Utc.with_ymd_and_hms(2020, 2, 12, 10, 0, 0)
                .single()
                .expect("date"),
        ),
    }
}

async fn store(dir: &std::path::Path) -> Store {
    let s = Store::open_sqlite(&dir.join("w.db")).await.expect("store");
    s.upsert_section("nasional", "Nasional", 0)
        .await
        .expect("section");
    s
}

/// The delivery log once its `n` entries are no longer pending (at most 5 s).
async fn settled(s: &Store, n: usize) -> Vec<warta_store::Delivery> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let log = s.deliveries(10).await.expect("log");
        if log.len() == n && log.iter().all(|d| d.status != "pending") {
            return log;
        }
        assert!(Instant::now() < deadline, "not settled: {log:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn publish_update_unpublish_are_announced_signed_once_each() {
    let dir = tempfile::tempdir().expect("dir");
    let s = store(dir.path()).await;
    let (url, got) = stand_in(StatusCode::OK, Duration::ZERO).await;
    let cfg = config(url);
    let client = reqwest::Client::new();
    // An existing archive is not announced: the first tick starts at the log's end.
    s.create_article(story(Status::Published), Utc::now())
        .await
        .expect("old");
    assert_eq!(webhooks::tick(&s, &client, &cfg).await.expect("tick"), 0);

    let mut draft = story(Status::Draft);
    draft.slug = Some("draf".into());
    let a = s.create_article(draft, Utc::now()).await.expect("draft");
    assert_eq!(webhooks::tick(&s, &client, &cfg).await.expect("tick"), 0);

    let mut steps = Vec::new();
    for status in [Status::Published, Status::Published, Status::Draft] {
        let mut input = story(status);
        input.slug = Some("draf".into());
        s.update_article(a.id, input, Utc::now())
            .await
            .expect("update");
        assert_eq!(webhooks::tick(&s, &client, &cfg).await.expect("tick"), 1);
        steps.push(wait_for(&got, steps.len() + 1).await);
    }
    // Deleting what is already unpublished announces nothing more.
    s.delete_article(a.id, Utc::now()).await.expect("delete");
    assert_eq!(webhooks::tick(&s, &client, &cfg).await.expect("tick"), 0);

    let seen = seen(&got);
    let events: Vec<String> = seen.iter().map(|g| g.header("x-warta-event")).collect();
    assert_eq!(events, ["published", "updated", "unpublished"]);
    for g in &seen {
        let (event, sig, body) = (
            g.header("x-warta-event"),
            g.header("x-warta-signature"),
            &g.body,
        );
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(b"rahasia").expect("key");
        mac.update(body.as_bytes());
        let want: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(sig, format!("sha256={want}"));
        let json: serde_json::Value = serde_json::from_str(body).expect("json");
        assert_eq!(json["event"], event.as_str());
        assert_eq!(json["article"]["id"], a.id);
    }
    let first = seen[0].json();
    assert_eq!(
        first["article"]["url"],
        "https://warta.example/nasional/2020/02/12/draf"
    );
    let log = settled(&s, 3).await;
    assert!(
        log.iter()
            .all(|d| d.status == "delivered" && d.attempts == 1),
        "{log:?}"
    );
}

#[tokio::test]
async fn a_failing_or_hanging_receiver_is_retried_logged_and_never_waited_for() {
    for (status, delay, reason) in [
        (StatusCode::INTERNAL_SERVER_ERROR, Duration::ZERO, "500"),
        (StatusCode::OK, Duration::from_secs(30), "no answer"),
    ] {
        let dir = tempfile::tempdir().expect("dir");
        let s = store(dir.path()).await;
        let (url, got) = stand_in(status, delay).await;
        let cfg = config(url);
        let client = reqwest::Client::new();
        webhooks::tick(&s, &client, &cfg).await.expect("start");
        s.create_article(story(Status::Published), Utc::now())
            .await
            .expect("publish");
        let started = Instant::now();
        assert_eq!(webhooks::tick(&s, &client, &cfg).await.expect("tick"), 1);
        // The tick only starts the delivery.
        assert!(started.elapsed() < Duration::from_millis(250), "{reason}");
        wait_for(&got, 3).await;
        let d = settled(&s, 1).await.remove(0);
        assert_eq!(d.status, "failed", "{reason}");
        assert_eq!(d.attempts, 3, "{reason}");
        assert!(d.last_error.contains(reason), "{reason}: {}", d.last_error);
    }
}
