//! Accounts by email (issue #28): "Lupa kata sandi" and invitations, with the mail
//! caught by an SMTP receiver inside this process. The links work once and expire;
//! asking for a reset tells nothing about which addresses exist; without `[mail]` the
//! pages say so and an admin still sets passwords.

#[path = "support/desk.rs"]
mod desk;
use desk::*;
#[path = "support/smtp.rs"]
mod smtp;
use smtp::Inbox;

use axum::http::{StatusCode, header};
use chrono::Duration;
use warta_core::newsroom::Role;

async fn app_with_mail() -> (App, Inbox) {
    let inbox = Inbox::start().await;
    let config = inbox.config();
    let app = App::with_config(move |c| c.mail = Some(config)).await;
    (app, inbox)
}

/// Asks for a reset link for `email` through the form.
async fn ask_reset(b: &mut Browser<'_>, email: &str) -> Reply {
    let page = b.get("/admin/reset").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let token = field(&page.body, "token");
    b.post("/admin/reset", &[("email", email), ("token", &token)])
        .await
}

/// Chooses a password on a link's page.
async fn choose(b: &mut Browser<'_>, path: &str, password: &str, again: &str) -> Reply {
    let page = b.get(path).await;
    let token = field(&page.body, "token");
    b.post(
        path,
        &[("password", password), ("again", again), ("token", &token)],
    )
    .await
}

/// The Users page's "Tambah pengguna" form; an empty password means an invitation.
async fn add_account(
    admin: &mut Browser<'_>,
    name: &str,
    email: &str,
    role: &str,
    password: &str,
) -> Reply {
    let fields = [
        ("name", name),
        ("email", email),
        ("role", role),
        ("password", password),
    ];
    admin.submit("/admin/users", &fields).await
}

fn session_started(r: &Reply) -> bool {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|c| c.to_str().unwrap_or("").starts_with("warta_session="))
}

#[tokio::test]
async fn a_forgotten_password_is_reset_from_the_mail_received() {
    let (app, inbox) = app_with_mail().await;
    app.add_user("rina@warta.test", "Rina Wulandari", Role::Editor)
        .await;
    // Rina is logged in on another computer.
    let mut elsewhere = app.login("rina@warta.test").await;
    let mut b = app.browser();
    let login = b.get("/admin/login").await;
    assert!(
        login.body.contains("href=\"/admin/reset\"") && login.body.contains("Lupa kata sandi?"),
        "{}",
        login.body
    );
    let r = ask_reset(&mut b, "Rina@Warta.test").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("Jika rina@warta.test punya akun di sini"),
        "{}",
        r.body
    );
    let mail = inbox.nth(1).await;
    assert_eq!(mail.to, vec!["rina@warta.test".to_owned()]);
    assert!(
        mail.header("Subject").contains("Atur ulang kata sandi"),
        "{}",
        mail.data
    );
    assert!(
        mail.text().contains("Halo Rina Wulandari"),
        "{}",
        mail.text()
    );
    let path = mail.link_path();
    assert!(path.starts_with("/admin/reset/"), "{path}");
    // The link's page names the account and tells no other site its address.
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("rina@warta.test"), "{}", page.body);
    assert_eq!(
        page.headers
            .get("referrer-policy")
            .and_then(|v| v.to_str().ok()),
        Some("same-origin")
    );
    // Bad input: two different passwords, a short one. Nothing changes.
    let r = choose(&mut b, &path, "baru-dan-panjang-1", "baru-dan-panjang-2").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Kedua kata sandi tidak sama."),
        "{}",
        r.body
    );
    // A post from another site (a sibling host that set the form cookie) is refused.
    let token = field(&b.get(&path).await.body, "token");
    let mut req = b.form_request(
        &path,
        &[
            ("password".to_owned(), "dari-situs-lain".to_owned()),
            ("again".to_owned(), "dari-situs-lain".to_owned()),
            ("token".to_owned(), token),
        ],
    );
    req.headers_mut().insert(
        header::ORIGIN,
        "https://evil.example".parse().expect("header"),
    );
    req.headers_mut()
        .insert(header::HOST, "warta.test".parse().expect("header"));
    assert_eq!(b.app.send(req).await.status, StatusCode::FORBIDDEN);
    let r = choose(&mut b, &path, "pendek", "pendek").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("paling sedikit 10"), "{}", r.body);
    assert_eq!(
        app.browser()
            .try_login("rina@warta.test", PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER,
        "the old password still works until a new one is saved"
    );
    // The new password: logged in at once, with a word of welcome.
    let r = choose(&mut b, &path, "baru-dan-panjang", "baru-dan-panjang").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/admin?welcome=1");
    assert!(session_started(&r));
    let desk = b.get("/admin?welcome=1").await;
    assert_eq!(desk.status, StatusCode::OK);
    assert!(
        desk.body
            .contains("Kata sandi tersimpan. Selamat bekerja, Rina Wulandari."),
        "{}",
        desk.body
    );
    // The other computer's session ended; the old password is gone.
    let r = elsewhere.get("/admin").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/admin/login"));
    assert_eq!(
        app.browser()
            .try_login("rina@warta.test", PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.browser()
            .try_login("rina@warta.test", "baru-dan-panjang")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // A link works once.
    let again = app.browser().get(&path).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("sudah dipakai"), "{}", again.body);
    let r = app
        .browser()
        .post(
            &path,
            &[
                ("password", "ketiga-kalinya"),
                ("again", "ketiga-kalinya"),
                ("token", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::GONE);
}

#[tokio::test]
async fn an_unknown_address_gets_the_same_answer_and_no_mail() {
    let (app, inbox) = app_with_mail().await;
    app.add_user("rina@warta.test", "Rina", Role::Editor).await;
    app.add_user("sari@warta.test", "Sari", Role::Editor).await;
    app.store
        .set_disabled("sari@warta.test", true)
        .await
        .expect("disable");
    let mut b = app.browser();
    let unknown = ask_reset(&mut b, "siapa@warta.test").await;
    let disabled = ask_reset(&mut b, "sari@warta.test").await;
    let known = ask_reset(&mut b, "rina@warta.test").await;
    for r in [&unknown, &disabled, &known] {
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let text = |r: &Reply, email: &str| r.body.replace(email, "ADDRESS");
    assert_eq!(
        text(&unknown, "siapa@warta.test"),
        text(&known, "rina@warta.test"),
        "the same page, whoever asks"
    );
    // Only the known, enabled account got mail: the first message is Rina's.
    assert_eq!(inbox.nth(1).await.to, vec!["rina@warta.test".to_owned()]);
    assert_eq!(inbox.all().len(), 1, "{:?}", inbox.all());
    // Not an address at all: said so, where.
    let r = ask_reset(&mut b, "rina").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("alamat surel lengkap"), "{}", r.body);
}

#[tokio::test]
async fn reset_links_expire_and_requests_are_limited() {
    let (app, inbox) = app_with_mail().await;
    app.add_user("rina@warta.test", "Rina", Role::Editor).await;
    let mut b = app.browser();
    ask_reset(&mut b, "rina@warta.test").await;
    let first = inbox.nth(1).await.link_path();
    app.advance(Duration::minutes(61));
    let r = b.get(&first).await;
    assert_eq!(r.status, StatusCode::GONE, "an hour later the link is dead");
    // A newer link voids the older one.
    ask_reset(&mut b, "rina@warta.test").await;
    let second = inbox.nth(2).await.link_path();
    ask_reset(&mut b, "rina@warta.test").await;
    let third = inbox.nth(3).await.link_path();
    assert_eq!(b.get(&second).await.status, StatusCode::GONE);
    assert_eq!(b.get(&third).await.status, StatusCode::OK);
    // Three requests per address in fifteen minutes; the fourth waits.
    let r = ask_reset(&mut b, "rina@warta.test").await;
    assert_eq!(r.status, StatusCode::OK, "the third in this window");
    let r = ask_reset(&mut b, "rina@warta.test").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("15 menit"), "{}", r.body);
    // A made-up link finds nothing (and costs no password hash).
    let fake = format!("/admin/reset/{}", "ab".repeat(32));
    assert_eq!(b.get(&fake).await.status, StatusCode::GONE);
    assert_eq!(b.get("/admin/reset/pendek").await.status, StatusCode::GONE);
}

#[tokio::test]
async fn an_admin_invites_a_colleague_who_chooses_a_password() {
    let (app, inbox) = app_with_mail().await;
    app.add_user("ana@warta.test", "Ana", Role::Admin).await;
    let mut admin = app.login("ana@warta.test").await;
    let users = admin.get("/admin/users").await;
    assert!(
        users.body.contains("Kosongkan untuk mengirim undangan"),
        "{}",
        users.body
    );
    let r = add_account(&mut admin, "Dewi Lestari", "dewi@warta.test", "editor", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = admin.get(r.location()).await;
    assert!(
        list.body
            .contains("Undangan untuk dewi@warta.test terkirim; tautannya berlaku 7 hari."),
        "{}",
        list.body
    );
    assert!(
        list.body.contains("undangan belum diterima"),
        "{}",
        list.body
    );
    let mail = inbox.nth(1).await;
    assert_eq!(mail.to, vec!["dewi@warta.test".to_owned()]);
    assert!(
        mail.text()
            .contains("Ana mengundang Anda ke ruang redaksi Warta sebagai Editor"),
        "{}",
        mail.text()
    );
    let first = mail.link_path();
    assert!(first.starts_with("/admin/invite/"), "{first}");
    // No password opens the account before the invitation is taken up.
    assert_eq!(
        app.browser()
            .try_login("dewi@warta.test", "!invited")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // Sent again: the older link stops working.
    let (dewi, _) = app
        .store
        .user_by_email("dewi@warta.test")
        .await
        .expect("read")
        .expect("user");
    let r = admin
        .submit(&format!("/admin/users/{}/invite", dewi.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let second = inbox.nth(2).await.link_path();
    let mut b = app.browser();
    assert_eq!(b.get(&first).await.status, StatusCode::GONE);
    let page = b.get(&second).await;
    assert!(
        page.body
            .contains("Dewi Lestari, Anda diundang ke ruang redaksi Warta sebagai Editor."),
        "{}",
        page.body
    );
    let r = choose(&mut b, &second, "dewi-punya-sandi", "dewi-punya-sandi").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(session_started(&r));
    assert_eq!(b.get("/admin").await.status, StatusCode::OK);
    // In: the list says nothing more about an invitation, and none can be resent.
    let list = admin.get("/admin/users").await;
    assert!(
        !list.body.contains("undangan belum diterima"),
        "{}",
        list.body
    );
    let r = admin
        .submit(&format!("/admin/users/{}/invite", dewi.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("sudah memilih kata sandinya"), "{}", r.body);
    // An invitation link is no reset link.
    assert_eq!(
        b.get(&second.replace("/invite/", "/reset/")).await.status,
        StatusCode::GONE
    );
}

#[tokio::test]
async fn an_invitation_that_cannot_be_sent_keeps_the_account_and_says_why() {
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let app = App::with_config(move |c| {
        c.mail = Some(warta_web::mail::MailConfig {
            host: "127.0.0.1".into(),
            port,
            security: warta_web::mail::Security::None,
            username: None,
            password: None,
            from: "redaksi@warta.test".into(),
        })
    })
    .await;
    app.add_user("ana@warta.test", "Ana", Role::Admin).await;
    let mut admin = app.login("ana@warta.test").await;
    let r = add_account(&mut admin, "Eko", "eko@warta.test", "contributor", "").await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY, "{}", r.body);
    assert!(
        r.body
            .contains("Akun eko@warta.test dibuat, tetapi undangannya tidak terkirim"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Kirim ulang undangan"), "{}", r.body);
    assert!(
        app.store
            .user_by_email("eko@warta.test")
            .await
            .expect("read")
            .is_some()
    );
}

#[tokio::test]
async fn without_mail_the_pages_say_so_and_admins_still_set_passwords() {
    let app = App::new().await;
    app.add_user("ana@warta.test", "Ana", Role::Admin).await;
    let mut b = app.browser();
    let page = b.get("/admin/reset").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("belum diatur untuk mengirim surel"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("data-test=\"forgot\""), "no form");
    let r = b
        .post(
            "/admin/reset",
            &[("email", "ana@warta.test"), ("token", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    let mut admin = app.login("ana@warta.test").await;
    let users = admin.get("/admin/users").await;
    assert!(
        users.body.contains("tetapkan kata sandi awal"),
        "{}",
        users.body
    );
    let r = add_account(&mut admin, "Eko", "eko@warta.test", "editor", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        app.store
            .user_by_email("eko@warta.test")
            .await
            .expect("read")
            .is_none(),
        "nothing made"
    );
    let r = add_account(
        &mut admin,
        "Eko",
        "eko@warta.test",
        "editor",
        "sandi-awal-eko",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.browser()
            .try_login("eko@warta.test", "sandi-awal-eko")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}
