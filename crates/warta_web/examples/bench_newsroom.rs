//! How long the newsroom's requests take, through the router without a socket, on the
//! demo site in a temporary SQLite store: a login (argon2id), opening the editor, a
//! save (one write transaction with its revision), an autosave, and a preview.
//!
//! `cargo run --release -p warta_web --example bench_newsroom [ROUNDS]`

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use warta_core::newsroom::Role;
use warta_store::Store;
use warta_web::{AppState, WebConfig};

const PASSWORD: &str = "kata-sandi-panjang";

async fn send(router: &axum::Router, req: Request<Body>) -> (StatusCode, Vec<String>, String) {
    let res = router.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let cookies = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_owned)
        .collect();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, cookies, String::from_utf8_lossy(&body).into_owned())
}

fn field(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = html.find(&key).expect("field") + key.len();
    let end = html[start..].find('"').expect("end") + start;
    html[start..end].to_owned()
}

/// The newsroom's message on a refused save.
fn message(html: &str) -> &str {
    html.split("data-test=\"message\">")
        .nth(1)
        .and_then(|m| m.split('<').next())
        .unwrap_or(html)
}

fn form(fields: &[(&str, &str)]) -> Body {
    Body::from(serde_urlencoded::to_string(fields).expect("form"))
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize].as_secs_f64() * 1000.0;
    println!(
        "{name:<28} n={:<4} p50 {:>8.2} ms   p99 {:>8.2} ms",
        times.len(),
        at(0.5),
        at(0.99)
    );
}

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    warta_demo::seed(&store, &dir.path().join("media"), chrono::Utc::now())
        .await
        .expect("demo");
    let hash = warta_web::admin::auth::hash_password(PASSWORD).expect("hash");
    store
        .add_user(
            "ed@warta.test",
            "Edi",
            Role::Editor,
            &hash,
            None,
            chrono::Utc::now(),
        )
        .await
        .expect("user");
    let state = AppState::new(
        store.clone(),
        WebConfig::new(dir.path().join("media")),
        warta_web::system_clock(),
    );
    let router = warta_web::router(state);

    let mut logins = Vec::new();
    let mut cookie = String::new();
    for _ in 0..rounds.min(20) {
        let (_, pre, page) = send(
            &router,
            Request::get("/admin/login")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
        let token = field(&page, "token");
        let req = Request::post("/admin/login")
            .header(header::COOKIE, pre.join("; "))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form(&[
                ("email", "ed@warta.test"),
                ("password", PASSWORD),
                ("token", &token),
            ]))
            .expect("req");
        let t = Instant::now();
        let (status, set, _) = send(&router, req).await;
        logins.push(t.elapsed());
        assert_eq!(status, StatusCode::SEE_OTHER);
        cookie = set
            .into_iter()
            .find(|c| c.starts_with("warta_session="))
            .expect("session");
    }
    let get = |uri: String| {
        Request::get(uri)
            .header(header::COOKIE, cookie.clone())
            .body(Body::empty())
            .expect("req")
    };
    let (_, _, desk) = send(&router, get("/admin".into())).await;
    let csrf = field(&desk, "csrf");
    let id = 1;
    // A draft to autosave, made through the new-article form.
    let (_, _, page) = send(&router, get("/admin/articles/new".into())).await;
    let key = field(&page, "form_key");
    let (status, _, _) = send(
        &router,
        Request::post("/admin/articles/new")
            .header(header::COOKIE, cookie.clone())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form(&[
                ("csrf", csrf.as_str()),
                ("form_key", key.as_str()),
                ("headline", "Draf untuk disimpan otomatis"),
                ("section", "nasional"),
            ]))
            .expect("req"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let draft = store
        .desk(
            &warta_store::DeskFilter {
                status: Some(warta_core::Status::Draft),
                ..Default::default()
            },
            1,
            1,
        )
        .await
        .expect("desk")
        .items[0]
        .id;
    let (mut opens, mut saves, mut autosaves, mut previews) = (vec![], vec![], vec![], vec![]);
    for i in 0..rounds {
        let t = Instant::now();
        let (status, _, page) = send(&router, get(format!("/admin/articles/{id}"))).await;
        opens.push(t.elapsed());
        assert_eq!(status, StatusCode::OK);
        let base = field(&page, "base");
        let headline = format!("Judul uji ke-{i}");
        let post = |uri: String, extra: Option<&str>| {
            let mut r = Request::post(uri)
                .header(header::COOKIE, cookie.clone())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            if let Some(h) = extra {
                r = r.header("x-csrf-token", h);
            }
            r
        };
        let body = [
            ("csrf", csrf.as_str()),
            ("base", base.as_str()),
            ("headline", headline.as_str()),
            ("body", "Paragraf satu.\n\nParagraf dua."),
            ("section", "nasional"),
            ("action", "save"),
        ];
        let t = Instant::now();
        let (status, _, text) = send(
            &router,
            post(format!("/admin/articles/{id}"), None)
                .body(form(&body))
                .expect("req"),
        )
        .await;
        saves.push(t.elapsed());
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", message(&text));
        let t = Instant::now();
        let (status, _, _) = send(&router, get(format!("/admin/articles/{id}/preview"))).await;
        previews.push(t.elapsed());
        assert_eq!(status, StatusCode::OK);
        // An autosave of the draft.
        let (_, _, page) = send(&router, get(format!("/admin/articles/{draft}"))).await;
        let base = field(&page, "base");
        let body = [
            ("base", base.as_str()),
            ("headline", headline.as_str()),
            ("body", "Draf."),
            ("section", "nasional"),
        ];
        let t = Instant::now();
        let (status, _, text) = send(
            &router,
            post(format!("/admin/articles/{draft}/autosave"), Some(&csrf))
                .body(form(&body))
                .expect("req"),
        )
        .await;
        autosaves.push(t.elapsed());
        assert_eq!(status, StatusCode::OK, "{text}");
    }
    report("login (argon2id verify)", logins);
    report("open the editor", opens);
    report("save (write + revision)", saves);
    report("preview (reader page)", previews);
    report("autosave (answer)", autosaves);
}
