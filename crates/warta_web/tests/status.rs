//! The newsroom's status page (issue #34), through the router: what an admin sees.

#[path = "support/desk.rs"]
mod desk;
use desk::*;

use axum::http::StatusCode;
use warta_core::newsroom::Role;

#[tokio::test]
async fn an_admin_sees_version_checks_backup_and_recent_errors() {
    let app = App::with_config(|c| {
        c.database_shown = "/srv/warta/warta.db".into();
    })
    .await;
    app.add_user("admin@contoh.id", "Adi", Role::Admin).await;
    app.add_user("redaktur@contoh.id", "Redaktur", Role::Editor)
        .await;
    warta_web::recent::record(warta_web::recent::Logged {
        at: app.now(),
        level: "ERROR",
        target: "warta_web::purge".into(),
        text: "purge hook gave up <b>tag</b>".into(),
    });
    let mut admin = app.login("admin@contoh.id").await;
    let page = admin.get("/admin/status").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let html = scraper::Html::parse_document(&page.body);
    let text = |sel: &str| {
        let s = scraper::Selector::parse(sel).expect("selector");
        html.select(&s)
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    assert_eq!(
        text("[data-test=version]"),
        format!("Warta {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(text("[data-test=database]"), "/srv/warta/warta.db");
    assert!(text("[data-test=backup]").starts_with("Belum pernah"));
    // The database answers; this app has no search index, so that check fails, named.
    assert!(text("[data-test=check-database]").contains("baik"));
    assert!(text("[data-test=check-database]").contains("menjawab dalam"));
    assert!(text("[data-test=check-search]").contains("bermasalah"));
    assert!(
        text("[data-test=check-related]")
            .contains("detik di belakang log perubahan (paling lama 600)"),
        "{}",
        text("[data-test=check-related]")
    );
    // The logged error, escaped.
    assert!(text("[data-test=error-row]").contains("purge hook gave up <b>tag</b>"));
    assert!(!page.body.contains("<b>tag"), "escaped");
    // The newsroom's bar links it for admins only.
    assert!(page.body.contains("data-test=\"nav-status\""));
    let mut editor = app.login("redaktur@contoh.id").await;
    let desk = editor.get("/admin").await;
    assert!(!desk.body.contains("data-test=\"nav-status\""));
    assert_eq!(
        editor.get("/admin/status").await.status,
        StatusCode::FORBIDDEN
    );

    // After a backup, its time.
    let out = app.dir.path().join("copy.db");
    app.store
        .backup_sqlite(&out, app.now())
        .await
        .expect("backup");
    let page = admin.get("/admin/status").await;
    let html = scraper::Html::parse_document(&page.body);
    let s = scraper::Selector::parse("[data-test=backup]").expect("selector");
    let backup: String = html.select(&s).flat_map(|e| e.text()).collect();
    assert!(backup.contains("2026"), "{backup}");
}
