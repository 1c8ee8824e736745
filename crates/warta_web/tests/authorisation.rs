//! Who may reach what, driven by the router's own table (`warta_web::routes::list`):
//! every newsroom and Content API route must have a rule here, or the test fails.
//! Each rule is said again in words of its own (not by calling the code's `may`), and
//! walked for every role, for articles of each state, owned and not, and for photos a
//! live article uses and photos nothing uses.

#[path = "support/desk.rs"]
mod desk;
use desk::*;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Duration;
use warta_core::Status;
use warta_core::newsroom::Role;
use warta_web::routes::{Access, RouteInfo};

/// Who may pass the door of a route.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Any account.
    Staff,
    /// Editors and admins.
    Editor,
    Admin,
    /// An article's content: editors and admins always; a contributor only their own
    /// article while it is a draft or in review.
    EditArticle,
    /// A photo: anyone while no visible article shows it, then editors and admins.
    Photo,
    /// A Content API key.
    Key,
}

fn rule(r: &RouteInfo) -> Option<Rule> {
    use Rule::*;
    Some(match (r.method, r.path) {
        ("GET", "/admin")
        | ("POST", "/admin/logout")
        | ("GET" | "POST", "/admin/articles/new")
        | ("GET" | "POST", "/admin/photos")
        | ("GET", "/admin/tags")
        | ("GET", "/admin/articles.json")
        | ("GET", "/admin/photos.json") => Staff,
        ("GET" | "POST", "/admin/articles/{id}")
        | ("POST", "/admin/articles/{id}/autosave")
        | ("POST", "/admin/articles/{id}/pending/discard")
        | ("GET" | "POST", "/admin/articles/{id}/preview")
        | ("GET", "/admin/articles/{id}/revisions")
        | ("POST", "/admin/articles/{id}/revisions/{number}/restore") => EditArticle,
        ("POST", "/admin/articles/{id}/correction")
        | ("GET" | "POST", "/admin/front")
        | ("GET", "/admin/pages")
        | ("GET" | "POST", "/admin/pages/new")
        | ("GET" | "POST", "/admin/pages/{id}") => Editor,
        ("POST", "/admin/photos/{id}") => Photo,
        ("GET" | "POST", "/admin/users")
        | ("POST", "/admin/users/{id}")
        | ("POST", "/admin/users/{id}/invite")
        | ("GET" | "POST", "/admin/site")
        | ("POST", "/admin/site/identity")
        | ("GET", "/admin/status")
        | ("POST", "/admin/sections") => Admin,
        (_, p) if p.starts_with("/api/v1/") => Key,
        _ => return None,
    })
}

/// An address a route is tried at, with the article (owned?, state) or the photo
/// (shown live?) it touches.
type Target = (String, Option<(bool, Status)>, Option<bool>);

const ROLES: [&str; 4] = ["visitor", "contributor", "editor", "admin"];

#[tokio::test]
async fn every_guarded_route_answers_each_role_as_its_rule_says() {
    let app = App::new().await;
    app.add_user("admin@warta.test", "Adi Min", Role::Admin)
        .await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    app.add_user("kon@warta.test", "Kon Tri", Role::Contributor)
        .await;
    app.add_user("lain@warta.test", "Lain", Role::Contributor)
        .await;
    let mut ed = app.login("ed@warta.test").await;
    let mut kon = app.login("kon@warta.test").await;
    let mut lain = app.login("lain@warta.test").await;

    // Articles in every state, written by the contributor under test and by another.
    let states = [
        Status::Draft,
        Status::InReview,
        Status::Scheduled,
        Status::Published,
        Status::Unpublished,
    ];
    let mut articles: Vec<(i64, bool, Status)> = Vec::new();
    for own in [true, false] {
        for state in states {
            let writer = if own { &mut kon } else { &mut lain };
            let id = writer.write(&format!("{state:?} {own}"), "Isi.").await;
            let at = (app.now() + Duration::days(2))
                .with_timezone(&chrono_tz::Asia::Jakarta)
                .format("%Y-%m-%dT%H:%M")
                .to_string();
            let moves: &[(&str, &[(&str, &str)])] = match state {
                Status::Draft => &[],
                Status::InReview => &[("submit", &[])],
                Status::Scheduled => &[("schedule", &[("publish_at", at.as_str())])],
                Status::Published => &[("publish", &[])],
                Status::Unpublished => &[("publish", &[]), ("unpublish", &[])],
            };
            for (action, changes) in moves {
                let by = if *action == "submit" {
                    &mut *writer
                } else {
                    &mut ed
                };
                let r = by.act(id, action, changes).await;
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
            }
            assert_eq!(app.store.article(id).await.expect("a").status, state);
            articles.push((id, own, state));
        }
    }
    // Photos: one a live article shows, one nothing uses.
    let mut photos = Vec::new();
    for (n, live) in [("hidup", true), ("cadangan", false)] {
        let csrf = ed.csrf.clone();
        let r = ed
            .upload(
                &[("csrf", &csrf), ("caption", n), ("alt", "Gambar")],
                Some(("a.png", &png(60, 40))),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let m = app.store.media_library(n, 1, 5).await.expect("lib").items[0].id;
        if live {
            let published = articles
                .iter()
                .find(|a| a.2 == Status::Published)
                .expect("published")
                .0;
            let r = ed.act(published, "save", &[("hero", &m.to_string())]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        photos.push((m, live));
    }
    let key = warta_web::content_api::new_key().expect("key");
    app.store
        .add_api_key("uji", &key.1, app.now())
        .await
        .expect("key");
    let someone = app
        .store
        .user_by_email("lain@warta.test")
        .await
        .expect("u")
        .expect("u")
        .0
        .id;

    let mut visitor = app.browser();
    let mut adm = app.login("admin@warta.test").await;
    let mut routes: Vec<RouteInfo> = warta_web::routes::list()
        .into_iter()
        .filter(|r| matches!(r.access, Access::Staff | Access::ApiKey))
        .collect();
    // Logging out ends the session the later rows need: last.
    routes.sort_by_key(|r| r.path == "/admin/logout");
    let missing: Vec<String> = routes
        .iter()
        .filter(|r| rule(r).is_none())
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(missing.is_empty(), "routes without a rule: {missing:?}");

    let mut failures = Vec::new();
    let mut checked = 0;
    for route in &routes {
        let Some(rule) = rule(route) else { continue };
        // The concrete addresses this route is tried at, each with what it touches.
        let targets: Vec<Target> = if route.path.contains("/articles/{id}") {
            articles
                .iter()
                .map(|(id, own, st)| {
                    let p = route
                        .path
                        .replace("{id}", &id.to_string())
                        .replace("{number}", "1");
                    (p, Some((*own, *st)), None)
                })
                .collect()
        } else if route.path == "/admin/photos/{id}" {
            photos
                .iter()
                .map(|(m, live)| (format!("/admin/photos/{m}"), None, Some(*live)))
                .collect()
        } else {
            let p = route
                .path
                .replace("/users/{id}", &format!("/users/{someone}"))
                .replace("{id}", &articles[3].0.to_string())
                .replace("{slug}", "apa-saja");
            vec![(p, None, None)]
        };
        for (path, article, photo_live) in targets {
            for (who, b) in [
                (0, &mut visitor),
                (1, &mut kon),
                (2, &mut ed),
                (3, &mut adm),
            ] {
                let allowed = match rule {
                    Rule::Staff => who >= 1,
                    Rule::Editor => who >= 2,
                    Rule::Admin => who == 3,
                    Rule::EditArticle => {
                        let (own, st) = article.expect("an article route");
                        // A contributor's own story past review opens read only (a
                        // page with nothing to press; saving it stays refused).
                        let reads_own = route.method == "GET"
                            && route.path == "/admin/articles/{id}"
                            && who == 1
                            && own;
                        who >= 2
                            || (who == 1 && own && matches!(st, Status::Draft | Status::InReview))
                            || reads_own
                    }
                    Rule::Photo => who >= 2 || (who == 1 && !photo_live.unwrap_or(true)),
                    // Only the visitor goes without the key.
                    Rule::Key => who >= 1,
                };
                let status = if rule_is_api(rule) {
                    let mut req = Request::get(&path);
                    if who >= 1 {
                        req = req.header("authorization", format!("Bearer {}", key.0));
                    }
                    app.send(req.body(Body::empty()).expect("req")).await.status
                } else if route.method == "GET" {
                    b.get(&path).await.status
                } else {
                    // Harmless but valid-looking: an edit with a stale base is a
                    // conflict, a user change with a bad role a 400; both passed the
                    // door. Alt text kept, so a photo change really writes.
                    let r = b
                        .submit(
                            &path,
                            &[
                                ("text", "Koreksi uji."),
                                ("base", "999"),
                                ("section", "nasional"),
                                ("headline", "x"),
                                ("role", "bukan"),
                                ("alt", "Gambar"),
                                ("caption", "uji"),
                            ],
                        )
                        .await;
                    // The guard sends to `/admin/login?next=…`; logging out, to the
                    // login page itself.
                    if r.status == StatusCode::SEE_OTHER
                        && r.location().starts_with("/admin/login?")
                    {
                        StatusCode::UNAUTHORIZED
                    } else {
                        r.status
                    }
                };
                let denied = matches!(status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED)
                    || (who == 0 && status == StatusCode::SEE_OTHER);
                checked += 1;
                if denied == allowed {
                    failures.push(format!(
                        "{} {path} ({article:?}, photo live {photo_live:?}) as {}: {status}",
                        route.method, ROLES[who]
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked}: {failures:#?}",
        failures.len()
    );
    assert!(checked > 400, "{checked} requests");
}

fn rule_is_api(r: Rule) -> bool {
    matches!(r, Rule::Key)
}
