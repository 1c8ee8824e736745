//! The desk (`/admin`) through the router: filters by status, section and "mine",
//! a search of headlines, the byline column, each kept in the address across pages.

#[path = "support/desk.rs"]
mod desk;
use desk::*;

use axum::http::StatusCode;
use warta_core::newsroom::Role;

fn rows(html: &str) -> usize {
    html.matches("data-test=\"desk-row\"").count()
}

#[tokio::test]
async fn the_desk_filters_and_searches() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    app.add_user("ani@warta.test", "Ani Redaktur", Role::Editor)
        .await;
    let mut ed = app.login("ed@warta.test").await;
    let mut ani = app.login("ani@warta.test").await;
    let flood = ed.write("Banjir Rob di Pesisir Utara", "Air naik.").await;
    ed.write("Harga Cabai Naik Menjelang Natal", "Harga naik.")
        .await;
    ani.write("Rob Surut, Warga Pesisir Kembali", "Surut.")
        .await;
    let r = ed.act(flood, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let all = ed.get("/admin").await;
    assert_eq!(rows(&all.body), 3);
    // The byline column.
    assert!(all.body.contains("Ani Redaktur"));
    // Search: words in any order and case.
    let found = ed.get("/admin?q=pesisir+ROB").await;
    assert_eq!(rows(&found.body), 2, "{}", found.body);
    assert!(found.body.contains("2 artikel cocok"));
    // Mine.
    let mine = ed.get("/admin?mine=1").await;
    assert_eq!(rows(&mine.body), 2);
    assert!(!mine.body.contains("Rob Surut"));
    // Mine and a status, and the search: all at once.
    let narrow = ed.get("/admin?q=rob&status=draft").await;
    assert_eq!(rows(&narrow.body), 1);
    assert!(narrow.body.contains("Rob Surut"));
    // The status links keep the search and the other filters.
    assert!(
        narrow
            .body
            .contains("href=\"/admin?status=published&#38;q=rob\""),
        "{}",
        narrow.body
    );
    // A section with nothing in it.
    let none = ed.get("/admin?section=dunia").await;
    assert_eq!(rows(&none.body), 0);
    assert!(none.body.contains("0 artikel cocok"));
    // An unknown section is no filter, not an error.
    assert_eq!(
        ed.get("/admin?section=tidak-ada").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_contributor_sees_only_their_own_and_no_mine_box() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    app.add_user("kon@warta.test", "Kontri Butor", Role::Contributor)
        .await;
    let mut ed = app.login("ed@warta.test").await;
    let mut kon = app.login("kon@warta.test").await;
    ed.write("Banjir Rob di Pesisir Utara", "Air naik.").await;
    kon.write("Rob Surut di Pesisir", "Surut.").await;
    let page = kon.get("/admin?q=pesisir").await;
    assert_eq!(rows(&page.body), 1);
    assert!(page.body.contains("Rob Surut"));
    assert!(!page.body.contains("data-test=\"desk-mine\""));
}
