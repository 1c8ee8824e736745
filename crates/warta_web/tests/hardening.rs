//! The outside review's findings on authorisation, sessions and concurrent writes
//! (issue #23), each as the test that failed before its fix: live photos changed by a
//! contributor, login throttling raced and turned against the real user, addresses
//! behind proxies, a save lost to a correction or a restore, multipart posts without
//! a token, and the smaller ones.

#[path = "support/desk.rs"]
mod desk;
use desk::*;

use std::net::SocketAddr;

use axum::http::{StatusCode, header};
use chrono::Duration;
use tower::ServiceExt;
use warta_core::Status;
use warta_core::newsroom::Role;

/// An editor's published article with the photo `photo` as its hero; returns its id.
async fn live_article_with_photo(ed: &mut Browser<'_>, photo: i64) -> i64 {
    let id = ed.write("Foto Hidup", "Isi berita.").await;
    let r = ed.act(id, "publish", &[("hero", &photo.to_string())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    id
}

async fn upload_photo(b: &mut Browser<'_>, caption: &str) -> i64 {
    let csrf = b.csrf.clone();
    let r = b
        .upload(
            &[
                ("csrf", &csrf),
                ("caption", caption),
                ("credit", "WARTA/Uji"),
                ("alt", "Sebuah gambar uji"),
            ],
            Some(("a.png", &png(400, 300))),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let lib = b
        .app
        .store
        .media_library(caption, 1, 10)
        .await
        .expect("library");
    lib.items[0].id
}

#[tokio::test]
async fn a_contributor_cannot_change_a_live_photo_and_an_editors_change_is_an_edit() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    app.add_user("kon@warta.test", "Kon Tri", Role::Contributor)
        .await;
    let mut ed = app.login("ed@warta.test").await;
    let mut kon = app.login("kon@warta.test").await;
    let live = upload_photo(&mut ed, "Keterangan asli").await;
    let id = live_article_with_photo(&mut ed, live).await;
    let revisions_before = app.store.revisions(id).await.expect("revisions").len();
    let seq_before = app.store.watermark().await.expect("watermark").changes;

    // The contributor is refused, and nothing changes.
    let r = kon
        .submit(
            &format!("/admin/photos/{live}"),
            &[
                ("caption", "Keterangan palsu"),
                ("credit", "Bukan Kami"),
                ("alt", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let a = app.store.article(id).await.expect("article");
    let hero = a.hero.expect("hero");
    assert_eq!(hero.caption, "Keterangan asli");
    assert_eq!(hero.credit, "WARTA/Uji");

    // A photo no visible article uses is still theirs to describe.
    let spare = upload_photo(&mut kon, "Foto cadangan").await;
    let r = kon
        .submit(
            &format!("/admin/photos/{spare}"),
            &[
                ("caption", "Foto cadangan baru"),
                ("credit", "K"),
                ("alt", "y"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The editor's change is recorded like an article edit: a revision and a change.
    let r = ed
        .submit(
            &format!("/admin/photos/{live}"),
            &[
                ("caption", "Keterangan yang diperbaiki"),
                ("credit", "WARTA/Uji"),
                ("alt", "Sebuah gambar uji"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let revs = app.store.revisions(id).await.expect("revisions");
    assert_eq!(revs.len(), revisions_before + 1, "{revs:?}");
    let changes = app.store.changes_after(seq_before, 100).await.expect("log");
    assert!(
        changes.iter().any(|c| c.article_id == id),
        "no change logged for article {id}: {changes:?}"
    );
}

/// `n` wrong-password logins sent at once, each from `peer`; the statuses.
async fn parallel_logins(
    app: &App,
    emails: &[String],
    password: &str,
    peer: Option<SocketAddr>,
) -> Vec<StatusCode> {
    let token = "t".repeat(64);
    let mut tasks = Vec::new();
    for email in emails {
        let mut b = app.browser();
        b.peer = peer;
        b.cookies.insert("warta_login".into(), token.clone());
        let req = b.form_request(
            "/admin/login",
            &[
                ("email".into(), email.clone()),
                ("password".into(), password.into()),
                ("token".into(), token.clone()),
            ],
        );
        let router = app.router.clone();
        tasks.push(tokio::spawn(async move {
            router.oneshot(req).await.expect("response").status()
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_passwords_are_held_to_the_limits() {
    let app = App::new().await;
    app.add_user("rina@warta.test", "Rina", Role::Editor).await;
    let peer: SocketAddr = "203.0.113.7:5000".parse().expect("addr");
    let statuses = parallel_logins(
        &app,
        &vec!["rina@warta.test".to_owned(); 40],
        "salah-salah-salah",
        Some(peer),
    )
    .await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(checked, 5, "passwords checked: {statuses:?}");

    // One address against many accounts: 20.
    let other: SocketAddr = "198.51.100.9:4000".parse().expect("addr");
    let emails: Vec<String> = (0..60).map(|i| format!("orang{i}@warta.test")).collect();
    let statuses = parallel_logins(&app, &emails, "salah-salah-salah", Some(other)).await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(checked, 20, "passwords checked: {statuses:?}");
}

#[tokio::test]
async fn guessing_from_elsewhere_does_not_lock_out_a_known_browser() {
    let app = App::new().await;
    app.add_user("rina@warta.test", "Rina", Role::Editor).await;
    // Rina logs in once from her own browser: it gets a device cookie.
    let mut rina = app.browser();
    rina.peer = Some("192.0.2.10:1000".parse().expect("addr"));
    let r = rina.try_login("rina@warta.test", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(rina.cookies.contains_key("warta_device"), "{:?}", r.headers);
    rina.cookies.remove("warta_session");

    // Attackers from two addresses use up the account-wide limit.
    for a in ["203.0.113.1:1", "203.0.113.2:1"] {
        let mut x = app.browser();
        x.peer = Some(a.parse().expect("addr"));
        let mut last = StatusCode::OK;
        for _ in 0..6 {
            last = x
                .try_login("rina@warta.test", "tebak-tebak-tebak")
                .await
                .status;
        }
        assert_eq!(
            last,
            StatusCode::TOO_MANY_REQUESTS,
            "per address and account"
        );
    }
    // A new browser elsewhere, even with the right password, waits…
    let mut fresh = app.browser();
    fresh.peer = Some("192.0.2.99:1".parse().expect("addr"));
    let r = fresh.try_login("rina@warta.test", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    // …and a forged device cookie is worth nothing…
    fresh.cookies.insert("warta_device".into(), "f".repeat(64));
    let r = fresh.try_login("rina@warta.test", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    // …but Rina's own browser, from yet another address, gets in.
    rina.peer = Some("192.0.2.11:1000".parse().expect("addr"));
    let r = rina.try_login("rina@warta.test", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    // Without trusted proxies, X-Forwarded-For is ignored: one peer, one address.
    let app = App::new().await;
    app.add_user("rina@warta.test", "Rina", Role::Editor).await;
    let mut statuses = Vec::new();
    for i in 0..21 {
        let mut b = app.browser();
        b.peer = Some("127.0.0.1:9".parse().expect("addr"));
        b.headers
            .push(("x-forwarded-for".into(), format!("198.51.100.{i}")));
        let email = format!("x{i}@warta.test");
        statuses.push(b.try_login(&email, "salah-salah-salah").await.status);
    }
    assert_eq!(statuses[19], StatusCode::UNAUTHORIZED);
    assert_eq!(statuses[20], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");

    // Behind a trusted proxy, the rightmost untrusted hop is the client.
    let app = App::with_config(|c| {
        c.trusted_proxies = vec![
            "127.0.0.0/8".parse().expect("net"),
            "10.0.0.0/8".parse().expect("net"),
        ];
    })
    .await;
    app.add_user("rina@warta.test", "Rina", Role::Editor).await;
    let mut statuses = Vec::new();
    for i in 0..25 {
        let mut b = app.browser();
        b.peer = Some("127.0.0.1:9".parse().expect("addr"));
        // A client may put anything on the left; the proxies append on the right.
        b.headers.push((
            "x-forwarded-for".into(),
            format!("1.2.3.4, 198.51.100.{i}, 10.1.1.1"),
        ));
        let email = format!("x{i}@warta.test");
        statuses.push(b.try_login(&email, "salah-salah-salah").await.status);
    }
    assert!(
        statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED),
        "25 clients, one failure each: {statuses:?}"
    );
    assert_eq!(
        warta_web::client_ip(
            "127.0.0.1".parse().expect("ip"),
            Some("9.9.9.9, 203.0.113.5"),
            &["127.0.0.0/8".parse().expect("net")]
        ),
        "203.0.113.5".parse::<std::net::IpAddr>().expect("ip")
    );
}

/// A save and a correction sent at the same moment, many times: whatever order they
/// take, an answered save is never undone.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_save_and_a_correction_at_once_lose_nothing() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed.write("Berita Balapan", "Paragraf awal.").await;
    assert_eq!(
        ed.act(id, "publish", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    for round in 0..25 {
        let text = format!("Paragraf versi {round}.");
        let save = ed.edit_form(id, "save", &[("body", &text)]).await;
        let save = ed.form_request(&format!("/admin/articles/{id}"), &save);
        let note = format!("Koreksi nomor {round}.");
        let correction = ed.form_request(
            &format!("/admin/articles/{id}/correction"),
            &[
                ("csrf".into(), ed.csrf.clone()),
                ("text".into(), note.clone()),
            ],
        );
        let (r1, r2) = (app.router.clone(), app.router.clone());
        let a = tokio::spawn(async move { r1.oneshot(save).await.expect("r").status() });
        let b = tokio::spawn(async move { r2.oneshot(correction).await.expect("r").status() });
        let (saved, corrected) = (a.await.expect("task"), b.await.expect("task"));
        let body =
            warta_core::newsroom::body_to_text(&app.store.article(id).await.expect("a").body);
        let all = format!("{:?}", app.store.article(id).await.expect("a").body);
        if saved == StatusCode::SEE_OTHER {
            assert!(
                body.contains(&text),
                "round {round}: save answered 303 but lost: {body}"
            );
        } else {
            assert_eq!(saved, StatusCode::CONFLICT, "round {round}");
        }
        assert_eq!(corrected, StatusCode::SEE_OTHER, "round {round}");
        assert!(all.contains(&note), "round {round}: correction lost");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_save_and_a_restore_at_once_lose_nothing() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed.write("Berita Pulih", "Versi satu.").await;
    let r = ed.act(id, "save", &[("body", "Versi dua.")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for round in 0..20 {
        let text = format!("Versi simpan {round}.");
        let revisions = ed.get(&format!("/admin/articles/{id}/revisions")).await;
        let base = field(&revisions.body, "base");
        let save = ed.edit_form(id, "save", &[("body", &text)]).await;
        let save = ed.form_request(&format!("/admin/articles/{id}"), &save);
        let restore = ed.form_request(
            &format!("/admin/articles/{id}/revisions/1/restore"),
            &[("csrf".into(), ed.csrf.clone()), ("base".into(), base)],
        );
        let (r1, r2) = (app.router.clone(), app.router.clone());
        let a = tokio::spawn(async move { r1.oneshot(save).await.expect("r").status() });
        let b = tokio::spawn(async move { r2.oneshot(restore).await.expect("r").status() });
        let (saved, restored) = (a.await.expect("task"), b.await.expect("task"));
        let wins = [saved, restored]
            .iter()
            .filter(|s| **s == StatusCode::SEE_OTHER)
            .count();
        // Both may land when the restore changed nothing the save changed (it put
        // back what the save's base already held): the save then merges on top.
        // Never neither, and never a save that answered 303 and is not there.
        assert!(wins >= 1, "round {round}: save {saved}, restore {restored}");
        let body =
            warta_core::newsroom::body_to_text(&app.store.article(id).await.expect("a").body);
        if saved == StatusCode::SEE_OTHER {
            assert!(body.contains(&text), "round {round}: {body}");
        } else {
            assert!(body.contains("Versi satu."), "round {round}: {body}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn publishing_by_hand_while_the_scheduler_runs_goes_live_once() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    for round in 0..10 {
        let id = ed.write(&format!("Terjadwal {round}"), "Isi.").await;
        let at = (app.now() + Duration::minutes(5))
            .with_timezone(&chrono_tz::Asia::Jakarta)
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        let r = ed.act(id, "schedule", &[("publish_at", &at)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        app.advance(Duration::minutes(6));
        let seq = app.store.watermark().await.expect("w").changes;
        let publish = ed.edit_form(id, "publish", &[]).await;
        let publish = ed.form_request(&format!("/admin/articles/{id}"), &publish);
        let router = app.router.clone();
        let by_hand =
            tokio::spawn(async move { router.oneshot(publish).await.expect("r").status() });
        let store = app.store.clone();
        let now = app.now();
        let due = tokio::spawn(async move { store.publish_due(now).await.expect("due") });
        let (status, _) = (by_hand.await.expect("t"), due.await.expect("t"));
        assert!(
            matches!(status, StatusCode::SEE_OTHER | StatusCode::CONFLICT),
            "round {round}: {status}"
        );
        let a = app.store.article(id).await.expect("a");
        assert_eq!(a.status, Status::Published, "round {round}");
        assert!(a.published_at.is_some_and(|p| p <= app.now()));
        let changes = app.store.changes_after(seq, 100).await.expect("log");
        assert!(
            (1..=2).contains(&changes.iter().filter(|c| c.article_id == id).count()),
            "round {round}: {changes:?}"
        );
    }
}

#[tokio::test]
async fn multipart_posts_need_the_token_too() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed.write("Berita Multipart", "Versi satu.").await;
    assert_eq!(
        ed.act(id, "save", &[("body", "Versi dua.")]).await.status,
        StatusCode::SEE_OTHER
    );
    let r = ed
        .multipart_post(
            &format!("/admin/articles/{id}/revisions/1/restore"),
            &[("x", "y")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "restore: {}", r.body);
    let body = warta_core::newsroom::body_to_text(&app.store.article(id).await.expect("a").body);
    assert!(body.contains("Versi dua."), "{body}");
    let r = ed
        .multipart_post("/admin/logout", &[("x", "y")], None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "logout: {}", r.body);
    assert_eq!(
        ed.get("/admin").await.status,
        StatusCode::OK,
        "still logged in"
    );
    // With the token, a multipart post is a post like any other.
    let csrf = ed.csrf.clone();
    let r = ed
        .multipart_post("/admin/logout", &[("csrf", &csrf)], None)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn an_expired_session_keeps_the_text_across_the_login() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed.write("Berita Panjang", "Versi satu.").await;
    let form = ed
        .edit_form(
            id,
            "save",
            &[("body", "Teks yang ditulis selama dua belas jam.")],
        )
        .await;
    app.advance(Duration::hours(13));
    // Autosave says it could not save, as JSON.
    let mut auto = ed.form_request(&format!("/admin/articles/{id}/autosave"), &form);
    auto.headers_mut()
        .insert("x-csrf-token", ed.csrf.parse().expect("header"));
    auto.headers_mut()
        .insert(header::ACCEPT, "application/json".parse().expect("header"));
    let r = app.send(auto).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    assert!(r.body.contains("\"error\""), "{}", r.body);
    // The save goes to the login, and the text comes back after it.
    let r = app
        .send(ed.form_request(&format!("/admin/articles/{id}"), &form))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let to = r.location().to_owned();
    assert!(to.starts_with("/admin/login"), "{to}");
    let next = to
        .split("next=")
        .nth(1)
        .map(|n| n.split('&').next().unwrap_or(""))
        .unwrap_or("");
    let next: String = url_decode(next);
    let mut again = app.login("ed@warta.test").await;
    let page = again.get(&next).await;
    assert_eq!(page.status, StatusCode::OK, "{next}: {}", page.body);
    assert!(
        page.body
            .contains("Teks yang ditulis selama dua belas jam."),
        "{next}"
    );
    // The article itself is untouched until the person saves.
    let body = warta_core::newsroom::body_to_text(&app.store.article(id).await.expect("a").body);
    assert!(body.contains("Versi satu."));
    // Another account cannot read the kept text.
    app.add_user("lain@warta.test", "Lain", Role::Editor).await;
    let mut other = app.login("lain@warta.test").await;
    let page = other.get(&next).await;
    assert!(!page.body.contains("dua belas jam"), "{}", page.body);
}

fn url_decode(s: &str) -> String {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(&format!("x={s}")).expect("decode");
    pairs[0].1.clone()
}

#[tokio::test]
async fn smaller_findings() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    // An empty login token with an empty cookie is no token.
    let mut b = app.browser();
    b.cookies.insert("warta_login".into(), String::new());
    let r = b
        .post(
            "/admin/login",
            &[
                ("email", "ed@warta.test"),
                ("password", PASSWORD),
                ("token", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // A control character in `next` is not followed (and is not a 500).
    let mut b = app.browser();
    let token = field(&b.get("/admin/login").await.body, "token");
    let r = b
        .post(
            "/admin/login",
            &[
                ("email", "ed@warta.test"),
                ("password", PASSWORD),
                ("token", &token),
                ("next", "/admin/articles\r\nX-Evil: 1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/admin");
    // A tag only drafts use has no public page, feed or API entry.
    let mut ed = app.login("ed@warta.test").await;
    let id = ed.write("Draf Rahasia", "Isi.").await;
    let r = ed
        .act(id, "save", &[("tags", "topik: Rahasia Negara")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut reader = app.browser();
    for path in [
        "/topik/rahasia-negara",
        "/topik/rahasia-negara/rss.xml",
        "/topik/rahasia-negara/atom.xml",
    ] {
        assert_eq!(
            reader.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // `/cari` reads `page` as the other pages do.
    for q in ["/cari?q=x&page=", "/cari?q=x&page=%31"] {
        assert_eq!(reader.get(q).await.status, StatusCode::BAD_REQUEST, "{q}");
    }
}

/// The newsroom is never compressed (BREACH: its pages hold the CSRF token beside
/// what the user typed); the reader site is.
#[tokio::test]
async fn the_newsroom_is_sent_uncompressed_and_the_site_compressed() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    ed.headers
        .push(("accept-encoding".into(), "gzip, deflate, br, zstd".into()));
    for path in [
        "/admin",
        "/admin/articles/new",
        "/admin/login",
        "/admin/tidak-ada",
    ] {
        let r = ed.get(path).await;
        assert!(
            r.headers.get(header::CONTENT_ENCODING).is_none(),
            "{path} ({}) was compressed",
            r.status
        );
    }
    let r = ed.get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok()),
        Some("br"),
        "the reader's pages are compressed ({})",
        r.status
    );
}
