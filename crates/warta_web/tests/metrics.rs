//! `/metrics` (issue #34): known actions move exactly the counters they should. The
//! output is read with a Prometheus text parser (`prometheus-parse`), as a scraper
//! would read it.

#[path = "support/desk.rs"]
mod desk;
use desk::*;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use prometheus_parse::{Scrape, Value};
use warta_core::newsroom::Role;

/// One scrape of the metrics router, parsed.
async fn scrape(app: &App) -> Scrape {
    let req = Request::get("/metrics")
        .body(Body::empty())
        .expect("request");
    let (status, headers, body) = fetch(&app.metrics, req).await;
    assert_eq!(status, StatusCode::OK);
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    let text = String::from_utf8(body).expect("utf-8");
    Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).expect("Prometheus text format")
}

/// The value of the sample `name` whose labels include `labels` (0 when absent: a
/// counter not yet moved has no sample).
fn value(s: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    s.samples
        .iter()
        .filter(|x| x.metric == name)
        .filter(|x| labels.iter().all(|(k, v)| x.labels.get(k) == Some(*v)))
        .map(|x| match &x.value {
            Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => *v,
            Value::Histogram(h) => h.last().map_or(0.0, |b| b.count),
            Value::Summary(_) => 0.0,
        })
        .sum()
}

#[tokio::test]
async fn known_actions_move_exactly_their_counters() {
    let app = App::new().await;
    app.add_user("redaktur@contoh.id", "Redaktur", Role::Editor)
        .await;
    let before = scrape(&app).await;

    // A failed login, then a good one.
    let mut stranger = app.browser();
    let r = stranger
        .try_login("redaktur@contoh.id", "bukan-kata-sandinya")
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let mut b = app.login("redaktur@contoh.id").await;
    // A publish.
    let id = b.write("Banjir di Kampung Melayu", "Air naik.").await;
    let r = b.act(id, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A miss, then a hit, on the front page.
    let mut reader = app.browser();
    let first = reader.get("/").await;
    let second = reader.get("/").await;
    assert_eq!(first.headers["x-warta-cache"], "miss");
    assert_eq!(second.headers["x-warta-cache"], "hit");
    // An address no route knows.
    assert_eq!(reader.get("/tidak/ada").await.status, StatusCode::NOT_FOUND);

    let after = scrape(&app).await;
    let moved = |name: &str, labels: &[(&str, &str)]| {
        value(&after, name, labels) - value(&before, name, labels)
    };
    assert_eq!(moved("warta_logins_total", &[("outcome", "failed")]), 1.0);
    assert_eq!(moved("warta_logins_total", &[("outcome", "ok")]), 1.0);
    assert_eq!(
        moved("warta_logins_total", &[("outcome", "throttled")]),
        0.0
    );
    assert_eq!(
        moved("warta_newsroom_saves_total", &[("action", "published")]),
        1.0
    );
    assert_eq!(
        moved("warta_newsroom_saves_total", &[("action", "created")]),
        1.0
    );
    assert_eq!(
        moved("warta_newsroom_saves_total", &[("action", "saved")]),
        0.0
    );
    assert_eq!(
        moved("warta_page_cache_requests_total", &[("result", "hit")]),
        1.0
    );
    assert_eq!(
        moved("warta_page_cache_requests_total", &[("result", "miss")]),
        1.0
    );
    let sent = moved("warta_page_cache_sent_bytes_total", &[]);
    let bodies = (first.body.len() + second.body.len()) as f64;
    assert_eq!(
        sent, bodies,
        "bytes sent from the cache: the two front pages"
    );
    assert_eq!(
        moved(
            "warta_http_requests_total",
            &[("route", "/"), ("method", "GET"), ("status", "200")]
        ),
        2.0
    );
    assert_eq!(
        moved(
            "warta_http_requests_total",
            &[("route", "other"), ("status", "404")]
        ),
        1.0
    );
    assert_eq!(
        moved(
            "warta_http_request_duration_seconds_count",
            &[("route", "/")]
        ),
        2.0
    );
    // The article's creation and its publication each waited for the write lock (and
    // the logins' bookkeeping wrote too).
    assert!(moved("warta_write_lock_wait_seconds_count", &[]) >= 2.0);
    assert_eq!(
        value(&after, "warta_database_connections", &[("state", "max")]),
        8.0
    );
    assert!(value(&after, "warta_page_cache_pages", &[]) >= 1.0);
    assert!(value(&after, "warta_related_lag_seconds", &[]) >= 0.0);
    // No search index in this app: its lag cannot be told.
    assert_eq!(value(&after, "warta_search_lag_seconds", &[]), -1.0);
}

#[tokio::test]
async fn too_many_failed_logins_count_as_throttled() {
    let app = App::new().await;
    app.add_user("redaktur@contoh.id", "Redaktur", Role::Editor)
        .await;
    let mut b = app.browser();
    let mut throttled = 0;
    for _ in 0..8 {
        if b.try_login("redaktur@contoh.id", "salah-lagi").await.status
            == StatusCode::TOO_MANY_REQUESTS
        {
            throttled += 1;
        }
    }
    assert!(throttled > 0, "the pair limit refuses some of eight");
    let s = scrape(&app).await;
    assert_eq!(
        value(&s, "warta_logins_total", &[("outcome", "throttled")]),
        f64::from(throttled)
    );
    assert_eq!(
        value(&s, "warta_logins_total", &[("outcome", "failed")]),
        f64::from(8 - throttled)
    );
}
