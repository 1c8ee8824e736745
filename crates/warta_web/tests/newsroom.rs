//! The newsroom (`/admin`) through the router, without a socket: accounts, sessions,
//! CSRF, the workflow, revisions, conflicts, photos, and the two tables the issue asks
//! for (authorisation per role and route; XSS vectors through every field).

#[path = "support/desk.rs"]
mod desk;
use desk::*;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, Duration, Utc};
use warta_core::newsroom::Role;
use warta_core::{SiteSettings, Status};

#[tokio::test]
async fn the_first_admin_is_made_once_on_the_first_run_page() {
    let app = App::new().await;
    let mut b = app.browser();
    let r = b.get("/admin").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/admin/login"), "{}", r.location());
    let r = b.get("/admin/login").await;
    assert_eq!(r.location(), "/admin/setup");
    let page = b.get("/admin/setup").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("name=\"token\""));
    // Bad input: a forged token, a short password.
    let r = b
        .post(
            "/admin/setup",
            &[
                ("name", "Ana"),
                ("email", "ana@warta.test"),
                ("password", PASSWORD),
                ("token", "palsu"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let token = field(&r.body, "token");
    let r = b
        .post(
            "/admin/setup",
            &[
                ("name", "Ana"),
                ("email", "ana@warta.test"),
                ("password", "pendek"),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Kata sandi paling sedikit 10 karakter."),
        "{}",
        r.body
    );
    assert_eq!(app.store.user_count().await.expect("count"), 0);
    let token = field(&r.body, "token");
    let r = b
        .post(
            "/admin/setup",
            &[
                ("name", "Ana"),
                ("email", "Ana@Warta.test"),
                ("password", PASSWORD),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let cookie = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().expect("ascii").to_owned())
        .find(|c| c.starts_with("warta_session="))
        .expect("session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP: no Secure flag");
    let desk = b.get("/admin").await;
    assert_eq!(desk.status, StatusCode::OK);
    assert!(desk.body.contains("data-test=\"nav-users\""));
    // The page is gone once an account exists.
    let mut other = app.browser();
    assert_eq!(other.get("/admin/setup").await.location(), "/admin/login");
    let (u, _) = app
        .store
        .user_by_email("ana@warta.test")
        .await
        .expect("read")
        .expect("user");
    assert_eq!(u.role, Role::Admin);
}

#[tokio::test]
async fn wrong_passwords_are_refused_and_throttled_per_account() {
    let app = App::new().await;
    app.add_user("rina@warta.test", "Rina", Role::Editor).await;
    app.add_user("sari@warta.test", "Sari", Role::Editor).await;
    let mut b = app.browser();
    for i in 0..5 {
        let r = b.try_login("rina@warta.test", "salah-salah-salah").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
        assert!(r.body.contains("Surel atau kata sandi salah."));
        assert!(
            !r.headers
                .get_all(header::SET_COOKIE)
                .iter()
                .any(|c| { c.to_str().unwrap_or("").starts_with("warta_session=") })
        );
    }
    // Now even the right password waits.
    let r = b.try_login("rina@warta.test", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("15 menit"), "{}", r.body);
    // Another account is not locked; after the window, Rina is not either.
    app.login("sari@warta.test").await;
    app.advance(Duration::minutes(16));
    app.login("rina@warta.test").await;
    // A missing login token (no cookie) is refused without counting as a try.
    let mut fresh = app.browser();
    let r = fresh
        .post(
            "/admin/login",
            &[
                ("email", "rina@warta.test"),
                ("password", PASSWORD),
                ("token", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_expired_session_sends_to_login_and_says_so() {
    let app = App::new().await;
    app.add_user("rina@warta.test", "Rina", Role::Editor).await;
    let mut b = app.login("rina@warta.test").await;
    app.advance(Duration::hours(13));
    let r = b.get("/admin/articles/new").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().contains("expired=1"), "{}", r.location());
    let page = b.get(r.location()).await;
    assert!(
        page.body.contains("Sesi Anda telah berakhir"),
        "{}",
        page.body
    );
    // A save posted with the expired session writes nothing.
    let r = b
        .submit(
            "/admin/articles/new",
            &[
                ("form_key", "abcdefabcdefabcdef12"),
                ("headline", "x"),
                ("section", "nasional"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count_articles().await, 0);
}

#[tokio::test]
async fn requests_without_a_valid_csrf_token_change_nothing() {
    let app = App::new().await;
    app.add_user("rina@warta.test", "Rina", Role::Editor).await;
    let mut b = app.login("rina@warta.test").await;
    let fields = [
        ("form_key", "abcdefabcdefabcdef12"),
        ("headline", "Judul"),
        ("section", "nasional"),
        ("action", "save"),
    ];
    // Missing.
    let r = b.post("/admin/articles/new", &fields).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("tidak ada yang berubah"), "{}", r.body);
    // Forged.
    let mut forged = vec![("csrf", "0000")];
    forged.extend(fields);
    let r = b.post("/admin/articles/new", &forged).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Another origin, even with the token.
    let mut with = vec![("csrf", b.csrf.as_str())];
    with.extend(fields);
    let req = Request::post("/admin/articles/new")
        .header(header::COOKIE, b.cookie_header())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "warta.test")
        .header(header::ORIGIN, "https://jahat.example")
        .body(Body::from(
            serde_urlencoded::to_string(&with).expect("form"),
        ))
        .expect("request");
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    // A JSON body cannot carry the token past the check.
    let req = Request::post("/admin/articles/new")
        .header(header::COOKIE, b.cookie_header())
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .expect("request");
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count_articles().await, 0);
    // Logging out needs the token too, and ends the session.
    assert_eq!(
        b.post("/admin/logout", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let r = b.submit("/admin/logout", &[]).await;
    assert_eq!(r.location(), "/admin/login");
    assert_eq!(b.get("/admin").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_contributor_submits_and_an_editor_publishes() {
    let app = App::new().await;
    app.add_user("kon@warta.test", "Kontri Butor", Role::Contributor)
        .await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut kon = app.login("kon@warta.test").await;
    let id = kon
        .write(
            "Banjir Rob di Pesisir Utara",
            "Air laut naik sejak pagi.\n\n## Warga mengungsi\n\nSebanyak 200 warga pindah.",
        )
        .await;
    // A contributor may not publish.
    let r = kon.act(id, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = kon.act(id, "submit", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("article");
    assert_eq!(a.status, Status::InReview);
    assert_eq!(a.authors[0].name, "Kontri Butor");
    // The editor sees it in the review queue and publishes it.
    let mut ed = app.login("ed@warta.test").await;
    let queue = ed.get("/admin?status=in_review").await;
    assert!(queue.body.contains("Banjir Rob di Pesisir Utara"));
    let r = ed.act(id, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("article");
    assert_eq!(a.status, Status::Published);
    assert_eq!(a.published_at, Some(app.now()));
    let home = ed.get("/").await;
    assert!(
        home.body.contains("Banjir Rob di Pesisir Utara"),
        "home page"
    );
    // Once published, the contributor reads it (said so, nothing to press) but cannot
    // change it any more.
    let page = kon.get(&format!("/admin/articles/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-test=\"read-only\""));
    assert!(page.body.contains("<fieldset class=\"plain\" disabled>"));
    assert!(!page.body.contains("data-test=\"save\""));
    assert!(!page.body.contains("data-autosave="));
    assert_eq!(
        kon.act_fields(id, &[("headline", "Diubah")]).await.status,
        StatusCode::FORBIDDEN
    );
    // Someone else's story stays closed to a contributor.
    app.add_user("lain@warta.test", "Kontri Lain", Role::Contributor)
        .await;
    let mut lain = app.login("lain@warta.test").await;
    assert_eq!(
        lain.get(&format!("/admin/articles/{id}")).await.status,
        StatusCode::FORBIDDEN
    );
    // An edit after publication keeps the time and address, and shows "Diperbarui".
    app.advance(Duration::hours(2));
    let r = ed
        .act(
            id,
            "save",
            &[("headline", "Banjir Rob di Pesisir Utara Meluas")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let b = app.store.article(id).await.expect("article");
    assert_eq!(b.published_at, a.published_at);
    assert_eq!(b.slug, a.slug);
    assert_eq!(b.updated_at, Some(app.now()));
    let page = ed.get(&format!("/nasional/2026/12/02/{}", b.slug)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Diperbarui"), "update line");
    assert!(page.body.contains("Meluas"));
    let revs = app.store.revisions(id).await.expect("revisions");
    let notes: Vec<&str> = revs.iter().rev().map(|r| r.note.as_str()).collect();
    assert_eq!(
        notes,
        ["created", "submitted for review", "published", "saved"]
    );
    // Unpublished: gone from the site.
    let r = ed.act(id, "unpublish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    app.advance(Duration::minutes(2));
    assert_eq!(
        ed.get(&format!("/nasional/2026/12/02/{}", b.slug))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn scheduling_checks_its_time_and_goes_live_then() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed
        .write("Sidang Kabinet Besok", "Presiden memimpin sidang.")
        .await;
    // Bad input: a time in the past, a time that is not one. Nothing changes, and
    // the page keeps what was typed.
    let r = ed
        .act(
            id,
            "schedule",
            &[
                ("publish_at", "2026-12-01T08:00"),
                ("headline", "Judul yang diketik"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // In the newsroom's language, naming the field as the form labels it.
    assert!(
        r.body
            .contains("Waktu terbit (zona situs): waktu jadwal harus di masa depan."),
        "{}",
        r.body
    );
    assert!(r.body.contains("Judul yang diketik"));
    let r = ed.act(id, "schedule", &[("publish_at", "besok")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let a = app.store.article(id).await.expect("article");
    assert_eq!(
        (a.status, a.headline.as_str()),
        (Status::Draft, "Sidang Kabinet Besok")
    );
    // One minute ahead, in the site's zone (WIB, UTC+7).
    let at = app.now() + Duration::minutes(1);
    let local = at
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let r = ed.act(id, "schedule", &[("publish_at", &local)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("article");
    assert_eq!((a.status, a.published_at), (Status::Scheduled, Some(at)));
    assert!(
        app.store
            .publish_due(app.now())
            .await
            .expect("due")
            .is_empty()
    );
    // Saving it with another time moves the schedule; a past one is refused.
    let later = at + Duration::minutes(4);
    let local = |t: DateTime<Utc>| {
        t.with_timezone(&chrono_tz::Asia::Jakarta)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let r = ed.act(id, "save", &[("publish_at", &local(later))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("article");
    assert_eq!((a.status, a.published_at), (Status::Scheduled, Some(later)));
    let r = ed
        .act(
            id,
            "save",
            &[("publish_at", &local(app.now() - Duration::hours(1)))],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.advance(Duration::minutes(2));
    assert!(
        app.store
            .publish_due(app.now())
            .await
            .expect("due")
            .is_empty()
    );
    app.advance(Duration::minutes(4));
    assert_eq!(
        app.store.publish_due(app.now()).await.expect("due"),
        vec![id]
    );
    assert_eq!(
        app.store.article(id).await.expect("article").status,
        Status::Published
    );
}

#[tokio::test]
async fn two_editors_on_one_article_get_the_conflict_page() {
    let app = App::new().await;
    app.add_user("a@warta.test", "Ani", Role::Editor).await;
    app.add_user("b@warta.test", "Budi", Role::Editor).await;
    let mut ani = app.login("a@warta.test").await;
    let mut budi = app.login("b@warta.test").await;
    let id = ani.write("Harga Beras Naik", "Paragraf awal.").await;
    // Both open the editor on the same version.
    let ani_base = field(
        &ani.get(&format!("/admin/articles/{id}")).await.body,
        "base",
    );
    let budi_base = field(
        &budi.get(&format!("/admin/articles/{id}")).await.body,
        "base",
    );
    assert_eq!(ani_base, budi_base);
    let save = |headline: &'static str, body: &'static str, base: String| {
        vec![
            ("base", base),
            ("headline", headline.to_owned()),
            ("body", body.to_owned()),
            ("section", "nasional".to_owned()),
            ("action", "save".to_owned()),
        ]
    };
    let f = save("Harga Beras Naik Lagi", "Versi Ani.", ani_base.clone());
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        ani.submit(&format!("/admin/articles/{id}"), &refs)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // The same form posted twice is one save, not a conflict.
    let r = ani.submit(&format!("/admin/articles/{id}"), &refs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let f = save("Harga Beras Turun", "Versi Budi.", budi_base);
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = budi.submit(&format!("/admin/articles/{id}"), &refs).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("data-test=\"conflict\""));
    // Both versions are on the page.
    assert!(
        r.body.contains("Versi Ani.") && r.body.contains("Versi Budi."),
        "{}",
        r.body
    );
    assert!(r.body.contains("Ani"), "who saved first");
    let a = app.store.article(id).await.expect("article");
    assert_eq!(a.headline, "Harga Beras Naik Lagi", "nothing overwritten");
    assert_eq!(app.store.revisions(id).await.expect("revs").len(), 2);
    // "Save mine over it" sends the form again based on the newest version.
    let base = field(&r.body, "base");
    let f = save("Harga Beras Turun", "Versi Budi.", base);
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        budi.submit(&format!("/admin/articles/{id}"), &refs)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.store.article(id).await.expect("article").headline,
        "Harga Beras Turun"
    );
}

#[tokio::test]
async fn a_new_article_form_posted_twice_makes_one_article() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let form = ed.form("/admin/articles/new").await;
    let key = form[1].1.clone();
    let fields = [
        ("form_key", key.as_str()),
        ("headline", "Satu Kali Saja"),
        ("body", "Isi."),
        ("section", "nasional"),
        ("action", "save"),
    ];
    let first = ed.submit("/admin/articles/new", &fields).await;
    let second = ed.submit("/admin/articles/new", &fields).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(second.status, StatusCode::SEE_OTHER, "{}", second.body);
    assert_eq!(first.location(), second.location());
    assert_eq!(app.count_articles().await, 1);
    // Bad input keeps what was typed and writes nothing.
    let form = ed.form("/admin/articles/new").await;
    let r = ed
        .submit(
            "/admin/articles/new",
            &[
                ("form_key", &form[1].1),
                ("headline", ""),
                ("lede", "Ringkasan yang diketik"),
                ("section", "nasional"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("headline") && r.body.contains("Ringkasan yang diketik"));
    let r = ed
        .submit(
            "/admin/articles/new",
            &[
                ("form_key", &form[1].1),
                ("headline", "x"),
                ("body", "[foto abc]"),
                ("section", "nasional"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Isi: blok ke-1: &#34;abc&#34; bukan nomor foto."),
        "{}",
        r.body
    );
    let r = ed
        .submit(
            "/admin/articles/new",
            &[
                ("form_key", &form[1].1),
                ("headline", "x"),
                ("section", "tidak-ada"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count_articles().await, 1);
}

#[tokio::test]
async fn corrections_revisions_and_restore() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed
        .write("Gempa di Selatan Jawa", "Gempa bermagnitudo 5,1.")
        .await;
    assert_eq!(
        ed.act(id, "publish", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let r = ed
        .act(
            id,
            "save",
            &[(
                "body",
                "Gempa bermagnitudo 5,4.\n\nTidak berpotensi tsunami.",
            )],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    app.advance(Duration::hours(1));
    let r = ed
        .submit(
            &format!("/admin/articles/{id}/correction"),
            &[("text", "Versi awal menyebut magnitudo 5,1; yang benar 5,4.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("article");
    let page = ed.get(&format!("/nasional/2026/12/02/{}", a.slug)).await;
    let body_end = page
        .body
        .find("data-test=\"correction\"")
        .expect("correction shown");
    assert!(body_end > page.body.find("Tidak berpotensi tsunami.").expect("text"));
    assert!(page.body.contains("Koreksi</strong> (<time datetime=\"2026-12-02T11:00:00+07:00\">Rabu, 2 Desember 2026 11:00 WIB</time>)"), "{}", page.body);
    // The correction survives the next edit from the editor form.
    assert_eq!(
        ed.act(id, "save", &[("lede", "Ringkas.")]).await.status,
        StatusCode::SEE_OTHER
    );
    let a = app.store.article(id).await.expect("article");
    assert!(matches!(
        a.body.last(),
        Some(warta_core::Block::Correction { .. })
    ));
    // Revisions: list, diff, restore.
    let revs = app.store.revisions(id).await.expect("revisions");
    assert_eq!(revs.len(), 5);
    let page = ed
        .get(&format!("/admin/articles/{id}/revisions?a=2&b=3"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    // Notes in the newsroom's language.
    for note in ["dibuat", "diterbitkan", "disimpan", "koreksi"] {
        let shown = format!("<span class=\"help\">{note}</span>");
        assert!(page.body.contains(&shown), "{note}");
    }
    // The changed number is marked, not the whole paragraph.
    assert!(
        page.body
            .contains("<span class=\"del\">− Gempa bermagnitudo <mark>5,1.</mark></span>"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<span class=\"ins\">+ Gempa bermagnitudo <mark>5,4.</mark></span>")
    );
    let base = field(&page.body, "base");
    let r = ed
        .submit(
            &format!("/admin/articles/{id}/revisions/1/restore"),
            &[("base", &base)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("article");
    assert_eq!(a.status, Status::Published, "a restore keeps the status");
    assert!(
        matches!(&a.body[0], warta_core::Block::Paragraph { html } if html.as_str() == "Gempa bermagnitudo 5,1.")
    );
    assert!(matches!(
        a.body.last(),
        Some(warta_core::Block::Correction { .. })
    ));
    let bad = ed
        .get(&format!("/admin/articles/{id}/revisions?a=1&b=99"))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn photos_are_checked_from_their_bytes_and_get_renditions() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let csrf = ed.csrf.clone();
    let fields = [
        ("csrf", csrf.as_str()),
        ("caption", "Warga menyeberangi banjir."),
        ("credit", "WARTA/Dimas"),
        ("alt", "Warga berjalan di air setinggi lutut"),
    ];
    // A renamed executable.
    let r = ed
        .upload(
            &fields,
            Some(("foto.jpg", b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0binary")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("bukan gambar JPEG, PNG, atau WebP"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("Warga menyeberangi banjir."),
        "the caption is kept"
    );
    // No alt text.
    let r = ed
        .upload(
            &[("csrf", &csrf), ("alt", " ")],
            Some(("a.png", &png(50, 50))),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Teks alternatif wajib diisi"), "{}", r.body);
    // No CSRF token, or the file before the token.
    let r = ed.upload(&fields[1..], Some(("a.png", &png(50, 50)))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.store
            .media_library("", 1, 10)
            .await
            .expect("library")
            .total,
        0
    );
    // A good one.
    let r = ed
        .upload(&fields, Some(("banjir.png", &png(700, 350))))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let lib = app
        .store
        .media_library("banjir", 1, 10)
        .await
        .expect("library");
    assert_eq!(lib.total, 1);
    let m = &lib.items[0];
    assert_eq!((m.width, m.credit.as_str()), (700, "WARTA/Dimas"));
    let widths: Vec<(u32, bool)> = m.renditions.iter().map(|r| (r.width, r.og)).collect();
    assert_eq!(
        widths,
        [
            (320, false),
            (320, false),
            (640, false),
            (640, false),
            (1200, true)
        ],
        "the sizes for srcset, and the crop shared links show"
    );
    for f in std::iter::once(&m.file).chain(m.renditions.iter().map(|r| &r.file)) {
        assert!(app.dir.path().join("media").join(f).is_file(), "{f} stored");
    }
    // Used in an article: srcset and <picture> with WebP, caption and credit.
    let id = ed
        .write(
            "Banjir Kiriman",
            &format!("Air datang dari hulu.\n\n[foto {}]", m.id),
        )
        .await;
    assert_eq!(
        ed.act(id, "publish", &[("hero", &m.id.to_string())])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let a = app.store.article(id).await.expect("article");
    let page = ed.get(&format!("/nasional/2026/12/02/{}", a.slug)).await;
    assert!(
        page.body.contains("<picture><source type=\"image/webp\""),
        "{}",
        page.body
    );
    assert!(page.body.contains(
        "Warga menyeberangi banjir. <span class=\"credit\" data-test=\"credit\">WARTA/Dimas</span>"
    ));
    // Shared links show the 1200×630 crop, with its size; srcset never offers it.
    let og = m.renditions.iter().find(|r| r.og).expect("a crop");
    assert!(
        page.body.contains(&format!(
            "og:image\" content=\"http://127.0.0.1:8080/media/{}\"",
            og.file
        )),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<meta property=\"og:image:width\" content=\"1200\">")
    );
    assert!(
        page.body
            .contains("<meta property=\"og:image:height\" content=\"630\">")
    );
    assert_eq!(page.body.matches(&og.file).count(), 1, "only in og:image");
}

/// Every field a person can type into, fed with XSS vectors: none may come out
/// executable on the reader page or in the newsroom.
#[tokio::test]
async fn xss_vectors_in_every_field_never_survive() {
    let vectors = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "<a href=\"javascript:alert(3)\">klik</a>",
        "\"><svg onload=alert(4)>",
        "<iframe src=\"javascript:alert(5)\"></iframe>",
        "<a href=\"jAvAsCrIpT:alert(6)\">x</a>",
        "<body onload=alert(7)>",
        "'\"><script>alert(8)</script>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(9)>",
        "<a href=\"data:text/html,<script>alert(10)</script>\">x</a>",
    ];
    let app = App::new().await;
    app.add_user(
        "ed@warta.test",
        "Edi <script>alert(0)</script>",
        Role::Admin,
    )
    .await;
    let mut ed = app.login("ed@warta.test").await;
    let v = vectors.join(" ");
    let csrf = ed.csrf.clone();
    let r = ed
        .upload(
            &[
                ("csrf", &csrf),
                ("caption", &v),
                ("credit", &v),
                ("alt", &v),
            ],
            Some(("x.png", &png(400, 200))),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let photo = app.store.media_library("", 1, 1).await.expect("lib").items[0].id;
    let body = vectors
        .iter()
        .map(|x| (*x).to_owned())
        .chain([
            format!("[foto {photo} | {v} | {v}]"),
            format!("## {v}"),
            format!("> {v}\n> — {v}"),
            format!("[embed https://example.org/v | {v}]"),
        ])
        .collect::<Vec<_>>()
        .join("\n\n");
    let form = ed.form("/admin/articles/new").await;
    let r = ed
        .submit(
            "/admin/articles/new",
            &[
                ("form_key", &form[1].1),
                ("headline", &vectors[..5].join(" ")),
                ("lede", &v),
                ("body", &body),
                ("section", "nasional"),
                ("tags", &format!("orang: {v}\n{v}")),
                ("dateline_place", &v),
                ("hero", &photo.to_string()),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r.saved_id();
    assert_eq!(
        ed.act(id, "publish", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let r = ed
        .submit(&format!("/admin/articles/{id}/correction"), &[("text", &v)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // An embed to a script address is refused outright.
    let r = ed
        .act(id, "save", &[("body", "[embed javascript:alert(1)]")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let a = app.store.article(id).await.expect("article");
    let live = ed.get(&format!("/nasional/2026/12/02/{}", a.slug)).await;
    assert_eq!(live.status, StatusCode::OK);
    let pages = [
        ("reader page", live.body),
        (
            "editor",
            ed.get(&format!("/admin/articles/{id}")).await.body,
        ),
        (
            "preview",
            ed.get(&format!("/admin/articles/{id}/preview")).await.body,
        ),
        ("desk", ed.get("/admin").await.body),
        (
            "revisions",
            ed.get(&format!("/admin/articles/{id}/revisions?a=1&b=2"))
                .await
                .body,
        ),
        ("photos", ed.get("/admin/photos").await.body),
        ("users", ed.get("/admin/users").await.body),
        ("home", ed.get("/").await.body),
    ];
    for (name, html) in &pages {
        let bad = executable(html);
        assert!(bad.is_empty(), "{name}: {bad:?}");
    }
    // The check itself finds what it must.
    assert_eq!(executable("<p><img src=x onerror=alert(1)></p>").len(), 1);
    assert_eq!(
        executable("<a href=\"JavaScript:x()\">a</a><script>alert(1)</script>").len(),
        2
    );
}

/// What in a page could run a script an author typed: script elements with `alert`,
/// event-handler attributes, script addresses, and elements that carry script.
fn executable(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let mut found = Vec::new();
    for el in doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let e = el.value();
        let tag = e.name();
        if tag == "script" {
            let text: String = el.text().collect();
            // Structured data and the body editor's data carry what authors typed as
            // JSON: data, never run, as long as it stays one JSON value (no way out of
            // the element).
            if matches!(
                e.attr("type"),
                Some("application/ld+json" | "application/json")
            ) {
                if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                    found.push("script: JSON data that is not JSON".to_owned());
                }
            } else if text.contains("alert") {
                found.push("script".to_owned());
            }
        }
        if matches!(tag, "iframe" | "svg" | "math" | "object" | "embed") {
            found.push(tag.to_owned());
        }
        for (attr, value) in e.attrs() {
            let v = value.trim().to_ascii_lowercase();
            if attr.starts_with("on") {
                found.push(format!("{tag} {attr}"));
            }
            if matches!(attr, "href" | "src" | "action" | "formaction")
                && (v.starts_with("javascript:") || v.starts_with("data:text"))
            {
                found.push(format!("{tag} {attr}={v}"));
            }
        }
    }
    found
}

#[tokio::test]
async fn admins_change_site_settings_and_sections_and_bad_values_are_named() {
    let app = App::new().await;
    app.add_user("admin@warta.test", "Adi Min", Role::Admin)
        .await;
    let mut adm = app.login("admin@warta.test").await;
    let page = adm.get("/admin/site").await;
    assert_eq!(page.status, StatusCode::OK);
    let good = [
        ("name", "Kabar Pagi"),
        ("tagline", "Berita pagi"),
        ("dateline_brand", "KABAR"),
        ("time_zone", "Asia/Makassar"),
        ("language", "id"),
        ("sunday", "Ahad"),
        ("ad_first_after", "2"),
        ("ad_every", "4"),
        ("page_size", "10"),
        ("base_url", "https://kabar.example/"),
    ];
    for (field, bad, said) in [
        ("time_zone", "Asia/Atlantis", "bukan zona waktu IANA"),
        ("page_size", "banyak", "bukan bilangan bulat"),
        ("page_size", "0", "harus antara 1 dan 100"),
        ("base_url", "kabar.example", "harus diawali https://"),
        ("language", "xx", "bahasa &#34;xx&#34; tidak dikenal"),
    ] {
        let fields: Vec<(&str, &str)> = good
            .iter()
            .map(|(k, v)| (*k, if *k == field { bad } else { *v }))
            .collect();
        let r = adm.submit("/admin/site", &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}={bad}");
        // Named as the form labels it, in the newsroom's language.
        let message = &r.body[r.body.find("data-test=\"message\"").expect("message")..];
        let message = &message[..message.find("</p>").expect("end")];
        assert!(message.contains(said), "{field}: {message}");
        assert!(!message.contains('`'), "{field}: {message}");
        assert_eq!(
            app.store.settings().await.expect("settings"),
            SiteSettings::default()
        );
    }
    let r = adm.submit("/admin/site", &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = app.store.settings().await.expect("settings");
    assert_eq!(
        (s.name.as_str(), s.time_zone.as_str(), s.base_url.as_str()),
        ("Kabar Pagi", "Asia/Makassar", "https://kabar.example")
    );
    assert!(adm.get("/").await.body.contains("Kabar Pagi"));
    // Sections: a reserved address and a bad slug are refused; a good one appears.
    for (slug, why) in [
        ("admin", "sudah menjadi halaman situs"),
        ("Olah Raga", "bukan alamat yang sah"),
    ] {
        let r = adm
            .submit(
                "/admin/sections",
                &[("slug", slug), ("name", "X"), ("position", "3")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains(why), "{}", r.body);
    }
    let r = adm
        .submit(
            "/admin/sections",
            &[
                ("slug", "olahraga"),
                ("name", "Olahraga"),
                ("position", "3"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(adm.get("/").await.body.contains("href=\"/olahraga\""));
    assert_eq!(app.store.sections().await.expect("sections").len(), 3);
}

#[tokio::test]
async fn translations_set_in_the_editor_become_hreflang_links() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed
        .write("Banjir Rob di Jakarta Utara", "Air laut naik.")
        .await;
    let en = ed
        .write("Tidal Floods in North Jakarta", "The sea rose.")
        .await;
    assert_eq!(
        ed.act(id, "publish", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    // Bad input: itself, an unknown article, a word, an unknown language.
    for (field, value) in [
        ("translation_of", en.to_string()),
        ("translation_of", "9999".to_owned()),
        ("translation_of", "kemarin".to_owned()),
        ("language", "xx".to_owned()),
    ] {
        let r = ed.act(en, "save", &[(field, &value)]).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}"
        );
        // Named as the form labels it.
        let label = if field == "language" {
            "Bahasa:"
        } else {
            "Terjemahan dari artikel nomor:"
        };
        assert!(r.body.contains(label), "{}", r.body);
    }
    assert!(app.store.translation_of(en).await.expect("q").is_none());
    let r = ed
        .act(
            en,
            "publish",
            &[("language", "en"), ("translation_of", &id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("a");
    let b = app.store.article(en).await.expect("b");
    assert_eq!(b.language, "en");
    let base = "http://127.0.0.1:8080/nasional/2026/12/02";
    let id_link = format!(
        "<link rel=\"alternate\" hreflang=\"id\" href=\"{base}/{}\">",
        a.slug
    );
    let en_link = format!(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"{base}/{}\">",
        b.slug
    );
    for slug in [&a.slug, &b.slug] {
        let page = ed.get(&format!("/nasional/2026/12/02/{slug}")).await;
        assert!(
            page.body.contains(&id_link) && page.body.contains(&en_link),
            "{}",
            page.body
        );
        assert!(page.body.contains("\"workTranslation\""));
    }
    let page = ed.get(&format!("/nasional/2026/12/02/{}", b.slug)).await;
    assert!(page.body.contains("<article class=\"story\" lang=\"en\""));
    // The editor shows the link, and taking it out removes the hreflang links.
    let form = ed.get(&format!("/admin/articles/{en}")).await;
    assert_eq!(field(&form.body, "translation_of"), id.to_string());
    assert_eq!(
        ed.act(en, "save", &[("translation_of", "")]).await.status,
        StatusCode::SEE_OTHER
    );
    let page = ed.get(&format!("/nasional/2026/12/02/{}", a.slug)).await;
    assert!(!page.body.contains("hreflang"), "no translation left");
}

#[tokio::test]
async fn failed_logins_from_one_address_are_throttled_across_accounts() {
    let app = App::new().await;
    for i in 0..6 {
        app.add_user(
            &format!("u{i}@warta.test"),
            &format!("U{i}"),
            Role::Contributor,
        )
        .await;
    }
    let mut b = app.browser();
    // Four wrong passwords on each of five accounts: twenty from this address, none
    // of the accounts at its own limit of five.
    for i in 0..5 {
        for _ in 0..4 {
            let email = format!("u{i}@warta.test");
            let r = b.try_login(&email, "salah-salah-salah").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
    }
    let r = b.try_login("u5@warta.test", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn behind_https_the_session_cookie_is_secure() {
    let app = App::new().await;
    app.add_user("rina@warta.test", "Rina", Role::Editor).await;
    let mut b = app.browser();
    let token = field(&b.get("/admin/login").await.body, "token");
    let body = serde_urlencoded::to_string([
        ("email", "rina@warta.test"),
        ("password", PASSWORD),
        ("token", token.as_str()),
    ])
    .expect("form");
    let req = Request::post("/admin/login")
        .header(header::COOKIE, b.cookie_header())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-proto", "https")
        .body(Body::from(body))
        .expect("request");
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookie = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().expect("ascii").to_owned())
        .find(|c| c.starts_with("warta_session="))
        .expect("session cookie");
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    // Newsroom pages are never cached and never framed.
    b.keep_cookies(&r);
    let desk = b.get("/admin").await;
    assert_eq!(
        desk.headers
            .get(header::CACHE_CONTROL)
            .map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
    assert_eq!(
        desk.headers.get("x-frame-options").map(|v| v.as_bytes()),
        Some(&b"DENY"[..])
    );
    assert!(
        desk.headers
            .get("content-security-policy")
            .is_some_and(|v| !v.to_str().unwrap_or("").contains("unsafe-inline"))
    );
}

/// Every `value="…"` of the named hidden fields and the CSS hash replaced, so the
/// snapshot holds only what is fixed.
fn redact(html: &str, names: &[&str]) -> String {
    let mut out = html.to_owned();
    for name in names {
        let key = format!("name=\"{name}\" value=\"");
        let mut from = 0;
        while let Some(i) = out[from..].find(&key) {
            let start = from + i + key.len();
            let end = out[start..].find('"').map_or(start, |e| start + e);
            out.replace_range(start..end, "[redacted]");
            from = start;
        }
        let attr = format!("data-{name}=\"");
        if let Some(i) = out.find(&attr) {
            let start = i + attr.len();
            let end = out[start..].find('"').map_or(start, |e| start + e);
            out.replace_range(start..end, "[redacted]");
        }
    }
    // Assets' addresses carry a hash of their content.
    for stem in ["site", "editor"] {
        let at = format!("/static/{stem}-");
        let mut from = 0;
        while let Some(i) = out[from..].find(&at).map(|i| i + from + at.len()) {
            let hex = out[i..].bytes().take_while(u8::is_ascii_hexdigit).count();
            out.replace_range(i..i + hex, "[hash]");
            from = i;
        }
    }
    out
}

#[tokio::test]
async fn editor_page_snapshot() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed
        .write(
            "Banjir Rob di Pesisir Utara",
            "Air laut naik sejak pagi di Muara Baru, kata Kepala Dinas Sumber Daya Air Budi Santoso.\n\n## Warga mengungsi\n\n> Kami sudah siapkan pompa.\n> — Budi Santoso\n\n[embed https://example.org/video | Video banjir]",
        )
        .await;
    let page = ed.get(&format!("/admin/articles/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    insta::assert_snapshot!(redact(&page.body, &["csrf", "form_key"]));
}

#[tokio::test]
async fn tag_suggestions_and_completion_reuse_existing_tags() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let first = ed.write("Pertemuan di Hanoi", "Isi.").await;
    let r = ed
        .act(
            first,
            "save",
            &[("tags", "orang: Kim Jong Un\ntempat: Hanoi")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let second = ed
        .write(
            "Lanjutan Pertemuan",
            "Pemimpin Korea Utara Kim Jong Un tiba di Hanoi dengan kereta. Kim Jong Un disambut Menteri Luar Negeri.",
        )
        .await;
    let page = ed.get(&format!("/admin/articles/{second}")).await;
    // Known tags come with their kind; what the article has already is not offered.
    assert!(
        page.body.contains("data-tag=\"orang: Kim Jong Un\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("data-tag=\"tempat: Hanoi\""));
    assert!(
        !page.body.contains("data-tag=\"orang: Budi Santoso\""),
        "already tagged"
    );
    // Completion: by the start of the name, any case, as `kind: name` lines.
    let r = ed.get("/admin/tags?q=kim").await;
    assert_eq!(r.status, StatusCode::OK);
    let list: Vec<String> = serde_json::from_str(&r.body).expect("json");
    assert_eq!(list, ["orang: Kim Jong Un"]);
    let r = ed.get("/admin/tags?q=%25").await;
    assert_eq!(
        serde_json::from_str::<Vec<String>>(&r.body).expect("json"),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn oversized_uploads_are_refused_with_their_reason() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let csrf = ed.csrf.clone();
    let fields = [("csrf", csrf.as_str()), ("alt", "Sebuah foto")];
    // 21 MB: over the limit.
    let mut big = png(64, 64);
    big.resize(21 * 1024 * 1024, 0);
    let r = ed.upload(&fields, Some(("besar.png", &big))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("Berkas lebih besar dari 20 MB."),
        "{}",
        r.body
    );
    // 200 megapixels, from a header that says so.
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&20_000u32.to_be_bytes());
    ihdr.extend_from_slice(&10_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut huge = b"\x89PNG\r\n\x1a\n".to_vec();
    for chunk in [ihdr, b"IDAT\x78\x9c\x63\x00\x00".to_vec(), b"IEND".to_vec()] {
        huge.extend_from_slice(&((chunk.len() - 4) as u32).to_be_bytes());
        huge.extend_from_slice(&chunk);
        huge.extend_from_slice(&crc32fast::hash(&chunk).to_be_bytes());
    }
    let r = ed.upload(&fields, Some(("poster.png", &huge))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Gambar ini 20000 × 10000 piksel"),
        "{}",
        r.body
    );
    assert_eq!(
        app.store
            .media_library("", 1, 10)
            .await
            .expect("library")
            .total,
        0
    );
    assert!(
        !app.dir.path().join("media").exists()
            || std::fs::read_dir(app.dir.path().join("media"))
                .expect("dir")
                .next()
                .is_none()
    );
}

#[tokio::test]
async fn changes_are_previewed_before_they_go_live() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed.write("Harga Cabai Naik", "Paragraf lama.").await;
    assert_eq!(
        ed.act(id, "publish", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let before = app.store.latest_revision(id).await.expect("n");
    let page = ed.get(&format!("/admin/articles/{id}")).await;
    let base = field(&page.body, "base");
    let r = ed
        .submit(
            &format!("/admin/articles/{id}/preview"),
            &[
                ("base", &base),
                ("headline", "Harga Cabai Turun"),
                (
                    "body",
                    "Paragraf baru <script>alert(1)</script>.\n\n> Kutipan.",
                ),
                ("section", "dunia"),
                ("tags", "orang: Ani"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("<h1 data-test=\"headline\">Harga Cabai Turun</h1>")
    );
    assert!(r.body.contains("Paragraf baru"));
    assert!(r.body.contains(">Dunia</a>"), "the chosen section");
    assert!(executable(&r.body).is_empty());
    // Nothing was written.
    let a = app.store.article(id).await.expect("article");
    assert_eq!(
        (a.headline.as_str(), a.section.slug.as_str()),
        ("Harga Cabai Naik", "nasional")
    );
    assert_eq!(app.store.latest_revision(id).await.expect("n"), before);
    // Bad input is named; without the token, refused.
    let r = ed
        .submit(
            &format!("/admin/articles/{id}/preview"),
            &[("headline", ""), ("section", "nasional")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Judul wajib diisi."), "{}", r.body);
    let r = ed
        .post(
            &format!("/admin/articles/{id}/preview"),
            &[("headline", "x"), ("section", "nasional")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
