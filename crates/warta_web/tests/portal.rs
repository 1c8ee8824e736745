//! The reader's portal, second half (issue #30): the Indeks, the publication's own
//! pages edited in the newsroom and listed in every footer, one namespace for pages
//! and sections, the site icon, "Baca juga", photo focal points and feed enclosures.

#[path = "support/desk.rs"]
mod desk;
use desk::*;

use axum::http::StatusCode;
use chrono::Duration;
use warta_core::newsroom::Role;

/// The texts of every element matching `css`.
fn texts(html: &str, css: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(css).expect("selector");
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

#[tokio::test]
async fn the_indeks_lists_one_days_stories_newest_first_and_filters_a_section() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    // t0 is 2026-12-02 03:00 UTC: 10:00 WIB. Two stories that day, then one the next
    // day (past midnight in Jakarta, still the 2nd in UTC).
    let a = ed.write("Rapat Kabinet Bahas Anggaran", "Isi.").await;
    ed.act(a, "publish", &[]).await;
    app.advance(Duration::hours(2));
    let b = ed.write("Harga Cabai Turun di Pasar", "Isi.").await;
    ed.act(b, "publish", &[]).await;
    app.advance(Duration::hours(12));
    // A new day, a new login (sessions end after hours idle).
    let mut ed = app.login("ed@warta.test").await;
    let c = ed.write("Gerhana Terlihat Dini Hari", "Isi.").await;
    ed.act(c, "publish", &[]).await;

    let mut reader = app.browser();
    let day = reader.get("/indeks/2026-12-02").await;
    assert_eq!(day.status, StatusCode::OK, "{}", day.body);
    let lines = texts(&day.body, "[data-test=index-item] .hl");
    assert_eq!(
        lines,
        ["Harga Cabai Turun di Pasar", "Rapat Kabinet Bahas Anggaran"],
        "the 2nd in Jakarta, newest first"
    );
    assert_eq!(
        texts(&day.body, "[data-test=index-item] time"),
        ["12:00 WIB", "10:00 WIB"]
    );
    assert!(texts(&day.body, "h1")[0].contains("Rabu, 2 Desember 2026"));
    assert!(day.body.contains("href=\"/indeks/2026-12-03\""), "next day");
    assert!(
        day.body.contains("href=\"/indeks/2026-12-01\""),
        "previous day"
    );
    // Today (the 3rd in Jakarta) is `/indeks`, with no link to a day to come.
    let today = reader.get("/indeks").await;
    assert_eq!(
        texts(&today.body, "[data-test=index-item] .hl"),
        ["Gerhana Terlihat Dini Hari"]
    );
    assert!(
        !today.body.contains("data-test=\"next-day\""),
        "no tomorrow"
    );
    assert!(
        today.body.contains("max=\"2026-12-03\""),
        "the picker stops today"
    );
    // The date picker without script: a form sent to `/indeks`.
    let sent = reader.get("/indeks?tanggal=2026-12-02&kanal=").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(sent.location(), "/indeks/2026-12-02");
    // A section: the stories write() puts in `nasional`; another section has none.
    let other = app
        .store
        .sections()
        .await
        .expect("sections")
        .into_iter()
        .find(|s| s.slug != "nasional")
        .expect("another section");
    let none = reader
        .get(&format!("/indeks/2026-12-02?kanal={}", other.slug))
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(
        none.body.contains("data-test=\"index-empty\""),
        "{}",
        none.body
    );
    for bad in [
        "/indeks/2026-02-30",
        "/indeks/kemarin",
        "/indeks/2026-12-02?kanal=tidak-ada",
    ] {
        assert_eq!(reader.get(bad).await.status, StatusCode::NOT_FOUND, "{bad}");
    }
    assert_eq!(
        reader.get("/indeks?tanggal=02-12-2026").await.status,
        StatusCode::BAD_REQUEST
    );
    // In the sitemap index: every day with stories, newest first.
    let index = reader.get("/sitemap.xml").await;
    assert!(
        index.body.contains("/sitemaps/indeks.xml</loc>"),
        "{}",
        index.body
    );
    let days = reader.get("/sitemaps/indeks.xml").await;
    assert_eq!(days.status, StatusCode::OK);
    let locs: Vec<&str> = days
        .body
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .collect();
    let paths: Vec<&str> = locs
        .iter()
        .filter_map(|l| l.find("/indeks/").map(|i| &l[i..]))
        .collect();
    assert_eq!(
        paths,
        ["/indeks/2026-12-03", "/indeks/2026-12-02"],
        "{}",
        days.body
    );
    // Linked from every page's masthead.
    assert!(
        reader
            .get("/")
            .await
            .body
            .contains("data-test=\"nav-index\"")
    );
}

#[tokio::test]
async fn a_page_written_in_the_newsroom_is_served_and_listed_in_every_footer() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi", Role::Editor).await;
    app.add_user("kon@warta.test", "Kon", Role::Contributor)
        .await;
    let mut ed = app.login("ed@warta.test").await;
    let mut reader = app.browser();
    let before = reader.get("/").await;
    assert!(
        !before.body.contains("data-test=\"footer-pages\""),
        "no pages yet"
    );

    let r = ed
        .submit(
            "/admin/pages/new",
            &[
                ("title", "Pedoman Media Siber"),
                ("slug", ""),
                ("position", "1"),
                ("body", "Kami memeriksa setiap berita.\n\n## Ralat\n\n- Koreksi dimuat di berita yang sama"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.location().starts_with("/admin/pages/"),
        "{}",
        r.location()
    );
    let page = reader.get("/pedoman-media-siber").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(texts(&page.body, "h1"), ["Pedoman Media Siber"]);
    assert!(page.body.contains("<h2>Ralat</h2>"), "{}", page.body);
    assert!(
        page.body
            .contains("<li>Koreksi dimuat di berita yang sama</li>")
    );
    // Every page's footer lists it, the home page included (its cache dropped).
    let home = reader.get("/").await;
    assert_eq!(
        texts(&home.body, "[data-test=footer-pages] a"),
        ["Pedoman Media Siber"]
    );
    // A second page, placed before it.
    let r = ed
        .submit(
            "/admin/pages/new",
            &[
                ("title", "Redaksi"),
                ("slug", "redaksi"),
                ("position", "0"),
                ("body", "Pemimpin Redaksi: Rina."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let home = reader.get("/").await;
    assert_eq!(
        texts(&home.body, "[data-test=footer-pages] a"),
        ["Redaksi", "Pedoman Media Siber"]
    );

    // One namespace: a section's slug, a reserved name or another page's is refused
    // with the field named, and nothing is written.
    for taken in ["nasional", "indeks", "redaksi"] {
        let r = ed
            .submit(
                "/admin/pages/new",
                &[
                    ("title", "Lain"),
                    ("slug", taken),
                    ("position", "3"),
                    ("body", "Isi."),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{taken}");
        assert!(r.body.contains(&format!("/{taken}")), "{taken}: {}", r.body);
        assert!(
            r.body.contains("value=\"Lain\""),
            "the form keeps what was typed"
        );
    }
    assert_eq!(app.store.site_pages().await.expect("pages").len(), 2);
    let err = app
        .store
        .upsert_section("redaksi", "Redaksi", 9)
        .await
        .expect_err("a page holds it");
    assert!(err.to_string().contains("/redaksi"), "{err}");
    let mut adm = {
        app.add_user("adm@warta.test", "Adi", Role::Admin).await;
        app.login("adm@warta.test").await
    };
    let r = adm
        .submit(
            "/admin/sections",
            &[("slug", "redaksi"), ("name", "Redaksi"), ("position", "5")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("/redaksi"), "{}", r.body);

    // Contributors do not edit the publication's pages.
    let mut kon = app.login("kon@warta.test").await;
    assert_eq!(kon.get("/admin/pages").await.status, StatusCode::FORBIDDEN);

    // Deleted: gone from the site and from the footer.
    let id = app
        .store
        .site_page_by_slug("redaksi")
        .await
        .expect("q")
        .expect("page")
        .id;
    let r = ed
        .submit(&format!("/admin/pages/{id}"), &[("action", "delete")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(reader.get("/redaksi").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        texts(&reader.get("/").await.body, "[data-test=footer-pages] a"),
        ["Pedoman Media Siber"]
    );
}

#[tokio::test]
async fn the_site_icon_is_served_and_named_in_every_page() {
    let app = App::new().await;
    let mut reader = app.browser();
    let r = reader.get("/favicon.ico").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "image/vnd.microsoft.icon");
    let home = reader.get("/").await;
    let svg = home
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/static/icon-") && h.ends_with(".svg"))
        .expect("the SVG icon is linked")
        .to_owned();
    let r = reader.get(&svg).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with("<svg"), "{}", r.body);
}

#[tokio::test]
async fn a_photos_focal_point_is_saved_and_crops_keep_it() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let csrf = ed.csrf.clone();
    let r = ed
        .upload(
            &[
                ("csrf", &csrf),
                ("caption", "Pasar"),
                ("alt", "Pedagang cabai"),
            ],
            Some(("a.png", &png(320, 240))),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let m = app.store.media_library("", 1, 5).await.expect("lib").items[0].clone();
    assert_eq!((m.focus_x, m.focus_y), (50, 50), "the centre by default");
    for bad in [("120", "30"), ("20", ""), ("kiri", "30")] {
        let r = ed
            .submit(
                &format!("/admin/photos/{}", m.id),
                &[
                    ("alt", "Pedagang cabai"),
                    ("focus_x", bad.0),
                    ("focus_y", bad.1),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(r.body.contains("Titik fokus"), "{}", r.body);
    }
    let r = ed
        .submit(
            &format!("/admin/photos/{}", m.id),
            &[
                ("alt", "Pedagang cabai"),
                ("focus_x", "20"),
                ("focus_y", "35"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let m = app.store.media(m.id).await.expect("q").expect("m");
    assert_eq!((m.focus_x, m.focus_y), (20, 35));
    // A story with it as its hero: the home page's crop keeps the point in view.
    let id = ed.write("Pedagang Cabai Bertahan", "Isi.").await;
    ed.act(id, "save", &[("hero", &m.id.to_string())]).await;
    ed.act(id, "publish", &[]).await;
    let home = app.browser().get("/").await;
    assert!(
        home.body.contains("style=\"object-position: 20% 35%\""),
        "{}",
        home.body
    );
}

/// A multipart body with the CSRF token and files under their own field names.
fn identity_form(csrf: &str, files: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "----wartaIdentity";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .into_bytes();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.png\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn an_admin_sets_the_logo_and_the_icon_and_a_bad_file_changes_nothing() {
    let app = App::new().await;
    app.add_user("adm@warta.test", "Adi", Role::Admin).await;
    let mut adm = app.login("adm@warta.test").await;
    let csrf = adm.csrf.clone();
    let (ct, body) = identity_form(&csrf, &[("logo", png(300, 60)), ("icon", png(64, 64))]);
    let r = app
        .send(adm.request("POST", "/admin/site/identity", &ct, body))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = app.store.settings().await.expect("settings");
    assert!(
        s.logo.starts_with("logo-") && s.logo.ends_with(".png"),
        "{}",
        s.logo
    );
    assert_eq!((s.logo_width, s.logo_height), (300, 60));
    assert!(s.icon.starts_with("icon-"), "{}", s.icon);
    let mut reader = app.browser();
    let home = reader.get("/").await;
    assert!(
        home.body.contains(&format!(
            "<img src=\"/media/{}\" alt=\"Warta\" width=\"240\" height=\"48\">",
            s.logo
        )),
        "{}",
        home.body
    );
    assert!(home.body.contains(&format!(
        "<link rel=\"apple-touch-icon\" href=\"/media/{}\">",
        s.icon
    )));
    let ico = reader.get("/favicon.ico").await;
    assert_eq!(ico.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(ico.location(), format!("/media/{}", s.icon));

    // A saved settings form keeps them.
    let r = adm
        .submit(
            "/admin/site",
            &[
                ("name", "Warta"),
                ("tagline", "Berita terkini"),
                ("dateline_brand", "WARTA"),
                ("time_zone", "Asia/Jakarta"),
                ("language", "id"),
                ("sunday", "Minggu"),
                ("ad_first_after", "3"),
                ("ad_every", "5"),
                ("page_size", "12"),
                ("base_url", "http://127.0.0.1:8080"),
                ("read_also_after", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = app.store.settings().await.expect("s");
    assert_eq!(s.tagline, "Berita terkini");
    assert!(
        s.logo.starts_with("logo-") && s.icon.starts_with("icon-"),
        "kept"
    );

    // An icon that is not square, or an SVG: refused, named, nothing changed.
    for (name, bytes, says) in [
        ("icon", png(64, 32), "64 × 32"),
        (
            "logo",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
            "PNG atau WebP",
        ),
    ] {
        let (ct, body) = identity_form(&csrf, &[("logo", png(200, 50)), (name, bytes)]);
        let r = app
            .send(adm.request("POST", "/admin/site/identity", &ct, body))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(r.body.contains(says), "{}", r.body);
        assert_eq!(app.store.settings().await.expect("s"), s);
    }
}
