//! The reference page in `../shared` (when present), imported as crawled text and
//! served: the page keeps its headline, date line, captions with their credits, the
//! dateline, every paragraph, and loses the ad markers. Structure only: the expected
//! values are read from the fixture at run time, none of its text is kept here.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{TimeZone, Utc};
use http_body_util::BodyExt;
use tower::ServiceExt;
use warta_import::{Format, Options};
use warta_store::Store;

fn fixture() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/crawled/tempo-2020-02-12-trump-kim.txt");
    p.is_file().then_some(p)
}

async fn get(router: &axum::Router, uri: &str) -> (StatusCode, String, axum::http::HeaderMap) {
    let res = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned(), headers)
}

/// Text as the sanitiser writes it inside an element: only `&`, `<` and `>` escaped.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[tokio::test]
async fn the_fixture_imports_and_reads_like_the_original() {
    let Some(path) = fixture() else {
        eprintln!("fixture not present; skipped");
        return;
    };
    let text = std::fs::read_to_string(&path).expect("fixture");
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let (headline, date_line) = (lines[0], lines[1]);
    let end = lines
        .iter()
        .position(|l| *l == "Berita terkait")
        .expect("related header");
    let dateline_at = lines
        .iter()
        .position(|l| l.starts_with("TEMPO.CO, "))
        .expect("dateline");
    let paragraphs: Vec<&str> = lines[dateline_at..end]
        .iter()
        .copied()
        .filter(|l| *l != "Advertising" && !l.ends_with("REUTERS"))
        .collect();

    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    let now = Utc
        .with_ymd_and_hms(2024, 5, 1, 0, 0, 0)
        .single()
        .expect("date");
    let opts = Options {
        keep_going: false,
        dry_run: false,
        default_section: "dunia".into(),
        cache_mib: 256,
        overwrite_edited: false,
        media_from: None,
        now,
    };
    let report = warta_import::import(
        &store,
        Format::Text,
        std::slice::from_ref(&path),
        &opts,
        &mut |_| {},
    )
    .await
    .expect("import");
    assert_eq!(report.created, 1);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("10 \"Berita terkait\" entries")),
        "{:?}",
        report.notes
    );

    let state = warta_web::AppState::new(
        store.clone(),
        warta_web::WebConfig::new(dir.path().join("media")),
        Arc::new(move || now),
    );
    let router = warta_web::router(state);
    let (status, home, _) = get(&router, "/").await;
    assert_eq!(status, StatusCode::OK);
    let link = home
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/dunia/2020/02/12/"))
        .expect("article link on the home page")
        .to_owned();
    let (status, page, _) = get(&router, &link).await;
    assert_eq!(status, StatusCode::OK);

    assert!(page.contains(&format!(
        "<h1 data-test=\"headline\">{}</h1>",
        warta_core::sanitize::escape(headline)
    )));
    assert!(page.contains(&format!(">{date_line}</time>")), "date line");
    assert_eq!(
        page.matches("data-test=\"credit\">REUTERS</span>").count(),
        2,
        "both captions"
    );
    assert!(page.contains(
        "<strong class=\"dateline\" data-test=\"dateline\">TEMPO.CO, Jakarta -</strong>"
    ));
    let mut at = 0;
    for p in &paragraphs {
        let body = p.strip_prefix("TEMPO.CO, Jakarta - ").unwrap_or(p);
        let found = page[at..].find(&escape(body)).unwrap_or_else(|| {
            panic!(
                "paragraph missing or out of order: {}",
                &body[..body.len().min(60)]
            )
        });
        at += found;
    }
    assert!(!page.contains("Advertising"));
    assert!(
        !page.contains("Berita terkait"),
        "the old related list was kept"
    );
}

#[tokio::test]
async fn an_old_address_redirects_to_the_new_one() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    let now = Utc
        .with_ymd_and_hms(2024, 5, 1, 0, 0, 0)
        .single()
        .expect("date");
    let line = concat!(
        r#"{"type":"section","slug":"dunia","name":"Dunia"}"#,
        "\n",
        r#"{"type":"article","slug":"kabar-lama","headline":"Kabar Lama","section":"dunia","status":"published","published_at":"2020-02-12T10:00:00Z","created_at":"2020-02-12T10:00:00Z","legacy_paths":["/read/1290000/kabar-lama","/?p=42"]}"#,
        "\n"
    );
    let file = dir.path().join("a.jsonl");
    std::fs::write(&file, line).expect("write");
    let opts = Options {
        keep_going: false,
        dry_run: false,
        default_section: "dunia".into(),
        cache_mib: 256,
        overwrite_edited: false,
        media_from: None,
        now,
    };
    warta_import::import(&store, Format::Jsonl, &[file], &opts, &mut |_| {})
        .await
        .expect("import");
    let state = warta_web::AppState::new(
        store,
        warta_web::WebConfig::new(dir.path().join("media")),
        Arc::new(move || now),
    );
    let router = warta_web::router(state);
    for old in ["/read/1290000/kabar-lama", "/read/1290000/kabar-lama/"] {
        let (status, _, headers) = get(&router, old).await;
        assert_eq!(status, StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(headers["location"], "/dunia/2020/02/12/kabar-lama");
    }
    let (status, _, _) = get(&router, "/read/1/lain").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
