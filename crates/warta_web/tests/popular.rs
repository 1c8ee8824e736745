//! "Terpopuler" (issue #29): a reader's beacon counts a read once per client and
//! window, bots do not count, counts reach the database in batches without dropping a
//! cached page, and the most read stories show on the home, section and article
//! pages; on two nodes sharing PostgreSQL, both show the same ranking.

#[path = "support/desk.rs"]
mod desk;
use desk::*;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, Duration, Utc};
use warta_core::newsroom::Role;
use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, SiteSettings, Status};
use warta_store::Store;
use warta_web::{AppState, WebConfig};

const CHROME: &str = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36";

/// A beacon from the client at `ip` with this user agent.
fn beacon(id: i64, ip: &str, ua: &str) -> Request<Body> {
    let mut req = Request::post(format!("/api/baca/{id}"))
        .header(header::USER_AGENT, ua)
        .body(Body::empty())
        .expect("request");
    let peer: SocketAddr = format!("{ip}:40000").parse().expect("address");
    req.extensions_mut().insert(ConnectInfo(peer));
    req
}

/// The headlines of a "Terpopuler" list on a page, in order.
fn popular(html: &str, name: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(&format!("[data-test=\"popular-{name}\"] li a"))
        .expect("selector");
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

#[tokio::test]
async fn reads_count_once_per_reader_and_show_as_terpopuler() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let mut ids = Vec::new();
    for (headline, section) in [
        ("Gunung Semeru Erupsi Lagi", "nasional"),
        ("Harga Emas Antam Turun", "nasional"),
        ("Gencatan Senjata di Gaza", "dunia"),
    ] {
        let id = ed.write(headline, "Isi berita.").await;
        let r = ed.act(id, "publish", &[("section", section)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        ids.push(id);
    }
    let mut reader = app.browser();
    let home = reader.get("/").await;
    assert!(popular(&home.body, "day").is_empty(), "nothing read yet");
    assert_eq!(
        reader.get("/").await.headers["x-warta-cache"],
        "hit",
        "the home page is cached"
    );
    // Gaza read by three readers (one of them twice), Semeru by two, Emas by one;
    // crawlers and link previews do not count.
    for (id, ip) in [
        (ids[2], "10.0.0.1"),
        (ids[2], "10.0.0.2"),
        (ids[2], "10.0.0.3"),
        (ids[2], "10.0.0.3"),
        (ids[0], "10.0.0.1"),
        (ids[0], "10.0.0.2"),
        (ids[1], "10.0.0.1"),
    ] {
        let r = app.send(beacon(id, ip, CHROME)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
    }
    for ua in [
        "Googlebot/2.1",
        "WhatsApp/2.24",
        "facebookexternalhit/1.1",
        "",
    ] {
        for ip in ["10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.4"] {
            app.send(beacon(ids[1], ip, ua)).await;
        }
    }
    app.state.flush_reads().await;
    // A count is no content change: the cached home page stays.
    assert_eq!(reader.get("/").await.headers["x-warta-cache"], "hit");
    app.state.refresh_popular().await;
    app.advance(Duration::minutes(2));
    let home = reader.get("/").await;
    assert_eq!(
        popular(&home.body, "day"),
        vec![
            "Gencatan Senjata di Gaza",
            "Gunung Semeru Erupsi Lagi",
            "Harga Emas Antam Turun"
        ]
    );
    assert_eq!(popular(&home.body, "week").len(), 3);
    // The section page lists its own; the article page the site's, itself left out.
    let nasional = reader.get("/nasional").await;
    assert_eq!(
        popular(&nasional.body, "section"),
        vec!["Gunung Semeru Erupsi Lagi", "Harga Emas Antam Turun"]
    );
    let story = reader
        .get("/dunia/2026/12/02/gencatan-senjata-di-gaza")
        .await;
    assert_eq!(story.status, StatusCode::OK, "{}", story.body);
    assert_eq!(
        popular(&story.body, "article"),
        vec!["Gunung Semeru Erupsi Lagi", "Harga Emas Antam Turun"]
    );
    assert!(
        story.body.contains(&format!("/api/baca/{}", ids[2])),
        "the page carries its beacon"
    );
    // Two days later the reads have left the 24-hour list, not the week's.
    app.advance(Duration::days(2));
    app.state.refresh_popular().await;
    let r = app.state.popular.rankings();
    assert!(r.day.is_empty(), "{:?}", r.day);
    assert_eq!(r.week.len(), 3);
}

fn t0() -> DateTime<Utc> {
    Utc::now() - Duration::hours(1)
}

fn story(headline: &str) -> ArticleInput {
    ArticleInput {
        slug: None,
        headline: headline.into(),
        lede: "Ringkasan.".into(),
        body: vec![Block::Paragraph {
            html: SafeHtml::from_text("Isi."),
        }],
        dateline_place: String::new(),
        dateline_brand: String::new(),
        seo: Default::default(),
        section: "nasional".into(),
        tags: Vec::new(),
        authors: Vec::new(),
        hero_media_id: None,
        status: Status::Published,
        sensitive: false,
        language: "id".into(),
        published_at: Some(t0()),
    }
}

fn node(store: Store, dir: &std::path::Path) -> (AppState, axum::Router) {
    let state = AppState::new(store, WebConfig::new(dir.join("media")), Arc::new(Utc::now));
    let router = warta_web::router(state.clone());
    (state, router)
}

#[tokio::test]
async fn two_nodes_on_postgres_show_the_same_ranking() {
    let Some(base) = warta_store::testing::postgres_url() else {
        assert!(
            std::env::var("WARTA_REQUIRE_POSTGRES").is_err(),
            "WARTA_REQUIRE_POSTGRES is set but WARTA_TEST_POSTGRES_URL is not"
        );
        eprintln!("WARTA_TEST_POSTGRES_URL is not set: two-node test skipped");
        return;
    };
    let (url, store_a) = warta_store::testing::fresh_postgres(&base)
        .await
        .expect("postgres");
    store_a
        .save_settings(&SiteSettings::default())
        .await
        .expect("settings");
    store_a
        .upsert_section("nasional", "Nasional", 0)
        .await
        .expect("section");
    let mut ids = Vec::new();
    for h in ["Satu Berita", "Dua Berita", "Tiga Berita"] {
        ids.push(store_a.create_article(story(h), t0()).await.expect("a").id);
    }
    let store_b = Store::open_postgres(&url).await.expect("second node");
    let dir = tempfile::tempdir().expect("dir");
    let (a, router_a) = node(store_a, dir.path());
    let (b, router_b) = node(store_b, dir.path());
    // Node A hears "Tiga" twice and "Satu" once; node B hears "Tiga" once more and
    // "Dua" twice: merged, Tiga (3) > Dua (2) > Satu (1), on both.
    let send = |router: &axum::Router, id: i64, ip: &str| {
        let router = router.clone();
        let req = beacon(id, ip, CHROME);
        async move { fetch(&router, req).await.0 }
    };
    for (r, id, ip) in [
        (&router_a, ids[2], "10.0.0.1"),
        (&router_a, ids[2], "10.0.0.2"),
        (&router_a, ids[0], "10.0.0.1"),
        (&router_b, ids[2], "10.0.0.3"),
        (&router_b, ids[1], "10.0.0.1"),
        (&router_b, ids[1], "10.0.0.2"),
    ] {
        assert_eq!(send(r, id, ip).await, StatusCode::NO_CONTENT);
    }
    a.flush_reads().await;
    b.flush_reads().await;
    a.refresh_popular().await;
    b.refresh_popular().await;
    let order =
        |s: &AppState| -> Vec<i64> { s.popular.rankings().day.iter().map(|x| x.id).collect() };
    assert_eq!(order(&a), vec![ids[2], ids[1], ids[0]]);
    assert_eq!(order(&a), order(&b));
}
