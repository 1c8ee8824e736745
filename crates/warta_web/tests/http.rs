//! The reader site through the router, without a socket. Each test builds its own app
//! on a fresh database with a clock it controls.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, Duration, TimeZone, Utc};
use http_body_util::BodyExt;
use tower::ServiceExt;
use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, SiteSettings, Status, TagKind, TagRef};
use warta_search::{SearchIndex, StemmerKind};
use warta_store::{NewMedia, Store};
use warta_web::{AppState, WebConfig};

struct TestApp {
    router: axum::Router,
    state: AppState,
    store: Store,
    index: SearchIndex,
    clock: Arc<AtomicI64>,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

fn t0() -> DateTime<Utc> {
    // Wednesday 12 February 2020, 17:00 in Jakarta.
    Utc.with_ymd_and_hms(2020, 2, 12, 10, 0, 0)
        .single()
        .expect("date")
}

impl TestApp {
    async fn new() -> TestApp {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_sqlite(&dir.path().join("w.db"))
            .await
            .expect("store");
        let clock = Arc::new(AtomicI64::new(t0().timestamp()));
        let c = clock.clone();
        let index = SearchIndex::open(&dir.path().join("search"), StemmerKind::Dictionary)
            .expect("search index");
        let state = AppState::new(
            store.clone(),
            WebConfig::new(dir.path().join("media")),
            Arc::new(move || {
                DateTime::from_timestamp(c.load(Ordering::SeqCst), 0).unwrap_or_default()
            }),
        )
        .with_search(index.clone());
        TestApp {
            router: warta_web::router(state.clone()),
            state,
            store,
            index,
            clock,
            _dir: dir,
        }
    }

    /// Brings the search index up to date with the store.
    async fn index(&self) {
        self.index.catch_up(&self.store).await.expect("catch up");
    }

    /// An app with the demo content, published counting back from t0.
    async fn demo() -> TestApp {
        let app = TestApp::new().await;
        warta_demo::seed(&app.store, &app._dir.path().join("media"), t0())
            .await
            .expect("seed");
        app
    }

    fn advance(&self, d: Duration) {
        self.clock.fetch_add(d.num_seconds(), Ordering::SeqCst);
    }

    async fn get(&self, uri: &str) -> Reply {
        self.get_with(uri, &[]).await
    }

    async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = Request::get(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self
            .router
            .clone()
            .oneshot(req.body(Body::empty()).expect("request"))
            .await
            .expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A small, fixed article for exact checks and the snapshot.
    async fn one_article(&self, sensitive: bool) -> String {
        let s = &self.store;
        s.save_settings(&SiteSettings {
            ad_first_after: 2,
            ad_every: 2,
            ..SiteSettings::default()
        })
        .await
        .expect("settings");
        s.upsert_section("dunia", "Dunia", 0)
            .await
            .expect("section");
        s.upsert_author("dimas", "Dimas Pratama", "")
            .await
            .expect("author");
        let media = |caption: &str, credit: &str| NewMedia {
            file: "foto.jpg".into(),
            mime: "image/jpeg".into(),
            width: 1280,
            height: 720,
            alt: "Dua pemimpin berjabat tangan".into(),
            caption: caption.into(),
            credit: credit.into(),
            renditions: vec![warta_core::Rendition {
                width: 640,
                file: "foto-640.jpg".into(),
                og: false,
                bytes: 48_213,
            }],
        };
        let hero = s
            .insert_media(
                &media("Dua pemimpin bertemu di perbatasan.", "WARTA/Agen"),
                t0(),
            )
            .await
            .expect("media");
        let inline = s
            .insert_media(
                &media("Foto kedua di tengah berita.", "KANTOR BERITA"),
                t0(),
            )
            .await
            .expect("media");
        let p = |t: &str| Block::Paragraph {
            html: SafeHtml::from_text(t),
        };
        let tags = vec![
            TagRef {
                kind: TagKind::Person,
                name: "Tokoh Satu".into(),
            },
            TagRef {
                kind: TagKind::Place,
                name: "Korea Utara".into(),
            },
        ];
        let input =
            |headline: &str, at: DateTime<Utc>, body: Vec<Block>, tags: Vec<TagRef>| ArticleInput {
                slug: None,
                headline: headline.into(),
                lede: format!("Ringkasan {headline}."),
                body,
                dateline_place: "Jakarta".into(),
                dateline_brand: String::new(),
                seo: Default::default(),
                section: "dunia".into(),
                tags,
                authors: vec!["dimas".into()],
                hero_media_id: Some(hero.id),
                status: Status::Published,
                sensitive,
                language: "id".into(),
                published_at: Some(at),
            };
        let body = vec![
            p("Paragraf pembuka berita."),
            p("Paragraf kedua."),
            Block::Quote {
                text: "Kutipan yang tidak boleh terbelah iklan.".into(),
                cite: "Seorang pejabat".into(),
            },
            p("Paragraf ketiga."),
            Block::Heading {
                text: "Sub judul".into(),
            },
            Block::Photo {
                media_id: inline.id,
                caption: String::new(),
                credit: String::new(),
            },
            p("Paragraf keempat dengan <b>tebal</b>."),
            p("Paragraf penutup."),
        ];
        let main = s
            .create_article(
                input(
                    "Pertemuan Dua Pemimpin di Perbatasan",
                    t0(),
                    body,
                    tags.clone(),
                ),
                t0(),
            )
            .await
            .expect("article");
        for (i, days) in [2, 5, 24].into_iter().enumerate() {
            let at = t0() + Duration::days(40) - Duration::days(days);
            s.create_article(
                input(
                    &format!("Berita Lanjutan {}", i + 1),
                    at,
                    vec![p("Isi.")],
                    tags[..1].to_vec(),
                ),
                t0(),
            )
            .await
            .expect("related article");
        }
        format!("/dunia/2020/02/12/{}", main.slug)
    }
}

/// Positions of the needles in the page, which must be increasing.
fn assert_in_order(body: &str, needles: &[&str]) {
    let mut last = 0;
    for n in needles {
        let pos = body[last..]
            .find(n)
            .unwrap_or_else(|| panic!("`{n}` not found after byte {last}"));
        last += pos + n.len();
    }
}

#[tokio::test]
async fn the_article_page_shows_every_element_in_order() {
    let app = TestApp::new().await;
    let path = app.one_article(false).await;
    // Forty days later, three newer stories share a tag.
    app.advance(Duration::days(40));
    let r = app.get(&path).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_in_order(
        &r.body,
        &[
            "<title>Pertemuan Dua Pemimpin di Perbatasan - Warta</title>",
            "<h1 data-test=\"headline\">Pertemuan Dua Pemimpin di Perbatasan</h1>",
            "<time datetime=\"2020-02-12T17:00:00+07:00\" data-test=\"dateline-time\">Rabu, 12 Februari 2020 17:00 WIB</time>",
            "srcset=\"/media/foto-640.jpg 640w, /media/foto.jpg 1280w\"",
            "Dua pemimpin bertemu di perbatasan. <span class=\"credit\" data-test=\"credit\">WARTA/Agen</span>",
            "<p><strong class=\"dateline\" data-test=\"dateline\">WARTA, Jakarta -</strong> Paragraf pembuka berita.</p>",
            "Paragraf kedua.",
            "data-test=\"ad-slot\"",
            "<blockquote><p>Kutipan yang tidak boleh terbelah iklan.</p>",
            "Paragraf ketiga.",
            "<h2>Sub judul</h2>",
            "Foto kedua di tengah berita. <span class=\"credit\" data-test=\"credit\">KANTOR BERITA</span>",
            "Paragraf keempat dengan &lt;b&gt;tebal&lt;/b&gt;.",
            "data-test=\"ad-slot\"",
            "Paragraf penutup.",
            "<h2 id=\"terkait\">Berita terkait</h2>",
            "Berita Lanjutan 1",
            "2 hari lalu",
            "Berita Lanjutan 2",
            "5 hari lalu",
            "Berita Lanjutan 3",
            "24 hari lalu",
            "Baca Selengkapnya",
        ],
    );
    // Two slots: after paragraphs 2 and 4, none after the last.
    assert_eq!(r.body.matches("data-test=\"ad-slot\"").count(), 2);
    // Each related title once as a heading link, and never the article itself.
    assert_eq!(r.body.matches(">Berita Lanjutan 1</a></h3>").count(), 1);
    assert_eq!(r.body.matches("related-item").count(), 3);
    assert!(!r.body[r.body.find("terkait").unwrap_or(0)..].contains("Pertemuan Dua Pemimpin"));
}

#[tokio::test]
async fn sensitive_articles_carry_no_ads() {
    let app = TestApp::new().await;
    let path = app.one_article(true).await;
    let r = app.get(&path).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("data-test=\"ad-slot\""));
}

#[tokio::test]
async fn article_page_snapshot() {
    let app = TestApp::new().await;
    let path = app.one_article(false).await;
    app.advance(Duration::days(40));
    let r = app.get(&path).await;
    let css = regex_free_replace(&r.body, "/static/site-", ".css", "/static/site-[hash].css");
    insta::assert_snapshot!(css);
}

/// Replaces `start…end` (first occurrence) with `with`, so content hashes do not churn
/// the snapshot.
fn regex_free_replace(s: &str, start: &str, end: &str, with: &str) -> String {
    match s.find(start) {
        Some(a) => match s[a..].find(end) {
            Some(b) => format!("{}{}{}", &s[..a], with, &s[a + b + end.len()..]),
            None => s.to_owned(),
        },
        None => s.to_owned(),
    }
}

#[tokio::test]
async fn a_cached_page_served_later_shows_the_later_age() {
    let app = TestApp::new().await;
    let path = app.one_article(false).await;
    // Half a minute before a related story turns three days old; the page is kept a
    // minute, so the same cached page then says so.
    app.advance(Duration::days(41) - Duration::seconds(30));
    let first = app.get(&path).await;
    assert_eq!(first.headers["x-warta-cache"], "miss");
    assert!(first.body.contains(">2 hari lalu</time>"));
    app.advance(Duration::seconds(40));
    let second = app.get(&path).await;
    assert_eq!(second.headers["x-warta-cache"], "hit");
    assert!(
        second.body.contains(">3 hari lalu</time>"),
        "age not refreshed"
    );
    assert!(!second.body.contains(">2 hari lalu</time>"));
    // Shared caches keep it a minute at most, and every age carries its datetime.
    assert_eq!(
        second.headers[header::CACHE_CONTROL],
        "public, max-age=30, stale-while-revalidate=30"
    );
    assert!(second.body.contains("data-age>3 hari lalu</time>"));
    assert!(
        second.body.contains("time[data-age]"),
        "refresh script missing"
    );
}

#[tokio::test]
async fn demo_pages_all_answer() {
    let app = TestApp::demo().await;
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("data-test=\"top-story\""));
    assert!(home.body.matches("data-test=\"section-block\"").count() >= 5);
    assert!(home.body.contains("25 menit lalu"));
    for path in [
        "/nasional",
        "/ekonomi?page=2",
        "/topik/hendra-saputra",
        "/topik/banjir",
        "/penulis/rina-wulandari",
        "/?page=2",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(
            r.body.contains("data-test=\"item\""),
            "{path} lists nothing"
        );
    }
    let tag = app.get("/topik/hendra-saputra").await;
    assert!(tag.body.contains("<h1>Hendra Saputra</h1>"));
    // Every article linked from the home page opens, with its related block.
    let links: Vec<String> = home
        .body
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| h.matches('/').count() == 5)
        .map(str::to_owned)
        .collect();
    assert!(links.len() >= 10, "{links:?}");
    for link in &links {
        let r = app.get(link).await;
        assert_eq!(r.status, StatusCode::OK, "{link}");
        assert!(r.body.contains("data-test=\"headline\""));
        assert!(
            r.body.contains("data-test=\"related\""),
            "{link} has no related block"
        );
    }
}

#[tokio::test]
async fn unknown_things_are_404_pages_not_500s() {
    let app = TestApp::demo().await;
    for path in [
        "/nasional/2020/01/01/tidak-ada",
        "/topik/tidak-ada",
        "/penulis/tidak-ada",
        "/kanal-tidak-ada",
        "/a/b/c",
        "/nasional/abcd/ef/gh/tidak-ada",
        "/static/site-0000.css",
        "/media/tidak-ada.jpg",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        if !path.starts_with("/media") {
            assert!(
                r.body.contains("Halaman tidak ditemukan"),
                "{path}: {}",
                r.body
            );
            assert!(r.body.contains("Kembali ke beranda"));
        }
    }
}

#[tokio::test]
async fn page_numbers_are_checked() {
    let app = TestApp::demo().await;
    for q in ["abc", "-1", "0", "1.5", "%00", "99999999999999"] {
        let r = app.get(&format!("/nasional?page={q}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "page={q}");
        assert!(r.body.contains("Permintaan tidak valid"), "page={q}");
        assert!(r.body.contains("page"), "the page says what was wrong");
    }
    let last = app.get("/?page=99999").await;
    assert_eq!(last.status, StatusCode::OK);
    assert!(last.body.contains("data-test=\"pager\""));
    assert!(last.body.contains("rel=\"prev\""));
    assert!(!last.body.contains("rel=\"next\""));
}

#[tokio::test]
async fn a_wrong_date_or_section_redirects_to_the_canonical_address() {
    let app = TestApp::new().await;
    let path = app.one_article(false).await;
    let slug = path.rsplit('/').next().expect("slug");
    let r = app.get(&format!("/olahraga/2019/01/01/{slug}")).await;
    assert_eq!(r.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(r.headers[header::LOCATION], path.as_str());
}

/// Issue #24: an article's address spelled with percent-escapes goes to its one
/// address (not cached as another page); every answer carries the security headers,
/// and a newsroom error page the newsroom's policy.
#[tokio::test]
async fn escaped_addresses_redirect_and_every_answer_has_its_security_headers() {
    let app = TestApp::new().await;
    let path = app.one_article(false).await;
    let (dir, slug) = path.rsplit_once('/').expect("slug");
    let first = slug.chars().next().expect("a letter");
    let escaped = format!("{dir}/%{:02X}{}", first as u32, &slug[1..]);
    let r = app.get(&escaped).await;
    assert_eq!(r.status, StatusCode::PERMANENT_REDIRECT, "{escaped}");
    assert_eq!(r.headers[header::LOCATION], path.as_str());
    std::fs::create_dir_all(app._dir.path().join("media")).expect("media dir");
    std::fs::write(app._dir.path().join("media/uji.txt"), "x").expect("media file");
    for uri in [
        path.as_str(),
        "/api/v1/search?q=uji",
        "/rss.xml",
        "/tidak-ada",
        "/media/uji.txt",
    ] {
        let r = app.get(uri).await;
        for (name, value) in [
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "strict-origin-when-cross-origin"),
            ("x-frame-options", "SAMEORIGIN"),
        ] {
            assert_eq!(
                r.headers.get(name).and_then(|v| v.to_str().ok()),
                Some(value),
                "{uri} ({}): {name}",
                r.status
            );
        }
    }
    let r = app.get("/admin/tidak-ada").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let csp = r
        .headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(r.headers["x-frame-options"], "DENY");
}

#[tokio::test]
async fn drafts_and_future_articles_stay_hidden() {
    let app = TestApp::new().await;
    let path = app.one_article(false).await;
    // "Berita Lanjutan" articles are published 16+ days after t0: not yet visible.
    let home = app.get("/").await;
    assert!(home.body.contains("Pertemuan Dua Pemimpin"));
    assert!(!home.body.contains("Berita Lanjutan"));
    let r = app.get(&path).await;
    assert!(!r.body.contains("data-test=\"related\""));
}

#[tokio::test]
async fn static_assets_are_cached_for_a_year() {
    let app = TestApp::new().await;
    let home = app.get("/").await;
    let css = home
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/static/") && h.ends_with(".css"))
        .expect("stylesheet link")
        .to_owned();
    let r = app.get(&css).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CACHE_CONTROL]
            .to_str()
            .expect("ascii")
            .contains("max-age=31536000")
    );
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .expect("ascii")
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn an_english_site_speaks_english() {
    let app = TestApp::new().await;
    let path = app.one_article(false).await;
    let mut s = app.store.settings().await.expect("settings");
    s.language = "en".into();
    app.store.save_settings(&s).await.expect("save");
    app.advance(Duration::days(40));
    let r = app.get(&path).await;
    assert!(r.body.contains("<html lang=\"en\">"));
    assert!(r.body.contains("Wednesday, 12 February 2020 17:00 WIB"));
    assert!(r.body.contains("Related news"));
    assert!(r.body.contains("2 days ago"));
}

/// The reference page in `../shared` (when present): our date line and age formats read
/// the same as the portal's. Structure only; none of its text is kept here.
#[test]
fn fixture_formats_match_ours() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/crawled/tempo-2020-02-12-trump-kim.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("fixture not present; skipped");
        return;
    };
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let date_line = lines[1];
    // "Weekday, D Month YYYY HH:MM ZONE": rebuild it from its parts with our formatter.
    let parts: Vec<&str> = date_line
        .split([',', ' ', ':'])
        .filter(|p| !p.is_empty())
        .collect();
    assert_eq!(parts.len(), 7, "{date_line}");
    let month = (0..12)
        .find(|m| warta_core::Locale::Id.month(*m) == parts[2])
        .expect("an Indonesian month name");
    let num = |s: &str| s.parse::<u32>().expect("number");
    let local = chrono_tz::Tz::Asia__Jakarta
        .with_ymd_and_hms(
            num(parts[3]) as i32,
            month + 1,
            num(parts[1]),
            num(parts[4]),
            num(parts[5]),
            0,
        )
        .single()
        .expect("valid local time");
    let ours = warta_core::Locale::Id.date_line(
        local.with_timezone(&Utc),
        chrono_tz::Tz::Asia__Jakarta,
        "Minggu",
    );
    assert_eq!(ours, date_line);
    // Every relative age on the page is one our formatter produces.
    let now = t0();
    let ages: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.ends_with(" lalu"))
        .collect();
    assert!(ages.len() >= 10);
    for age in ages {
        let n: i64 = age
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("count");
        let then = now - Duration::days(n) - Duration::hours(1);
        assert_eq!(warta_core::Locale::Id.relative(then, now), age);
    }
}

// ---------------------------------------------------------------- search

#[tokio::test]
async fn search_finds_an_inflected_form_with_a_highlighted_snippet() {
    let app = TestApp::demo().await;
    app.index().await;
    let r = app.get("/cari?q=pengungsian+bekasi").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Ribuan Warga Bekasi Mengungsi"),
        "{}",
        r.body
    );
    assert!(r.body.contains("data-test=\"result-count\""));
    assert!(r.body.contains("<b>"));
    // The form keeps what was asked.
    assert!(r.body.contains("value=\"pengungsian bekasi\""));
}

#[tokio::test]
async fn search_without_words_prompts_and_nothing_found_says_so() {
    let app = TestApp::demo().await;
    app.index().await;
    let r = app.get("/cari").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("data-test=\"search-prompt\""));
    let r = app.get("/cari?q=zzqxv").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("data-test=\"no-results\""));
    assert!(r.body.contains("Tidak ada berita yang cocok"));
}

#[tokio::test]
async fn search_suggests_a_spelling() {
    let app = TestApp::demo().await;
    app.index().await;
    let r = app.get("/cari?q=bnajir").await;
    assert!(r.body.contains("data-test=\"suggestion\""), "{}", r.body);
    assert!(r.body.contains("href=\"/cari?q=banjir\""));
}

#[tokio::test]
async fn hostile_search_strings_never_fail() {
    let app = TestApp::demo().await;
    app.index().await;
    let long = "banjir%20".repeat(2_000);
    for q in [
        "%22kim+jong",
        "-",
        "%22",
        long.as_str(),
        "%00%01%1b",
        "%F0%9F%98%80",
        "%D9%85%D8%B1%D8%AD%D8%A8%D8%A7",
        "%27%3B+DROP+TABLE+articles%3B+--",
        "title%3Abanjir+AND+(rudal+OR",
        "%ff%fe",
        "*%3F~^",
    ] {
        let r = app.get(&format!("/cari?q={q}")).await;
        assert_eq!(r.status, StatusCode::OK, "q={q}");
        let r = app.get(&format!("/api/v1/search?q={q}")).await;
        assert_eq!(r.status, StatusCode::OK, "api q={q}");
    }
    let r = app.get(&format!("/cari?q={long}")).await;
    assert!(r.body.contains("data-test=\"truncated\""));
}

#[tokio::test]
async fn bad_search_parameters_are_400s_that_name_them() {
    let app = TestApp::demo().await;
    app.index().await;
    for (q, name) in [
        ("q=a&from=kemarin", "from"),
        ("q=a&to=2020-02-30", "to"),
        ("q=a&sort=acak", "sort"),
        ("q=a&page=-1", "page"),
    ] {
        let r = app.get(&format!("/cari?{q}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        assert!(r.body.contains(&format!("`{name}`")), "{q}: {}", r.body);
        let r = app.get(&format!("/api/v1/search?{q}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        assert!(v["error"].as_str().is_some_and(|e| e.contains(name)), "{v}");
    }
}

#[tokio::test]
async fn search_api_answers_json_with_article_urls() {
    let app = TestApp::demo().await;
    app.index().await;
    let r = app.get("/api/v1/search?q=rudal&sort=newest").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
    );
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    let hits = v["hits"].as_array().expect("hits");
    assert!(v["total"].as_u64().is_some_and(|n| n >= 2), "{v}");
    let url = hits[0]["url"].as_str().expect("url");
    assert!(url.starts_with("/dunia/"), "{url}");
    // The URL leads to the article.
    assert_eq!(app.get(url).await.status, StatusCode::OK);
    // Section filter through the address.
    let r = app.get("/api/v1/search?q=rudal&section=ekonomi").await;
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(v["total"], 0);
}

#[tokio::test]
async fn search_escapes_what_articles_contain() {
    let app = TestApp::new().await;
    app.store
        .upsert_section("nasional", "Nasional", 0)
        .await
        .expect("section");
    let mut a = ArticleInput::empty();
    a.headline = "Zebra <script>alert(1)</script>".into();
    a.section = "nasional".into();
    a.body = vec![Block::Paragraph {
        html: SafeHtml::from_text("Zebra <img src=x onerror=alert(2)> lepas."),
    }];
    a.status = Status::Published;
    a.published_at = Some(t0() - Duration::hours(1));
    app.store.create_article(a, t0()).await.expect("create");
    app.index().await;
    let r = app.get("/cari?q=zebra").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("data-test=\"result\""), "{}", r.body);
    assert!(!r.body.contains("<script>alert"));
    assert!(!r.body.contains("<img src=x"));
}

#[tokio::test]
async fn a_published_article_is_searchable_within_a_second() {
    let app = TestApp::demo().await;
    app.index().await;
    warta_search::follow(
        app.index.clone(),
        app.store.clone(),
        std::time::Duration::from_millis(100),
    );
    let mut a = ArticleInput::empty();
    a.headline = "Zebra Lepas dari Kebun Binatang".into();
    a.section = "nasional".into();
    a.status = Status::Published;
    a.published_at = Some(t0() - Duration::minutes(5));
    app.store.create_article(a, t0()).await.expect("create");
    let started = std::time::Instant::now();
    let mut found = false;
    while started.elapsed() < std::time::Duration::from_secs(1) {
        if app.get("/cari?q=zebra").await.body.contains("Zebra Lepas") {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(found, "not searchable within a second");
}

// ---------------------------------------------------------------- related news

#[tokio::test]
async fn the_page_shows_the_engines_list_with_pins_first() {
    let app = TestApp::demo().await;
    app.index().await;
    let engine = warta_related::Engine::new(app.store.clone(), app.index.clone());
    engine.catch_up(t0()).await.expect("related");
    let ids: Vec<i64> = (1..=40).collect();
    let all = app.store.articles_by_ids(&ids).await.expect("articles");
    let find = |start: &str| {
        all.iter()
            .find(|a| a.headline.starts_with(start))
            .unwrap_or_else(|| panic!("{start}"))
    };
    let bekasi = find("Ribuan Warga Bekasi");
    let coffee = find("Festival Kopi Gayo");
    let rain = find("Hujan Deras Semalaman");
    let path = format!(
        "/{}/{}/{}",
        bekasi.section.slug,
        bekasi
            .published_at
            .map(|t| t
                .with_timezone(&chrono_tz::Asia::Jakarta)
                .format("%Y/%m/%d")
                .to_string())
            .unwrap_or_default(),
        bekasi.slug
    );
    // The engine's list: the same flood first, not a tag-count tie broken by date.
    let list = app
        .store
        .related_list(bekasi.id, 10, t0())
        .await
        .expect("list")
        .expect("computed");
    assert!(
        list.iter().take(3).any(|a| a.id == rain.id),
        "{:?}",
        list.iter().map(|a| &a.headline).collect::<Vec<_>>()
    );
    app.store
        .set_related_edits(
            bekasi.id,
            &warta_store::RelatedEdits {
                pins: vec![coffee.id],
                excludes: vec![rain.id],
            },
        )
        .await
        .expect("edits");
    let r = app.get(&path).await;
    assert_eq!(r.status, StatusCode::OK, "{path}");
    // The list's first two go into the body as "Baca juga", the rest under the story.
    let related = &r.body[r.body.find("data-test=\"body\"").expect("body")..];
    let also = &related[related.find("data-test=\"read-also\"").expect("Baca juga")..];
    assert_in_order(also, &["Festival Kopi Gayo", "Air Surut", "id=\"terkait\""]);
    assert!(!related.contains("Hujan Deras Semalaman"), "{related}");
}

/// A story in `dunia` with only a headline, a lede and tags, published at t0.
fn bare_story(headline: &str, lede: &str, tags: Vec<TagRef>) -> ArticleInput {
    ArticleInput {
        slug: None,
        headline: headline.into(),
        lede: lede.into(),
        body: Vec::new(),
        dateline_place: String::new(),
        dateline_brand: String::new(),
        seo: Default::default(),
        section: "dunia".into(),
        tags,
        authors: Vec::new(),
        hero_media_id: None,
        status: Status::Published,
        sensitive: false,
        language: "id".into(),
        published_at: Some(t0()),
    }
}

/// Fails unless `xml` is well-formed (every element closed, names matching).
fn assert_well_formed(xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return,
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed at byte {}: {e}\n{xml}",
                reader.buffer_position()
            ),
        }
    }
}

#[tokio::test]
async fn feeds_list_visible_stories_with_absolute_links_and_zone_times() {
    let app = TestApp::new().await;
    let path = app.one_article(false).await;
    let url = format!("http://127.0.0.1:8080{path}");

    let rss = app.get("/rss.xml").await;
    assert_eq!(rss.status, StatusCode::OK);
    assert_eq!(
        rss.headers[header::CONTENT_TYPE],
        "application/rss+xml; charset=utf-8"
    );
    assert_well_formed(&rss.body);
    assert_in_order(
        &rss.body,
        &[
            "<rss version=\"2.0\"",
            "<atom:link href=\"http://127.0.0.1:8080/rss.xml\" rel=\"self\"",
            "<item>",
            "<title>Pertemuan Dua Pemimpin di Perbatasan</title>",
            &format!("<link>{url}</link>"),
            &format!("<guid isPermaLink=\"true\">{url}</guid>"),
            "<description>Ringkasan Pertemuan Dua Pemimpin di Perbatasan.</description>",
            "<category>Dunia</category>",
            // 10:00 UTC is 17:00 in Jakarta.
            "<pubDate>Wed, 12 Feb 2020 17:00:00 +0700</pubDate>",
            "<enclosure url=\"http://127.0.0.1:8080/media/foto-640.jpg\" length=\"48213\" type=\"image/jpeg\"/>",
            "</item>",
        ],
    );
    // Published after "now": not in any feed yet.
    assert!(!rss.body.contains("Berita Lanjutan"), "{}", rss.body);

    let atom = app.get("/atom.xml").await;
    assert_eq!(
        atom.headers[header::CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    assert_well_formed(&atom.body);
    assert_in_order(
        &atom.body,
        &[
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"id\">",
            "<updated>2020-02-12T17:00:00+07:00</updated>",
            "<entry>",
            &format!("<id>{url}</id>"),
            "<published>2020-02-12T17:00:00+07:00</published>",
            "<summary>Ringkasan Pertemuan",
            "<link rel=\"enclosure\" type=\"image/jpeg\" href=\"http://127.0.0.1:8080/media/foto-640.jpg\" length=\"48213\"/>",
            "</entry>",
        ],
    );

    // A section's and a tag's feeds; later stories appear when their time comes.
    for feed in [
        "/dunia/rss.xml",
        "/dunia/atom.xml",
        "/topik/tokoh-satu/rss.xml",
    ] {
        let r = app.get(feed).await;
        assert_eq!(r.status, StatusCode::OK, "{feed}");
        assert_well_formed(&r.body);
        assert!(r.body.contains("Pertemuan Dua Pemimpin"), "{feed}");
    }
    app.advance(Duration::days(41));
    let tag = app.get("/topik/tokoh-satu/atom.xml").await;
    assert_well_formed(&tag.body);
    assert_in_order(
        &tag.body,
        &[
            "Berita Lanjutan 1",
            "Berita Lanjutan 2",
            "Berita Lanjutan 3",
            "Pertemuan Dua Pemimpin",
        ],
    );
    // "Korea Utara" tags only the first story.
    let place = app.get("/topik/korea-utara/rss.xml").await;
    assert!(!place.body.contains("Berita Lanjutan"), "{}", place.body);
}

#[tokio::test]
async fn feeds_escape_what_stories_contain() {
    let app = TestApp::new().await;
    app.store
        .upsert_section("dunia", "Dunia & <Luar>", 0)
        .await
        .expect("section");
    app.store
        .create_article(
            bare_story(
                "Harga \"naik\" & <turun>",
                "Kata ]]> dan </description> di ringkasan.",
                Vec::new(),
            ),
            t0(),
        )
        .await
        .expect("article");
    for feed in [
        "/rss.xml",
        "/atom.xml",
        "/dunia/rss.xml",
        "/sitemap-news.xml",
    ] {
        let r = app.get(feed).await;
        assert_eq!(r.status, StatusCode::OK, "{feed}");
        assert_well_formed(&r.body);
        assert!(
            r.body
                .contains("Harga &quot;naik&quot; &amp; &lt;turun&gt;"),
            "{feed}: {}",
            r.body
        );
    }
}

#[tokio::test]
async fn sitemaps_list_months_and_the_last_two_days() {
    let app = TestApp::new().await;
    let path = app.one_article(false).await;
    let url = format!("http://127.0.0.1:8080{path}");

    let index = app.get("/sitemap.xml").await;
    assert_eq!(index.status, StatusCode::OK);
    assert_well_formed(&index.body);
    assert!(
        index
            .body
            .contains("<loc>http://127.0.0.1:8080/sitemap-news.xml</loc>")
    );
    assert!(
        index.body.contains(
            "<loc>http://127.0.0.1:8080/sitemaps/2020-02.xml</loc><lastmod>2020-02-12T17:00:00+07:00</lastmod>"
        ),
        "{}",
        index.body
    );
    // Future stories (March 2020) are not listed yet.
    assert!(!index.body.contains("2020-03.xml"), "{}", index.body);

    let month = app.get("/sitemaps/2020-02.xml").await;
    assert_eq!(month.status, StatusCode::OK);
    assert_well_formed(&month.body);
    assert!(
        month.body.contains(&format!("<loc>{url}</loc>")),
        "{}",
        month.body
    );

    let news = app.get("/sitemap-news.xml").await;
    assert_well_formed(&news.body);
    assert_in_order(
        &news.body,
        &[
            &format!("<loc>{url}</loc>"),
            "<news:name>Warta</news:name><news:language>id</news:language>",
            "<news:publication_date>2020-02-12T17:00:00+07:00</news:publication_date>",
            "<news:title>Pertemuan Dua Pemimpin di Perbatasan</news:title>",
        ],
    );
    // Three days later the story has left the news sitemap, not the monthly one.
    app.advance(Duration::days(3));
    let news = app.get("/sitemap-news.xml").await;
    assert_well_formed(&news.body);
    assert!(!news.body.contains("<url>"), "{}", news.body);
    assert_eq!(
        app.get("/sitemaps/2020-02.xml").await.status,
        StatusCode::OK
    );

    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status, StatusCode::OK);
    assert!(
        robots
            .body
            .contains("Sitemap: http://127.0.0.1:8080/sitemap.xml\n")
    );
    assert!(
        robots
            .body
            .contains("Sitemap: http://127.0.0.1:8080/sitemap-news.xml\n")
    );
}

#[tokio::test]
async fn unknown_feeds_and_sitemaps_are_404s() {
    let app = TestApp::new().await;
    app.one_article(false).await;
    for path in [
        "/dunia/feed.json",
        "/dunia/rss",
        "/tiada/rss.xml",
        "/topik/tiada/atom.xml",
        "/topik/tokoh-satu/feed.xml",
        "/sitemaps/2020-13.xml",
        "/sitemaps/1999-01.xml",
        "/sitemaps/2020-02",
        "/sitemaps/../sitemap.xml",
        "/sitemap.xml.gz",
    ] {
        assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
}

/// The page's JSON-LD, parsed.
fn json_ld(page: &str) -> serde_json::Value {
    let start = page
        .find("<script type=\"application/ld+json\">")
        .expect("a JSON-LD script")
        + "<script type=\"application/ld+json\">".len();
    let end = start + page[start..].find("</script>").expect("its end");
    serde_json::from_str(&page[start..end]).expect("JSON-LD parses")
}

#[tokio::test]
async fn article_pages_carry_news_article_data_and_social_tags() {
    let app = TestApp::new().await;
    let path = app.one_article(false).await;
    let url = format!("http://127.0.0.1:8080{path}");
    let page = app.get(&path).await.body;
    let ld = json_ld(&page);
    let article = &ld[0];
    assert_eq!(article["@type"], "NewsArticle");
    assert_eq!(article["headline"], "Pertemuan Dua Pemimpin di Perbatasan");
    assert_eq!(article["url"], url.as_str());
    assert_eq!(article["datePublished"], "2020-02-12T17:00:00+07:00");
    assert_eq!(article["dateModified"], "2020-02-12T17:00:00+07:00");
    assert_eq!(article["image"][0], "http://127.0.0.1:8080/media/foto.jpg");
    assert_eq!(article["author"][0]["name"], "Dimas Pratama");
    assert_eq!(article["publisher"]["name"], "Warta");
    assert_eq!(article["articleSection"], "Dunia");
    assert_eq!(article["keywords"][1], "Korea Utara");
    let crumbs = &ld[1];
    assert_eq!(crumbs["@type"], "BreadcrumbList");
    assert_eq!(
        crumbs["itemListElement"][1]["item"],
        "http://127.0.0.1:8080/dunia"
    );
    assert_eq!(crumbs["itemListElement"][2]["item"], url.as_str());
    for tag in [
        "<meta property=\"og:type\" content=\"article\">".to_owned(),
        format!("<meta property=\"og:url\" content=\"{url}\">"),
        "<meta property=\"og:image\" content=\"http://127.0.0.1:8080/media/foto.jpg\">".into(),
        "<meta name=\"twitter:card\" content=\"summary_large_image\">".into(),
        "<meta property=\"article:published_time\" content=\"2020-02-12T17:00:00+07:00\">".into(),
        "<meta property=\"article:tag\" content=\"Tokoh Satu\">".into(),
        "<meta property=\"og:locale\" content=\"id_ID\">".into(),
    ] {
        assert!(page.contains(&tag), "missing {tag}");
    }
    // Lists are websites, without article data.
    let home = app.get("/").await.body;
    assert!(home.contains("<meta property=\"og:type\" content=\"website\">"));
    assert!(!home.contains("application/ld+json"));
}

#[tokio::test]
async fn json_ld_cannot_be_broken_out_of() {
    let app = TestApp::new().await;
    app.store
        .upsert_section("dunia", "Dunia", 0)
        .await
        .expect("section");
    let hostile = "</script><script>alert(1)</script><!-- & \"kutip\"";
    let a = app
        .store
        .create_article(
            bare_story(
                hostile,
                hostile,
                vec![TagRef {
                    kind: TagKind::Topic,
                    name: "Tag </script>".into(),
                }],
            ),
            t0(),
        )
        .await
        .expect("article");
    let page = app.get(&format!("/dunia/2020/02/12/{}", a.slug)).await.body;
    assert!(page.contains("data-test=\"headline\""), "{page}");
    // One script element only: none of the text closed it or opened another.
    assert_eq!(
        page.matches("<script").count(),
        page.matches("</script>").count()
    );
    assert!(!page.contains("<script>alert"), "{page}");
    let ld = json_ld(&page);
    assert_eq!(ld[0]["headline"], hostile);
    assert_eq!(ld[0]["keywords"][0], "Tag </script>");
}

#[tokio::test]
async fn pages_revalidate_with_etags_and_name_what_they_show() {
    let app = TestApp::new().await;
    let path = app.one_article(false).await;
    let first = app.get(&path).await;
    assert_eq!(first.status, StatusCode::OK);
    let tag = first.headers[header::ETAG]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(tag.starts_with("W/\""), "{tag}");
    assert_eq!(
        first.headers[header::LAST_MODIFIED],
        "Wed, 12 Feb 2020 10:00:00 GMT"
    );
    // An article page names the stories it shows, not its section's or tags' lists.
    let keys = first.headers["surrogate-key"].to_str().expect("ascii");
    let keys: Vec<&str> = keys.split(' ').collect();
    assert!(keys.iter().all(|k| k.starts_with("article-")), "{keys:?}");
    assert!(!keys.is_empty());

    // The same copy: 304, no body. Another tag, or none: the page.
    let again = app.get_with(&path, &[("if-none-match", &tag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.headers[header::ETAG], tag.as_str());
    let other = app
        .get_with(&path, &[("if-none-match", "W/\"0-00000000\"")])
        .await;
    assert_eq!(other.status, StatusCode::OK);
    // A date alone never answers 304: the related block and ages change without one.
    let since = app
        .get_with(
            &path,
            &[("if-modified-since", "Thu, 01 Jan 2037 00:00:00 GMT")],
        )
        .await;
    assert_eq!(since.status, StatusCode::OK);

    // An hour later the home page's ages read differently: a new tag, and the old one
    // gets the page.
    let home = app.get("/").await;
    let home_tag = home.headers[header::ETAG]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(
        app.get_with("/", &[("if-none-match", &home_tag)])
            .await
            .status,
        StatusCode::NOT_MODIFIED
    );
    app.advance(Duration::hours(1));
    let later = app.get_with("/", &[("if-none-match", &home_tag)]).await;
    assert_eq!(later.status, StatusCode::OK);
    assert_ne!(later.headers[header::ETAG], home_tag.as_str());

    // Lists, feeds and sitemaps carry their keys too, and each story they show;
    // errors carry no validator.
    let story = keys
        .iter()
        .find(|k| k.starts_with("article-"))
        .expect("story key")
        .to_string();
    let keys_of = |r: &Reply| -> Vec<String> {
        r.headers["surrogate-key"]
            .to_str()
            .expect("ascii")
            .split(' ')
            .map(str::to_owned)
            .collect()
    };
    let home = app.get("/").await;
    assert_eq!(keys_of(&home), vec![story.clone(), "home".into()]);
    assert!(home.headers.contains_key(header::ETAG));
    assert_eq!(
        keys_of(&app.get("/dunia").await),
        vec![story.clone(), "section-dunia".into()]
    );
    assert_eq!(
        keys_of(&app.get("/topik/tokoh-satu/rss.xml").await),
        vec!["feeds".to_owned(), "tag-tokoh-satu".into(), story]
    );
    assert_eq!(
        app.get("/sitemap.xml").await.headers["surrogate-key"],
        "sitemaps"
    );
    let missing = app.get("/tiada-halaman-ini").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(!missing.headers.contains_key(header::ETAG));
}

async fn with_key(app: &TestApp, uri: &str, auth: &str) -> Reply {
    app.get_with(uri, &[("authorization", auth)]).await
}

/// A live key for the Content API, stored in the app's store.
async fn api_key(app: &TestApp, name: &str) -> String {
    let (key, hash) = warta_web::content_api::new_key().expect("key");
    app.store
        .add_api_key(name, &hash, Utc::now())
        .await
        .expect("add key");
    key
}

fn json(r: &Reply) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body))
}

#[tokio::test]
async fn the_content_api_answers_partners_with_a_key() {
    let app = TestApp::new().await;
    let path = app.one_article(false).await;
    let key = api_key(&app, "mitra").await;
    let auth = format!("Bearer {key}");

    let list = with_key(&app, "/api/v1/articles", &auth).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let list = json(&list);
    assert_eq!(list["total"], 1, "{list}");
    let first = &list["articles"][0];
    assert_eq!(first["headline"], "Pertemuan Dua Pemimpin di Perbatasan");
    assert_eq!(first["url"], format!("http://127.0.0.1:8080{path}"));
    assert_eq!(first["published_at"], "2020-02-12T17:00:00+07:00");
    assert_eq!(first["image"], "http://127.0.0.1:8080/media/foto.jpg");

    let id = first["id"].as_i64().expect("id");
    let one = json(&with_key(&app, &format!("/api/v1/articles/{id}"), &auth).await);
    assert_eq!(one["section"]["slug"], "dunia");
    assert_eq!(one["tags"][0]["name"], "Tokoh Satu");
    assert_eq!(one["tags"][0]["kind"], "person");
    assert_eq!(one["authors"][0]["slug"], "dimas");
    assert_eq!(one["body"][0]["type"], "paragraph");
    assert_eq!(one["body"][0]["html"], "Paragraf pembuka berita.");

    // The X-Api-Key header works too; filters narrow; future stories stay hidden.
    let by_tag = app
        .get_with(
            "/api/v1/articles?tag=tokoh-satu&per_page=5",
            &[("x-api-key", &key)],
        )
        .await;
    assert_eq!(json(&by_tag)["total"], 1);
    assert_eq!(
        json(&with_key(&app, "/api/v1/sections", &auth).await)[0]["slug"],
        "dunia"
    );
    assert_eq!(
        json(&with_key(&app, "/api/v1/authors", &auth).await)[0]["name"],
        "Dimas Pratama"
    );
    assert_eq!(
        json(&with_key(&app, "/api/v1/tags/korea-utara", &auth).await)["kind"],
        "place"
    );

    // The OpenAPI document needs no key and describes every path.
    let doc = app.get("/api/v1/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = json(&doc);
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    for p in [
        "/api/v1/articles",
        "/api/v1/articles/{id}",
        "/api/v1/sections",
        "/api/v1/authors",
        "/api/v1/tags/{slug}",
        "/api/v1/search",
    ] {
        assert!(doc["paths"][p]["get"].is_object(), "{p} missing");
    }
}

#[tokio::test]
async fn the_content_api_refuses_bad_keys_and_bad_parameters_in_json() {
    let app = TestApp::new().await;
    app.one_article(false).await;
    let key = api_key(&app, "mitra").await;
    let auth = format!("Bearer {key}");
    let check = |r: Reply, status: StatusCode, says: &str| {
        assert_eq!(r.status, status, "{}", r.body);
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/json");
        let e = json(&r)["error"].as_str().expect("error").to_owned();
        assert!(e.contains(says), "`{e}` does not say `{says}`");
    };
    check(
        app.get("/api/v1/articles").await,
        StatusCode::UNAUTHORIZED,
        "API key is needed",
    );
    check(
        app.get_with("/api/v1/sections", &[("authorization", "Bearer wk_palsu")])
            .await,
        StatusCode::UNAUTHORIZED,
        "not valid",
    );
    for (uri, says) in [
        ("/api/v1/articles?per_page=0", "per_page"),
        ("/api/v1/articles?per_page=500", "per_page"),
        ("/api/v1/articles?page=0", "page"),
        ("/api/v1/articles?page=2147483648", "page"),
        ("/api/v1/articles?page=abc", "cannot be read"),
        ("/api/v1/articles?section=dunia&tag=x", "at most one"),
        ("/api/v1/articles/abc", "not an article id"),
    ] {
        check(
            app.get_with(uri, &[("authorization", &auth)]).await,
            StatusCode::BAD_REQUEST,
            says,
        );
    }
    for (uri, says) in [
        ("/api/v1/articles?section=tiada", "section `tiada`"),
        ("/api/v1/articles/99999", "no article 99999"),
        ("/api/v1/tags/tiada", "tag `tiada`"),
    ] {
        check(
            app.get_with(uri, &[("authorization", &auth)]).await,
            StatusCode::NOT_FOUND,
            says,
        );
    }
    // A story published later is not there yet.
    let later = app
        .store
        .list(
            warta_store::ListFilter::All,
            1,
            50,
            t0() + Duration::days(60),
        )
        .await
        .expect("list");
    let future = later
        .items
        .iter()
        .find(|a| a.published_at > t0())
        .expect("a later story");
    let uri = format!("/api/v1/articles/{}", future.id);
    check(
        app.get_with(&uri, &[("authorization", &auth)]).await,
        StatusCode::NOT_FOUND,
        "no article",
    );

    // Revoked: refused with that reason.
    app.store
        .revoke_api_keys("mitra", Utc::now())
        .await
        .expect("revoke");
    check(
        app.get_with("/api/v1/sections", &[("authorization", &auth)])
            .await,
        StatusCode::UNAUTHORIZED,
        "revoked",
    );
}

#[tokio::test]
async fn each_api_key_has_its_own_rate() {
    let app = TestApp::new().await;
    let busy = api_key(&app, "sibuk").await;
    let calm = api_key(&app, "tenang").await;
    // The default rate: 600 a minute, bursts of 60.
    let mut refused = None;
    for n in 1..=70 {
        let r = app
            .get_with("/api/v1/sections", &[("x-api-key", &busy)])
            .await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some((n, r));
            break;
        }
        assert_eq!(r.status, StatusCode::OK, "call {n}: {}", r.body);
    }
    let (n, r) = refused.expect("refused within 70 calls");
    assert!(n > 60, "refused at call {n}");
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    assert!(
        json(&r)["error"]
            .as_str()
            .is_some_and(|e| e.contains("too many calls"))
    );
    // Another partner is not slowed by it.
    let other = app
        .get_with("/api/v1/sections", &[("x-api-key", &calm)])
        .await;
    assert_eq!(other.status, StatusCode::OK);
}

#[tokio::test]
async fn feeds_carry_whole_stories_when_the_site_says_so() {
    let app = TestApp::new().await;
    app.one_article(false).await;
    // Ledes only, by default.
    assert!(!app.get("/rss.xml").await.body.contains("content:encoded>"));
    let mut settings = app.store.settings().await.expect("settings");
    settings.feed_full_text = true;
    app.store.save_settings(&settings).await.expect("save");
    // As `follow_site` does every 500 ms: the settings show on every page.
    app.state.catch_up().await;
    let rss = app.get("/rss.xml").await;
    assert_well_formed(&rss.body);
    assert_in_order(
        &rss.body,
        &[
            "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"",
            "<content:encoded>&lt;p&gt;Paragraf pembuka berita.&lt;/p&gt;",
            "&lt;h2&gt;Sub judul&lt;/h2&gt;",
            "&lt;figcaption&gt;Foto kedua di tengah berita. (KANTOR BERITA)&lt;/figcaption&gt;",
            // Text that merely looks like markup stays text.
            "Paragraf keempat dengan &amp;lt;b&amp;gt;tebal",
            "</content:encoded>",
        ],
    );
    assert!(
        rss.body
            .contains("src=&quot;http://127.0.0.1:8080/media/foto.jpg&quot;")
    );
    let atom = app.get("/atom.xml").await;
    assert_well_formed(&atom.body);
    assert!(
        atom.body
            .contains("<content type=\"html\">&lt;p&gt;Paragraf pembuka berita.&lt;/p&gt;"),
        "{}",
        atom.body
    );
}

/// `/readyz`'s checks by name: `(ok, detail)`.
fn readiness(r: &Reply) -> Vec<(String, bool, String)> {
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    v["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or("").to_owned(),
                c["ok"].as_bool().unwrap_or(false),
                c["detail"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn failing(r: &Reply) -> Vec<String> {
    readiness(r)
        .into_iter()
        .filter(|c| !c.1)
        .map(|c| c.0)
        .collect()
}

#[tokio::test]
async fn health_and_readiness_say_what_holds() {
    let app = TestApp::new().await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.body, "ok\n");
    assert_eq!(health.headers[header::CACHE_CONTROL], "no-store");

    // Written at t0 and asked at t0: nobody is behind yet.
    app.one_article(false).await;
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert_eq!(ready.headers[header::CACHE_CONTROL], "no-store");
    let names: Vec<String> = readiness(&ready).into_iter().map(|c| c.0).collect();
    assert_eq!(names, ["database", "search", "related"]);

    // Ten seconds on, search has not read the log: not ready, and it says why.
    app.advance(Duration::seconds(10));
    let r = app.get("/readyz").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(failing(&r), ["search"], "{}", r.body);
    assert!(r.body.contains("10 s behind"), "{}", r.body);
    app.index().await;
    assert_eq!(app.get("/readyz").await.status, StatusCode::OK);

    // Eleven minutes on, the related lists have not followed (ten are allowed).
    app.advance(Duration::minutes(11));
    let r = app.get("/readyz").await;
    assert_eq!(failing(&r), ["related"], "{}", r.body);
    let last = app.store.last_change().await.expect("last");
    app.store.set_related_cursor(last).await.expect("cursor");
    assert_eq!(app.get("/readyz").await.status, StatusCode::OK);

    // The database gone: 503 at once, everything named; the process still answers.
    app.store.close().await;
    let r = app.get("/readyz").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(failing(&r), ["database", "search", "related"], "{}", r.body);
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}
