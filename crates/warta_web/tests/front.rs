//! The front page as editors run it (issue #29): the main headline, secondary ones,
//! "Pilihan Editor" and the order of the section blocks, set in the newsroom and shown
//! on the reader's home page at once; a story taken down leaves its slot to the
//! newest one; a bad choice is refused and changes nothing.

#[path = "support/desk.rs"]
mod desk;
use desk::*;

use axum::http::StatusCode;
use chrono::Duration;
use warta_core::newsroom::Role;

/// The text of the first element carrying `data-test="{name}"` (tags stripped).
fn part(html: &str, name: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(&format!("[data-test=\"{name}\"]")).expect("selector");
    doc.select(&sel)
        .next()
        .map(|e| e.text().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// The headings of the home page's section blocks, in order.
fn block_order(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("[data-test=\"section-block\"] h2").expect("selector");
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

#[tokio::test]
async fn an_editor_sets_the_main_headline_and_the_home_page_follows() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi", Role::Editor).await;
    app.add_user("kon@warta.test", "Kon", Role::Contributor)
        .await;
    let mut ed = app.login("ed@warta.test").await;
    let mut ids = Vec::new();
    for headline in [
        "Gempa Guncang Cianjur",
        "Harga Beras Naik Lagi",
        "Timnas Lolos ke Final",
        "Banjir Rendam Semarang",
    ] {
        let id = ed.write(headline, "Isi berita.").await;
        let r = ed.act(id, "publish", &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        ids.push(id);
        app.advance(Duration::minutes(5));
    }
    let mut reader = app.browser();
    let home = reader.get("/").await;
    assert!(
        part(&home.body, "top-story").contains("Banjir Rendam Semarang"),
        "the newest story leads by default"
    );
    assert!(
        !home.body.contains("data-test=\"picks\""),
        "no picks: no row"
    );
    // The editor picks the oldest story as the headline, one secondary and a pick,
    // and puts Dunia's block before Nasional's.
    let page = ed.get("/admin/front").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Gempa Guncang Cianjur"), "{}", page.body);
    let nasional = app
        .store
        .sections()
        .await
        .expect("sections")
        .into_iter()
        .map(|s| (s.slug.clone(), s.id))
        .collect::<std::collections::HashMap<_, _>>();
    let (main, second, pick) = (ids[0].to_string(), ids[2].to_string(), ids[1].to_string());
    let (pos_n, pos_d) = (
        format!("pos_{}", nasional["nasional"]),
        format!("pos_{}", nasional["dunia"]),
    );
    let r = ed
        .submit(
            "/admin/front",
            &[
                ("main", &main),
                ("secondary", &second),
                ("secondary", "0"),
                ("pick", &pick),
                (&pos_n, "2"),
                (&pos_d, "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let saved = ed.get(r.location()).await;
    assert!(
        saved.body.contains("Halaman depan disimpan"),
        "{}",
        saved.body
    );
    // The reader's home page shows it at once (the cached copy was dropped).
    let home = reader.get("/").await;
    assert!(
        part(&home.body, "top-story").contains("Gempa Guncang Cianjur"),
        "{}",
        part(&home.body, "top-story")
    );
    let secondary = part(&home.body, "secondary");
    assert!(secondary.contains("Timnas Lolos ke Final"), "{secondary}");
    assert!(
        secondary.contains("Banjir Rendam Semarang"),
        "empty secondary slots fill with the newest: {secondary}"
    );
    assert!(part(&home.body, "picks").contains("Harga Beras Naik Lagi"));
    assert!(part(&home.body, "picks").contains("Pilihan Editor"));
    // Unpublished: the headline falls back to the newest story.
    let r = ed.act(ids[0], "unpublish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let home = reader.get("/").await;
    let top = part(&home.body, "top-story");
    assert!(!top.contains("Gempa Guncang Cianjur"), "{top}");
    assert!(top.contains("Banjir Rendam Semarang"), "{top}");
    // The editor sees that the slot's story is gone.
    let page = ed.get("/admin/front").await;
    assert!(page.body.contains("tidak tampil lagi"), "{}", page.body);
    // Contributors do not arrange the front page.
    let mut kon = app.login("kon@warta.test").await;
    assert_eq!(kon.get("/admin/front").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn section_blocks_follow_the_editors_order() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    for (headline, section) in [("Sidang DPR", "nasional"), ("Pemilu di Jepang", "dunia")] {
        let id = ed.write(headline, "Isi.").await;
        let r = ed.act(id, "publish", &[("section", section)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let mut reader = app.browser();
    assert_eq!(
        block_order(&reader.get("/").await.body),
        vec!["Nasional", "Dunia"]
    );
    let sections = app.store.sections().await.expect("sections");
    let dunia = sections.iter().find(|s| s.slug == "dunia").expect("dunia");
    let r = ed
        .submit("/admin/front", &[(&format!("pos_{}", dunia.id), "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        block_order(&reader.get("/").await.body),
        vec!["Dunia", "Nasional"]
    );
}

#[tokio::test]
async fn a_bad_choice_is_refused_and_changes_nothing() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed.write("Jalan Tol Baru Dibuka", "Isi.").await;
    ed.act(id, "publish", &[]).await;
    let r = ed
        .submit("/admin/front", &[("main", &id.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A story that does not exist, and a number that is not one.
    let r = ed.submit("/admin/front", &[("main", "99999")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(part(&r.body, "message").contains("99999"), "{}", r.body);
    let r = ed.submit("/admin/front", &[("pick", "tujuh")]).await;
    assert!(part(&r.body, "message").contains("tujuh"), "{}", r.body);
    assert_eq!(
        app.store.front_page().await.expect("front").main,
        Some(id),
        "the earlier arrangement stands"
    );
}
